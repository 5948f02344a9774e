"""Chapter 06 · 微商 2.0 · 微商2.0.

Its bets, tables and exercise checks."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pandas as pd
from pandas.io.formats.style import Styler

from widgets.apps.bet import Bet, build_bet
from widgets.apps.content import dataset_text_zh
from widgets.apps.exercise import ExerciseCheck, Feedback, check_exercise, mark_rule
from widgets.apps.labels import prose
from widgets.apps.tables import bilingual_table, captioned, source_caption
from widgets.data import load_dataset, source_note
from widgets.models.atomisation_funnel import SELLER_PRESETS, compare_sellers, simulate_funnel
from widgets.models.funnel_mechanisms import funnel_gap_decomposition
from widgets.models.tier_simulator import compare_modes
from widgets.models.user_portraits import (
    FEATURES,
    TAG_RULES,
    cocreation_segment,
    segment_summary,
    user_features,
    user_tags,
)
from widgets.models.validation import ParameterError

__all__ = [
    "agent_or_prosumer",
    "build_agent_or_prosumer_bet",
    "build_funnel_ratio_bet",
    "check_feedback_rule",
    "check_portraits",
    "check_segment",
    "feedback_loop_measure",
    "feedback_off_answer",
    "feedback_rule_report",
    "funnel_customer_ratio",
    "funnel_decomposition",
    "links_table",
    "load_behaviour_log",
    "mark_feedback_rule",
    "median_profits",
    "portrait_feedback",
    "preview_log",
    "reference_portraits",
    "segment_feedback",
    "symptoms_table",
]

AGENT, PROSUMER, SAME = "The 1.0 agent", "The 2.0 prosumer", "About the same"


def funnel_customer_ratio(months: int = 24) -> float:
    """2.0 seller's customers ÷ 1.0 seller's customers after ``months`` (funnel presets)."""
    runs = compare_sellers(months=months)
    return runs["2.0"].summary["customers"] / max(runs["1.0"].summary["customers"], 1e-9)


def median_profits(seed: int = 0) -> dict[str, float]:
    """Median one-year cash profit (元) of a 1.0 agent and a 2.0 prosumer on the same market."""
    runs = compare_modes(seed=seed)
    return {mode: float(runs[mode].summary["median_agent_profit"]) for mode in ("1.0", "2.0")}


def agent_or_prosumer(seed: int = 0, margin: float = 0.05) -> str:
    """Who earns more after a year (median): the option text of ``agent_vs_prosumer``.

    Within ``margin`` (relative to the larger absolute median) counts as "about the same".
    """
    profits = median_profits(seed)
    gap = profits["2.0"] - profits["1.0"]
    scale = max(abs(profits["1.0"]), abs(profits["2.0"]), 1.0)
    if abs(gap) <= margin * scale:
        return SAME
    return PROSUMER if gap > 0 else AGENT


FEEDBACK_OFF_OPTIONS = ("Yes, still clearly more", "About the same", "No, fewer")


def feedback_off_answer(months: int = 24, margin: float = 0.1) -> str:
    """Bet answer: with φ = 0 for the 2.0 seller, how its customers compare with 1.0's
    (within ``margin`` of the larger count is "about the same")."""
    runs = compare_sellers(months=months)
    one = runs["1.0"].summary["customers"]
    two = simulate_funnel(runs["2.0"].params.with_changes(feedback_strength=0.0)).summary[
        "customers"]
    if abs(two - one) <= margin * max(one, two):
        return FEEDBACK_OFF_OPTIONS[1]
    return FEEDBACK_OFF_OPTIONS[0] if two > one else FEEDBACK_OFF_OPTIONS[2]


def build_funnel_ratio_bet() -> Bet:
    """The chapter's first bet, answered by the funnel model."""
    return build_bet("ch06", "funnel_ratio", answer=feedback_off_answer)


