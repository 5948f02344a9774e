"""One linked model of a whole social-selling business: product → posting plan → channel.

The capstone chains three of the course's models, each unchanged, and checks the result
against the eight death causes ([Huang 2017]), the ethics consensus ([Zhang 2015]) and Art. 7 of
the 2005 regulation on pyramid selling:

1. **Product** (:mod:`widgets.models.product_scorer`). The weighted score ``S`` (0–5) on the
   eight criteria (史八条, [Social Selling 2014]) sets how readily a friend who sees an offer
   buys, and the *experiential* score ``x_exp`` (体验性, which [Social Selling 2014] ties to
   repeat purchase) sets how often a buyer orders again:

   .. math::  p_{max} = \\pi \\, S / 5, \\qquad \\rho = \\rho_{max}\\, x_{exp} / 5

2. **Posting plan** (:mod:`widgets.models.trust_decay`). The student's plan (ads, content,
   interactions, new friends, brags, fake goods) runs in a circle of ``n`` friends for 365
   days with ``max_purchase_rate = p_max``. It gives the day's expected first purchases
   ``f_t`` and the circle's mean trust ``T̄_t``. Buyers re-order at ``ρ`` a month while they
   still trust the seller:

   .. math::  r_t = \\frac{\\rho}{30}\\, B_{t-1}\\, \\bar T_t, \\qquad B_t = \\sum_{s \\le t} f_s

   The circle stands for the market: its yearly boxes per friend set the tier simulator's
   demand rate (boxes a week per 1,000 reachable people, one purchase = one box):

   .. math::  \\delta = 1000 \\cdot \\frac{\\sum_t (f_t + r_t)}{n} \\cdot \\frac{7}{365}

3. **Channel** (:mod:`widgets.models.tier_simulator`), 1.0 or 2.0, on a market of ``N``
   reachable people for 52 weeks, with demand ``δ``. It says where stock and money go:
   agents losing money, fake performance, unsold stock, the brand's revenue, Art. 7 flags.

``π`` and ``ρ_max`` are the course's **assumptions** (:data:`LINK_SOURCES`): ``π = 0.02``
makes a middling product (S = 2.5) buy at the trust model's default rate. The death-cause
and ethics thresholds (:data:`DEATH_RULES`) are assumptions too, each stated in the report.
Calling the three models yourself with :attr:`BusinessResult.trust_params`,
:attr:`BusinessResult.tier_params` and the same seed reproduces every number.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np
import pandas as pd

from widgets.models.product_scorer import CRITERIA, product_score
from widgets.models.tier_simulator import MODES, TierParams, TierResult, simulate_tiers
from widgets.models.trust_decay import PRESETS, TrustParams, TrustResult, simulate_trust
from widgets.models.validation import (
    ParameterError,
    check_array_range,
    check_bool,
    check_choice,
    check_frame,
    check_instance,
    check_int,
    check_mapping,
    check_range,
    check_seed,
    check_text,
)

DAYS, WEEKS, MONTHS = 365, 52, 12
PURCHASE_RATE_AT_TOP = 0.02   # π: max purchases per friend a day for a 5/5 product (assumption)
REPEAT_RATE_AT_TOP = 0.25     # ρ_max: monthly re-order rate for a 5/5 experiential product
LINK_SOURCES: dict[str, str] = {
    "product_score": "product scorer, [Social Selling 2014] (史八条); the scores are the student's",
    "max_purchase_rate": "assumption: π·S/5 with π = 0.02 (S = 2.5 gives the trust model's "
                         "default 0.01)",
    "repeat_rate": "assumption: ρ_max·x_exp/5 with ρ_max = 0.25 a month; "
                   "[Social Selling 2014] ties "
                   "体验性 to repeat purchase",
    "demand_rate": "the circle's boxes per friend a year, scaled to 1,000 people a week "
                   "(assumption: the circle is typical of the market; one purchase = one box)",
    "market": "assumption: reachable people in the market (the tier simulator's pool)",
}
LINK_SOURCES_ZH: dict[str, str] = {
    "product_score": "产品评分器，[Social Selling 2014]（史八条）；分数由学员自己打",
    "max_purchase_rate": "假设：π·S/5，π = 0.02（S = 2.5 时等于信任模型默认的 0.01）",
    "repeat_rate": "假设：ρ_max·x_exp/5，ρ_max = 0.25 次/月；[Social Selling 2014] 把体验性和复购"
                   "联系在一起",
    "demand_rate": "把朋友圈里每个朋友一年买的盒数，换算成每千人每周的盒数（假设：这个朋友圈"
                   "代表整个市场；一次购买 = 一盒）",
    "market": "假设：市场里能触达的人数（层级模拟器的人群池）",
}
# Posting fields a plan may set (the rest of TrustParams stays at the preset's values).
POSTING_FIELDS = ("n_friends", "ads_per_day", "content_per_day", "interactions_per_day",
                  "new_friend_share", "brag_day", "fake_goods_day")
# Channel fields a plan may set (the ladder is built by TierParams.from_ladder).
CHANNEL_FIELDS = ("top_price", "bottom_price", "top_order", "bottom_order", "retail_price",
                  "recruit_bonus", "team_commission", "restock_units", "recruit_rate",
                  "initial_agents", "sales_commission")

# The death causes' tests: every threshold is an assumption of the course.
DEATH_RULES: dict[str, str] = {
    "street_stall": "at risk when a quarter or more of the circle has muted or blocked you "
                    "after a year, or the plan floods the feed (more posts a day than the trust "
                    "model's burst threshold, or more ads than content posts)",
    "no_content": "at risk when you post fewer content posts than ads, or the product's "
                  "variety score (随机可选性) is below 3 of 5",
    "bragging": "at risk when the plan contains a brag that is found out",
    "fake_goods_new_friends": "at risk when the plan ships a fake batch or more than a "
                              "quarter of your outer circle are brand-new friends",
    "community_slump": "at risk when the product's circle score (形成圈子) is below 3 of 5 or "
                       "you reply to fewer than 5 friends a day",
    "trainer_shakeout": "not scored: this cause is the hype-training industry (导师 selling "
                        "marketing courses) being shaken out as the trade moves from marketing "
                        "to operations; it happens to trainers, not to a seller's plan",
    "fast_teams": "at risk when more than half of the agents end the year losing money",
    "supply_chain": "at risk when the plan has already succeeded at scale (consumers buy at "
                    "least 10,000 boxes in the year) on a narrow range (variety score below 3 "
                    "of 5): the cause ends sellers who grew big and must then add categories, "
                    "warehouses and after-sales",
}
DEATH_RULES_ZH: dict[str, str] = {
    "street_stall": "一年后有四分之一或更多的朋友屏蔽或拉黑了你，或者计划刷屏（每天发圈数超过"
                    "信任模型的刷屏门槛，或者广告比内容多），就算有风险",
    "no_content": "内容比广告少，或者产品的随机可选性得分低于 3 分（满分 5），就算有风险",
    "bragging": "计划里有一次被识破的吹牛，就算有风险",
    "fake_goods_new_friends": "计划里发出一批假货，或者外圈里超过四分之一是刚加的新朋友，"
                              "就算有风险",
    "community_slump": "产品的形成圈子得分低于 3 分（满分 5），或者每天回复的朋友少于 5 个，"
                       "就算有风险",
    "trainer_shakeout": "不计分：这种死因说的是卖营销课的导师行业，在行业从重营销转向重运营时"
                        "被洗牌；它落在培训师身上，不在卖家的计划里",
    "fast_teams": "一年结束时超过一半的代理在亏钱，就算有风险",
    "supply_chain": "计划已经做大（一年里消费者买走至少 10,000 盒），品类却很窄（随机可选性"
                    "低于 3 分），就算有风险：这种死因淘汰的是做大以后必须扩品类、建仓库、做售后"
                    "的卖家",
}
MUTED_LIMIT, NEW_FRIEND_LIMIT, VARIETY_LIMIT, CIRCLE_LIMIT = 0.25, 0.25, 3.0, 3.0
REPLIES_LIMIT, LOSING_LIMIT, SUPPLY_VARIETY_LIMIT = 5.0, 0.5, 3.0
SUPPLY_SCALE_LIMIT = 10_000  # boxes consumers buy in a year: "grown big" (assumption)
AT_RISK, AVOIDED, NOT_SCORED = "at risk", "avoided", "not scored"
NOT_SCORED_CAUSES = ("trainer_shakeout",)

ETHICS_IDS = ("no_violations", "no_fakes", "no_pyramid", "no_market_disruption",
              "no_hoarding", "no_profiteering", "no_feed_flooding", "no_fleecing_friends")
KEPT, BROKEN, NOT_PLEDGED, PLEDGE_ONLY = "kept", "broken", "not pledged", "pledge only"


def default_scores() -> dict[str, float]:
    """Three out of five on every criterion (a neutral starting point, illustrative)."""
    return dict.fromkeys(CRITERIA, 3.0)


@dataclass(frozen=True)
class BusinessPlan:
    """A student's plan: product scores, posting plan, channel, market and ethics pledges."""

    name: str = "My plan"
    product: str = "my product"
    scores: Mapping[str, float] = field(default_factory=default_scores)
    weights: Mapping[str, float] | None = None
    posting_preset: str = "living_room"
    posting: Mapping[str, Any] = field(default_factory=dict)
    mode: str = "2.0"
    n_tiers: int = 2
    channel: Mapping[str, Any] = field(default_factory=dict)
    market: int = 10_000
    pledges: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        validate_plan(self)

    def with_changes(self, **changes: Any) -> BusinessPlan:
        """A validated copy with some fields changed."""
        unknown = sorted(set(changes) - {f.name for f in fields(self)})
        if unknown:
            raise ParameterError(f"changes has unknown BusinessPlan field(s) {unknown}")
        return replace(self, **changes)


