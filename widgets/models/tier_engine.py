"""The vectorised engine behind :func:`widgets.models.tier_simulator.simulate_tiers`.

Which technique serves which target (``benchmarks/bench_tier_simulator.py`` reports them):

- **two passes** (people and demand first, then stock and money) — a slider update of the
  app within 50 ms (p95): only counts go through the weekly Python loop;
- **Lindley's closed form** for stock — 1,000,000 people × 52 weeks within 1 s, and at least
  100× the plain-Python reference (``tier_reference``): every agent's weeks at once, with a
  running maximum, instead of a loop over agents and weeks;
- **blocks** of weeks (:data:`SALES_BLOCK`, :data:`DENSE_BLOCK`) — bounded memory at the
  largest sizes, without changing a single result: they equal the reference exactly.

In this model nobody's recruiting or selling depends on stock or cash, so the engine
runs in two passes instead of simulating every agent every week.

1. **People and demand, week by week** (:func:`people_and_demand`). Only counts go
   through the weekly loop: members per tier, each start-week group's recruiting
   accumulator, the week's consumer boxes. Who recruited whom and who sold to
   consumers come out as ranges of agents (:class:`People`, :class:`Sales`), handed
   over in blocks of weeks (:class:`Block`) and expanded once per block.
2. **Stock and money for a whole block at once** (:func:`run_engine`). An agent's
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

Memory stays bounded: pass 1 hands over its weeks in blocks of at most
:data:`SALES_BLOCK` agent-weeks of consumer sales, and pass 2 carries every agent's stock
from one block to the next (with a starting stock ``s``, ``A_t`` starts at ``s``). Dense
steps work on at most :data:`DENSE_BLOCK` cells at a time. At the app's sizes the whole
run is one block.

Results are integers (boxes, fen) and equal the plain-Python reference exactly.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from itertools import chain, pairwise

import numpy as np

from widgets.models.tier_params import (
    RECORD_FIELDS,
    RESTOCK_EVERY_WEEKS,
    IntegerRules,
    TierParams,
)

_F = {name: i for i, name in enumerate(RECORD_FIELDS)}
#: Most agent-weeks of consumer sales pass 1 hands over at once (bounds memory).
SALES_BLOCK = 1 << 20
#: Largest (agents × weeks) table a dense step works on at once (bounds memory).
DENSE_BLOCK = 1 << 22


@dataclass
class People:
    """Who recruited whom in some weeks, as segments: in week ``seg_week``, the agents
    ``seg_start … seg_start + seg_length − 1`` of tier ``seg_tier`` each brought in
    ``seg_reps`` recruits, listed in the order the recruits joined."""

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
class Block:
    """Weeks ``t0 … t1 − 1`` of pass 1. ``joined[t, k]`` counts the agents joining tier
    ``k`` in week ``t`` (the founders in week 0) and ``recruited[t, k]`` the recruits
    tier-``k`` agents brought in; both tables are filled up to week ``t1 − 1``."""

    t0: int
    t1: int
    people: People
    sales: Sales
    joined: np.ndarray
    recruited: np.ndarray


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


def people_and_demand(params: TierParams,
                      rng: np.random.Generator | None) -> Iterator[Block]:
    """Recruiting and consumer demand, week by week, handed over in blocks of weeks
    (deterministic when ``rng`` is None)."""
    if rng is None:
        return _expected_people_and_demand(params)
    return _random_people_and_demand(params, rng)


def _expected_people_and_demand(params: TierParams) -> Iterator[Block]:
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
    block_start, covered = 0, 0
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
            covered += members
        if extra:
            end = cursor + extra
            if end <= members:
                runs.extend((t, cursor, end, 1))
            else:
                runs.extend((t, cursor, members, 1, t, 0, end - members, 1))
            covered += extra
        cursor = (cursor + extra) % members
        if covered >= SALES_BLOCK or t == weeks - 1:
            tier, week, start, length, reps = _table(chain.from_iterable(segments), 5).T
            yield Block(block_start, t + 1, People(week, tier, start, length, reps),
                        Sales(*_table(runs, 4).T), _table(joined, n_tiers),
                        _table(recruited, n_tiers))
            segments, runs, block_start, covered = [], [], t + 1, 0


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
                              rng: np.random.Generator) -> Iterator[Block]:
    """Random mode: Poisson recruits and boxes, each given to a member drawn at random."""
    weeks, n_tiers, pool = params.weeks, params.n_tiers, params.pool
    bottom = n_tiers - 1
    size = [params.initial_agents] + [0] * bottom
    joined = np.zeros((weeks, n_tiers), np.int64)
    joined[0, 0] = params.initial_agents
    recruited = np.zeros((weeks, n_tiers), np.int64)
    segments: list[tuple[int, int, np.ndarray, np.ndarray]] = []
    runs: list[tuple[int, np.ndarray, np.ndarray]] = []
    demand = params.demand_rate * pool / 1000.0
    block_start, covered = 0, 0
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
                recruited[t, k] = recruits
                joined[t, min(k + 1, bottom)] += recruits
                size[min(k + 1, bottom)] += recruits
        who, how_many = np.unique(rng.integers(0, sum(size), int(rng.poisson(demand))),
                                  return_counts=True)
        runs.append((t, who, how_many))
        covered += len(who)
        if covered >= SALES_BLOCK or t == weeks - 1:
            people = People(_concat([np.full(len(p), t) for t, _, p, _ in segments]),
                            _concat([np.full(len(p), k) for _, k, p, _ in segments]),
                            _concat([p for _, _, p, _ in segments]),
                            _concat([np.ones(len(p)) for _, _, p, _ in segments]),
                            _concat([c for _, _, _, c in segments]))
            start = _concat([who for _, who, _ in runs])
            sales = Sales(_concat([np.full(len(who), t) for t, who, _ in runs]), start,
                          start + 1, _concat([c for _, _, c in runs]))
            yield Block(block_start, t + 1, people, sales, joined, recruited)
            segments, runs, block_start, covered = [], [], t + 1, 0


def _concat(parts: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(parts).astype(np.int64) if parts else _ints([])


# --------------------------------------------------------------------------- pass 2: agents


@dataclass
class _Tier:
    """One tier's agents so far (joining order) and what they did in earlier blocks."""

    join: np.ndarray
    supplier: np.ndarray
    recruits: np.ndarray
    sold: np.ndarray
    down: np.ndarray
    fee: np.ndarray
    extra: np.ndarray  # boxes bought beyond the schedule
    stock: np.ndarray  # at the end of the last block

    @classmethod
    def founders(cls, n: int) -> _Tier:
        zeros = np.zeros(n, np.int64)
        return cls(zeros, np.full(n, -1, np.int64), *(zeros.copy() for _ in range(6)))

    def grow(self, join: np.ndarray, supplier: np.ndarray) -> None:
        """Append newcomers (nothing done yet)."""
        if not len(join):
            return
        if len(self.join):
            join = np.concatenate([self.join, join])
            supplier = np.concatenate([self.supplier, supplier])
        self.join, self.supplier = join, supplier
        for name in ("recruits", "sold", "down", "fee", "extra", "stock"):
            done = getattr(self, name)
            grown = np.zeros(len(join), np.int64)
            grown[: len(done)] = done
            setattr(self, name, grown)

    def add(self, step: _Stock) -> None:
        """Take in what a block's stock step did."""
        for name in ("sold", "down", "fee", "extra"):
            getattr(self, name).__iadd__(getattr(step, name))
        self.stock = step.stock


