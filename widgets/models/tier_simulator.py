"""Tier simulator: where stock and money end up in a 微商 agent pyramid, 1.0 against 2.0.

Agents sit in ``K`` tiers (2–8) below the brand (品牌商 → tier 1 → … → tier K →
consumers). Tier 1 buys from the brand at the agent price (代理价) ``p₁``; an
agent in tier ``k`` buys from its supplier in tier ``k − 1`` at ``p_k``; consumers
pay the retail price ``r``. The ladder must rise, ``p₁ < p₂ < … < p_K < r``.
Time runs in weeks ``t = 0 … T − 1``; money is kept in whole fen (分) and stock in
whole boxes, so the books balance exactly.

**Recruiting (发展下线).** With ``M`` members out of ``N`` reachable people, each
member brings in, in expectation,

.. math::  \\lambda_t = \\rho \\, (1 - M_t / N)

recruits per week: friend circles overlap, so the pool saturates. In random mode (the
one the apps run) the week's total is Poisson(``ρ M (1 − M/N)``), each recruit assigned
to a member at random. The *floored-counter reference mode* (``deterministic=True``)
has no randomness: each agent accumulates ``λ_t`` and recruits ``⌊acc⌋`` (the fraction
carries over). It is **not** an expected value: a new agent's first recruit waits
``⌈1/λ⌉`` weeks, so results jump at knife edges (at ``ρ = 0.25`` a run's agents differ
greatly from the random mode's mean, and ``ρ = 0.25 → 0.2501`` moves the count by tens of
per cent). It exists so the vectorised engine can be checked exactly against the
plain-Python loop; never read its numbers as expectations. A
recruit of a tier-``k`` agent joins tier ``min(k + 1, K)``; its supplier is the
recruiter, or, for a bottom-tier recruiter, the recruiter's own supplier.

**Stock (压货) and orders, mode 1.0.** A new agent's first order is ``F_k`` boxes
(the disguised entry fee, 入门费); every 4th week after joining the upline
pushes a restock of ``R`` boxes. Consumer demand is a limited market of
``D = δ N / 1000`` boxes per week (``δ`` boxes per 1,000 reachable people), split
evenly among members
(in the floored-counter mode the week's boxes ``D`` are accumulated and floored,
then dealt round-robin over the members; in random mode Poisson(``D``) boxes each go
to a random member). Agents sell from stock and order any shortfall; a supplier fills
its downline's orders from stock and orders its own shortfall upward:

.. math::

    q_i = F_i + P_i + \\max(0, d_i - a_i) + \\max(0, o_i - a'_i), \\qquad
    s_i \\leftarrow a'_i + \\max(0, o_i - a'_i) - o_i

with ``a_i = s_i + F_i + P_i`` the stock after arrivals, ``a'_i`` the stock
after consumer sales ``d_i`` and ``o_i`` the orders from its downline. Money:
the buyer pays ``p_k q_i``; the brand pays the recruiter ``β`` of each recruit's
first order (拉人头) and each supplier ``γ`` of its downline's purchases
(团队计酬), each rounded down to the fen.

**Mode 2.0 (三流分离).** Same people, same recruiting, same demand draws. No
entry order, no restock push: the brand ships each box straight to the
consumer, the consumer pays the brand, and the brand pays the selling agent a
commission ``c r`` per box sold to a consumer. No recruiting pay.

**Outputs.** Fake-performance ratio (虚假业绩) = boxes the brand shipped ÷ boxes
consumers bought (1 means nothing is stuck in the chain). Outside-revenue share
= consumer spending ÷ (consumer spending + agents' spending on stock), i.e. the
share of all sales revenue in the system paid by outside buyers. An agent's
profit is cash in minus cash out: unsold stock counts as zero.

**Conservation.** Boxes shipped by the brand = boxes bought by consumers + stock
held in all tiers; consumers' payments + the brand's payouts + agents'
purchases = money received by agents and the brand.

Parameter sources (see ``docs/REFERENCES.md``; the case is in the
``price_ladder_case`` dataset): the two-tier ladder 33.33 / 40 元, first orders
150 / 50 boxes, retail 80 元 and the 30 % recruiting bonus are the 微商 price
ladder reported by 新华视点 (repost, c. 2018). Everything else is an
*assumption* (see :data:`PARAM_SOURCES`).

Code: the parameters live in :mod:`widgets.models.tier_params`, the vectorised engine in
:mod:`widgets.models.tier_engine` (people and demand week by week, then everyone's stock
and cash at once) and a plain-Python version to read in
:mod:`widgets.models.tier_reference`; this module turns a run into tables, KPIs and flags.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import cached_property
from itertools import pairwise
from typing import Any

import numpy as np
import pandas as pd

from widgets.models.tier_engine import run_engine
from widgets.models.tier_params import (
    MAX_POOL,
    MAX_PRICE,
    MAX_TIERS,
    MIN_TIERS,
    MODES,
    MONEY_FIELDS,
    PARAM_SOURCES,
    RECORD_FIELDS,
    RESTOCK_EVERY_WEEKS,
    IntegerRules,
    ParameterError,
    TierParams,
    check_mode,
    integer_rules,
)
from widgets.models.validation import (
    check_bool,
    check_instance,
    check_int,
    check_range,
    check_seed,
)

# The entry points. ``assemble_result`` is public for the engine's other implementation,
# ``tier_reference``, and not listed: it takes the engine's own arrays, already checked
# (bad input is met by ``simulate_tiers`` and ``simulate_tiers_reference``).
__all__ = [
    "MAX_POOL", "MAX_PRICE", "MAX_TIERS", "MIN_TIERS", "MODES", "MONEY_FIELDS", "PARAM_SOURCES",
    "RECORD_FIELDS", "RESTOCK_EVERY_WEEKS", "IntegerRules", "ParameterError", "TierParams",
    "TierResult", "art7_passes", "bottom_tier_losing_share", "check_mode",
    "compare_modes", "integer_rules", "legal_flags", "params_table", "simulate_tiers", "tier_name",
]
_F = {name: i for i, name in enumerate(RECORD_FIELDS)}


@dataclass
class TierResult:
    """What one run produces.

    - ``tiers``: one row per week and tier (members, boxes, unsold stock, cash in 元);
    - ``brand``: one row per week (boxes shipped, revenue, payouts, consumer sales);
    - ``agent_profit`` (元), ``agent_tier`` (1 = top) and ``agent_stock`` per agent;
    - ``money_flows``: totals from payer to payee (for a Sankey);
    - ``summary``: the headline numbers and ``legal_flags``;
    - ``records`` (weeks × tiers × :data:`RECORD_FIELDS`, money in fen) and the
      per-agent integer arrays, for exact comparisons.
    """

    params: TierParams
    mode: str
    deterministic: bool
    seed: int
    records: np.ndarray
    agent_tier: np.ndarray
    agent_join_week: np.ndarray
    agent_cash_in_fen: np.ndarray
    agent_cash_out_fen: np.ndarray
    agent_stock: np.ndarray
    summary: dict[str, Any] = field(repr=False)

    @property
    def agent_profit(self) -> np.ndarray:
        """Cash profit per agent in 元 (cash in − cash out; unsold stock counts as zero)."""
        return (self.agent_cash_in_fen - self.agent_cash_out_fen) / 100.0

    @cached_property
    def tiers(self) -> pd.DataFrame:
        """One row per week and tier; money in 元 (built on first use)."""
        return _tier_table(self.params, self.records)

    @cached_property
    def brand(self) -> pd.DataFrame:
        """One row per week: the brand's shipments, revenue and payouts (元)."""
        return pd.DataFrame(_brand_weekly(self.params, self.mode, self.records))

    @cached_property
    def money_flows(self) -> pd.DataFrame:
        """Total 元 paid over the run, one row per (payer, payee, kind)."""
        return _money_flows(self.params, self.mode, self.records)