@dataclass(frozen=True)
class BusinessResult:
    """Everything a plan produces after 12 months, and the inputs derived for each model."""

    plan: BusinessPlan
    seed: int
    deterministic: bool
    product_score: float
    max_purchase_rate: float
    repeat_rate: float
    demand_rate: float
    trust_params: TrustParams
    tier_params: TierParams
    trust: TrustResult
    tiers: TierResult
    daily: pd.DataFrame      # day 1..365: first, repeat, total purchases, trust, muted
    monthly: pd.DataFrame    # month 1..12: the circle's and the channel's numbers
    death_causes: pd.DataFrame
    ethics: pd.DataFrame
    legal_flags: list[dict[str, Any]]
    outcomes: dict[str, Any]


def validate_plan(plan: BusinessPlan) -> None:
    """Check the plan's own fields; the three models check the rest."""
    if not isinstance(plan, BusinessPlan):
        raise ParameterError(f"plan must be a BusinessPlan, got {type(plan).__name__}")
    check_text("name", plan.name)
    check_text("product", plan.product)
    check_mapping("scores", plan.scores)
    missing = [c for c in CRITERIA if c not in plan.scores]
    unknown = [c for c in plan.scores if c not in CRITERIA]
    if missing or unknown:
        raise ParameterError(f"scores needs exactly the eight criteria {CRITERIA}; missing "
                             f"{missing}, unknown {unknown}")
    for criterion in CRITERIA:
        check_range(f"scores[{criterion}]", plan.scores[criterion], 0.0, 5.0)
    if plan.weights is not None:
        try:
            product_score(plan.scores, check_mapping("weights", plan.weights))
        except ParameterError as exc:
            raise ParameterError(f"weights: {exc}") from exc
    check_choice("posting_preset", plan.posting_preset, tuple(PRESETS))
    check_mapping("posting", plan.posting)
    for name in plan.posting:
        if name not in POSTING_FIELDS:
            raise ParameterError(f"posting may set {POSTING_FIELDS}, not {name!r}")
    try:
        PRESETS[plan.posting_preset].with_changes(**dict(plan.posting))
    except ParameterError as exc:
        raise ParameterError(f"posting: {exc}") from exc
    check_mapping("channel", plan.channel)
    for name in plan.channel:
        if name not in CHANNEL_FIELDS:
            raise ParameterError(f"channel may set {CHANNEL_FIELDS}, not {name!r}")
    check_choice("mode", plan.mode, MODES)
    check_int("n_tiers", plan.n_tiers, 2, 8)
    try:
        TierParams.from_ladder(n_tiers=plan.n_tiers, **dict(plan.channel))
    except ParameterError as exc:
        raise ParameterError(f"channel: {exc}") from exc
    check_int("market", plan.market, 1, 10_000_000)
    check_instance("pledges", plan.pledges, tuple | list, "a tuple of commitment ids")
    unknown_pledges = [p for p in plan.pledges if not isinstance(p, str) or p not in ETHICS_IDS]
    if unknown_pledges:
        raise ParameterError(f"pledges must be among {ETHICS_IDS}, got {unknown_pledges}")


