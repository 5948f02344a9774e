"""Chapter 02 · Which products sell through friends · 什么产品适合朋友圈.

Its bets, tables and exercise checks."""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as w
import pandas as pd

from widgets.apps.bet import Bet, build_bet
from widgets.apps.exercise import (
    ExerciseCheck,
    Feedback,
    check_exercise,
    check_number,
    mark_rule,
)
from widgets.apps.labels import prose
from widgets.apps.product_scorer import COURSE_BET_PRODUCTS, course_products, criterion_label
from widgets.apps.tables import source_caption, table_html
from widgets.data import load_dataset
from widgets.models.product_scorer import (
    CRITERIA,
    CRITERION_LABELS,
    DEFAULT_CONCENTRATION,
    DEFAULT_SAMPLES,
    SCORE_MAX,
    compare_methods,
    flip_top_two,
    product_score,
    rank_stability,
    score_products,
    score_with_rule,
    scores_from_table,
    validate_scores,
)
from widgets.models.validation import ParameterError

__all__ = [
    "build_mask_bet",
    "check_my_product",
    "check_raise_answer",
    "check_scoring_rule",
    "flip_sentence",
    "mark_scoring_rule",
    "mask_bet_answer",
    "method_table",
    "product_feedback",
    "raise_one_point_answer",
    "show_frequency_table",
    "show_methods",
    "show_product_table",
    "show_stability",
    "stability_table",
]

MEETS_THRESHOLD = 3.0  # assumption: a product "meets" a criterion when it scores ≥ 3 of 5


# --------------------------------------------------------------------------- chapter helpers

def _product_names(table: pd.DataFrame) -> pd.Index:
    """The products of ``table`` (columns ``name_en``, ``name_zh``) as the reader reads them:
    the index of the chapter's tables."""
    if prose("en", "zh") == "zh":
        return pd.Index(list(table["name_zh"]), name="产品")
    return pd.Index([f"{r.name_en} · {r.name_zh}" for r in table.itertuples()],
                    name="product · 产品")


#: What the article says of each product, and whose reading that is, in Chinese.
VERDICTS_ZH = {"succeeded": "成功", "not the top category": "不是首选品类", "failed": "失败",
               "low-frequency example": "低频的例子", "comparison": "对照", "mixed": "好坏参半",
               "warning": "警示", "stage-1 example": "第一阶段的例子", "source": "原文",
               "course reading": "课程的解读"}


def show_product_table() -> w.HTML:
    """The course's products with their eight scores and what the article says, plus source."""
    table = course_products()
    shown = table.set_index(_product_names(table))[["article_verdict", "verdict_basis", *CRITERIA]]
    headers = {c: f"{i}. {CRITERION_LABELS[c][1]}" for i, c in enumerate(CRITERIA, start=1)}
    if prose("en", "zh") == "zh":
        shown = shown.replace({"article_verdict": VERDICTS_ZH, "verdict_basis": VERDICTS_ZH})
        return w.HTML(table_html(shown.rename(columns={
            "article_verdict": "原文结论", "verdict_basis": "谁的解读", **headers}),
            f"分数 0–5，仅作示意（课程的解读，理由见 datasets/products.csv）。"
            f"{source_caption('products')}"))
    shown = shown.rename(columns={"article_verdict": "article says",
                                  "verdict_basis": "whose reading", **headers})
    return w.HTML(table_html(shown, f"Scores 0–5, illustrative (the course's reading, reasons "
                                    f"in datasets/products.csv). {table.attrs['source']}"))


def mask_bet_answer() -> str:
    """The bet's answer, computed by the model: the highest-scoring of mask, handbag, pads."""
    table = course_products().set_index("product_id")
    totals = score_products(scores_from_table(table.reset_index()).loc[
        list(COURSE_BET_PRODUCTS)]).total
    best = totals.idxmax()
    return f"{table.at[best, 'name_en']} · {table.at[best, 'name_zh']}"


def build_mask_bet() -> Bet:
    """The chapter's bet: which of mask, handbag and sanitary pads scores highest?"""
    return build_bet("ch02", "mask_handbag_pads", answer=mask_bet_answer)


