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

from timing import machine, report, time_calls

from widgets.apps.trust_decay import build_trust_decay
from widgets.models.trust_decay import PRESETS, TrustParams, simulate_trust


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=60)
    repeats = parser.parse_args().repeats
    print(machine())
    plans = [TrustParams(ads_per_day=a) for a in (0.0, 0.5, 1.0, 2.0, 5.0)]
    plans += list(PRESETS.values())

    def default_size(i: int) -> object:
        return simulate_trust(plans[i % len(plans)], seed=i)

    report("model: 500 friends × 365 days", time_calls(default_size, repeats), 20.0)

    big = [p.with_changes(n_friends=10_000, days=3 * 365) for p in plans]

    def large(i: int) -> object:
        return simulate_trust(big[i % len(big)], seed=i)

    report("model: 10,000 friends × 1,095 days", time_calls(large, max(10, repeats // 3)), 150.0)

    app = build_trust_decay()
    values = [0.5, 1.0, 2.0, 3.0, 5.0]

    def app_update(i: int) -> object:
        app.ads.value = values[i % len(values)]
        return app.result

    report("app: ads slider moved (2 runs + redraw)", time_calls(app_update, repeats), None)


if __name__ == "__main__":
    main()
