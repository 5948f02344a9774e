"""Chapter 5's model-changing exercise: a student's trust update runs through the model."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.exercise_code import exercise_function
from widgets.apps.exercise import ExerciseCheck
from widgets.chapters.ch05 import check_evidence_rule, evidence_rule_report, mark_evidence_rule
from widgets.models import trust_decay as td
from widgets.models.validation import ParameterError

CHAPTER = Path(__file__).resolve().parents[1] / "chapters" / "05_shakeout.ipynb"


@pytest.mark.parametrize("plan", [{}, {"ads_per_day": 4.0, "content_per_day": 2.0,
                                       "junk_share": 0.3, "interactions_per_day": 20},
                                  {"ads_per_day": 0.5, "content_per_day": 4.0}])
def test_the_standard_update_as_a_function_gives_the_same_run(plan: dict) -> None:
    params = td.TrustParams(n_friends=300, days=60, **plan)
    plain = td.simulate_trust(params, seed=1).daily
    hooked = td.simulate_trust(params, seed=1,
                               evidence_rule=td.standard_evidence(params)).daily
    pd.testing.assert_frame_equal(plain, hooked, rtol=1e-12)


def test_a_rule_gets_the_plan_it_is_run_on() -> None:
    seen = []

    def spy(ads: float, content: float, junk: float, replies: float) -> tuple[float, float]:
        seen.append((ads, content, junk, replies))
        return 0.1, 0.1

    params = td.TrustParams(n_friends=200, days=10, ads_per_day=2.0, content_per_day=4.0,
                            junk_share=0.25, interactions_per_day=11.0)
    td.simulate_trust(params, evidence_rule=spy)
    ads, content, junk, replies = seen[0]
    assert (ads, content, junk) == (2.0, 3.0, 1.0)
    assert 0 < replies < 11.0  # what one fully attentive friend receives


@pytest.mark.parametrize("rule", [lambda a, c, j, r: (-1.0, 0.0),
                                  lambda a, c, j, r: (float("nan"), 0.0),
                                  lambda a, c, j, r: 3.0,
                                  lambda a, c, j, r: ("x", 1)])
def test_bad_answers_from_a_rule_are_refused(rule) -> None:
    with pytest.raises(ParameterError, match="evidence_rule"):
        td.simulate_trust(td.TrustParams(n_friends=200, days=5), evidence_rule=rule)


def test_a_rule_must_be_a_function() -> None:
    with pytest.raises(ParameterError, match="evidence_rule"):
        td.simulate_trust(td.TrustParams(n_friends=200, days=5), evidence_rule=(1, 2))


def test_the_models_own_rule_passes_and_the_chapters_starter_fails() -> None:
    assert mark_evidence_rule(td.standard_evidence(td.TrustParams())).correct
    assert not mark_evidence_rule(exercise_function(CHAPTER, "my_update", solution=False)).correct
    my_update = exercise_function(CHAPTER, "my_update", solution=True)
    assert mark_evidence_rule(my_update).correct


def test_each_part_of_the_check_can_fail() -> None:
    # ads do not cost trust: the stall never loses half the circle
    assert evidence_rule_report(lambda a, c, j, r: (0.1 * (a + c) + r, 0.0))["stall_half_muted"] \
        is None
    # ads raise long-run trust somewhere
    assert not evidence_rule_report(
        lambda a, c, j, r: (0.1 * c + r + a, 0.15 * a))["more_ads_never_help"]
    # replies do not help
    report = evidence_rule_report(lambda a, c, j, r: (0.1 * c, 0.15 * (a + j)))
    assert not report["more_replies_never_hurt"]
    assert "replies" in mark_evidence_rule(lambda a, c, j, r: (0.1 * c, 0.15 * (a + j))).message
    # an everything-is-bad rule drags the living room down
    assert mark_evidence_rule(lambda a, c, j, r: (r, 5.0 * (a + c + j))).correct is False


def test_check_widget_and_messages() -> None:
    assert isinstance(check_evidence_rule(lambda a, c, j, r: (r, a)), ExerciseCheck)
    assert not mark_evidence_rule("0.1").correct
    raised = mark_evidence_rule(lambda a, c, j, r: (1 / 0, 0))
    assert not raised.correct and "ZeroDivisionError" in raised.message
