"""Headless tests of the tier simulator app, its chapter helpers and the ethics checklist."""

from __future__ import annotations

import numpy as np
import pytest

from widgets.apps import labels
from widgets.apps.content import content_item
from widgets.apps.ethics_checklist import (
    NO,
    YES,
    EthicsChecklist,
    build_ethics_checklist,
    load_commitments,
)
from widgets.apps.tier_simulator import build_tier_simulator
from widgets.chapters.ch03 import (
    art7_checker,
    art7_solution,
    build_bottom_tier_losing_bet,
    case_table,
    connections_table,
    my_scheme,
    stages_table,
    three_flows_table,
)
from widgets.models.tier_simulator import (
    BRAND_PAYOUTS,
    BRAND_SALES,
    CONSUMERS,
    MAX_TIERS,
    RECORD_FIELDS,
    ParameterError,
    TierParams,
    art7_passes,
    bottom_tier_losing_share,
    simulate_tiers,
)

STOCK = RECORD_FIELDS.index("unsold_stock")


@pytest.fixture(scope="module")
def app():
    return build_tier_simulator(params=TierParams(pool=2_000))


def _visible_tiers(app) -> list:
    return [t for t in app.stock_fig.data[:MAX_TIERS] if t.visible]


def test_default_app_draws_the_model(app) -> None:
    result = app.result
    assert result.mode == "1.0" and result.params.pool == 2_000
    visible = _visible_tiers(app)
    assert len(visible) == result.params.n_tiers == 2
    for k, trace in enumerate(visible):
        np.testing.assert_array_equal(trace.y, result.records[:, k, STOCK])
    sankey = app.sankey_fig.data[0]
    assert {BRAND_SALES, BRAND_PAYOUTS, CONSUMERS} <= set(sankey.node.label)
    assert sum(sankey.link.value) == pytest.approx(result.money_flows["amount"].sum())
    one, two = app.hist_fig.data
    assert one.visible and not two.visible
    assert int(sum(one.y)) == result.summary["agents"]
    losing = result.summary["share_losing_money_bottom"]
    assert f"{losing:.0%}" in app.kpis.value or f"{losing:.1%}" in app.kpis.value
    assert app.flag_states() == {"pay_per_recruit": True, "entry_fee": True,
                                 "team_commission": True, "vemma": True}
    assert app.flags.value.count("⚠ triggered") == 4


def test_every_chart_has_a_title_axis_labels_and_a_caption(app) -> None:
    for fig in (app.stock_fig, app.hist_fig):
        assert fig.layout.title.text and fig.layout.xaxis.title.text and fig.layout.yaxis.title.text
    assert app.sankey_fig.layout.title.text
    for caption in (app.stock_caption, app.sankey_caption, app.hist_caption):
        assert "assumption" in caption.value or "illustrative" in caption.value


def test_controls_are_bilingual() -> None:
    fresh = build_tier_simulator(params=TierParams(pool=500))
    assert "·" in fresh.n_tiers.description and "层" in fresh.n_tiers.description
    try:
        labels.set_language("en")
        assert fresh.n_tiers.description == "Agent tiers"
    finally:
        labels.set_language("both")


def test_more_tiers_show_more_stock_layers() -> None:
    fresh = build_tier_simulator(params=TierParams(pool=1_000))
    fresh.n_tiers.value = 4
    assert len(_visible_tiers(fresh)) == 4
    assert any("Tier 4" in label for label in fresh.sankey_fig.data[0].node.label)
    assert fresh.result.params.tier_prices[0] == fresh.top_price.value


def test_restock_push_slider_changes_the_stock() -> None:
    fresh = build_tier_simulator(params=TierParams(pool=1_000))
    before = fresh.result.records[-1, :, STOCK].sum()
    fresh.restock.value = 0
    after = fresh.result.records[-1, :, STOCK].sum()
    assert after < before
    assert _visible_tiers(fresh)[-1].y[-1] == fresh.result.records[-1, -1, STOCK]


def test_pay_plan_sliders_clear_the_art7_flags() -> None:
    fresh = build_tier_simulator(params=TierParams(pool=800))
    fresh.recruit_bonus.value = 0.0
    assert not fresh.flag_states()["pay_per_recruit"]
    fresh.team_commission.value = 0.0
    assert not fresh.flag_states()["team_commission"]
    fresh.top_order.value = 0
    assert fresh.flag_states()["entry_fee"]
    fresh.bottom_order.value = 0
    assert not fresh.flag_states()["entry_fee"]


def test_an_unordered_ladder_shows_an_error_and_keeps_the_figures() -> None:
    fresh = build_tier_simulator(params=TierParams(pool=800))
    before = list(_visible_tiers(fresh)[0].y)
    fresh.top_price.value = 60.0  # above the bottom tier's 40元
    assert "tier_prices" in fresh.message.value and "rise" in fresh.message.value
    assert list(_visible_tiers(fresh)[0].y) == before
    fresh.top_price.value = 30.0
    assert fresh.message.value == ""