def add_agents(tiers: list[_Tier], people: People) -> None:
    """The recruits of a block join their tiers (recruits of a bottom-tier agent get its
    supplier), and each recruiter is credited with its recruits."""
    bottom = len(tiers) - 1
    seg_target = np.minimum(people.seg_tier + 1, bottom)
    for j in range(1, len(tiers)):
        mine = seg_target == j
        start, length, reps = (a[mine] for a in (people.seg_start, people.seg_length,
                                                 people.seg_reps))
        recruiter = _ranges(start, length)
        arrivals = length
        if (reps != 1).any():
            recruiter = np.repeat(recruiter, np.repeat(reps, length))
            arrivals = length * reps
        if j == bottom:  # a bottom-tier recruiter passes on its own supplier
            copied = np.repeat(people.seg_tier[mine] == bottom, arrivals)
            if copied.any():
                known = tiers[j].supplier  # suppliers of earlier blocks' agents
                everyone, chained = recruiter, copied
                if len(known):
                    everyone = np.concatenate([known, recruiter])
                    chained = np.concatenate([np.zeros(len(known), bool), copied])
                recruiter = everyone[_follow_to_root(everyone, chained)][len(known):]
        tiers[j].grow(np.repeat(people.seg_week[mine], arrivals), recruiter)
    for k, tier in enumerate(tiers):
        mine = people.seg_tier == k
        if mine.any():
            start = people.seg_start[mine]
            tier.recruits += _range_totals(start, start + people.seg_length[mine],
                                           people.seg_reps[mine], len(tier.join))


