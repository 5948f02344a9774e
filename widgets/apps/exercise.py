"""Exercise checks: mark a student's answer, give instant feedback and progressive hints.

A checker is any function ``answer -> Feedback``. :class:`ExerciseCheck` keeps
count of attempts and shows one more hint after each miss. Helpers cover the
common cases (a number within a tolerance, a set of labels, a DataFrame's
columns).
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as w
import pandas as pd

from widgets.apps.content import content_item
from widgets.apps.labels import prose
from widgets.models.validation import ParameterError


@dataclass(frozen=True)
class Feedback:
    correct: bool
    message: str


def check_number(answer: Any, expected: float, *, tolerance: float, name: str = "answer",
                 unit: str = "") -> Feedback:
    """Right when ``|answer − expected| ≤ tolerance``; says whether a miss is high or low."""
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return Feedback(False, prose(f"{name} should be a number, got {answer!r}.",
                                     f"{name} 应该是一个数字，现在是 {answer!r}。"))
    if math.isnan(value):
        return Feedback(False, prose(f"{name} is NaN: did a calculation divide by zero?",
                                     f"{name} 是 NaN：是不是哪里除以了零？"))
    if abs(value - expected) <= tolerance:
        return Feedback(True, f"{name} = {value:.4g} {unit} ✔")
    side = prose("high", "高") if value > expected else prose("low", "低")
    return Feedback(False, prose(f"{name} = {value:.4g} {unit} is too {side}.",
                                 f"{name} = {value:.4g} {unit}，偏{side}了。"))


def check_choice(answer: Any, expected: Any, *, name: str = "answer") -> Feedback:
    """Right when ``answer == expected`` (strings compared without case or spaces)."""
    def norm(v: Any) -> Any:
        return v.strip().lower() if isinstance(v, str) else v
    if norm(answer) == norm(expected):
        return Feedback(True, f"{name} = {answer!r} ✔")
    return Feedback(False, prose(f"{name} = {answer!r} is not it.", f"{name} = {answer!r}，不对。"))


def check_set(answer: Iterable[Any], expected: Iterable[Any], *, name: str = "answer") -> Feedback:
    """Right when the two collections hold the same items; says what is missing or extra."""
    given, wanted = set(answer), set(expected)
    if given == wanted:
        return Feedback(True, prose(f"{name}: all {len(wanted)} right ✔",
                                    f"{name}：{len(wanted)} 个全对 ✔"))
    parts = []
    if wanted - given:
        parts.append(prose(f"{len(wanted - given)} missing", f"漏了 {len(wanted - given)} 个"))
    if given - wanted:
        extra = sorted(given - wanted)
        parts.append(prose(f"{len(extra)} that should not be there: {extra}",
                           f"多了 {len(extra)} 个不该有的：{extra}"))
    return Feedback(False, f"{name}: " + prose("; ", "；").join(parts) + prose(".", "。"))


def check_columns(frame: Any, required: Sequence[str], *, name: str = "table") -> Feedback:
    """Right when ``frame`` is a DataFrame holding every required column."""
    if not isinstance(frame, pd.DataFrame):
        kind = type(frame).__name__
        return Feedback(False, prose(f"{name} should be a pandas DataFrame, got {kind}.",
                                     f"{name} 应该是一个 pandas DataFrame，现在是 {kind}。"))
    missing = [c for c in required if c not in frame.columns]
    if missing:
        return Feedback(False, prose(f"{name} lacks the column(s) {missing}.",
                                     f"{name} 缺少这些列：{missing}。"))
    return Feedback(True, prose(f"{name} has the columns {list(required)} ✔",
                                f"{name} 有这些列：{list(required)} ✔"))


def mark_rule(rule: Any, measure: Callable[[Callable[..., Any]], Any],
              judge: Callable[[Any], Feedback], *, usage: tuple[str, str]) -> Feedback:
    """Mark a student's own model function: ``judge(measure(rule))``.

    ``usage`` says, in English and Chinese, what to define when ``rule`` is not a function.
    A :class:`ParameterError` (the model refusing what the rule returned, or ``measure``
    refusing the rule) becomes its message; anything else the student's code raises is
    shown as feedback, never as a traceback.
    """
    if not callable(rule):
        return Feedback(False, prose(f"Define {usage[0]} and pass the function itself.",
                                     f"先定义 {usage[1]}，再把这个函数本身传进来。"))
    try:
        measured = measure(rule)
    except ParameterError as exc:
        return Feedback(False, str(exc))
    except Exception as exc:  # the student's code raised: show it as feedback
        return Feedback(False, prose(f"Your rule raised {type(exc).__name__}: {exc}",
                                     f"你的规则出错了：{type(exc).__name__}: {exc}"))
    return judge(measured)


class ExerciseCheck(w.VBox):
    """Instant feedback plus one more hint after each wrong attempt."""

    def __init__(self, checker: Callable[[Any], Feedback], hints: Sequence[str] = (),
                 title: str | None = None) -> None:
        self.checker, self.hints = checker, list(hints)
        self.attempts = 0
        self.last: Feedback | None = None
        self.output = w.HTML()
        title = title or prose("Check your answer · 检查答案", "检查答案")
        super().__init__([w.HTML(f"<b>✅ {html.escape(title)}</b>"), self.output])

    def check(self, answer: Any) -> Feedback:
        """Mark ``answer``; on a miss, reveal the next hint."""
        self.attempts += 1
        try:
            feedback = self.checker(answer)
        except Exception as exc:  # a student's answer can be anything: explain, don't crash
            feedback = Feedback(False, prose("Could not check that answer: ",
                                             "这个答案没法检查：") + str(exc))
        self.last = feedback
        colour = "#009E73" if feedback.correct else "#D55E00"
        body = f'<span style="color:{colour}">{html.escape(feedback.message)}</span>'
        if not feedback.correct and self.hints:
            shown = self.hints[: min(self.attempts, len(self.hints))]
            hint = prose("Hint", "提示")
            body += "<br>" + "<br>".join(f"💡 {hint} {i + 1}: {html.escape(h)}"
                                         for i, h in enumerate(shown))
        self.output.value = body
        return feedback


_attempts: dict[str, int] = {}


def check_exercise(checker: Callable[[Any], Feedback], answer: Any, *, chapter: str | None = None,
                   hints_id: str | None = None, hints: Sequence[str] = ()) -> ExerciseCheck:
    """One-call check for a notebook cell: build the feedback box, check, return it.

    The box is returned, not displayed: as the cell's last expression it is shown once.
    Re-running the cell counts as another attempt (one counter per exercise, kept here for
    every chapter), so each miss shows one more hint. With ``chapter`` and ``hints_id`` the
    hints come from the chapter's content file.
    """
    if chapter and hints_id:
        hints = content_item(chapter, "hints", hints_id)
    key = f"{chapter}:{hints_id}" if hints_id else getattr(checker, "__qualname__", "exercise")
    box = ExerciseCheck(checker, hints)
    box.attempts = _attempts.get(key, 0)
    feedback = box.check(answer)
    _attempts[key] = 0 if feedback.correct else box.attempts
    return box
