"""Chapter 1 word-of-mouth app, driven headlessly."""

import numpy as np
import pytest

from widgets.apps.word_of_mouth import build_word_of_mouth
from widgets.chapters.ch01 import build_half_market_bet, describe_scenarios, half_market_answer
from widgets.models import bass_diffusion as bass


@pytest.fixture
def app():
    return build_word_of_mouth()


def _curve(app, name_part):
    return next(t for t in app.adoption_fig.data if name_part in t.name and t.mode == "lines")


def test_curves_follow_the_model_for_the_slider_values(app):
    app.q_wom.value = 0.4
    curve = _curve(app, "口碑")
    expected = app.market_size.value * bass.cumulative_share(np.asarray(curve.x), 0.01, 0.4)
    assert np.allclose(curve.y, expected)


def test_more_word_of_mouth_reaches_half_the_market_sooner(app):
    before = app.summaries["word_of_mouth"].time_to_half
    app.q_wom.value = 0.8
    assert app.summaries["word_of_mouth"].time_to_half < before
    assert f"{app.summaries['word_of_mouth'].time_to_half:.1f} periods" in app.kpis.value


def test_bought_traffic_bill_follows_the_price(app):
    app.cost.value = 10
    cheap = app.summaries["wholesale"].bought_cost_to_half
    app.cost.value = 40
    assert app.summaries["wholesale"].bought_cost_to_half == pytest.approx(4 * cheap)
    assert f"{app.summaries['wholesale'].bought_cost_to_half:,.0f} 元" in app.kpis.value


def test_market_size_scales_the_chart(app):
    app.market_size.value = 50_000
    assert max(_curve(app, "流量批发").y) <= 50_000
    assert max(_curve(app, "流量批发").y) > 25_000


def test_rate_chart_splits_bought_from_total(app):
    names = [t.name for t in app.rate_fig.data]
    assert sum("bought part" in n for n in names) == 2
    total = next(t for t in app.rate_fig.data if t.name.startswith("口碑") and "bought" not in
                 t.name)
    bought = next(t for t in app.rate_fig.data if t.name.startswith("口碑") and "bought" in t.name)
    assert max(bought.y) < max(total.y)


def test_every_figure_has_title_and_axis_titles(app):
    for fig in (app.adoption_fig, app.rate_fig):
        assert fig.layout.title.text and fig.layout.xaxis.title.text
        assert fig.layout.yaxis.title.text
    assert "assumption" in app.caption.value


def test_bet_answer_comes_from_the_model():
    bet = build_half_market_bet()
    winner = bass.faster_to_half(bass.SCENARIOS["wholesale"], bass.SCENARIOS["word_of_mouth"])
    assert winner.name_zh in half_market_answer()
    bet.commit(half_market_answer())
    assert bet.reveal().correct
    assert "0.06" in describe_scenarios().value
