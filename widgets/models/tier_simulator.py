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

recruits per week: friend circles overlap, so the pool saturates. In
*deterministic* (expected-value) mode each agent accumulates ``λ_t`` and recruits
``⌊acc⌋`` (the fraction carries over); in random mode the week's total is
Poisson(``ρ M (1 − M/N)``), each recruit assigned to a member at random. A
recruit of a tier-``k`` agent joins tier ``min(k + 1, K)``; its supplier is the
recruiter, or, for a bottom-tier recruiter, the recruiter's own supplier.

**Stock (压货) and orders, mode 1.0.** A new agent's first order is ``F_k`` boxes
(the disguised entry fee, 入门费); every 4th week after joining the upline
pushes a restock of ``R`` boxes. Consumer demand is a limited market of
``D = δ N / 1000`` boxes per week (``δ`` boxes per 1,000 reachable people), split
evenly among members
(in deterministic mode the week's expected boxes are accumulated and floored,
then dealt round-robin over the members; otherwise each box goes to a random
member). Agents sell from stock and order any shortfall; a supplier fills
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

Parameter sources (see ``../shared/REFERENCES.md``; the case is in the
``price_ladder_case`` dataset): the two-tier ladder 33.33 / 40 元, first orders
150 / 50 boxes, retail 80 元 and the 30 % recruiting bonus are the 微商 price
ladder reported by 新华视点 (repost, c. 2018). Everything else is an
*assumption* (see :data:`PARAM_SOURCES`).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace
from functools import cached_property
from itertools import pairwise
from typing import Any

import numpy as np
import pandas as pd

from widgets.models.validation import ParameterError, check_int, check_range

MODES = ("1.0", "2.0")
RESTOCK_EVERY_WEEKS = 4  # "monthly" restock push
MIN_TIERS, MAX_TIERS = 2, 8
MAX_PRICE = 10_000.0
MAX_POOL = 10_000_000

#: One field per (week, tier) record; money fields are in fen.
RECORD_FIELDS = (
    "members", "new_members", "units_bought", "units_sold_consumers", "units_sold_downline",
    "unsold_stock", "retail_revenue", "downline_revenue", "bonus_income",
    "commission_income", "purchases",
)
MONEY_FIELDS = ("retail_revenue", "downline_revenue", "bonus_income", "commission_income",
                "purchases")
_F = {name: i for i, name in enumerate(RECORD_FIELDS)}

CASE = "新华视点 price-ladder case (repost, c. 2018), REFERENCES.md; dataset price_ladder_case"
PARAM_SOURCES: dict[str, str] = {
    "tier_prices": f"{CASE}: 5,000元/150 boxes ≈ 33.33元 (upper), 2,000元/50 = 40元 (entry); "
                   "extra tiers in between are an assumption",
    "first_order_units": f"{CASE}: 150 and 50 boxes",
    "retail_price": f"{CASE}: 80元 a box",
    "recruit_bonus": f"{CASE}: 30% of the recruit's order",
    "team_commission": "assumption: 5% of the downline's purchases",
    "restock_units": "assumption: 10 boxes pushed every 4 weeks",
    "recruit_rate": "assumption: 0.25 recruits per agent per week in an untouched pool",
    "pool": "assumption: 10,000 reachable people",
    "initial_agents": "assumption: 10 founding agents in tier 1",
    "demand_rate": "assumption: 25 boxes a week per 1,000 reachable people (1 in 10 buys "
                   "about a box a month)",
    "sales_commission": "assumption (2.0 mode): 30% of retail per box sold to a consumer",
    "weeks": "assumption: one year",
}


