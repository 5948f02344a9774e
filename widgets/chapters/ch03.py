"""Chapter 03 · Four stages of 微商 · 微商的四个阶段.

Its bets, tables and exercise checks."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from widgets.apps.bet import Bet, build_bet
from widgets.apps.exercise import ExerciseCheck, Feedback, check_exercise, mark_rule
from widgets.apps.formats import percent, ratio
from widgets.apps.labels import prose
from widgets.apps.tables import bilingual_table, captioned
from widgets.apps.tier_simulator import DEFAULT_SEED
from widgets.data import load_dataset
from widgets.models.tier_mechanisms import bottom_tier_decomposition
from widgets.models.tier_simulator import (
    MODES,
    TierParams,
    TierResult,
    art7_passes,
    bottom_tier_losing_share,
    compare_modes,
    legal_flags,
    simulate_tiers,
)

__all__ = [
    "art7_checker",
    "art7_solution",
    "bottom_tier_losing_answer",
    "build_bottom_tier_losing_bet",
    "case_table",
    "check_art7_scheme",
    "check_restock_rule",
    "connections_table",
    "mechanism_decomposition",
    "my_scheme",
    "restock_costs",
    "restock_rule_checker",
    "stages_table",
    "three_flows_table",
]

# ---------------------------------------------------------------------- chapter 3 helpers


LOSING_OPTIONS = ("Most of them (more than three in four)",
                  "About half (between a quarter and three quarters)",
                  "Few of them (less than one in four)")


def bottom_tier_losing_answer(seed: int = DEFAULT_SEED) -> str:
    """The bet's option for the model's share of bottom-tier agents losing money."""
    share = bottom_tier_losing_share(seed=seed)
    return (LOSING_OPTIONS[0] if share > 0.75 else LOSING_OPTIONS[1] if share >= 0.25
            else LOSING_OPTIONS[2])


def build_bottom_tier_losing_bet() -> Bet:
    """The chapter's bet; the answer is computed by the model at reveal time."""
    return build_bet("ch03", "bottom_tier_losing", answer=bottom_tier_losing_answer)


def mechanism_decomposition(n_seeds: int = 5) -> Styler:
    """The bottom tier's net cash split between the four 1.0 mechanisms (Shapley shares)."""
    table = bottom_tier_decomposition(n_seeds=n_seeds)
    if prose("en", "zh") == "zh":
        table = table.assign(part=table["part"].map(lambda p: DECOMPOSITION_ZH.get(p, p)))
    value = prose("bottom tier's net cash, 元", "最底层的净现金，元")
    shown = table[["part", "value"]].rename(columns={"value": value,
                                                     "part": prose("part", "机制")})
    return captioned(shown.set_index(prose("part", "机制")), prose(
        "Default parameters, mean of random runs (seeds 0–"
        f"{n_seeds - 1}); each mechanism's row is its Shapley share: the change it makes, "
        "averaged over every order of switching the four on, so shared effects are split "
        "equally and the rows add up to the change from 'all off' to 'all on'. Simulated, "
        "illustrative (the ladder is the reported case; the rest are assumptions).",
        f"默认参数，多次随机运行的平均（随机种子 0–{n_seeds - 1}）；每个机制那一行是它的 Shapley "
        "份额：把四个机制按所有先后顺序依次打开，取它带来的变化的平均，所以共同造成的效果平分，"
        "各行加起来等于从「全部关闭」到「全部打开」的变化。模拟结果，仅作示意（级差来自报道的"
        "案例，其余都是假设）。"))


#: Chinese names of the decomposition's rows (the English ones come from the model).
DECOMPOSITION_ZH = {
    "everything switched off": "全部关闭",
    "entry order · 入门费 (first order)": "入门费（首单）",
    "restock push · 压货": "压货",
    "recruiting pay · 拉人头": "拉人头奖励",
    "team commission · 团队计酬": "团队计酬",
    "everything switched on": "全部打开",
}


def case_table() -> Styler:
    """The reported price-ladder case (dataset ``price_ladder_case``) with its source."""
    return bilingual_table(load_dataset("price_ladder_case"), "price_ladder_case",
                           ["quantity_id", "tier", "value", "unit", "notes"],
                           {"quantity_id": "项目", "tier": "层级", "value": "数值", "unit": "单位"},
                           "quantity_id")


def my_scheme(recruit_bonus: float = 0.30, team_commission: float = 0.05,
              top_order: int = 150, bottom_order: int = 50, restock_units: int = 10,
              top_price: float = 33.33, bottom_price: float = 40.0) -> TierParams:
    """A two-tier 1.0 scheme: the reported case unless you change some of its terms."""
    return TierParams.from_ladder(2, top_price, bottom_price, top_order, bottom_order,
                                  recruit_bonus=recruit_bonus, team_commission=team_commission,
                                  restock_units=restock_units)


