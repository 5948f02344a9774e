"""Drive a notebook in a real JupyterLab page: open, Run All, inspect, move controls.

Used by the browser tests and by ``benchmarks/bench_figures.py``. The
page must come from a server started by :mod:`lab_server` (JupyterLab is
started with ``expose_app_in_browser`` so ``window.jupyterapp`` is available).

Widget "apps" are found generically: a widget output that holds a plotly
figure (``.js-plotly-plot``) or a KPI card (``.ssl-kpi``) together with at
least one control (slider, dropdown or toggle buttons). Moving a control must
change the app's figure SVG or its KPI HTML.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

PLOT = ".js-plotly-plot"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
APP_SELECTOR = ".jp-OutputArea-output"  # overridden for Voila, where outputs differ

# A fingerprint of everything a control is expected to change in one app:
# the traces layer of each figure (the first svg.main-svg) and every KPI card.
SNAPSHOT_JS = """
(root) => {
  const parts = [];
  for (const plot of root.querySelectorAll('.js-plotly-plot')) {
    const svg = plot.querySelector('svg.main-svg');
    parts.push(svg ? svg.innerHTML : '<no-svg>');
  }
  for (const kpi of root.querySelectorAll('.ssl-kpi')) parts.push(kpi.innerHTML);
  return parts.join('\\u241e');
}
"""

CELL_REPORT_JS = """
() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const cells = panel.content.widgets;
  return cells.map((cell, index) => {
    if (cell.model.type !== 'code') return null;
    const outputs = cell.model.outputs.toJSON();
    const area = cell.node.querySelector('.jp-Cell-outputArea');
    const text = area ? area.innerText : '';
    const stderr = Array.from(cell.node.querySelectorAll(
      '[data-mime-type="application/vnd.jupyter.stderr"]')).map(n => n.innerText);
    return {
      index,
      source: cell.model.sharedModel.getSource().slice(0, 80),
      tags: cell.model.getMetadata('tags') || [],
      executionCount: cell.model.executionCount,
      errors: outputs.filter(o => o.output_type === 'error')
                     .map(o => `${o.ename}: ${o.evalue}`),
      traceback: /Traceback \\(most recent call last\\)/.test(text),
      widgetError: /Error displaying widget/.test(text),
      stderr: stderr.filter(t => /Error|Exception|Traceback/.test(t)).map(t => t.slice(0, 400)),
    };
  }).filter(c => c !== null);
}
"""

IDLE_JS = """
() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  if (!kernel || kernel.status !== 'idle') return false;
  return panel.content.widgets.every(
    c => c.model.type !== 'code' || c.model.executionState !== 'running');
}
"""

PROBE_JS = """
async (timeoutMs) => {
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  const future = kernel.requestExecute({code: '', silent: true, store_history: false});
  const done = future.done.then(() => true, () => true);
  const timeout = new Promise(resolve => setTimeout(() => resolve(false), timeoutMs));
  return await Promise.race([done, timeout]);
}
"""

# Expected figures per cell: walk each widget output's model tree through the
# notebook's widget manager and count plotly FigureWidget models (anywidget
# models carrying plotly's `_widget_data` trait); compare with the plots in the DOM.
FIGURE_REPORT_JS = """
async () => {
  const panel = window.jupyterapp.shell.currentWidget;
  const MIME = '__MIME__';
  let managerPromise = null;
  const findManager = (widget, depth) => {
    if (managerPromise || !widget || depth > 8) return;
    if (widget.mimeType === MIME && widget._manager && widget._manager.promise) {
      managerPromise = widget._manager.promise; return;
    }
    for (const child of (widget.widgets || [])) findManager(child, depth + 1);
  };
  for (const cell of panel.content.widgets) {
    if (cell.outputArea) findManager(cell.outputArea, 0);
  }
  const manager = managerPromise ? await managerPromise : null;
  const isModel = v => v && typeof v === 'object' && typeof v.get === 'function' && v.model_id;
  const countFigures = async (model, seen) => {
    if (!isModel(model) || seen.has(model.model_id)) return 0;
    seen.add(model.model_id);
    const name = model.get('_model_name') || '';
    if (name.endsWith('LayoutModel') || name.endsWith('StyleModel')) return 0;
    let n = ('_widget_data' in model.attributes && '_widget_layout' in model.attributes) ? 1 : 0;
    for (const value of Object.values(model.attributes)) {
      const items = Array.isArray(value) ? value : [value];
      for (const item of items) if (isModel(item)) n += await countFigures(item, seen);
    }
    return n;
  };
  const report = [];
  for (const [index, cell] of panel.content.widgets.entries()) {
    if (cell.model.type !== 'code') continue;
    let expected = 0;
    const outputs = cell.model.outputs.toJSON();
    for (const out of outputs) {
      const ref = out.data && out.data[MIME];
      if (!ref || !manager) continue;
      try {
        const model = await manager.get_model(ref.model_id);
        expected += await countFigures(model, new Set());
      } catch (e) { expected += 0; }
    }
    const plots = Array.from(cell.node.querySelectorAll('.js-plotly-plot'));
    const rendered = plots.filter(p => p.querySelector('svg.main-svg')).length;
    if (expected || plots.length) report.push({index, expected, rendered, plots: plots.length});
  }
  return report;
}
""".replace("__MIME__", WIDGET_MIME)


@dataclass
class ControlChange:
    """One control moved in one app, and whether (and how fast) the app repainted."""

    app: int
    control: str
    changed: bool
    seconds: float


@dataclass
class RunReport:
    """How long Run All took, and what each code cell shows (see ``CELL_REPORT_JS``)."""

    seconds: float
    cells: list[dict[str, Any]] = field(default_factory=list)


def wait_for_lab(page: Any, timeout_s: float = 90) -> None:
    """Wait until JupyterLab has started and shows a notebook whose kernel is ready."""
    page.wait_for_function(
        "() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
        " && window.jupyterapp.shell.currentWidget.sessionContext",
        timeout=timeout_s * 1000)
    page.evaluate("""async () => {
        const panel = window.jupyterapp.shell.currentWidget;
        await panel.context.ready;
        await panel.sessionContext.ready;
    }""")
    page.wait_for_function(
        "() => { const k = window.jupyterapp.shell.currentWidget.sessionContext.session;"
        " return k && k.kernel && k.kernel.status === 'idle'; }",
        timeout=timeout_s * 1000)


def open_notebook(page: Any, server: Any, path: str, timeout_s: float = 90) -> None:
    """Load JupyterLab on ``path`` (relative to the server root) in a clean workspace."""
    page.goto(server.page_url(f"/lab/tree/{path}") + "&reset", wait_until="domcontentloaded")
    wait_for_lab(page, timeout_s)


def run_all(page: Any, timeout_s: float = 180) -> RunReport:
    """Run All Cells through JupyterLab's own command; wait until the kernel is idle."""
    start = time.monotonic()
    # The command's promise settles early when a cell raises (even on purpose), and
    # JupyterLab then marks the queued cells idle although the kernel still runs them.
    # So completion is judged by a silent probe sent after every cell's request: the
    # kernel answers requests in order, so its reply means every cell has run (or was
    # aborted after an error). Then the page must show no running cell and an idle kernel.
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    page.wait_for_timeout(500)
    answered = page.evaluate(PROBE_JS, timeout_s * 1000)
    if not answered:
        raise TimeoutError(f"the notebook was still running after {timeout_s:.0f} s")
    deadline = start + timeout_s
    idle_since = None
    while time.monotonic() < deadline:
        if page.evaluate(IDLE_JS):
            idle_since = idle_since or time.monotonic()
            if time.monotonic() - idle_since > 0.75:
                break
        else:
            idle_since = None
        page.wait_for_timeout(100)
    else:
        raise TimeoutError(f"the notebook was still running after {timeout_s:.0f} s")
    return RunReport(seconds=time.monotonic() - start, cells=page.evaluate(CELL_REPORT_JS))


