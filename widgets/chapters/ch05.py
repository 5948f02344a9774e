"""Chapter 05 · The 2017 shakeout · 2017年的洗牌.

Its bets, tables and exercise checks."""

from __future__ import annotations

import html
import textwrap
from collections.abc import Mapping
from itertools import pairwise
from typing import Any

import ipywidgets as w
import pandas as pd
from pandas.io.formats.style import Styler

from widgets.apps.bet import Bet, build_bet
from widgets.apps.controls import (
    boxed,
    figure,
    legend_below,
    note,
)
from widgets.apps.exercise import ExerciseCheck, Feedback, check_exercise, mark_rule
from widgets.apps.labels import prose
from widgets.apps.tables import captioned, source_caption
from widgets.apps.theme import GOOD, NEUTRAL
from widgets.apps.trust_decay import TRUST_FLOOR
from widgets.chapters.ch00 import KINDS_ZH, market_sizes_table, reported_sizes
from widgets.data import load_dataset, source_note
from widgets.models import trust_decay as td
from widgets.models.validation import ParameterError

__all__ = [
    "DeathIndexChart",
    "build_half_muted_bet",
    "check_evidence_rule",
    "check_posting_plan",
    "death_index_causes",
    "death_index_chart",
    "death_index_table",
    "evidence_rule_report",
    "exercise_params",
    "half_muted_answer",
    "half_muted_day",
    "mark_evidence_rule",
    "mark_posting_plan",
    "market_sizes_table",
    "market_timeline",
]

SALES_TARGET = 240.0   # expected purchases in a year from 500 friends (checked achievable in tests)
#: The exercise's feed is not all gems: one content post in ten falls flat (junk, 垃圾内容).
#: An assumption; with it, content without replies cannot keep the living room (tested).
EXERCISE_JUNK_SHARE = 0.1
EXERCISE_LIMITS = {"ads_per_day": (0.0, 10.0), "content_per_day": (0.0, 8.0),
                   "interactions_per_day": (0.0, 50.0)}


# --- the eight causes ---------------------------------------------------------------------------
MECHANISM_CONTROLS = {
    "ads_per_day": "slider: Ads per day",
    "content_per_day": "slider: Content posts per day",
    "brag_event": "event: Brag exposed",
    "fake_goods_event": "event: Fake goods, and slider: New friends (outer share)",
    "new_friend_prior": "slider: New friends (outer share)",
}


def death_index_table() -> pd.DataFrame:
    """The eight causes, sorted by death index, with the app control that plays each out."""
    causes = load_dataset("death_index").sort_values(["death_index", "article_order"],
                                                     ascending=[False, True])
    mechanism = causes["model_mechanism"].fillna("")
    causes = causes.assign(
        in_the_model=mechanism.map(lambda m: MECHANISM_CONTROLS.get(m, "not in the model")),
    )
    columns = ["article_order", "cause_en", "cause_zh", "heading_zh", "death_index", "in_the_model"]
    return causes[columns].reset_index(drop=True)


def death_index_causes() -> Styler:
    """:func:`death_index_table` for the notebook, captioned with its source."""
    table = death_index_table().set_index("article_order")
    if prose("en", "zh") == "zh":
        table = table.assign(in_the_model=table["in_the_model"].map(IN_THE_MODEL_ZH))
        table = table[["cause_zh", "heading_zh", "death_index", "in_the_model"]].rename(
            columns={"cause_zh": "死因", "heading_zh": "原文小标题", "death_index": "死亡指数",
                     "in_the_model": "模型中的对应"})
        return captioned(table.rename_axis("原文顺序"), f"{source_caption('death_index')}。"
                         "「模型中的对应」一栏是课程把每个死因对到信任衰减应用上的做法。")
    return captioned(table, f"{source_note('death_index')}. The column in_the_model is the "
                     "course's mapping onto the trust-decay app.")


#: :data:`MECHANISM_CONTROLS` (and "not in the model") in Chinese, for ``zh`` mode.
IN_THE_MODEL_ZH = {
    "slider: Ads per day": "滑块：每天硬广",
    "slider: Content posts per day": "滑块：每天内容帖",
    "event: Brag exposed": "事件：吹牛被揭穿",
    "event: Fake goods, and slider: New friends (outer share)":
        "事件：假货，以及滑块：新好友比例（外圈）",
    "slider: New friends (outer share)": "滑块：新好友比例（外圈）",
    "not in the model": "模型中没有",
}


