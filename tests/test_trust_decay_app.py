"""Headless tests of chapter 5's apps: the trust-decay visualiser, the death-index chart,
the bet and the posting-plan exercise."""

from __future__ import annotations

import nbformat
import numpy as np
import pytest

from tests.sources import ROOT
from widgets.apps import build_quiz, set_language
from widgets.apps.exercise import ExerciseCheck
from widgets.apps.quiz import SortQuiz
from widgets.apps.trust_decay import TRUST_FLOOR, TrustDecayApp, build_trust_decay
from widgets.chapters.ch05 import (
    EXERCISE_JUNK_SHARE,
    EXERCISE_LIMITS,
    SALES_TARGET,
    build_half_muted_bet,
    check_posting_plan,
    death_index_causes,
    death_index_chart,
    death_index_table,
    exercise_params,
    mark_posting_plan,
)
from widgets.data import load_dataset
from widgets.models import trust_decay as td

SOLUTION = {"ads_per_day": 0.5, "content_per_day": 2.5, "interactions_per_day": 40}


@pytest.fixture(scope="module")
def app() -> TrustDecayApp:
    return build_trust_decay()


def _final_150(app: TrustDecayApp, col: int = 0) -> float:
    index = col * len(td.LAYERS) + td.LAYERS.index("active_150")
    return float(app.trust_fig.data[index].y[-1])


def test_figures_show_the_model_for_the_default_plan(app: TrustDecayApp) -> None:
    app.load_preset("living_room")
    app.load_preset("street_stall")
    expected = td.simulate_trust(app.params()).daily
    assert len(app.trust_fig.data) == 2 * len(td.LAYERS)
    for index, layer in enumerate(td.LAYERS):
        np.testing.assert_allclose(app.trust_fig.data[index].y, expected[td.trust_column(layer)])
    np.testing.assert_allclose(app.shares_fig.data[0].y, expected["share_muted"])
    np.testing.assert_allclose(app.shares_fig.data[1].y, expected["share_blocked"])
    np.testing.assert_allclose(app.reach_fig.data[0].y, expected["reach"])
    np.testing.assert_allclose(app.sales_fig.data[0].y, expected["cumulative_purchases"])


def test_every_chart_has_a_title_and_axis_labels(app: TrustDecayApp) -> None:
    for fig in (app.trust_fig, app.shares_fig, app.reach_fig, app.sales_fig):
        assert fig.layout.title.text
        assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text


def test_more_ads_lower_the_150_layer_in_the_figure(app: TrustDecayApp) -> None:
    app.load_preset("living_room")
    before = _final_150(app)
    app.ads.value = 4.0
    after = _final_150(app)
    assert after < before - 0.1
    assert app.shares_fig.data[0].y[-1] > 0.5


def test_loading_a_preset_sets_the_controls_and_compares_with_the_other(
        app: TrustDecayApp) -> None:
    app.load_preset("street_stall")
    stall = td.PRESETS["street_stall"]
    assert app.ads.value == stall.ads_per_day and app.content.value == stall.content_per_day
    assert app.brag_day.value == stall.brag_day and app.fake_day.value == stall.fake_goods_day
    assert app.compare.value == "living_room"
    assert app.params() == stall
    assert "Living room" in app.trust_fig.layout.annotations[1].text
    # right-hand panels hold the living room: higher trust than the stall on the left
    assert _final_150(app, col=1) > _final_150(app, col=0)
    half = td.simulate_trust(stall).summary["day_half_muted"]
    assert f"day {half}" in app.kpis.value and "never" in app.kpis.value


def test_comparison_follows_the_dropdown_and_circle_size(app: TrustDecayApp) -> None:
    app.load_preset("living_room")
    assert app.compare.value == "street_stall"
    app.days.value = 200
    assert len(app.trust_fig.data[len(td.LAYERS)].y) == 200
    right = td.simulate_trust(app.comparison_params()).daily
    np.testing.assert_allclose(app.sales_fig.data[1].y, right["cumulative_purchases"])
    app.compare.value = "living_room"
    np.testing.assert_allclose(app.trust_fig.data[len(td.LAYERS)].y,
                               td.simulate_trust(app.comparison_params()).daily["trust_support_5"])
    app.days.value = 365


