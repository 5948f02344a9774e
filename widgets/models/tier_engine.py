"""The vectorised engine behind :func:`widgets.models.tier_simulator.simulate_tiers`.

In this model nobody's recruiting or selling depends on stock or cash, so the engine
runs in two passes instead of simulating every agent every week.

1. **People and demand, week by week** (:func:`people_and_demand`). Only counts go
   through the weekly loop: members per tier, each start-week group's recruiting
   accumulator, the week's consumer boxes. Who recruited whom and who sold to
   consumers come out as ranges of agents (:class:`People`, :class:`Sales`) and are
   expanded once, at the end.
2. **Stock and money for the whole run at once** (:func:`run_engine`). An agent's
   stock after week ``t`` follows

   .. math::  s_t = \\max(0,\\ s_{t-1} + i_t - o_t), \\qquad
              b_t = i_t + \\max(0,\\ o_t - s_{t-1} - i_t),

   with ``i_t`` the scheduled arrivals (first order, restock push), ``o_t`` the boxes
   going out (consumer sales, then the downline's orders) and ``b_t`` the boxes bought.
   With ``A_t = Σ_{u≤t} (i_u − o_u)`` this is Lindley's recursion, whose closed form is

   .. math::  s_t = A_t + Z_t, \\qquad Z_t = \\max\\bigl(0,\\ \\max_{u \\le t} (-A_u)\\bigr),

   ``Z_t`` being the boxes bought beyond the schedule so far. A running maximum per agent
   gives every week at once. Bottom-tier agents have no downline, and one who sells no
   more than their first order can never run short, so only the few who do are visited.

Results are integers (boxes, fen) and equal the plain-Python reference exactly.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain, pairwise

import numpy as np

from widgets.models.tier_params import (
    RECORD_FIELDS,
    RESTOCK_EVERY_WEEKS,
    IntegerRules,
    TierParams,
)

_F = {name: i for i, name in enumerate(RECORD_FIELDS)}
#: Largest (agents × weeks) block a dense step works on at once, to bound memory.
DENSE_BLOCK = 1 << 22


@dataclass
class People:
    """Who joined when, and who recruited them.

    ``joined[t, k]`` counts the agents joining tier ``k`` in week ``t`` (the founders in
    week 0). Recruiters come as segments: in week ``seg_week``, the agents
    ``seg_start … seg_start + seg_length − 1`` of tier ``seg_tier`` each brought in
    ``seg_reps`` recruits, listed in the order the recruits joined.
    """

    joined: np.ndarray
    recruits_by_tier: np.ndarray
    seg_week: np.ndarray
    seg_tier: np.ndarray
    seg_start: np.ndarray
    seg_length: np.ndarray
    seg_reps: np.ndarray


@dataclass
class Sales:
    """Consumer boxes as runs: in week ``week``, agents ``start … stop − 1`` (counted over
    all tiers, top tier first) each sold ``boxes`` boxes."""

    week: np.ndarray
    start: np.ndarray
    stop: np.ndarray
    boxes: np.ndarray


@dataclass
class Agents:
    """Per-agent arrays of one tier, in joining order (money in fen)."""

    join: np.ndarray
    supplier: np.ndarray
    cash_in: np.ndarray
    cash_out: np.ndarray
    stock: np.ndarray


# --------------------------------------------------------------------------- small helpers


def _ints(values: list[int]) -> np.ndarray:
    return np.array(values, dtype=np.int64)


def _table(values: Iterable[int], columns: int) -> np.ndarray:
    """A flat sequence of integers as a table with ``columns`` columns."""
    return np.fromiter(values, np.int64).reshape(-1, columns)


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """``concatenate([arange(s, s + n) for s, n in zip(starts, lengths)])``, vectorised."""
    ends = np.cumsum(lengths)
    total = int(ends[-1]) if len(ends) else 0
    return np.arange(total, dtype=np.int64) + np.repeat(starts - ends + lengths, lengths)


def _weighted_count(index: np.ndarray, weights: np.ndarray, size: int) -> np.ndarray:
    """``bincount`` with integer weights, kept in integers."""
    counts = np.zeros(size, np.int64)
    np.add.at(counts, index, weights)
    return counts


def _pushes(joined: np.ndarray) -> np.ndarray:
    """Restock pushes per week for agents counted by join week along the first axis of
    ``joined``: an agent is pushed stock when its age is a positive multiple of 4 weeks,
    so ``pushes[t] = pushes[t − 4] + joined[t − 4]``."""
    weeks = joined.shape[0]
    padded = np.zeros((-(-weeks // RESTOCK_EVERY_WEEKS) * RESTOCK_EVERY_WEEKS,
                       *joined.shape[1:]), np.int64)
    padded[:weeks] = joined
    by_phase = padded.reshape(len(padded) // RESTOCK_EVERY_WEEKS, RESTOCK_EVERY_WEEKS,
                              *joined.shape[1:])
    earlier = by_phase.cumsum(axis=0)
    earlier -= by_phase
    return earlier.reshape(padded.shape)[:weeks]


def _starts(sorted_keys: np.ndarray) -> np.ndarray:
    """True where a new value begins in a sorted array."""
    flag = np.empty(len(sorted_keys), bool)
    flag[:1] = True
    np.not_equal(sorted_keys[1:], sorted_keys[:-1], out=flag[1:])
    return flag


def _by_tier(positions: np.ndarray, counts: np.ndarray,
             offsets: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Split sorted tier-major agent positions (with counts) into per-tier local positions."""
    cuts = np.searchsorted(positions, offsets)
    return [(positions[a:b] - offsets[k], counts[a:b])
            for k, (a, b) in enumerate(pairwise(cuts))]