# --------------------------------------------------------------------------- results


def _params(params: TierParams | None) -> TierParams:
    """The default parameters for ``None``; a TierParams as is; anything else an error."""
    if params is None:
        return TierParams()
    return check_instance("params", params, TierParams, "a TierParams")


def tier_name(k: int, n_tiers: int) -> str:
    """Display name of tier ``k`` (1 = top)."""
    n_tiers = check_int("n_tiers", n_tiers, 1, MAX_TIERS)
    k = check_int("k", k, 1, n_tiers)
    if k == 1:
        return "Tier 1 (top) · 一级"
    if k == n_tiers:
        return f"Tier {k} (bottom) · 底层"
    return f"Tier {k} · {k}级"


def legal_flags(params: TierParams, mode: str, outside_revenue_share: float) -> list[dict]:
    """The 2005 regulation's three Art. 7 tests and the FTC/Vemma outside-buyer test.

    Each flag is ``{"key", "law", "test", "triggered", "reason", "reason_zh"}`` (the reason
    in English and in Chinese). The Art. 7 tests
    look at the pay plan's rules; the Vemma test looks at the simulated revenue.
    """
    params = _params(params)
    check_mode(mode)
    if not (isinstance(outside_revenue_share, float) and math.isnan(outside_revenue_share)):
        check_range("outside_revenue_share", outside_revenue_share, 0.0, 1.0)
    law = "禁止传销条例 (2005) Art. 7"
    one = mode == "1.0"
    bonus = one and params.recruit_bonus > 0
    entry_boxes = params.first_order_units[-1]
    entry = one and any(u > 0 for u in params.first_order_units)
    team = one and params.team_commission > 0
    outside = outside_revenue_share
    vemma = not (outside > 0.5)
    share_text = "no revenue at all" if math.isnan(outside) else f"{outside:.0%}"
    vemma_zh = ("根本没有销售收入（要求外部顾客付超过 50%）" if math.isnan(outside)
                else f"外部顾客付了全部销售收入的 {outside:.0%}（要求超过 50%）")
    return [
        {"key": "pay_per_recruit", "law": law, "test": "pay per recruit · 拉人头",
         "triggered": bonus,
         "reason": (f"recruiters earn {params.recruit_bonus:.0%} of each recruit's first order"
                    if bonus else "no one is paid for bringing in people"),
         "reason_zh": (f"上线从每个新人的首单里拿 {params.recruit_bonus:.0%}"
                       if bonus else "拉人进来没有任何报酬")},
        {"key": "entry_fee", "law": law, "test": "entry fee · 入门费", "triggered": entry,
         "reason": (f"joining the bottom tier requires buying {entry_boxes} boxes "
                    f"({entry_boxes * params.tier_prices[-1]:,.0f}元)"
                    if entry and entry_boxes else
                    "joining a tier requires a minimum first order" if entry
                    else "anyone can join without buying anything"),
         "reason_zh": (f"加入最底层要先进 {entry_boxes} 盒货"
                       f"（{entry_boxes * params.tier_prices[-1]:,.0f}元）"
                       if entry and entry_boxes else
                       "加入任何一级都要先下一笔最低首单" if entry
                       else "谁都可以加入，不用先买货")},
        {"key": "team_commission", "law": law, "test": "team commission · 团队计酬",
         "triggered": team,
         "reason": (f"uplines earn {params.team_commission:.0%} of their downline's purchases"
                    if team else "pay rests only on one's own sales"),
         "reason_zh": (f"上线从下线的进货额里提成 {params.team_commission:.0%}"
                       if team else "收入只来自自己卖出的货")},
        {"key": "vemma", "law": "FTC v. Vemma (2016)",
         "test": "most revenue from outside buyers · 收入主要来自外部顾客",
         "triggered": vemma,
         "reason": f"outside buyers pay {share_text} of all sales revenue (needs more than 50%)",
         "reason_zh": vemma_zh},
    ]


