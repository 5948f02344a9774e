"""Chapter 00 · Start here · 从这里开始.

Its bets, tables and exercise checks."""

from __future__ import annotations

from typing import Any

import pandas as pd
from pandas.io.formats.style import Styler

from widgets.apps.bet import Bet, build_bet
from widgets.apps.exercise import ExerciseCheck, Feedback, check_choice, check_exercise, mark_rule
from widgets.apps.labels import prose
from widgets.apps.quiz import ChoiceQuiz, SortQuiz, build_quiz
from widgets.apps.tables import captioned, source_caption
from widgets.data import load_dataset, source_note
from widgets.models.market_reports import report_weights, weigh_reports

__all__ = [
    "build_first_bet",
    "build_first_quiz",
    "check_report_rule",
    "check_top_cause",
    "market_reports",
    "market_sizes_table",
    "report_rule_checker",
    "report_rule_measure",
    "reported_sizes",
    "severe_cause_count",
    "top_cause_id",
    "weighed_reports_table",
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


# ------------------------------------------------------- exercise: weigh the market reports

#: The figure the exercise weighs: 微商's market size as the two bodies reported it.
REPORT_METRIC = "market_size"


def market_reports() -> pd.DataFrame:
    """The market-size reports (dataset ``market_figures``), one row per reported figure."""
    data = load_dataset("market_figures")
    return data[data["metric"] == REPORT_METRIC].reset_index(drop=True)


def report_rule_measure(rule: Any) -> dict[str, Any]:
    """Run a weighting rule over the market-size reports: each report's weight next to its
    provenance, and the yearly estimates (:func:`widgets.models.market_reports.weigh_reports`)."""
    reports = market_reports()
    weights = report_weights(reports, rule, REPORT_METRIC)
    table = weigh_reports(reports, rule, REPORT_METRIC)
    rows = reports.set_index("figure_id").assign(weight=weights)
    return {"rows": rows, "table": table}


def _first_pair(rows: pd.DataFrame, lower: pd.Series, upper: pd.Series) -> tuple[str, str] | None:
    """The first report in ``lower`` that weighs at least as much as one in ``upper``."""
    for low_id in rows.index[lower]:
        for high_id in rows.index[upper]:
            if rows.loc[low_id, "weight"] >= rows.loc[high_id, "weight"]:
                return str(low_id), str(high_id)
    return None


def report_rule_checker(rule: Any) -> Feedback:
    """Right when the rule trusts a body's forecast less than that body's actual figures, and
    an approximate figure less than every exact actual one; then it reports the estimates."""

    def judge(measured: dict[str, Any]) -> Feedback:
        rows, table = measured["rows"], measured["table"]
        actual = (rows["kind"] == "actual") & ~rows["approx"]
        for body in rows["reported_by"].unique():
            own = rows["reported_by"] == body
            pair = _first_pair(rows, own & (rows["kind"] == "forecast"), own & actual)
            if pair:
                return Feedback(False, prose(
                    f"Not yet: your rule trusts the forecast {pair[0]} as much as {pair[1]}, "
                    f"a figure the same body later gave as actual. A forecast is a guess "
                    "about a year that has not happened yet.",
                    f"还没通过：你的规则对预测值 {pair[0]} 的信任，和对同一机构事后公布的实际值 "
                    f"{pair[1]} 一样多。预测只是对还没过完的年份的猜测。"))
        pair = _first_pair(rows, rows["approx"], actual)
        if pair:
            return Feedback(False, prose(
                f"Not yet: your rule trusts the approximate figure {pair[0]} as much as the "
                f"exact actual figure {pair[1]}. A round number with no publication year "
                "should count for less.",
                f"还没通过：你的规则对约数 {pair[0]} 的信任，和对精确的实际值 {pair[1]} "
                "一样多。一个连发布年份都没有的整数估计，应该算得少一些。"))
        years = table.index
        last, before = int(years[-1]), int(years[-2])
        text_en = ", ".join(f"{y}: {table.loc[y, 'estimate']:,.0f} 亿元" for y in years)
        text_zh = "，".join(f"{y} 年 {table.loc[y, 'estimate']:,.0f} 亿元" for y in years)
        growth = float(table.loc[last, "growth"])
        return Feedback(True, prose(
            f"Passed ✔ Your estimates: {text_en}; from {before} to {last} "
            f"{growth:+.0%} (every report alike: {table.loc[before, 'naive']:,.0f} in "
            f"{before}). Now write whether your numbers show a crash in {last}, and why you "
            "trusted whom.",
            f"通过 ✔ 你的估计：{text_zh}；{before} 到 {last} 年变化 {growth:+.0%}（所有报告"
            f"一样对待时，{before} 年是 {table.loc[before, 'naive']:,.0f}）。现在写下：你的数字"
            f"能不能说明 {last} 年崩盘了？你为什么更信这一家、不信那一家？"))

    return mark_rule(rule, report_rule_measure, judge,
                     usage=("my_weight(report) returning a weight of 0 or more",
                            "my_weight(report)，让它返回 0 或更大的权重"))


def check_report_rule(rule: Any) -> ExerciseCheck:
    """Mark the report-weighting exercise with instant feedback and hints from ch00.json."""
    return check_exercise(report_rule_checker, rule, chapter="ch00", hints_id="report_weights")


def weighed_reports_table(rule: Any) -> Styler:
    """Each market-size report with its provenance and the weight your rule gives it."""
    rows = report_rule_measure(rule)["rows"]
    table = rows[["year", "value", "kind", "approx", "reported_by", "publication_year",
                  "weight"]].rename(columns={"value": "亿元"})
    if prose("en", "zh") == "zh":
        table = table.assign(kind=table["kind"].map(KINDS_ZH)).rename(columns={
            "year": "年份", "kind": "类型", "approx": "约数", "reported_by": "发布机构",
            "publication_year": "发布年份", "weight": "权重"})
        table.index.name = "报告"
    return captioned(table, prose(
        f"{source_note('market_figures')}. As reported, via reposts. The weight is your "
        "rule's; the figures are the reports'.",
        f"{source_caption('market_figures')}。数字是各方报告的（经转载），权重是你的规则给的。"))
