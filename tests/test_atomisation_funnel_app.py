"""Headless tests of the atomisation-funnel app and chapter 6's bet answers."""

from __future__ import annotations

import pytest

from tools.zh_scan import english_prose, visible_strings
from widgets.apps.atomisation_funnel import build_atomisation_funnel
from widgets.apps.labels import set_language
from widgets.chapters.ch06 import (
    LOOP_COMMUNITY_OPTIONS,
    PROSUMER,
    agent_or_prosumer,
    build_agent_or_prosumer_bet,
    build_funnel_ratio_bet,
    funnel_customer_ratio,
    loop_community_answer,
    median_profits,
)
from widgets.models.atomisation_funnel import (
    BASELINE,
    MODEL_DATA,
    SELLER_PRESETS,
    compare_sellers,
    simulate_funnel,
)
from widgets.models.funnel_mechanisms import feedback_gain_by_community


def _sankey_total(app, target: str) -> float:
    sankey = app.fig_sankey.data[0]
    index = list(sankey.node.label).index(next(label for label in sankey.node.label
                                               if label.lower().startswith(target)))
    return sum(v for t, v in zip(sankey.link.target, sankey.link.value, strict=True)
               if t == index)


def test_the_two_starts_are_the_same_seller_with_the_switches_off_or_on():
    one, two = build_atomisation_funnel("1.0"), build_atomisation_funnel("2.0")
    assert one.params() == SELLER_PRESETS["1.0"].with_changes(label="")
    assert two.params() == SELLER_PRESETS["2.0"].with_changes(label="")
    # the market sliders start equal: only the mechanisms differ
    assert [c.value for c in one.market] == [c.value for c in two.market]
    assert _sankey_total(two, "agents") == 0 and _sankey_total(one, "agents") > 0


def test_stop_recruiting_switch_sends_nobody_to_agents_and_the_kpi_follows():
    app = build_atomisation_funnel("1.0")
    assert app.result.summary["agents"] > 0
    app.stop_recruiting.value = True
    assert app.result.summary["agents"] == 0
    assert _sankey_total(app, "agents") == 0
    assert f"{app.result.summary['repeat_buyers']:,.0f}" in app.kpis.value


def test_feedback_strength_moves_repeat_buyers_and_the_kpi():
    app = build_atomisation_funnel("2.0")
    before = app.result.summary["repeat_buyers"]
    app.feedback_strength.value = 0.0
    after = app.result.summary["repeat_buyers"]
    assert after < before
    assert f"{after:,.0f}" in app.kpis.value


def test_geek_share_feeds_the_loop_only():
    app = build_atomisation_funnel("2.0")
    before = app.result.summary
    app.geek_share.value = 0.6
    after = app.result.summary
    assert after["geeks"] > before["geeks"]
    assert after["repeat_buyers"] > before["repeat_buyers"]
    app.feedback_strength.value = 0.0
    flat = app.result.summary["repeat_buyers"]
    app.geek_share.value = 0.1
    assert app.result.summary["repeat_buyers"] == pytest.approx(flat)


def test_comparison_is_the_baseline_against_the_switches_on_the_same_market():
    app = build_atomisation_funnel("2.0")
    app.join_rate.value = 0.02
    baseline = simulate_funnel(app.market_params())
    assert app.market_params().feedback_strength == 0 == app.market_params().community_retention
    base_trace, switched = app.fig_compare.data
    assert list(base_trace.y) == pytest.approx(
        (baseline.people["user"] + baseline.people["fan"]).round(1).tolist())
    assert switched.y[-1] == pytest.approx(round(app.result.summary["repeat_buyers"], 1))
    # all switches off: the two lines coincide
    app.stop_recruiting.value = False
    app.community_retention.value = 0.0
    app.feedback_strength.value = 0.0
    assert list(app.fig_compare.data[1].y) == list(app.fig_compare.data[0].y)


def test_figures_follow_the_model_and_the_months_slider():
    app = build_atomisation_funnel("2.0")
    app.months.value = 12
    expected = simulate_funnel(app.params())
    data = app.fig_data.data
    assert len(data) == len(MODEL_DATA)
    assert list(data[2].y) == pytest.approx(expected.data["crowdsourced"].round(1).tolist())
    assert len(app.fig_compare.data[1].x) == 13
    for fig in (app.fig_sankey, app.fig_data, app.fig_compare):
        assert fig.layout.title.text


def test_bad_seller_is_refused():
    with pytest.raises(ValueError, match="seller"):
        build_atomisation_funnel("3.0")


def test_in_chinese_the_app_shows_no_english_prose():
    set_language("zh", remember=False)
    try:
        app = build_atomisation_funnel("2.0")
        runs = [run for text in visible_strings(app) for run in english_prose(text)]
    finally:
        set_language("both", remember=False)
    assert not runs, runs
    assert app.fig_sankey.data[0].node.label[1] == "顾客"


def test_bet_answers_come_from_the_models():
    gains = feedback_gain_by_community()
    bet = build_funnel_ratio_bet()
    assert bet.answer() == loop_community_answer()
    assert (bet.answer() == LOOP_COMMUNITY_OPTIONS[0]) == (
        gains["with_community"] > 1.05 * gains["without_community"])
    runs = compare_sellers()
    assert funnel_customer_ratio() == pytest.approx(
        runs["2.0"].summary["repeat_buyers"] / runs["1.0"].summary["repeat_buyers"])
    assert SELLER_PRESETS["1.0"] == BASELINE
    profits = median_profits()
    winner = agent_or_prosumer()
    assert build_agent_or_prosumer_bet().answer() == winner
    assert (winner == PROSUMER) == (profits["2.0"] > profits["1.0"])


def test_chapter_tables_carry_their_source():
    from widgets.chapters.ch06 import links_table, symptoms_table

    symptoms, links = symptoms_table(), links_table()
    assert "[Weishang 2.0 n.d.]" in symptoms.caption and len(symptoms.data) == 6
    assert "provenance" in links.caption and len(links.data) == 5
