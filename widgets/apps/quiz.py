"""Quiz widgets driven by data: multiple choice with an explanation per option, and sorting.

Content lives in ``widgets/content/<chapter>.json`` under ``"quizzes"``:

- ``{"kind": "choice", "question": ..., "options": [{"text", "correct", "explanation"}, ...]}``
- ``{"kind": "sort", "question": ..., "categories": [...],
  "items": [{"text", "answer", "explanation"}, ...]}``
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import ipywidgets as w

from widgets.apps.content import content_item
from widgets.apps.labels import bind, prose


@dataclass(frozen=True)
class QuizResult:
    correct: bool
    score: int
    total: int
    feedback: list[str]


def _feedback_html(result: QuizResult, wrong: int = 0) -> str:
    if result.correct:
        head = prose("✔ Correct · 正确", "✔ 正确")
    else:
        plural = "s" if wrong > 1 else ""
        extra_en = f" · {wrong} wrong pick{plural} · 选错 {wrong} 项" if wrong else ""
        extra_zh = f" · 选错 {wrong} 项" if wrong else ""
        head = f"{result.score}/{result.total} " + prose("right · 再想想" + extra_en,
                                                         "答对，再想想" + extra_zh)
    items = "".join(f"<li>{line}</li>" for line in result.feedback)
    colour = "#009E73" if result.correct else "#D55E00"
    return f'<div style="color:{colour}"><b>{head}</b></div><ul>{items}</ul>'


def _choice_mark(picked: bool, right: bool) -> str:
    """The mark of one option: a right pick, a wrong pick, or a right answer that was missed."""
    if picked:
        return "✔" if right else "✘"
    return "➜ missed, a right answer · 漏选:"


class ChoiceQuiz(w.VBox):
    """Multiple choice (one or several right answers), each option with its own explanation."""

    def __init__(self, question: str, options: list[dict[str, Any]]) -> None:
        if not options or not any(o.get("correct") for o in options):
            raise ValueError("a choice quiz needs options with at least one marked correct")
        self.options = options
        self.multiple = sum(bool(o.get("correct")) for o in options) > 1
        labels = [o["text"] for o in options]
        if self.multiple:
            self.choices = [w.Checkbox(description=t, indent=False,
                                       layout=w.Layout(width="auto")) for t in labels]
            picker: w.Widget = w.VBox(self.choices)
        else:
            self.choices = [w.RadioButtons(options=labels, value=None,
                                           layout=w.Layout(width="auto"))]
            picker = self.choices[0]
        self.check_button = bind(w.Button(button_style="info"), "check")
        self.output = w.HTML()
        self.check_button.on_click(lambda _: self.check())
        hint = prose(" (choose all that apply · 多选)", "（多选）") if self.multiple else ""
        super().__init__([w.HTML(f"<b>❓ {html.escape(question)}</b>{hint}"), picker,
                          self.check_button, self.output])

    def select(self, *indices: int) -> None:
        """Select options by index (for tests and keyboard-free use)."""
        if self.multiple:
            for i, box in enumerate(self.choices):
                box.value = i in indices
        else:
            self.choices[0].value = self.options[indices[0]]["text"]

    def selected(self) -> set[int]:
        if self.multiple:
            return {i for i, box in enumerate(self.choices) if box.value}
        value = self.choices[0].value
        return {i for i, o in enumerate(self.options) if o["text"] == value}

    def check(self) -> QuizResult:
        """Mark the selection and explain every chosen (and every missed right) option.

        ``score`` counts the right options picked out of ``total`` right options; a wrong
        pick is marked ✘ and counted in the headline, and a missed right option is shown
        as the answer (➜), never as a mistake of its own.
        """
        chosen = self.selected()
        right = {i for i, o in enumerate(self.options) if o.get("correct")}
        feedback = []
        for i, option in enumerate(self.options):
            if i in chosen or i in right:
                mark = _choice_mark(i in chosen, i in right)
                feedback.append(f"{mark} {html.escape(option['text'])} — "
                                f"{html.escape(option.get('explanation', ''))}")
        wrong = len(chosen - right)
        result = QuizResult(chosen == right, len(chosen & right), len(right), feedback)
        self.output.value = (_feedback_html(result, wrong) if chosen
                             else prose("Choose an answer first. 请先作答。", "请先作答。"))
        return result


class SortQuiz(w.VBox):
    """Sort each described item into one of several categories."""

    def __init__(self, question: str, categories: list[str], items: list[dict[str, Any]]) -> None:
        unknown = [i["answer"] for i in items if i["answer"] not in categories]
        if unknown:
            raise ValueError(f"sort quiz answers {unknown} are not among categories {categories}")
        self.items = items
        self.pickers = [w.Dropdown(options=["—", *categories], value="—",
                                   layout=w.Layout(width="22em")) for _ in items]
        rows = [w.HBox([p, w.HTML(html.escape(i["text"]))]) for p, i in zip(self.pickers, items,
                                                                             strict=True)]
        self.check_button = bind(w.Button(button_style="info"), "check")
        self.output = w.HTML()
        self.check_button.on_click(lambda _: self.check())
        super().__init__([w.HTML(f"<b>🗂 {html.escape(question)}</b>"), *rows,
                          self.check_button, self.output])

    def answer(self, *categories: str) -> None:
        for picker, category in zip(self.pickers, categories, strict=True):
            picker.value = category

    def check(self) -> QuizResult:
        feedback, score = [], 0
        for picker, item in zip(self.pickers, self.items, strict=True):
            ok = picker.value == item["answer"]
            score += ok
            mark = "✔" if ok else f"✘ (→ {html.escape(item['answer'])})"
            feedback.append(f"{mark} {html.escape(item['text'])} — "
                            f"{html.escape(item.get('explanation', ''))}")
        result = QuizResult(score == len(self.items), score, len(self.items), feedback)
        self.output.value = _feedback_html(result)
        return result


def build_quiz(chapter: str, quiz_id: str) -> ChoiceQuiz | SortQuiz:
    """A quiz from ``widgets/content/<chapter>.json``."""
    spec = content_item(chapter, "quizzes", quiz_id)
    if spec.get("kind", "choice") == "sort":
        return SortQuiz(spec["question"], spec["categories"], spec["items"])
    return ChoiceQuiz(spec["question"], spec["options"])
