"""Chapter 4 circles (圈层) exercise: the checker computes the answer from the data."""

from widgets.apps.circles import build_circle_chart, circle_summary, load_community
from widgets.apps.course import show_chapter_terms
from widgets.chapters.ch04 import first_circle, mark_first_circle, show_characteristics


def _solution(community):
    spend = community.assign(spend=community.orders_last_year * community.avg_order_yuan)
    return spend.groupby("circle")["spend"].mean().idxmax()


def test_the_notebook_solution_is_right():
    answer = _solution(load_community())
    assert mark_first_circle(answer).correct
    assert answer == first_circle()


def test_summing_instead_of_averaging_gets_targeted_feedback():
    community = load_community()
    spend = community.assign(spend=community.orders_last_year * community.avg_order_yuan)
    by_total = spend.groupby("circle")["spend"].sum().idxmax()
    assert by_total != first_circle()  # the synthetic data is built to expose the slip
    feedback = mark_first_circle(by_total)
    assert not feedback.correct and "TOTAL" in feedback.message


def test_answer_follows_the_data():
    community = load_community().copy()
    students = community.circle == "students"
    community.loc[students, "orders_last_year"] = 100
    assert first_circle(community) == "students"


def test_other_wrong_answers():
    assert "Not yet" in mark_first_circle(None).message
    assert "not a circle" in mark_first_circle("pensioners").message
    assert "string" in mark_first_circle(3).message


def test_summary_and_chart():
    summary = circle_summary()
    assert summary.members.sum() == len(load_community())
    assert list(summary.spend_per_member) == sorted(summary.spend_per_member, reverse=True)
    chart = build_circle_chart()
    fig = chart.children[0].fig
    assert len(fig.data[0].x) == len(summary)
    assert fig.layout.yaxis.title.text


def test_shared_tables_render():
    assert "深度营销" in show_characteristics().value
    assert "许可营销" in show_chapter_terms(1).value
