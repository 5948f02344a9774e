#!/usr/bin/env python3
"""Time the trust-decay model and app (chapter 5).

Targets (issue): one model update at the default size (500 friends × 365 days)
p95 ≤ 20 ms; 10,000 friends × 3 years ≤ 150 ms. Also reports one app update (two
model runs — your plan and the preset — plus the redraw), which is why the app's
sliders use ``continuous_update=False``. Prints p50/p95; never asserts.

    python benchmarks/bench_trust_decay.py [--repeats 60]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np

from widgets.apps.trust_decay import build_trust_decay
from widgets.models.trust_decay import PRESETS, TrustParams, simulate_trust


def _time(action: Callable[[int], object], repeats: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds per call (CPU time is less hurt by a busy machine)."""
    action(0)  # warm-up
    wall, cpu = [], []
    for i in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        action(i + 1)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def _report(name: str, samples: tuple[list[float], list[float]], target_ms: float | None) -> None:
    wall, cpu = samples
    p50, p95 = statistics.median(wall), float(np.percentile(wall, 95))
    cpu50, cpu95 = statistics.median(cpu), float(np.percentile(cpu, 95))
    verdict = "" if target_ms is None else (
        f"   target p95 {target_ms:.0f} ms: {'ok' if p95 <= target_ms else 'OVER TARGET'}")
    print(f"{name:<42} wall p50 {p50:7.2f} p95 {p95:7.2f} ms | cpu p50 {cpu50:7.2f} "
          f"p95 {cpu95:7.2f} ms{verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=60)
    repeats = parser.parse_args().repeats
    plans = [TrustParams(ads_per_day=a) for a in (0.0, 0.5, 1.0, 2.0, 5.0)]
    plans += list(PRESETS.values())

    def default_size(i: int) -> object:
        return simulate_trust(plans[i % len(plans)], seed=i)

    _report("model: 500 friends × 365 days", _time(default_size, repeats), 20.0)

    big = [p.with_changes(n_friends=10_000, days=3 * 365) for p in plans]

    def large(i: int) -> object:
        return simulate_trust(big[i % len(big)], seed=i)

    _report("model: 10,000 friends × 1,095 days", _time(large, max(10, repeats // 3)), 150.0)

    app = build_trust_decay()
    values = [0.5, 1.0, 2.0, 3.0, 5.0]

    def app_update(i: int) -> object:
        app.ads.value = values[i % len(values)]
        return app.result

    _report("app: ads slider moved (2 runs + redraw)", _time(app_update, repeats), None)


if __name__ == "__main__":
    main()
