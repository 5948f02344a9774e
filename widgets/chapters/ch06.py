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
from widgets.models.atomisation_funnel import (
    BASELINE,
    SELLER_PRESETS,
    compare_sellers,
    simulate_funnel,
)
from widgets.models.funnel_mechanisms import (
    feedback_alone,
    feedback_gain_by_community,
    funnel_gap_decomposition,
)
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
    "check_ladder",
    "check_portraits",
    "check_segment",
    "feedback_loop_measure",
    "feedback_rule_report",
    "funnel_customer_ratio",
    "funnel_decomposition",
    "ladder_counts",
    "ladder_feedback",
    "links_table",
    "load_behaviour_log",
    "loop_community_answer",
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
    """Repeat buyers (users + fans) of the 2.0 seller ÷ the baseline 1.0 seller's after
    ``months``: the same seller with every 2.0 mechanism on, then off."""
    runs = compare_sellers(months=months)
    return runs["2.0"].summary["repeat_buyers"] / max(runs["1.0"].summary["repeat_buyers"],
                                                      1e-9)


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


def build_funnel_ratio_bet() -> Bet:
    """The chapter's first bet, answered by the funnel model."""
    return build_bet("ch06", "funnel_ratio", answer=loop_community_answer)


def funnel_decomposition(months: int = 24) -> Styler:
    """The 1.0 → 2.0 gap in repeat buyers split between three mechanisms (Shapley shares)."""
    table = funnel_gap_decomposition(months)
    table.loc[0, "part"] = "1.0 seller (no 2.0 mechanism)"
    table.loc[len(table) - 1, "part"] = "2.0 seller (every 2.0 mechanism on)"
    if prose("en", "zh") == "zh":
        table["part"] = table["part"].map(lambda p: FUNNEL_DECOMPOSITION_ZH.get(p, p))
    part = prose("part", "机制")
    shown = table[["part", "value"]].rename(columns={
        "value": prose(f"repeat buyers after {months} months", f"{months} 个月后的回头客"),
        "part": part})
    return captioned(shown.set_index(part).round(0), prose(
        "One seller, one market: the rows switch on the 2.0 mechanisms. Each mechanism's row "
        "is its Shapley share of the gap: the repeat buyers (users + fans) it adds when "
        "switched on, averaged over every order of switching the three, so shared effects "
        "are split equally and the rows add up to the gap. Expected values; every rate is "
        "the course's assumption.",
        "同一个卖家、同一个市场，逐个打开 2.0 机制。每个机制那一行是它在差距中的 Shapley "
        "份额：打开它时多出来的回头客（用户 + 粉丝），按三个机制所有可能的打开顺序取平均，"
        "所以共同造成的效果平分，各行加起来正好等于差距。期望值；每个比率都是课程的假设。"))


#: Chinese names of the funnel decomposition's rows.
FUNNEL_DECOMPOSITION_ZH = {
    "1.0 seller (no 2.0 mechanism)": "1.0 卖家（不开任何 2.0 机制）",
    "stop recruiting agents · 不再招商 (r_k = 0)": "不再招商（r_k = 0）",
    "community keeps people · 社群留人 (ρ)": "社群留人（ρ）",
    "co-creation feedback · 共创 (φ)": "共创反馈（φ）",
    "2.0 seller (every 2.0 mechanism on)": "2.0 卖家（所有 2.0 机制都打开）",
}


def build_agent_or_prosumer_bet() -> Bet:
    """The side-by-side bet, answered by the tier simulator (1.0 vs 2.0, one random run)."""
    return build_bet("ch06", "agent_vs_prosumer", answer=agent_or_prosumer)


# ---------------------------------------------------------------------- exercise: your own loop


