"""Chapter 4's model-changing exercise: a student's retention curve runs through the CLV model."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.exercise_code import exercise_function
from widgets.apps.exercise import ExerciseCheck
from widgets.chapters.ch04 import check_retention_rule, mark_retention_rule
from widgets.models import repeat_purchase as rp
from widgets.models.validation import ParameterError

CHAPTER = Path(__file__).resolve().parents[1] / "chapters" / "04_five_traits.ipynb"


@pytest.mark.parametrize("r", [0.0, 0.3, 0.7, 0.95])
def test_a_constant_rule_is_the_closed_form(r: float) -> None:
    assert rp.clv_with_rule(lambda k: r, margin=30, discount=0.01, horizon=24) == pytest.approx(
        float(rp.clv(r, margin=30, discount=0.01, horizon=24)), rel=1e-12)


def test_a_rising_rule_is_the_written_sum() -> None:
    def rule(k: int) -> float:
        return min(0.9, 0.5 + 0.1 * k)

    total, survival = 0.0, 1.0
    for t in range(12):
        if t:
            survival *= rule(t)
        total += survival / 1.02 ** t
    assert rp.clv_with_rule(rule, margin=10, discount=0.02, horizon=12) == pytest.approx(
        10 * total)


@pytest.mark.parametrize("rule", [lambda k: 1.0, lambda k: -0.1, lambda k: "x", 0.7])
def test_bad_rules_are_refused(rule) -> None:
    with pytest.raises(ParameterError, match="retention_rule"):
        rp.clv_with_rule(rule, margin=30)


def test_checker_on_the_chapters_starter_and_solution() -> None:
    starter = exercise_function(CHAPTER, "my_retention", solution=False)
    assert not mark_retention_rule(starter).correct
    my_retention = exercise_function(CHAPTER, "my_retention", solution=True)
    assert mark_retention_rule(my_retention).correct


def test_each_part_of_the_check_can_fail() -> None:
    assert "Month 1" in mark_retention_rule(lambda k: 0.8).message  # starts too high
    assert "Not yet" in mark_retention_rule(lambda k: 0.7 if k < 10 else 0.9).message
    assert not mark_retention_rule("0.8").correct
    assert "ZeroDivisionError" in mark_retention_rule(lambda k: 1 / 0).message
    assert isinstance(check_retention_rule(lambda k: 0.5), ExerciseCheck)
