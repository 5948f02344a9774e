"""Every app fits one screen, as a student on a 1366×768 laptop and a trainer at a
1280×720 projector see it (JupyterLab, and Voila's first screen).

For each app (``.ssl-app``, built with ``widgets.apps.layout``): scrolled to its top,
its first control and its main chart are both inside the viewport, and no label,
tab title or button cuts its text (``scrollWidth > clientWidth``, e.g. an ellipsis
eating the Chinese half of a bilingual label), and every visible chart's plot areas,
legend, axis tick labels (Sankey nodes and labels) lie inside the chart's own box (the
main chart's column, or the box the chart sits in): a chart drawn wider than its column
shows its second subplot and its legend cut at the column's edge. Every chapter's apps
are checked, and every dashboard app at both sizes.
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
DASHBOARDS = sorted(p.stem for p in (lab_server.REPO / "dashboards").glob("*.ipynb"))

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

# Parts of each visible chart that must lie inside its box: the chart column of the app's
# main chart (``.ssl-main-chart``), else the nearest widget box around the chart.
CHART_BOX_JS = """(app) => {
  const out = [];
  const round = r => [Math.round(r.left), Math.round(r.top), Math.round(r.right),
                      Math.round(r.bottom)];
  const plots = Array.from(app.querySelectorAll('.js-plotly-plot')).filter(p => p.offsetParent);
  plots.forEach((plot, index) => {
    const holder = plot.closest('.ssl-main-chart')
      || (plot.parentElement && plot.parentElement.closest('.widget-box')) || app;
    const box = holder.getBoundingClientRect();
    const title = plot.querySelector('.gtitle');
    const name = `chart ${index + 1} (${title ? title.textContent.slice(0, 40) : 'untitled'})`;
    const parts = [
      ...Array.from(plot.querySelectorAll('.nsewdrag')).map(e => ['plot area', e]),
      ...Array.from(plot.querySelectorAll('g.legend')).map(e => ['legend', e]),
      ...Array.from(plot.querySelectorAll('.sankey-node')).map(e => ['Sankey node', e]),
      ...Array.from(plot.querySelectorAll('.node-label'))
        .map(e => [`Sankey label '${e.textContent.slice(0, 12)}'`, e]),
      ...Array.from(plot.querySelectorAll('g.xtick text, g.ytick text'))
        .map(e => [`tick label '${e.textContent.slice(0, 12)}'`, e]),
    ];
    if (!parts.length) out.push(`${name}: nothing drawn`);
    for (const [what, el] of parts) {
      const r = el.getBoundingClientRect();
      if (!r.width && !r.height) continue;
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1
          || r.bottom > box.bottom + 1)
        out.push(`${name}: ${what} ${round(r)} outside its box ${round(box)}`);
    }
  });
  return out;
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
        outside = app.evaluate(CHART_BOX_JS)
        if outside:
            problems.append(f"{name}: chart parts outside their box: {outside[:6]}")
            page.screenshot(path=str(shots / f"layout_box_{where}_{index}.png".replace(" ", "_")))
    return problems


def _resize(page: Any, width: int, height: int) -> None:
    page.set_viewport_size({"width": width, "height": height})
    page.wait_for_timeout(1000)  # the charts follow their boxes' new width (a frame or two)


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
        _resize(page, width, height)
        problems += _check_apps(page, apps, f"{chapter.stem} {width}x{height}", screenshots)
    page.screenshot(path=str(screenshots / f"layout_{chapter.stem}_last_app.png"))
    assert not problems, "\n".join(problems)


@pytest.mark.timeout(600)
@pytest.mark.parametrize("dashboard", DASHBOARDS)
def test_each_dashboard_app_fits_and_keeps_its_charts_in_their_boxes(
        dashboard: str, lab: lab_server.Server, page: Any, screenshots: Path) -> None:
    """Each dashboard's app, opened at one size and at the other (drawn at 1280×720 first,
    then resized to 1366×768: a chart must follow its box both ways)."""
    problems = []
    for order in (VIEWPORTS[::-1], VIEWPORTS):
        page.set_viewport_size({"width": order[0][0], "height": order[0][1]})
        nb.open_notebook(page, lab, f"dashboards/{dashboard}.ipynb")
        nb.run_all(page, timeout_s=300)
        nb.wait_for_figures(page)
        apps = page.locator(".ssl-app")
        assert apps.count() == 1, f"{dashboard}: expected one app built with widgets.apps.layout"
        for width, height in order:
            _resize(page, width, height)
            problems += _check_apps(page, apps, f"{dashboard} {width}x{height}", screenshots)
            page.screenshot(path=str(screenshots / f"layout_{dashboard}_{width}.png"))
        page.evaluate("async () => { await window.jupyterapp.shell.currentWidget"
                      ".sessionContext.shutdown(); }")
        if problems:
            break
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
