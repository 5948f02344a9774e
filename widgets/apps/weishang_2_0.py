"""Chapter 6 helpers (微商 2.0): bet answers computed by the models, and the chapter's tables.

Each answer is computed by a model at reveal time, never written down, so the bet stays
true if a model's assumptions change.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from pandas.io.formats.style import Styler

from widgets.apps.bet import Bet, build_bet
from widgets.apps.exercise import ExerciseCheck, Feedback, check_exercise, mark_rule
from widgets.apps.labels import prose
from widgets.apps.tables import captioned
from widgets.data import load_dataset, source_note
from widgets.models.atomisation_funnel import SELLER_PRESETS, compare_sellers, simulate_funnel
from widgets.models.funnel_mechanisms import funnel_gap_decomposition
from widgets.models.tier_simulator import compare_modes
from widgets.models.validation import ParameterError

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
    from widgets.chapters.ch06 import loop_community_answer

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
    data = load_dataset("symptoms_1_0").sort_values("order")
    table = data[["order", "symptom_zh", "symptom_en", "explanation_en"]].set_index("order")
    return captioned(table, source_note("symptoms_1_0"))


def links_table() -> Styler:
    """The five links of customer atomisation with their data and organisation forms."""
    data = load_dataset("atomisation").sort_values("order")
    table = data[["link_en", "link_zh", "data_en", "data_zh", "organisation_en",
                  "organisation_zh"]].set_index(data["order"])
    return captioned(table, source_note("atomisation"))