def derive_trust_params(plan: BusinessPlan) -> TrustParams:
    """The trust-decay inputs: the preset, the plan's posting changes, p_max from the product."""
    validate_plan(plan)
    score = product_score(plan.scores, plan.weights)
    return PRESETS[plan.posting_preset].with_changes(
        **dict(plan.posting), days=DAYS, max_purchase_rate=PURCHASE_RATE_AT_TOP * score / 5.0)


def repeat_purchases(first: np.ndarray, trust: np.ndarray, repeat_rate: float) -> np.ndarray:
    """Daily re-orders ``r_t = ρ/30 · B_{t−1} · T̄_t`` (``B`` = cumulative first purchases)."""
    first = check_array_range("first", first, 0.0, 1e12, ndim=1)
    trust = check_array_range("trust", trust, 0.0, 1.0, ndim=1)
    if first.shape != trust.shape:
        raise ParameterError(f"first and trust need one value per day each, got {first.size} "
                             f"and {trust.size}")
    repeat_rate = check_range("repeat_rate", repeat_rate, 0.0, 1.0)
    buyers_before = np.concatenate([[0.0], np.cumsum(first)[:-1]])
    return repeat_rate / 30.0 * buyers_before * trust


def derive_tier_params(plan: BusinessPlan, demand_rate: float) -> TierParams:
    """The tier-simulator inputs: the plan's ladder and market, 52 weeks, demand ``δ``."""
    validate_plan(plan)
    check_range("demand_rate", demand_rate, 0.0, 1000.0)
    return TierParams.from_ladder(n_tiers=plan.n_tiers, **dict(plan.channel),
                                  demand_rate=demand_rate, pool=plan.market, weeks=WEEKS)