# --------------------------------------------------------------------------- pass 1


def people_and_demand(params: TierParams, rng: np.random.Generator | None) -> tuple[People,
                                                                                   Sales]:
    """Recruiting and consumer demand, week by week (deterministic when ``rng`` is None)."""
    if rng is None:
        return _expected_people_and_demand(params)
    return _random_people_and_demand(params, rng)


def _expected_people_and_demand(params: TierParams) -> tuple[People, Sales]:
    """Expected-value mode. Everyone who started recruiting in the same week carries the
    same accumulator, so recruiting is tracked per start-week group (the founders; then
    the agents who joined in one week, a contiguous range of each tier they joined). The
    weekly work is plain Python over those groups, which beats numpy calls at this size.
    Demand is dealt round-robin, so it is at most three runs a week."""
    weeks, n_tiers, pool = params.weeks, params.n_tiers, params.pool
    bottom = n_tiers - 1
    target = [min(k + 1, bottom) for k in range(n_tiers)]
    acc = [0.0]  # one recruiting accumulator per group, in start order
    groups: list[list[tuple[int, int, int]]] = [[(0, 0, params.initial_agents)]]  # (tier,
    # first position, agents) of each group
    size = [params.initial_agents] + [0] * bottom
    joined = [0] * (weeks * n_tiers)  # flat (week, tier) tables: cheaper to turn into arrays
    joined[0] = params.initial_agents
    recruited = [0] * (weeks * n_tiers)
    segments: list[tuple[int, int, int, int, int]] = []  # (tier, week, start, length, reps)
    members, left = params.initial_agents, pool - params.initial_agents
    demand = params.demand_rate * pool / 1000.0
    demand_acc, cursor = 0.0, 0
    runs: list[int] = []  # flat (week, start, stop, boxes) runs
    for t in range(weeks):
        rate = params.recruit_rate * (1.0 - members / pool)
        week_segments = []
        acc = [a + rate for a in acc]  # the same float steps as the reference, per group
        if max(acc) >= 1.0:
            for i in [i for i, a in enumerate(acc) if a >= 1.0]:
                a = acc[i]
                whole = int(a)  # a >= 0, so this is floor
                acc[i] = a - whole
                for k, start, n in groups[i]:
                    week_segments.append((k, t, start, n, whole))
        if week_segments:
            if n_tiers > 2:  # recruits join in tier-major order
                week_segments.sort(key=lambda seg: seg[0])
            counts = [0] * n_tiers
            for k, _, _, n, whole in week_segments:
                counts[k] += n * whole
            if sum(counts) > left:  # the pool runs out: cut in tier-major order
                week_segments, counts = _cut(week_segments, left, n_tiers)
            segments.extend(week_segments)
            arrivals = [0] * n_tiers
            for k, count in enumerate(counts):
                arrivals[target[k]] += count
            row = t * n_tiers
            joined[row: row + n_tiers] = arrivals if t else [params.initial_agents,
                                                             *arrivals[1:]]
            recruited[row: row + n_tiers] = counts
            groups.append([(k, size[k], arrivals[k]) for k in range(1, n_tiers) if arrivals[k]])
            acc.append(0.0)
            for k in range(1, n_tiers):
                size[k] += arrivals[k]
            total = sum(counts)
            members += total
            left -= total
        demand_acc += demand
        boxes = math.floor(demand_acc)
        demand_acc -= boxes
        base, extra = divmod(boxes, members)
        if base:
            runs.extend((t, 0, members, base))
        if extra:
            end = cursor + extra
            if end <= members:
                runs.extend((t, cursor, end, 1))
            else:
                runs.extend((t, cursor, members, 1, t, 0, end - members, 1))
        cursor = (cursor + extra) % members
    tier, week, start, length, reps = _table(chain.from_iterable(segments), 5).T
    people = People(_table(joined, n_tiers), _table(recruited, n_tiers),
                    week, tier, start, length, reps)
    return people, Sales(*_table(runs, 4).T)


