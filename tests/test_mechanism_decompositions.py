"""Decompositions of 1.0 against 2.0, one mechanism at a time (Shapley shares).

Each decomposition must add up: the mechanisms' parts sum to the whole change, and the
end rows are fresh runs of the models, never numbers written down.
"""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets.models.atomisation_funnel import SELLER_PRESETS, simulate_funnel
from widgets.models.decomposition import decomposition_table, shapley, subsets
from widgets.models.funnel_mechanisms import (
    MECHANISMS as FUNNEL_MECHANISMS,
)
from widgets.models.funnel_mechanisms import (
    feedback_alone,
    feedback_gain_by_community,
    funnel_gap_decomposition,
    seller,
)
from widgets.models.tier_mechanisms import (
    MECHANISMS as TIER_MECHANISMS,
)
from widgets.models.tier_mechanisms import (
    bottom_tier_decomposition,
    bottom_tier_net_cash,
    switch_off,
)
from widgets.models.tier_params import TierParams
from widgets.models.validation import ParameterError

NAMES = ("a", "b", "c", "d")


@settings(max_examples=50, deadline=None)
@given(values=st.lists(st.floats(-1e6, 1e6), min_size=16, max_size=16))
def test_shapley_parts_sum_to_the_whole_change(values: list[float]) -> None:
    table = dict(zip(subsets(NAMES), values, strict=True))
    parts = shapley(table.__getitem__, NAMES)
    whole = table[frozenset(NAMES)] - table[frozenset()]
    assert sum(parts.values()) == pytest.approx(whole, abs=1e-6)


def test_shapley_of_an_additive_outcome_is_each_effect() -> None:
    effects = {"a": 3.0, "b": -5.0, "c": 0.5}
    parts = shapley(lambda s: 10 + sum(effects[m] for m in s), list(effects))
    assert parts == pytest.approx(effects)


def test_shapley_splits_an_interaction_equally() -> None:
    # only a and b together do anything: each gets half
    parts = shapley(lambda s: 8.0 if {"a", "b"} <= s else 0.0, ["a", "b", "c"])
    assert parts == pytest.approx({"a": 4.0, "b": 4.0, "c": 0.0})


def test_shapley_equals_the_average_over_orders() -> None:
    def outcome(s: frozenset[str]) -> float:
        return len(s) ** 2 + (5.0 if "a" in s and "c" in s else 0.0) - (2.0 if "b" in s else 0.0)

    orders = list(itertools.permutations(NAMES))
    average = {m: 0.0 for m in NAMES}
    for order in orders:
        on: frozenset[str] = frozenset()
        for m in order:
            average[m] += (outcome(on | {m}) - outcome(on)) / len(orders)
            on = on | {m}
    assert shapley(outcome, NAMES) == pytest.approx(average)


def test_shapley_validates_its_mechanisms() -> None:
    with pytest.raises(ParameterError, match="mechanisms"):
        shapley(lambda s: 0.0, ["a", "a"])
    with pytest.raises(ParameterError, match="mechanisms"):
        shapley(lambda s: 0.0, [])
    with pytest.raises(ParameterError, match=r"mechanisms must list 1 to 6 mechanisms"):
        shapley(lambda s: 0.0, list("abcdefg"))  # 2^7 runs: over the documented limit
    with pytest.raises(ParameterError, match=r"^mechanisms must be a list"):
        shapley(lambda s: 0.0, "ab")  # text is not a list of names


@pytest.mark.parametrize("outcome, message", [
    (None, r"^outcome must be a function"),
    (lambda s: "3", r"^outcome\(\[.*\]\) must be a number"),
    (lambda s: float("nan"), r"^outcome\(\[.*\]\) must be in"),
    (lambda s: float("inf"), r"^outcome must return a finite number"),
    (lambda s: 1 / 0, r"^outcome failed for the mechanisms \[.*ZeroDivisionError"),
])
def test_shapley_and_table_check_the_outcome(outcome, message) -> None:
    for func in (shapley, decomposition_table):
        with pytest.raises(ParameterError, match=message):
            func(outcome, ["a", "b"])


def test_decomposition_table_checks_its_labels() -> None:
    with pytest.raises(ParameterError, match=r"^labels has unknown field"):
        decomposition_table(lambda s: 0.0, ["a"], {"z": "zed"})
    with pytest.raises(ParameterError, match=r"^labels\['a'\] must be text"):
        decomposition_table(lambda s: 0.0, ["a"], {"a": 1})


def _adds_up(table, tolerance: float) -> None:
    middle = table["value"].iloc[1:-1].sum()
    whole = table["value"].iloc[-1] - table["value"].iloc[0]
    assert math.isclose(middle, whole, abs_tol=tolerance)


# ------------------------------------------------------------------ tier: bottom tier's cash


SMALL = TierParams(pool=2_000, recruit_rate=0.15)