def _follow_to_root(recruiter: np.ndarray, copied: np.ndarray) -> np.ndarray:
    """For each bottom-tier agent, the agent at the start of its chain of bottom-tier
    recruiters (pointer jumping: every round halves the chains)."""
    pointer = np.where(copied, recruiter, np.arange(len(recruiter)))
    while copied[pointer].any():
        pointer = pointer[pointer]
    return pointer


def sales_by_tier(joined: np.ndarray, sales: Sales) -> list[tuple[np.ndarray, ...]]:
    """The consumer runs cut at the tier boundaries: per tier (week, first, stop, boxes)
    with positions local to the tier."""
    members = np.cumsum(joined, axis=0)
    offsets = np.zeros((len(joined), joined.shape[1] + 1), np.int64)
    np.cumsum(members, axis=1, out=offsets[:, 1:])
    out = []
    for k in range(joined.shape[1]):
        low, high = offsets[sales.week, k], offsets[sales.week, k + 1]
        first, stop = np.maximum(sales.start, low), np.minimum(sales.stop, high)
        keep = first < stop
        out.append((sales.week[keep], first[keep] - low[keep], stop[keep] - low[keep],
                    sales.boxes[keep]))
    return out


def _range_totals(first: np.ndarray, stop: np.ndarray, amount: np.ndarray,
                  n: int) -> np.ndarray:
    """Per position ``0 … n − 1``, the sum of ``amount`` over the ranges
    ``first … stop − 1`` that cover it (a difference array)."""
    change = np.zeros(n + 1, np.int64)
    np.add.at(change, first, amount)
    np.subtract.at(change, stop, amount)
    return change.cumsum()[:-1]


def _per_agent(runs: tuple[np.ndarray, ...], n: int) -> np.ndarray:
    """Boxes per agent from runs."""
    _, first, stop, boxes = runs
    return _range_totals(first, stop, boxes, n)


def _per_week(runs: tuple[np.ndarray, ...], t0: int, t1: int) -> np.ndarray:
    week, first, stop, boxes = runs
    return _weighted_count(week - t0, (stop - first) * boxes, t1 - t0)


# --------------------------------------------------------------------------- pass 2: stock


@dataclass
class _Stock:
    """One tier's stock step over a block: per agent, per week of the block, and the
    agent-weeks in which agents bought beyond the schedule."""

    sold: np.ndarray
    down: np.ndarray
    fee: np.ndarray
    extra: np.ndarray
    stock: np.ndarray  # at the end of the block
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


def _arrived(first_order: int, restock: int, join: np.ndarray,
             t: int | np.ndarray) -> np.ndarray:
    """Boxes that arrived on schedule up to and including week ``t`` (0 before joining)."""
    age = t - join
    boxes = age // RESTOCK_EVERY_WEEKS
    boxes *= restock
    boxes += first_order
    boxes[age < 0] = 0
    return boxes


