"""Chapter 3's model-changing exercise: a student's restock rule runs through the model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.exercise_code import exercise_function
from tests.test_tier_simulator_model import _assert_identical
from widgets.apps.exercise import ExerciseCheck
from widgets.chapters.ch03 import (
    RESTOCK_COST_LIMIT,
    check_restock_rule,
    restock_costs,
    restock_rule_checker,
)
from widgets.models.tier_reference import standard_restock
from widgets.models.tier_simulator import ParameterError, TierParams, simulate_tiers

SMALL = TierParams(pool=2_000, recruit_rate=0.2)


@pytest.mark.parametrize("deterministic", [False, True])
def test_the_standard_rule_as_a_function_gives_the_same_run(deterministic: bool) -> None:
    plain = simulate_tiers(SMALL, seed=5, deterministic=deterministic)
    hooked = simulate_tiers(SMALL, seed=5, deterministic=deterministic,
                            restock_rule=standard_restock(SMALL))
    _assert_identical(plain, hooked)


def test_a_rule_changes_the_pushes_and_nothing_else() -> None:
    no_push = simulate_tiers(SMALL, seed=1, restock_rule=lambda age, stock, sold: 0)
    zero = simulate_tiers(SMALL.with_changes(restock_units=0), seed=1)
    _assert_identical(no_push, zero)


def test_the_rule_sees_the_agents_state() -> None:
    seen = []

    def spy(age: int, stock: int, sold_recently: int) -> int:
        seen.append((age, stock, sold_recently))
        return 0

    simulate_tiers(SMALL, seed=2, restock_rule=spy)
    ages, stocks, sold = (np.array(v) for v in zip(*seen, strict=True))
    assert ages.min() == 1 and (stocks >= 0).all() and (sold >= 0).all() and sold.max() > 0


@pytest.mark.parametrize("rule", [lambda a, s, r: -1, lambda a, s, r: 2.5,
                                  lambda a, s, r: True, lambda a, s, r: 10**6])
def test_bad_answers_from_a_rule_are_refused(rule) -> None:
    with pytest.raises(ParameterError, match="restock_rule"):
        simulate_tiers(SMALL, seed=0, restock_rule=rule)


def test_a_rule_must_be_a_function() -> None:
    with pytest.raises(ParameterError, match="restock_rule"):
        simulate_tiers(SMALL, seed=0, restock_rule=10)


def test_checker_passes_a_top_up_rule_and_fails_the_push_and_a_sales_follower() -> None:
    top_up = restock_rule_checker(lambda age, stock, sold: max(0, 5 - stock) if age % 4 == 0
                                  else 0)
    assert top_up.correct
    standard = restock_rule_checker(standard_restock(TierParams()))
    assert not standard.correct and "100%" in standard.message
    follow = restock_rule_checker(lambda age, stock, sold: sold if age % 4 == 0 else 0)
    assert not follow.correct
    assert not restock_rule_checker(lambda age, stock, sold: 0).correct  # pushes nothing
    assert not restock_rule_checker("10 boxes").correct


def test_checker_threshold_is_the_costs_it_reports() -> None:
    rule = lambda age, stock, sold: max(0, 5 - stock) if age % 4 == 0 else 0  # noqa: E731
    costs = restock_costs(rule)
    assert costs["boxes_pushed"] > 0
    assert costs["your_cost"] <= RESTOCK_COST_LIMIT * costs["standard_cost"]
    assert f"{costs['your_cost']:,.0f} 元" in restock_rule_checker(rule).message


def test_checker_reports_a_rule_that_raises() -> None:
    feedback = restock_rule_checker(lambda age, stock, sold: 1 // 0)
    assert not feedback.correct and "ZeroDivisionError" in feedback.message


def test_check_widget_and_the_chapter_solution_passes() -> None:
    assert isinstance(check_restock_rule(lambda a, s, r: 0), ExerciseCheck)
    chapter = Path(__file__).resolve().parents[1] / "chapters" / "03_four_stages.ipynb"
    solution = exercise_function(chapter, "my_restock", solution=True)
    assert restock_rule_checker(solution).correct  # the chapter's own solution
    starter = exercise_function(chapter, "my_restock", solution=False)
    assert not restock_rule_checker(starter).correct