def feedback_rule_report(rule: Any, months: int = 24) -> dict[str, float]:
    """A student's co-creation loop in the funnel: the 2.0 seller's repeat buyers (users +
    fans) with it and with no loop (m = 1), and the loop's Shapley share of the 1.0 → 2.0
    gap."""
    if not callable(rule):
        raise ParameterError("feedback_rule must be a function (records per person) -> "
                             "multiplier")
    two = SELLER_PRESETS["2.0"].with_changes(months=months)
    table = funnel_gap_decomposition(months, feedback_rule=rule).set_index("mechanism")["value"]
    gap = table["(all)"] - table["(none)"]
    return {"repeat_buyers": simulate_funnel(two, feedback_rule=rule).summary["repeat_buyers"],
            "repeat_buyers_without_loop": simulate_funnel(
                two, feedback_rule=lambda x: 1.0).summary["repeat_buyers"],
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
    grow) that adds repeat buyers; the feedback reports its share of the 1.0 → 2.0 gap."""

    def judge(report: dict[str, float]) -> Feedback:
        added = report["repeat_buyers"] - report["repeat_buyers_without_loop"]
        if added <= 0.5:
            return Feedback(False, prose("Your loop adds no repeat buyers: it never lifts the "
                                         "multiplier above 1 within the data the fans and "
                                         "geeks produce.",
                                         "你的循环没有多带来一个回头客：在粉丝和极客产生的"
                                         "数据范围内，乘数从来没有超过 1。"))
        return Feedback(True, prose(
            f"Passed ✔ With your loop the 2.0 seller ends with "
            f"{report['repeat_buyers']:,.0f} repeat buyers ({added:,.0f} more than with no "
            f"loop), and the loop accounts for {report['feedback_share']:.0%} of the gap to "
            "the 1.0 seller. Now defend it in writing.",
            f"通过 ✔ 用你的循环，2.0 卖家最后有 {report['repeat_buyers']:,.0f} 个回头客（比没有"
            f"循环多 {added:,.0f} 个），这个循环占了和 1.0 卖家差距的 "
            f"{report['feedback_share']:.0%}。现在把你的理由写下来。"))

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


# ------------------------------------------------- bet: does the loop gain from the community?

LOOP_COMMUNITY_OPTIONS = ("More with the community", "About the same", "Less with the community")


def loop_community_answer(months: int = 24, margin: float = 0.05) -> str:
    """Bet answer: the repeat buyers the co-creation loop adds to the baseline seller, with
    the community mechanism on against off (within ``margin`` of the larger gain is "about
    the same")."""
    gains = feedback_gain_by_community(months)
    with_c, without_c = gains["with_community"], gains["without_community"]
    if abs(with_c - without_c) <= margin * max(abs(with_c), abs(without_c), 1e-9):
        return LOOP_COMMUNITY_OPTIONS[1]
    return LOOP_COMMUNITY_OPTIONS[0] if with_c > without_c else LOOP_COMMUNITY_OPTIONS[2]


# ----------------------------------------- portraits → the funnel's ladder (drill, step 3)


def ladder_counts(portraits: pd.DataFrame) -> dict[str, float]:
    """Followers on each rung of 顾客 → 用户 → 粉丝, the geeks among the fans and their share
    γ = geeks ÷ fans, from a portrait table's features. The course's reading (assumptions,
    on the portrait tags): a customer bought at least once, a user is a ``repeat_buyer``, a
    fan a user who is also a ``sharer``, a geek a fan who is also a ``co_creator``."""
    tagged = user_tags(portraits[list(FEATURES)])
    bought = tagged["n_purchases"] >= 1
    users = tagged["repeat_buyer"]
    fans = users & tagged["sharer"]
    geeks = fans & tagged["co_creator"]
    n_fans = int(fans.sum())
    return {"customers": int(bought.sum()), "users": int(users.sum()), "fans": n_fans,
            "geeks": int(geeks.sum()), "geek_share": float(geeks.sum() / n_fans) if n_fans else 0.0}


def ladder_feedback(my_portraits: Any) -> Feedback:
    """Step 3: once the portraits are right, put the followers on the ladder and run the
    funnel's co-creation loop with the geek share measured in the log."""
    checked = portrait_feedback(my_portraits)
    if not checked.correct:
        return Feedback(False, prose("Finish step 1 first: ", "先完成第 1 步：")
                        + checked.message)
    table = my_portraits.set_index("user_id") if "user_id" in my_portraits.columns \
        else my_portraits
    ladder = ladder_counts(table)
    share = ladder["geek_share"]
    assumed, measured = feedback_alone(), feedback_alone(geek_share=share)
    gain_assumed = assumed["with_feedback"] - assumed["without_feedback"]
    gain_measured = measured["with_feedback"] - measured["without_feedback"]
    return Feedback(True, prose(
        f"{ladder['customers']} followers bought, {ladder['users']} came back (users), "
        f"{ladder['fans']} of those also share (fans), and {ladder['geeks']} fans talk back "
        f"(geeks): γ = {share:.0%} of the fans, against the funnel's assumed "
        f"{BASELINE.geek_share:.0%}. With the measured γ the co-creation loop adds "
        f"{gain_measured:,.0f} repeat buyers to the 2.0 seller instead of {gain_assumed:,.0f}.",
        f"{ladder['customers']} 个关注者买过（顾客），{ladder['users']} 个回购过（用户），其中 "
        f"{ladder['fans']} 个还会转发（粉丝），{ladder['geeks']} 个粉丝经常反馈（极客）："
        f"γ = 粉丝的 {share:.0%}，漏斗假设的是 {BASELINE.geek_share:.0%}。换成实测的 γ，共创"
        f"反馈给 2.0 卖家多带来 {gain_measured:,.0f} 个回头客，而不是 {gain_assumed:,.0f} 个。"))


def check_ladder(my_portraits: Any) -> ExerciseCheck:
    """Exercise check for step 3 of chapter 6's portrait drill (hints after each miss)."""
    return check_exercise(ladder_feedback, my_portraits, chapter="ch06", hints_id="ladder")
