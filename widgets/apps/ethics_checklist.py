"""The ethics consensus (商业伦理共识) as a checklist a student applies to a scheme.

The eight commitments — 戒违规、戒伪劣、戒传销、不乱市、不囤货、不暴利、不刷屏、不杀熟 —
come from the dataset ``ethics_commitments`` (from [Zhang 2015]). Each row asks the
commitment's check question; "Yes" means the scheme keeps the commitment.

``build_ethics_checklist()`` gives an open checklist (chapter 7 uses it on the
student's own plan: the check tallies kept and broken commitments).
``build_ethics_checklist("ch03", "case_scheme")`` loads a described scheme and
its answer key from ``widgets/content/ch03.json`` (``"checklists"``), and the check
then marks each answer with an explanation.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass

import ipywidgets as w
import pandas as pd

from widgets.apps.content import content_item, dataset_text_zh
from widgets.apps.labels import bind, prose
from widgets.apps.theme import BAD, GOOD
from widgets.data import load_dataset, source_note

YES, NO, UNSURE = "Yes · 是", "No · 否", "—"


@dataclass(frozen=True)
class ChecklistResult:
    """What the check found: commitments kept, broken and unanswered; marks if there is a key."""

    kept: list[str]
    broken: list[str]
    unanswered: list[str]
    correct: int | None  # answers that match the key (None without a key)
    total: int

    @property
    def all_correct(self) -> bool:
        return self.correct is not None and self.correct == self.total


def load_commitments() -> pd.DataFrame:
    """The eight commitments in order (dataset ``ethics_commitments``)."""
    return load_dataset("ethics_commitments").sort_values("order").reset_index(drop=True)


class EthicsChecklist(w.VBox):
    """One Yes/No row per commitment, a check button and feedback."""

    def __init__(self, description: str = "", answer_key: Mapping[str, bool] | None = None,
                 explanations: Mapping[str, str] | None = None, title: str = "") -> None:
        self.commitments = load_commitments()
        ids = list(self.commitments["commitment_id"])
        if answer_key is not None:
            unknown = sorted(set(answer_key) - set(ids))
            missing = sorted(set(ids) - set(answer_key))
            if unknown or missing:
                raise ValueError(f"answer key does not match the commitments: unknown {unknown}, "
                                 f"missing {missing}")
        self.answer_key = dict(answer_key) if answer_key is not None else None
        self.explanations = dict(explanations or {})
        self.rows: dict[str, w.ToggleButtons] = {}
        lines = []
        zh_questions = dict(zip(self.commitments["commitment_id"], dataset_text_zh(
            self.commitments, "ethics_commitments", "check_question_en"), strict=True))
        for row in self.commitments.itertuples():
            buttons = w.ToggleButtons(options=[(UNSURE, UNSURE), (prose(YES, "是"), YES),
                                               (prose(NO, "否"), NO)], value=UNSURE,
                                      style={"button_width": "5.5em"})
            self.rows[row.commitment_id] = buttons
            term = prose(f"{row.term_zh} · {row.term_en}", row.term_zh)
            question = prose(row.check_question_en, zh_questions.get(row.commitment_id, ""))
            label = w.HTML(f"<b>{html.escape(term)}</b><br>"
                           f"<span style='font-size:12px;color:#555'>"
                           f"{html.escape(question or row.check_question_en)}</span>",
                           layout=w.Layout(width="30em"))
            lines.append(w.HBox([label, buttons]))
        self.check_button = bind(w.Button(button_style="info", icon="check"), "check")
        self.check_button.on_click(lambda _: self.check())
        self.output = w.HTML()
        title = title or prose("Ethics checklist · 商业伦理共识", "商业伦理共识检查清单")
        header = f"<b>🧭 {html.escape(title)}</b>"
        if description:
            header += (f"<div style='border-left:4px solid #0072B2;padding:4px 10px;"
                       f"margin:4px 0'>{html.escape(description)}</div>")
        header += ("<div style='font-size:12px;color:#555'>"
                   + prose("Answer each question for the scheme: <i>Yes</i> = it keeps the "
                           "commitment.", "针对这个方案逐条回答：<i>是</i> = 守住了这条承诺。")
                   + "</div>")
        caption = w.HTML(f"<div style='font-size:12px;color:#555'>"
                         f"{html.escape(source_note('ethics_commitments'))}</div>")
        super().__init__([w.HTML(header), *lines, self.check_button, self.output, caption])

    def answer(self, **answers: bool | None) -> None:
        """Set answers by commitment id: True = kept, False = broken, None = unsure."""
        for key, value in answers.items():
            if key not in self.rows:
                raise KeyError(f"no commitment {key!r}; known: {sorted(self.rows)}")
            self.rows[key].value = UNSURE if value is None else (YES if value else NO)

    def answers(self) -> dict[str, bool | None]:
        return {key: None if b.value == UNSURE else b.value == YES for key, b in self.rows.items()}

    def check(self) -> ChecklistResult:
        """Tally the answers and, with an answer key, mark each one."""
        given = self.answers()
        names = dict(zip(self.commitments["commitment_id"], self.commitments["term_zh"],
                         strict=True))
        kept = [k for k, v in given.items() if v is True]
        broken = [k for k, v in given.items() if v is False]
        unanswered = [k for k, v in given.items() if v is None]
        correct = None
        lines = []
        if self.answer_key is not None:
            correct = 0
            for key, value in given.items():
                right = value is not None and value == self.answer_key[key]
                correct += right
                kept_it = self.answer_key[key]
                truth = (prose("the scheme keeps it", "方案守住了这一条") if kept_it
                         else prose("the scheme breaks it", "方案违背了这一条"))
                mark = "✔" if right else ("…" if value is None else "✘")
                reason = html.escape(self.explanations.get(key, ""))
                lines.append(f"<li>{mark} <b>{html.escape(names[key])}</b>: {truth}. "
                             f"{reason}</li>")
        result = ChecklistResult(kept, broken, unanswered, correct, len(given))
        if prose("en", "zh") == "zh":
            tally = (f"{len(given)} 条里守住 {len(kept)} 条；违背："
                     + ("、".join(names[k] for k in broken) or "无")
                     + (f"；未作答：{len(unanswered)} 条" if unanswered else ""))
        else:
            tally = (f"Kept {len(kept)} of {len(given)} · 守住 {len(kept)} 条; broken: "
                     + (", ".join(names[k] for k in broken) or "none")
                     + (f"; not answered: {len(unanswered)}" if unanswered else ""))
        body = f"<div>{html.escape(tally)}</div>"
        if correct is not None:
            colour = GOOD if result.all_correct else BAD
            match = prose(f"{correct}/{len(given)} answers match the key",
                          f"{len(given)} 个答案里有 {correct} 个和参考答案一致")
            body = (f"<div style='color:{colour}'><b>{match}</b></div>{body}"
                    f"<ul>{''.join(lines)}</ul>")
        self.output.value = body
        return result


def build_ethics_checklist(chapter: str | None = None,
                           scheme_id: str | None = None) -> EthicsChecklist:
    """An open checklist, or one for the scheme ``scheme_id`` in ``<chapter>.json``."""
    if chapter is None or scheme_id is None:
        return EthicsChecklist()
    spec = content_item(chapter, "checklists", scheme_id)
    return EthicsChecklist(description=spec["description"], answer_key=spec["answers"],
                           explanations=spec.get("explanations", {}),
                           title=spec.get("title", ""))
