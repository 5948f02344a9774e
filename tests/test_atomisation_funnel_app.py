"""Headless tests of the atomisation-funnel app and chapter 6's bet answers."""

from __future__ import annotations

import pytest

from widgets.apps.atomisation_funnel import build_atomisation_funnel
from widgets.chapters.ch06 import (
    PROSUMER,
    agent_or_prosumer,
    build_agent_or_prosumer_bet,
    build_funnel_ratio_bet,
    funnel_customer_ratio,
    median_profits,
)
from widgets.models.atomisation_funnel import SELLER_PRESETS, compare_sellers, simulate_funnel


def _sankey_total(app, target: str) -> float:
    sankey = app.fig_sankey.data[0]
    index = list(sankey.node.label).index(next(label for label in sankey.node.label
                                               if label.lower().startswith(target)))
    return sum(v for t, v in zip(sankey.link.target, sankey.link.value, strict=True)
               if t == index)


def test_switching_to_the_1_0_seller_loads_its_preset_and_sends_people_to_agents():
    app = build_atomisation_funnel("2.0")
    assert _sankey_total(app, "agents") == 0
    app.seller.value = "1.0"
    assert app.feedback_strength.value == 0
    assert app.agent_rate.value == pytest.approx(SELLER_PRESETS["1.0"].agent_recruitment[0])
    assert _sankey_total(app, "agents") > 0
    assert "Agents" in app.kpis.value or "代理" in app.kpis.value


def test_feedback_strength_moves_the_customer_line_and_the_kpi():
    app = build_atomisation_funnel("2.0")
    before = app.result.summary["customers"]
    app.feedback_strength.value = 0.0
    after = app.result.summary["customers"]
    assert after < before
    assert f"{after:,.0f}" in app.kpis.value


def test_figures_follow_the_model_and_the_months_slider():
    app = build_atomisation_funnel("2.0")
    app.months.value = 12
    expected = simulate_funnel(app.params())
    data = app.fig_data.data
    assert len(data) == 5
    assert list(data[4].y) == pytest.approx(expected.data["holographic"].round(1).tolist())
    assert len(app.fig_compare.data[1].x) == 13
    for fig in (app.fig_sankey, app.fig_data, app.fig_compare):
        assert fig.layout.title.text


def test_bad_seller_is_refused():
    with pytest.raises(ValueError, match="seller"):
        build_atomisation_funnel("3.0")


def test_bet_answers_come_from_the_models():
    runs = compare_sellers()
    no_loop = simulate_funnel(runs["2.0"].params.with_changes(feedback_strength=0.0))
    gap = no_loop.summary["customers"] - runs["1.0"].summary["customers"]
    bet = build_funnel_ratio_bet()
    assert (bet.answer() == bet.guess.options[0]) == (
        gap > 0.1 * max(no_loop.summary["customers"], runs["1.0"].summary["customers"]))
    assert funnel_customer_ratio() > 1
    profits = median_profits()
    winner = agent_or_prosumer()
    assert build_agent_or_prosumer_bet().answer() == winner
    assert (winner == PROSUMER) == (profits["2.0"] > profits["1.0"])


def test_chapter_tables_carry_their_source():
    from widgets.chapters.ch06 import links_table, symptoms_table

    symptoms, links = symptoms_table(), links_table()
    assert "[Weishang 2.0 n.d.]" in symptoms.caption and len(symptoms.data) == 6
    assert "provenance" in links.caption and len(links.data) == 5
