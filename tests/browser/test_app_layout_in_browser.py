"""Every app fits one screen, as a student on a 1366×768 laptop and a trainer at a
1280×720 projector see it (JupyterLab, and Voila's first screen).

For each app (``.ssl-app``, built with ``widgets.apps.layout``): scrolled to its top,
its first control and its main chart are both inside the viewport, and no label,
tab title or button cuts its text (``scrollWidth > clientWidth``, e.g. an ellipsis
eating the Chinese half of a bilingual label).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import lab_server
import notebook_page as nb
import pytest
from test_voila_dashboard import wait_for_dashboard

pytestmark = pytest.mark.browser

VIEWPORTS = ((1366, 768), (1280, 720))
APP_CHAPTERS = sorted(p for p in (lab_server.REPO / "chapters").glob("0[1-7]_*.ipynb"))
BIG_DASHBOARDS = ("product_scorer", "tier_simulator", "trust_decay")

FIT_JS = """(app) => {
  const inView = r => r && r.height > 0 && r.top >= -1 && r.bottom <= window.innerHeight + 1
                      && r.left >= -1 && r.right <= window.innerWidth + 1;
  const control = app.querySelector('.ssl-controls .widget-slider, .ssl-controls .widget-dropdown,'
      + ' .ssl-controls .widget-toggle-buttons, .ssl-controls .widget-checkbox,'
      + ' .ssl-controls .widget-text, .ssl-controls .widget-select-multiple');
  const chart = app.querySelector('.ssl-main-chart .js-plotly-plot');
  const rc = control && control.getBoundingClientRect();
  const rp = chart && chart.getBoundingClientRect();
  const cut = Array.from(app.querySelectorAll(
      '.widget-label, .lm-TabBar-tabLabel, .widget-toggle-button, button, .widget-label-basic'))
    .filter(l => l.offsetParent && l.innerText.trim() && l.scrollWidth > l.clientWidth + 1)
    .map(l => l.innerText.trim().slice(0, 50));
  return {control: !!control, chart: !!chart, controlIn: inView(rc), chartIn: inView(rp),
          controlBox: rc && [Math.round(rc.top), Math.round(rc.bottom)],
          chartBox: rp && [Math.round(rp.top), Math.round(rp.bottom)], cut};
}"""


def _scroll_to(app: Any, page: Any) -> None:
    # the notebook is windowed: cells above may change height while it scrolls, so twice
    for _ in range(2):
        app.evaluate("e => e.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(400)


def _check_apps(page: Any, apps: Any, where: str, shots: Path) -> list[str]:
    problems = []
    for index in range(apps.count()):
        app = apps.nth(index)
        _scroll_to(app, page)
        fit = app.evaluate(FIT_JS)
        name = f"{where} app {index + 1}"
        if not (fit["control"] and fit["chart"]):
            problems.append(f"{name}: no control column or main chart ({fit})")
        elif not (fit["controlIn"] and fit["chartIn"]):
            problems.append(f"{name}: first control {fit['controlBox']} and main chart "
                            f"{fit['chartBox']} are not on one screen")
            page.screenshot(path=str(shots / f"layout_{where}_{index}.png".replace(" ", "_")))
        if fit["cut"]:
            problems.append(f"{name}: labels cut: {fit['cut']}")
    return problems


@pytest.mark.timeout(1200)
@pytest.mark.parametrize("chapter", APP_CHAPTERS, ids=[p.stem for p in APP_CHAPTERS])
def test_each_app_fits_one_screen_in_jupyterlab(chapter: Path, lab: lab_server.Server,
                                                page: Any, screenshots: Path) -> None:
    page.set_viewport_size({"width": VIEWPORTS[0][0], "height": VIEWPORTS[0][1]})
    nb.open_notebook(page, lab, f"chapters/{chapter.name}")
    nb.run_all(page, timeout_s=600)
    nb.wait_for_figures(page)
    apps = page.locator(".ssl-app")
    assert apps.count() >= 1, f"{chapter.name} shows no app built with widgets.apps.layout"
    problems = []
    for width, height in VIEWPORTS:
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(500)
        problems += _check_apps(page, apps, f"{chapter.stem} {width}x{height}", screenshots)
    page.screenshot(path=str(screenshots / f"layout_{chapter.stem}_last_app.png"))
    assert not problems, "\n".join(problems)


@pytest.mark.timeout(600)
@pytest.mark.parametrize("dashboard", BIG_DASHBOARDS)
def test_voila_first_screen_shows_controls_and_chart(dashboard: str, voila: lab_server.Server,
                                                     page: Any, screenshots: Path) -> None:
    problems = []
    for width, height in VIEWPORTS:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(voila.page_url(f"/voila/render/{dashboard}.ipynb"),
                  wait_until="domcontentloaded", timeout=300_000)
        wait_for_dashboard(page, 300)
        page.evaluate("() => window.scrollTo(0, 0)")
        apps = page.locator(".ssl-app")
        assert apps.count() == 1, f"{dashboard}: expected one app in Voila"
        fit = apps.first.evaluate(FIT_JS)
        page.screenshot(path=str(screenshots / f"voila_first_screen_{dashboard}_{width}.png"))
        if not (fit["controlIn"] and fit["chartIn"]):
            problems.append(f"{dashboard} at {width}x{height}: first control "
                            f"{fit['controlBox']} and main chart {fit['chartBox']} are not on "
                            "Voila's first screen")
        if fit["cut"]:
            problems.append(f"{dashboard} at {width}x{height}: labels cut: {fit['cut']}")
    assert not problems, "\n".join(problems)