def art7_passes(params: TierParams) -> bool:
    """True when a 1.0 pay plan triggers none of Art. 7's three tests."""
    params = _params(params)
    return not any(f["triggered"] for f in legal_flags(params, "1.0", 1.0)[:3])


def _tier_table(params: TierParams, records: np.ndarray) -> pd.DataFrame:
    n_tiers, weeks = params.n_tiers, params.weeks
    flat = records.reshape(weeks * n_tiers, len(RECORD_FIELDS))
    tiers = pd.DataFrame(flat, columns=list(RECORD_FIELDS))
    for name in MONEY_FIELDS:
        tiers[name] = tiers[name] / 100.0
    tiers.insert(0, "tier", np.tile(np.arange(1, n_tiers + 1), weeks))
    tiers.insert(0, "week", np.repeat(np.arange(weeks), n_tiers))
    tiers.insert(2, "tier_name", [tier_name(k, n_tiers) for k in tiers["tier"]])
    tiers["cash_in"] = (tiers["retail_revenue"] + tiers["downline_revenue"]
                        + tiers["bonus_income"] + tiers["commission_income"])
    tiers["cash_out"] = tiers["purchases"]
    tiers["profit"] = tiers["cash_in"] - tiers["cash_out"]
    return tiers


def _brand_sales(mode: str, records: np.ndarray,
                 retail_fen: int) -> tuple[np.ndarray, np.ndarray]:
    """Boxes the brand ships and what it is paid (fen), per week: in 1.0 it sells to
    tier 1, in 2.0 it ships each box to the consumer, who pays it retail."""
    if mode == "1.0":
        return records[:, 0, _F["units_bought"]], records[:, 0, _F["purchases"]]
    consumer_units = records[:, :, _F["units_sold_consumers"]].sum(axis=1)
    return consumer_units, consumer_units * retail_fen


