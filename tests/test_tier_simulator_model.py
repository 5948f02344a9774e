"""Tier simulator model: validation, conservation, 1.0 vs 2.0, and fast == reference."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets import load_dataset
from widgets.models.tier_reference import simulate_tiers_reference
from widgets.models.tier_simulator import (
    MODES,
    PARAM_SOURCES,
    RECORD_FIELDS,
    ParameterError,
    TierParams,
    art7_passes,
    compare_modes,
    params_table,
    simulate_tiers,
)

SMALL = TierParams(pool=600, weeks=26)


@st.composite
def tier_params(draw: st.DrawFn) -> TierParams:
    n_tiers = draw(st.integers(2, 8))
    top = draw(st.integers(500, 4000))  # fen
    steps = draw(st.lists(st.integers(1, 800), min_size=n_tiers, max_size=n_tiers))
    ladder = np.cumsum([top, *steps]) / 100.0
    pool = draw(st.integers(5, 400))
    return TierParams(
        tier_prices=tuple(float(p) for p in ladder[:-1]),
        first_order_units=tuple(draw(st.lists(st.integers(0, 60), min_size=n_tiers,
                                              max_size=n_tiers))),
        retail_price=float(ladder[-1]),
        recruit_bonus=draw(st.floats(0, 1)),
        team_commission=draw(st.floats(0, 1)),
        restock_units=draw(st.integers(0, 30)),
        recruit_rate=draw(st.floats(0, 5)),
        pool=pool,
        initial_agents=draw(st.integers(1, min(pool, 20))),
        demand_rate=draw(st.floats(0, 300)),
        sales_commission=draw(st.floats(0, 1)),
        weeks=draw(st.integers(1, 20)),
    )


# ------------------------------------------------------------------ defaults and validation


def test_defaults_are_the_reported_case() -> None:
    case = load_dataset("price_ladder_case").set_index("quantity_id")["value"]
    params = TierParams()
    assert params.n_tiers == 2
    assert params.tier_prices[1] == case["entry_payment"] / case["entry_min_boxes"]
    assert params.tier_prices[0] == pytest.approx(case["upper_payment"] / case["upper_boxes"],
                                                  abs=0.01)
    assert params.first_order_units == (case["upper_boxes"], case["entry_min_boxes"])
    assert params.retail_price == case["retail_price"]
    assert params.recruit_bonus == case["recruit_bonus"] / 100


def test_from_ladder_defaults_equal_the_case_and_interpolate() -> None:
    assert TierParams.from_ladder() == TierParams()
    four = TierParams.from_ladder(4, 30.0, 60.0, 200, 25)
    assert four.tier_prices == (30.0, 40.0, 50.0, 60.0)
    assert four.first_order_units[0] == 200 and four.first_order_units[-1] == 25
    assert list(four.first_order_units) == sorted(four.first_order_units, reverse=True)


@pytest.mark.parametrize(("changes", "name"), [
    ({"tier_prices": (40.0,), "first_order_units": (50,)}, "n_tiers"),
    ({"tier_prices": tuple(range(10, 19)), "first_order_units": (1,) * 9}, "n_tiers"),
    ({"tier_prices": (40.0, 33.33)}, "prices must rise"),
    ({"tier_prices": (33.33, 33.33)}, "prices must rise"),
    ({"retail_price": 40.0}, "retail_price"),
    ({"recruit_rate": -0.1}, "recruit_rate"),
    ({"demand_rate": -1.0}, "demand_rate"),
    ({"recruit_bonus": 1.5}, "recruit_bonus"),
    ({"pool": 5, "initial_agents": 10}, "pool"),
    ({"first_order_units": (150,)}, "first_order_units"),
    ({"first_order_units": (150, -1)}, "first_order_units[1]"),
    ({"weeks": 0}, "weeks"),
])
def test_bad_parameters_give_a_clear_error(changes: dict, name: str) -> None:
    with pytest.raises(ParameterError, match=name.replace("[", r"\[").replace("]", r"\]")):
        TierParams().with_changes(**changes)


def test_from_ladder_checks_the_tier_count_and_modes_are_checked() -> None:
    with pytest.raises(ParameterError, match=r"n_tiers must be a whole number in \[2, 8\]"):
        TierParams.from_ladder(9)
    with pytest.raises(ParameterError, match="mode"):
        simulate_tiers(SMALL, mode="3.0")


# --------------------------------------------------------------------------- conservation


def _check_conservation(result) -> None:
    s = result.summary
    # boxes: shipped by the brand = bought by consumers + held in the tiers
    assert s["units_shipped"] == s["consumer_units"] + s["stock_in_tiers"]
    assert int(result.agent_stock.sum()) == s["stock_in_tiers"]
    # money (fen, exact): what every party paid equals what every party received
    fen = result.records.sum(axis=(0, 1))
    f = {name: int(fen[i]) for i, name in enumerate(RECORD_FIELDS)}
    consumer_spend = round(s["consumer_spend"] * 100)
    brand_revenue = round(s["brand_revenue"] * 100)
    payouts = f["bonus_income"] + f["commission_income"]
    paid = consumer_spend + int(result.agent_cash_out_fen.sum()) + payouts
    received = int(result.agent_cash_in_fen.sum()) + brand_revenue
    assert paid == received
    assert int(result.agent_cash_in_fen.sum()) == (f["retail_revenue"] + f["downline_revenue"]
                                                   + payouts)
    assert int(result.agent_cash_out_fen.sum()) == f["purchases"]
    net = (result.agent_cash_in_fen - result.agent_cash_out_fen).sum()
    assert int(net) + brand_revenue - payouts - consumer_spend == 0
    # the per-tier table adds up to the per-agent arrays
    last = result.tiers[result.tiers["week"] == result.params.weeks - 1]
    assert int(last["members"].sum()) == s["agents"] == len(result.agent_profit)
    assert int(last["unsold_stock"].sum()) == s["stock_in_tiers"]
    assert result.tiers["units_sold_consumers"].sum() == s["consumer_units"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("deterministic", [True, False])
def test_default_run_conserves_stock_and_money(mode: str, deterministic: bool) -> None:
    _check_conservation(simulate_tiers(TierParams(), mode, seed=3, deterministic=deterministic))


@settings(max_examples=40, deadline=None)
@given(params=tier_params(), mode=st.sampled_from(MODES), seed=st.integers(0, 1000),
       deterministic=st.booleans())
def test_conservation_holds_for_any_parameters(params: TierParams, mode: str, seed: int,
                                               deterministic: bool) -> None:
    result = simulate_tiers(params, mode, seed=seed, deterministic=deterministic)
    _check_conservation(result)
    assert result.summary["agents"] <= params.pool
    assert (result.agent_stock >= 0).all()
    if result.summary["consumer_units"]:
        assert result.summary["fake_performance_ratio"] >= 1.0


# --------------------------------------------------------------------------- fast == reference


def _assert_identical(fast, slow) -> None:
    np.testing.assert_array_equal(fast.records, slow.records)
    for name in ("agent_tier", "agent_join_week", "agent_cash_in_fen", "agent_cash_out_fen",
                 "agent_stock"):
        np.testing.assert_array_equal(getattr(fast, name), getattr(slow, name), err_msg=name)
    for key, value in fast.summary.items():
        other = slow.summary[key]
        if isinstance(value, float) and math.isnan(value):
            assert math.isnan(other), key
        else:
            assert value == other, key


@pytest.mark.parametrize("mode", MODES)
def test_fast_matches_reference_at_the_defaults(mode: str) -> None:
    params = TierParams(pool=2_000)
    _assert_identical(simulate_tiers(params, mode, deterministic=True),
                      simulate_tiers_reference(params, mode))


@settings(max_examples=40, deadline=None)
@given(params=tier_params(), mode=st.sampled_from(MODES))
def test_fast_matches_reference_exactly(params: TierParams, mode: str) -> None:
    _assert_identical(simulate_tiers(params, mode, deterministic=True),
                      simulate_tiers_reference(params, mode))


# --------------------------------------------------------------------------- behaviour


def test_same_seed_same_run_and_seeds_differ() -> None:
    a, b = simulate_tiers(SMALL, seed=1), simulate_tiers(SMALL, seed=1)
    np.testing.assert_array_equal(a.records, b.records)
    c = simulate_tiers(SMALL, seed=2)
    assert not np.array_equal(a.records, c.records)


def test_pool_saturates_and_no_recruiting_keeps_the_founders() -> None:
    crowded = simulate_tiers(SMALL.with_changes(recruit_rate=2.0), deterministic=True)
    members = crowded.tiers.groupby("week")["members"].sum()
    assert members.iloc[-1] == SMALL.pool
    assert (members.diff().dropna() >= 0).all()
    alone = simulate_tiers(SMALL.with_changes(recruit_rate=0.0))
    assert alone.summary["agents"] == SMALL.initial_agents


def test_restock_push_piles_stock_up_in_the_bottom_tier() -> None:
    def bottom_stock(units: int) -> int:
        run = simulate_tiers(SMALL.with_changes(restock_units=units), deterministic=True)
        return run.tiers.query("tier == 2")["unsold_stock"].iloc[-1]
    assert bottom_stock(20) > bottom_stock(0)


def test_compare_modes_uses_the_same_people_and_demand() -> None:
    both = compare_modes(SMALL, seed=5)
    one, two = both["1.0"], both["2.0"]
    np.testing.assert_array_equal(one.agent_tier, two.agent_tier)
    np.testing.assert_array_equal(one.agent_join_week, two.agent_join_week)
    assert one.summary["consumer_units"] == two.summary["consumer_units"] > 0
    assert set(both["kpis"].columns) == set(MODES)
    s2 = two.summary
    assert s2["stock_in_tiers"] == 0 and s2["fake_performance_ratio"] == 1.0
    assert s2["outside_revenue_share"] == 1.0 and s2["share_losing_money"] == 0.0
    assert not any(flag["triggered"] for flag in s2["legal_flags"])
    assert one.summary["share_losing_money"] > s2["share_losing_money"]


def test_legal_flags_follow_the_pay_plan() -> None:
    flags = {f["key"]: f for f in simulate_tiers(SMALL).summary["legal_flags"]}
    assert set(flags) == {"pay_per_recruit", "entry_fee", "team_commission", "vemma"}
    assert all(f["triggered"] and f["reason"] and f["law"] for f in flags.values())
    assert "30%" in flags["pay_per_recruit"]["reason"]
    assert not art7_passes(SMALL)
    clean = SMALL.with_changes(recruit_bonus=0.0, team_commission=0.0,
                               first_order_units=(0, 0))
    assert art7_passes(clean)
    clean_flags = {f["key"]: f["triggered"] for f in simulate_tiers(clean).summary["legal_flags"]}
    assert clean_flags == {"pay_per_recruit": False, "entry_fee": False,
                           "team_commission": False, "vemma": clean_flags["vemma"]}
    for key, change in [("pay_per_recruit", {"recruit_bonus": 0.1}),
                        ("team_commission", {"team_commission": 0.1}),
                        ("entry_fee", {"first_order_units": (0, 1)})]:
        again = {f["key"]: f["triggered"]
                 for f in simulate_tiers(clean.with_changes(**change)).summary["legal_flags"]}
        assert again[key], key


def test_vemma_flag_follows_the_outside_revenue_share() -> None:
    for params in (SMALL, SMALL.with_changes(restock_units=0, first_order_units=(0, 0),
                                             demand_rate=400.0)):
        summary = simulate_tiers(params).summary
        vemma = next(f for f in summary["legal_flags"] if f["key"] == "vemma")
        assert vemma["triggered"] == (summary["outside_revenue_share"] <= 0.5)


def test_most_bottom_tier_agents_lose_money_in_1_0_by_default() -> None:
    summary = simulate_tiers(TierParams(), deterministic=True).summary
    assert summary["share_losing_money_bottom"] > 0.5
    assert summary["share_losing_by_tier"][0] < summary["share_losing_money_bottom"]
    assert summary["fake_performance_ratio"] > 1.0


@pytest.mark.parametrize("mode", MODES)
def test_money_flows_balance_per_party_and_run_one_way(mode: str) -> None:
    result = simulate_tiers(SMALL, mode)
    flows = result.money_flows
    pairs = set(zip(flows["source"], flows["target"], strict=True))
    assert not any((b, a) in pairs for a, b in pairs)  # no cycles in the Sankey
    assert (flows["amount"] > 0).all()
    brand_in = flows.loc[flows["target"].str.startswith("Brand"), "amount"].sum()
    assert brand_in == pytest.approx(result.summary["brand_revenue"])
    total_out = result.agent_cash_out_fen.sum() / 100
    agents_pay = flows.loc[flows["kind"].str.startswith("stock"), "amount"].sum()
    assert agents_pay == pytest.approx(total_out)


def test_every_parameter_has_a_source_or_says_assumption() -> None:
    fields = set(TierParams.__dataclass_fields__)
    assert set(PARAM_SOURCES) == fields
    for name, source in PARAM_SOURCES.items():
        assert "REFERENCES.md" in source or "assumption" in source, name
    table = params_table()
    assert list(table["parameter"]) == list(PARAM_SOURCES)
