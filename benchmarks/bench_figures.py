"""First paint, repaint and bytes on the wire of the course's figures, in real Chromium.

Targets (issue 13), reported here and never asserted in tests:

- cell run → first paint of an app's first chart: median ≤ 1.5 s per app;
- repaint after one control change: p95 ≤ 150 ms per app;
- bytes over the kernel websocket for a whole chapter's Run All: ≤ 8 MB.

Everything runs against JupyterLab started exactly as the browser tests start it
(``tests/browser/lab_server.py``), paired in one run, on whatever load the
machine has (printed: ``timing.machine()``).

Per app (``dashboards/*.ipynb``, one app cell each):

- *cold*: the first run of the cell in a new kernel and a new page (imports and
  plotly.js's first fetch included);
- *warm*: the cell run again ``--repeat`` times; first paint = click on Run →
  the app's first chart holds a trace with data (plotly's ``gd._fullData``), at
  the next animation frame. Breakdown (medians): *kernel* = run → the cell's
  output message; *front end* = output → the chart's div exists; *plotly* = div →
  data painted; and the websocket messages/bytes of one run;
- *repaint*: key press on the app's first slider (or a change of its first
  dropdown) → the next animation frame after *every* chart that changes has
  started drawing its new state (``all``: the slowest chart's first DOM update);
  and *settled*, when the charts stop changing, which includes animations such
  as plotly's Sankey transition (500 ms, fixed in plotly.js).

  Breakdown of one repaint (medians, see :data:`BREAKDOWN`): the control's message to
  the kernel, the kernel (server hop + the app's Python), the spread of the figure
  messages, their drawing, the time in the figures' handlers, and the bytes; and of the
  cold first paint (kernel = imports + build, front = widget views + plotly.js fetch and
  parse). The summary says plainly which target is met for how many apps.

Per chapter: bytes and frames over the kernel websocket (both directions) from
Run All until every figure is drawn, and how many frames were over 1 MB.

``--paired`` runs every app twice in a row, once with plotly's own view code (the
course's front-end changes in ``widgets/apps/figure.py`` switched off in a second
browser context) and once as shipped: a before/after pair on the same load.

    python benchmarks/bench_figures.py                      # everything
    python benchmarks/bench_figures.py --apps tier_simulator --no-chapters
    python benchmarks/bench_figures.py --no-chapters --paired --repeat 2 --repaints 10
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))
sys.path.insert(0, str(REPO / "benchmarks"))

import lab_server  # noqa: E402
import notebook_page as nb  # noqa: E402
from timing import machine  # noqa: E402

FIRST_PAINT_TARGET_S = 1.5
REPAINT_P95_TARGET_MS = 150.0
CHAPTER_BYTES_TARGET = 8_000_000

PROBE_JS = """
(cellIndex) => {
  const panel = window.jupyterapp.shell.currentWidget;
  const cell = panel.content.widgets[cellIndex];
  const kernel = panel.sessionContext.session.kernel;
  const KEYS = ['x', 'y', 'z', 'r', 'values', 'labels'];
  const hasData = t => KEYS.some(k => t[k] && t[k].length > 0)
    || (t.type === 'sankey' && t.link && t.link.value && t.link.value.length > 0);
  const s = {t0: performance.now(), output: null, div: null, data: null};
  window.__firstPaint = s;
  const before = new Set(cell.node.querySelectorAll('.js-plotly-plot'));
  const onMsg = (_, msg) => {
    const type = msg.header.msg_type;
    if (s.output === null && (type === 'execute_result' || type === 'display_data'))
      s.output = performance.now();
  };
  kernel.iopubMessage.connect(onMsg);
  const tick = () => {
    const now = performance.now();
    const plots = Array.from(cell.node.querySelectorAll('.js-plotly-plot'))
      .filter(p => !before.has(p));
    if (plots.length && s.div === null) s.div = now;
    if (plots.length && (plots[0]._fullData || []).some(hasData)) s.data = now;
    if (s.data === null && now - s.t0 < 120000) requestAnimationFrame(tick);
    else kernel.iopubMessage.disconnect(onMsg);
  };
  requestAnimationFrame(tick);
  panel.content.activeCellIndex = cellIndex;
  window.jupyterapp.commands.execute('notebook:run-cell');
}
"""


REPAINT_PROBE_JS = """
(root) => {
  const state = {t0: null};
  window.__repaint = state;
  const stats = () => globalThis.__courseFigureStats || {ms: 0, calls: 0};
  const start = () => {
    Object.assign(state, {t0: performance.now(), first: new Map(), last: null, sent: null,
                          sentId: null, figFirst: null, figLast: null, figMsgs: 0, idle: null,
                          js0: stats().ms});
  };
  document.addEventListener('keydown', start, {capture: true});
  document.addEventListener('input', e => { if (e.target.tagName === 'SELECT') start(); },
                            {capture: true});
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  kernel.anyMessage.connect((_, {msg, direction}) => {
    if (state.t0 === null) return;
    const now = performance.now();
    const type = msg.header.msg_type;
    if (direction === 'send' && type === 'comm_msg' && state.sent === null) {
      state.sent = now; state.sentId = msg.header.msg_id;
    } else if (direction === 'recv' && type === 'comm_msg' && state.sent !== null) {
      const data = msg.content.data || {};
      const keys = Object.keys(data.state || {});
      if (keys.some(k => k.startsWith('_py2js_') || k.startsWith('_widget_'))) {
        if (state.figFirst === null) state.figFirst = now;
        state.figLast = now; state.figMsgs += 1;
      }
    } else if (direction === 'recv' && type === 'status' && msg.content.execution_state === 'idle'
               && msg.parent_header && msg.parent_header.msg_id === state.sentId) {
      state.idle = now;
    }
  });
  for (const plot of root.querySelectorAll('.js-plotly-plot')) {
    new MutationObserver(() => {
      if (state.t0 === null) return;
      requestAnimationFrame(() => {
        const now = performance.now();
        if (!state.first.has(plot)) state.first.set(plot, now);
        state.last = now;
      });
    }).observe(plot, {subtree: true, childList: true, attributes: true, characterData: true});
  }
}
"""

READ_REPAINT_JS = """
(quietMs) => {
  const s = window.__repaint;
  if (s.t0 === null || s.last === null || performance.now() - s.last < quietMs) return null;
  const all = Math.max(...s.first.values());
  const since = t => (t === null ? null : t - s.t0);
  return {all: all - s.t0, settled: s.last - s.t0, sent: since(s.sent),
          figFirst: since(s.figFirst), figLast: since(s.figLast), idle: since(s.idle),
          figMsgs: s.figMsgs, js: (globalThis.__courseFigureStats || {ms: 0}).ms - s.js0};
}
"""

#: Repaint breakdown (medians, ms from the key press): ``to kernel`` = the control's comm
#: message leaves the page; ``kernel`` = from there to the first figure message back (server
#: hop + the app's Python: model, figure edits, serialisation); ``spread`` = first → last
#: figure message; ``draw`` = last figure message → every changed chart has started drawing;
#: ``js`` = time in plotly's handlers of those edits; ``idle`` = the kernel is done.
BREAKDOWN = ("to kernel", "kernel", "spread", "draw", "js", "idle", "fig msgs", "kB")


def breakdown(result: dict[str, Any], wire_bytes: int) -> dict[str, float]:
    """One repaint's breakdown (see :data:`BREAKDOWN`), from READ_REPAINT_JS's result."""
    sent, first, last = (result[k] if result[k] is not None else float("nan")
                         for k in ("sent", "figFirst", "figLast"))
    return {"to kernel": sent, "kernel": first - sent, "spread": last - first,
            "draw": result["all"] - last, "js": result["js"],
            "idle": result["idle"] if result["idle"] is not None else float("nan"),
            "fig msgs": result["figMsgs"], "kB": wire_bytes / 1e3}


def repaints(page: Any, app: Any, repeat: int, wire: Wire | None = None
             ) -> tuple[str, list[float], list[float], list[dict[str, float]]]:
    """Move the first slider (or dropdown) ``repeat`` times:
    (kind, all-repainted ms, settled ms, breakdowns)."""
    controls = [c for c in nb.controls_of(app, limit=5) if c[0] in ("slider", "dropdown")]
    if not controls:
        return "none", [], [], []
    kind, control = controls[0]
    app.evaluate(REPAINT_PROBE_JS)
    painted, settled, parts = [], [], []
    for attempt in range(repeat + 1):  # the first change warms up and is not counted
        page.evaluate("() => { window.__repaint.t0 = null; }")
        bytes0 = wire.mark()[1] if wire else 0
        if kind == "slider":
            control.focus()
            now, low, top = (control.get_attribute(f"aria-value{end}")
                             for end in ("now", "min", "max"))
            left = now == top or (attempt % 2 == 1 and now != low)
            page.keyboard.press("ArrowLeft" if left else "ArrowRight")
        else:
            count = control.locator("option").count()
            control.select_option(index=(attempt + 1) % max(count, 1))
        result, deadline = None, time.monotonic() + 15
        while result is None and time.monotonic() < deadline:
            page.wait_for_timeout(50)
            result = page.evaluate(READ_REPAINT_JS, 250)
        if result is not None and attempt:
            painted.append(result["all"])
            settled.append(result["settled"])
            parts.append(breakdown(result, (wire.mark()[1] if wire else 0) - bytes0))
    return kind, painted, settled, parts


class Wire:
    """Frames and bytes over the page's websockets (both directions)."""

    def __init__(self) -> None:
        self.frames = 0
        self.bytes = 0
        self.big = 0

    def attach(self, page: Any) -> None:
        def on_socket(ws: Any) -> None:
            ws.on("framereceived", self._frame)
            ws.on("framesent", self._frame)
        page.on("websocket", on_socket)

    def _frame(self, payload: Any) -> None:
        size = len(payload.encode() if isinstance(payload, str) else payload)
        self.frames += 1
        self.bytes += size
        self.big += size > 1_000_000

    def mark(self) -> tuple[int, int, int]:
        return self.frames, self.bytes, self.big


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def app_code_cell(page: Any) -> int:
    return page.evaluate("""() => {
        const cells = window.jupyterapp.shell.currentWidget.content.widgets;
        for (let i = cells.length - 1; i >= 0; i--)
          if (cells[i].model.type === 'code') return i;
        return -1; }""")