def _bottom_stock(tier: _Tier, runs: tuple[np.ndarray, ...], first_order: int,
                  restock: int, t0: int, t1: int) -> _Stock:
    """Stock of agents without a downline over weeks ``t0 … t1 − 1``, visiting only those
    who could run short: selling no more than one's starting stock plus a first order
    that arrives in the block, one never does."""
    join, start_stock = tier.join, tier.stock
    n = len(join)
    sold = _per_agent(runs, n)
    extra = np.zeros(n, np.int64)
    none = _ints([])
    short: tuple[np.ndarray, ...] = (none, none, none, none)
    extra_by_week = np.zeros(t1 - t0, np.int64)
    if t0:
        before = _arrived(first_order, restock, join, t0 - 1)
        cover = start_stock.copy()
        cover[np.searchsorted(join, t0):] += first_order  # newcomers get their first order
        may_run_short = np.flatnonzero(sold > cover)
    else:  # the first block: nobody has stock yet, and everyone gets a first order
        may_run_short = np.flatnonzero(sold > first_order)
    if len(may_run_short):
        week, first, stop, boxes = runs
        lo = np.searchsorted(may_run_short, first)
        count = np.searchsorted(may_run_short, stop) - lo
        who = _ranges(lo, count)  # index into may_run_short, run by run (weeks ascending)
        order = np.argsort(who, kind="stable")  # agent by agent, weeks still ascending
        who = who[order]
        when = np.repeat(week, count)[order]
        cells = np.flatnonzero(_starts(who * t1 + when))  # one per agent and week
        out = np.add.reduceat(np.repeat(boxes, count)[order], cells)
        who, when = who[cells], when[cells]
        agent = may_run_short[who]
        age = when - join[agent]
        first_sale = _starts(who)
        group = np.cumsum(first_sale) - 1
        shipped = np.cumsum(out)
        shipped -= (shipped - out)[first_sale][group]  # boxes out so far in the block
        deficit = shipped - _arrived(first_order, restock, join[agent], when)  # −A_t
        if t0:
            deficit += before[agent]
            deficit -= start_stock[agent]
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
        extra_by_week = _weighted_count(short[1] - t0, short[2], t1 - t0)
    stock = _arrived(first_order, restock, join, t1 - 1)
    if t0:
        stock -= before
        stock += start_stock
    stock -= sold
    stock += extra
    zeros = np.zeros(n, np.int64)
    return _Stock(sold, zeros, zeros, extra, stock, extra_by_week, np.zeros(t1 - t0, np.int64),
                  *short)