def art7_checker(answer: Any) -> Feedback:
    """Right when the scheme triggers none of Art. 7's three tests; then say what is left."""
    if not isinstance(answer, TierParams):
        return Feedback(False, prose(
            "Pass the scheme made by my_scheme(...), e.g. my_scheme(recruit_bonus=0).",
            "请传入 my_scheme(...) 生成的方案，比如 my_scheme(recruit_bonus=0)。"))
    if not art7_passes(answer):
        still = [prose(f["test"], f["test"].split(" · ")[-1])
                 for f in legal_flags(answer, "1.0", 1.0)[:3] if f["triggered"]]
        return Feedback(False, prose(f"Still caught by Art. 7: {'; '.join(still)}.",
                                     f"第七条还在触发：{'；'.join(still)}。"))
    before = simulate_tiers(TierParams(), "1.0", seed=DEFAULT_SEED).summary
    after = simulate_tiers(answer, "1.0", seed=DEFAULT_SEED).summary
    kept = after["brand_revenue"] / before["brand_revenue"] if before["brand_revenue"] else 0.0
    if prose("en", "zh") == "zh":
        return Feedback(True, (
            f"第七条的三条标准全部通过 ✔。还剩下什么：品牌商保有原案例收入的 {kept:.0%}；"
            f"最底层代理里仍有 {percent(after['share_losing_money_bottom'])} 亏钱（原案例 "
            f"{percent(before['share_losing_money_bottom'])}）；虚假业绩比 "
            f"{ratio(after['fake_performance_ratio'])}（原案例 "
            f"{ratio(before['fake_performance_ratio'])}）；圈外买家付了收入的 "
            f"{percent(after['outside_revenue_share'])}。"
            + ("压货补货还在把货压给代理，真实动销跟不上。" if answer.restock_units else "")))
    return Feedback(True, (
        "Passes all three Art. 7 tests ✔. What is left: the brand keeps "
        f"{kept:.0%} of the case's revenue; {percent(after['share_losing_money_bottom'])} of "
        f"bottom-tier agents still lose money (case: "
        f"{percent(before['share_losing_money_bottom'])}); fake-performance ratio "
        f"{ratio(after['fake_performance_ratio'])} (case: "
        f"{ratio(before['fake_performance_ratio'])}); outside buyers pay "
        f"{percent(after['outside_revenue_share'])} of revenue."
        + (" The restock push still piles stock on agents." if answer.restock_units else "")))


def check_art7_scheme(scheme: Any) -> ExerciseCheck:
    """Mark the Art. 7 exercise with instant feedback and hints from ch03.json."""
    return check_exercise(art7_checker, scheme, chapter="ch03", hints_id="art7")


def art7_solution() -> TierParams:
    """One scheme that passes Art. 7: no recruiting pay, no entry order, no team commission."""
    return my_scheme(recruit_bonus=0.0, team_commission=0.0, top_order=0, bottom_order=0)


# ---------------------------------------------------------------------- exercise: a restock rule

#: Your rule may cost the bottom tier at most this share of what the standard push costs it.
RESTOCK_COST_LIMIT = 0.10


def restock_costs(rule: Any, params: TierParams | None = None,
                  seed: int = DEFAULT_SEED) -> dict[str, float]:
    """What a restock rule costs the bottom tier (元, net cash lost against no push at all),
    next to the standard push's cost, and the boxes the rule pushed (one random run, 1.0)."""
    params = params or TierParams()
    pushed = [0]

    def counted(age: int, stock: int, sold_recently: int) -> int:
        boxes = rule(age, stock, sold_recently)
        if isinstance(boxes, (int, np.integer)) and not isinstance(boxes, bool):
            pushed[0] += int(boxes)
        return boxes

    def bottom_cash(result: TierResult) -> float:
        return float(result.agent_profit[result.agent_tier == params.n_tiers].sum())

    none = bottom_cash(simulate_tiers(params, seed=seed, restock_rule=lambda a, s, r: 0))
    standard = bottom_cash(simulate_tiers(params, seed=seed))
    yours = bottom_cash(simulate_tiers(params, seed=seed, restock_rule=counted))
    return {"standard_cost": none - standard, "your_cost": none - yours,
            "boxes_pushed": float(pushed[0])}