@dataclass(frozen=True)
class TierParams:
    """Inputs of the tier simulator, validated on construction (see :data:`PARAM_SOURCES`).

    ``tier_prices`` and ``first_order_units`` list one value per tier, top tier first.
    Prices are 元 per box, rates are shares (0.3 = 30 %).
    """

    tier_prices: tuple[float, ...] = (33.33, 40.0)
    first_order_units: tuple[int, ...] = (150, 50)
    retail_price: float = 80.0
    recruit_bonus: float = 0.30
    team_commission: float = 0.05
    restock_units: int = 10
    recruit_rate: float = 0.25
    pool: int = 10_000
    initial_agents: int = 10
    demand_rate: float = 25.0
    sales_commission: float = 0.30
    weeks: int = 52

    def __post_init__(self) -> None:
        prices = _as_tuple("tier_prices", self.tier_prices)
        n_tiers = len(prices)
        if not MIN_TIERS <= n_tiers <= MAX_TIERS:
            raise ParameterError(f"n_tiers (the length of tier_prices) must be a whole number in "
                                 f"[{MIN_TIERS}, {MAX_TIERS}], got {n_tiers}")
        prices = tuple(check_range(f"tier_prices[{i}]", p, 0.0, MAX_PRICE, low_open=True)
                       for i, p in enumerate(prices))
        retail = check_range("retail_price", self.retail_price, 0.0, MAX_PRICE, low_open=True)
        ladder = (*prices, retail)
        for i in range(n_tiers):
            if not _fen(ladder[i]) < _fen(ladder[i + 1]):
                upper = "retail_price" if i + 1 == n_tiers else f"tier_prices[{i + 1}]"
                raise ParameterError(
                    f"prices must rise from the top tier to the bottom and stay below retail "
                    f"(tier_prices[{i}] < {upper}), got tier_prices={prices}, "
                    f"retail_price={retail}")
        orders = _as_tuple("first_order_units", self.first_order_units)
        if len(orders) != n_tiers:
            raise ParameterError(f"first_order_units needs one entry per tier ({n_tiers}), "
                                 f"got {len(orders)}")
        orders = tuple(check_int(f"first_order_units[{i}]", u, 0, 10_000)
                       for i, u in enumerate(orders))
        pool = check_int("pool", self.pool, 1, MAX_POOL)
        initial = check_int("initial_agents", self.initial_agents, 1, MAX_POOL)
        if initial > pool:
            raise ParameterError(f"pool must be at least initial_agents ({initial}) — the pool of "
                                 f"reachable people cannot be smaller than the members, got {pool}")
        values = {
            "tier_prices": prices,
            "first_order_units": orders,
            "retail_price": retail,
            "recruit_bonus": check_range("recruit_bonus", self.recruit_bonus, 0.0, 1.0),
            "team_commission": check_range("team_commission", self.team_commission, 0.0, 1.0),
            "restock_units": check_int("restock_units", self.restock_units, 0, 10_000),
            "recruit_rate": check_range("recruit_rate", self.recruit_rate, 0.0, 5.0),
            "pool": pool,
            "initial_agents": initial,
            "demand_rate": check_range("demand_rate", self.demand_rate, 0.0, 1000.0),
            "sales_commission": check_range("sales_commission", self.sales_commission, 0.0, 1.0),
            "weeks": check_int("weeks", self.weeks, 1, 520),
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)

    @property
    def n_tiers(self) -> int:
        return len(self.tier_prices)

    @classmethod
    def from_ladder(cls, n_tiers: int = 2, top_price: float = 33.33, bottom_price: float = 40.0,
                    top_order: int = 150, bottom_order: int = 50, **others: Any) -> TierParams:
        """Parameters whose ladder runs from the top tier to the bottom tier.

        Prices in between are spaced evenly, first orders geometrically (rounded to
        whole boxes). With the defaults this is exactly the reported two-tier case.
        """
        n_tiers = check_int("n_tiers", n_tiers, MIN_TIERS, MAX_TIERS)
        top_order = check_int("top_order", top_order, 0, 10_000)
        bottom_order = check_int("bottom_order", bottom_order, 0, 10_000)
        steps = np.linspace(0.0, 1.0, n_tiers)
        prices = tuple(round(float(top_price) + (float(bottom_price) - float(top_price)) * s, 2)
                       for s in steps)
        if top_order > 0 and bottom_order > 0:
            orders = tuple(round(top_order * (bottom_order / top_order) ** s) for s in steps)
        else:
            orders = tuple(round(top_order + (bottom_order - top_order) * s) for s in steps)
        return cls(tier_prices=prices, first_order_units=orders, **others)

    def with_changes(self, **changes: Any) -> TierParams:
        """A validated copy with some fields changed."""
        return replace(self, **changes)


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