def funnel_decomposition(months: int = 24) -> Styler:
    """The 1.0 → 2.0 customer gap split between five mechanisms (Shapley shares)."""
    table = funnel_gap_decomposition(months)
    table.loc[0, "part"] = "1.0 seller (every mechanism as 1.0)"
    table.loc[len(table) - 1, "part"] = "2.0 seller (every mechanism as 2.0)"
    if prose("en", "zh") == "zh":
        table["part"] = table["part"].map(lambda p: FUNNEL_DECOMPOSITION_ZH.get(p, p))
    part = prose("part", "机制")
    shown = table[["part", "value"]].rename(columns={
        "value": prose(f"customers after {months} months", f"{months} 个月后的顾客数"),
        "part": part})
    return captioned(shown.set_index(part).round(0), prose(
        "Each mechanism's row is its Shapley share of the gap: the customers it adds when "
        "moved from the 1.0 seller's value to the 2.0 seller's, averaged over every order of "
        "moving the five, so shared effects are split equally and the rows add up to the gap. "
        "Expected values; every rate is the course's assumption.",
        "每个机制那一行是它在差距中的 Shapley 份额：把它从 1.0 卖家的取值挪到 2.0 卖家的取值"
        "时多出来的顾客，按五个机制所有可能的先后顺序取平均，所以共同造成的效果平分，各行"
        "加起来正好等于差距。期望值；每个比率都是课程的假设。"))


#: Chinese names of the funnel decomposition's rows.
FUNNEL_DECOMPOSITION_ZH = {
    "1.0 seller (every mechanism as 1.0)": "1.0 卖家（每个机制都按 1.0）",
    "reach · 加人 (join rate j)": "触达 · 加人（加入速度 j）",
    "conversion · 转化 (advance a_k)": "转化（进入下一环的比例 a_k）",
    "churn · 流失 (c_k)": "流失（c_k）",
    "recruiting agents · 招商 (r_k)": "招商（签代理比例 r_k）",
    "co-creation feedback · 共创 (φ)": "共创反馈（φ）",
    "2.0 seller (every mechanism as 2.0)": "2.0 卖家（每个机制都按 2.0）",
}


def build_agent_or_prosumer_bet() -> Bet:
    """The side-by-side bet, answered by the tier simulator (1.0 vs 2.0, one random run)."""
    return build_bet("ch06", "agent_vs_prosumer", answer=agent_or_prosumer)


# ---------------------------------------------------------------------- exercise: your own loop


def feedback_rule_report(rule: Any, months: int = 24) -> dict[str, float]:
    """A student's co-creation loop in the funnel: the 2.0 seller's customers with it and
    with no loop (m = 1), and the loop's Shapley share of the 1.0 → 2.0 gap."""
    if not callable(rule):
        raise ParameterError("feedback_rule must be a function (records per person) -> "
                             "multiplier")
    two = SELLER_PRESETS["2.0"].with_changes(months=months)
    table = funnel_gap_decomposition(months, feedback_rule=rule).set_index("mechanism")["value"]
    gap = table["(all)"] - table["(none)"]
    return {"customers": simulate_funnel(two, feedback_rule=rule).summary["customers"],
            "customers_without_loop": simulate_funnel(
                two, feedback_rule=lambda x: 1.0).summary["customers"],
            "feedback_share": table["feedback"] / gap if gap else 0.0}


def feedback_loop_measure(rule: Any) -> dict[str, float]:
    """The loop's report, after checking it is a valid loop: multiplier 1 without data, and
    never falling as data grow (else a :class:`ParameterError` saying which)."""
    grid = [float(rule(x)) for x in (0.0, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)]
    if grid[0] != 1.0:
        raise ParameterError(prose(f"Without any feedback data the multiplier must be 1, got "
                                   f"{grid[0]:g}: co-creation needs data first.",
                                   f"没有任何反馈数据时乘数必须是 1，你的是 {grid[0]:g}："
                                   "共创得先有数据。"))
    if any(b < a for a, b in pairwise(grid)):
        raise ParameterError(prose("Your multiplier falls as feedback data grow: more data "
                                   "should never make conversion worse in this model.",
                                   "反馈数据越多，你的乘数反而下降：在这个模型里，数据多了"
                                   "不该让转化变差。"))
    return feedback_rule_report(rule)


