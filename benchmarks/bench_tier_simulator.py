"""Benchmark the tier simulator against the issue's targets (prints; never asserts).

1. One slider update of the app at the default size (10,000 reachable people, 52 weeks):
   target p95 ≤ 50 ms.
2. The model at 1,000,000 reachable people × 52 weeks (random mode, as the app runs it):
   target ≤ 1 s.
3. Speed-up of the vectorised engine over the plain-Python loop
   (:mod:`widgets.models.tier_reference`), both in random mode — the mode the app runs —
   paired run by run (same parameters and seed, back to back) at 10,000, 100,000 and
   1,000,000 reachable people (``--quick``: the first two), at the default recruit rate and
   at 0.25 (the pool fills up, so the loop has the most agents to visit): target ≥ 100×.

Run from the repository root: ``python benchmarks/bench_tier_simulator.py [--quick]``.
Timings on a shared machine vary; the script reports the load average next to them.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np
from timing import machine

from widgets.apps.tier_simulator import build_tier_simulator
from widgets.models.tier_reference import simulate_tiers_reference
from widgets.models.tier_simulator import TierParams, simulate_tiers


def timings(action: Callable[[], object], repeats: int, warmup: int = 1) -> list[float]:
    for _ in range(warmup):
        action()
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        out.append(time.perf_counter() - start)
    return out


def describe(name: str, seconds: list[float], target: str) -> None:
    ms = np.array(seconds) * 1000
    print(f"{name}: n={len(ms)}  p50={np.percentile(ms, 50):.1f} ms  "
          f"p95={np.percentile(ms, 95):.1f} ms  min={ms.min():.1f} ms  (target {target})")


def bench_slider(repeats: int) -> None:
    app = build_tier_simulator()  # default: 10,000 reachable people, 52 weeks, 1.0 mode
    values = iter(range(1, 10_000))

    def move() -> None:
        app.restock.value = 1 + next(values) % 60  # one slider change → model + redraw
    describe("slider update, 10,000 people × 52 weeks", timings(move, repeats, warmup=2),
             "p95 ≤ 50 ms")
    app.side_by_side.value = True
    describe("slider update, side by side (1.0 and 2.0)", timings(move, repeats // 2),
             "not set; two runs")


def bench_million(repeats: int) -> None:
    for rate in (TierParams().recruit_rate, 0.25):  # the default, and a pool that fills up
        params = TierParams(pool=1_000_000, recruit_rate=rate)
        result = simulate_tiers(params)
        describe(f"model, 1,000,000 people × 52 weeks, recruit rate {rate:g} "
                 f"({result.summary['agents']:,} agents join)",
                 timings(lambda p=params: simulate_tiers(p), repeats, warmup=0), "≤ 1 s")


def bench_speedup(pools: tuple[int, ...], pairs: int) -> None:
    """Engine against the plain-Python loop, both in random mode (the mode the app runs),
    paired run by run: each pair runs the same parameters and seed through both, back to
    back, so load on the shared machine hits both alike. Reported: the median of the
    per-pair ratios and the smallest one."""
    for rate, note in ((TierParams().recruit_rate, "default recruit rate"),
                       (0.25, "recruit rate 0.25: the pool fills up")):
        for pool in pools:
            params = TierParams(pool=pool, recruit_rate=rate)
            simulate_tiers(params, seed=0)  # warm-up (imports, caches)
            ratios, agents = [], []
            fast_s, slow_s = [], []
            for seed in range(pairs):
                start = time.perf_counter()
                run = simulate_tiers(params, seed=seed)
                fast = time.perf_counter() - start
                start = time.perf_counter()
                simulate_tiers_reference(params, seed=seed)
                slow = time.perf_counter() - start
                ratios.append(slow / fast)
                fast_s.append(fast)
                slow_s.append(slow)
                agents.append(run.summary["agents"])
            print(f"random mode, {pool:>9,} people, {note} (~{int(np.mean(agents)):,} agents): "
                  f"engine p50 {1000 * statistics.median(fast_s):.1f} ms, loop p50 "
                  f"{1000 * statistics.median(slow_s):.0f} ms; paired speed-up median "
                  f"{statistics.median(ratios):.0f}×, worst {min(ratios):.0f}× "
                  f"over {pairs} pairs (target ≥ 100×)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    repeats = 6 if args.quick else 30
    print(machine())
    bench_slider(repeats)
    bench_million(max(3, repeats // 6))
    if args.quick:
        bench_speedup((10_000, 100_000), pairs=3)
    else:
        bench_speedup((10_000, 100_000, 1_000_000), pairs=5)
    print(f"after: {machine()}")


if __name__ == "__main__":
    main()