def first_paint(page: Any, cell: int, wire: Wire) -> dict[str, float] | None:
    frames0, bytes0, _ = wire.mark()
    page.evaluate(PROBE_JS, cell)
    deadline = time.monotonic() + 120
    result = None
    while time.monotonic() < deadline:
        page.wait_for_timeout(50)
        result = page.evaluate("() => window.__firstPaint")
        if result and result["data"] is not None:
            break
    if not result or result["data"] is None:
        return None
    page.wait_for_function("() => { const k = window.jupyterapp.shell.currentWidget"
                           ".sessionContext.session.kernel; return k.status === 'idle'; }",
                           timeout=60_000)
    page.wait_for_timeout(300)
    frames1, bytes1, _ = wire.mark()
    t0, out, div, data = (result[k] for k in ("t0", "output", "div", "data"))
    out = out if out is not None else div
    return {"total": (data - t0) / 1000, "kernel": (out - t0) / 1000,
            "front end": (div - out) / 1000, "plotly": (data - div) / 1000,
            "frames": frames1 - frames0, "bytes": bytes1 - bytes0}


def bench_app(context: Any, server: Any, dashboard: Path, repeat: int,
              n_repaints: int) -> dict[str, Any]:
    page = context.new_page()
    wire = Wire()
    wire.attach(page)
    try:
        nb.open_notebook(page, server, f"dashboards/{dashboard.name}")
        cell = app_code_cell(page)
        cold = first_paint(page, cell, wire)
        warm = [r for r in (first_paint(page, cell, wire) for _ in range(repeat)) if r]
        apps = nb.app_outputs(page)
        kind, firsts, settled, parts = (repaints(page, apps[0], n_repaints, wire) if apps
                                        else ("none", [], [], []))
    finally:
        page.evaluate("async () => { const p = window.jupyterapp.shell.currentWidget;"
                      " if (p && p.sessionContext) await p.sessionContext.shutdown(); }")
        page.close()
    return {"cold": cold, "warm": warm, "kind": kind, "firsts": firsts, "settled": settled,
            "parts": parts}