def mark_feedback_rule(rule: Any) -> Feedback:
    """Passes when the rule is a valid loop (no uplift without data, never falls as data
    grow) that adds customers; the feedback reports its share of the 1.0 → 2.0 gap."""

    def judge(report: dict[str, float]) -> Feedback:
        added = report["customers"] - report["customers_without_loop"]
        if added <= 0.5:
            return Feedback(False, prose("Your loop adds no customers: it never lifts the "
                                         "multiplier above 1 within the data the community "
                                         "produces.",
                                         "你的循环没有增加任何顾客：在社群产生的数据范围内，"
                                         "乘数从来没有超过 1。"))
        return Feedback(True, prose(
            f"Passed ✔ With your loop the 2.0 seller ends with {report['customers']:,.0f} "
            f"customers ({added:,.0f} more than with no loop), and the loop accounts for "
            f"{report['feedback_share']:.0%} of the gap to the 1.0 seller. Now defend it in "
            "writing.",
            f"通过 ✔ 用你的循环，2.0 卖家最后有 {report['customers']:,.0f} 个顾客（比没有循环多 "
            f"{added:,.0f} 个），这个循环占了和 1.0 卖家差距的 {report['feedback_share']:.0%}。"
            "现在把你的理由写下来。"))

    return mark_rule(rule, feedback_loop_measure, judge,
                     usage=("my_loop(records_per_person) returning a multiplier",
                            "my_loop(records_per_person)，让它返回一个乘数"))


def check_feedback_rule(rule: Any) -> ExerciseCheck:
    """Exercise check for chapter 6's co-creation loop (hints after each miss)."""
    return check_exercise(mark_feedback_rule, rule, chapter="ch06", hints_id="feedback_loop")


def symptoms_table() -> Styler:
    """The six symptoms of 微商 1.0 (dataset ``symptoms_1_0``), captioned with its source."""
    symptoms = load_dataset("symptoms_1_0").sort_values("order")
    symptoms = symptoms.assign(
        explanation_zh=dataset_text_zh(symptoms, "symptoms_1_0", "explanation_en"))
    return bilingual_table(symptoms, "symptoms_1_0",
                           ["order", "symptom_zh", "symptom_en", "explanation_en"],
                           {"order": "序号", "symptom_zh": "症状", "explanation_zh": "说明"},
                           "order")


def links_table() -> Styler:
    """The five links of customer atomisation with their data and organisation forms."""
    return bilingual_table(load_dataset("atomisation").sort_values("order"), "atomisation",
                           ["order", "link_en", "link_zh", "data_en", "data_zh", "organisation_en",
                            "organisation_zh"],
                           {"order": "序号", "link_zh": "环节", "data_zh": "数据",
                            "organisation_zh": "组织形式"}, "order")


LOG_NAME = "synthetic_behaviour_log"
_NUMERIC = [f for f in FEATURES if f != "main_interest"]


def load_behaviour_log() -> pd.DataFrame:
    """The synthetic behaviour log (validated; ``.attrs['source']`` says it is synthetic)."""
    return load_dataset(LOG_NAME)


def preview_log(log: pd.DataFrame, rows: int = 8) -> Styler:
    """The first rows of the log, captioned with its source (synthetic: invented data)."""
    return captioned(log.head(rows), prose(source_note(LOG_NAME) + " (invented data)",
                                           source_caption(LOG_NAME) + "（虚构数据）"))


def reference_portraits() -> pd.DataFrame:
    """The reference portraits (features + tags) for the committed log."""
    return user_tags(user_features(load_behaviour_log()))


def _as_user_table(frame: Any) -> pd.DataFrame | Feedback:
    if not isinstance(frame, pd.DataFrame):
        kind = type(frame).__name__
        return Feedback(False, prose(
            f"my_portraits should be a pandas DataFrame with one row per user, got {kind}.",
            f"my_portraits 应该是每个用户一行的 pandas DataFrame，现在是 {kind}。"))
    table = frame
    if "user_id" in table.columns:
        table = table.set_index("user_id")
    missing = [c for c in FEATURES if c not in table.columns]
    if missing:
        return Feedback(False, prose(f"my_portraits lacks the column(s) {missing}.",
                                     f"my_portraits 缺少这些列：{missing}。"))
    return table


