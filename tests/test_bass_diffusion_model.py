"""Bass diffusion model: closed forms agree with each other and with the ODE."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets.models import bass_diffusion as bass
from widgets.models.validation import ParameterError

ps = st.floats(min_value=0.001, max_value=0.3)
qs = st.floats(min_value=0.0, max_value=1.0)


@settings(max_examples=50, deadline=None)
@given(p=ps, q=qs)
def test_cumulative_share_rises_monotonically_from_zero_towards_one(p, q):
    # by this time e^{-(p+q)t} < e^{-10} / (1 + q/p), so F > 0.99
    t = np.linspace(0.0, (np.log1p(q / p) + 10.0) / (p + q), 2001)
    share = bass.cumulative_share(t, p, q)
    assert share[0] == pytest.approx(0.0, abs=1e-12)
    assert np.all(np.diff(share) >= -1e-12)
    assert np.all((share >= 0.0) & (share <= 1.0 + 1e-12))
    assert share[-1] > 0.99


@settings(max_examples=40, deadline=None)
@given(p=ps, q=qs, s=st.floats(min_value=0.01, max_value=0.99))
def test_time_to_share_inverts_the_cumulative_share(p, q, s):
    t = bass.time_to_share(s, p, q)
    assert bass.cumulative_share(t, p, q)[()] == pytest.approx(s, rel=1e-9, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(p=ps, q=qs)
def test_channels_add_up_and_bought_share_is_at_least_p_over_p_plus_q(p, q):
    t = np.linspace(0.0, 100.0, 201)
    external = bass.external_share(t, p, q)
    total = bass.cumulative_share(t, p, q)
    assert np.all(external <= total + 1e-12)
    assert np.all(np.diff(external) >= -1e-12)
    # the external hazard share p/(p+qF) never drops below p/(p+q)
    assert external[-1] >= total[-1] * p / (p + q) - 1e-9


def test_rate_is_the_derivative_of_the_share():
    t = np.linspace(0.0, 30.0, 30001)
    numeric = np.gradient(bass.cumulative_share(t, 0.02, 0.4), t)
    assert np.allclose(numeric[1:-1], bass.adoption_rate(t, 0.02, 0.4)[1:-1], atol=1e-6)


def test_external_share_matches_numerical_integral_of_p_times_non_adopters():
    t = np.linspace(0.0, 25.0, 250001)
    share = bass.cumulative_share(t, 0.03, 0.35)
    numeric = np.trapezoid(0.03 * (1.0 - share), t)
    assert bass.external_share(25.0, 0.03, 0.35)[()] == pytest.approx(numeric, rel=1e-6)


def test_with_no_word_of_mouth_every_adopter_is_bought():
    t = np.array([1.0, 5.0, 20.0])
    assert np.allclose(bass.external_share(t, 0.05, 0.0), bass.cumulative_share(t, 0.05, 0.0))


@settings(max_examples=40, deadline=None)
@given(p=ps, q=qs)
def test_peak_time_is_where_the_rate_is_highest(p, q):
    peak = bass.peak_time(p, q)
    t = np.linspace(0.0, 4 * peak + 10.0, 20001)
    rates = bass.adoption_rate(t, p, q)
    assert bass.adoption_rate(peak, p, q)[()] >= rates.max() - 1e-12


def test_peak_is_at_zero_when_external_influence_dominates():
    assert bass.peak_time(0.06, 0.05) == 0.0
    assert bass.peak_time(0.01, 0.5) > 0.0


def test_adoption_table_columns_add_up_and_scale_with_market():
    small = bass.adoption_table(0.01, 0.4, market_size=1000, periods=10)
    big = bass.adoption_table(0.01, 0.4, market_size=2000, periods=10)
    assert np.allclose(small.from_bought_traffic + small.from_word_of_mouth, small.cumulative)
    assert np.allclose(big.cumulative, 2 * small.cumulative)
    assert small.t.iloc[-1] == 10.0


def test_summary_cost_scales_with_price_and_word_of_mouth_needs_less_bought_traffic():
    cheap = bass.summarise(0.01, 0.5, cost_per_bought_adopter=10.0)
    dear = bass.summarise(0.01, 0.5, cost_per_bought_adopter=20.0)
    assert dear.bought_cost_to_half == pytest.approx(2 * cheap.bought_cost_to_half)
    wholesale = bass.summarise(0.06, 0.05)
    assert wholesale.bought_share_at_half > cheap.bought_share_at_half


def test_faster_to_half_agrees_with_time_to_share():
    a, b = bass.SCENARIOS["wholesale"], bass.SCENARIOS["word_of_mouth"]
    winner = bass.faster_to_half(a, b)
    loser = b if winner is a else a
    assert (bass.time_to_share(0.5, winner.p, winner.q)
            <= bass.time_to_share(0.5, loser.p, loser.q))


def test_word_of_mouth_scenario_sits_in_the_cited_ranges():
    wom = bass.SCENARIOS["word_of_mouth"]
    assert bass.P_CITED[0] <= wom.p <= bass.P_CITED[1]
    assert bass.Q_CITED[0] <= wom.q <= bass.Q_CITED[1]


@pytest.mark.parametrize(("kwargs", "name"), [
    ({"p": 0.0, "q": 0.3}, "p"), ({"p": -0.1, "q": 0.3}, "p"), ({"p": 0.02, "q": -1}, "q"),
    ({"p": 0.02, "q": 3.0}, "q"), ({"p": float("nan"), "q": 0.3}, "p"),
])
def test_bad_coefficients_raise_naming_the_parameter(kwargs, name):
    with pytest.raises(ParameterError, match=rf"^{name} must be in"):
        bass.cumulative_share([1.0], **kwargs)


def test_bad_inputs_raise():
    with pytest.raises(ParameterError, match="share"):
        bass.time_to_share(1.0, 0.02, 0.4)
    with pytest.raises(ParameterError, match="t entries"):
        bass.cumulative_share([-1.0], 0.02, 0.4)
    with pytest.raises(ParameterError, match="cost_per_bought_adopter"):
        bass.summarise(0.02, 0.4, cost_per_bought_adopter=-5)
    with pytest.raises(ParameterError, match="market_size"):
        bass.adoption_table(0.02, 0.4, market_size=0)
