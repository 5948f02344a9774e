"""Headless tests of the shared app kit: theme, bilingual labels, bet, quiz, exercise check."""

from __future__ import annotations

import pandas as pd
import plotly.io as pio
import pytest

import widgets.apps  # noqa: F401  (registers the template)
from widgets.apps import labels
from widgets.apps.bet import Bet, build_bet
from widgets.apps.content import CONTENT_DIR, chapter_content
from widgets.apps.controls import float_slider
from widgets.apps.exercise import (
    ExerciseCheck,
    Feedback,
    check_choice,
    check_columns,
    check_number,
    check_set,
)
from widgets.apps.quiz import ChoiceQuiz, SortQuiz, build_quiz
from widgets.apps.theme import OKABE_ITO, TEMPLATE_NAME


@pytest.fixture(autouse=True)
def _both_languages():
    labels.set_language("both")
    yield
    labels.set_language("both")


def test_template_is_default_and_colour_blind_safe() -> None:
    assert pio.templates.default == TEMPLATE_NAME
    assert list(pio.templates[TEMPLATE_NAME].layout.colorway) == list(OKABE_ITO)
    assert len(set(OKABE_ITO)) == 8


def test_language_switch_relabels_live_widgets() -> None:
    labels.register_labels({"test_ads": ("Ads per day", "每天广告数")})
    slider = float_slider("test_ads", 1, 0, 10, 1)
    assert slider.description == "Ads per day · 每天广告数"
    labels.set_language("zh")
    assert slider.description == "每天广告数"
    labels.set_language("en")
    assert slider.description == "Ads per day"


def test_bad_language_and_conflicting_label_are_rejected() -> None:
    with pytest.raises(ValueError, match="language must be one of"):
        labels.set_language("fr")
    labels.register_labels({"test_once": ("Once", "一次")})
    with pytest.raises(ValueError, match="already registered"):
        labels.register_labels({"test_once": ("Twice", "两次")})


def test_numeric_bet_must_be_locked_then_reports_the_gap() -> None:
    bet = Bet("How many?", answer=lambda: 4, min=0, max=8, unit="causes")
    with pytest.raises(RuntimeError, match="lock in a bet"):
        bet.reveal()
    bet.commit(6)
    assert bet.guess.disabled and not bet.reveal_button.disabled
    result = bet.reveal()
    assert result.answer == 4 and result.error == 2 and not result.correct
    assert "too high" in bet.output.value


def test_choice_bet_reveals_right_and_wrong() -> None:
    bet = Bet("Which?", answer="mask", kind="choice", options=["mask", "handbag"])
    bet.commit()  # nothing chosen yet: stays unlocked
    assert not bet.committed
    bet.commit("mask")
    assert bet.reveal().correct


def test_bet_from_content_file_uses_model_answer() -> None:
    bet = build_bet("ch00", "four_star_causes", answer=lambda: 3)
    bet.commit(3)
    assert bet.reveal().correct


def test_choice_quiz_explains_each_option() -> None:
    quiz = ChoiceQuiz("Q?", [{"text": "a", "correct": True, "explanation": "because A"},
                             {"text": "b", "correct": False, "explanation": "not B"}])
    quiz.select(1)
    result = quiz.check()
    assert not result.correct and "not B" in quiz.output.value and "because A" in quiz.output.value
    quiz.select(0)
    assert quiz.check().correct


def test_multi_answer_quiz_needs_all_right_options() -> None:
    quiz = ChoiceQuiz("Q?", [{"text": "a", "correct": True}, {"text": "b", "correct": True},
                             {"text": "c", "correct": False}])
    quiz.select(0)
    assert not quiz.check().correct
    quiz.select(0, 1)
    assert quiz.check().correct


def test_choice_quiz_reveals_missed_answers_without_a_cross_and_counts_right_picks() -> None:
    options = [{"text": f"right {k}", "correct": True, "explanation": f"Yes: {k}"}
               for k in range(4)]
    options += [{"text": "wrong", "correct": False, "explanation": "No: wrong"}]
    quiz = ChoiceQuiz("Q?", options)
    quiz.select(0, 4)
    result = quiz.check()
    assert (result.score, result.total, result.correct) == (1, 4, False)
    assert "1/4 right" in quiz.output.value and "1 wrong pick" in quiz.output.value
    lines = result.feedback
    missed = [line for line in lines if "right 1" in line or "right 2" in line]
    assert len(missed) == 2 and all(not line.startswith("✘") for line in missed)
    assert all("missed" in line for line in missed)
    assert next(line for line in lines if "wrong" in line and "No:" in line).startswith("✘")
    assert next(line for line in lines if "right 0" in line).startswith("✔")


def test_sort_quiz_scores_items() -> None:
    quiz = SortQuiz("Sort", ["x", "y"],
                    [{"text": "1", "answer": "x"}, {"text": "2", "answer": "y"}])
    quiz.answer("x", "x")
    result = quiz.check()
    assert (result.score, result.total, result.correct) == (1, 2, False)
    quiz.answer("x", "y")
    assert quiz.check().correct
    with pytest.raises(ValueError, match="not among categories"):
        SortQuiz("Sort", ["x"], [{"text": "1", "answer": "z"}])


def test_every_content_file_builds() -> None:
    for path in sorted(CONTENT_DIR.glob("ch*.json")):
        chapter = path.stem
        content = chapter_content(chapter)
        for quiz_id in content.get("quizzes", {}):
            assert isinstance(build_quiz(chapter, quiz_id), ChoiceQuiz | SortQuiz)
        for bet_id in content.get("bets", {}):
            assert isinstance(build_bet(chapter, bet_id, answer=0), Bet)
        for hints in content.get("hints", {}).values():
            assert hints and all(isinstance(h, str) and h for h in hints)


def test_check_helpers() -> None:
    assert check_number(10.4, 10, tolerance=0.5).correct
    assert "too low" in check_number(9, 10, tolerance=0.5).message
    assert not check_number("abc", 1, tolerance=1).correct
    assert not check_number(float("nan"), 1, tolerance=1).correct
    assert check_choice(" Mask ", "mask").correct
    assert not check_set({1, 2}, {1, 3}).correct
    assert check_set([3, 1], {1, 3}).correct
    assert check_columns(pd.DataFrame({"a": [1]}), ["a"]).correct
    assert not check_columns([1], ["a"]).correct


def test_exercise_check_reveals_one_more_hint_per_miss() -> None:
    box = ExerciseCheck(lambda a: Feedback(a == 1, "ok" if a == 1 else "no"), ["h1", "h2"])
    box.check(0)
    assert "h1" in box.output.value and "h2" not in box.output.value
    box.check(0)
    assert "h2" in box.output.value
    assert box.check(1).correct and "Hint" not in box.output.value


def test_exercise_check_survives_a_crashing_checker() -> None:
    box = ExerciseCheck(lambda a: 1 / 0)
    assert not box.check(1).correct
    assert "Could not check" in box.output.value