def cell_problems(cells: list[dict[str, Any]]) -> list[str]:
    """Human-readable problems: errors, tracebacks, broken widgets, cells that never ran."""
    problems = []
    for cell in cells:
        where = f"cell {cell['index']} ({cell['source']!r})"
        if cell["widgetError"]:
            problems.append(f"{where} shows 'Error displaying widget'")
        if "raises-exception" in cell["tags"]:
            continue  # an error on purpose, shown to teach validation
        if cell["executionCount"] is None:
            problems.append(f"{where} never ran (Run All stopped before it)")
        for error in cell["errors"]:
            problems.append(f"{where} raised {error}")
        if cell["traceback"] and not cell["errors"]:
            problems.append(f"{where} shows a traceback")
        for text in cell["stderr"]:
            if not cell["errors"]:
                problems.append(f"{where} printed an error to stderr: {text}")
    return problems


def wait_for_figures(page: Any, timeout_s: float = 30) -> list[dict[str, Any]]:
    """Poll until every FigureWidget model shown has a rendered plot (or time runs out)."""
    deadline = time.monotonic() + timeout_s
    report: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        report = page.evaluate(FIGURE_REPORT_JS)
        if all(r["rendered"] == r["expected"] for r in report):
            return report
        page.wait_for_timeout(250)
    return report