class DeathIndexChart(w.VBox):
    """A sorted bar chart of the article's death index (死亡指数), coloured by model coverage."""

    def __init__(self) -> None:
        table = death_index_table()
        shown = table.iloc[::-1]   # plotly draws the first bar at the bottom
        in_model = shown["in_the_model"] != "not in the model"
        self.table = table
        self.figure = figure(prose("Eight causes of death of friend-circle selling · 八大死因, "
                                   "by death index", "朋友圈卖货的八大死因，按死亡指数排序"),
                             prose("death index (死亡指数, stars 1–5)", "死亡指数（1–5 星）"), "",
                             height=520)
        labels = ["<br>".join([*textwrap.wrap(en, 40), zh])
                  for en, zh in zip(shown["cause_en"], shown["cause_zh"], strict=True)]
        in_the_model = shown["in_the_model"]
        if prose("en", "zh") == "zh":
            labels, in_the_model = list(shown["cause_zh"]), in_the_model.map(IN_THE_MODEL_ZH)
        self.figure.add_bar(
            x=shown["death_index"], y=labels,
            orientation="h", marker={"color": [GOOD if m else NEUTRAL for m in in_model]},
            customdata=in_the_model, name=prose("death index", "死亡指数"),
            hovertemplate=prose("%{y}<br>%{x} stars<br>in the model: %{customdata}<extra></extra>",
                                "%{y}<br>%{x} 星<br>模型中：%{customdata}<extra></extra>"))
        self.figure.update_xaxes(range=[0, 5], dtick=1)
        self.figure.update_yaxes(automargin=True, tickfont={"size": 12})
        super().__init__([boxed(self.figure), note(prose(
            "Stars as the article gives them; green = a cause you can play out in the trust-decay "
            f"app, grey = not in the model. {html.escape(source_note('death_index'))}",
            "星数照原文；绿色 = 可以在信任衰减应用里演示的死因，灰色 = 模型中没有。"
            f"{html.escape(source_caption('death_index'))}"))])


def death_index_chart() -> DeathIndexChart:
    """The eight causes, sorted by their death index (from ``datasets/death_index.csv``)."""
    return DeathIndexChart()


# --- the bet ------------------------------------------------------------------------------------
HALF_MUTED_OPTIONS = ("Within a month · 一个月内", "In 1 to 6 months · 一到六个月",
                      "Later, or never within a year · 更晚或一年内不会")


def half_muted_day() -> int | None:
    """The day half the circle has muted or blocked the seller, at 5 ads a day only."""
    return td.day_half_muted(5.0)


def half_muted_answer() -> str:
    """The bet's answer from the model: which option the half-muted day falls in."""
    day = half_muted_day()
    if day is not None and day <= 30:
        return HALF_MUTED_OPTIONS[0]
    if day is not None and day <= 182:
        return HALF_MUTED_OPTIONS[1]
    return HALF_MUTED_OPTIONS[2]


def build_half_muted_bet() -> Bet:
    """Chapter 5's bet, with the answer computed by the model at reveal time."""
    return build_bet("ch05", "half_muted", answer=half_muted_answer)


# --- the exercise -------------------------------------------------------------------------------
def exercise_params(plan: Mapping[str, Any] | td.TrustParams) -> td.TrustParams:
    """The exercise's plan: default circle and assumptions, a year, your three plan numbers."""
    if isinstance(plan, td.TrustParams):
        plan = {key: getattr(plan, key) for key in EXERCISE_LIMITS}
    if not isinstance(plan, Mapping):
        raise ParameterError("my_plan should be a dict such as {'ads_per_day': 1.0, "
                             "'content_per_day': 1.0, 'interactions_per_day': 10}")
    unknown = set(plan) - set(EXERCISE_LIMITS)
    if unknown:
        raise ParameterError(f"my_plan has unknown key(s) {sorted(unknown)}; use "
                             f"{sorted(EXERCISE_LIMITS)}")
    missing = set(EXERCISE_LIMITS) - set(plan)
    if missing:
        raise ParameterError(f"my_plan lacks {sorted(missing)}")
    for key, (low, high) in EXERCISE_LIMITS.items():
        value = plan[key]
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not (
                low <= value <= high):
            raise ParameterError(f"{key} must be a number in [{low:g}, {high:g}] for this "
                                 f"exercise, got {value!r}")
    return td.TrustParams(days=365, junk_share=EXERCISE_JUNK_SHARE,
                          **{k: float(v) for k, v in plan.items()})