def _brand_weekly(params: TierParams, mode: str, records: np.ndarray) -> dict[str, np.ndarray]:
    """The brand's weekly shipments, cash and payouts (元)."""
    retail_fen = integer_rules(params).retail_fen
    by_week = records.sum(axis=1)
    consumer_units = by_week[:, _F["units_sold_consumers"]]
    consumer_spend = consumer_units * retail_fen
    shipped, revenue = _brand_sales(mode, records, retail_fen)
    return {
        "week": np.arange(params.weeks),
        "units_shipped": shipped,
        "revenue": revenue / 100.0,
        "bonuses_paid": by_week[:, _F["bonus_income"]] / 100.0,
        "commissions_paid": by_week[:, _F["commission_income"]] / 100.0,
        "consumer_units": consumer_units,
        "consumer_spend": consumer_spend / 100.0,
    }


BRAND_SALES = "Brand: sales · 品牌商收款"
BRAND_PAYOUTS = "Brand: payouts · 品牌商返利"
CONSUMERS = "Consumers · 消费者"


def _money_flows(params: TierParams, mode: str, records: np.ndarray) -> pd.DataFrame:
    """Payer → payee totals. The brand appears twice (what it is paid, what it pays out),
    so the flows run one way: consumers and payouts → tiers → up the chain → brand sales."""
    n_tiers = params.n_tiers
    totals = records.sum(axis=0)  # tiers × fields
    flows = []
    names = [tier_name(k, n_tiers) for k in range(1, n_tiers + 1)]
    for k in range(n_tiers):
        payee = BRAND_SALES if k == 0 else names[k - 1]
        flows.append((names[k], payee, totals[k, _F["purchases"]], "stock purchases · 进货款"))
        flows.append((CONSUMERS, names[k], totals[k, _F["retail_revenue"]], "retail sales · 零售"))
        flows.append((BRAND_PAYOUTS, names[k], totals[k, _F["bonus_income"]],
                      "recruiting bonus · 拉人头奖"))
        flows.append((BRAND_PAYOUTS, names[k], totals[k, _F["commission_income"]],
                      "commission · 佣金" if mode == "2.0" else "team commission · 团队计酬"))
    if mode == "2.0":
        spend = int(totals[:, _F["units_sold_consumers"]].sum()) * integer_rules(params).retail_fen
        flows.append((CONSUMERS, BRAND_SALES, spend, "retail sales · 零售"))
    money_flows = pd.DataFrame(flows, columns=["source", "target", "amount", "kind"])
    money_flows = money_flows[money_flows["amount"] > 0].reset_index(drop=True)
    money_flows["amount"] = money_flows["amount"] / 100.0
    return money_flows