PLAIN_FLAG = "__courseFigurePlain"  # read by widgets.apps.figure.LOADER_ESM


def app_row(name: str, r: dict[str, Any]) -> str:
    """One line of the per-app table: first paint (cold, warm) and repaint."""
    warm = r["warm"]
    if not warm:
        return f"{name:28} no first paint measured"
    totals = [w["total"] for w in warm]
    med = {k: statistics.median(w[k] for w in warm)
           for k in ("kernel", "front end", "plotly", "frames", "bytes")}
    cold = f"{r['cold']['total']:6.2f}" if r["cold"] else "   n/a"
    rep = (f"{r['kind']:>8} {pct(r['firsts'], .5):7.0f} {pct(r['firsts'], .95):5.0f} "
           f"{pct(r['settled'], .5):11.0f} {pct(r['settled'], .95):5.0f}"
           if r["settled"] else f"{'none':>8}")
    return (f"{name:28} {cold} {statistics.median(totals):9.2f} "
            f"{pct(totals, .95):6.2f} | {med['kernel']:7.2f} {med['front end']:6.2f} "
            f"{med['plotly']:6.2f} {med['frames']:5.0f} {med['bytes'] / 1e3:7.1f} | {rep}")


def print_breakdowns(results: list[tuple[str, str, dict[str, Any]]], paired: bool) -> None:
    """Where the time goes: the cold first paint, and one repaint (medians, see BREAKDOWN)."""
    print("\nCold first paint (s): kernel = run → output (imports + build), front = output → "
          "chart div (widget views, plotly.js fetch + parse), plotly = div → data painted")
    for stem, label, r in results:
        c = r["cold"]
        if c:
            name = stem + (f" [{label}]" if paired else "")
            print(f"  {name:28} total {c['total']:5.2f}  kernel {c['kernel']:5.2f}  "
                  f"front {c['front end']:5.2f}  plotly {c['plotly']:5.2f}")
    print("\nRepaint breakdown (median ms from the key press; kernel includes the server hop, "
          "draw = last figure message → all changed charts drawing, js = plotly's handlers)")
    print(f"  {'app':28} " + " ".join(f"{k:>9}" for k in BREAKDOWN))
    for stem, label, r in results:
        if r["parts"]:
            name = stem + (f" [{label}]" if paired else "")
            cells = []
            for key in BREAKDOWN:
                values = [p[key] for p in r["parts"] if p[key] == p[key]]  # drop NaN
                cells.append(f"{statistics.median(values):9.1f}" if values else f"{'n/a':>9}")
            print(f"  {name:28} " + " ".join(cells))


