"""Every chart of every dashboard holds data in the browser, in JupyterLab and in Voila.

A chart whose first state never reached the browser (plotly/plotly.py#4998)
still renders its axes, so counting ``.js-plotly-plot`` nodes or SVGs proves
nothing. These tests read plotly.js's own graph divs (``gd.data`` and
``gd._fullData``, see ``figure_data.py``):

- after first paint every chart has at least one drawn trace with data;
- after a control change the data of some chart changed, and every chart
  still has data;
- under a JupyterHub-style prefix (``/user/student/``), in JupyterLab and in
  Voila served by the same Jupyter server, the bundle URL carries the prefix
  and the charts have data;
- in Voila, plotly's widget bundle came from the local server with a long
  ``Cache-Control`` (cached by the browser), and no websocket frame carried
  anything near its size (the course's figure ships a 4 kB module, plotly's own
  FigureWidget 5 MB per figure).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import figure_data as fd
import lab_server
import notebook_page as nb
import pytest

pytestmark = pytest.mark.browser

DASHBOARDS = sorted((lab_server.REPO / "dashboards").glob("*.ipynb"))
TIMEOUT_S = 180
BUNDLE = "voila/templates/social_selling/static/plotly-widget.js"
BIG_FRAME = 1_000_000  # plotly.js is ~5 MB; a figure's data is far smaller


def check_charts(where: str, scope: Any, page: Any, app: Any) -> None:
    charts = fd.wait_for_chart_data(scope, timeout_s=60)
    assert charts, f"{where}: no chart found"
    empty = fd.empty_charts(charts)
    assert not empty, f"{where}: charts without data after first paint:\n" + "\n".join(empty)

    moved = []
    for kind, control in nb.controls_of(app, 3):
        moved.append(nb.move_control(page, kind, control))
        after = fd.wait_for_change(scope, charts, timeout_s=10)
        if [c["fingerprint"] for c in after] != [c["fingerprint"] for c in charts]:
            break
    else:
        pytest.fail(f"{where}: no chart's data changed after {moved}")
    after = fd.wait_for_chart_data(scope, timeout_s=10)
    empty = fd.empty_charts(after)
    assert not empty, f"{where}: charts without data after {moved[-1]}:\n" + "\n".join(empty)


def screenshot_charts(page: Any, path: Path) -> None:
    """A screenshot of the app's last chart (scrolled into view), the one furthest down."""
    charts = page.locator(".js-plotly-plot")
    if charts.count():
        last = charts.nth(charts.count() - 1)
        last.scroll_into_view_if_needed()
        last.screenshot(path=str(path))


@pytest.mark.timeout(TIMEOUT_S + 60)
@pytest.mark.parametrize("dashboard", DASHBOARDS, ids=[p.stem for p in DASHBOARDS])
def test_every_chart_has_data_in_voila(dashboard: Path, voila: lab_server.Server, page: Any,
                                       network: lab_server.NetworkLog,
                                       screenshots: Path) -> None:
    frames: list[int] = []
    page.on("websocket", lambda ws: ws.on(
        "framereceived", lambda payload: frames.append(len(payload))))
    page.goto(voila.page_url(f"/voila/render/{dashboard.name}"), wait_until="domcontentloaded",
              timeout=TIMEOUT_S * 1000)
    try:
        page.wait_for_selector(".js-plotly-plot", timeout=TIMEOUT_S * 1000)
        apps = nb.app_outputs(page, ".jp-OutputArea-output")
        assert apps, f"{dashboard.name}: no app in the Voila page"
        check_charts(f"Voila {dashboard.name}", page, page, apps[0])
        bundle = [url for url in network.requests if BUNDLE in url]
        assert bundle, "plotly's widget bundle was never requested from the local server"
        head = page.request.head(bundle[-1])
        assert head.ok, f"{bundle[-1]}: HTTP {head.status}"
        assert "max-age" in head.headers.get("cache-control", ""), \
            f"plotly's bundle is served without a cache lifetime: {head.headers}"
        big = [size for size in frames if size > BIG_FRAME]
        assert not big, f"{dashboard.name}: websocket frames over 1 MB: {big}"
    finally:
        page.screenshot(path=str(screenshots / f"figure_data_voila_{dashboard.stem}.png"),
                        full_page=True)
        screenshot_charts(page, screenshots / f"figure_data_voila_{dashboard.stem}_chart.png")


@pytest.mark.timeout(TIMEOUT_S + 60)
@pytest.mark.parametrize("dashboard", DASHBOARDS, ids=[p.stem for p in DASHBOARDS])
def test_every_chart_has_data_in_jupyterlab(dashboard: Path, lab: lab_server.Server,
                                            page: Any, screenshots: Path) -> None:
    nb.open_notebook(page, lab, f"dashboards/{dashboard.name}")
    try:
        report = nb.run_all(page, timeout_s=TIMEOUT_S)
        problems = nb.cell_problems(report.cells)
        assert not problems, f"{dashboard.name} after Run All:\n" + "\n".join(problems)
        apps = nb.app_outputs(page)
        assert apps, f"{dashboard.name}: no app in JupyterLab"
        check_charts(f"JupyterLab {dashboard.name}", page, page, apps[0])
    finally:
        page.screenshot(path=str(screenshots / f"figure_data_lab_{dashboard.stem}.png"))
        screenshot_charts(page, screenshots / f"figure_data_lab_{dashboard.stem}_chart.png")
        page.evaluate("async () => { const p = window.jupyterapp.shell.currentWidget;"
                      " if (p && p.sessionContext) await p.sessionContext.shutdown(); }")


@pytest.mark.timeout(2 * TIMEOUT_S + 120)
def test_charts_have_data_under_a_hub_prefix(course_copy: Path, context: Any,
                                             network: lab_server.NetworkLog,
                                             screenshots: Path) -> None:
    """A JupyterHub user server lives under /user/<name>/: the figure finds plotly.js there."""
    prefix = "/user/student/"
    server = lab_server.start_jupyter_lab(course_copy / "course", course_copy, base_url=prefix)
    page = context.new_page()
    try:
        nb.open_notebook(page, server, "dashboards/tier_simulator.ipynb")
        nb.run_all(page, timeout_s=TIMEOUT_S)
        apps = nb.app_outputs(page)
        assert apps, "no app in JupyterLab under the prefix"
        check_charts("JupyterLab under /user/student/", page, page, apps[0])
        page.screenshot(path=str(screenshots / "figure_data_lab_prefix.png"))
        page.evaluate("async () => { await window.jupyterapp.shell.currentWidget"
                      ".sessionContext.shutdown(); }")

        # Voila as the Jupyter server's extension (same server, same prefix)
        page.goto(server.page_url("/voila/render/dashboards/trust_decay.ipynb"),
                  wait_until="domcontentloaded", timeout=TIMEOUT_S * 1000)
        page.wait_for_selector(".js-plotly-plot", timeout=TIMEOUT_S * 1000)
        apps = nb.app_outputs(page, ".jp-OutputArea-output")
        assert apps, "no app in Voila under the Jupyter server"
        check_charts("Voila server extension under /user/student/", page, page, apps[0])
        page.screenshot(path=str(screenshots / "figure_data_voila_prefix.png"))
        bundle = [url for url in network.requests if BUNDLE in url and "/user/student/" in url]
        assert bundle, "plotly's bundle was not requested under the prefix"
    finally:
        page.close()
        server.stop()