def test_event_after_the_horizon_is_left_out_with_a_message(app: TrustDecayApp) -> None:
    app.load_preset("living_room")
    app.days.value = 60
    app.brag_day.value = 100
    assert "left out" in app.message.value
    assert app.params().brag_day is None
    app.brag_day.value = 30
    assert app.message.value == "" and app.result.params.brag_day == 30
    app.brag_day.value = 0
    app.days.value = 365


def test_all_controls_adds_the_assumptions_tab() -> None:
    basic, full = build_trust_decay(), build_trust_decay(all_controls=True)
    assert len(basic.tabs.children) == 4 and len(full.tabs.children) == 5
    full.burst_penalty.value = 8.0
    full.content.value = 6.0
    assert full.result.params.burst_penalty == 8.0
    with pytest.raises(ValueError, match="compare"):
        build_trust_decay(compare="market")


def test_labels_are_bilingual_and_switch(app: TrustDecayApp) -> None:
    assert "·" in app.ads.description and "硬广" in app.ads.description
    set_language("en")
    try:
        assert app.ads.description == "Ads per day"
    finally:
        set_language("both")


def test_death_index_chart_is_sorted_and_marks_the_model_causes() -> None:
    chart = death_index_chart()
    data = load_dataset("death_index")
    bar = chart.figure.data[0]
    stars = list(bar.x)[::-1]                       # top of the chart first
    assert stars == sorted(data["death_index"], reverse=True)
    assert len(stars) == 8 and chart.figure.layout.title.text
    table = death_index_table()
    modelled = table["in_the_model"] != "not in the model"
    assert modelled.sum() == data["model_mechanism"].notna().sum()
    colours = list(bar.marker.color)[::-1]
    assert [c == "#009E73" for c in colours] == list(modelled)
    assert table.loc[0, "cause_en"].startswith("Friend-circle selling goes slack")
    styled = death_index_causes()
    assert "[Huang 2017]" in styled.caption
    assert list(styled.data.index) == list(table["article_order"])


def test_bet_reveals_the_models_answer() -> None:
    bet = build_half_muted_bet()
    bet.commit(bet.guess.options[2])
    result = bet.reveal()
    day = td.day_half_muted(5.0)
    expected = 0 if day is not None and day <= 30 else 1 if day is not None and day <= 182 else 2
    assert result.answer == bet.guess.options[expected]


def test_a_plan_passes_and_the_street_stall_fails() -> None:
    assert mark_posting_plan(SOLUTION).correct
    stall = mark_posting_plan(td.PRESETS["street_stall"])
    assert not stall.correct and "trust" in stall.message and "short" in stall.message
    default = mark_posting_plan({"ads_per_day": 1.0, "content_per_day": 1.0,
                                 "interactions_per_day": 10})
    assert not default.correct and "short" in default.message


def test_target_is_not_trivial() -> None:
    """The living room is safe but sells too little; a no-reply plan does not pass either."""
    living = exercise_params(td.PRESETS["living_room"])
    summary = td.simulate_trust(living).summary
    assert summary["min_trust"]["active_150"] > TRUST_FLOOR
    assert summary["total_expected_purchases"] < SALES_TARGET
    assert not mark_posting_plan({"ads_per_day": 1.0, "content_per_day": 2.0,
                                  "interactions_per_day": 0}).correct
    assert not mark_posting_plan({"ads_per_day": 3.0, "content_per_day": 0.0,
                                  "interactions_per_day": 50}).correct


def test_interaction_is_needed_to_pass() -> None:
    """The chapter's lesson: interaction builds trust. No plan without replies passes (a grid
    over the exercise's limits), zero ads and zero replies included, while plans with replies
    and no ads can."""
    ads, content = (0.0, 0.25, 0.5, 1.0, 2.0, 5.0), (0.0, 1.0, 2.0, 2.5, 3.0, 4.0, 6.0, 8.0)
    for a in ads:
        for c in content:
            plan = {"ads_per_day": a, "content_per_day": c, "interactions_per_day": 0}
            assert not mark_posting_plan(plan).correct, plan
    assert mark_posting_plan({"ads_per_day": 0.0, "content_per_day": 3.0,
                              "interactions_per_day": 50}).correct
    assert exercise_params(SOLUTION).junk_share == EXERCISE_JUNK_SHARE > 0


