"""Chapter 04 · Five characteristics of 微商 · 微商的五大特性.

Its bets, tables and exercise checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w
import pandas as pd

from widgets.apps.ab_test import load_ab_posts
from widgets.apps.bet import Bet, build_bet
from widgets.apps.circles import circle_summary
from widgets.apps.content import content_item
from widgets.apps.exercise import (
    ExerciseCheck,
    Feedback,
    check_choice,
    check_exercise,
    check_number,
    mark_rule,
)
from widgets.apps.labels import prose
from widgets.apps.retention import DEFAULTS
from widgets.apps.tables import source_caption, table_html
from widgets.data import load_dataset, source_note
from widgets.models import ab_test as ab
from widgets.models import repeat_purchase as rp

__all__ = [
    "build_retention_bet",
    "check_first_circle",
    "check_order_difference",
    "check_post_verdict",
    "check_retention_rule",
    "first_circle",
    "mark_first_circle",
    "mark_order_difference",
    "mark_post_verdict",
    "mark_retention_rule",
    "order_difference",
    "order_verdict",
    "retention_bet_answer",
    "retention_break_even",
    "show_characteristics",
]


def retention_bet_answer() -> str:
    """The bet option the model picks at the app's default settings."""
    options = content_item("ch04", "bets", "retention_vs_new")["options"]
    keys = ("new_per_period", "retention", "margin", "discount", "horizon", "retention_gain",
            "acquisition_gain")
    result = rp.compare_levers(**{k: DEFAULTS[k] for k in keys})
    return options[0] if result.retention_wins else options[1]


def build_retention_bet() -> Bet:
    """Bet: is +10 points of retention worth more than +50 % new customers?"""
    return build_bet("ch04", "retention_vs_new", answer=retention_bet_answer)


def retention_break_even(horizon: int = int(DEFAULTS["horizon"])) -> float:
    """Starting retention above which +10 points beats +50 % new customers (default horizon)."""
    return rp.break_even_retention(retention_gain=DEFAULTS["retention_gain"],
                                   acquisition_gain=DEFAULTS["acquisition_gain"],
                                   margin=DEFAULTS["margin"], discount=DEFAULTS["discount"],
                                   horizon=horizon)


# ---------------------------------------------------------------------- exercise: your retention
FLAT_GAIN = 0.10  # the bet's lever: +10 points of retention from the first month on


def mark_retention_rule(rule: object) -> Feedback:
    """Passes when a tenure-dependent retention that starts no higher than today's (0.70 in
    month 1) beats a flat +10 points (0.80 every month) on two-year value per customer."""
    base = float(DEFAULTS["retention"])
    common = {"margin": float(DEFAULTS["margin"]), "discount": float(DEFAULTS["discount"]),
              "horizon": int(DEFAULTS["horizon"])}

    def measure(rule: Callable[[int], float]) -> tuple[float, float]:
        return float(rule(1)), float(rp.clv_with_rule(rule, **common))

    def judge(measured: tuple[float, float]) -> Feedback:
        first, yours = measured
        flat = float(rp.clv(base + FLAT_GAIN, **common))
        today = float(rp.clv(base, **common))
        if first > base + 1e-12:
            return Feedback(False, prose(
                f"Month 1 retention is {first:.2f}: start no higher than today's {base:.2f} — "
                "deep marketing has to earn the rise over time.",
                f"第 1 个月的留存率是 {first:.2f}：起点不能高于今天的 "
                f"{base:.2f}，深度营销得靠时间一点点把它挣上去。"))
        if yours <= flat:
            return Feedback(False, prose(
                f"Not yet: your customer is worth {yours:,.0f} 元 over "
                f"{common['horizon']} months; a flat {base + FLAT_GAIN:.2f} gives "
                f"{flat:,.0f} 元 (today: {today:,.0f} 元).",
                f"还没通过：按你的曲线，一个顾客 {common['horizon']} 个月值 {yours:,.0f} 元；"
                f"平平的 {base + FLAT_GAIN:.2f} 能到 {flat:,.0f} 元（今天：{today:,.0f} 元）。"))
        return Feedback(True, prose(
            f"Passed ✔ Your customer is worth {yours:,.0f} 元 over "
            f"{common['horizon']} months, more than a flat "
            f"{base + FLAT_GAIN:.2f} ({flat:,.0f} 元; today {today:,.0f} 元). "
            "Now defend your curve in writing.",
            f"通过 ✔ 按你的曲线，一个顾客 {common['horizon']} 个月值 {yours:,.0f} 元，"
            f"超过平平的 {base + FLAT_GAIN:.2f}（{flat:,.0f} 元；今天 {today:,.0f} 元）。"
            "现在把你的曲线和理由写下来。"))

    return mark_rule(rule, measure, judge,
                     usage=("my_retention(tenure) returning a retention in [0, 0.99]",
                            "my_retention(tenure)，让它返回 [0, 0.99] 之间的留存率"))


