"""The tier simulator written agent by agent in plain Python, for reading (and for testing).

This is the same model as :mod:`widgets.models.tier_simulator`, with one loop per
agent instead of numpy arrays, in both of its modes: the random mode the app runs
(``seed`` given: the same Poisson draws, in the same order, as the engine) and the
floored-counter reference mode (``seed=None``). Read it top to bottom: one week is
(1) recruiting, (2) consumer demand, (3) orders, stock and money. Money is in whole
fen (分) and stock in whole boxes, so with the same inputs the two versions give
exactly the same numbers (the tests check this in both modes); the fast version is
only quicker.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from widgets.models.tier_simulator import (
    RECORD_FIELDS,
    RESTOCK_EVERY_WEEKS,
    TierParams,
    TierResult,
    assemble_result,
    check_mode,
    integer_rules,
)
from widgets.models.validation import ParameterError, check_instance, check_int

_F = {name: i for i, name in enumerate(RECORD_FIELDS)}


#: A restock rule: (age in weeks, stock before this week's arrivals, boxes sold to consumers
#: in the last 4 weeks) -> boxes the upline pushes this week.
RestockRule = Callable[[int, int, int], int]
MAX_PUSH = 10_000


def standard_restock(params: TierParams) -> RestockRule:
    """The model's own rule: ``R`` boxes every 4th week after joining, whatever sells."""
    def push(age: int, stock: int, sold_recently: int) -> int:
        return params.restock_units if age % RESTOCK_EVERY_WEEKS == 0 else 0
    return push


def _push(rule: RestockRule, age: int, stock: int, sold_recently: int) -> int:
    """Call a restock rule and check its answer (whole boxes in [0, MAX_PUSH])."""
    boxes = rule(age, stock, sold_recently)
    if isinstance(boxes, bool) or not isinstance(boxes, (int, np.integer)) or not (
            0 <= boxes <= MAX_PUSH):
        raise ParameterError(f"restock_rule must return a whole number of boxes in "
                             f"[0, {MAX_PUSH}], got {boxes!r} for age={age}, stock={stock}, "
                             f"sold_recently={sold_recently}")
    return int(boxes)


class Agent:
    """One agent: who supplies them, when they joined, their stock and cash (fen)."""

    __slots__ = ("cash_in", "cash_out", "join_week", "recent_sales", "recruit_acc", "stock",
                 "supplier")

    def __init__(self, supplier: int, join_week: int) -> None:
        self.supplier = supplier  # position of the supplier in the tier above (-1 = brand)
        self.join_week = join_week
        self.stock = 0
        self.cash_in = 0
        self.cash_out = 0
        self.recruit_acc = 0.0  # fractional recruits carried over from week to week
        self.recent_sales = [0] * RESTOCK_EVERY_WEEKS  # consumer boxes, last 4 weeks


def _counts(draws: np.ndarray, size: int) -> list[int]:
    """How many of the drawn positions fall on each of ``size`` agents (a plain loop)."""
    counts = [0] * size
    for position in draws.tolist():
        counts[position] += 1
    return counts


