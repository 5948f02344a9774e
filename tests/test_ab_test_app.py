"""Chapter 4 A/B app and its exercise checks."""

import pytest

from widgets.apps.ab_test import build_ab_test, first_recipients, load_ab_posts
from widgets.chapters.ch04 import (
    check_post_verdict,
    mark_order_difference,
    mark_post_verdict,
    order_difference,
    order_verdict,
)
from widgets.models import ab_test as ab


@pytest.fixture
def app():
    return build_ab_test()


def test_rates_match_the_data(app):
    app.outcome.value = "ordered"
    posts = load_ab_posts()
    rates = posts.groupby("post")["ordered"].mean()
    bars = app.rates_fig.data[0]
    assert list(bars.y) == pytest.approx([100 * rates["A"], 100 * rates["B"]])


def test_fewer_recipients_widen_the_interval(app):
    full = app.result.high - app.result.low
    app.recipients.value = 100
    assert app.result.high - app.result.low > full
    subset = first_recipients(app.posts, 100)
    assert len(subset) == 200
    assert app.result == ab.compare_posts(subset, "replied")
    assert app.rates_fig.data[0].text[0].endswith("of 100")


def test_higher_confidence_widens_the_interval(app):
    app.confidence.value = 0.8
    narrow = app.result.high - app.result.low
    app.confidence.value = 0.99
    assert app.result.high - app.result.low > narrow


def test_verdict_card_follows_the_interval(app):
    for outcome in ("replied", "ordered"):
        app.outcome.value = outcome
        expected = "差异可信" if app.result.excludes_zero else "可能只是偶然"
        assert expected in app.kpis.value
    error = app.diff_fig.data[0].error_x
    centre = app.diff_fig.data[0].x[0]
    assert centre - error.arrayminus[0] == pytest.approx(100 * app.result.low)


def test_figures_are_labelled(app):
    assert app.rates_fig.layout.yaxis.title.text and app.diff_fig.layout.xaxis.title.text
    assert "synthetic" in app.caption.value


def test_exercise_marks_the_solution_right():
    posts = load_ab_posts()
    rates = posts.groupby("post")["ordered"].mean()
    assert mark_order_difference(rates["B"] - rates["A"]).correct
    assert mark_post_verdict(order_verdict()).correct
    counts = posts.groupby("post")["ordered"].agg(["sum", "count"])
    result = ab.diff_ci(counts.loc["A", "sum"], counts.loc["A", "count"],
                        counts.loc["B", "sum"], counts.loc["B", "count"])
    assert result.verdict == order_verdict()


def test_exercise_explains_common_slips():
    diff = order_difference()
    assert "percentage points" in mark_order_difference(100 * diff).message
    assert "Sign" in mark_order_difference(-diff).message
    assert "Not yet" in mark_order_difference(None).message
    other = "real" if order_verdict() != "real" else "could be chance"
    assert not mark_post_verdict(other).correct
    assert "one of" in mark_post_verdict("maybe").message
    box = check_post_verdict(None)
    assert "Hint 1" in box.output.value