def product_feedback(product: Any) -> Feedback:
    """Check a student's product ``{"name": ..., <criterion>: 0–5, ...}`` and explain its score."""
    if not isinstance(product, Mapping):
        return Feedback(False, prose(
            "my_product should be a dict like {'name': ..., 'experiential': 3, ...}.",
            "my_product 应该是一个字典，比如 {'name': ..., 'experiential': 3, ...}。"))
    name = str(product.get("name") or "").strip()
    if not name:
        return Feedback(False, prose("Give your product a name, e.g. 'name': 'Green tea'.",
                                     "给你的产品起个名字，比如 'name': '绿茶'。"))
    for c in CRITERIA:
        value = product.get(c)
        if value is None:
            return Feedback(False, prose(
                f"Fill in a 0–5 score for {c!r} ({criterion_label(c)}).",
                f"请给 {c!r}（{criterion_label(c)}）填一个 0–5 的分数。"))
    try:
        total = product_score({k: v for k, v in product.items() if k != "name"})
    except ParameterError as exc:
        return Feedback(False, str(exc))
    course = scores_from_table(course_products())
    rank = int((score_products(course).total > total).sum()) + 1
    ordered = sorted(CRITERIA, key=lambda c: float(product[c]))
    weak = [c for c in ordered if float(product[c]) < MEETS_THRESHOLD]
    if prose("en", "zh") == "zh":
        verdict = ("八条标准全部达标（每条 ≥ 3，课程的假设）：值得一试" if not weak else
                   f"有 {len(weak)} 条没达标（{', '.join(weak)}）：按文章的说法，眼下最好别碰")
        return Feedback(True, f"{name}：等权总分 {total:.2f} / 5，和课程产品放在一起排第 {rank}"
                              f"（共 {len(course) + 1} 个）。最弱的两条：{ordered[0]} 和 "
                              f"{ordered[1]}。结论：{verdict}。")
    verdict = ("meets all eight criteria (each ≥ 3, our assumption): worth trying"
               if not weak else
               f"falls short on {len(weak)} criteria ({', '.join(weak)}): by the article's rule, "
               "leave it alone for now")
    return Feedback(True, f"{name}: {total:.2f} / 5 with equal weights, rank {rank} of "
                          f"{len(course) + 1} next to the course's products. Weakest: "
                          f"{ordered[0]} and {ordered[1]}. It {verdict}.")


def check_my_product(product: Any) -> ExerciseCheck:
    """Exercise: score a product of your choice; instant feedback with hints."""
    return check_exercise(product_feedback, product, chapter="ch02", hints_id="my_product")


def raise_one_point_answer() -> float:
    """How much the handbag's equal-weight total rises when its weakest score goes up by 1."""
    table = course_products().set_index("product_id")
    bag = table.loc["handbag", list(CRITERIA)].astype(float).to_dict()
    weakest = min(CRITERIA, key=lambda c: bag[c])
    raised = {**bag, weakest: min(5.0, bag[weakest] + 1.0)}
    return product_score(raised) - product_score(bag)


def check_raise_answer(answer: Any) -> ExerciseCheck:
    """Exercise: the rise in the handbag's score when its weakest criterion gains one point."""
    expected = raise_one_point_answer()

    def checker(value: Any) -> Feedback:
        return check_number(value, expected, tolerance=0.005, name="rise", unit="points")
    return check_exercise(checker, answer, chapter="ch02", hints_id="raise_one")


def stability_table(concentration: float = DEFAULT_CONCENTRATION, seed: int = 0) -> pd.DataFrame:
    """The course products' P(rank 1) and P(top 3) under equal weights, best first."""
    table = course_products()
    result = rank_stability(scores_from_table(table), concentration=concentration,
                            seed=seed).table()
    result.index = _product_names(table)
    return result.sort_values(["p_first", "p_top3"], ascending=False).round(3)


