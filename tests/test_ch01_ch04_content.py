"""Chapter 1 and 4 content files: quizzes are well formed and mark a right answer right."""

import pytest

from widgets.apps import build_quiz
from widgets.apps.content import chapter_content
from widgets.apps.quiz import ChoiceQuiz, SortQuiz


def test_root_problem_sort_quiz_covers_all_three_problems():
    quiz = build_quiz("ch01", "root_problems")
    assert isinstance(quiz, SortQuiz)
    answers = [item["answer"] for item in quiz.items]
    assert len(set(answers)) == 3
    quiz.answer(*answers)
    assert quiz.check().correct
    quiz.answer(*reversed(answers))
    assert not quiz.check().correct


@pytest.mark.parametrize(("chapter", "quiz_id"), [("ch01", "permission"),
                                                   ("ch04", "experience_economy")])
def test_choice_quizzes_mark_the_right_options(chapter, quiz_id):
    quiz = build_quiz(chapter, quiz_id)
    assert isinstance(quiz, ChoiceQuiz)
    right = [i for i, option in enumerate(quiz.options) if option["correct"]]
    quiz.select(*right)
    assert quiz.check().correct
    wrong = next(i for i, option in enumerate(quiz.options) if not option["correct"])
    quiz.select(wrong)
    assert not quiz.check().correct


@pytest.mark.parametrize("chapter", ["ch01", "ch04"])
def test_bets_have_no_typed_in_answer_and_every_option_explains_itself(chapter):
    content = chapter_content(chapter)
    for bet in content["bets"].values():
        assert "answer" not in bet  # answers are computed by the models at reveal time
    for quiz in content["quizzes"].values():
        entries = quiz.get("options", quiz.get("items", []))
        assert all(entry["explanation"] for entry in entries)
    assert all(len(hints) >= 2 for hints in content["hints"].values())
