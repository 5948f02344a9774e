"""How many students one class hub holds: a ramp of simulated students on ``python -m deploy.hub``.

Starts the class hub on 127.0.0.1 (tests/hub_driver.py, as tests/test_hub.py does) and ramps
the class: 5, 10, 20, 40 students (``--steps``) while memory allows. At each step every
student, all at once within a seeded ``--stagger`` window, does what a student does in a
lesson on chapter 03:

1. logs in and starts a server (new students only; earlier ones keep theirs);
2. opens ``chapters/03_four_stages.ipynb`` and runs all its cells in a fresh kernel
   (the websocket JupyterLab uses);
3. moves the tier simulator's *restock push* slider ``--moves`` times, then opens the
   trust-decay visualiser (chapter 05's app) and moves its posting plan (*ads per day*)
   ``--moves`` times: each move is an ipywidgets ``comm_msg`` state update to the slider's
   model, as the browser sends it, timed until the kernel's update message for the app's
   first figure arrives (*latency*) and until the kernel is idle again (*settled*).

Per step it records p50/p95 latency, the hub's spawn time, memory per student (RSS and PSS
of the student's server + kernel, read from /proc while the kernel is alive), the CPU time
the lesson cost each student (server + kernel; it does not depend on how busy the machine
is, unlike the latencies, so it sizes cores on any machine), the bytes a
student's browser receives for the chapter (kernel websocket while running it + the
notebook from the contents API; plus, measured once in Chromium, JupyterLab's static files
for opening the chapter), failures, and the load average. It prints a table and stops the
hub and everything it started. Linux only (/proc); bounded by ``--max-minutes``.

    python benchmarks/bench_class_load.py                       # 5, 10, 20, 40
    python benchmarks/bench_class_load.py --steps 5,10 --moves 10
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from timing import machine  # noqa: E402

from tests.hub_driver import ClassHub, HubError, Student, memory_of  # noqa: E402

CHAPTER = "social-selling-lab/chapters/03_four_stages.ipynb"
TARGET_P95_MS = 300.0
SEED = 17
PASSWORD = "class-load-17"


@dataclass
class StudentRun:
    """What one student measured in one step."""

    name: str
    spawn_s: float | None = None
    run_all_s: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"restock": [],
                                                                        "trust": []})
    settled: list[float] = field(default_factory=list)
    ws_bytes: int = 0
    notebook_bytes: int = 0
    rss: float = 0.0
    pss: float = 0.0
    cpu_s: float = 0.0
    failure: str = ""


def _moves(current: float, low: float, high: float, step: float, count: int) -> list[float]:
    """``count`` slider values in [low, high] on the slider's step, each unlike the last."""
    values, value = [], current
    span = round((high - low) / step)
    for i in range(count):
        candidate = low + step * ((i * 7 + 3) % (span + 1))
        if abs(candidate - value) < step / 2:
            candidate = low + step * ((i * 7 + 4) % (span + 1))
        value = round(candidate, 6)
        values.append(value)
    return values


async def _app_ids(kernel, execution_count: int, control: str, figure: str) -> tuple[str, str,
                                                                                     float]:
    out = await kernel.text(f"_app = Out[{execution_count}]\n"
                            f"print(_app.{control}.model_id, _app.{figure}.model_id, "
                            f"_app.{control}.value)")
    model, fig, value = out.split()
    return model, fig, float(value)


async def _move(kernel, run: StudentRun, key: str, control: str, figure: str,
                execution_count: int, low: float, high: float, step: float,
                moves: int) -> None:
    model, fig, value = await _app_ids(kernel, execution_count, control, figure)
    for target in _moves(value, low, high, step, moves):
        latency, settled = await kernel.set_value(
            model, int(target) if step >= 1 else target, fig)
        run.latencies[key].append(latency)
        run.settled.append(settled)


async def student_lesson(student: Student, run: StudentRun, delay: float, moves: int) -> None:
    """One student's lesson (see the module docstring); failures are recorded, not raised."""
    await asyncio.sleep(delay)
    try:
        if not student.token:
            await asyncio.to_thread(student.login)
            run.spawn_s = await asyncio.to_thread(student.start_server)
        cpu_before = memory_of(student.name)["cpu_s"]
        notebook, run.notebook_bytes, kernel_id = await asyncio.to_thread(
            student.open_notebook, CHAPTER)
        async with student.kernel(kernel_id) as kernel:
            started = time.monotonic()
            replies = await kernel.run_notebook(notebook, timeout=600)
            run.run_all_s = time.monotonic() - started
            run.ws_bytes = kernel.bytes_received
            code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
            sandbox = [r["execution_count"] for r, c in zip(replies, code, strict=True)
                       if "build_tier_simulator(" in "".join(c["source"])][-1]
            await _move(kernel, run, "restock", "restock", "stock_fig", sandbox,
                        0, 100, 1, moves)
            trust = await kernel.execute("from widgets.apps.trust_decay import "
                                         "build_trust_decay\nbuild_trust_decay()")
            if trust["status"] != "ok":
                raise HubError(f"build_trust_decay failed: {trust['error']}")
            await _move(kernel, run, "trust", "ads", "trust_fig", trust["execution_count"],
                        0.0, 10.0, 0.1, moves)
            memory = memory_of(student.name)
            run.rss, run.pss = memory["rss"], memory["pss"]
            run.cpu_s = memory["cpu_s"] - cpu_before  # the lesson's CPU time, spawn excluded
        await asyncio.to_thread(student.api, "DELETE", f"/api/kernels/{kernel_id}")
    except Exception as error:  # a failed student is a result
        run.failure = f"{type(error).__name__}: {str(error)[:160]}"


