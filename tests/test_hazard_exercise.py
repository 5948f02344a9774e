"""Chapter 1's model-changing exercise: a student's adoption hazard runs through the model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.exercise_code import exercise_function
from widgets.apps.exercise import ExerciseCheck
from widgets.chapters.ch01 import HALF_WITHIN, check_hazard, mark_hazard
from widgets.models import bass_diffusion as bass
from widgets.models.validation import ParameterError

CHAPTER = Path(__file__).resolve().parents[1] / "chapters" / "01_everyone_sells.ipynb"


def test_discrete_run_is_the_written_recurrence() -> None:
    shares = bass.simulate_adoption(bass.bass_hazard(0.02, 0.4), periods=30)
    f = 0.0
    for t in range(30):
        f = f + min(1.0, 0.02 + 0.4 * f) * (1 - f)
        assert shares[t + 1] == pytest.approx(f, rel=1e-12)


def test_small_steps_approach_the_closed_form() -> None:
    """With small p and q a period is a small step, so Euler's run is near Bass's F(t)."""
    p, q = 0.002, 0.04
    shares = bass.simulate_adoption(bass.bass_hazard(p, q), periods=200)
    exact = bass.cumulative_share(np.arange(201), p, q)
    assert np.max(np.abs(shares - exact)) < 0.02


@pytest.mark.parametrize("hazard", [lambda f: -0.1, lambda f: 1.5, lambda f: "x", 0.3])
def test_bad_hazards_are_refused(hazard) -> None:
    with pytest.raises(ParameterError, match="hazard"):
        bass.simulate_adoption(hazard)


def test_checker_on_the_chapters_starter_and_solution() -> None:
    assert not mark_hazard(exercise_function(CHAPTER, "my_hazard", solution=False)).correct
    my_hazard = exercise_function(CHAPTER, "my_hazard", solution=True)
    assert mark_hazard(my_hazard).correct


def test_each_part_of_the_check_can_fail() -> None:
    assert "does not grow" in mark_hazard(lambda f: 0.3).message
    assert "Nobody ever adopts" in mark_hazard(lambda f: 0.5 * f).message
    slow = mark_hazard(lambda f: 0.001 + 0.1 * f)
    assert not slow.correct and f"within {HALF_WITHIN}" in slow.message
    assert not mark_hazard("word of mouth").correct
    assert "ZeroDivisionError" in mark_hazard(lambda f: 1 / 0).message
    assert isinstance(check_hazard(lambda f: 0.1), ExerciseCheck)
