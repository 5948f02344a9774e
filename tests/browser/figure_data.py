"""Read what each plotly chart in a page actually holds: its traces and their data.

A ``.js-plotly-plot`` div is plotly.js's graph div: ``gd.data`` are the traces it
was given and ``gd._fullData`` the traces it drew. A chart "has data" when at
least one drawn trace has a non-empty data array (x, y, values, a Sankey's link
values …); bare axes — a figure whose first state never reached the browser —
have none. ``fingerprint`` changes when any trace's data changes.
"""

from __future__ import annotations

import time
from typing import Any

FIGURE_DATA_JS = """
(root) => {
  const KEYS = ['x', 'y', 'z', 'r', 'theta', 'values', 'labels', 'lat', 'lon', 'a', 'b', 'c',
                'open', 'close'];
  const len = v => (v && typeof v.length === 'number' && typeof v !== 'string') ? v.length : 0;
  const hasData = t => {
    if (!t || t.visible === false) return false;
    if (KEYS.some(k => len(t[k]) > 0)) return true;
    if (t.type === 'sankey') return len(t.link && t.link.value) > 0;
    if (t.type === 'table') return len(t.cells && t.cells.values) > 0;
    if (t.type === 'indicator') return t.value !== undefined && t.value !== null;
    return false;
  };
  const plain = v => (ArrayBuffer.isView(v) ? Array.from(v) : v);
  const hash = s => { let h = 2166136261; for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i); h = Math.imul(h, 16777619); } return (h >>> 0).toString(16); };
  const scope = root || document;
  return Array.from(scope.querySelectorAll('.js-plotly-plot')).map(gd => {
    const data = gd.data || [];
    const full = gd._fullData || [];
    const title = gd.layout && gd.layout.title ?
      (typeof gd.layout.title === 'string' ? gd.layout.title : gd.layout.title.text || '') : '';
    return {
      title: String(title).slice(0, 60),
      traces: data.length,
      drawn: full.length,
      withData: full.filter(hasData).length,
      fingerprint: hash(JSON.stringify(data, (k, v) => plain(v))),
    };
  });
}
"""


def figure_data(scope: Any) -> list[dict[str, Any]]:
    """One entry per chart in ``scope`` (a page or an element handle/locator)."""
    if hasattr(scope, "evaluate_handle") and hasattr(scope, "goto"):  # a Page
        return scope.evaluate(FIGURE_DATA_JS, None)
    return scope.evaluate(FIGURE_DATA_JS)


def empty_charts(charts: list[dict[str, Any]]) -> list[str]:
    """Descriptions of charts without any trace that has data."""
    return [f"chart {i} {c['title']!r}: {c['traces']} traces, {c['withData']} with data"
            for i, c in enumerate(charts) if c["withData"] == 0]


def wait_for_chart_data(scope: Any, timeout_s: float = 30) -> list[dict[str, Any]]:
    """Poll until there is a chart and every chart has data (or time runs out); return them."""
    deadline = time.monotonic() + timeout_s
    charts = figure_data(scope)
    while time.monotonic() < deadline:
        if charts and not empty_charts(charts):
            return charts
        time.sleep(0.25)
        charts = figure_data(scope)
    return charts


def wait_for_change(scope: Any, before: list[dict[str, Any]],
                    timeout_s: float = 10) -> list[dict[str, Any]]:
    """Poll until some chart's data fingerprint differs from ``before``; return the charts."""
    deadline = time.monotonic() + timeout_s
    charts = figure_data(scope)
    while time.monotonic() < deadline:
        if [c["fingerprint"] for c in charts] != [c["fingerprint"] for c in before]:
            return charts
        time.sleep(0.1)
        charts = figure_data(scope)
    return charts