def show_stability(concentration: float = DEFAULT_CONCENTRATION, seed: int = 0) -> w.HTML:
    """:func:`stability_table` with readable headings and a caption."""
    frame = stability_table(concentration, seed).rename(columns={
        "p_first": prose("P(rank 1) · 第一名概率", "第一名概率"),
        "p_top3": prose("P(top 3) · 前三概率", "前三概率")})
    return w.HTML(table_html(frame, prose(
        f"Share of {DEFAULT_SAMPLES:,} weight sets drawn from Dirichlet(κ·w) around equal "
        f"weights (κ = {concentration:g}, an assumption; seed {seed}). Scores illustrative.",
        f"在等权附近按 Dirichlet(κ·w) 抽取 {DEFAULT_SAMPLES:,} 组权重时所占的比例"
        f"（κ = {concentration:g}，假设；随机种子 {seed}）。分数仅作示意。")))


def flip_sentence(weights: Mapping[str, float] | None = None) -> w.HTML:
    """One sentence: the smallest single-weight change that lets the runner-up tie the leader."""
    table = course_products()
    names = {r.product_id: prose(f"{r.name_en} ({r.name_zh})", r.name_zh)
             for r in table.itertuples()}
    flip = flip_top_two(scores_from_table(table), weights)
    leader, runner_up = names[flip.leader], names[flip.runner_up]
    if flip.criterion is None:
        text = prose(f"No single weight lets {runner_up} catch {leader}.",
                     f"单改一项权重，{runner_up}也追不上{leader}。")
    elif flip.change == 0:
        text = prose(f"{leader} and {runner_up} are already tied.",
                     f"{leader}和{runner_up}已经打平。")
    else:
        en, zh = CRITERION_LABELS[flip.criterion]
        verb = prose("raise", "调高") if flip.change > 0 else prose("lower", "调低")
        text = prose(f"{leader} leads {runner_up}. The smallest single "
                     f"change: {verb} the weight of <b>{html.escape(en)} ({zh})</b> from "
                     f"{flip.weight_before:.1%} to {flip.weight_at_flip:.1%} of the total (the "
                     f"other weights shrink in proportion) and the two tie; go further and they "
                     f"swap. Scores illustrative.",
                     f"{leader}领先{runner_up}。最小的单项改动：把<b>{zh}</b>的权重从总数的 "
                     f"{flip.weight_before:.1%} {verb}到 {flip.weight_at_flip:.1%}（其余权重按"
                     "比例缩小），两者就打平；再往前一步，两者换位。分数仅作示意。")
    return w.HTML(f"<p>{text}</p>")


