"""The tier simulator's two modes say what they are.

- Random mode (the one the apps run): the engine equals the plain-Python loop draw for draw.
- The floored-counter reference mode is *not* an expected value: the tests below show that
  it can sit far from the random mode's mean, so nothing may present it as one.
- The default parameters are plausible: a year does not sign up the whole reachable pool.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_tier_simulator_model import _assert_identical, tier_params
from widgets.models.tier_reference import simulate_tiers_reference
from widgets.models.tier_simulator import MODES, ParameterError, TierParams, simulate_tiers


@pytest.mark.parametrize("mode", MODES)
def test_engine_equals_the_loop_in_random_mode_at_the_defaults(mode: str) -> None:
    params = TierParams(pool=3_000, recruit_rate=0.3)
    for seed in (0, 7):
        _assert_identical(simulate_tiers(params, mode, seed=seed),
                          simulate_tiers_reference(params, mode, seed=seed))


@settings(max_examples=30, deadline=None)
@given(params=tier_params(), mode=st.sampled_from(MODES), seed=st.integers(0, 2**32))
def test_engine_equals_the_loop_in_random_mode(params: TierParams, mode: str, seed: int) -> None:
    _assert_identical(simulate_tiers(params, mode, seed=seed),
                      simulate_tiers_reference(params, mode, seed=seed))


def test_the_loop_validates_its_seed() -> None:
    with pytest.raises(ParameterError, match="seed"):
        simulate_tiers_reference(TierParams(pool=100), seed=-1)


def test_floored_counter_mode_is_not_the_random_mean() -> None:
    """The knife edge of the floored counter: its agent count can miss the random mean by
    far more than the spread over seeds, so it is a reference, not an expectation."""
    params = TierParams(recruit_rate=0.25, pool=100_000, weeks=40)
    random_agents = [simulate_tiers(params, seed=s).summary["agents"] for s in range(8)]
    floored = simulate_tiers(params, deterministic=True).summary["agents"]
    mean, sd = float(np.mean(random_agents)), float(np.std(random_agents, ddof=1))
    assert abs(floored - mean) > 3 * sd / np.sqrt(len(random_agents))
    assert abs(floored - mean) / mean > 0.2


def test_floored_counter_jumps_at_a_knife_edge() -> None:
    """A tiny change in the recruit rate across 1/4 moves the floored count a lot, and a
    higher rate can even give fewer agents."""
    def agents(rate: float, pool: int) -> int:
        params = TierParams(recruit_rate=rate, pool=pool)
        return simulate_tiers(params, deterministic=True).summary["agents"]

    at, above = agents(0.25, 1_000_000), agents(0.2501, 1_000_000)
    assert (above - at) / at > 0.3
    assert agents(0.334, 10_000) < agents(0.333, 10_000)


def test_default_year_does_not_sign_up_the_whole_pool() -> None:
    """Plausible defaults: in random runs, most reachable people never become agents."""
    params = TierParams()
    shares = [simulate_tiers(params, seed=s).summary["agents"] / params.pool for s in range(10)]
    assert max(shares) < 0.25
    assert min(shares) > params.initial_agents / params.pool  # recruiting does happen