def simulate_tiers_reference(params: TierParams | None = None, mode: str = "1.0",
                             seed: int | None = None,
                             restock_rule: RestockRule | None = None) -> TierResult:
    """The tier simulator, one agent at a time.

    ``seed=None`` runs the floored-counter reference mode (no randomness); a seed runs the
    random mode with ``numpy.random.default_rng(seed)``, drawing exactly what the engine draws.
    ``restock_rule`` replaces the upline's push in mode 1.0 (see :data:`RestockRule`); the
    default is :func:`standard_restock`.
    """
    params = TierParams() if params is None else params
    check_instance("params", params, TierParams, "a TierParams")
    check_mode(mode)
    if restock_rule is not None and not callable(restock_rule):
        raise ParameterError(f"restock_rule must be a function (age, stock, sold_recently) -> "
                             f"boxes, got {restock_rule!r}")
    rng = None if seed is None else np.random.default_rng(check_int("seed", seed, 0, 2**63 - 1))
    rules = integer_rules(params)
    n_tiers, pool = params.n_tiers, params.pool
    bottom = n_tiers - 1
    tiers: list[list[Agent]] = [[] for _ in range(n_tiers)]
    for _ in range(params.initial_agents):
        tiers[0].append(Agent(supplier=-1, join_week=0))
    records = [[[0] * len(RECORD_FIELDS) for _ in range(n_tiers)] for _ in range(params.weeks)]
    demand_acc, cursor = 0.0, 0

    for week in range(params.weeks):
        rec = records[week]

        # 1. Recruiting. Floored counters: each member's rate piles up and whole recruits
        #    join. Random: Poisson(ρ M (1 − M/N)) recruits, each given to a random member.
        members = sum(len(agents) for agents in tiers)
        rate = params.recruit_rate * (1.0 - members / pool)
        people_left = pool - members
        if rng is not None:
            total = min(int(rng.poisson(params.recruit_rate * members * (1.0 - members / pool))),
                        people_left)
            drawn = _counts(rng.integers(0, members, total), members)
        offset = 0
        arrivals: list[list[int]] = [[] for _ in range(n_tiers)]
        for k, agents in enumerate(tiers):
            target = min(k + 1, bottom)  # recruits join one tier lower (the bottom stays)
            for position, agent in enumerate(agents):
                if rng is None:
                    agent.recruit_acc = agent.recruit_acc + rate
                    whole = math.floor(agent.recruit_acc)
                    agent.recruit_acc = agent.recruit_acc - whole
                else:
                    whole = drawn[offset + position]
                whole = min(whole, people_left)
                people_left -= whole
                supplier = position if k < bottom else agent.supplier
                arrivals[target].extend([supplier] * whole)
                if mode == "1.0":
                    bonus = whole * rules.bonus_fen[target]  # pay per recruit (拉人头)
                    agent.cash_in += bonus
                    rec[k][_F["bonus_income"]] += bonus
            offset += len(agents)
        for k, suppliers in enumerate(arrivals):
            for supplier in suppliers:
                tiers[k].append(Agent(supplier, week))
            rec[k][_F["new_members"]] += len(suppliers)

        # 2. Consumer demand. Floored counters: this week's whole boxes dealt round-robin
        #    over all members. Random: Poisson(D) boxes, each to a random member.
        members = sum(len(agents) for agents in tiers)
        if rng is None:
            demand_acc += params.demand_rate * pool / 1000.0
            boxes = math.floor(demand_acc)
            demand_acc -= boxes
            base, extra = divmod(boxes, members)
            wanted = [base + (1 if (i - cursor) % members < extra else 0)
                      for i in range(members)]
            cursor = (cursor + extra) % members
        else:
            boxes = int(rng.poisson(params.demand_rate * pool / 1000.0))
            wanted = _counts(rng.integers(0, members, boxes), members)
        offsets = [sum(len(a) for a in tiers[:k]) for k in range(n_tiers)]

        # 3a. Mode 2.0: the brand ships to the consumer and pays the seller a commission.
        if mode == "2.0":
            for k, agents in enumerate(tiers):
                for i, agent in enumerate(agents):
                    sold = wanted[offsets[k] + i]
                    agent.cash_in += sold * rules.sales_commission_fen
                    rec[k][_F["units_sold_consumers"]] += sold
                    rec[k][_F["commission_income"]] += sold * rules.sales_commission_fen
                rec[k][_F["members"]] = len(agents)
            continue

        # 3b. Mode 1.0: orders travel up from the bottom tier, stock comes down.
        below_orders: list[int] = []
        for k in range(bottom, -1, -1):
            agents = tiers[k]
            downline_orders = [0] * len(agents)
            commission = [0] * len(agents)
            if k < bottom:
                for j, downline in enumerate(tiers[k + 1]):
                    downline_orders[downline.supplier] += below_orders[j]
                    commission[downline.supplier] += (
                        below_orders[j] * rules.price_fen[k + 1] * rules.commission_bp // 10_000)
            my_orders = []
            for i, agent in enumerate(agents):
                sold = wanted[offsets[k] + i]
                entry = rules.first_order[k] if agent.join_week == week else 0
                age = week - agent.join_week
                if restock_rule is None:  # the standard push, written out
                    push = rules.restock if age > 0 and age % RESTOCK_EVERY_WEEKS == 0 else 0
                else:
                    push = _push(restock_rule, age, agent.stock,
                                 sum(agent.recent_sales)) if age > 0 else 0
                    agent.recent_sales = [*agent.recent_sales[1:], sold]
                available = agent.stock + entry + push
                shortfall = max(sold - available, 0)  # bought to serve real customers
                available = available + shortfall - sold
                agent.cash_in += sold * rules.retail_fen
                rec[k][_F["retail_revenue"]] += sold * rules.retail_fen
                down = downline_orders[i]
                if k < bottom:
                    agent.cash_in += down * rules.price_fen[k + 1] + commission[i]
                    rec[k][_F["downline_revenue"]] += down * rules.price_fen[k + 1]
                    rec[k][_F["commission_income"]] += commission[i]
                top_up = max(down - available, 0)  # bought to fill the downline's orders
                order = entry + push + shortfall + top_up
                agent.stock = available + top_up - down
                agent.cash_out += order * rules.price_fen[k]
                my_orders.append(order)
                rec[k][_F["units_bought"]] += order
                rec[k][_F["units_sold_consumers"]] += sold
                rec[k][_F["units_sold_downline"]] += down
                rec[k][_F["unsold_stock"]] += agent.stock
                rec[k][_F["purchases"]] += order * rules.price_fen[k]
            rec[k][_F["members"]] = len(agents)
            below_orders = my_orders

    everyone = [(k + 1, agent) for k, agents in enumerate(tiers) for agent in agents]
    return assemble_result(
        params, mode, rng is None, 0 if seed is None else seed, np.array(records, dtype=np.int64),
        np.array([k for k, _ in everyone], dtype=np.int64),
        np.array([a.join_week for _, a in everyone], dtype=np.int64),
        np.array([a.cash_in for _, a in everyone], dtype=np.int64),
        np.array([a.cash_out for _, a in everyone], dtype=np.int64),
        np.array([a.stock for _, a in everyone], dtype=np.int64),
    )
