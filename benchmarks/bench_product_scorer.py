"""Benchmark the product scorer: rank-stability timing and one slider update of the app.

Targets (issue "Product scorer"): rank stability with 10,000 weight samples × 30
products ≤ 50 ms; one slider update of the app p95 ≤ 20 ms. Run from the repo root:

    python benchmarks/bench_product_scorer.py [--repeats 50]

Prints p50/p95 against each target; it never fails on speed (the machine varies).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from widgets.apps.frequency_mix import build_frequency_mix
from widgets.apps.product_scorer import build_product_scorer
from widgets.models.product_scorer import CRITERIA, rank_stability


def percentiles(samples_ms: list[float]) -> tuple[float, float]:
    return float(np.percentile(samples_ms, 50)), float(np.percentile(samples_ms, 95))


def timed(action: Callable[[], object], repeats: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        action()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return times


def report(name: str, times: list[float], target_ms: float, which: str = "p95") -> None:
    p50, p95 = percentiles(times)
    value = p95 if which == "p95" else p50
    verdict = "OK" if value <= target_ms else "OVER TARGET"
    print(f"{name:<58} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   "
          f"target {which} ≤ {target_ms:g} ms: {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=50)
    args = parser.parse_args()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine load average (1, 5, 15 min): {load} on {os.cpu_count()} CPUs; "
          f"{args.repeats} timed repeats each")
    rng = np.random.default_rng(0)
    scores = pd.DataFrame(rng.integers(0, 6, size=(30, len(CRITERIA))).astype(float),
                          columns=list(CRITERIA), index=[f"product_{i}" for i in range(30)])
    for method in ("weighted_sum", "topsis"):
        report(f"rank_stability 10,000 samples × 30 products ({method})",
               timed(lambda m=method: rank_stability(scores, n_samples=10_000, method=m),
                     args.repeats), 50.0, which="p95")

    with tempfile.TemporaryDirectory() as folder:
        app = build_product_scorer(Path(folder) / "my_products.csv")
        values = iter(np.tile([0.5, 1.0, 2.0, 3.5, 5.0], args.repeats + 10))
        report("scorer app: move one weight slider",
               timed(lambda: setattr(app.weight_sliders["forms_circle"], "value",
                                     float(next(values))), args.repeats), 20.0)
        scores_iter = iter(np.tile([0.0, 1.5, 3.0, 4.5], args.repeats + 10))
        report("scorer app: move one score slider",
               timed(lambda: setattr(app.score_sliders["content_depth"], "value",
                                     float(next(scores_iter))), args.repeats), 20.0)
        app.method.value = "topsis"
        values = iter(np.tile([0.5, 1.0, 2.0, 3.5, 5.0], args.repeats + 10))
        report("scorer app: move one weight slider (TOPSIS)",
               timed(lambda: setattr(app.weight_sliders["persuasive"], "value",
                                     float(next(values))), args.repeats), 20.0)

    mix = build_frequency_mix()
    retention = iter(np.tile([0.5, 0.6, 0.7, 0.8, 0.9], args.repeats + 10))
    report("frequency-mix app: move the retention slider",
           timed(lambda: setattr(mix.idle_retention, "value", float(next(retention))),
                 args.repeats), 20.0)


if __name__ == "__main__":
    main()