# --------------------------------------------------------------------------- helpers


def _as_tuple(name: str, values: Any) -> tuple:
    try:
        return tuple(values)
    except TypeError as exc:
        raise ParameterError(
            f"{name} must be a list with one value per tier, got {values!r}") from exc


def _fen(yuan: float) -> int:
    return round(float(yuan) * 100)


def _bp(share: float) -> int:
    """A share as whole basis points (1/10,000)."""
    return round(float(share) * 10_000)


@dataclass(frozen=True)
class IntegerRules:
    """The parameters as the integers both implementations compute with."""

    price_fen: tuple[int, ...]
    retail_fen: int
    first_order: tuple[int, ...]
    bonus_fen: tuple[int, ...]  # paid to the recruiter per recruit joining tier k
    commission_bp: int
    sales_commission_fen: int  # 2.0: paid per box sold to a consumer
    restock: int


def integer_rules(params: TierParams) -> IntegerRules:
    """Prices in fen, the recruiting bonus per recruit, commissions in basis points."""
    price_fen = tuple(_fen(p) for p in params.tier_prices)
    retail_fen = _fen(params.retail_price)
    bonus_bp = _bp(params.recruit_bonus)
    bonus = tuple(u * f * bonus_bp // 10_000
                  for u, f in zip(params.first_order_units, price_fen, strict=True))
    return IntegerRules(price_fen, retail_fen, params.first_order_units, bonus,
                        _bp(params.team_commission),
                        retail_fen * _bp(params.sales_commission) // 10_000,
                        params.restock_units)


def check_mode(mode: str) -> str:
    if mode not in MODES:
        raise ParameterError(f"mode must be one of {MODES}, got {mode!r}")
    return mode


# --------------------------------------------------------------------------- fast model


class _Cohort:
    """Growable per-agent arrays for one tier (agents kept in joining order)."""

    _ARRAYS = ("sup", "join", "stock", "cash_in", "cash_out")

    def __init__(self, capacity: int = 64) -> None:
        self.n = 0
        self.sup = np.zeros(capacity, np.int64)
        self.join = np.zeros(capacity, np.int64)
        self.stock = np.zeros(capacity, np.int64)
        self.cash_in = np.zeros(capacity, np.int64)
        self.cash_out = np.zeros(capacity, np.int64)

    def add(self, sup: np.ndarray, week: int) -> None:
        count = len(sup)
        if count == 0:
            return
        need = self.n + count
        if need > len(self.sup):
            capacity = max(need, 2 * len(self.sup))
            for name in self._ARRAYS:
                old = getattr(self, name)
                new = np.zeros(capacity, old.dtype)
                new[: self.n] = old[: self.n]
                setattr(self, name, new)
        self.sup[self.n: need] = sup
        self.join[self.n: need] = week
        self.n = need

    def view(self, name: str) -> np.ndarray:
        return getattr(self, name)[: self.n]


def _truncate(counts: list[np.ndarray], remaining: int) -> list[np.ndarray]:
    """Cut recruits to the people left in the pool, in tier-major agent order."""
    out = []
    for c in counts:
        total = int(c.sum())
        if total <= remaining:
            out.append(c)
            remaining -= total
            continue
        before = np.cumsum(c) - c
        out.append(np.clip(remaining - before, 0, c))
        remaining = 0
    return out