async def _class(students: list[Student], runs: list[StudentRun], delays: list[float],
                 moves: int) -> None:
    await asyncio.gather(*(student_lesson(s, r, d, moves)
                           for s, r, d in zip(students, runs, delays, strict=True)))


def static_bytes(hub: ClassHub) -> tuple[int, int, str]:
    """Bytes on the wire and requests Chromium makes opening chapter 03 in JupyterLab (cold
    cache), with the decoded (uncompressed) size in the note."""
    sys.path.insert(0, str(REPO / "tests" / "browser"))
    try:
        import lab_server
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        return 0, 0, f"not measured ({error})"
    probe = Student(hub, "browser-probe", PASSWORD)
    probe.login()
    probe.start_server()
    total = count = 0
    with sync_playwright() as manager:
        browser = lab_server.launch_chromium(manager)
        page = browser.new_page()
        page.goto(f"{hub.url}/hub/login")
        page.fill("input[name=username]", probe.name)
        page.fill("input[name=password]", probe.password)
        page.click("input[type=submit], button[type=submit]")
        page.wait_for_url("**/user/browser-probe/**", timeout=120_000)
        sizes: list[int] = []
        decoded: list[int] = []

        def record(request) -> None:
            if request.url.startswith(hub.url):
                with_sizes = request.sizes()
                sizes.append(with_sizes["responseBodySize"] + with_sizes["responseHeadersSize"])
                response = request.response()
                if response is not None and response.status == 200:
                    try:
                        decoded.append(len(response.body()))
                    except Exception:  # a response still arriving when the page closes
                        decoded.append(0)

        page.on("requestfinished", record)
        page.goto(f"{probe.server_url}/lab/tree/{CHAPTER}", wait_until="domcontentloaded")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=180_000)
        page.wait_for_load_state("networkidle", timeout=180_000)
        page.remove_listener("requestfinished", record)
        total, count = sum(sizes), len(sizes)
        browser.close()
    probe.hub_api("DELETE", f"/users/{probe.name}/server")
    return total, count, f"Chromium, cold cache; {sum(decoded) / 2**20:.1f} MB uncompressed"


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _available_bytes() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) * 1024
    return 0


def summarise(size: int, runs: list[StudentRun], seconds: float) -> dict:
    ok = [r for r in runs if not r.failure]
    lat = [x * 1000 for r in ok for key in r.latencies for x in r.latencies[key]]
    spawns = [r.spawn_s for r in runs if r.spawn_s is not None]
    return {
        "students": size, "ok": len(ok), "failures": len(runs) - len(ok),
        "p50_ms": _pct(lat, 0.5), "p95_ms": _pct(lat, 0.95),
        "restock_p95_ms": _pct([x * 1000 for r in ok for x in r.latencies["restock"]], 0.95),
        "trust_p95_ms": _pct([x * 1000 for r in ok for x in r.latencies["trust"]], 0.95),
        "settled_p95_ms": _pct([x * 1000 for r in ok for x in r.settled], 0.95),
        "run_all_p50_s": _pct([r.run_all_s for r in ok], 0.5),
        "spawn_p50_s": _pct(spawns, 0.5), "spawn_max_s": max(spawns, default=float("nan")),
        "rss_mb": statistics.mean(r.rss for r in ok) / 2**20 if ok else float("nan"),
        "pss_mb": statistics.mean(r.pss for r in ok) / 2**20 if ok else float("nan"),
        "cpu_s": statistics.mean(r.cpu_s for r in ok) if ok else float("nan"),
        "ws_mb": statistics.mean(r.ws_bytes for r in ok) / 2**20 if ok else float("nan"),
        "nb_kb": statistics.mean(r.notebook_bytes for r in ok) / 1024 if ok else float("nan"),
        "load": os.getloadavg(), "seconds": seconds,
        "errors": sorted({r.failure for r in runs if r.failure})[:3],
    }