def _upper_stock(tier: _Tier, runs: tuple[np.ndarray, ...], first_order: int, restock: int,
                 t0: int, t1: int, below: _Tier, below_first_order: int, below_stock: _Stock,
                 fee_per_box_e4: int) -> _Stock:
    """Stock of agents with a downline over weeks ``t0 … t1 − 1``, in dense
    (agents × weeks) blocks: their downline's first orders and pushes arrive most weeks."""
    n = len(tier.join)
    rows = max(1, DENSE_BLOCK // t1)
    parts = [_upper_rows(r0, min(n, r0 + rows), tier, runs, first_order, restock, t0, t1,
                         below, below_first_order, below_stock, fee_per_box_e4)
             for r0 in range(0, n, rows) or [0]]  # an empty tier is one empty block
    if len(parts) == 1:
        return parts[0]
    weekly = {"extra_by_week", "fee_by_week"}  # summed over blocks; the rest is per agent
    return _Stock(**{f.name: (sum(getattr(p, f.name) for p in parts) if f.name in weekly
                              else np.concatenate([getattr(p, f.name) for p in parts]))
                     for f in fields(_Stock)})


def _upper_rows(r0: int, r1: int, tier: _Tier, runs: tuple[np.ndarray, ...],
                first_order: int, restock: int, t0: int, t1: int, below: _Tier,
                below_first_order: int, below_stock: _Stock, fee_per_box_e4: int) -> _Stock:
    """Agents ``r0 … r1 − 1`` of an upper tier, every week of the block at once."""
    m, whole = r1 - r0, r1 - r0 == len(tier.join)
    span = t1 - t0
    cells = m * span
    # consumer sales: the runs as a difference array down the rows
    week_r, first_r, stop_r, boxes_r = runs
    if not whole:
        first_r, stop_r = np.maximum(first_r, r0) - r0, np.minimum(stop_r, r1) - r0
        keep = first_r < stop_r
        week_r, first_r, stop_r, boxes_r = (a[keep] for a in (week_r, first_r, stop_r, boxes_r))
    change = np.zeros(cells + span, np.int64)
    np.add.at(change, first_r * span + week_r - t0, boxes_r)
    np.subtract.at(change, stop_r * span + week_r - t0, boxes_r)
    sales = change.reshape(m + 1, span).cumsum(axis=0)[:m]
    # the downline's orders: scheduled ones counted by (supplier, join week), then extras
    supplier, joined_week = below.supplier, below.join
    short_supplier = below.supplier[below_stock.short_agent]
    short_mine = slice(None)
    if not whole:
        mine = (supplier >= r0) & (supplier < r1)
        supplier, joined_week = supplier[mine] - r0, joined_week[mine]
        short_mine = (short_supplier >= r0) & (short_supplier < r1)
        short_supplier = short_supplier[short_mine] - r0
    joins = np.bincount(supplier * t1 + joined_week, minlength=m * t1).reshape(m, t1)
    pushes = _pushes(joins.T).T[:, t0:]
    joins = joins[:, t0:]
    down = below_first_order * joins + restock * pushes
    fee = (below_first_order * fee_per_box_e4 // 10_000) * joins
    fee += (restock * fee_per_box_e4 // 10_000) * pushes
    if len(short_supplier):
        cell = short_supplier * span + below_stock.short_week[short_mine] - t0
        boxes = below_stock.short_boxes[short_mine]
        down += _weighted_count(cell, boxes, cells).reshape(m, span)
        if fee_per_box_e4:
            scheduled = below_stock.short_scheduled[short_mine]
            rise = (scheduled + boxes) * fee_per_box_e4 // 10_000
            rise -= scheduled * fee_per_box_e4 // 10_000
            fee += _weighted_count(cell, rise, cells).reshape(m, span)
    # Lindley's recursion for every agent of the block at once
    arriving = _scheduled(first_order, restock, np.arange(t0, t1) - tier.join[r0:r1, None])
    balance = np.cumsum(arriving - sales - down, axis=1)
    balance += tier.stock[r0:r1, None]
    np.negative(balance, out=balance)
    bought_extra = np.maximum.accumulate(balance, axis=1)
    np.maximum(bought_extra, 0, out=bought_extra)
    step = bought_extra.copy()
    step[:, 1:] -= bought_extra[:, :-1]
    i, t = np.nonzero(step)
    return _Stock(sales.sum(axis=1), down.sum(axis=1), fee.sum(axis=1), bought_extra[:, -1],
                  bought_extra[:, -1] - balance[:, -1], step.sum(axis=0), fee.sum(axis=0),
                  r0 + i, t0 + t, step[i, t], arriving[i, t])


# --------------------------------------------------------------------------- the run


def run_engine(params: TierParams, mode: str, rules: IntegerRules,
               rng: np.random.Generator | None) -> tuple[np.ndarray, list[Agents]]:
    """The whole run: ``records`` (weeks × tiers × :data:`RECORD_FIELDS`) and the agents."""
    weeks, n_tiers = params.weeks, params.n_tiers
    bottom = n_tiers - 1
    first = rules.first_order
    tiers = [_Tier.founders(params.initial_agents)] + [_Tier.founders(0)
                                                       for _ in range(bottom)]
    sold_by_week, extra_by_week, fee_by_week = (np.zeros((weeks, n_tiers), np.int64)
                                                for _ in range(3))
    for block in people_and_demand(params, rng):
        t0, t1 = block.t0, block.t1
        add_agents(tiers, block.people)
        runs = sales_by_tier(block.joined, block.sales)
        for k, tier_runs in enumerate(runs):
            sold_by_week[t0:t1, k] = _per_week(tier_runs, t0, t1)
        if mode == "2.0":
            for tier, tier_runs in zip(tiers, runs, strict=True):
                tier.sold += _per_agent(tier_runs, len(tier.join))
            continue
        below: _Stock | None = None
        for k in range(bottom, -1, -1):
            tier = tiers[k]
            if k == bottom:
                step = _bottom_stock(tier, runs[k], first[k], rules.restock, t0, t1)
            else:
                step = _upper_stock(tier, runs[k], first[k], rules.restock, t0, t1,
                                    tiers[k + 1], first[k + 1], below,
                                    rules.price_fen[k + 1] * rules.commission_bp)
            tier.add(step)
            extra_by_week[t0:t1, k] = step.extra_by_week
            fee_by_week[t0:t1, k] = step.fee_by_week
            below = step
    return _records(params, mode, rules, block.joined, block.recruited, sold_by_week,
                    extra_by_week, fee_by_week), _agents(params, mode, rules, tiers)


def _records(params: TierParams, mode: str, rules: IntegerRules, joined: np.ndarray,
             recruited: np.ndarray, sold_by_week: np.ndarray, extra_by_week: np.ndarray,
             fee_by_week: np.ndarray) -> np.ndarray:
    """The (week, tier) table of :data:`RECORD_FIELDS` from the weekly totals."""
    weeks, n_tiers = params.weeks, params.n_tiers
    bottom = n_tiers - 1
    records = np.zeros((weeks, n_tiers, len(RECORD_FIELDS)), np.int64)
    rec = {name: records[:, :, i] for name, i in _F.items()}
    rec["members"][:] = np.cumsum(joined, axis=0)
    rec["new_members"][:] = joined
    rec["new_members"][0, 0] -= params.initial_agents
    rec["units_sold_consumers"][:] = sold_by_week
    if mode == "2.0":
        rec["commission_income"][:] = sold_by_week * rules.sales_commission_fen
        return records
    scheduled = joined * _ints(list(rules.first_order)) + rules.restock * _pushes(joined)
    bought = scheduled + extra_by_week
    down = np.zeros_like(bought)
    down[:, :-1] = bought[:, 1:]
    price = _ints(list(rules.price_fen))
    rec["units_bought"][:] = bought
    rec["units_sold_downline"][:] = down
    rec["unsold_stock"][:] = np.cumsum(bought - sold_by_week - down, axis=0)
    rec["retail_revenue"][:] = sold_by_week * rules.retail_fen
    rec["downline_revenue"][:, :-1] = down[:, :-1] * price[1:]
    rec["bonus_income"][:] = recruited * _bonus(rules, bottom)
    rec["commission_income"][:] = fee_by_week
    rec["purchases"][:] = bought * price
    return records


def _bonus(rules: IntegerRules, bottom: int) -> np.ndarray:
    """Recruiting bonus a tier-``k`` agent earns per recruit (recruits join tier k + 1)."""
    return _ints([rules.bonus_fen[min(k + 1, bottom)] for k in range(bottom + 1)])


def _agents(params: TierParams, mode: str, rules: IntegerRules,
            tiers: list[_Tier]) -> list[Agents]:
    """Each agent's cash in and out (fen) and final stock."""
    if mode == "2.0":
        return [Agents(t.join, t.supplier, t.sold * rules.sales_commission_fen,
                       np.zeros(len(t.join), np.int64), np.zeros(len(t.join), np.int64))
                for t in tiers]
    bottom = len(tiers) - 1
    bonus = _bonus(rules, bottom)
    agents = []
    for k, tier in enumerate(tiers):
        owned = _arrived(rules.first_order[k], rules.restock, tier.join, params.weeks - 1)
        owned += tier.extra
        cash_in = tier.sold * rules.retail_fen
        if bonus[k]:
            cash_in += tier.recruits * bonus[k]
        if k < bottom:
            cash_in += tier.down * rules.price_fen[k + 1]
            cash_in += tier.fee
        agents.append(Agents(tier.join, tier.supplier, cash_in, owned * rules.price_fen[k],
                             tier.stock))
    return agents