def _cut(week_segments: list[tuple[int, int, int, int, int]], left: int,
         n_tiers: int) -> tuple[list[tuple[int, int, int, int, int]], list[int]]:
    """Keep the recruits that fit in the ``left`` people of the pool, agent by agent in
    tier-major order: whole segments, then part of one (full agents, one partial)."""
    kept, counts = [], [0] * n_tiers
    for k, t, start, n, whole in week_segments:
        if n * whole <= left:
            kept.append((k, t, start, n, whole))
            counts[k] += n * whole
            left -= n * whole
            continue
        full, partial = divmod(left, whole)
        kept.extend(seg for seg in ((k, t, start, full, whole), (k, t, start + full, 1, partial))
                    if seg[3] and seg[4])
        counts[k] += left
        break
    return kept, counts


def _random_people_and_demand(params: TierParams,
                              rng: np.random.Generator) -> tuple[People, Sales]:
    """Random mode: Poisson recruits and boxes, each given to a member drawn at random."""
    weeks, n_tiers, pool = params.weeks, params.n_tiers, params.pool
    bottom = n_tiers - 1
    size = [params.initial_agents] + [0] * bottom
    joined = np.zeros((weeks, n_tiers), np.int64)
    joined[0, 0] = params.initial_agents
    recruits_by_tier = np.zeros((weeks, n_tiers), np.int64)
    segments: list[tuple[int, int, np.ndarray, np.ndarray]] = []
    runs: list[tuple[int, np.ndarray, np.ndarray]] = []
    demand = params.demand_rate * pool / 1000.0
    for t in range(weeks):
        members = sum(size)
        lam = params.recruit_rate * members * (1.0 - members / pool)
        total = min(int(rng.poisson(lam)), pool - members)
        who, how_many = np.unique(rng.integers(0, members, total), return_counts=True)
        offsets = np.cumsum([0, *size])
        for k, (pos, count) in enumerate(_by_tier(who, how_many, offsets)):
            if len(pos):
                recruits = int(count.sum())
                segments.append((t, k, pos, count))
                recruits_by_tier[t, k] = recruits
                joined[t, min(k + 1, bottom)] += recruits
                size[min(k + 1, bottom)] += recruits
        who, how_many = np.unique(rng.integers(0, sum(size), int(rng.poisson(demand))),
                                  return_counts=True)
        runs.append((t, who, how_many))
    people = People(joined, recruits_by_tier,
                    _concat([np.full(len(p), t) for t, _, p, _ in segments]),
                    _concat([np.full(len(p), k) for _, k, p, _ in segments]),
                    _concat([p for _, _, p, _ in segments]),
                    _concat([np.ones(len(p)) for _, _, p, _ in segments]),
                    _concat([c for _, _, _, c in segments]))
    start = np.concatenate([who for _, who, _ in runs])
    return people, Sales(np.concatenate([np.full(len(who), t) for t, who, _ in runs]).astype(
        np.int64), start, start + 1, np.concatenate([c for _, _, c in runs]).astype(np.int64))