def print_table(rows: list[dict], static: tuple[int, int, str]) -> None:
    print()
    print(machine())
    print(f"Class load on {os.cpu_count()} cores, "
          f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GB, "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; target p95 ≤ "
          f"{TARGET_P95_MS:.0f} ms (control change → figure update message)")
    header = (f"{'students':>8} {'ok':>3} {'fail':>4} {'p50 ms':>7} {'p95 ms':>7} "
              f"{'restock95':>9} {'trust95':>8} {'settle95':>8} {'runall s':>8} "
              f"{'spawn50 s':>9} {'spawnmax':>8} {'RSS MB':>7} {'PSS MB':>7} {'CPU s':>6} "
              f"{'ws MB':>6} "
              f"{'load 1/5 min':>12} {'step s':>6}")
    print(header)
    print("-" * len(header))
    for r in rows:
        print(f"{r['students']:>8} {r['ok']:>3} {r['failures']:>4} {r['p50_ms']:>7.0f} "
              f"{r['p95_ms']:>7.0f} {r['restock_p95_ms']:>9.0f} {r['trust_p95_ms']:>8.0f} "
              f"{r['settled_p95_ms']:>8.0f} {r['run_all_p50_s']:>8.1f} {r['spawn_p50_s']:>9.1f} "
              f"{r['spawn_max_s']:>8.1f} {r['rss_mb']:>7.0f} {r['pss_mb']:>7.0f} "
              f"{r['cpu_s']:>6.1f} "
              f"{r['ws_mb']:>6.1f} {r['load'][0]:>5.1f}/{r['load'][1]:<6.1f} "
              f"{r['seconds']:>6.0f}")
        for error in r["errors"]:
            print(f"{'':>8} failure: {error}")
    total, count, how = static
    ws = rows[0]["ws_mb"] if rows else float("nan")
    nb = rows[0]["nb_kb"] if rows else float("nan")
    print(f"\nBytes a student's browser receives for chapter 03: kernel websocket {ws:.1f} MB "
          f"(Run All) + notebook {nb:.0f} KB + JupyterLab static {total / 2**20:.1f} MB in "
          f"{count} requests ({how}).")
    passing = [r["students"] for r in rows if r["failures"] == 0
               and r["p95_ms"] <= TARGET_P95_MS]
    cpu = statistics.mean(r["cpu_s"] for r in rows) if rows else float("nan")
    print(f"CPU time per student for the lesson (server + kernel, spawn excluded): {cpu:.1f} s "
          "— independent of how busy the machine was; cores for K students doing it within "
          "T minutes ≈ K × CPU s ÷ (60 × T).")
    print(f"Largest step with no failure and p95 ≤ {TARGET_P95_MS:.0f} ms: "
          f"{max(passing) if passing else 'none'} students.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", default="5,10,20,40",
                        help="class sizes to ramp through, comma-separated")
    parser.add_argument("--moves", type=int, default=20, help="moves per slider per student")
    parser.add_argument("--stagger", type=float, default=10.0,
                        help="students start within this many seconds (seeded)")
    parser.add_argument("--max-minutes", type=float, default=40.0,
                        help="no new step starts after this")
    parser.add_argument("--reserve-gb", type=float, default=3.0,
                        help="memory to leave free for the rest of the machine")
    parser.add_argument("--no-browser", action="store_true",
                        help="skip the one Chromium measurement of static bytes")
    args = parser.parse_args()
    steps = [int(s) for s in args.steps.split(",")]
    rng = random.Random(SEED)
    started = time.monotonic()
    rows: list[dict] = []
    static = (0, 0, "not measured (--no-browser)")
    with tempfile.TemporaryDirectory(prefix="class-load-") as tmp, \
            ClassHub(Path(tmp) / "state", idle_timeout=0) as hub:
        print(f"hub at {hub.url}; load average {os.getloadavg()[0]:.1f}", flush=True)
        if not args.no_browser:
            try:
                static = static_bytes(hub)
            except Exception as error:  # reported in the table
                static = (0, 0, f"not measured ({type(error).__name__}: {str(error)[:80]})")
        students: list[Student] = []
        per_student = 0.0
        for size in steps:
            if (time.monotonic() - started) / 60 > args.max_minutes:
                print(f"stopping before {size} students: over {args.max_minutes} min")
                break
            new = size - len(students)
            needed = per_student * new + args.reserve_gb * 2**30
            if per_student and _available_bytes() < needed:
                print(f"stopping before {size} students: {new} more need about "
                      f"{per_student * new / 2**30:.1f} GB, "
                      f"{_available_bytes() / 2**30:.1f} GB available")
                break
            students += [Student(hub, f"student{i:03d}", PASSWORD)
                         for i in range(len(students), size)]
            runs = [StudentRun(s.name) for s in students]
            step_started = time.monotonic()
            print(f"step: {size} students …", flush=True)

            delays = [rng.uniform(0, args.stagger) for _ in students]
            asyncio.run(_class(students, runs, delays, args.moves))
            rows.append(summarise(size, runs, time.monotonic() - step_started))
            last = rows[-1]
            print(f"  ok {last['ok']}/{size}, p95 {last['p95_ms']:.0f} ms, "
                  f"RSS {last['rss_mb']:.0f} MB/student, {last['seconds']:.0f} s", flush=True)
            if last["ok"]:
                per_student = max(per_student, last["rss_mb"] * 2**20)
            if last["failures"] == size:
                print("every student failed: stopping the ramp")
                break
    print_table(rows, static)
    return 0


if __name__ == "__main__":
    sys.exit(main())
