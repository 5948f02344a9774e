"""The tier simulator written agent by agent in plain Python, for reading (and for testing).

This is the same model as :mod:`widgets.models.tier_simulator`, in its
deterministic (expected-value) mode, with one loop per agent instead of numpy
arrays. Read it top to bottom: one week is (1) recruiting, (2) consumer demand,
(3) orders, stock and money. Money is in whole fen (分) and stock in whole boxes,
so with the same inputs the two versions give exactly the same numbers (the
tests check this); the fast version is only quicker.
"""

from __future__ import annotations

import math

import numpy as np

from widgets.models.tier_simulator import (
    RECORD_FIELDS,
    RESTOCK_EVERY_WEEKS,
    TierParams,
    TierResult,
    _assemble,
    check_mode,
    integer_rules,
)
from widgets.models.validation import check_instance

_F = {name: i for i, name in enumerate(RECORD_FIELDS)}


class Agent:
    """One agent: who supplies them, when they joined, their stock and cash (fen)."""

    __slots__ = ("cash_in", "cash_out", "join_week", "recruit_acc", "stock", "supplier")

    def __init__(self, supplier: int, join_week: int) -> None:
        self.supplier = supplier  # position of the supplier in the tier above (-1 = brand)
        self.join_week = join_week
        self.stock = 0
        self.cash_in = 0
        self.cash_out = 0
        self.recruit_acc = 0.0  # fractional recruits carried over from week to week


def simulate_tiers_reference(params: TierParams | None = None, mode: str = "1.0") -> TierResult:
    """Deterministic run of the tier simulator, one agent at a time."""
    params = TierParams() if params is None else params
    check_instance("params", params, TierParams, "a TierParams")
    check_mode(mode)
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

        # 1. Recruiting: each member's expected recruits pile up; whole ones join.
        members = sum(len(agents) for agents in tiers)
        rate = params.recruit_rate * (1.0 - members / pool)
        people_left = pool - members
        arrivals: list[list[int]] = [[] for _ in range(n_tiers)]
        for k, agents in enumerate(tiers):
            target = min(k + 1, bottom)  # recruits join one tier lower (the bottom stays)
            for position, agent in enumerate(agents):
                agent.recruit_acc = agent.recruit_acc + rate
                whole = math.floor(agent.recruit_acc)
                agent.recruit_acc = agent.recruit_acc - whole
                whole = min(whole, people_left)
                people_left -= whole
                supplier = position if k < bottom else agent.supplier
                arrivals[target].extend([supplier] * whole)
                if mode == "1.0":
                    bonus = whole * rules.bonus_fen[target]  # pay per recruit (拉人头)
                    agent.cash_in += bonus
                    rec[k][_F["bonus_income"]] += bonus
        for k, suppliers in enumerate(arrivals):
            for supplier in suppliers:
                tiers[k].append(Agent(supplier, week))
            rec[k][_F["new_members"]] += len(suppliers)

        # 2. Consumer demand: this week's whole boxes dealt round-robin over all members.
        members = sum(len(agents) for agents in tiers)
        demand_acc += params.demand_rate * pool / 1000.0
        boxes = math.floor(demand_acc)
        demand_acc -= boxes
        base, extra = divmod(boxes, members)
        wanted = [base + (1 if (i - cursor) % members < extra else 0) for i in range(members)]
        cursor = (cursor + extra) % members
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
                push = rules.restock if age > 0 and age % RESTOCK_EVERY_WEEKS == 0 else 0
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
    return _assemble(
        params, mode, True, 0, np.array(records, dtype=np.int64),
        np.array([k for k, _ in everyone], dtype=np.int64),
        np.array([a.join_week for _, a in everyone], dtype=np.int64),
        np.array([a.cash_in for _, a in everyone], dtype=np.int64),
        np.array([a.cash_out for _, a in everyone], dtype=np.int64),
        np.array([a.stock for _, a in everyone], dtype=np.int64),
    )