def method_table(weights: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Weighted sum and TOPSIS side by side for the course's products, best weighted sum first."""
    table = course_products()
    frame = compare_methods(scores_from_table(table), weights).round(3)
    frame.index = _product_names(table)
    return frame.sort_values("weighted_sum_rank", kind="stable")


def show_methods(weights: Mapping[str, float] | None = None) -> w.HTML:
    """:func:`method_table` with readable headings and a caption."""
    frame = method_table(weights).rename(columns={
        "weighted_sum": prose("weighted sum (0–5)", "加权和（0–5）"),
        "weighted_sum_rank": prose("rank (sum)", "排名（加权和）"),
        "topsis": prose("TOPSIS closeness (0–1)", "TOPSIS 贴近度（0–1）"),
        "topsis_rank": prose("rank (TOPSIS)", "排名（TOPSIS）"),
        "rank_change": prose("places gained under TOPSIS", "TOPSIS 下前进的名次")})
    return w.HTML(table_html(frame, prose(
        "Same illustrative scores and equal weights (an assumption), two methods. A positive "
        "last column means TOPSIS ranks the product higher.",
        "同样的示意分数、同样的等权（假设），两种方法。最后一栏为正，表示 TOPSIS 把这个产品"
        "排得更靠前。")))


# ---------------------------------------------------------------------- exercise: your own rule
VETO_AT = 1.0  # a criterion scored at or below this fails it outright


def mark_scoring_rule(rule: Any) -> Feedback:
    """Passes when a student's scoring rule applies the 2014 essay's advice — a product that
    fails any criterion (score ≤ 1) is not touched (scores 0) — never lowers a score when a
    criterion rises, and still puts the facial mask first among the course's products."""
    table = scores_from_table(course_products())

    def measure(rule: Callable[[dict[str, float]], float]) -> tuple[pd.Series, pd.DataFrame,
                                                                     bool]:
        scores = score_with_rule(table, rule)
        matrix = validate_scores(table)
        monotone = True
        for product, row in matrix.iterrows():
            for c in CRITERIA:
                raised = row.copy()
                raised[c] = min(SCORE_MAX, raised[c] + 1.0)
                if float(rule({k: float(raised[k]) for k in CRITERIA})) < scores[product] - 1e-9:
                    monotone = False
        return scores, matrix, monotone

    def judge(measured: tuple[pd.Series, pd.DataFrame, bool]) -> Feedback:
        scores, matrix, monotone = measured
        failing = matrix.index[(matrix[list(CRITERIA)] <= VETO_AT).any(axis=1)]
        not_vetoed = [p for p in failing if scores[p] > 0]
        names_zh = course_products().set_index("product_id")["name_zh"].to_dict()
        vetoed_zh = "、".join(names_zh.get(p, p) for p in not_vetoed)
        if not_vetoed:
            return Feedback(False, prose(f"Not yet: {', '.join(not_vetoed)} fail a criterion (a "
                                         f"score of {VETO_AT:g} or less) but still score above 0.",
                                         f"还没通过：{vetoed_zh} 有一条标准不合格"
                                         f"（{VETO_AT:g} 分或更低），总分却仍然大于 0。"))
        if not monotone:
            return Feedback(False, prose("Not yet: raising one criterion lowers a product's score "
                                         "somewhere. A better product should never score worse.",
                                         "还没通过：有些情况下某一条分数提高，总分反而下降了。"
                                         "更好的产品不该得更低的分。"))
        top = scores.idxmax()
        if top != "facial_mask":
            return Feedback(False, prose(f"Not yet: your rule puts {top} first, not the facial "
                                         "mask.",
                                         f"还没通过：你的规则把{names_zh.get(top, top)}排在第一，"
                                         "而不是面膜。"))
        kept = prose(", ", "、").join(f"{prose(p, names_zh.get(p, p))} {scores[p]:.2f}"
                                     for p in scores.sort_values(ascending=False).index
                                     if scores[p] > 0)
        return Feedback(True, prose(f"Passed ✔ {len(failing)} products are vetoed; the rest: "
                                    f"{kept}. Now defend your rule in writing.",
                                    f"通过 ✔ 有 {len(failing)} 个产品被一票否决；其余的：{kept}。"
                                    "现在把你的规则和理由写下来。"))

    return mark_rule(rule, measure, judge,
                     usage=("my_rule(criteria) returning a score from 0 to 5",
                            "my_rule(criteria)，让它返回 0 到 5 的分数"))


def check_scoring_rule(rule: Any) -> ExerciseCheck:
    """Exercise check for chapter 2's scoring-rule exercise (hints after each miss)."""
    return check_exercise(mark_scoring_rule, rule, chapter="ch02", hints_id="scoring_rule")


def show_frequency_table() -> w.HTML:
    """The frequency/margin/season table with its source line."""
    table = load_dataset("product_frequency")
    shown = table.drop(columns=["rationale"]).set_index("product_id")
    if prose("en", "zh") == "zh":
        shown = shown.drop(columns="name_en").replace(
            {"frequency_class": {"high": "高频", "low": "低频"}}).rename(columns=FREQUENCY_ZH)
        return w.HTML(table_html(shown.rename_axis("产品代号"),
                                 f"{source_caption('product_frequency')}。数字均为示意。"))
    return w.HTML(table_html(shown, table.attrs["source"] + ". All numbers illustrative."))


#: Chinese headers of :func:`show_frequency_table` (``zh`` mode).
FREQUENCY_ZH = {"name_zh": "产品", "frequency_class": "频次", "purchases_per_month": "每月购买次数",
                "basket_yuan": "客单价（元）", "margin_rate": "毛利率", "season_start": "上市月份",
                "season_end": "下市月份"}
