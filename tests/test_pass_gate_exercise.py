"""Chapter 7's model-changing exercise: a student's pass gate over the death index (stars)."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pandas as pd
import pytest

from tests.exercise_code import exercise_function
from widgets.apps.capstone import build_capstone
from widgets.apps.exercise import ExerciseCheck
from widgets.chapters.ch07 import (
    check_gate,
    compare_gates,
    gate_checker,
    gate_report,
    scored_stars,
)
from widgets.data import load_dataset
from widgets.models.death_gate import (
    PASS_MAX_STARS,
    course_gate,
    death_gate,
    gate_failures,
    gate_profile,
    gate_verdict,
)
from widgets.models.linked_business import NOT_SCORED_CAUSES
from widgets.models.validation import ParameterError

CHAPTER = Path(__file__).resolve().parents[1] / "chapters" / "07_capstone.ipynb"
STARS = {"a": 5, "b": 4, "c": 2, "d": 2}


def test_the_scored_stars_are_the_articles() -> None:
    table = load_dataset("death_index")
    stars = scored_stars()
    assert set(stars) == set(table["cause_id"]) - set(NOT_SCORED_CAUSES)
    assert all(stars[c] == s for c, s in zip(table["cause_id"], table["death_index"],
                                             strict=True) if c in stars)


def test_the_profile_judges_every_subset() -> None:
    profile = gate_profile(STARS, course_gate)
    assert len(profile) == 2 ** len(STARS)
    expected = sum(1 for k in range(len(STARS) + 1) for s in combinations(STARS, k)
                   if sum(STARS[c] for c in s) <= PASS_MAX_STARS)
    assert int(profile["passes"].sum()) == expected
    assert all(list(s) == sorted(s, reverse=True) for s in profile["stars"])


def test_counter_examples_are_found() -> None:
    assert gate_failures(STARS, course_gate)["monotone"] is None
    assert gate_failures(STARS, course_gate)["star_respecting"] is None
    odd = gate_failures(STARS, lambda s: len(s) != 1)  # passes pairs, fails a lone cause
    smaller, larger = odd["monotone"]
    assert set(smaller) < set(larger) and len(larger) == len(smaller) + 1
    twos_only = gate_failures(STARS, lambda s: s != [2])  # passes a lone 5, fails a lone 2
    rest, graver, milder = twos_only["star_respecting"]
    assert STARS[graver] >= STARS[milder] and milder not in rest


def test_death_gate_reads_the_causes_at_risk() -> None:
    causes = pd.DataFrame({"death_index": [5, 2, 4], "status": ["avoided", "at risk",
                                                                 "not scored"]})
    seen: list = []
    assert death_gate(causes, lambda s: seen.append(s) or True)
    assert seen == [[2]]


@pytest.mark.parametrize("gate", [lambda s: 1, lambda s: None, lambda s: "yes", "gate"])
def test_a_gate_must_answer_true_or_false(gate) -> None:
    with pytest.raises(ParameterError, match="gate"):
        gate_verdict([3], gate)


@pytest.mark.parametrize("stars", [[0], [6], [2.5], ["3"], [True]])
def test_bad_stars_are_refused(stars) -> None:
    with pytest.raises(ParameterError, match="stars_at_risk"):
        gate_verdict(stars, course_gate)


def test_the_chapters_starter_fails_and_its_solution_passes() -> None:
    starter = gate_checker(exercise_function(CHAPTER, "my_gate", solution=False))
    assert not starter.correct and "5-star" in starter.message
    solution = exercise_function(CHAPTER, "my_gate", solution=True)
    passed = gate_checker(solution)
    assert passed.correct
    stars = scored_stars()
    assert f"your gate passes {gate_failures(stars, solution)['passing']};" in passed.message
    assert f"passes {gate_failures(stars, course_gate)['passing']}." in passed.message
    assert gate_checker(course_gate).correct  # the course's own gate is a sound gate


def test_each_part_of_the_check_can_fail() -> None:
    assert "failing 1.0 example" in gate_checker(lambda s: True).message
    assert "sound 2.0 example" in gate_checker(lambda s: False).message
    assert "5-star" in gate_checker(lambda s: len(s) <= 1).message
    assert "2-star" in gate_checker(lambda s: not s).message
    assert "Taking a risk away" in gate_checker(
        lambda s: sum(s) <= 2 or s == [3, 2]).message
    assert "milder cause" in gate_checker(
        lambda s: sum(s) <= 2 or s == [4]).message
    assert "ZeroDivisionError" in gate_checker(lambda s: 1 / 0).message
    assert "True (passes) or False" in gate_checker(lambda s: 1).message
    assert not gate_checker("my_gate").correct


def test_the_report_matches_the_linked_model() -> None:
    report = gate_report(course_gate)
    for name in ("failing_1_0", "sound_2_0"):
        stars = build_capstone(name).result.outcomes["stars_at_risk"]
        assert report["examples"][name] == (stars <= PASS_MAX_STARS)


def test_check_cell_and_comparison_table(tmp_path: Path) -> None:
    assert isinstance(check_gate(course_gate), ExerciseCheck)
    app = build_capstone(folder=tmp_path)
    table = compare_gates(lambda s: not s, app).data
    assert len(table) == 3
    at_risk = app.result.outcomes["causes_at_risk"]
    assert table["your gate"].iloc[-1] == (at_risk == 0)
    assert table["course gate"].iloc[-1] == (app.result.outcomes["stars_at_risk"]
                                             <= PASS_MAX_STARS)


def test_feedback_and_table_are_chinese_in_zh_mode(tmp_path: Path) -> None:
    from tools.zh_scan import english_prose
    from widgets.apps import labels

    gates = [None, lambda s: len(s) <= 2, lambda s: True, lambda s: False, lambda s: not s,
             lambda s: sum(s) <= 2 or s == [3, 2], lambda s: sum(s) <= 2 or s == [4],
             course_gate]
    before = labels.get_language()
    labels.set_language("zh", remember=False)
    try:
        messages = [gate_checker(g).message for g in gates]
        table = compare_gates(course_gate, build_capstone(folder=tmp_path))
    finally:
        labels.set_language(before, remember=False)
    assert not {m: english_prose(m) for m in messages if english_prose(m)}
    shown = " ".join([table.caption or "", *map(str, table.data.columns),
                      *map(str, table.data.iloc[:, 0])])
    assert not english_prose(shown), english_prose(shown)