def portrait_feedback(my_portraits: Any) -> Feedback:
    """Mark a feature table against the reference: rows, each numeric feature, main interest."""
    table = _as_user_table(my_portraits)
    if isinstance(table, Feedback):
        return table
    reference = reference_portraits()
    if table.index.duplicated().any():
        return Feedback(False, prose("Some user_id appears twice: did you group by user_id?",
                                     "有的 user_id 出现了两次：你按 user_id 分组了吗？"))
    if set(table.index) != set(reference.index):
        return Feedback(False, prose(
            f"Expected one row for each of the {len(reference)} users, "
            f"found {len(table)} rows with other ids.",
            f"应该是 {len(reference)} 个用户各一行，现在有 {len(table)} 行，id 对不上。"))
    table = table.loc[reference.index]
    for column in _NUMERIC:
        given = pd.to_numeric(table[column], errors="coerce").astype(float)
        wrong = int(((given - reference[column].astype(float)).abs() > 0.05).sum())
        if wrong:
            return Feedback(False, prose(f"{column} differs from the log for {wrong} users.",
                                         f"有 {wrong} 个用户的 {column} 和日志对不上。"))
    agree = float((table["main_interest"].astype(str) == reference["main_interest"]).mean())
    if agree < 0.95:
        return Feedback(False, prose(f"main_interest matches for only {agree:.0%} of users.",
                                     f"main_interest 只对上了 {agree:.0%} 的用户。"))
    for tag, (column, comparison, threshold) in TAG_RULES.items():
        if tag in table.columns:
            wrong = int((table[tag].astype(bool) != reference[tag]).sum())
            if wrong:
                rule = f"{column} {comparison} {threshold:g}"
                return Feedback(False, prose(f"tag {tag} ({rule}) is wrong for {wrong} users.",
                                             f"标签 {tag}（{rule}）有 {wrong} 个用户标错了。"))
    return Feedback(True, prose(f"All {len(reference)} portraits match the log ✔",
                                f"{len(reference)} 幅画像全部和日志对上了 ✔"))


def check_portraits(my_portraits: Any) -> ExerciseCheck:
    """Check step 1 (feature values per user) with instant feedback and hints."""
    return check_exercise(portrait_feedback, my_portraits, chapter="ch06", hints_id="portraits")


def segment_feedback(my_segment: Any) -> Feedback:
    """Right when the student picks the segment the reference picks (most feedback per member)."""
    summary = segment_summary(reference_portraits())
    best = cocreation_segment(reference_portraits())
    if my_segment is None:
        return Feedback(False, prose(f"Set my_segment to one of {sorted(summary.index)}.",
                                     f"把 my_segment 设为 {sorted(summary.index)} 之一。"))
    if str(my_segment).strip().lower() == best:
        row = summary.loc[best]
        per, repeat = row["feedback_per_member"], row["repeat_buyer_share"]
        return Feedback(True, prose(
            f"{best}: {per:.1f} feedback events per member, {repeat:.0%} repeat buyers ✔",
            f"{best}：人均 {per:.1f} 次反馈，{repeat:.0%} 是回头客 ✔"))
    if str(my_segment) not in summary.index:
        return Feedback(False, prose(
            f"{my_segment!r} is not a segment; pick one of {sorted(summary.index)}.",
            f"{my_segment!r} 不是一个人群；请从 {sorted(summary.index)} 里选。"))
    biggest = str(summary["members"].idxmax())
    if str(my_segment) == biggest:
        return Feedback(False, prose(
            f"{biggest} is the biggest segment, but size is not what "
            "co-creation needs: who gives the most feedback per member?",
            f"{biggest} 是人数最多的人群，可共创要的不是人多：谁的人均反馈最多？"))
    per = summary.loc[str(my_segment), "feedback_per_member"]
    return Feedback(False, prose(
        f"{my_segment} gives {per:.1f} feedback events per member; another segment gives more.",
        f"{my_segment} 人均 {per:.1f} 次反馈；还有别的人群更多。"))


def check_segment(my_segment: Any) -> ExerciseCheck:
    """Check step 2 (the segment to co-create the next product with)."""
    return check_exercise(segment_feedback, my_segment, chapter="ch06", hints_id="segment")