def test_tier_decomposition_adds_up_and_its_ends_are_fresh_runs() -> None:
    table = bottom_tier_decomposition(SMALL, n_seeds=2)
    assert list(table["mechanism"]) == ["(none)", *TIER_MECHANISMS, "(all)"]
    _adds_up(table, tolerance=0.01)  # within a fen
    seeds = range(2)
    assert table["value"].iloc[-1] == pytest.approx(bottom_tier_net_cash(SMALL, seeds))
    assert table["value"].iloc[0] == pytest.approx(
        bottom_tier_net_cash(switch_off(SMALL, TIER_MECHANISMS), seeds))


def test_tier_mechanisms_push_the_bottom_tier_the_way_the_rules_say() -> None:
    parts = bottom_tier_decomposition(SMALL, n_seeds=2).set_index("mechanism")["value"]
    assert parts["entry_order"] < 0 and parts["restock_push"] < 0  # stock it must pay for
    assert parts["recruiting_pay"] >= 0  # the bonus is cash in, paid by the brand
    # the team commission goes to suppliers and the bottom tier supplies nobody
    assert parts["team_commission"] == pytest.approx(0.0, abs=0.01)
    # with every rule off an agent only buys what is ordered from them: no loss
    assert parts["(none)"] >= 0


def test_switching_off_validates_the_names() -> None:
    with pytest.raises(ParameterError, match="mechanisms"):
        switch_off(SMALL, ["free_lunch"])
    with pytest.raises(ParameterError, match=r"^params must be a TierParams"):
        bottom_tier_decomposition(params=0)  # not quietly the default parameters
    with pytest.raises(ParameterError, match=r"^seeds\[1\] must be a whole number"):
        bottom_tier_net_cash(SMALL, [0, -1])


# ------------------------------------------------------------------ funnel: 2.0's advantage


def test_funnel_decomposition_adds_up_between_the_two_sellers() -> None:
    table = funnel_gap_decomposition(months=24)
    assert list(table["mechanism"]) == ["(none)", *FUNNEL_MECHANISMS, "(all)"]
    _adds_up(table, tolerance=1e-6)
    for row, preset in ((0, "1.0"), (-1, "2.0")):
        fresh = simulate_funnel(SELLER_PRESETS[preset].with_changes(months=24))
        assert table["value"].iloc[row] == pytest.approx(fresh.summary["repeat_buyers"])


def test_feedback_part_is_what_phi_adds_averaged_over_the_other_mechanisms() -> None:
    parts = funnel_gap_decomposition(months=24).set_index("mechanism")["value"]
    alone = feedback_alone(months=24)
    assert alone["with_feedback"] > alone["without_feedback"]
    assert parts["feedback"] > 0
    # φ = 0 on both sides: the rest of the gap comes from the other mechanisms
    assert seller(set(FUNNEL_MECHANISMS) - {"feedback"}).feedback_strength == 0.0


def test_funnel_gap_comes_only_from_switched_mechanisms() -> None:
    """Presets are not arguments: with no mechanism switched on, the 2.0 seller is the 1.0
    seller, and each mechanism alone moves the outcome."""
    assert seller(set()) == seller(frozenset())
    none = simulate_funnel(seller(set())).summary["repeat_buyers"]
    for mechanism in FUNNEL_MECHANISMS:
        alone = simulate_funnel(seller({mechanism})).summary["repeat_buyers"]
        assert alone > none, mechanism
    gains = feedback_gain_by_community(months=24)
    assert gains["with_community"] > gains["without_community"] > 0


def test_seller_and_funnel_decomposition_validate_their_inputs() -> None:
    with pytest.raises(ParameterError, match=r"^switched_to_2_0 must list mechanisms among"):
        seller({"charisma"})
    with pytest.raises(ParameterError, match=r"^feedback_rule must be None or a function"):
        funnel_gap_decomposition(months=6, feedback_rule="strong")


def test_decomposition_table_calls_each_subset_once() -> None:
    calls: list[frozenset[str]] = []

    def outcome(s: frozenset[str]) -> float:
        calls.append(s)
        return float(len(s))

    decomposition_table(outcome, ["x", "y", "z"])
    assert len(calls) == len(set(calls)) == 8


# ------------------------------------------------------------------ what the chapters say


def test_chapter_6_claim_stopping_recruiting_is_the_biggest_part_and_the_loop_a_fifth() -> None:
    table = funnel_gap_decomposition(months=24).set_index("mechanism")["value"]
    share = table["feedback"] / (table["(all)"] - table["(none)"])
    assert table["recruiting"] > table["community"] > table["feedback"] > 0
    assert 0.12 <= share <= 0.28


def test_chapter_3_claim_default_year_signs_up_350_to_900_agents() -> None:
    from widgets.models.tier_simulator import simulate_tiers

    agents = [simulate_tiers(TierParams(), seed=s).summary["agents"] for s in range(10)]
    assert min(agents) >= 350 and max(agents) <= 900


@settings(max_examples=15, deadline=None)
@given(months=st.integers(1, 48))
def test_funnel_decomposition_adds_up_at_any_horizon(months: int) -> None:
    table = funnel_gap_decomposition(months=months)
    _adds_up(table, tolerance=1e-6)
    assert table["value"].iloc[0] == pytest.approx(
        simulate_funnel(SELLER_PRESETS["1.0"].with_changes(months=months))
        .summary["repeat_buyers"])
