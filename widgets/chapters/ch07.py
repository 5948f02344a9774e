"""Chapter 07 · Capstone: design a 2.0 business · 综合项目：设计一个2.0生意.

Its bets, tables and exercise checks."""

from __future__ import annotations

from functools import cache
from typing import Any

import pandas as pd
from pandas.io.formats.style import Styler

from widgets.apps.bet import Bet, build_bet
from widgets.apps.capstone import CapstoneApp
from widgets.apps.exercise import ExerciseCheck, Feedback, check_exercise, mark_rule
from widgets.apps.labels import prose
from widgets.apps.tables import captioned
from widgets.data import load_dataset
from widgets.models.death_gate import (
    PASS_MAX_STARS,
    course_gate,
    death_gate,
    gate_failures,
    gate_verdict,
)
from widgets.models.linked_business import (
    ETHICS_IDS,
    NOT_SCORED_CAUSES,
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
    "check_gate",
    "check_plan",
    "compare_gates",
    "gate_checker",
    "gate_report",
    "plan_feedback",
    "scored_stars",
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


# ------------------------------------------------------------ exercise: your own pass gate

WORKED_EXAMPLES = ("failing_1_0", "sound_2_0")


def scored_stars() -> dict[str, int]:
    """The death index (stars) of each cause the linked model scores ([Huang 2017])."""
    table = load_dataset("death_index")
    return {str(c): int(s) for c, s in zip(table["cause_id"], table["death_index"], strict=True)
            if c not in NOT_SCORED_CAUSES}



@cache
def _example_causes(example: str) -> pd.DataFrame:
    plan = example_plans(load_dataset("products"))[example]
    return simulate_business(plan).death_causes


def gate_report(gate: Any) -> dict[str, Any]:
    """Run a gate over the worked examples, the lone worst and the lone mildest cause, and
    every combination of the scored causes (:func:`widgets.models.death_gate.gate_failures`)."""
    stars = scored_stars()
    report = gate_failures(stars, gate)
    report["examples"] = {name: death_gate(_example_causes(name), gate)
                          for name in WORKED_EXAMPLES}
    report["worst_alone"] = gate_verdict([max(stars.values())], gate)
    report["mildest_alone"] = gate_verdict([min(stars.values())], gate)
    report["course_passing"] = gate_failures(stars, course_gate)["passing"]
    return report


def _names(causes: tuple[str, ...]) -> str:
    return "{" + ", ".join(causes) + "}"


def gate_checker(gate: Any) -> Feedback:
    """Right when the gate fails the failing example and passes the sound one, fails the
    five-star cause alone, passes a lone two-star cause, and is monotone and star-respecting."""

    def judge(r: dict[str, Any]) -> Feedback:
        stars = scored_stars()
        worst, mildest = max(stars.values()), min(stars.values())
        if r["examples"]["failing_1_0"]:
            return Feedback(False, prose(
                "Not yet: your gate lets the failing 1.0 example through.",
                "还没通过：你的门槛让失败的 1.0 案例过关了。"))
        if not r["examples"]["sound_2_0"]:
            return Feedback(False, prose(
                "Not yet: your gate fails the sound 2.0 example, which has no cause at risk.",
                "还没通过：健康的 2.0 案例一种死因风险都没有，你的门槛却判它不及格。"))
        if r["worst_alone"]:
            return Feedback(False, prose(
                f"Not yet: your gate passes a plan whose only risk is the {worst}-star cause, "
                "the one the article rates worst. Read the stars, not only the count.",
                f"还没通过：一个计划只有那种 {worst} 星死因（文章眼里最致命的），你的门槛"
                "却放它过关。要看星数，不能只数个数。"))
        if not r["mildest_alone"]:
            return Feedback(False, prose(
                f"Not yet: your gate fails a plan whose only risk is a {mildest}-star cause, "
                "among the article's mildest. Weigh the causes by their stars.",
                f"还没通过：一个计划只有一种 {mildest} 星死因（文章里最轻的一档），你的门槛"
                "却判它不及格。要按星数给死因加权。"))
        if r["monotone"]:
            smaller, larger = r["monotone"]
            return Feedback(False, prose(
                f"Not yet: your gate passes the causes {_names(larger)} at risk but fails "
                f"{_names(smaller)}, fewer risks. Taking a risk away must never fail a plan.",
                f"还没通过：风险死因是 {_names(larger)} 时你的门槛放行，少一种变成 "
                f"{_names(smaller)} 反而不放行。去掉一个风险，不该让计划不及格。"))
        if r["star_respecting"]:
            rest, graver, milder = r["star_respecting"]
            others = (prose(f"with {_names(rest)} also at risk", f"在 {_names(rest)} 之外")
                      if rest else prose("on its own", "单独一种时"))
            return Feedback(False, prose(
                f"Not yet: {others} your gate passes {graver} "
                f"({stars[graver]}★) but fails {milder} ({stars[milder]}★). A milder cause "
                "in place of a graver one must never fail a plan.",
                f"还没通过：{others}，你的门槛放行 {graver}（{stars[graver]}★），"
                f"却不放行更轻的 {milder}（{stars[milder]}★）。"
                "把重的死因换成轻的，不该让计划不及格。"))
        n, total, course = r["passing"], r["subsets"], r["course_passing"]
        return Feedback(True, prose(
            f"Passed ✔ Of the {total} combinations of the {len(stars)} scored causes, your "
            f"gate passes {n}; the course's gate (at most {PASS_MAX_STARS} stars) passes "
            f"{course}. Now run it on your own plan and defend where it is stricter or "
            "looser.",
            f"通过 ✔ {len(stars)} 种计分死因共有 {total} 种组合，你的门槛放行 {n} 种；"
            f"课程的门槛（最多 {PASS_MAX_STARS} 颗星）放行 {course} 种。现在用它检查你自己的"
            "计划，再说明它比课程的门槛严在哪里、松在哪里。"))

    return mark_rule(gate, gate_report, judge,
                     usage=("my_gate(stars_at_risk) returning True (passes) or False",
                            "my_gate(stars_at_risk)，让它返回 True（通过）或 False"))


def check_gate(gate: Any) -> ExerciseCheck:
    """Mark the pass-gate exercise with instant feedback and hints from ch07.json."""
    return check_exercise(gate_checker, gate, chapter="ch07", hints_id="pass_gate")


def compare_gates(gate: Any, app: CapstoneApp | None = None) -> Styler:
    """The worked examples (and the plan in ``app``, if given): the stars of their causes at
    risk, the course's gate and yours."""
    reports = {name: _example_causes(name) for name in WORKED_EXAMPLES}
    if app is not None:
        reports[prose("your plan", "你的计划")] = (app.result or app.recompute()).death_causes
    rows = []
    for name, causes in reports.items():
        at_risk = causes[causes["status"] == "at risk"]
        stars = sorted(at_risk["death_index"].astype(int), reverse=True)
        rows.append({prose("plan", "计划"): name,
                     prose("causes at risk", "有风险的死因"): ", ".join(at_risk["cause_id"]) or "—",
                     prose("stars", "星数"): " ".join(f"{s}★" for s in stars) or "—",
                     prose("course gate", "课程门槛"): death_gate(causes, course_gate),
                     prose("your gate", "你的门槛"): death_gate(causes, gate)})
    return captioned(pd.DataFrame(rows), prose(
        "Statuses computed by the linked model (illustrative); death index (stars) as given in "
        "[Huang 2017]. True = passes the death-cause check.",
        "状态由联动模型算出（示意）；死亡指数（星数）取自 [Huang 2017]。True 表示通过死因检查。"))