@pytest.mark.parametrize(("plan", "fragment"), [
    (None, "Not yet"),
    ([1, 2, 3], "dict"),
    ({"ads_per_day": 1, "content_per_day": 1}, "lacks"),
    ({**SOLUTION, "asymmetry": 1}, "unknown"),
    ({**SOLUTION, "interactions_per_day": 60}, "interactions_per_day"),
    ({**SOLUTION, "ads_per_day": "two"}, "ads_per_day"),
])
def test_bad_plans_get_an_explanation(plan: object, fragment: str) -> None:
    feedback = mark_posting_plan(plan)
    assert not feedback.correct and fragment in feedback.message


def test_check_shows_hints_after_a_miss_and_praise_on_success() -> None:
    miss = check_posting_plan({"ads_per_day": 5.0, "content_per_day": 0.0,
                               "interactions_per_day": 0})
    assert isinstance(miss, ExerciseCheck) and "Hint 1" in miss.output.value
    hit = check_posting_plan(SOLUTION)
    assert hit.last is not None and hit.last.correct and "Passed" in hit.output.value
    assert set(EXERCISE_LIMITS) == set(SOLUTION)


@pytest.mark.parametrize("quiz_id", ["model_reach", "team_stages", "lifecycle",
                                     "community_directions"])
def test_chapter_quizzes_mark_right_and_wrong_answers(quiz_id: str) -> None:
    quiz = build_quiz("ch05", quiz_id)
    if isinstance(quiz, SortQuiz):
        quiz.answer(*[item["answer"] for item in quiz.items])
        assert quiz.check().correct
        quiz.answer(*[quiz.pickers[0].options[1]] * len(quiz.items))
        assert not quiz.check().correct
    else:
        right = [i for i, option in enumerate(quiz.options) if option["correct"]]
        wrong = [i for i, option in enumerate(quiz.options) if not option["correct"]]
        quiz.select(*right)
        assert quiz.check().correct
        quiz.select(wrong[0])
        assert not quiz.check().correct


def test_chapter_states_the_exercise_targets_the_checker_uses() -> None:
    notebook = nbformat.read(ROOT / "chapters" / "05_shakeout.ipynb", as_version=4)
    text = " ".join(cell.source for cell in notebook.cells)
    assert f"sells at least {SALES_TARGET:.0f}" in text
    assert f"above {TRUST_FLOOR}" in text
    solution = {"ads_per_day": 0.5, "content_per_day": 2.5, "interactions_per_day": 40}
    assert repr(solution).replace("'", '"') in text and mark_posting_plan(solution).correct


def test_reach_and_sales_legends_sit_below_the_axis_title() -> None:
    """At 320 px a legend placed in plot fractions overlapped the 'day' title (seen in Chromium)."""
    app = build_trust_decay()
    for fig in (app.reach_fig, app.sales_fig):
        legend = fig.layout.legend
        assert (legend.yref, legend.y, legend.yanchor) == ("container", 0.0, "bottom")
        assert fig.layout.margin.b >= 90, "the bottom margin must hold ticks, title and legend"


def test_quality_range_and_tie_sliders_reach_the_model() -> None:
    """Issue 14: junk content, the product range and tie strength are controls of the app."""
    app = build_trust_decay()
    base_sales = app.result.summary["total_expected_purchases"]
    app.products.value = 3
    assert app.result.params.products_in_range == 3
    assert app.result.summary["total_expected_purchases"] < base_sales
    app.junk.value = 0.5
    assert app.result.params.junk_share == 0.5
    app.ties.value = 0.0
    assert app.result.params.tie_protection == 0.0
    assert app.result.summary == td.simulate_trust(app.params(), seed=app.seed).summary
