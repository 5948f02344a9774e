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
import tempfile
import time
from pathlib import Path

from timing import machine, report, time_calls


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
    print(machine())
    print(f"first FigureWidget in the process (plotly start-up, not ours): "
          f"{first_widget * 1000:.0f} ms")
    report("funnel model, 24 months (expected values)",
           time_calls(lambda _: simulate_funnel(FunnelParams()), n * 5, warmup=0), 30)
    report("funnel model, 24 months (random draws)",
           time_calls(lambda _: simulate_funnel(FunnelParams(), seed=1, deterministic=False),
                      n * 5, warmup=0), 30)
    report("funnel 1.0 vs 2.0 comparison",
           time_calls(lambda _: compare_sellers(), n * 2, warmup=0), 30)
    funnel = build_atomisation_funnel()
    values = iter([0.5, 1.5] * 1000)
    report("funnel app: one slider move (recompute + redraw)",
           time_calls(lambda _: setattr(funnel.feedback_strength, "value", next(values)),
                      n * 2, warmup=0), 30)
    for key, plan in plans.items():
        report(f"linked model, 12 months: {key}",
               time_calls(lambda _, plan=plan: simulate_business(plan), n, warmup=0), 200)
        report(f"linked model, random draws: {key}",
               time_calls(lambda _, plan=plan: simulate_business(plan, seed=3,
                                                                  deterministic=False),
                          n, warmup=0), 200)
    start = time.perf_counter()
    app = build_capstone("sound_2_0")
    built = time.perf_counter() - start
    print(f"capstone app build (after plotly start-up): {built * 1000:.0f} ms")
    modes = iter(["1.0", "2.0"] * 1000)
    report("capstone app: switch channel (recompute + redraw)",
           time_calls(lambda _: setattr(app.mode, "value", next(modes)), n, warmup=0), 300)
    result = simulate_business(plans["failing_1_0"])
    report("report HTML (plotly.js inlined)",
           time_calls(lambda _: report_html(result), max(3, n // 4), warmup=0), 2000)
    with tempfile.TemporaryDirectory() as folder:
        counter = iter(range(10_000))
        report("export HTML report to disk (atomic)",
               time_calls(lambda _: export_plan(result,
                                                Path(folder) / f"plan_{next(counter)}.html"),
                          max(3, n // 4), warmup=0), 2000)
        size = (Path(folder) / "plan_0.html").stat().st_size
    print(f"HTML report size: {size / 1e6:.1f} MB (plotly.js inline, no network)")

if __name__ == "__main__":
    main()
