"""Chapter 1 app: a tie-strength calculator (强关系 / 弱关系) and the real-friends exercise.

``build_tie_strength()`` returns a :class:`TieStrengthApp` (sliders for one
contact's four Granovetter dimensions, a bar of their contributions and the
synthetic contact list for comparison). The real-friends exercise is in
:mod:`widgets.chapters.ch01`.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w
import numpy as np
import pandas as pd

from widgets.apps.controls import boxed, figure, float_slider, int_slider, kpi_html, kpi_row, note
from widgets.apps.labels import one_side, prose, register_labels
from widgets.apps.layout import app_children, mark_app
from widgets.apps.restyle import restyle
from widgets.apps.theme import BAD, GOOD, OKABE_ITO
from widgets.data import load_dataset, source_note
from widgets.models import tie_strength as ts

register_labels({
    "tie_hours": ("Time together (hours/month)", "相处时间（小时/月）"),
    "tie_emotion": ("Emotional intensity (1–5)", "情感强度（1–5）"),
    "tie_intimacy": ("Intimacy, mutual confiding (1–5)", "亲密程度（1–5）"),
    "tie_favours": ("Favours exchanged (per year)", "互惠帮忙（次/年）"),
    "tie_threshold": ("Strong-tie cut-off S", "强关系分界 S"),
})

DIMENSION_LABELS = {
    "time": "time · 时间",
    "emotion": "emotional intensity · 情感强度",
    "intimacy": "intimacy · 亲密",
    "services": "reciprocal services · 互惠",
}
CONTACTS = "synthetic_contacts"
BINS = np.linspace(0.0, 1.0, 21)


def load_contacts() -> pd.DataFrame:
    """The synthetic contact list (150 invented contacts; provenance: synthetic)."""
    return load_dataset(CONTACTS)


class TieStrengthApp(w.VBox):
    """Score one contact on Granovetter's four dimensions and place them in a contact list."""

    def __init__(self, hours: float = 4.0, emotion: int = 3, intimacy: int = 2,
                 favours: int = 3) -> None:
        self.hours = float_slider("tie_hours", hours, 0.0, 40.0, 0.5, readout_format=".1f")
        self.emotion = int_slider("tie_emotion", emotion, 1, 5)
        self.intimacy = int_slider("tie_intimacy", intimacy, 1, 5)
        self.favours = int_slider("tie_favours", favours, 0, 24)
        self.threshold = float_slider("tie_threshold", ts.STRONG_THRESHOLD, 0.05, 0.95, 0.05)
        self.contacts = ts.score_contacts(load_contacts())
        self.parts_fig = figure(prose("This contact's tie strength S, dimension by dimension",
                                      "这个联系人的关系强度 S，逐个维度"),
                                prose("contribution to S (0–1, weight ¼ each)",
                                      "对 S 的贡献（0–1，每项权重 ¼）"), "", height=300,
                                legend={"y": -0.6, "traceorder": "normal"}, margin={"b": 130})
        self.list_fig = figure(prose("Where this contact sits in a contact list (synthetic)",
                                     "这个联系人在通讯录里的位置（合成数据）"),
                               prose("tie strength S (0–1)", "关系强度 S（0–1）"),
                               prose("contacts", "联系人"), height=340,
                               barmode="stack", legend={"y": -0.3}, margin={"b": 110})
        self.kpis = w.HTML()
        self.caption = note(prose(
            "Dimensions: Granovetter (1973). The 0–1 scales, equal weights, the caps (20 h a "
            "month, 12 favours a year) and the cut-off are the course's <b>assumptions</b>. "
            f"Contact list: {html.escape(source_note(CONTACTS))}.",
            "四个维度：Granovetter (1973)。0–1 的刻度、相等的权重、上限（每月 20 小时、每年 12 次"
            "帮忙）和分界线都是课程的<b>假设</b>。"
            f"通讯录：{html.escape(source_note(CONTACTS))}。"))
        self.controls = [self.hours, self.emotion, self.intimacy, self.favours, self.threshold]
        for control in self.controls:
            control.observe(lambda _: self.update(), names="value")
        self.update()
        super().__init__(app_children(self.controls, boxed(self.parts_fig), side=[self.kpis],
                                      footer=[boxed(self.list_fig), self.caption]))
        mark_app(self)

    def _add_traces(self) -> None:
        for index, key in enumerate(ts.DIMENSIONS):
            self.parts_fig.add_bar(x=[0.0], y=["S"], orientation="h",
                                   name=one_side(DIMENSION_LABELS[key]),
                                   marker={"color": OKABE_ITO[index]})
        self.parts_fig.update_layout(barmode="stack")
        self.parts_fig.update_xaxes(range=[0, 1])
        self.parts_fig.add_shape(type="line", x0=0, x1=0, yref="paper", y0=0, y1=1,
                                 line={"dash": "dash", "color": "#333"})
        centres = (BINS[:-1] + BINS[1:]) / 2
        for label, colour in (("strong · 强关系", GOOD), ("weak · 弱关系", BAD)):
            self.list_fig.add_bar(x=centres, y=np.zeros(len(centres)), width=0.05,
                                  name=one_side(label),
                                  marker={"color": colour})
        self.list_fig.add_shape(type="line", x0=0, x1=0, yref="paper", y0=0, y1=1,
                                line={"color": "#000", "width": 3})
        self.list_fig.add_annotation(x=0, yref="paper", y=1.0,
                                     text=prose("this contact", "这个联系人"),
                                     showarrow=False, yanchor="bottom")

    def strength(self) -> float:
        return float(ts.tie_strength(self.hours.value, self.emotion.value, self.intimacy.value,
                                     self.favours.value)[()])

    def update(self) -> float:
        scores = ts.dimension_scores(self.hours.value, self.emotion.value, self.intimacy.value,
                                     self.favours.value)
        weights = ts.check_weights(None)
        strength = self.strength()
        cut = self.threshold.value
        strong = strength >= cut
        if not self.parts_fig.data:
            self._add_traces()
        for index, (key, weight) in enumerate(zip(ts.DIMENSIONS, weights, strict=True)):
            restyle(self.parts_fig, index, x=[weight * float(scores[key][()])])
        with self.parts_fig.batch_update():
            self.parts_fig.layout.shapes[0].update(x0=cut, x1=cut)
        values = self.contacts["strength"].to_numpy()
        for index, mask in enumerate((values >= cut, values < cut)):
            restyle(self.list_fig, index, y=np.histogram(values[mask], bins=BINS)[0])
        with self.list_fig.batch_update():
            self.list_fig.layout.shapes[0].update(x0=strength, x1=strength)
            self.list_fig.layout.annotations[0].x = strength
        share = float((values >= cut).mean())
        verdict = prose("strong tie · 强关系 (真朋友)" if strong else "weak tie · 弱关系 (名朋友)",
                        "强关系（真朋友）" if strong else "弱关系（名朋友）")
        self.kpis.value = kpi_row([
            kpi_html(prose("Tie strength S", "关系强度 S"), f"{strength:.2f}",
                     prose(f"cut-off {cut:.2f} (assumption)", f"分界线 {cut:.2f}（假设）"),
                     tone="good" if strong else "bad"),
            kpi_html(prose("Verdict", "判断"), verdict,
                     prose("by the course's cut-off", "按课程的分界线")),
            kpi_html(prose("Strong ties in the list", "通讯录里的强关系"), f"{share:.0%}",
                     prose(f"{int((values >= cut).sum())} of {len(values)} synthetic contacts",
                           f"{len(values)} 个合成联系人里有 {int((values >= cut).sum())} 个")),
        ])
        return strength


def build_tie_strength(**kwargs: Any) -> TieStrengthApp:
    """The chapter 1 tie-strength calculator."""
    return TieStrengthApp(**kwargs)
