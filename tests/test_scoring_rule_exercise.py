"""Chapter 2's model-changing exercise: a student's scoring rule runs through the scorer."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pandas as pd
import pytest

from widgets.apps.exercise import ExerciseCheck
from widgets.apps.product_scorer import course_products
from widgets.chapters.ch02 import check_scoring_rule, mark_scoring_rule
from widgets.models.product_scorer import (
    CRITERIA,
    score_products,
    score_with_rule,
    scores_from_table,
)
from widgets.models.validation import ParameterError

CHAPTER = Path(__file__).resolve().parents[1] / "chapters" / "02_which_products.ipynb"


def test_the_average_as_a_rule_is_the_equal_weights_score() -> None:
    table = scores_from_table(course_products())
    mine = score_with_rule(table, lambda c: sum(c.values()) / len(CRITERIA))
    model = score_products(table).total
    pd.testing.assert_series_equal(mine.sort_index(), model.sort_index().rename("score"),
                                   check_names=False, rtol=1e-12)


@pytest.mark.parametrize("rule", [lambda c: 6.0, lambda c: -1.0, lambda c: "high", 3.0])
def test_bad_rules_are_refused(rule) -> None:
    with pytest.raises(ParameterError, match="rule"):
        score_with_rule(scores_from_table(course_products()), rule)


def test_checker_on_the_chapters_starter_and_solution() -> None:
    notebook = nbformat.read(CHAPTER, as_version=4)
    scope: dict = {}
    starter = next(c.source for c in notebook.cells
                   if c.cell_type == "code" and c.source.startswith("def my_rule"))
    exec(starter, scope)
    assert not mark_scoring_rule(scope["my_rule"]).correct
    solution = next(c.source for c in notebook.cells
                    if "def my_rule" in c.source and "<details>" in c.source)
    exec(solution.split("```python")[1].split("```")[0], scope)
    passed = mark_scoring_rule(scope["my_rule"])
    assert passed.correct
    table = scores_from_table(course_products())
    vetoed = int((table[list(CRITERIA)] <= 1).any(axis=1).sum())
    assert f"{vetoed} products are vetoed" in passed.message
    assert "drops six of the eleven" in solution and vetoed == 6 and len(table) == 11


def test_each_part_of_the_check_can_fail() -> None:
    def veto(c: dict) -> bool:
        return min(c.values()) <= 1

    assert "fail a criterion" in mark_scoring_rule(lambda c: sum(c.values()) / 8).message
    falls = mark_scoring_rule(lambda c: 0.0 if veto(c) else 5 - sum(c.values()) / 8)
    assert "lowers" in falls.message
    wrong_top = mark_scoring_rule(lambda c: 0.0 if veto(c) else c["value_sensitive"])
    assert not wrong_top.correct or "facial_mask" in wrong_top.message
    assert not mark_scoring_rule("average").correct
    assert "ZeroDivisionError" in mark_scoring_rule(lambda c: 1 / 0).message
    assert isinstance(check_scoring_rule(lambda c: 0.0), ExerciseCheck)
