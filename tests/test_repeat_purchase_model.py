"""Repeat-purchase model: CLV under retention and the deep-vs-new comparison."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets.models import repeat_purchase as rp
from widgets.models.validation import ParameterError

retention = st.floats(min_value=0.0, max_value=0.98)
margin = st.floats(min_value=0.1, max_value=1000.0)
discount = st.floats(min_value=0.0, max_value=0.2)


@settings(max_examples=50, deadline=None)
@given(r=retention, dr=st.floats(min_value=0.001, max_value=0.01), m=margin, d=discount)
def test_clv_rises_with_retention(r, dr, m, d):
    assert rp.clv(r + dr, margin=m, discount=d) > rp.clv(r, margin=m, discount=d)
    assert rp.clv(r + dr, margin=m, discount=d, horizon=12) > rp.clv(r, margin=m, discount=d,
                                                                        horizon=12)


@settings(max_examples=40, deadline=None)
@given(r=retention, m=margin, d=discount, horizon=st.integers(min_value=1, max_value=120))
def test_finite_horizon_is_below_the_endless_value_and_at_least_one_margin(r, m, d, horizon):
    finite = rp.clv(r, margin=m, discount=d, horizon=horizon)[()]
    assert m - 1e-9 <= finite <= rp.clv(r, margin=m, discount=d)[()] + 1e-9


def test_clv_matches_the_sum_it_stands_for_and_gupta_lehmann():
    r, m, d, horizon = 0.7, 30.0, 0.01, 36
    direct = sum(m * r**t / (1 + d) ** t for t in range(horizon))
    assert rp.clv(r, margin=m, discount=d, horizon=horizon)[()] == pytest.approx(direct)
    # Gupta & Lehmann's m·r/(1+d−r) counts from the second period: add the first margin
    assert rp.clv(r, margin=m, discount=d)[()] == pytest.approx(m + m * r / (1 + d - r))


def test_zero_retention_means_one_purchase():
    assert rp.clv(0.0, margin=42.0, discount=0.05)[()] == pytest.approx(42.0)


def test_base_value_equals_a_brute_force_cohort_sum():
    n, r, m, d, horizon = 7.0, 0.65, 20.0, 0.02, 10
    brute = sum(n * m * r ** (t - s) / (1 + d) ** t
                for s in range(horizon) for t in range(s, horizon))
    assert rp.base_value(n, r, margin=m, discount=d, horizon=horizon)[()] == pytest.approx(brute)


def test_active_customers_approach_the_steady_state():
    active = rp.active_customers(100, 0.8, 200)
    assert active[0] == pytest.approx(100)
    assert active[-1] == pytest.approx(100 / (1 - 0.8))
    assert np.all(np.diff(active) >= 0)
    assert np.all(np.diff(active[:20]) > 0)


@settings(max_examples=30, deadline=None)
@given(r=st.floats(min_value=0.0, max_value=0.85))
def test_compare_levers_is_consistent_with_base_value(r):
    result = rp.compare_levers(new_per_period=50, retention=r, margin=30.0)
    assert result.more_retention > result.baseline
    assert result.more_new == pytest.approx(1.5 * result.baseline)
    assert result.retention_wins == (result.more_retention > result.more_new)


def test_retention_wins_only_above_the_break_even():
    cut = rp.break_even_retention(horizon=24)
    assert 0.0 < cut < 0.98
    below = rp.compare_levers(new_per_period=100, retention=cut - 0.05, margin=30.0)
    above = rp.compare_levers(new_per_period=100, retention=min(cut + 0.05, 0.89), margin=30.0)
    assert not below.retention_wins
    assert above.retention_wins


def test_longer_horizons_favour_retention():
    assert rp.break_even_retention(horizon=60) < rp.break_even_retention(horizon=24)
    # over a single period retention cannot pay off at all
    assert np.isnan(rp.break_even_retention(horizon=1))


@pytest.mark.parametrize(("call", "name"), [
    (lambda: rp.clv(1.0, margin=10), "retention"),
    (lambda: rp.clv(0.5, margin=-1), "margin"),
    (lambda: rp.clv(0.5, margin=10, discount=2), "discount"),
    (lambda: rp.clv(0.5, margin=10, horizon=0), "horizon"),
    (lambda: rp.base_value(-1, 0.5, margin=10), "new_per_period"),
    (lambda: rp.compare_levers(new_per_period=1, retention=0.5, margin=10,
                               retention_gain=-0.1), "retention_gain"),
])
def test_bad_parameters_raise_naming_them(call, name):
    with pytest.raises(ParameterError, match=name):
        call()


def test_acquisition_cost_is_a_discounted_sum():
    cost = rp.acquisition_cost(50, 20.0, discount=0.01, horizon=12)
    assert cost == pytest.approx(sum(50 * 20.0 / 1.01**s for s in range(12)))
    assert rp.acquisition_cost(50, 20.0, discount=0.0, horizon=12) == pytest.approx(12_000)
    with pytest.raises(ParameterError, match="cost_per_new"):
        rp.acquisition_cost(1, -1.0)
