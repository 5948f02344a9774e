"""The benchmarks' one timing helper: time a call, summarise it, print it with the load.

Every ``bench_*.py`` imports it (they run as ``python benchmarks/bench_x.py``, so this folder
is on ``sys.path``). A line gives n, p50, p95 and max wall-clock ms, the CPU p50, the verdict
against the target and the one-minute load, ``[load 1.2]``; ``machine()`` gives the load
averages and the CPU count once at the start. On a shared machine the figures move with the
load, so they are never read without it. Speed targets are reported, never asserted.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["Timings", "load", "machine", "report", "time_calls"]


@dataclass(frozen=True)
class Timings:
    """Milliseconds per call: wall clock, and CPU time (less hurt by a busy machine)."""

    wall_ms: list[float]
    cpu_ms: list[float]

    @property
    def p50(self) -> float:
        return statistics.median(self.wall_ms)

    @property
    def p95(self) -> float:
        return float(np.percentile(self.wall_ms, 95))

    @property
    def cpu_p50(self) -> float:
        return statistics.median(self.cpu_ms)


def load() -> float:
    """The one-minute load average."""
    return os.getloadavg()[0]


def machine() -> str:
    """One line: the load average (1, 5, 15 min) and the CPU count."""
    averages = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"machine load average (1, 5, 15 min): {averages} on {os.cpu_count()} CPUs"


def time_calls(action: Callable[[int], object], repeats: int, warmup: int = 1) -> Timings:
    """Call ``action(i)`` ``warmup`` times untimed, then ``repeats`` times timed
    (``i`` counts the calls, so an action can vary its input)."""
    for i in range(warmup):
        action(i)
    wall, cpu = [], []
    for i in range(warmup, warmup + repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        action(i)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return Timings(wall, cpu)


def report(name: str, timings: Timings, target_ms: float | None = None, which: str = "p95",
           width: int = 48) -> str:
    """Print and return one line: p50, p95 and max, CPU p50, the verdict and the load."""
    verdict = ""
    if target_ms is not None:
        value = timings.p95 if which == "p95" else timings.p50
        verdict = f"  target {which} ≤ {target_ms:g} ms: {'ok' if value <= target_ms else 'OVER'}"
    line = (f"{name:<{width}} n={len(timings.wall_ms):<3} p50 {timings.p50:8.2f} ms  "
            f"p95 {timings.p95:8.2f} ms  max {max(timings.wall_ms):8.2f} ms  "
            f"cpu p50 {timings.cpu_p50:8.2f} ms{verdict}  [load {load():.1f}]")
    print(line, flush=True)
    return line
