#!/usr/bin/env python3
"""Time the chapter 1 and 4 apps' updates (one slider move → recompute + redraw).

Target (CONTRIBUTING.md): an update under ~30 ms keeps ``continuous_update=True``
usable; above it a control should use ``continuous_update=False``. Prints p50/p95
per app; never asserts (speed is reported, not tested).

    python benchmarks/bench_ch01_ch04.py [--repeats 60]
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

import numpy as np
from timing import machine, report, time_calls

from widgets.apps.ab_test import build_ab_test
from widgets.apps.retention import build_retention
from widgets.apps.tie_strength import build_tie_strength
from widgets.apps.word_of_mouth import build_word_of_mouth
from widgets.models import bass_diffusion, repeat_purchase

TARGET_MS = 30.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=60)
    repeats = parser.parse_args().repeats

    wom = build_word_of_mouth()
    tie = build_tie_strength()
    ret = build_retention()
    abt = build_ab_test()
    cases: dict[str, Callable[[int], object]] = {
        "word_of_mouth: move q (口碑)": lambda i: setattr(wom.q_wom, "value",
                                                         0.3 + 0.01 * (i % 20)),
        "word_of_mouth: 80 periods shown": lambda i: setattr(wom.periods, "value",
                                                             80 if i % 2 else 75),
        "tie_strength: move hours": lambda i: setattr(tie.hours, "value", float(i % 40)),
        "tie_strength: move cut-off": lambda i: setattr(tie.threshold, "value",
                                                        0.3 + 0.05 * (i % 8)),
        "retention: move retention": lambda i: setattr(ret.retention, "value",
                                                       0.5 + 0.01 * (i % 30)),
        "retention: 60-month horizon": lambda i: setattr(ret.horizon, "value",
                                                         60 if i % 2 else 59),
        "ab_test: move recipients": lambda i: setattr(abt.recipients, "value",
                                                      50 * (1 + i % 12)),
        "ab_test: switch outcome": lambda i: setattr(abt.outcome, "value",
                                                     "ordered" if i % 2 else "replied"),
        "model only: Bass adoption_table (80 periods)": lambda i: bass_diffusion.adoption_table(
            0.01, 0.3 + 0.001 * i, periods=80),
        "model only: base_value grid (96 x 60)": lambda i: repeat_purchase.base_value(
            100, np.linspace(0, 0.95, 96), margin=30.0, horizon=60),
    }
    print(machine())
    print(f"{repeats} repeats each; one update = recompute + FigureWidget batch_update")
    for name, action in cases.items():
        report(name, time_calls(action, repeats), TARGET_MS)


if __name__ == "__main__":
    main()
