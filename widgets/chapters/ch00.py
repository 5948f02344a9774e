"""Chapter 00 · Start here · 从这里开始.

Its bets, tables and exercise checks."""

from __future__ import annotations

from typing import Any

import pandas as pd
from pandas.io.formats.style import Styler

from widgets.apps.bet import Bet, build_bet
from widgets.apps.exercise import ExerciseCheck, Feedback, check_choice, check_exercise
from widgets.apps.labels import prose
from widgets.apps.quiz import ChoiceQuiz, SortQuiz, build_quiz
from widgets.apps.tables import captioned, source_caption
from widgets.data import load_dataset, source_note

__all__ = [
    "build_first_bet",
    "build_first_quiz",
    "check_top_cause",
    "market_sizes_table",
    "reported_sizes",
    "severe_cause_count",
    "top_cause_id",
]


def severe_cause_count(threshold: int = 4) -> int:
    """How many death causes the article rates ``threshold`` stars or more."""
    return int((load_dataset("death_index")["death_index"] >= threshold).sum())


def top_cause_id() -> str:
    """The ``cause_id`` with the highest death index (the article's order breaks ties)."""
    table = load_dataset("death_index").sort_values(["death_index", "article_order"],
                                                    ascending=[False, True])
    return str(table.iloc[0]["cause_id"])


def build_first_bet() -> Bet:
    """The course's first bet: how many causes are rated four stars or more?"""
    return build_bet("ch00", "four_star_causes", answer=severe_cause_count)


def build_first_quiz() -> ChoiceQuiz | SortQuiz:
    """The course's first quiz: what is 微商?"""
    return build_quiz("ch00", "what_is_weishang")


def _check_top_cause(answer: Any) -> Feedback:
    if answer is None:
        return Feedback(False, prose("Not answered yet: set top_cause to a cause_id string.",
                                     "还没作答：把 top_cause 设成一个 cause_id 字符串。"))
    return check_choice(answer, top_cause_id(), name="top_cause")


def check_top_cause(answer: Any) -> ExerciseCheck:
    """Exercise: which cause_id has the highest death index?"""
    return check_exercise(_check_top_cause, answer, chapter="ch00", hints_id="top_cause")


SIZE_METRICS = ("market_size", "practitioners")


def reported_sizes() -> pd.DataFrame:
    """Market size and practitioner counts, one row per reported figure, with its provenance."""
    data = load_dataset("market_figures")
    data = data[data["metric"].isin(SIZE_METRICS)].copy()
    data["published"] = data["publication_year"].map(
        lambda y: "not given" if pd.isna(y) else str(int(y)))
    columns = ["metric", "year", "value", "unit", "kind", "reported_by", "published", "notes"]
    return (data.sort_values(["metric", "year", "reported_by", "published"])[columns]
            .reset_index(drop=True))


def market_sizes_table() -> Styler:
    """:func:`reported_sizes` for the notebook, captioned with its source and provenance."""
    if prose("en", "zh") == "zh":
        table = reported_sizes().drop(columns="notes")
        table = table.assign(
            metric=table["metric"].map(SIZE_METRICS_ZH), kind=table["kind"].map(KINDS_ZH),
            published=table["published"].replace("not given", "未注明"),
        ).rename(columns=SIZES_COLUMNS_ZH)
        return captioned(table, f"{source_caption('market_figures')}。按转载中的报道照录"
                                "（未见原始报告）。类型：实际 = 已过去的年份，估计 = 大致数字，"
                                "预测 = 对未来的推算。两家机构说法不一时，两行都保留。")
    return captioned(reported_sizes(), (
        f"{source_note('market_figures')}. As reported, via reposts (the original reports were "
        "not seen). kind: actual = a past year, estimate = approximate, forecast = a projection. "
        "Where two bodies disagree, both rows are kept."))


#: Chinese headers and values of :func:`market_sizes_table` (``zh`` mode).
SIZE_METRICS_ZH = {"market_size": "市场规模", "practitioners": "从业人数"}
KINDS_ZH = {"actual": "实际", "estimate": "估计", "forecast": "预测"}
SIZES_COLUMNS_ZH = {"metric": "指标", "year": "年份", "value": "数值", "unit": "单位",
                    "kind": "类型", "reported_by": "发布机构", "published": "发布年份"}
