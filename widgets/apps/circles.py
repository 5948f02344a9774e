"""Chapter 4: circles (圈层) — which circle of a community to serve first.

The exercise is a pandas ``groupby`` on the synthetic community table; the
checker computes the expected answer from the data and recognises the usual
slips (ranking by total spend or by head count instead of spend per member).
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w
import pandas as pd

from widgets.apps.controls import boxed, figure, note
from widgets.apps.exercise import ExerciseCheck, Feedback, check_choice, check_exercise
from widgets.apps.labels import prose
from widgets.apps.theme import OKABE_ITO
from widgets.data import load_dataset, source_note

COMMUNITY = "synthetic_community"


def load_community() -> pd.DataFrame:
    """The synthetic community table (one row per member; provenance: synthetic)."""
    return load_dataset(COMMUNITY)


def circle_summary(community: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per circle: members, total and per-member spend (元/year) and referrals per member."""
    data = load_community() if community is None else community
    spend = data["orders_last_year"] * data["avg_order_yuan"]
    summary = (data.assign(spend=spend)
               .groupby(["circle", "circle_zh"], as_index=False)
               .agg(members=("member_id", "count"), total_spend=("spend", "sum"),
                    spend_per_member=("spend", "mean"),
                    referrals_per_member=("referrals_last_year", "mean")))
    return summary.sort_values("spend_per_member", ascending=False, ignore_index=True)


def first_circle(community: pd.DataFrame | None = None) -> str:
    """The circle whose members spend the most per head (the one to serve first)."""
    return str(circle_summary(community).iloc[0]["circle"])


def mark_first_circle(answer: Any) -> Feedback:
    """Feedback for the circles exercise (the ``circle`` id, e.g. ``"students"``)."""
    if answer is None:
        return Feedback(False, prose(
            "Not yet: set answer to the circle id (a string such as 'students').",
            "还没作答：把圈层 id（比如 'students' 这样的字符串）赋给 answer。"))
    if not isinstance(answer, str):
        kind = type(answer).__name__
        return Feedback(False, prose(
            f"answer should be a circle id string, got {kind}; .idxmax() gives one.",
            f"answer 应该是圈层 id 字符串，现在是 {kind}；.idxmax() 能给出它。"))
    summary = circle_summary()
    by_total = str(summary.sort_values("total_spend").iloc[-1]["circle"])
    by_members = str(summary.sort_values("members").iloc[-1]["circle"])
    expected = str(summary.iloc[0]["circle"])
    given = answer.strip().lower()
    if given == expected:
        return Feedback(True, prose(f"Right: {expected} members spend the most per head. ✔",
                                    f"对了：{expected} 的人均消费最高。✔"))
    if given != expected and given == by_total:
        return Feedback(False, prose(
            f"{answer} has the largest TOTAL spend, but only because it is "
            "big: compare spend per member (mean, not sum).",
            f"{answer} 的消费总额最大，但那只是因为人多：要比人均消费（取平均，不是求和）。"))
    if given != expected and given == by_members:
        return Feedback(False, prose(
            f"{answer} is the biggest circle by head count; the task asks for spend per member.",
            f"{answer} 是人数最多的圈层；题目问的是人均消费。"))
    if given not in set(summary["circle"]):
        return Feedback(False, prose(
            f"{answer!r} is not a circle; the ids are {sorted(summary['circle'])}.",
            f"{answer!r} 不是圈层；圈层 id 有 {sorted(summary['circle'])}。"))
    return check_choice(answer, expected, name="circle")


def check_first_circle(answer: Any) -> ExerciseCheck:
    """Exercise check: which circle to serve first? (hints after a miss)."""
    return check_exercise(mark_first_circle, answer, chapter="ch04", hints_id="first_circle")


def build_circle_chart() -> w.VBox:
    """Bars of spend per member by circle, with head counts (shown after the exercise)."""
    summary = circle_summary()
    fig = figure("Spend per member and size of each circle (synthetic)", "circle",
                 "元 per member per year", height=360)
    with fig.batch_update():
        fig.add_bar(x=[f"{c}<br>{z}" for c, z in zip(summary.circle, summary.circle_zh,
                                                     strict=True)],
                    y=summary.spend_per_member.round(0),
                    text=[f"{n} members" for n in summary.members], textposition="outside",
                    marker={"color": OKABE_ITO[0]}, showlegend=False, name="spend per member")
        fig.update_yaxes(range=[0, float(summary.spend_per_member.max()) * 1.2])
    box = boxed(fig)
    box.fig = fig
    caption = note("Small, high-spending circles can matter more than big ones. "
                   f"{html.escape(source_note(COMMUNITY))} — invented data.")
    return w.VBox([box, caption])
