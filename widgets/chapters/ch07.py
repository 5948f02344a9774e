"""Chapter 07 · Capstone: design a 2.0 business · 综合项目：设计一个2.0生意.

Its bets, tables and exercise checks."""

from __future__ import annotations

from typing import Any

from widgets.apps.bet import Bet, build_bet
from widgets.apps.capstone import PASS_MAX_STARS, CapstoneApp
from widgets.apps.exercise import ExerciseCheck, Feedback, check_exercise
from widgets.apps.labels import prose
from widgets.apps.tables import captioned
from widgets.data import load_dataset
from widgets.models.linked_business import (
    ETHICS_IDS,
    BusinessResult,
    example_plans,
    simulate_business,
)
from widgets.report import STATUS_ZH

__all__ = [
    "build_causes_at_risk_bet",
    "build_channel_revenue_bet",
    "causes_option",
    "channel_revenue_direction",
    "check_plan",
    "plan_feedback",
    "worked_example_table",
]


def channel_revenue_direction(seed: int = 0) -> str:
    """Bet answer: does the brand's revenue go up or down when the sound plan switches to 1.0?"""
    sound = example_plans(load_dataset("products"))["sound_2_0"]
    two = simulate_business(sound, seed=seed).outcomes["brand_revenue"]
    one = simulate_business(sound.with_changes(mode="1.0"), seed=seed).outcomes["brand_revenue"]
    return "Up" if one > two else "Down" if one < two else "No change"


def build_channel_revenue_bet() -> Bet:
    """Chapter 7's bet, answered by the linked model."""
    return build_bet("ch07", "channel_revenue", answer=channel_revenue_direction)


def worked_example_table(example: str) -> Any:
    """The death-cause table of a worked example (for the chapter's discussion), captioned."""
    plan = example_plans(load_dataset("products"))[example]
    table = simulate_business(plan).death_causes
    table = table[["cause_en", "cause_zh", "death_index", "status", "reason"]]
    if prose("en", "zh") == "zh":
        table = table.assign(status=table["status"].map(lambda s: STATUS_ZH.get(s, s)))
        table = table[["cause_zh", "death_index", "status"]].rename(
            columns={"cause_zh": "死因", "death_index": "死亡指数", "status": "状态"})
        return captioned(table, f"示意：状态由课程的联动模型为示例 {example!r} 算出；"
                                "死亡指数（星数）照 [Huang 2017] 原文。")
    return captioned(
        table, "Illustrative: statuses computed by the linked model for the worked example "
        f"{example!r}; death index (死亡指数, stars) as given in [Huang 2017].")


#: The death causes' statuses in Chinese (``zh`` mode of :func:`worked_example_table`).


def plan_feedback(result: BusinessResult) -> Feedback:
    """The capstone's pass mark (see docs/CAPSTONE_RUBRIC.md): no Art. 7 test triggered, no
    ethics commitment broken, death causes at risk worth at most PASS_MAX_STARS death-index
    stars together, every commitment pledged."""
    o = result.outcomes
    problems = []
    if o["art7_triggered"]:
        problems.append(prose(f"{o['art7_triggered']} Art. 7 test(s) triggered",
                              f"触发了第七条的 {o['art7_triggered']} 条标准"))
    if o["ethics_broken"]:
        problems.append(prose(f"{o['ethics_broken']} ethics commitment(s) broken",
                              f"违背了 {o['ethics_broken']} 条自律承诺"))
    if o["stars_at_risk"] > PASS_MAX_STARS:
        problems.append(prose(
            f"death causes at risk worth {o['stars_at_risk']} death-index stars "
            f"(at most {PASS_MAX_STARS} allowed: the article's two-star causes)",
            f"有风险的死因合计 {o['stars_at_risk']} 颗死亡指数星"
            f"（最多允许 {PASS_MAX_STARS} 颗，也就是文章里那几种两星死因）"))
    unpledged = [k for k in ETHICS_IDS if k not in result.plan.pledges]
    if unpledged:
        problems.append(prose(f"{len(unpledged)} commitment(s) not pledged",
                              f"有 {len(unpledged)} 条承诺没有做出"))
    if problems:
        return Feedback(False, prose("Not yet: ", "还没通过：") + prose("; ", "；").join(problems)
                        + prose(".", "。"))
    return Feedback(True, prose(
        f"The plan passes: {o['consumer_units']:,} boxes bought by consumers, "
        f"{o['causes_at_risk']} death cause(s) at risk "
        f"({o['stars_at_risk']} ★), no Art. 7 flag. Now "
        "write your defence and export it ✔",
        f"计划通过：消费者买走 {o['consumer_units']:,} 盒，{o['causes_at_risk']} 种死因有风险"
        f"（{o['stars_at_risk']} ★），第七条没有警示。现在写好你的辩护，然后导出 ✔"))


def check_plan(app: CapstoneApp) -> ExerciseCheck:
    """Check the plan currently in the builder, with hints from ch07.json."""
    return check_exercise(plan_feedback, app.result or app.recompute(), chapter="ch07",
                          hints_id="plan")


def build_causes_at_risk_bet() -> Bet:
    """Chapter 7's second bet: causes at risk in the failing example, by the linked model."""
    plan = example_plans(load_dataset("products"))["failing_1_0"]
    return build_bet("ch07", "causes_at_risk", answer=lambda: causes_option(
        simulate_business(plan).outcomes["causes_at_risk"]))


CAUSES_OPTIONS = ("Most of them (six or more)", "Some of them (three to five)",
                  "One or two, or none")


def causes_option(count: int) -> str:
    """The ``causes_at_risk`` bet's option for a number of causes at risk."""
    return CAUSES_OPTIONS[0] if count >= 6 else CAUSES_OPTIONS[1] if count >= 3 else \
        CAUSES_OPTIONS[2]