def news_prompt_visible(page: Any, prompt: str) -> bool:
    """True if JupyterLab shows the 'get notified about Jupyter news' question."""
    return page.get_by_text(prompt).count() > 0


def snapshot(element: Any) -> str:
    """The fingerprint of an app's figures and KPI cards."""
    return element.evaluate(SNAPSHOT_JS)


def app_outputs(page: Any, selector: str = APP_SELECTOR) -> list[Any]:
    """Widget outputs that are apps: a figure or KPI card plus at least one control."""
    apps = []
    outputs = page.locator(selector)
    for index in range(outputs.count()):
        output = outputs.nth(index)
        has_view = output.locator(f"{PLOT}, .ssl-kpi").count() > 0
        has_control = output.locator(
            ".noUi-handle, .widget-dropdown select, .widget-toggle-button").count() > 0
        if has_view and has_control:
            apps.append(output)
    return apps


def controls_of(app: Any, limit: int) -> list[tuple[str, Any]]:
    """Visible, enabled controls of an app: sliders first, then dropdowns, then toggles."""
    found: list[tuple[str, Any]] = []
    kinds = (("slider", ".widget-slider:not(.mod-disabled) .noUi-handle"),
             ("dropdown", ".widget-dropdown select:not([disabled])"),
             ("toggle", ".widget-toggle-buttons"))
    for kind, selector in kinds:
        items = app.locator(selector)
        for index in range(items.count()):
            item = items.nth(index)
            if item.is_visible():
                found.append((kind, item))
    # sliders first, then dropdowns, then toggles; a few are enough to prove the wiring
    return found[:limit]


def move_control(page: Any, kind: str, control: Any) -> str:
    """Change one control the way a user would; return a short description."""
    if kind == "slider":
        control.scroll_into_view_if_needed()
        control.focus()
        at_max = control.get_attribute("aria-valuenow") == control.get_attribute("aria-valuemax")
        key = "ArrowLeft" if at_max else "ArrowRight"
        page.keyboard.press(key)
        return f"slider {control.get_attribute('aria-valuenow')} ({key})"
    if kind == "dropdown":
        control.scroll_into_view_if_needed()
        options = control.locator("option")
        current = control.evaluate("s => s.selectedIndex")
        target = 1 if current != 1 and options.count() > 1 else 0
        control.select_option(index=target)
        return f"dropdown option {target}"
    buttons = control.locator(".widget-toggle-button:not(.mod-active):not([disabled])")
    buttons.first.scroll_into_view_if_needed()
    label = buttons.first.inner_text()
    buttons.first.click()
    return f"toggle {label!r}"


def exercise_app(page: Any, app: Any, app_index: int, *, tries: int = 3,
                 wait_s: float = 8.0) -> ControlChange:
    """Move up to ``tries`` controls until the app's figure or KPI changes."""
    last = ControlChange(app_index, "no control found", False, 0.0)
    for kind, control in controls_of(app, tries):
        before = snapshot(app)
        start = time.monotonic()
        description = move_control(page, kind, control)
        handle = app.element_handle()
        try:
            page.wait_for_function(f"([root, before]) => ({SNAPSHOT_JS})(root) !== before",
                                   arg=[handle, before], timeout=wait_s * 1000)
            return ControlChange(app_index, description, True, time.monotonic() - start)
        except Exception:  # Playwright's TimeoutError: try the next control
            last = ControlChange(app_index, description, False, time.monotonic() - start)
    return last
