"""How long each chapter takes to execute headlessly (nbclient), and the whole course.

Target (issue "Real-browser tests…"): the whole course runs in ≤ 60 s on 2 cores.
Each chapter runs in a temporary copy of ``chapters/`` (files a notebook writes
stay out of the repository), in a fresh kernel, as Run All would run it.
Kernel start-up is timed separately from the cells. The slowest cells are listed
so the cost can be traced to one call.

    python benchmarks/bench_chapters.py                 # every chapter once
    python benchmarks/bench_chapters.py --repeat 3      # median of 3 runs per chapter
    python benchmarks/bench_chapters.py 02 05           # only chapters starting 02 / 05
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from timing import load, machine

from widgets.data.chapters import chapter_files

REPO = Path(__file__).resolve().parents[1]
TARGET_TOTAL_S = 60.0


def _seconds(cell: nbformat.NotebookNode) -> float:
    timing = cell.metadata.get("execution", {})
    try:
        start = datetime.fromisoformat(timing["iopub.execute_input"].replace("Z", "+00:00"))
        end = datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
    except (KeyError, ValueError):
        return 0.0
    return (end - start).total_seconds()


def run_chapter(path: Path) -> tuple[float, float, list[tuple[float, int, str]]]:
    """Execute one notebook; return (total s, kernel start-up s, [(s, cell index, source)])."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}},
                            record_timing=True)
    start = time.perf_counter()
    with client.setup_kernel():
        started = time.perf_counter()
        for index, cell in enumerate(notebook.cells):
            client.execute_cell(cell, index)
    total = time.perf_counter() - start
    cells = [(_seconds(c), i, c.source.splitlines()[0][:60] if c.source else "")
             for i, c in enumerate(notebook.cells) if c.cell_type == "code"]
    return total, started - start, sorted(cells, reverse=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prefixes", nargs="*", help="only chapters whose name starts so")
    parser.add_argument("--repeat", type=int, default=1, help="runs per chapter (median shown)")
    args = parser.parse_args(argv)
    chapters = [REPO / "chapters" / file for file in chapter_files()]
    if args.prefixes:
        chapters = [c for c in chapters if c.name.startswith(tuple(args.prefixes))]
    if not chapters:
        print("no chapters found", file=sys.stderr)
        return 1
    work = Path(tempfile.mkdtemp(prefix="ssl-bench-chapters-"))
    try:
        shutil.copytree(REPO / "chapters", work / "chapters",
                        ignore=shutil.ignore_patterns("my_*", ".ipynb_checkpoints"))
        print(machine())
        print(f"{'chapter':28} {'median s':>9} {'kernel s':>9} {'cells s':>8} {'load':>5}  "
              "slowest cells")
        total = 0.0
        for chapter in chapters:
            runs = [run_chapter(work / "chapters" / chapter.name) for _ in range(args.repeat)]
            seconds = statistics.median(r[0] for r in runs)
            kernel = statistics.median(r[1] for r in runs)
            slowest = ", ".join(f"#{i} {s:.1f}s {src!r}" for s, i, src in runs[-1][2][:3])
            print(f"{chapter.stem:28} {seconds:9.1f} {kernel:9.1f} {seconds - kernel:8.1f} "
                  f"{load():5.1f}  {slowest}")
            total += seconds
        verdict = "OK" if total <= TARGET_TOTAL_S else "OVER TARGET"
        print(f"{'total (' + str(len(chapters)) + ' chapters)':28} {total:9.1f}   target ≤ "
              f"{TARGET_TOTAL_S:.0f} s on 2 cores: {verdict}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