def print_summary(results: list[tuple[str, str, dict[str, Any]]]) -> None:
    """Plainly, per target: how many apps meet it (the course variant only)."""
    course = [(stem, r) for stem, label, r in results if label == "course"]
    checks = (
        (f"cold first paint ≤ {FIRST_PAINT_TARGET_S} s (first run in a new kernel)",
         lambda r: r["cold"]["total"] if r["cold"] else None, FIRST_PAINT_TARGET_S),
        (f"warm first paint median ≤ {FIRST_PAINT_TARGET_S} s",
         lambda r: statistics.median(w["total"] for w in r["warm"]) if r["warm"] else None,
         FIRST_PAINT_TARGET_S),
        (f"repaint p95 ≤ {REPAINT_P95_TARGET_MS:.0f} ms",
         lambda r: pct(r["firsts"], .95) if r["firsts"] else None, REPAINT_P95_TARGET_MS),
    )
    print(f"\nSummary (load now: {machine()})")
    for title, value, target in checks:
        values = {stem: value(r) for stem, r in course}
        over = [f"{stem} {v:.2f}" if v < 20 else f"{stem} {v:.0f}"
                for stem, v in values.items() if v is not None and v > target]
        missing = [stem for stem, v in values.items() if v is None]
        met = len(values) - len(over) - len(missing)
        verdict = "MET" if not over and not missing else "NOT MET"
        print(f"  {title}: {verdict} ({met}/{len(values)} apps within it)"
              + (f"; over: {', '.join(over)}" if over else "")
              + (f"; not measured: {', '.join(missing)}" if missing else ""))



