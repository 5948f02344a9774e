"""Apps layer: thin ipywidgets + plotly front-ends over ``widgets.models``.

Every ``build_…()`` returns a widget that can be driven headlessly in tests
(set a control's ``.value``, then read the figure's data).
"""

from widgets.apps.fast_start import defer_rfc3987_syntax

defer_rfc3987_syntax()  # before plotly pulls in jsonschema: saves 2–3 s per kernel

from widgets.apps.bet import Bet, BetResult, build_bet
from widgets.apps.exercise import (
    ExerciseCheck,
    Feedback,
    check_choice,
    check_columns,
    check_exercise,
    check_number,
    check_set,
)
from widgets.apps.labels import get_language, register_labels, set_language, text
from widgets.apps.quiz import ChoiceQuiz, SortQuiz, build_quiz
from widgets.apps.theme import OKABE_ITO, register_template

register_template()

__all__ = [
    "OKABE_ITO",
    "Bet",
    "BetResult",
    "ChoiceQuiz",
    "ExerciseCheck",
    "Feedback",
    "SortQuiz",
    "build_bet",
    "build_quiz",
    "check_choice",
    "check_columns",
    "check_exercise",
    "check_number",
    "check_set",
    "get_language",
    "register_labels",
    "set_language",
    "text",
]
