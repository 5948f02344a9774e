"""The exported plan (chapter 07) opened in Chromium with every network request refused.

It uses the session's Chromium (one sync Playwright per process: a second
``sync_playwright()`` inside the running one fails with "Sync API inside the
asyncio loop").
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from widgets.models.linked_business import BusinessPlan, simulate_business
from widgets.report import export_plan

pytestmark = pytest.mark.browser

NOT_LOCAL_FILE = re.compile(r"^(?!file:|data:|blob:|about:).*")


def test_exported_html_renders_interactive_charts_offline(tmp_path: Path, browser: Any) -> None:
    failing = simulate_business(BusinessPlan(name="Test <plan>", posting_preset="street_stall",
                                             mode="1.0", n_tiers=3))
    path = export_plan(failing, tmp_path / "my_plan.html")
    remote_requests: list[str] = []
    errors: list[str] = []
    context = browser.new_context(service_workers="block")
    try:
        page = context.new_page()

        def refuse(route: Any) -> None:
            remote_requests.append(route.request.url)
            route.abort()

        page.route(NOT_LOCAL_FILE, refuse)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(path.as_uri())
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
        assert page.locator(".js-plotly-plot").count() == 2
        # interactive: plotly's mode bar is there and a legend click hides a trace
        assert page.locator(".modebar").count() >= 1
        toggle = page.locator(".js-plotly-plot").first.locator(".legendtoggle").first
        toggle.scroll_into_view_if_needed()
        box = toggle.bounding_box()
        assert box is not None, "the first chart has no legend to click"
        page.mouse.click(box["x"] + 15, box["y"] + box["height"] / 2)
        page.wait_for_function(
            "() => document.querySelector('.js-plotly-plot').data"
            ".some(trace => trace.visible === 'legendonly')", timeout=10_000)
    finally:
        context.close()
    assert remote_requests == [], f"the exported plan asked the network for {remote_requests}"
    assert errors == [], f"page errors: {errors}"