def bench_chapter(context: Any, server: Any, chapter: Path) -> tuple[int, int, int, float]:
    page = context.new_page()
    wire = Wire()
    wire.attach(page)
    try:
        nb.open_notebook(page, server, f"chapters/{chapter.name}")
        frames0, bytes0, big0 = wire.mark()
        start = time.monotonic()
        nb.run_all(page, timeout_s=300)
        nb.wait_for_figures(page, timeout_s=60)
        seconds = time.monotonic() - start
        frames1, bytes1, big1 = wire.mark()
    finally:
        page.evaluate("async () => { const p = window.jupyterapp.shell.currentWidget;"
                      " if (p && p.sessionContext) await p.sessionContext.shutdown(); }")
        page.close()
    return frames1 - frames0, bytes1 - bytes0, big1 - big0, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", nargs="*", default=None, help="dashboard stems (default all)")
    parser.add_argument("--chapters", nargs="*", default=None, help="chapter stems (default all)")
    parser.add_argument("--no-apps", action="store_true")
    parser.add_argument("--no-chapters", action="store_true")
    parser.add_argument("--repeat", type=int, default=5, help="warm first paints per app")
    parser.add_argument("--repaints", type=int, default=12, help="control changes per app")
    parser.add_argument("--paired", action="store_true",
                        help="also run each app with plotly's own view code (no course "
                             "front-end speed-ups), alternating, for a before/after pair")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    dashboards = sorted((REPO / "dashboards").glob("*.ipynb"))
    if args.apps:
        dashboards = [d for d in dashboards if d.stem in args.apps]
    chapters = sorted((REPO / "chapters").glob("[0-9][0-9]_*.ipynb"))
    if args.chapters:
        chapters = [c for c in chapters if c.stem in args.chapters or c.stem[:2] in args.chapters]
    print(f"start: {machine()}", flush=True)
    network = lab_server.NetworkLog()
    with lab_server.course_servers(lab=True) as servers, sync_playwright() as playwright:
        browser = lab_server.launch_chromium(playwright)
        context = lab_server.new_context(browser, network)
        bundle_bodies: list[int] = []  # bytes each page's bundle request received over HTTP

        def on_finished(request: Any) -> None:
            if "plotly-widget.js" in request.url:
                bundle_bodies.append(request.sizes()["responseBodySize"])
        context.on("requestfinished", on_finished)
        if not args.no_apps:
            variants = [("course", context)]
            if args.paired:
                plain = lab_server.new_context(browser, network)
                plain.add_init_script(f"globalThis.{PLAIN_FLAG} = true;")
                plain.on("requestfinished", on_finished)
                variants = [("plain", plain), ("course", context)]
            results: list[tuple[str, str, dict[str, Any]]] = []
            print(f"\nFirst paint (s; target median ≤ {FIRST_PAINT_TARGET_S}) and repaint "
                  f"(ms; target p95 ≤ {REPAINT_P95_TARGET_MS:.0f}) per app")
            print(f"{'app':28} {'cold':>6} {'warm p50':>9} {'p95':>6} | {'kernel':>7} "
                  f"{'front':>6} {'plotly':>6} {'msgs':>5} {'kB':>7} | {'repaint':>8} "
                  f"{'all p50':>7} {'p95':>5} {'settled p50':>11} {'p95':>5}")
            for dashboard in dashboards:
                for label, ctx in variants:  # paired: the variants alternate per app
                    r = bench_app(ctx, servers["lab"], dashboard, args.repeat, args.repaints)
                    name = dashboard.stem + (f" [{label}]" if args.paired else "")
                    results.append((dashboard.stem, label, r))
                    print(app_row(name, r), flush=True)
            print(f"after apps: {machine()}", flush=True)
            print_breakdowns(results, args.paired)
            print_summary(results)
        if not args.no_chapters:
            print(f"\nRun All per chapter: bytes over the kernel websocket "
                  f"(target ≤ {CHAPTER_BYTES_TARGET / 1e6:.0f} MB)")
            print(f"{'chapter':28} {'MB':>7} {'frames':>7} {'>1 MB':>6} {'Run All s':>10}")
            for chapter in chapters:
                frames, size, big, seconds = bench_chapter(context, servers["lab"], chapter)
                ok = "OK" if size <= CHAPTER_BYTES_TARGET else "OVER"
                print(f"{chapter.stem:28} {size / 1e6:7.2f} {frames:7d} {big:6d} "
                      f"{seconds:10.1f}  {ok}", flush=True)
        browser.close()
        fetched = [size for size in bundle_bodies if size > 0]
        print(f"\nplotly.js (widget bundle) over HTTP: {len(bundle_bodies)} page loads, "
              f"{len(fetched)} fetched with a body ({sum(fetched) / 1e6:.2f} MB), "
              f"{len(bundle_bodies) - len(fetched)} from the browser cache")
    if network.outside:
        print(f"WARNING: requests outside 127.0.0.1: {network.outside[:5]}")
    print(f"end: {machine()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