def _by_tier(positions: np.ndarray, counts: np.ndarray,
             offsets: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Split sorted tier-major agent positions (with counts) into per-tier local positions."""
    cuts = np.searchsorted(positions, offsets)
    return [(positions[a:b] - offsets[k], counts[a:b])
            for k, (a, b) in enumerate(pairwise(cuts))]


def _simulate_fast(params: TierParams, mode: str, seed: int,
                   deterministic: bool) -> tuple[np.ndarray, list[_Cohort]]:
    rules = integer_rules(params)
    n_tiers, pool, weeks = params.n_tiers, params.pool, params.weeks
    rng = None if deterministic else np.random.default_rng(seed)
    cohorts = [_Cohort(max(64, params.initial_agents)) for _ in range(n_tiers)]
    cohorts[0].add(np.full(params.initial_agents, -1, np.int64), 0)
    records = np.zeros((weeks, n_tiers, len(RECORD_FIELDS)), np.int64)
    bottom = n_tiers - 1
    demand_acc, cursor = 0.0, 0
    recruit_acc = np.zeros(weeks + 1)  # per start week (deterministic mode)
    for t in range(weeks):
        rec = records[t]
        members = sum(c.n for c in cohorts)
        offsets = np.cumsum([0] + [c.n for c in cohorts])
        # 1. recruiting from the shrinking pool: (positions, recruits) per tier
        if deterministic:
            rate = params.recruit_rate * (1.0 - members / pool)
            # everyone who started recruiting in the same week shares one accumulator:
            # founders start in week 0, an agent who joined in week w starts in week w + 1
            acc = recruit_acc[: t + 1]
            acc += rate
            got_by_start = np.floor(acc)
            acc -= got_by_start
            got_by_start = got_by_start.astype(np.int64)
            recruiters = []
            for k, c in enumerate(cohorts):
                got = got_by_start[c.view("join") + (1 if k else 0)]
                pos = np.flatnonzero(got)
                recruiters.append((pos, got[pos]))
        else:
            lam = params.recruit_rate * members * (1.0 - members / pool)
            total = min(int(rng.poisson(lam)), pool - members)
            who, how_many = np.unique(rng.integers(0, members, total), return_counts=True)
            recruiters = _by_tier(who, how_many, offsets)
        capped = _truncate([cnt for _, cnt in recruiters], pool - members)
        arrivals: list[list[np.ndarray]] = [[] for _ in range(n_tiers)]
        for k, ((pos, _), cnt) in enumerate(zip(recruiters, capped, strict=True)):
            if not cnt.any():
                continue
            target = min(k + 1, bottom)
            sup = pos if k < bottom else cohorts[k].sup[pos]
            arrivals[target].append(np.repeat(sup, cnt))
            if mode == "1.0" and rules.bonus_fen[target]:
                paid = cnt * rules.bonus_fen[target]
                cohorts[k].cash_in[pos] += paid
                rec[k, _F["bonus_income"]] = paid.sum()
        for k, parts in enumerate(arrivals):
            for sup in parts:
                cohorts[k].add(sup, t)
                rec[k, _F["new_members"]] += len(sup)
        # 2. consumer demand: a limited market shared by all members -> (positions, boxes)
        members = sum(c.n for c in cohorts)
        offsets = np.cumsum([0] + [c.n for c in cohorts])
        demand = params.demand_rate * pool / 1000.0
        if deterministic:
            demand_acc += demand
            boxes = math.floor(demand_acc)
            demand_acc -= boxes
            base, extra = divmod(boxes, members)
            if base:
                who = np.arange(members)
                how_many = np.full(members, base, np.int64)
                how_many[(cursor + np.arange(extra)) % members] += 1
            else:
                who = np.sort((cursor + np.arange(extra)) % members)
                how_many = np.ones(extra, np.int64)
            cursor = (cursor + extra) % members
        else:
            who, how_many = np.unique(rng.integers(0, members, int(rng.poisson(demand))),
                                      return_counts=True)
        sales = _by_tier(who, how_many, offsets)
        # 3. orders, stock and money
        if mode == "2.0":
            for k, (c, (pos, sold)) in enumerate(zip(cohorts, sales, strict=True)):
                c.cash_in[pos] += sold * rules.sales_commission_fen
                units = int(sold.sum())
                rec[k, _F["units_sold_consumers"]] = units
                rec[k, _F["commission_income"]] = units * rules.sales_commission_fen
                rec[k, _F["members"]] = c.n
            continue
        phase = t % RESTOCK_EVERY_WEEKS
        below_total: np.ndarray | None = None
        for k in range(bottom, -1, -1):
            c = cohorts[k]
            pos, sold = sales[k]
            stock = c.view("stock")  # updated in place: arrivals, sales, downline orders
            cash_in = c.view("cash_in")
            # entry order of this week's newcomers and the push on every 4th week of membership
            order_by_join_week = np.zeros(t + 1, np.int64)
            order_by_join_week[phase:t:RESTOCK_EVERY_WEEKS] = rules.restock
            order_by_join_week[t] = rules.first_order[k]
            total = order_by_join_week[c.view("join")]
            stock += total
            # consumer sales, with any shortfall bought in
            short = np.maximum(sold - stock[pos], 0)
            total[pos] += short
            stock[pos] += short - sold
            cash_in[pos] += sold * rules.retail_fen
            units_down = 0
            if below_total is not None:
                below_sup = cohorts[k + 1].view("sup")
                ordering = np.flatnonzero(below_total)
                down = np.bincount(below_sup[ordering], weights=below_total[ordering],
                                   minlength=c.n).astype(np.int64)
                cash_in += down * rules.price_fen[k + 1]
                if rules.commission_bp:
                    fee = (below_total[ordering] * rules.price_fen[k + 1] * rules.commission_bp
                           // 10_000)
                    earned = np.bincount(below_sup[ordering], weights=fee,
                                         minlength=c.n).astype(np.int64)
                    cash_in += earned
                    rec[k, _F["commission_income"]] = earned.sum()
                extra = np.maximum(down - stock, 0)
                total += extra
                stock += extra - down
                units_down = int(down.sum())
            c.view("cash_out")[:] += total * rules.price_fen[k]
            units_bought, units_sold = int(total.sum()), int(sold.sum())
            rec[k, _F["members"]] = c.n
            rec[k, _F["units_bought"]] = units_bought
            rec[k, _F["units_sold_consumers"]] = units_sold
            rec[k, _F["units_sold_downline"]] = units_down
            rec[k, _F["unsold_stock"]] = stock.sum()
            rec[k, _F["retail_revenue"]] = units_sold * rules.retail_fen
            rec[k, _F["purchases"]] = units_bought * rules.price_fen[k]
            if k < bottom:
                rec[k, _F["downline_revenue"]] = units_down * rules.price_fen[k + 1]
            below_total = total
    return records, cohorts


# --------------------------------------------------------------------------- results


def tier_name(k: int, n_tiers: int) -> str:
    """Display name of tier ``k`` (1 = top)."""
    if k == 1:
        return "Tier 1 (top) · 一级"
    if k == n_tiers:
        return f"Tier {k} (bottom) · 底层"
    return f"Tier {k} · {k}级"


def legal_flags(params: TierParams, mode: str, outside_revenue_share: float) -> list[dict]:
    """The 2005 regulation's three Art. 7 tests and the FTC/Vemma outside-buyer test.

    Each flag is ``{"key", "law", "test", "triggered", "reason"}``. The Art. 7 tests
    look at the pay plan's rules; the Vemma test looks at the simulated revenue.
    """
    law = "禁止传销条例 (2005) Art. 7"
    one = mode == "1.0"
    bonus = one and params.recruit_bonus > 0
    entry_boxes = params.first_order_units[-1]
    entry = one and any(u > 0 for u in params.first_order_units)
    team = one and params.team_commission > 0
    outside = outside_revenue_share
    vemma = not (outside > 0.5)
    share_text = "no revenue at all" if math.isnan(outside) else f"{outside:.0%}"
    return [
        {"key": "pay_per_recruit", "law": law, "test": "pay per recruit · 拉人头",
         "triggered": bonus,
         "reason": (f"recruiters earn {params.recruit_bonus:.0%} of each recruit's first order"
                    if bonus else "no one is paid for bringing in people")},
        {"key": "entry_fee", "law": law, "test": "entry fee · 入门费", "triggered": entry,
         "reason": (f"joining the bottom tier requires buying {entry_boxes} boxes "
                    f"({entry_boxes * params.tier_prices[-1]:,.0f}元)"
                    if entry and entry_boxes else
                    "joining a tier requires a minimum first order" if entry
                    else "anyone can join without buying anything")},
        {"key": "team_commission", "law": law, "test": "team commission · 团队计酬",
         "triggered": team,
         "reason": (f"uplines earn {params.team_commission:.0%} of their downline's purchases"
                    if team else "pay rests only on one's own sales")},
        {"key": "vemma", "law": "FTC v. Vemma (2016)",
         "test": "most revenue from outside buyers · 收入主要来自外部顾客",
         "triggered": vemma,
         "reason": f"outside buyers pay {share_text} of all sales revenue (needs more than 50%)"},
    ]


def art7_passes(params: TierParams) -> bool:
    """True when a 1.0 pay plan triggers none of Art. 7's three tests."""
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


def _brand_weekly(params: TierParams, mode: str, records: np.ndarray) -> dict[str, np.ndarray]:
    """The brand's weekly shipments and cash; money in fen under ``*_fen`` keys, else 元."""
    retail_fen = integer_rules(params).retail_fen
    by_week = records.sum(axis=1)
    consumer_units = by_week[:, _F["units_sold_consumers"]]
    consumer_spend = consumer_units * retail_fen
    if mode == "1.0":
        shipped, revenue = records[:, 0, _F["units_bought"]], records[:, 0, _F["purchases"]]
    else:
        shipped, revenue = consumer_units, consumer_spend
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


def _assemble(params: TierParams, mode: str, deterministic: bool, seed: int,
              records: np.ndarray, agent_tier: np.ndarray, agent_join: np.ndarray,
              cash_in: np.ndarray, cash_out: np.ndarray, stock: np.ndarray) -> TierResult:
    n_tiers = params.n_tiers
    rules = integer_rules(params)
    by_week = records.sum(axis=1)
    consumer_units_w = by_week[:, _F["units_sold_consumers"]]
    consumer_spend_w = consumer_units_w * rules.retail_fen
    bonus_w = by_week[:, _F["bonus_income"]]
    commission_w = by_week[:, _F["commission_income"]]
    if mode == "1.0":
        shipped_w = records[:, 0, _F["units_bought"]]
        revenue_w = records[:, 0, _F["purchases"]]
    else:
        shipped_w = consumer_units_w
        revenue_w = consumer_spend_w

    profit_fen = cash_in - cash_out
    consumer_units = int(consumer_units_w.sum())
    consumer_spend = int(consumer_spend_w.sum())
    agent_spend = int(cash_out.sum())
    shipped = int(shipped_w.sum())
    revenue_pool = consumer_spend + agent_spend
    outside = consumer_spend / revenue_pool if revenue_pool else math.nan
    no_sales = math.inf if shipped else math.nan
    fake_ratio = shipped / consumer_units if consumer_units else no_sales
    losing_by_tier = [float(np.mean(profit_fen[agent_tier == k] < 0))
                      if np.any(agent_tier == k) else math.nan
                      for k in range(1, n_tiers + 1)]
    stock_value = int(sum(int(stock[agent_tier == k].sum()) * rules.price_fen[k - 1]
                          for k in range(1, n_tiers + 1)))
    summary: dict[str, Any] = {
        "mode": mode,
        "agents": len(profit_fen),
        "share_losing_money": float(np.mean(profit_fen < 0)) if len(profit_fen) else math.nan,
        "share_losing_money_bottom": losing_by_tier[-1],
        "share_losing_by_tier": losing_by_tier,
        "median_agent_profit": float(np.median(profit_fen)) / 100.0,
        "fake_performance_ratio": fake_ratio,
        "outside_revenue_share": outside,
        "brand_revenue": float(revenue_w.sum()) / 100.0,
        "brand_net_cash": float(revenue_w.sum() - bonus_w.sum() - commission_w.sum()) / 100.0,
        "bonuses_paid": float(bonus_w.sum()) / 100.0,
        "commissions_paid": float(commission_w.sum()) / 100.0,
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
                   deterministic: bool = False) -> TierResult:
    """Run the tier simulator (vectorised over agents) for ``params.weeks`` weeks.

    ``mode`` is ``"1.0"`` (stock pushed down the pyramid, recruiting pay) or
    ``"2.0"`` (drop-shipping, commission on consumer sales only). ``deterministic``
    uses expected values with floored accumulators instead of random draws, and then
    matches :func:`widgets.models.tier_reference.simulate_tiers_reference` exactly.
    """
    params = params or TierParams()
    check_mode(mode)
    seed = check_int("seed", seed, 0, 2**63 - 1)
    records, cohorts = _simulate_fast(params, mode, seed, bool(deterministic))
    tier = np.concatenate([np.full(c.n, k + 1, np.int64) for k, c in enumerate(cohorts)])
    return _assemble(params, mode, bool(deterministic), seed, records, tier,
                     np.concatenate([c.view("join") for c in cohorts]),
                     np.concatenate([c.view("cash_in") for c in cohorts]),
                     np.concatenate([c.view("cash_out") for c in cohorts]),
                     np.concatenate([c.view("stock") for c in cohorts]))


KPI_NAMES = ("agents", "share_losing_money", "share_losing_money_bottom", "median_agent_profit",
             "fake_performance_ratio", "outside_revenue_share", "brand_revenue", "brand_net_cash",
             "consumer_units", "units_shipped", "stock_in_tiers")


def compare_modes(params: TierParams | None = None, seed: int = 0,
                  deterministic: bool = False) -> dict[str, Any]:
    """1.0 and 2.0 on the same people, recruits and consumer demand.

    Returns ``{"1.0": TierResult, "2.0": TierResult, "kpis": DataFrame}`` where the
    DataFrame has one row per headline number and one column per mode.
    """
    params = params or TierParams()
    results = {m: simulate_tiers(params, m, seed, deterministic) for m in MODES}
    kpis = pd.DataFrame({m: [results[m].summary[k] for k in KPI_NAMES] for m in MODES},
                        index=list(KPI_NAMES))
    return {**results, "kpis": kpis}


def bottom_tier_losing_share(params: TierParams | None = None, seed: int = 0,
                             deterministic: bool = False) -> float:
    """Share of bottom-tier agents who end the run with less cash than they put in (1.0)."""
    result = simulate_tiers(params or TierParams(), "1.0", seed=seed, deterministic=deterministic)
    return result.summary["share_losing_money_bottom"]


def params_table(params: TierParams | None = None) -> pd.DataFrame:
    """Each parameter with its value and its source (or 'assumption')."""
    params = params or TierParams()
    values = asdict(params)
    return pd.DataFrame({"parameter": list(PARAM_SOURCES),
                         "value": [str(values[k]) for k in PARAM_SOURCES],
                         "source": list(PARAM_SOURCES.values())})
