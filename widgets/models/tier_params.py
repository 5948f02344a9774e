"""Inputs of the tier simulator: the parameters, their sources and the integer rules.

Both implementations (:mod:`widgets.models.tier_engine` and
:mod:`widgets.models.tier_reference`) compute with :class:`IntegerRules`: prices in
fen (分), shares in basis points, so their books agree to the fen. The model itself is
described in :mod:`widgets.models.tier_simulator`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import numpy as np

from widgets.models.validation import ParameterError, check_choice, check_int, check_range

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

CASE = ("新华视点 price-ladder case (repost, c. 2018), [新华视点 2018] in docs/REFERENCES.md; "
        "dataset price_ladder_case")
PARAM_SOURCES: dict[str, str] = {
    "tier_prices": f"{CASE}: 5,000元/150 boxes ≈ 33.33元 (upper), 2,000元/50 = 40元 (entry); "
                   "extra tiers in between are an assumption",
    "first_order_units": f"{CASE}: 150 and 50 boxes",
    "retail_price": f"{CASE}: 80元 a box",
    "recruit_bonus": f"{CASE}: 30% of the recruit's order",
    "team_commission": "assumption: 5% of the downline's purchases",
    "restock_units": "assumption: 10 boxes pushed every 4 weeks",
    "recruit_rate": "assumption: 0.08 recruits per agent per week in an untouched pool (about "
                    "one a quarter); with 10 founders about 6 % of 10,000 reachable people "
                    "join in a year (at 0.25 nearly all of them do, which no real market shows)",
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
    recruit_rate: float = 0.08
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
        top_price = check_range("top_price", top_price, 0.0, MAX_PRICE, low_open=True)
        bottom_price = check_range("bottom_price", bottom_price, 0.0, MAX_PRICE, low_open=True)
        known = {f for f in cls.__dataclass_fields__} - {"tier_prices", "first_order_units"}
        unknown = sorted(set(others) - known)
        if unknown:
            raise ParameterError(f"others has unknown TierParams field(s) {unknown}; "
                                 f"known: {sorted(known)}")
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


@lru_cache(maxsize=256)
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
    """``mode`` if it is one of :data:`MODES`."""
    return check_choice("mode", mode, MODES)
