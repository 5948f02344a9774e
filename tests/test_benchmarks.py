"""The benchmarks share one timing helper (benchmarks/timing.py) and print the machine's load."""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCHES = sorted((ROOT / "benchmarks").glob("bench_*.py"))
# Other branches own these files' timing code for now; they only print the load through
# the helper. Drop a name from here once its own helper is gone. bench_class_load.py times
# websocket messages of many students at once (asyncio), and bench_figures.py reads its times
# from the browser (performance.now()); time_calls can do neither.
OWN_TIMING = {"bench_tier_simulator.py", "bench_class_load.py",
              "bench_figures.py"}


def _timing():
    spec = importlib.util.spec_from_file_location("bench_timing", ROOT / "benchmarks" / "timing.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # a dataclass needs its module registered
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("path", BENCHES, ids=[p.name for p in BENCHES])
def test_every_benchmark_uses_the_helper_and_prints_the_load(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and node.module == "timing"
                for alias in node.names}
    assert "machine" in imported, f"{path.name} should print timing.machine() (the load)"
    if path.name in OWN_TIMING:
        return
    text = path.read_text(encoding="utf-8")
    own = re.findall(r"percentile\(|perf_counter\(\) - start\)", text)
    functions = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)
                 and n.name in {"timed", "timings", "_time", "_times", "report", "describe",
                                "_report", "_row", "percentiles"}]
    assert not functions and not (own and "time_calls" in imported and len(own) > 1), \
        f"{path.name} keeps its own timing helpers {functions}: use benchmarks/timing.py"
    assert imported & {"time_calls", "load"}, f"{path.name} should time with the helper"


def test_the_helper_times_every_call_and_reports_the_load() -> None:
    timing = _timing()
    seen: list[int] = []
    timings = timing.time_calls(seen.append, repeats=5, warmup=2)
    assert seen == list(range(7)) and len(timings.wall_ms) == 5 == len(timings.cpu_ms)
    line = timing.report("noop", timings, target_ms=1e6)
    assert "n=5" in line and "ok" in line and re.search(r"\[load \d+\.\d\]", line)
    assert "OVER" in timing.report("noop", timings, target_ms=-1.0)
    assert "CPUs" in timing.machine()
