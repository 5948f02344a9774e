"""Chapter 4 app: direct response (直复营销) is measurable — two posts, one A/B comparison.

``build_ab_test()`` returns an :class:`ABTestApp` over the synthetic A/B table:
pick the outcome (replies or orders), how many recipients per post to count and
the confidence level; the chart shows both rates and the difference with its
confidence interval. The chapter's exercise checks are in :mod:`widgets.chapters.ch04`.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w
import pandas as pd

from widgets.apps.controls import (
    boxed,
    dropdown,
    figure,
    int_slider,
    kpi_html,
    kpi_row,
    note,
    toggle,
)
from widgets.apps.labels import one_side, prose, register_labels
from widgets.apps.layout import app_children, mark_app
from widgets.apps.restyle import restyle
from widgets.apps.theme import BAD, GOOD, OKABE_ITO
from widgets.data import load_dataset, source_note
from widgets.models import ab_test as ab

register_labels({
    "ab_outcome": ("Outcome", "指标"),
    "ab_recipients": ("Recipients counted per post", "每条统计人数"),
    "ab_confidence": ("Confidence level", "置信水平"),
})

POSTS = "synthetic_ab_posts"
OUTCOMES = {"replied": "replied · 回复", "ordered": "ordered · 下单"}


def load_ab_posts() -> pd.DataFrame:
    """The synthetic A/B table: one row per friend shown post A or post B."""
    return load_dataset(POSTS)


def first_recipients(posts: pd.DataFrame, per_post: int) -> pd.DataFrame:
    """The first ``per_post`` recipients of each post, in recipient_id order."""
    ordered = posts.sort_values("recipient_id")
    return ordered.groupby("post", group_keys=False).head(per_post)


class ABTestApp(w.VBox):
    """Rates of two posts with the confidence interval of their difference."""

    def __init__(self, outcome: str = "replied", confidence: float = 0.95) -> None:
        self.posts = load_ab_posts()
        ordered = self.posts.sort_values("recipient_id")
        # per outcome and post, the 0/1 responses in recipient order (so a slider is a slice)
        self._columns = {outcome: {post: ordered.loc[ordered["post"] == post, outcome]
                                   .to_numpy(dtype=bool) for post in ("A", "B")}
                         for outcome in OUTCOMES}
        largest = int(self.posts["post"].value_counts().min())
        self.outcome = toggle("ab_outcome", [(v, k) for k, v in OUTCOMES.items()], outcome)
        self.recipients = int_slider("ab_recipients", largest, 50, largest, 50)
        self.confidence = dropdown("ab_confidence",
                                   [("80 %", 0.8), ("90 %", 0.9), ("95 %", 0.95), ("99 %", 0.99)],
                                   confidence)
        self.rates_fig = figure(prose("Response rate of each post", "每条朋友圈的响应率"), "",
                                prose("response rate (%)", "响应率（%）"), height=300)
        self.diff_fig = figure(prose("Difference B − A with its confidence interval",
                                     "B − A 的差及其置信区间"),
                               prose("difference in response rate (percentage points)",
                                     "响应率之差（百分点）"), "", height=220)
        self.kpis = w.HTML()
        self.caption = note(prose(
            "Interval: Agresti–Caffo (2000), a normal approximation after adding one success "
            f"and one failure per post. Data: {html.escape(source_note(POSTS))} — invented "
            "numbers, not a real campaign.",
            "区间：Agresti–Caffo (2000)，给每条朋友圈各加一次成功、一次失败后用正态近似。"
            f"数据：{html.escape(source_note(POSTS))} — 编出来的数字，不是真实的投放。"))
        self.controls = [self.outcome, self.recipients, self.confidence]
        for control in self.controls:
            control.observe(lambda _: self.update(), names="value")
        self.update()
        super().__init__(app_children(self.controls, boxed(self.rates_fig), side=[self.kpis],
                                      footer=[boxed(self.diff_fig), self.caption]))
        mark_app(self)

    def _add_traces(self) -> None:
        self.rates_fig.add_bar(x=[prose("A: photo + price list", "A：图片 + 价目表"),
                                  prose("B: own-use story", "B：自用故事")], y=[0, 0],
                               textposition="outside", showlegend=False, name="rate",
                               marker={"color": [OKABE_ITO[1], OKABE_ITO[0]]})
        self.diff_fig.add_scatter(
            x=[0], y=["B − A"], mode="markers", marker={"size": 12}, showlegend=False,
            error_x={"type": "data", "symmetric": False, "array": [0], "arrayminus": [0],
                     "thickness": 3})
        self.diff_fig.add_scatter(x=[0], y=["B − A"], mode="markers", showlegend=False,
                                  marker={"symbol": "x", "size": 10, "color": "#000"},
                                  name=prose("observed difference", "观察到的差"))
        self.diff_fig.add_shape(type="line", x0=0, x1=0, yref="paper", y0=0, y1=1,
                                line={"dash": "dash", "color": "#333"})

    def update(self) -> ab.DiffResult:
        k = self.recipients.value
        columns = self._columns[self.outcome.value]
        counts = {post: (int(values[:k].sum()), len(values[:k]))
                  for post, values in columns.items()}
        result = ab.diff_ci(*counts["A"], *counts["B"], confidence=self.confidence.value)
        if not self.rates_fig.data:
            self._add_traces()
        restyle(self.rates_fig, 0, y=[100 * result.rate_a, 100 * result.rate_b],
                text=[prose(f"{counts[p][0]} of {counts[p][1]}", f"{counts[p][0]} / {counts[p][1]}")
                      for p in ("A", "B")])
        top = 100 * max(result.rate_a, result.rate_b)
        with self.rates_fig.batch_update():
            self.rates_fig.update_yaxes(range=[0, top * 1.3 + 0.5])
        colour = GOOD if result.excludes_zero else BAD
        diff, low, high = 100 * result.diff, 100 * result.low, 100 * result.high
        centre = (low + high) / 2
        restyle(self.diff_fig, 0, x=[centre], marker={"color": colour},
                name=prose(f"{result.confidence:.0%} interval", f"{result.confidence:.0%} 区间"),
                error_x={"array": [high - centre], "arrayminus": [centre - low],
                         "color": colour})
        restyle(self.diff_fig, 1, x=[diff])
        span = max(abs(low), abs(high)) * 1.2 + 0.5
        with self.diff_fig.batch_update():
            self.diff_fig.update_xaxes(range=[-span, span])
        verdict = one_side("real · 差异可信" if result.excludes_zero
                           else "could be chance · 可能只是偶然")
        self.kpis.value = kpi_row([
            kpi_html(prose("Post A rate", "A 的响应率"), f"{100 * result.rate_a:.1f} %"),
            kpi_html(prose("Post B rate", "B 的响应率"), f"{100 * result.rate_b:.1f} %"),
            kpi_html(prose("Difference B − A", "B − A 之差"),
                     prose(f"{diff:+.1f} pts", f"{diff:+.1f} 个百分点"),
                     prose(f"{result.confidence:.0%} CI {low:+.1f} to {high:+.1f} pts",
                           f"{result.confidence:.0%} 置信区间 {low:+.1f} 到 {high:+.1f} 个百分点")),
            kpi_html(prose("Is the difference real?", "差异是真的吗？"), verdict,
                     prose("does the interval exclude 0?", "区间是否不含 0？"),
                     tone="good" if result.excludes_zero else "bad"),
        ])
        self.result = result
        return result


def build_ab_test(**kwargs: Any) -> ABTestApp:
    """The chapter 4 A/B comparison of two friend-circle posts."""
    return ABTestApp(**kwargs)
