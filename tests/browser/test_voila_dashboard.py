"""Every dashboard as a trainer shows it: served by Voila, opened in Chromium, played with.

For each ``dashboards/*.ipynb`` (globbed at collection time): Voila renders the
app without code, every figure is drawn as SVG, nothing shows an error, moving a
control changes the figure or KPI, and the page requests nothing outside 127.0.0.1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import lab_server
import notebook_page as nb
import pytest

pytestmark = pytest.mark.browser

DASHBOARDS = sorted((lab_server.REPO / "dashboards").glob("*.ipynb"))
DASHBOARD_TIMEOUT_S = 180
# Voila's lab template shows outputs in JupyterLab's output areas, without the code.
VOILA_OUTPUTS = ".jp-OutputArea-output"


def wait_for_dashboard(page: Any, timeout_s: float) -> int:
    """Wait until Voila finished executing and the drawn figures stop changing; return them."""
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot svg.main-svg').length > 0"
        " || /Traceback|Error displaying widget/.test(document.body.innerText)",
        timeout=timeout_s * 1000)
    drawn, stable_for = -1, 0
    while stable_for < 3:  # ~0.75 s without new figures: rendering is done
        count = page.evaluate(
            "() => Array.from(document.querySelectorAll('.js-plotly-plot'))"
            ".filter(p => p.querySelector('svg.main-svg')).length")
        stable_for = stable_for + 1 if count == drawn else 0
        drawn = count
        page.wait_for_timeout(250)
    return drawn


def test_there_are_dashboards_to_test() -> None:
    assert DASHBOARDS, "no dashboards/*.ipynb found: the Voila tests would test nothing"


@pytest.mark.timeout(DASHBOARD_TIMEOUT_S + 60)
@pytest.mark.parametrize("dashboard", DASHBOARDS, ids=[p.stem for p in DASHBOARDS])
def test_dashboard_plays_in_voila(dashboard: Path, voila: lab_server.Server, page: Any,
                                  network: lab_server.NetworkLog, screenshots: Path) -> None:
    already_outside = len(network.outside)
    page.goto(voila.page_url(f"/voila/render/{dashboard.name}"), wait_until="domcontentloaded",
              timeout=DASHBOARD_TIMEOUT_S * 1000)
    try:
        drawn = wait_for_dashboard(page, DASHBOARD_TIMEOUT_S)
        text = page.inner_text("body")
        assert "Traceback" not in text and "Error displaying widget" not in text, \
            f"{dashboard.name} shows an error in Voila:\n{text[:2000]}"
        assert "from widgets.apps" not in text, \
            f"{dashboard.name}: Voila shows the code; a dashboard shows the app only"
        plots = page.locator(".js-plotly-plot").count()
        assert drawn >= 1 and drawn == plots, \
            f"{dashboard.name}: {drawn} of {plots} figures drawn in Voila"

        apps = nb.app_outputs(page, VOILA_OUTPUTS)
        assert len(apps) == 1, f"{dashboard.name}: expected exactly one app, found {len(apps)}"
        change = nb.exercise_app(page, apps[0], 0)
        assert change.changed, (f"{dashboard.name}: {change.control} changed neither the figure "
                                f"nor a KPI within {change.seconds:.1f} s")
        outside = network.outside[already_outside:]
        assert not outside, (f"{dashboard.name}: Voila requested resources outside 127.0.0.1 "
                             f"(the course must work offline): {outside[:10]}")
    finally:
        page.screenshot(path=str(screenshots / f"voila_{dashboard.stem}.png"), full_page=True)
