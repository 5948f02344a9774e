"""Benchmark the tier simulator against the issue's targets (prints; never asserts).

1. One slider update of the app at the default size (10,000 reachable people, 52 weeks):
   target p95 ≤ 50 ms.
2. The model at 1,000,000 reachable people × 52 weeks (random mode, as the app runs it):
   target ≤ 1 s.
3. Speed-up of the vectorised model over the plain-Python reference at 10,000 people,
   both in deterministic mode, measured in the same run: target ≥ 100×.

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
    params = TierParams(pool=1_000_000)
    result = simulate_tiers(params)
    describe(f"model, 1,000,000 people × 52 weeks ({result.summary['agents']:,} agents "
             "join)", timings(lambda: simulate_tiers(params), repeats, warmup=0), "≤ 1 s")


def bench_speedup(repeats: int) -> None:
    params = TierParams()
    fast = timings(lambda: simulate_tiers(params, deterministic=True), repeats * 5)
    slow = timings(lambda: simulate_tiers_reference(params), repeats, warmup=0)
    describe("vectorised model, deterministic, 10,000 people", fast, "—")
    describe("plain-Python reference, 10,000 people", slow, "—")
    ratio = statistics.median(slow) / statistics.median(fast)
    best = min(slow) / min(fast)
    print(f"speed-up at 10,000 people: {ratio:.0f}× (medians), {best:.0f}× (best runs) "
          "(target ≥ 100×)")
    big = TierParams(pool=100_000)
    fast_big = timings(lambda: simulate_tiers(big, deterministic=True), 3)
    slow_big = timings(lambda: simulate_tiers_reference(big), 1, warmup=0)
    print(f"speed-up at 100,000 people: {min(slow_big) / min(fast_big):.0f}× (for scale)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    repeats = 6 if args.quick else 30
    print(machine())
    bench_slider(repeats)
    bench_million(max(3, repeats // 6))
    bench_speedup(max(3, repeats // 6))
    print(f"after: {machine()}")


if __name__ == "__main__":
    main()
