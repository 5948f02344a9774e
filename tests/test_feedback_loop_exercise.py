"""Chapter 6's model-changing exercise: a student's co-creation loop runs through the funnel."""

from __future__ import annotations

import math
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from widgets.apps.exercise import ExerciseCheck
from widgets.chapters.ch06 import check_feedback_rule, feedback_rule_report, mark_feedback_rule
from widgets.models.atomisation_funnel import SELLER_PRESETS, simulate_funnel, standard_feedback
from widgets.models.funnel_mechanisms import funnel_gap_decomposition
from widgets.models.validation import ParameterError

CHAPTER = Path(__file__).resolve().parents[1] / "chapters" / "06_weishang_2_0.ipynb"


@pytest.mark.parametrize("preset", list(SELLER_PRESETS))
def test_the_standard_loop_as_a_function_gives_the_same_run(preset: str) -> None:
    params = SELLER_PRESETS[preset]
    plain = simulate_funnel(params)
    hooked = simulate_funnel(params, feedback_rule=standard_feedback(params))
    pd.testing.assert_frame_equal(plain.people, hooked.people, rtol=1e-12)
    pd.testing.assert_series_equal(plain.multiplier, hooked.multiplier, rtol=1e-12)


def test_no_loop_is_phi_zero() -> None:
    params = SELLER_PRESETS["2.0"]
    none = simulate_funnel(params, feedback_rule=lambda x: 1.0)
    zero = simulate_funnel(params.with_changes(feedback_strength=0.0))
    pd.testing.assert_frame_equal(none.people, zero.people)


@pytest.mark.parametrize("rule", [lambda x: 0.5, lambda x: 12.0, lambda x: "big",
                                  lambda x: float("nan")])
def test_bad_multipliers_are_refused(rule) -> None:
    with pytest.raises(ParameterError, match="feedback_rule"):
        simulate_funnel(SELLER_PRESETS["2.0"], feedback_rule=rule)


def test_a_rule_must_be_a_function() -> None:
    with pytest.raises(ParameterError, match="feedback_rule"):
        simulate_funnel(SELLER_PRESETS["2.0"], feedback_rule=2.0)


def test_decomposition_with_a_loop_still_adds_up() -> None:
    table = funnel_gap_decomposition(feedback_rule=lambda x: 1.0 + 0.5 * (x > 0.5))
    middle = table["value"].iloc[1:-1].sum()
    assert middle == pytest.approx(table["value"].iloc[-1] - table["value"].iloc[0])
    late = feedback_rule_report(lambda x: 1.0 + 0.5 * (x > 0.5))
    standard = feedback_rule_report(standard_feedback(SELLER_PRESETS["2.0"]))
    # a loop that starts late (after 0.5 records per person) adds far less than the standard
    assert 0 < late["feedback_share"] < 0.5 * standard["feedback_share"]


def test_checker_passes_the_solution_and_fails_the_starter_and_bad_loops() -> None:
    notebook = nbformat.read(CHAPTER, as_version=4)
    scope: dict = {"math": math}
    starter = next(c.source for c in notebook.cells
                   if c.cell_type == "code" and "def my_loop" in c.source)
    exec(starter, scope)
    assert not mark_feedback_rule(scope["my_loop"]).correct
    solution = next(c.source for c in notebook.cells
                    if "def my_loop" in c.source and "<details>" in c.source)
    exec(solution.split("```python")[1].split("```")[0], scope)
    passed = mark_feedback_rule(scope["my_loop"])
    parts = funnel_gap_decomposition().set_index("mechanism")["value"]
    share = parts["feedback"] / (parts["(all)"] - parts["(none)"])
    assert passed.correct and f"{share:.0%}" in passed.message  # the solution is the model's loop
    assert not mark_feedback_rule(lambda x: 2.0).correct  # uplift without data
    assert not mark_feedback_rule(lambda x: 1 + x - 0.1 * x * x if x < 5 else 1).correct
    assert not mark_feedback_rule("loop").correct
    raised = mark_feedback_rule(lambda x: 1 / 0)
    assert not raised.correct and "ZeroDivisionError" in raised.message
    assert isinstance(check_feedback_rule(lambda x: 1.0), ExerciseCheck)