def mark_posting_plan(plan: Any) -> Feedback:
    """Feedback on a posting plan: 150-layer trust above 0.5 all year and enough sales."""
    if plan is None:
        return Feedback(False, prose(
            "Not yet: set my_plan to a dict with ads_per_day, content_per_day "
            "and interactions_per_day.",
            "还没作答：把 my_plan 设成一个字典，包含 ads_per_day、content_per_day 和 "
            "interactions_per_day。"))
    try:
        params = exercise_params(plan)
    except ParameterError as exc:
        return Feedback(False, str(exc))
    summary = td.simulate_trust(params).summary
    daily_min = summary["min_trust"]["active_150"]
    sales = summary["total_expected_purchases"]
    trust_ok, sales_ok = daily_min > TRUST_FLOOR, sales >= SALES_TARGET
    if trust_ok and sales_ok:
        return Feedback(True, prose(
            f"Passed: the 150-layer's trust never fell below {daily_min:.2f} "
            f"and you sold {sales:.0f} (target {SALES_TARGET:.0f}). ✔",
            f"通过：150 人那一层的信任从没低于 {daily_min:.2f}，你卖出了 {sales:.0f} 件"
            f"（目标 {SALES_TARGET:.0f}）。✔"))
    problems = []
    if not trust_ok:
        daily = td.simulate_trust(params).daily[td.trust_column("active_150")]
        below = daily.index[daily.to_numpy() <= TRUST_FLOOR]
        problems.append(prose(
            f"the 150-layer's trust fell to {TRUST_FLOOR} or below on day {int(below[0])} "
            f"(lowest {daily_min:.2f})",
            f"150 人那一层的信任在第 {int(below[0])} 天跌到了 {TRUST_FLOOR} 或以下"
            f"（最低 {daily_min:.2f}）"))
    if not sales_ok:
        problems.append(prose(f"you sold {sales:.0f}, short of {SALES_TARGET:.0f}",
                              f"你卖出了 {sales:.0f} 件，没达到 {SALES_TARGET:.0f}"))
    joined = prose(" and ", "，并且").join(problems)
    return Feedback(False, prose("Not yet: ", "还没通过：") + joined + prose(".", "。"))


# --- exercise 2: your own trust update ---------------------------------------------------------
STALL_PLAN = {"ads_per_day": 5.0, "content_per_day": 0.0, "interactions_per_day": 0.0}


def evidence_rule_report(rule: Any) -> dict[str, Any]:
    """What a student's evidence rule does in the model: the street stall's half-muted day,
    the living room's lowest 150-layer trust and half-muted day, and two monotonicity checks
    (more ads never raise a friend's long-run trust ``good / (good + bad)``; more replies never
    lower it and do raise it for a plan with ads), each on a small grid of plans."""
    if not callable(rule):
        raise ParameterError("evidence_rule must be a function (ads, content, junk, replies) "
                             "-> (good, bad)")
    stall = td.simulate_trust(td.TrustParams(**STALL_PLAN), evidence_rule=rule).summary
    room = td.simulate_trust(td.PRESETS["living_room"], evidence_rule=rule).summary

    def long_run(ads: float, content: float, replies: float) -> float:
        good, bad = td._evidence(rule, ads, content, 0.0, replies)
        return good / (good + bad) if good + bad > 0 else 0.5

    grid = [(c, r) for c in (0.0, 1.0, 2.0) for r in (0.0, 0.1, 0.3)]
    ads = (0.0, 0.5, 1.0, 2.0, 5.0)
    ads_ok = all(long_run(a2, c, r) <= long_run(a1, c, r) + 1e-12
                 for c, r in grid for a1, a2 in pairwise(ads))
    replies = (0.0, 0.1, 0.3, 1.0)
    replies_ok = all(long_run(a, c, r2) >= long_run(a, c, r1) - 1e-12
                     for a in ads for c in (0.0, 2.0) for r1, r2 in pairwise(replies))
    replies_ok = replies_ok and long_run(1.0, 1.0, 0.3) > long_run(1.0, 1.0, 0.0)
    return {"stall_half_muted": stall["day_half_muted"],
            "room_min_trust": room["min_trust"]["active_150"],
            "room_half_muted": room["day_half_muted"],
            "more_ads_never_help": ads_ok, "more_replies_never_hurt": replies_ok}


