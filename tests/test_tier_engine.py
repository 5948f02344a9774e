"""The tier simulator's vectorised engine: its building blocks against direct loops, and
its special paths (the pool running out mid-group, memory-bounded dense blocks, many
tiers) against the plain-Python reference."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets.models import tier_engine
from widgets.models.tier_engine import (
    _bottom_stock,
    _pushes,
    _ranges,
    _Tier,
    add_agents,
    people_and_demand,
)
from widgets.models.tier_params import RESTOCK_EVERY_WEEKS, TierParams
from widgets.models.tier_reference import simulate_tiers_reference
from widgets.models.tier_simulator import simulate_tiers

PROPS = settings(max_examples=40, deadline=None)


def _assert_same_run(fast, slow) -> None:
    np.testing.assert_array_equal(fast.records, slow.records)
    for name in ("agent_tier", "agent_join_week", "agent_cash_in_fen", "agent_cash_out_fen",
                 "agent_stock"):
        np.testing.assert_array_equal(getattr(fast, name), getattr(slow, name), err_msg=name)


# --------------------------------------------------------------------------- building blocks


@PROPS
@given(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 6)), max_size=12))
def test_ranges_are_concatenated_aranges(pairs: list[tuple[int, int]]) -> None:
    starts = np.array([s for s, _ in pairs], np.int64)
    lengths = np.array([n for _, n in pairs], np.int64)
    expected = [i for s, n in pairs for i in range(s, s + n)]
    assert _ranges(starts, lengths).tolist() == expected


@PROPS
@given(st.integers(1, 30), st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_pushes_count_agents_whose_age_is_a_positive_multiple_of_4(weeks: int, cols: int,
                                                                   seed: int) -> None:
    joined = np.random.default_rng(seed).integers(0, 5, (weeks, cols))
    expected = np.zeros_like(joined)
    for t in range(weeks):
        for w in range(t):
            if (t - w) % RESTOCK_EVERY_WEEKS == 0:
                expected[t] += joined[w]
    np.testing.assert_array_equal(_pushes(joined), expected)


def _stock_loop(join: np.ndarray, sales: np.ndarray, first: int, restock: int) -> tuple:
    """The weekly recursion, agent by agent: extra boxes bought, per agent and per week."""
    n, weeks = sales.shape
    extra, by_week = np.zeros(n, np.int64), np.zeros(weeks, np.int64)
    for i in range(n):
        stock = 0
        for t in range(join[i], weeks):
            age = t - join[i]
            stock += first if age == 0 else restock if age % RESTOCK_EVERY_WEEKS == 0 else 0
            short = max(sales[i, t] - stock, 0)
            stock += short - sales[i, t]
            extra[i] += short
            by_week[t] += short
    return extra, by_week


@PROPS
@given(st.integers(1, 12), st.integers(1, 16), st.integers(0, 8), st.integers(0, 5),
       st.integers(0, 2**32 - 1))
def test_bottom_stock_closed_form_matches_the_weekly_recursion(n: int, weeks: int, first: int,
                                                              restock: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    join = np.sort(rng.integers(0, weeks, n))
    runs, sales = [], np.zeros((n, weeks), np.int64)
    for t in range(weeks):  # a few overlapping runs a week over the agents who exist
        present = int(np.searchsorted(join, t, side="right"))
        for _ in range(int(rng.integers(0, 3))):
            if present:
                a = int(rng.integers(0, present))
                b = int(rng.integers(a + 1, present + 1))
                boxes = int(rng.integers(1, 6))
                runs.append((t, a, b, boxes))
                sales[a:b, t] += boxes
    columns = tuple(np.array([r[i] for r in runs], np.int64) for i in range(4))
    tier = _Tier.founders(0)
    tier.grow(join, np.zeros(n, np.int64))
    result = _bottom_stock(tier, columns, first, restock, 0, weeks)
    extra, by_week = _stock_loop(join, sales, first, restock)
    np.testing.assert_array_equal(result.sold, sales.sum(axis=1))
    np.testing.assert_array_equal(result.extra, extra)
    np.testing.assert_array_equal(result.extra_by_week, by_week)
    assert result.short_boxes.sum() == extra.sum()
    assert (result.short_boxes > 0).all()  # one event per agent-week that bought extra
    cells = result.short_agent * weeks + result.short_week
    assert len(np.unique(cells)) == len(cells)


def _tiers_after(params: TierParams, blocks: list) -> list[_Tier]:
    tiers = [_Tier.founders(params.initial_agents)] + [_Tier.founders(0)
                                                       for _ in range(params.n_tiers - 1)]
    for block in blocks:
        add_agents(tiers, block.people)
    return tiers


def test_bottom_tier_suppliers_follow_the_chain_of_recruiters() -> None:
    params = TierParams(pool=3_000, recruit_rate=0.6, weeks=30)
    tiers = _tiers_after(params, list(people_and_demand(params, None)))
    slow = simulate_tiers_reference(params)
    assert [len(t.join) for t in tiers] == [int((slow.agent_tier == k).sum()) for k in (1, 2)]
    suppliers = tiers[1].supplier
    assert suppliers.min() >= 0 and suppliers.max() < params.initial_agents
    assert sum(int(t.recruits.sum()) for t in tiers) == len(tiers[1].join)


def test_blocks_of_weeks_build_the_same_agents(monkeypatch: pytest.MonkeyPatch) -> None:
    params = TierParams(pool=3_000, recruit_rate=0.6, weeks=30)
    whole = _tiers_after(params, list(people_and_demand(params, None)))
    monkeypatch.setattr(tier_engine, "SALES_BLOCK", 50)
    blocks = list(people_and_demand(params, None))
    assert len(blocks) > 3
    assert [b.t0 for b in blocks[1:]] == [b.t1 for b in blocks[:-1]]
    for one, other in zip(whole, _tiers_after(params, blocks), strict=True):
        np.testing.assert_array_equal(one.join, other.join)
        np.testing.assert_array_equal(one.supplier, other.supplier)
        np.testing.assert_array_equal(one.recruits, other.recruits)


# --------------------------------------------------------------------------- special paths


@pytest.mark.parametrize("changes", [
    {"recruit_rate": 3.3, "pool": 27, "initial_agents": 3},  # one agent gets 1 of its 3
    {"recruit_rate": 4.4, "pool": 90, "initial_agents": 5},  # one agent gets 2 of its 4
    {"recruit_rate": 2.5, "pool": 61, "initial_agents": 7, "tier_prices": (10.0, 20.0, 30.0, 40.0),
     "first_order_units": (40, 20, 10, 5)},
    {"recruit_rate": 5.0, "pool": 13, "initial_agents": 2},
])
@pytest.mark.parametrize("mode", ["1.0", "2.0"])
def test_the_pool_running_out_mid_group_matches_the_reference(changes: dict, mode: str) -> None:
    params = TierParams(weeks=12, **changes)
    (block,) = people_and_demand(params, None)
    people = block.people
    last_week = people.seg_week == people.seg_week.max()
    if changes["pool"] in (27, 90):  # the cut leaves one agent with part of its recruits
        assert people.seg_length[-1] == 1
        assert people.seg_reps[-1] < people.seg_reps[last_week].max()
    fast = simulate_tiers(params, mode, deterministic=True)
    members = fast.records[:, :, 0].sum(axis=1)
    assert members[-1] == params.pool  # the pool did run out
    _assert_same_run(fast, simulate_tiers_reference(params, mode))


@pytest.mark.parametrize("deterministic", [True, False])
@pytest.mark.parametrize("tiers", [2, 4])
def test_blocks_of_weeks_carry_stock_over(monkeypatch: pytest.MonkeyPatch, deterministic: bool,
                                          tiers: int) -> None:
    params = TierParams.from_ladder(tiers, pool=1_500, recruit_rate=0.5, weeks=40,
                                    bottom_order=3, restock_units=4, demand_rate=120.0)
    whole = simulate_tiers(params, seed=2, deterministic=deterministic)
    monkeypatch.setattr(tier_engine, "SALES_BLOCK", 40)  # a block every week or two
    blocks = list(people_and_demand(params, None if deterministic else
                                    np.random.default_rng(2)))
    assert len(blocks) > 10
    blocked = simulate_tiers(params, seed=2, deterministic=deterministic)
    assert blocked.summary["stock_in_tiers"] > 0 and whole.summary["consumer_units"] > 0
    _assert_same_run(blocked, whole)
    if deterministic:
        _assert_same_run(blocked, simulate_tiers_reference(params))


@pytest.mark.parametrize("deterministic", [True, False])
def test_dense_blocks_give_the_same_run(monkeypatch: pytest.MonkeyPatch,
                                        deterministic: bool) -> None:
    params = TierParams.from_ladder(5, pool=1_500, recruit_rate=0.4, weeks=30)
    whole = simulate_tiers(params, seed=4, deterministic=deterministic)
    monkeypatch.setattr(tier_engine, "DENSE_BLOCK", 3 * params.weeks)  # three agents a block
    blocked = simulate_tiers(params, seed=4, deterministic=deterministic)
    assert max(np.bincount(whole.agent_tier)[1:-1]) > 3  # more than one block was needed
    _assert_same_run(blocked, whole)
    if deterministic:
        _assert_same_run(blocked, simulate_tiers_reference(params))


@pytest.mark.parametrize("mode", ["1.0", "2.0"])
def test_eight_tiers_over_a_long_run_match_the_reference(mode: str) -> None:
    params = TierParams.from_ladder(8, pool=4_000, recruit_rate=0.5, weeks=80,
                                    demand_rate=60.0, team_commission=0.07)
    fast = simulate_tiers(params, mode, deterministic=True)
    assert (np.bincount(fast.agent_tier)[1:] > 0).all()  # every tier has agents
    _assert_same_run(fast, simulate_tiers_reference(params, mode))
