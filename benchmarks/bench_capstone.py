"""Timings of chapter 6's funnel and chapter 7's linked model, plan builder and export.

Targets (the course's interactivity budget, CONTRIBUTING.md): a control whose recompute
costs more than ~30 ms uses ``continuous_update=False``; the funnel's sliders are
continuous, so its app recompute should stay under 30 ms. The capstone's sliders are not
continuous: one recompute (linked model + redraw) should stay under 300 ms, the linked model
alone under 200 ms, and writing the self-contained HTML report under 2 s.

    python benchmarks/bench_capstone.py            # default repeats
    python benchmarks/bench_capstone.py --quick    # fewer repeats

The first FigureWidget of a process is slow (plotly's one-off start-up); it is timed
separately and excluded from the app numbers.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np


def _times(run: Callable[[], object], repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        out.append(time.perf_counter() - start)
    return out


def _row(name: str, seconds: list[float], target_s: float) -> str:
    p50 = statistics.median(seconds) * 1000
    p95 = float(np.percentile(seconds, 95)) * 1000
    verdict = "OK" if p95 <= target_s * 1000 else "SLOW"
    return (f"{name:<44} n={len(seconds):<3} p50 {p50:8.1f} ms  p95 {p95:8.1f} ms  "
            f"target ≤ {target_s * 1000:.0f} ms: {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    n = 5 if args.quick else 20

    import plotly.graph_objects as go

    start = time.perf_counter()
    go.FigureWidget()
    first_widget = time.perf_counter() - start

    from widgets import load_dataset
    from widgets.apps.atomisation_funnel import build_atomisation_funnel
    from widgets.apps.capstone import build_capstone
    from widgets.models.atomisation_funnel import FunnelParams, compare_sellers, simulate_funnel
    from widgets.models.linked_business import example_plans, simulate_business
    from widgets.report import export_plan, report_html

    plans = example_plans(load_dataset("products"))
    rows = [f"first FigureWidget in the process (plotly start-up, not ours): "
            f"{first_widget * 1000:.0f} ms"]
    rows.append(_row("funnel model, 24 months (expected values)",
                     _times(lambda: simulate_funnel(FunnelParams()), n * 5), 0.030))
    rows.append(_row("funnel model, 24 months (random draws)",
                     _times(lambda: simulate_funnel(FunnelParams(), seed=1,
                                                    deterministic=False), n * 5), 0.030))
    rows.append(_row("funnel 1.0 vs 2.0 comparison", _times(compare_sellers, n * 2), 0.030))
    funnel = build_atomisation_funnel()
    values = iter([0.5, 1.5] * 1000)
    rows.append(_row("funnel app: one slider move (recompute + redraw)",
                     _times(lambda: setattr(funnel.feedback_strength, "value", next(values)),
                            n * 2), 0.030))
    for key, plan in plans.items():
        rows.append(_row(f"linked model, 12 months: {key}",
                         _times(lambda plan=plan: simulate_business(plan), n), 0.200))
        rows.append(_row(f"linked model, random draws: {key}",
                         _times(lambda plan=plan: simulate_business(plan, seed=3,
                                                                    deterministic=False), n),
                         0.200))
    start = time.perf_counter()
    app = build_capstone("sound_2_0")
    built = time.perf_counter() - start
    rows.append(f"capstone app build (after plotly start-up): {built * 1000:.0f} ms")
    modes = iter(["1.0", "2.0"] * 1000)
    rows.append(_row("capstone app: switch channel (recompute + redraw)",
                     _times(lambda: setattr(app.mode, "value", next(modes)), n), 0.300))
    result = simulate_business(plans["failing_1_0"])
    rows.append(_row("report HTML (plotly.js inlined)",
                     _times(lambda: report_html(result), max(3, n // 4)), 2.0))
    with tempfile.TemporaryDirectory() as folder:
        counter = iter(range(10_000))
        rows.append(_row("export HTML report to disk (atomic)",
                         _times(lambda: export_plan(result, Path(folder) /
                                                    f"plan_{next(counter)}.html"),
                                max(3, n // 4)), 2.0))
        size = (Path(folder) / "plan_0.html").stat().st_size
    rows.append(f"HTML report size: {size / 1e6:.1f} MB (plotly.js inline, no network)")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