def test_mode_toggle_and_side_by_side() -> None:
    fresh = build_tier_simulator(params=TierParams(pool=800))
    fresh.mode.value = "2.0"
    assert list(fresh.results) == ["2.0"]
    assert not _visible_tiers(fresh)
    line = fresh.stock_fig.data[MAX_TIERS]
    assert line.visible and not any(line.y)
    assert not any(fresh.flag_states().values())
    fresh.side_by_side.value = True
    assert set(fresh.results) == {"1.0", "2.0"}
    assert all(trace.visible for trace in fresh.hist_fig.data)
    assert "1.0 · bottom tier" in fresh.kpis.value and "2.0 · bottom tier" in fresh.kpis.value
    np.testing.assert_array_equal(fresh.results["1.0"].agent_tier, fresh.results["2.0"].agent_tier)


def test_build_for_chapter_6_and_bad_mode() -> None:
    both = build_tier_simulator(mode="2.0", side_by_side=True, params=TierParams(pool=500))
    assert both.mode.value == "2.0" and set(both.results) == {"1.0", "2.0"}
    with pytest.raises(ParameterError, match="mode"):
        build_tier_simulator(mode="3.0")


# ---------------------------------------------------------------------- chapter helpers


def test_bet_answer_comes_from_the_model() -> None:
    bet = build_bottom_tier_losing_bet()
    share = bottom_tier_losing_share()
    expected = 0 if share > 0.75 else 1 if share >= 0.25 else 2
    assert bet.answer() == bet.guess.options[expected]
    bet.commit(bet.guess.options[1])
    assert bet.reveal().answer == bet.answer()


def test_tables_show_their_data_and_source() -> None:
    case = case_table()
    assert case.data.loc["retail_price", "value"] == TierParams().retail_price
    assert "as-reported" in case.caption
    stages = stages_table()
    assert list(stages.data.index) == [1, 2, 3, 4] and "Source:" in stages.caption
    assert connections_table().data["term_zh"].iloc[0] == "品牌连接"
    flows = three_flows_table(TierParams(pool=800))
    assert list(flows.data.columns) == ["1.0", "2.0"] and "illustrative" in flows.caption
    assert flows.data.iloc[1]["2.0"] == "0"  # no boxes stuck with agents in 2.0


def test_art7_exercise_marks_and_explains() -> None:
    assert not art7_checker(my_scheme()).correct
    assert "pay per recruit" in art7_checker(my_scheme(recruit_bonus=0.3, team_commission=0,
                                                       top_order=0, bottom_order=0)).message
    assert not art7_checker("no bonus").correct
    solution = art7_solution()
    assert art7_passes(solution)
    feedback = art7_checker(solution)
    assert feedback.correct and "What is left" in feedback.message
    assert "restock push" in feedback.message  # the solution keeps the push on purpose
    without_push = art7_checker(my_scheme(0, 0, 0, 0, restock_units=0))
    assert without_push.correct and "restock push" not in without_push.message
    after = simulate_tiers(my_scheme(0, 0, 0, 0, restock_units=0)).summary
    assert f"{after['share_losing_money_bottom']:.0%}" in without_push.message
    assert len(content_item("ch03", "hints", "art7")) >= 2


# ---------------------------------------------------------------------- ethics checklist


def test_checklist_rows_come_from_the_dataset() -> None:
    checklist = build_ethics_checklist()
    commitments = load_commitments()
    assert list(checklist.rows) == list(commitments["commitment_id"])
    assert len(checklist.rows) == 8
    result = checklist.check()
    assert result.correct is None and len(result.unanswered) == 8
    checklist.answer(no_hoarding=False, no_fakes=True)
    result = checklist.check()
    assert result.broken == ["no_hoarding"] and result.kept == ["no_fakes"]
    assert "不囤货" in checklist.output.value


def test_checklist_with_a_key_marks_each_answer() -> None:
    checklist = build_ethics_checklist("ch03", "case_scheme")
    key = content_item("ch03", "checklists", "case_scheme")["answers"]
    checklist.answer(**key)
    result = checklist.check()
    assert result.all_correct and result.correct == 8
    flipped = {k: not v for k, v in key.items()}
    checklist.answer(**flipped)
    assert checklist.check().correct == 0
    assert checklist.rows["no_hoarding"].value in (YES, NO)
    assert "✘" in checklist.output.value


def test_checklist_rejects_a_key_that_does_not_fit() -> None:
    with pytest.raises(ValueError, match="missing"):
        EthicsChecklist(answer_key={"no_fakes": True})
    with pytest.raises(KeyError):
        build_ethics_checklist().answer(no_such_thing=True)


def test_sankey_grows_with_the_tiers_so_labels_keep_their_room():
    from widgets.apps.tier_simulator import SANKEY_ROW_PX, build_tier_simulator

    app = build_tier_simulator()
    app.n_tiers.value = 8
    nodes = len(app.sankey_fig.data[0].node.label)
    assert nodes >= 9
    assert app.sankey_fig.layout.height >= SANKEY_ROW_PX * nodes
    assert len(app.stock_fig.layout.yaxis.title.text) <= 30