def _median(values: np.ndarray) -> float:
    """``np.median`` of a non-empty integer array, without its overhead."""
    n = len(values)
    middle = np.partition(values, [(n - 1) // 2, n // 2])
    return (float(middle[(n - 1) // 2]) + float(middle[n // 2])) / 2


def assemble_result(params: TierParams, mode: str, deterministic: bool, seed: int,
                    records: np.ndarray, agent_tier: np.ndarray, agent_join: np.ndarray,
                    cash_in: np.ndarray, cash_out: np.ndarray, stock: np.ndarray) -> TierResult:
    """A :class:`TierResult` from the week-by-tier records and each agent's final state
    (shared by the engine and the plain-Python reference, ``tier_reference``)."""
    n_tiers = params.n_tiers
    rules = integer_rules(params)
    totals = dict(zip(RECORD_FIELDS, records.sum(axis=(0, 1)).tolist(), strict=True))
    consumer_units = totals["units_sold_consumers"]
    consumer_spend = consumer_units * rules.retail_fen
    bonuses, commissions = totals["bonus_income"], totals["commission_income"]
    shipped, revenue = (int(w.sum()) for w in _brand_sales(mode, records, rules.retail_fen))

    profit_fen = cash_in - cash_out
    losing = profit_fen < 0
    agent_spend = int(cash_out.sum())
    revenue_pool = consumer_spend + agent_spend
    outside = consumer_spend / revenue_pool if revenue_pool else math.nan
    no_sales = math.inf if shipped else math.nan
    fake_ratio = shipped / consumer_units if consumer_units else no_sales
    bounds = np.searchsorted(agent_tier, np.arange(1, n_tiers + 2)).tolist()  # tiers in order
    losing_by_tier = [np.count_nonzero(losing[a:b]) / (b - a) if b > a else math.nan
                      for a, b in pairwise(bounds)]
    stock_value = sum(int(stock[a:b].sum()) * price
                      for (a, b), price in zip(pairwise(bounds), rules.price_fen, strict=True))
    summary: dict[str, Any] = {
        "mode": mode,
        "agents": len(profit_fen),
        "share_losing_money": np.count_nonzero(losing) / len(losing) if len(losing) else math.nan,
        "share_losing_money_bottom": losing_by_tier[-1],
        "share_losing_by_tier": losing_by_tier,
        "median_agent_profit": _median(profit_fen) / 100.0,
        "fake_performance_ratio": fake_ratio,
        "outside_revenue_share": outside,
        "brand_revenue": revenue / 100.0,
        "brand_net_cash": (revenue - bonuses - commissions) / 100.0,
        "bonuses_paid": bonuses / 100.0,
        "commissions_paid": commissions / 100.0,
        "consumer_units": consumer_units,
        "consumer_spend": consumer_spend / 100.0,
        "agent_spend_on_stock": agent_spend / 100.0,
        "units_shipped": shipped,
        "stock_in_tiers": int(stock.sum()),
        "unsold_stock_value": stock_value / 100.0,
    }
    summary["legal_flags"] = legal_flags(params, mode, outside)
    return TierResult(params, mode, deterministic, seed, records, agent_tier, agent_join,
                      cash_in, cash_out, stock, summary)


def simulate_tiers(params: TierParams | None = None, mode: str = "1.0", seed: int = 0,
                   deterministic: bool = False,
                   restock_rule: Callable[[int, int, int], int] | None = None) -> TierResult:
    """Run the tier simulator (vectorised over agents) for ``params.weeks`` weeks.

    ``mode`` is ``"1.0"`` (stock pushed down the pyramid, recruiting pay) or
    ``"2.0"`` (drop-shipping, commission on consumer sales only). Random mode matches
    ``simulate_tiers_reference(params, mode, seed)`` exactly. ``deterministic=True`` runs the
    floored-counter reference mode (no draws; not an expected value, see the module
    docstring), which matches ``simulate_tiers_reference(params, mode)`` exactly.

    ``restock_rule(age, stock, sold_recently) -> boxes`` replaces the upline's restock push
    (mode 1.0): called for every agent each week after joining with the agent's age in weeks,
    stock before the week's arrivals and consumer boxes sold in the last 4 weeks. The run then
    goes through the plain-Python loop of :mod:`widgets.models.tier_reference` (same model,
    same draws), so a student's rule is read line by line.
    """
    params = _params(params)
    check_mode(mode)
    seed = check_seed("seed", seed)
    deterministic = check_bool("deterministic", deterministic)
    if restock_rule is not None:
        from widgets.models.tier_reference import simulate_tiers_reference
        return simulate_tiers_reference(params, mode, None if deterministic else seed,
                                        restock_rule)
    rng = None if deterministic else np.random.default_rng(seed)
    records, agents = run_engine(params, mode, integer_rules(params), rng)
    tier = np.concatenate([np.full(len(a.join), k + 1, np.int64) for k, a in enumerate(agents)])
    return assemble_result(params, mode, bool(deterministic), seed, records, tier,
                     *(np.concatenate([getattr(a, name) for a in agents])
                       for name in ("join", "cash_in", "cash_out", "stock")))


KPI_NAMES = ("agents", "share_losing_money", "share_losing_money_bottom", "median_agent_profit",
             "fake_performance_ratio", "outside_revenue_share", "brand_revenue", "brand_net_cash",
             "consumer_units", "units_shipped", "stock_in_tiers")


def compare_modes(params: TierParams | None = None, seed: int = 0,
                  deterministic: bool = False) -> dict[str, Any]:
    """1.0 and 2.0 on the same people, recruits and consumer demand.

    Returns ``{"1.0": TierResult, "2.0": TierResult, "kpis": DataFrame}`` where the
    DataFrame has one row per headline number and one column per mode.
    """
    params = _params(params)
    results = {m: simulate_tiers(params, m, seed, deterministic) for m in MODES}
    kpis = pd.DataFrame({m: [results[m].summary[k] for k in KPI_NAMES] for m in MODES},
                        index=list(KPI_NAMES))
    return {**results, "kpis": kpis}


def bottom_tier_losing_share(params: TierParams | None = None, seed: int = 0,
                             deterministic: bool = False) -> float:
    """Share of bottom-tier agents who end the run with less cash than they put in (1.0);
    NaN when the run has no bottom-tier agent (e.g. a short run where nobody recruits)."""
    result = simulate_tiers(_params(params), "1.0", seed=seed, deterministic=deterministic)
    return result.summary["share_losing_money_bottom"]


def params_table(params: TierParams | None = None) -> pd.DataFrame:
    """Each parameter with its value and its source (or 'assumption')."""
    params = _params(params)
    values = asdict(params)
    return pd.DataFrame({"parameter": list(PARAM_SOURCES),
                         "value": [str(values[k]) for k in PARAM_SOURCES],
                         "source": list(PARAM_SOURCES.values())})