def mark_evidence_rule(rule: Any) -> Feedback:
    """Passes when the rule, run through the model, tells the chapter's story: the street stall
    loses half the circle within a year, the living room keeps the 150-layer above
    :data:`TRUST_FLOOR`, more ads never help and more replies never hurt."""

    def judge(report: dict[str, Any]) -> Feedback:
        problems = []
        if report["stall_half_muted"] is None:
            problems.append(prose("with 5 ads a day and nothing else, half the circle never "
                                  "mutes you",
                                  "每天 5 条硬广、别的什么都不发，居然永远没有一半好友屏蔽你"))
        if report["room_min_trust"] <= TRUST_FLOOR or report["room_half_muted"] is not None:
            problems.append(prose(f"the living room lets the 150-layer's trust fall to "
                                  f"{report['room_min_trust']:.2f}",
                                  f"“客厅”策略下 150 人那一层的信任跌到了 "
                                  f"{report['room_min_trust']:.2f}"))
        if not report["more_ads_never_help"]:
            problems.append(prose("somewhere more ads raise a friend's long-run trust",
                                  "有些情况下硬广越多，好友的长期信任反而越高"))
        if not report["more_replies_never_hurt"]:
            problems.append(prose("replies do not build trust (somewhere more replies lower a "
                                  "friend's long-run trust, or they never raise it)",
                                  "回复没有建立信任（有些情况下回复越多长期信任越低，"
                                  "或者回复从来不让信任上升）"))
        if problems:
            joined = prose("; ", "；").join(problems)
            return Feedback(False, prose("Not yet: ", "还没通过：") + joined + prose(".", "。"))
        return Feedback(True, prose(
            f"Passed ✔ The street stall loses half the circle on day "
            f"{report['stall_half_muted']}; the living room's 150-layer never "
            f"falls below {report['room_min_trust']:.2f}. Now defend your weights in writing.",
            f"通过 ✔ “地摊”策略在第 {report['stall_half_muted']} 天失去一半好友；"
            f"“客厅”策略下 150 人那一层的信任始终不低于 {report['room_min_trust']:.2f}。"
            "现在把你定的权重和理由写下来。"))

    return mark_rule(rule, evidence_rule_report, judge,
                     usage=("my_update(ads, content, junk, replies) returning (good, bad)",
                            "my_update(ads, content, junk, replies)，让它返回 (good, bad)"))


def check_evidence_rule(rule: Any) -> ExerciseCheck:
    """Exercise check for chapter 5's trust-update exercise (hints after each miss)."""
    return check_exercise(mark_evidence_rule, rule, chapter="ch05", hints_id="trust_update")


def check_posting_plan(plan: Any) -> ExerciseCheck:
    """Exercise check for chapter 5 (one more hint after each miss)."""
    return check_exercise(mark_posting_plan, plan, chapter="ch05", hints_id="posting_plan")


KIND_SYMBOLS = {"actual": "circle", "estimate": "x", "forecast": "diamond-open"}


def market_timeline() -> w.VBox:
    """Reported market size by the year it describes: one line per report, forecasts open."""
    data = reported_sizes()
    sizes = data[data["metric"] == "market_size"]
    fig = figure(prose("微商 market size as reported · 微商市场规模（各方报告）",
                       "微商市场规模（各方报告）"),
                 prose("year the figure describes", "数字所指的年份"),
                 prose("market size (亿元 = 100 million yuan)", "市场规模（亿元）"),
                 height=400, **legend_below())
    for (body, published), rows in sizes.groupby(["reported_by", "published"], sort=True):
        when = "year not given" if published == "not given" else f"published {published}"
        if prose("en", "zh") == "zh":
            when = "未注明发布年份" if published == "not given" else f"{published} 年发布"
        fig.add_scatter(
            x=rows["year"], y=rows["value"], mode="lines+markers", name=f"{body} ({when})",
            marker={"symbol": [KIND_SYMBOLS[k] for k in rows["kind"]], "size": 11},
            customdata=rows["kind"] if prose("en", "zh") == "en" else rows["kind"].map(KINDS_ZH),
            hovertemplate="%{x}: %{y:,}亿元 (%{customdata})<extra></extra>")
    fig.update_xaxes(dtick=1)
    reading = ("Reading: each report's figures rise, including the forecast for 2017; for 2016 "
               "the two bodies differ by more than a third. Filled circle = actual, x = estimate, "
               "open diamond = forecast.")
    return w.VBox([boxed(fig), note(html.escape(prose(
        reading + " " + source_note("market_figures"),
        "读法：每份报告的数字都在上升，2017 年的预测也是；2016 年两家机构的数字相差三分之一以上。"
        "实心圆 = 实际，x = 估计，空心菱形 = 预测。" + source_caption("market_figures"))))])