def _concat(parts: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(parts).astype(np.int64) if parts else _ints([])


# --------------------------------------------------------------------------- who is where


def tier_agents(params: TierParams, people: People) -> tuple[list[np.ndarray], ...]:
    """Per tier, in joining order: join week, supplier (position in the tier above; −1
    for the brand) and recruits brought in, for every agent."""
    n_tiers, bottom = params.n_tiers, params.n_tiers - 1
    seg_target = np.minimum(people.seg_tier + 1, bottom)
    joins = [np.zeros(params.initial_agents, np.int64)]
    suppliers = [np.full(params.initial_agents, -1, np.int64)]
    for j in range(1, n_tiers):
        mine = seg_target == j
        start, length, reps = (a[mine] for a in (people.seg_start, people.seg_length,
                                                 people.seg_reps))
        recruiter = _ranges(start, length)
        arrivals = length
        if (reps != 1).any():
            recruiter = np.repeat(recruiter, np.repeat(reps, length))
            arrivals = length * reps
        joins.append(np.repeat(people.seg_week[mine], arrivals))
        if j == bottom:  # a bottom-tier recruiter passes on its own supplier
            copied = np.repeat(people.seg_tier[mine] == bottom, arrivals)
            recruiter = recruiter[_follow_to_root(recruiter, copied)]
        suppliers.append(recruiter)
    recruits = []
    for k, join in enumerate(joins):
        mine = people.seg_tier == k
        start, reps = people.seg_start[mine], people.seg_reps[mine]
        change = np.zeros(len(join) + 1, np.int64)
        np.add.at(change, start, reps)
        np.subtract.at(change, start + people.seg_length[mine], reps)
        recruits.append(change.cumsum()[:-1])
    return joins, suppliers, recruits


def _follow_to_root(recruiter: np.ndarray, copied: np.ndarray) -> np.ndarray:
    """For each bottom-tier agent, the agent at the start of its chain of bottom-tier
    recruiters (pointer jumping: every round halves the chains)."""
    pointer = np.where(copied, recruiter, np.arange(len(recruiter)))
    while copied[pointer].any():
        pointer = pointer[pointer]
    return pointer


def sales_by_tier(params: TierParams, people: People,
                  sales: Sales) -> list[tuple[np.ndarray, ...]]:
    """The consumer runs cut at the tier boundaries: per tier (week, first, stop, boxes)
    with positions local to the tier."""
    members = np.cumsum(people.joined, axis=0)
    offsets = np.concatenate([np.zeros((params.weeks, 1), np.int64),
                              np.cumsum(members, axis=1)], axis=1)
    out = []
    for k in range(params.n_tiers):
        low, high = offsets[sales.week, k], offsets[sales.week, k + 1]
        first, stop = np.maximum(sales.start, low), np.minimum(sales.stop, high)
        keep = first < stop
        out.append((sales.week[keep], first[keep] - low[keep], stop[keep] - low[keep],
                    sales.boxes[keep]))
    return out


def _per_agent(runs: tuple[np.ndarray, ...], n: int) -> np.ndarray:
    """Boxes per agent from runs (a difference array over positions)."""
    _, first, stop, boxes = runs
    change = np.zeros(n + 1, np.int64)
    np.add.at(change, first, boxes)
    np.subtract.at(change, stop, boxes)
    return change.cumsum()[:-1]


def _per_week(runs: tuple[np.ndarray, ...], weeks: int) -> np.ndarray:
    week, first, stop, boxes = runs
    return _weighted_count(week, (stop - first) * boxes, weeks)


# --------------------------------------------------------------------------- stock


@dataclass
class _Stock:
    """One tier's stock step: per agent and per week, and the weeks agents bought extra."""

    sold: np.ndarray
    down: np.ndarray
    fee: np.ndarray
    extra: np.ndarray
    extra_by_week: np.ndarray
    fee_by_week: np.ndarray
    short_agent: np.ndarray
    short_week: np.ndarray
    short_boxes: np.ndarray
    short_scheduled: np.ndarray


def _scheduled(first_order: int, restock: int, age: np.ndarray) -> np.ndarray:
    """Boxes arriving on schedule at a given membership age (first order, restock push)."""
    boxes = np.where(age == 0, first_order, 0)
    if restock:
        boxes[(age > 0) & (age % RESTOCK_EVERY_WEEKS == 0)] += restock
    return boxes


def _bottom_stock(join: np.ndarray, runs: tuple[np.ndarray, ...], first_order: int,
                  restock: int, weeks: int) -> _Stock:
    """Stock of agents without a downline, visiting only those who could run short: an
    agent who sells no more than their first order over the whole run never does."""
    n = len(join)
    sold = _per_agent(runs, n)
    extra = np.zeros(n, np.int64)
    none = _ints([])
    short: tuple[np.ndarray, ...] = (none, none, none, none)
    extra_by_week = np.zeros(weeks, np.int64)
    may_run_short = np.flatnonzero(sold > first_order)
    if len(may_run_short):
        week, first, stop, boxes = runs
        lo = np.searchsorted(may_run_short, first)
        count = np.searchsorted(may_run_short, stop) - lo
        who = _ranges(lo, count)  # index into may_run_short, run by run (weeks ascending)
        order = np.argsort(who, kind="stable")  # agent by agent, weeks still ascending
        who = who[order]
        when = np.repeat(week, count)[order]
        cells = np.flatnonzero(_starts(who * weeks + when))  # one per agent and week
        out = np.add.reduceat(np.repeat(boxes, count)[order], cells)
        who, when = who[cells], when[cells]
        agent = may_run_short[who]
        age = when - join[agent]
        first_sale = _starts(who)
        group = np.cumsum(first_sale) - 1
        shipped = np.cumsum(out)
        shipped -= (shipped - out)[first_sale][group]  # boxes out so far, per agent
        deficit = shipped - first_order - restock * (age // RESTOCK_EVERY_WEEKS)  # −A_t
        lift = group * (int(deficit.max()) - int(deficit.min()) + 1)  # keeps agents apart
        bought_extra = np.maximum.accumulate(deficit + lift)
        bought_extra -= lift
        np.maximum(bought_extra, 0, out=bought_extra)
        step = bought_extra.copy()
        step[1:] -= bought_extra[:-1]
        step[first_sale] = bought_extra[first_sale]
        last = np.append(first_sale[1:], True)
        extra[agent[last]] = bought_extra[last]
        hit = np.flatnonzero(step)
        short = (agent[hit], when[hit], step[hit], _scheduled(first_order, restock, age[hit]))
        extra_by_week = _weighted_count(short[1], short[2], weeks)
    zeros = np.zeros(n, np.int64)
    return _Stock(sold, zeros, zeros, extra, extra_by_week, np.zeros(weeks, np.int64), *short)


def _upper_stock(join: np.ndarray, runs: tuple[np.ndarray, ...], first_order: int,
                 restock: int, weeks: int, below_supplier: np.ndarray,
                 below_join: np.ndarray, below_first_order: int, below: _Stock,
                 fee_per_box_e4: int) -> _Stock:
    """Stock of agents with a downline, in dense (agents × weeks) blocks: their
    downline's first orders and pushes arrive most weeks."""
    n = len(join)
    rows = max(1, DENSE_BLOCK // weeks)
    if n <= rows:
        return _upper_block(0, n, join, runs, first_order, restock, weeks, below_supplier,
                            below_join, below_first_order, below, fee_per_box_e4)
    blocks = [_upper_block(r0, min(n, r0 + rows), join, runs, first_order, restock, weeks,
                           below_supplier, below_join, below_first_order, below,
                           fee_per_box_e4) for r0 in range(0, n, rows)]
    return _Stock(*(np.concatenate(parts) if i not in (4, 5) else sum(parts)
                    for i, parts in enumerate(zip(*(_fields(b) for b in blocks),
                                                  strict=True))))


def _fields(stock: _Stock) -> tuple[np.ndarray, ...]:
    return tuple(stock.__dict__.values())


def _upper_block(r0: int, r1: int, join: np.ndarray, runs: tuple[np.ndarray, ...],
                 first_order: int, restock: int, weeks: int, below_supplier: np.ndarray,
                 below_join: np.ndarray, below_first_order: int, below: _Stock,
                 fee_per_box_e4: int) -> _Stock:
    """Agents ``r0 … r1 − 1`` of an upper tier, all weeks at once."""
    m, whole = r1 - r0, r1 - r0 == len(join)
    cells = m * weeks
    # consumer sales: the runs as a difference array down the rows
    week_r, first_r, stop_r, boxes_r = runs
    if not whole:
        first_r, stop_r = np.maximum(first_r, r0) - r0, np.minimum(stop_r, r1) - r0
        keep = first_r < stop_r
        week_r, first_r, stop_r, boxes_r = (a[keep] for a in (week_r, first_r, stop_r, boxes_r))
    change = np.zeros(cells + weeks, np.int64)
    np.add.at(change, first_r * weeks + week_r, boxes_r)
    np.subtract.at(change, stop_r * weeks + week_r, boxes_r)
    sales = change.reshape(m + 1, weeks).cumsum(axis=0)[:m]
    # the downline's orders: scheduled ones counted by (supplier, join week), then extras
    supplier, joined_week = below_supplier, below_join
    short_supplier = below_supplier[below.short_agent]
    short_mine = slice(None)
    if not whole:
        mine = (supplier >= r0) & (supplier < r1)
        supplier, joined_week = supplier[mine] - r0, joined_week[mine]
        short_mine = (short_supplier >= r0) & (short_supplier < r1)
        short_supplier = short_supplier[short_mine] - r0
    joins = np.bincount(supplier * weeks + joined_week, minlength=cells).reshape(m, weeks)
    pushes = _pushes(joins.T).T
    down = below_first_order * joins + restock * pushes
    fee = (below_first_order * fee_per_box_e4 // 10_000) * joins
    fee += (restock * fee_per_box_e4 // 10_000) * pushes
    if len(short_supplier):
        cell = short_supplier * weeks + below.short_week[short_mine]
        boxes = below.short_boxes[short_mine]
        down += _weighted_count(cell, boxes, cells).reshape(m, weeks)
        if fee_per_box_e4:
            scheduled = below.short_scheduled[short_mine]
            rise = (scheduled + boxes) * fee_per_box_e4 // 10_000
            rise -= scheduled * fee_per_box_e4 // 10_000
            fee += _weighted_count(cell, rise, cells).reshape(m, weeks)
    # Lindley's recursion for every agent of the block at once
    arriving = _scheduled(first_order, restock, np.arange(weeks) - join[r0:r1, None])
    balance = np.cumsum(arriving - sales - down, axis=1)
    np.negative(balance, out=balance)
    bought_extra = np.maximum.accumulate(balance, axis=1)
    np.maximum(bought_extra, 0, out=bought_extra)
    step = bought_extra.copy()
    step[:, 1:] -= bought_extra[:, :-1]
    i, t = np.nonzero(step)
    return _Stock(sales.sum(axis=1), down.sum(axis=1), fee.sum(axis=1), bought_extra[:, -1],
                  step.sum(axis=0), fee.sum(axis=0), r0 + i, t, step[i, t], arriving[i, t])


# --------------------------------------------------------------------------- money


def run_engine(params: TierParams, mode: str, rules: IntegerRules,
               rng: np.random.Generator | None) -> tuple[np.ndarray, list[Agents]]:
    """The whole run: ``records`` (weeks × tiers × :data:`RECORD_FIELDS`) and the agents."""
    people, sales = people_and_demand(params, rng)
    joins, suppliers, recruits = tier_agents(params, people)
    runs = sales_by_tier(params, people, sales)
    weeks, n_tiers = params.weeks, params.n_tiers
    bottom = n_tiers - 1
    records = np.zeros((weeks, n_tiers, len(RECORD_FIELDS)), np.int64)
    rec = {name: records[:, :, i] for name, i in _F.items()}
    rec["members"][:] = np.cumsum(people.joined, axis=0)
    rec["new_members"][:] = people.joined
    rec["new_members"][0, 0] -= params.initial_agents
    sold_by_week = np.stack([_per_week(r, weeks) for r in runs], axis=1)
    rec["units_sold_consumers"][:] = sold_by_week
    if mode == "2.0":
        rec["commission_income"][:] = sold_by_week * rules.sales_commission_fen
        agents = []
        for join, supplier, r in zip(joins, suppliers, runs, strict=True):
            zeros = np.zeros(len(join), np.int64)
            agents.append(Agents(join, supplier,
                                 _per_agent(r, len(join)) * rules.sales_commission_fen,
                                 zeros, zeros))
        return records, agents
    first = rules.first_order
    stocks: list[_Stock] = [None] * n_tiers  # type: ignore[list-item]
    stocks[bottom] = _bottom_stock(joins[bottom], runs[bottom], first[bottom], rules.restock,
                                   weeks)
    for k in range(bottom - 1, -1, -1):
        stocks[k] = _upper_stock(joins[k], runs[k], first[k], rules.restock, weeks,
                                 suppliers[k + 1], joins[k + 1], first[k + 1], stocks[k + 1],
                                 rules.price_fen[k + 1] * rules.commission_bp)
    scheduled = people.joined * _ints(list(first)) + rules.restock * _pushes(people.joined)
    bought = scheduled + np.stack([s.extra_by_week for s in stocks], axis=1)
    down = np.zeros_like(bought)
    down[:, :-1] = bought[:, 1:]
    price = _ints(list(rules.price_fen))
    bonus = _ints([rules.bonus_fen[min(k + 1, bottom)] for k in range(n_tiers)])
    rec["units_bought"][:] = bought
    rec["units_sold_downline"][:] = down
    rec["unsold_stock"][:] = np.cumsum(bought - sold_by_week - down, axis=0)
    rec["retail_revenue"][:] = sold_by_week * rules.retail_fen
    rec["downline_revenue"][:, :-1] = down[:, :-1] * price[1:]
    rec["bonus_income"][:] = people.recruits_by_tier * bonus
    rec["commission_income"][:] = np.stack([s.fee_by_week for s in stocks], axis=1)
    rec["purchases"][:] = bought * price
    agents = []
    for k, stock in enumerate(stocks):
        join = joins[k]
        owned = (weeks - 1) - join  # age at the end → boxes that arrived on schedule
        owned //= RESTOCK_EVERY_WEEKS
        owned *= rules.restock
        owned += first[k]
        owned += stock.extra
        cash_in = stock.sold * rules.retail_fen
        if bonus[k]:
            cash_in += recruits[k] * bonus[k]
        left_over = owned - stock.sold
        if k < bottom:
            cash_in += stock.down * rules.price_fen[k + 1]
            cash_in += stock.fee
            left_over -= stock.down
        agents.append(Agents(join, suppliers[k], cash_in, owned * rules.price_fen[k], left_over))
    return records, agents
