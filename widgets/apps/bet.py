"""The bet widget: commit a prediction before the reveal, then see how far off it was.

A bet is numeric (a slider) or multiple choice. The true answer can be a number
given in the content file, or computed by the model at reveal time (pass
``answer=callable``) so it is never hard-coded apart from the model.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ipywidgets as w

from widgets.apps.content import content_item
from widgets.apps.labels import bind, prose


@dataclass(frozen=True)
class BetResult:
    """What the reveal shows: the guess, the answer and how far apart they are."""

    guess: Any
    answer: Any
    correct: bool
    error: float | None  # guess - answer for numeric bets
    message: str


class Bet(w.VBox):
    """Place your bet: a locked prediction, then a reveal with the gap to the model's answer."""

    def __init__(self, question: str, *, answer: Any | Callable[[], Any], kind: str = "number",
                 options: list[str] | None = None, min: float = 0.0, max: float = 100.0,
                 step: float = 1.0, value: float | None = None, unit: str = "",
                 tolerance: float = 0.0, explanation: str = "") -> None:
        if kind not in ("number", "choice"):
            raise ValueError(f"kind must be 'number' or 'choice', got {kind!r}")
        if kind == "choice" and not options:
            raise ValueError("a choice bet needs a non-empty list of options")
        self.kind, self.unit, self.tolerance = kind, unit, tolerance
        self.explanation = explanation
        self._answer = answer
        self.result: BetResult | None = None
        if kind == "number":
            start = value if value is not None else min
            self.guess = w.FloatSlider(value=start, min=min, max=max, step=step,
                                       description="", readout_format=".3g",
                                       layout=w.Layout(width="28em"))
        else:
            self.guess = w.RadioButtons(options=options, value=None,
                                        layout=w.Layout(width="auto"))
        self.commit_button = bind(w.Button(button_style="primary", icon="lock"), "commit")
        self.reveal_button = bind(w.Button(disabled=True, icon="eye"), "reveal")
        self.output = w.HTML()
        self.commit_button.on_click(lambda _: self.commit())
        self.reveal_button.on_click(lambda _: self.reveal())
        title = prose("🎲 Place your bet · 预测", "🎲 先下注")
        header = w.HTML(f'<div class="ssl-bet"><b>{title}</b><br>'
                        f"{html.escape(question)}</div>")
        super().__init__([header, self.guess,
                          w.HBox([self.commit_button, self.reveal_button]), self.output])

    @property
    def committed(self) -> bool:
        return self.guess.disabled

    def commit(self, value: Any = None) -> None:
        """Lock the guess (optionally setting it first); the reveal becomes available."""
        if value is not None:
            self.guess.value = value
        if self.guess.value is None:
            self.output.value = prose("Pick an option before locking your bet. 请先选择一个选项。",
                                      "请先选择一个选项，再锁定预测。")
            return
        self.guess.disabled = True
        self.commit_button.disabled = True
        self.reveal_button.disabled = False
        self.output.value = (prose("Bet locked: ", "已锁定：")
                             + f"<b>{html.escape(str(self.guess.value))}</b> {self.unit}")

    def answer(self) -> Any:
        """The true answer (computed by the model if a callable was given)."""
        return self._answer() if callable(self._answer) else self._answer

    def reveal(self) -> BetResult:
        """Show the answer and the gap; a bet must be locked first."""
        if not self.committed:
            raise RuntimeError("lock in a bet before revealing the answer")
        guess, truth = self.guess.value, self.answer()
        if self.kind == "number":
            error = float(guess) - float(truth)
            correct = abs(error) <= self.tolerance
            message = _numeric_message(guess, truth, error, self.unit)
        else:
            error = None
            correct = guess == truth
            message = (prose("Answer: ", "答案：") + f"<b>{html.escape(str(truth))}</b>"
                       + prose(". ", "。") + (
                           prose("You called it. ✔", "猜中了。✔") if correct
                           else prose("You bet on ", "你押的是：") + html.escape(str(guess))
                           + prose(".", "。")))
        if self.explanation:
            message += f"<br><i>{html.escape(self.explanation)}</i>"
        self.result = BetResult(guess, truth, correct, error, message)
        self.output.value = message
        self.reveal_button.disabled = True
        return self.result


def _numeric_message(guess: float, truth: float, error: float, unit: str) -> str:
    """How far a numeric bet landed from the answer, in the student's language."""
    share = f"{abs(error) / abs(truth):.0%}" if truth else ""
    if prose("en", "zh") == "zh":
        direction = "高了" if error > 0 else "低了" if error < 0 else "正好"
        gap = "" if not error else f" {abs(error):.3g}" + (f"（差 {share}）" if share else "")
        return f"答案：<b>{truth:.3g}</b> {unit}。你押的 {guess:.3g}{direction}{gap}。"
    relative = f" ({share} off)" if share else ""
    direction = "too high" if error > 0 else "too low" if error < 0 else "exact"
    return (f"Answer: <b>{truth:.3g}</b> {unit}. Your bet {guess:.3g} was "
            f"{abs(error):.3g} {direction}{relative}.")


def build_bet(chapter: str, bet_id: str, answer: Any | Callable[[], Any] | None = None) -> Bet:
    """A :class:`Bet` from ``widgets/content/<chapter>.json``; ``answer`` overrides the file's."""
    spec = dict(content_item(chapter, "bets", bet_id))
    if answer is None:
        if "answer" not in spec:
            raise ValueError(f"bet {bet_id!r} has no answer in {chapter}.json: pass answer=")
        answer = spec["answer"]
    spec.pop("answer", None)
    question = spec.pop("question")
    if spec.get("kind") == "choice":
        answer = _as_shown(answer, spec["options"], [
            content_item(chapter, "bets", bet_id, language=language)["options"]
            for language in ("en", "zh")])
    return Bet(question, answer=answer, **spec)


def _as_shown(answer: Any, shown: list[str], editions: list[list[str]]) -> Callable[[], Any]:
    """The answer as one of the ``shown`` options, whichever language the model answered in."""
    def resolved() -> Any:
        value = answer() if callable(answer) else answer
        if value in shown:
            return value
        for options in editions:
            if value in options:
                return shown[options.index(value)]
        return value
    return resolved