def restock_rule_checker(rule: Any) -> Feedback:
    """Right when the rule pushes some stock yet costs the bottom tier at most
    :data:`RESTOCK_COST_LIMIT` of what the standard push (10 boxes every 4 weeks) costs."""

    def judge(costs: dict[str, float]) -> Feedback:
        if costs["boxes_pushed"] == 0:
            return Feedback(False, prose(
                "Your rule never pushes a box: the upline ships nothing ahead of demand. "
                "Push some stock, but only when it will sell.",
                "你的规则一盒货也没压：上级没有赶在需求之前发任何货。"
                "要压一些货，但只在卖得掉的时候压。"))
        share = costs["your_cost"] / costs["standard_cost"] if costs["standard_cost"] else 0.0
        text = prose(
            f"Your rule pushed {costs['boxes_pushed']:,.0f} boxes and cost the bottom tier "
            f"{costs['your_cost']:,.0f} 元 against no push at all; the standard push costs "
            f"it {costs['standard_cost']:,.0f} 元 ({share:.0%} of that).",
            f"你的规则压下去 {costs['boxes_pushed']:,.0f} 盒，和完全不压货相比，让最底层"
            f"损失 {costs['your_cost']:,.0f} 元；标准压货让它损失 "
            f"{costs['standard_cost']:,.0f} 元（你的是它的 {share:.0%}）。")
        if share <= RESTOCK_COST_LIMIT:
            return Feedback(True, prose(f"Passed ✔ {text} Now write why your rule works.",
                                        f"通过 ✔ {text}现在写下你的规则为什么管用。"))
        return Feedback(False, prose(f"Not yet: {text} Keep it under {RESTOCK_COST_LIMIT:.0%}.",
                                     f"还没通过：{text}要控制在 {RESTOCK_COST_LIMIT:.0%} 以内。"))

    return mark_rule(rule, restock_costs, judge,
                     usage=("my_restock(age, stock, sold_recently)",
                            "my_restock(age, stock, sold_recently)"))


def check_restock_rule(rule: Any) -> ExerciseCheck:
    """Mark the restock-rule exercise with instant feedback and hints from ch03.json."""
    return check_exercise(restock_rule_checker, rule, chapter="ch03", hints_id="restock_rule")


def stages_table() -> Styler:
    """The four stages of 微商 (dataset ``stages``), English and Chinese, with the source."""
    return bilingual_table(load_dataset("stages").sort_values("stage"), "stages",
                           ["stage", "name_zh", "name_en", "mindset_zh", "relationship_en"],
                           {"stage": "阶段", "name_zh": "名称", "mindset_zh": "思维"}, "stage")


def connections_table() -> Styler:
    """The five constant connections (恒连接), strongest first, with the source."""
    return bilingual_table(
        load_dataset("constant_connections").sort_values("strength_rank"), "constant_connections",
        ["strength_rank", "term_zh", "term_en", "build_phase", "explanation_en"],
        {"strength_rank": "强度排名", "term_zh": "连接", "build_phase": "建立阶段"},
        "strength_rank")


def three_flows_table(params: TierParams | None = None, seed: int = DEFAULT_SEED) -> Styler:
    """1.0 against 2.0 on the same people and demand: where goods and money go (simulated)."""
    runs = compare_modes(params, seed=seed)
    rows = {
        "boxes bought by consumers (物流 out of the chain)":
            lambda s: f"{s['consumer_units']:,}",
        "boxes stuck with agents at year end (物流)": lambda s: f"{s['stock_in_tiers']:,}",
        "boxes shipped ÷ boxes bought (fake-performance ratio)":
            lambda s: ratio(s["fake_performance_ratio"]),
        "agents' spending on stock, 元 (资金流 up the chain)":
            lambda s: f"{s['agent_spend_on_stock']:,.0f}",
        "share of revenue paid by outside buyers": lambda s: percent(s["outside_revenue_share"]),
        "bottom-tier agents losing money": lambda s: percent(s["share_losing_money_bottom"]),
    }
    table = pd.DataFrame({mode: [fmt(runs[mode].summary) for fmt in rows.values()]
                          for mode in MODES}, index=list(rows))
    table.index.name = "one simulated year"
    if prose("en", "zh") == "zh":
        table.index = pd.Index(THREE_FLOWS_ZH, name="模拟一年")
        return captioned(table, f"用层级模拟器模拟（随机运行一次，随机种子 {seed}）：级差来自报道"
                                "的案例，其余输入都是假设，所以数字仅作示意。")
    return captioned(table, "Simulated with the tier simulator (one random run, seed "
                     f"{seed}): the ladder is the reported case, the other inputs are "
                     "assumptions, so the numbers are illustrative.")


#: The rows of :func:`three_flows_table` in Chinese, in the same order (``zh`` mode).
THREE_FLOWS_ZH = ("消费者买走的箱数（物流流出链条）", "年底压在代理手里的箱数（物流）",
                  "发出箱数 ÷ 买走箱数（虚假业绩比）", "代理进货花的钱，元（资金流向上）",
                  "收入中来自外部买家的比例", "亏钱的最底层代理比例")
