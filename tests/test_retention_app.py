"""Chapter 4 deep-vs-new (retention) app."""

import pytest

from widgets.apps.retention import DEFAULTS, build_retention
from widgets.chapters.ch04 import build_retention_bet, retention_bet_answer, retention_break_even
from widgets.models import repeat_purchase as rp


@pytest.fixture
def app():
    return build_retention()


def test_bars_match_the_model(app):
    bars = app.levers_fig.data[0]
    result = rp.compare_levers(**app.settings())
    assert list(bars.y[:3]) == pytest.approx([result.baseline, result.more_retention,
                                              result.more_new])


def test_higher_retention_makes_the_retention_lever_win(app):
    app.retention.value = 0.6
    assert not app.result.retention_wins
    app.retention.value = 0.88
    assert app.result.retention_wins
    assert "deeper ties" in app.kpis.value


def test_cost_per_new_customer_lowers_the_net_gain(app):
    app.cac.value = 0
    free = app.net_new
    app.cac.value = 100
    assert app.net_new < free
    assert app.levers_fig.data[0].y[3] == pytest.approx(app.result.baseline + app.net_new)


def test_clv_curve_rises_and_marks_sit_on_it(app):
    curve, marks = app.clv_fig.data
    assert all(b >= a for a, b in zip(curve.y, curve.y[1:], strict=False))
    expected = rp.clv(list(marks.x), margin=app.margin.value, discount=app.discount.value,
                      horizon=app.horizon.value)
    assert list(marks.y) == pytest.approx(list(expected))


def test_figures_are_labelled(app):
    for fig in (app.levers_fig, app.clv_fig):
        assert fig.layout.title.text and fig.layout.yaxis.title.text
    assert app.clv_fig.layout.xaxis.title.text
    assert "assumptions" in app.caption.value


def test_bet_answer_matches_the_model_and_the_break_even():
    answer = retention_bet_answer()
    wins = DEFAULTS["retention"] >= retention_break_even()
    assert ("retention" in answer) == wins
    bet = build_retention_bet()
    bet.commit(answer)
    assert bet.reveal().correct


def test_unknown_setting_is_refused():
    with pytest.raises(TypeError, match="unknown setting"):
        build_retention(churn=0.3)