def check_retention_rule(rule: object) -> ExerciseCheck:
    """Exercise check for chapter 4's retention-curve exercise (hints after each miss)."""
    return check_exercise(mark_retention_rule, rule, chapter="ch04", hints_id="retention_rule")


VERDICTS = ("real", "could be chance")


def order_difference() -> float:
    """Order rate of post B minus post A over the whole synthetic table (from the data)."""
    return ab.compare_posts(load_ab_posts(), "ordered").diff


def order_verdict() -> str:
    """``"real"`` or ``"could be chance"`` for orders at 95 % (from the data)."""
    return ab.compare_posts(load_ab_posts(), "ordered").verdict


def mark_order_difference(answer: Any) -> Feedback:
    """Feedback for step 1: the order-rate difference B − A, as a share (e.g. 0.01 = 1 pt)."""
    if answer is None:
        return Feedback(False, prose("Not yet: set answer to the order rate of B minus that of A.",
                                     "还没作答：把 B 的下单率减去 A 的下单率，赋给 answer。"))
    expected = order_difference()
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return Feedback(False, prose(f"answer should be one number, got {type(answer).__name__}.",
                                     f"answer 应该是一个数字，现在是 {type(answer).__name__}。"))
    if abs(value - 100 * expected) < 1e-6:
        return Feedback(False, prose(
            "That looks like percentage points; give the difference as a "
            "share (0.01 for one point).",
            "这看起来是百分点；请以比例给出差值（一个百分点写成 0.01）。"))
    if abs(value + expected) < 1e-9 and expected != 0:
        return Feedback(False, prose("Sign flipped: compute B − A, not A − B.",
                                     "符号反了：要算 B − A，不是 A − B。"))
    return check_number(value, expected, tolerance=5e-4, name="order-rate difference B − A")


def mark_post_verdict(answer: Any) -> Feedback:
    """Feedback for step 2: is the order difference "real" or does it "could be chance"?"""
    if answer is None:
        return Feedback(False, prose(f"Not yet: set verdict to one of {list(VERDICTS)}.",
                                     f"还没作答：把 verdict 设为 {list(VERDICTS)} 之一。"))
    if not isinstance(answer, str) or answer.strip().lower() not in VERDICTS:
        return Feedback(False, prose(f"verdict should be one of {list(VERDICTS)}, got {answer!r}.",
                                     f"verdict 应该是 {list(VERDICTS)} 之一，现在是 {answer!r}。"))
    result = ab.compare_posts(load_ab_posts(), "ordered")
    feedback = check_choice(answer, result.verdict, name="verdict")
    reason = prose(f"the 95 % interval for B − A runs from {100 * result.low:+.1f} to "
                   f"{100 * result.high:+.1f} points",
                   f"B − A 的 95% 区间从 {100 * result.low:+.1f} 到 "
                   f"{100 * result.high:+.1f} 个百分点")
    if feedback.correct:
        return Feedback(True, prose(f"Right: {reason}. ✔", f"对了：{reason}。✔"))
    return Feedback(False, prose(
        "Not quite: compute the 95 % interval for the order rates "
        "(or set the app above to 'ordered') and ask whether it contains 0.",
        "还不对：算出下单率之差的 95% 区间（或把上面的应用切到 'ordered'），看它是否包含 0。"))


def check_order_difference(answer: Any) -> ExerciseCheck:
    """Exercise check, step 1 (hints after a miss)."""
    return check_exercise(mark_order_difference, answer, chapter="ch04",
                          hints_id="order_difference")


def check_post_verdict(answer: Any) -> ExerciseCheck:
    """Exercise check, step 2 (hints after a miss)."""
    return check_exercise(mark_post_verdict, answer, chapter="ch04", hints_id="post_verdict")


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


def show_characteristics() -> w.HTML:
    """The five characteristics of 微商 (dataset ``characteristics``) with their source."""
    table = load_dataset("characteristics").sort_values("order")
    rows = [[r.section, f"{r.term_zh} · {r.term_en}", r.explanation_en]
            for r in table.itertuples()]
    if prose("en", "zh") == "zh":
        shown = table[["section", "term_zh"]].rename(columns={"section": "§", "term_zh": "特性"})
        return w.HTML(table_html(shown, source_caption("characteristics")))
    return w.HTML(table_html(pd.DataFrame(rows, columns=["§", "Trait", "In brief"]),
                             source_note("characteristics")))