def _month_of_day(days: np.ndarray) -> np.ndarray:
    return np.minimum((days - 1) * MONTHS // DAYS, MONTHS - 1) + 1


def _month_of_week(weeks: np.ndarray) -> np.ndarray:
    return np.minimum(weeks * MONTHS // WEEKS, MONTHS - 1) + 1


def simulate_business(plan: BusinessPlan | None = None, seed: int = 0,
                      deterministic: bool = False) -> BusinessResult:
    """Run the linked model for 12 months (see the module docstring for the chain).

    ``seed`` drives the trust model's clocks and the tier simulator's random draws (the
    mode the apps run); ``deterministic=True`` runs the tier simulator's floored-counter
    reference mode instead (no draws, not an expected value).
    """
    plan = BusinessPlan() if plan is None else plan
    validate_plan(plan)
    seed = check_seed("seed", seed)
    deterministic = check_bool("deterministic", deterministic)
    score = product_score(plan.scores, plan.weights)
    repeat_rate = REPEAT_RATE_AT_TOP * float(plan.scores["experiential"]) / 5.0
    trust_params = derive_trust_params(plan)
    trust = simulate_trust(trust_params, seed=seed)
    days = trust.daily
    first = days["expected_purchases"].to_numpy()
    mean_trust = days["trust_all"].to_numpy()
    repeat = repeat_purchases(first, mean_trust, repeat_rate)
    boxes = float(first.sum() + repeat.sum())
    demand_rate = 1000.0 * boxes / trust_params.n_friends * 7.0 / DAYS
    tier_params = derive_tier_params(plan, demand_rate)
    tiers = simulate_tiers(tier_params, plan.mode, seed=seed, deterministic=deterministic)

    daily = pd.DataFrame({
        "first_purchases": first, "repeat_purchases": repeat, "purchases": first + repeat,
        "trust_all": mean_trust, "share_muted": days["share_muted"].to_numpy(),
        "share_blocked": days["share_blocked"].to_numpy(), "reach": days["reach"].to_numpy(),
    }, index=days.index)
    monthly = _monthly(daily, tiers)
    legal = [dict(flag) for flag in tiers.summary["legal_flags"]]
    death = _death_causes(plan, trust_params, trust, tiers)
    ethics = _ethics(plan, trust_params, tiers, legal)
    summary = tiers.summary
    at_risk = death[death["status"] == "at risk"]
    outcomes: dict[str, Any] = {
        "product_score": score,
        "max_purchase_rate": trust_params.max_purchase_rate,
        "repeat_rate": repeat_rate,
        "circle_first_purchases": float(first.sum()),
        "circle_repeat_purchases": float(repeat.sum()),
        "demand_rate": demand_rate,
        "final_trust": float(trust.summary["final_trust_all"]),
        "final_reach": float(days["reach"].iloc[-1]),
        "share_muted": float(trust.summary["final_share_muted"]),
        "share_blocked": float(trust.summary["final_share_blocked"]),
        "agents": int(summary["agents"]),
        "share_losing_money": float(summary["share_losing_money"]),
        "median_agent_profit": float(summary["median_agent_profit"]),
        "fake_performance_ratio": float(summary["fake_performance_ratio"]),
        "outside_revenue_share": float(summary["outside_revenue_share"]),
        "consumer_units": int(summary["consumer_units"]),
        "units_shipped": int(summary["units_shipped"]),
        "brand_revenue": float(summary["brand_revenue"]),
        "brand_net_cash": float(summary["brand_net_cash"]),
        "unsold_stock_value": float(summary["unsold_stock_value"]),
        "causes_at_risk": len(at_risk),
        "stars_at_risk": int(at_risk["death_index"].sum()),
        "death_risk": float(at_risk["death_index"].sum() / death["death_index"].sum()),
        "ethics_broken": int((ethics["status"] == BROKEN).sum()),
        "art7_triggered": sum(bool(f["triggered"]) for f in legal if "Art. 7" in f["law"]),
        "legal_flags_triggered": sum(bool(f["triggered"]) for f in legal),
    }
    return BusinessResult(plan, seed, bool(deterministic), score,
                          trust_params.max_purchase_rate, repeat_rate, demand_rate,
                          trust_params, tier_params, trust, tiers, daily, monthly, death,
                          ethics, legal, outcomes)


def _monthly(daily: pd.DataFrame, tiers: TierResult) -> pd.DataFrame:
    by_day = daily.groupby(_month_of_day(daily.index.to_numpy()))
    circle = pd.DataFrame({
        "first_purchases": by_day["first_purchases"].sum(),
        "repeat_purchases": by_day["repeat_purchases"].sum(),
        "trust_all": by_day["trust_all"].last(),
        "share_muted": by_day["share_muted"].last(),
        "reach": by_day["reach"].mean(),
    })
    brand = tiers.brand
    by_week = brand.groupby(_month_of_week(brand["week"].to_numpy()))
    channel = pd.DataFrame({
        "consumer_units": by_week["consumer_units"].sum(),
        "units_shipped": by_week["units_shipped"].sum(),
        "brand_revenue": by_week["revenue"].sum(),
        "consumer_spend": by_week["consumer_spend"].sum(),
    })
    monthly = circle.join(channel, how="outer")
    monthly.index.name = "month"
    return monthly


def _death_table() -> pd.DataFrame:
    """The eight causes in the order of [Huang 2017] with their death index (stars),
    read from the ``death_index`` dataset."""
    from widgets.data import load_dataset

    causes = load_dataset("death_index").sort_values("article_order")
    return causes[["cause_id", "cause_en", "cause_zh", "death_index"]].reset_index(drop=True)


def flooding(p: TrustParams) -> tuple[bool, str]:
    """Does the plan flood the feed? Ads + content posts a day above the trust model's burst
    threshold (Kwak, Chun & Moon 2011: bursts of posts drive unfollows), or more ads than
    content posts (the street stall)."""
    check_instance("p", p, TrustParams, "a TrustParams")
    posts = p.ads_per_day + p.content_per_day
    limit = float(getattr(p, "burst_free_posts", 3.0))
    flooded = posts > limit or p.ads_per_day > max(p.content_per_day, 1.0)
    return flooded, (f"{p.ads_per_day:g} ads + {p.content_per_day:g} content posts a day "
                     f"(burst threshold {limit:g} posts)")


def _death_causes(plan: BusinessPlan, trust_params: TrustParams, trust: TrustResult,
                  tiers: TierResult) -> pd.DataFrame:
    p, s, scores = trust_params, tiers.summary, plan.scores
    muted = float(trust.summary["final_share_muted"])
    checks: dict[str, tuple[bool, str, str]] = {}  # (at risk, reason, reason in Chinese)
    flooded, posts = flooding(p)
    posts_zh = _posts_zh(p)
    checks["street_stall"] = (
        muted >= MUTED_LIMIT or flooded,
        f"{muted:.0%} of {p.n_friends} friends muted or blocked you after a year; {posts}",
        f"一年后 {p.n_friends} 个朋友里有 {muted:.0%} 屏蔽或拉黑了你；{posts_zh}")
    variety = float(scores["random_choice"])
    checks["no_content"] = (
        p.content_per_day < p.ads_per_day or variety < VARIETY_LIMIT,
        f"{p.content_per_day:g} content posts vs {p.ads_per_day:g} ads a day; "
        f"variety score {variety:g}/5",
        f"每天 {p.content_per_day:g} 条内容对 {p.ads_per_day:g} 条广告；随机可选性 {variety:g}/5")
    checks["bragging"] = (
        p.brag_day is not None,
        f"a brag is found out on day {p.brag_day}" if p.brag_day is not None
        else "no brag in the plan",
        f"第 {p.brag_day} 天吹牛被识破" if p.brag_day is not None else "计划里没有吹牛")
    new = float(p.new_friend_share)
    fake = p.fake_goods_day is not None
    checks["fake_goods_new_friends"] = (
        fake or new > NEW_FRIEND_LIMIT,
        (f"a fake batch ships on day {p.fake_goods_day}; " if fake else "no fake goods; ")
        + f"{new:.0%} of the outer circle are brand-new friends",
        (f"第 {p.fake_goods_day} 天发出一批假货；" if fake else "没有假货；")
        + f"外圈里 {new:.0%} 是刚加的新朋友")
    circle = float(scores["forms_circle"])
    checks["community_slump"] = (
        circle < CIRCLE_LIMIT or p.interactions_per_day < REPLIES_LIMIT,
        f"circle score {circle:g}/5; {p.interactions_per_day:g} replies a day",
        f"形成圈子 {circle:g}/5；每天回复 {p.interactions_per_day:g} 次")
    checks["trainer_shakeout"] = (
        False, "the training industry's shakeout is not a risk of the plan (not scored)",
        "培训行业的洗牌不是这份计划的风险（不计分）")
    losing = float(s["share_losing_money"])
    checks["fast_teams"] = (
        losing > LOSING_LIMIT,
        f"{losing:.0%} of {s['agents']:,} agents end the year losing money",
        f"{s['agents']:,} 个代理里有 {losing:.0%} 到年底在亏钱")
    bought = int(s["consumer_units"])
    big = bought >= SUPPLY_SCALE_LIMIT
    checks["supply_chain"] = (
        big and variety < SUPPLY_VARIETY_LIMIT,
        f"consumers bought {bought:,} boxes (grown big counts from {SUPPLY_SCALE_LIMIT:,} a "
        f"year); "
        f"variety score {variety:g}/5",
        f"消费者买走 {bought:,} 盒（一年 {SUPPLY_SCALE_LIMIT:,} 盒起算做大）；"
        f"随机可选性 {variety:g}/5")
    table = _death_table()
    table["status"] = [NOT_SCORED if c in NOT_SCORED_CAUSES else AT_RISK if checks[c][0]
                       else AVOIDED for c in table["cause_id"]]
    table["reason"] = [checks[c][1] for c in table["cause_id"]]
    table["rule"] = [DEATH_RULES[c] for c in table["cause_id"]]
    table["reason_zh"] = [checks[c][2] for c in table["cause_id"]]
    return table


def _posts_zh(p: TrustParams) -> str:
    """:func:`flooding`'s reason in Chinese."""
    limit = float(getattr(p, "burst_free_posts", 3.0))
    return (f"每天 {p.ads_per_day:g} 条广告 + {p.content_per_day:g} 条内容"
            f"（刷屏门槛 {limit:g} 条）")


def _ethics(plan: BusinessPlan, trust_params: TrustParams, tiers: TierResult,
            legal: list[dict[str, Any]]) -> pd.DataFrame:
    s, p = tiers.summary, trust_params
    art7 = [f for f in legal if "Art. 7" in f["law"] and f["triggered"]]
    stuck, bought = int(s["stock_in_tiers"]), int(s["consumer_units"])
    evidence: dict[str, tuple[bool | None, str, str]] = {  # (kept?, evidence, in Chinese)
        "no_violations": (not art7, "; ".join(f["test"] for f in art7) or
                          "no Art. 7 test is triggered",
                          "；".join(f["test"].rsplit(" · ", 1)[-1] for f in art7) or
                          "第七条的标准一条也没有触发"),
        "no_fakes": (p.fake_goods_day is None, "a fake batch is in the plan"
                     if p.fake_goods_day is not None else "no fake batch in the plan",
                     "计划里有一批假货" if p.fake_goods_day is not None else "计划里没有假货"),
        "no_pyramid": (not art7, f"{len(art7)} of the three Art. 7 tests triggered",
                       f"第七条三条标准触发了 {len(art7)} 条"),
        "no_market_disruption": (stuck <= bought,
                                 f"{stuck:,} unsold boxes in agents' hands (dumping pressure) "
                                 f"vs {bought:,} bought by consumers",
                                 f"代理手里压着 {stuck:,} 盒没卖掉（窜货、乱价的压力），"
                                 f"消费者只买走 {bought:,} 盒"),
        "no_hoarding": (stuck == 0 and not (plan.mode == "1.0" and (
            any(u > 0 for u in tiers.params.first_order_units) or
            tiers.params.restock_units > 0)),
            f"{stuck:,} boxes held in the tiers; mode {plan.mode}",
            f"各级代理囤着 {stuck:,} 盒；{plan.mode} 模式"),
        "no_profiteering": (None, "the model has no market price to compare with",
                            "模型里没有市场价可以比较"),
        "no_feed_flooding": (not flooding(p)[0], flooding(p)[1], _posts_zh(p)),
        "no_fleecing_friends": (None, "the model does not price friends differently",
                                "模型不会给朋友定不同的价"),
    }
    rows = []
    for commitment in ETHICS_IDS:
        ok, why, why_zh = evidence[commitment]
        pledged = commitment in plan.pledges
        if ok is False:
            status = BROKEN
        elif not pledged:
            status = NOT_PLEDGED
        elif ok is None:
            status = PLEDGE_ONLY
        else:
            status = KEPT
        rows.append((commitment, pledged, status, why, why_zh))
    return pd.DataFrame(rows, columns=["commitment_id", "pledged", "status", "evidence",
                                       "evidence_zh"])


def example_plans(products: pd.DataFrame) -> dict[str, BusinessPlan]:
    """The rubric's two worked examples, with product scores from the ``products`` table.

    ``failing_1_0``: handbags (女包) pushed through a three-tier 1.0 agent team by a street-stall
    posting plan, all eight commitments ticked anyway. ``sound_2_0``: facial masks (面膜) sold
    by prosumers in 2.0 mode with a living-room posting plan. Both are illustrative.
    """
    check_frame("products", products, ("product_id", *CRITERIA))
    missing = sorted({"handbag", "facial_mask"} - set(products["product_id"]))
    if missing:
        raise ParameterError(f"products lacks the worked examples' product(s) {missing}")
    table = products.set_index("product_id")

    def scores(product_id: str) -> dict[str, float]:
        return {c: float(table.loc[product_id, c]) for c in CRITERIA}

    return {
        "failing_1_0": BusinessPlan(
            name="Handbags through a 1.0 agent team", product="Handbag · 女包",
            scores=scores("handbag"), posting_preset="street_stall", mode="1.0", n_tiers=3,
            pledges=ETHICS_IDS),
        "sound_2_0": BusinessPlan(
            name="Facial masks with a 2.0 prosumer community", product="Facial mask · 面膜",
            scores=scores("facial_mask"), posting_preset="living_room", mode="2.0", n_tiers=2,
            pledges=ETHICS_IDS),
    }

