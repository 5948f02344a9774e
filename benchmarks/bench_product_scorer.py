"""Benchmark the product scorer: rank-stability timing and one slider update of the app.

Targets (issue "Product scorer"): rank stability with 10,000 weight samples × 30
products ≤ 50 ms; one slider update of the app p95 ≤ 20 ms. Run from the repo root:

    python benchmarks/bench_product_scorer.py [--repeats 50]

Prints p50/p95 against each target; it never fails on speed (the machine varies).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from timing import machine, report, time_calls

from widgets.apps.frequency_mix import build_frequency_mix
from widgets.apps.product_scorer import build_product_scorer
from widgets.models.product_scorer import CRITERIA, rank_stability


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=50)
    args = parser.parse_args()
    print(f"{machine()}; {args.repeats} timed repeats each")
    rng = np.random.default_rng(0)
    scores = pd.DataFrame(rng.integers(0, 6, size=(30, len(CRITERIA))).astype(float),
                          columns=list(CRITERIA), index=[f"product_{i}" for i in range(30)])
    for method in ("weighted_sum", "topsis"):
        report(f"rank_stability 10,000 samples × 30 products ({method})",
               time_calls(lambda _, m=method: rank_stability(scores, n_samples=10_000, method=m),
                     args.repeats, warmup=3), 50.0, which="p95")

    with tempfile.TemporaryDirectory() as folder:
        app = build_product_scorer(Path(folder) / "my_products.csv")
        values = iter(np.tile([0.5, 1.0, 2.0, 3.5, 5.0], args.repeats + 10))
        report("scorer app: move one weight slider",
               time_calls(lambda _: setattr(app.weight_sliders["forms_circle"], "value",
                                     float(next(values))), args.repeats, warmup=3), 20.0)
        scores_iter = iter(np.tile([0.0, 1.5, 3.0, 4.5], args.repeats + 10))
        report("scorer app: move one score slider",
               time_calls(lambda _: setattr(app.score_sliders["content_depth"], "value",
                                     float(next(scores_iter))), args.repeats, warmup=3), 20.0)
        app.method.value = "topsis"
        values = iter(np.tile([0.5, 1.0, 2.0, 3.5, 5.0], args.repeats + 10))
        report("scorer app: move one weight slider (TOPSIS)",
               time_calls(lambda _: setattr(app.weight_sliders["persuasive"], "value",
                                     float(next(values))), args.repeats, warmup=3), 20.0)

    mix = build_frequency_mix()
    retention = iter(np.tile([0.5, 0.6, 0.7, 0.8, 0.9], args.repeats + 10))
    report("frequency-mix app: move the retention slider",
           time_calls(lambda _: setattr(mix.idle_retention, "value", float(next(retention))),
                 args.repeats, warmup=3), 20.0)


if __name__ == "__main__":
    main()
