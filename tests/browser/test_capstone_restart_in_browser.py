"""A student's capstone plan survives *Restart Kernel and Run All* (chapter 07).

The student's plan builder autosaves the whole plan to ``my_plan.json`` next to the
notebook on every change and restores it when the notebook runs again. In
Chromium: change the channel (1.0) and write a defence, wait for the file, restart
the kernel, Run All, and find the same channel and defence in the builder.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import lab_server
import notebook_page as nb
import pytest

pytestmark = pytest.mark.browser

CHAPTER = "07_capstone.ipynb"
DEFENCE = "Trust first: two posts a day, no stock pushed on anyone. 先信任。"
# the student's own builder is the app whose status line speaks of autosaving
BUILDER = ".ssl-app:has-text('saved automatically'), .ssl-app:has-text('Restored your plan')"


def _builder(page: Any) -> Any:
    """The builder, pinned by position (its status text changes once it has saved)."""
    found = page.locator(BUILDER)
    assert found.count() == 1, f"expected one plan builder that autosaves, found {found.count()}"
    index = found.first.evaluate(
        "e => Array.from(document.querySelectorAll('.ssl-app')).indexOf(e)")
    app = page.locator(".ssl-app").nth(index)
    app.evaluate("e => e.scrollIntoView({block: 'start'})")
    return app


def _open_section(app: Any, title: str) -> None:
    header = app.locator(".jupyter-widget-Collapse-header").filter(has_text=title)
    assert header.count(), f"the plan builder has no {title!r} section"
    section = header.first.locator("xpath=..")
    if "jupyter-mod-active" not in (section.get_attribute("class") or ""):
        header.first.click()
        app.page.wait_for_timeout(400)


def _wait_for_saved(path: Path, timeout_s: float = 30) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            if DEFENCE in json.dumps(document, ensure_ascii=False):
                return document
        except (OSError, ValueError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"{path.name} was not saved with the defence within {timeout_s:.0f} s")


@pytest.mark.timeout(1200)
def test_capstone_plan_is_back_after_restart_and_run_all(lab: lab_server.Server, page: Any,
                                                         screenshots: Path) -> None:
    plan_file = lab.root_dir / "chapters" / "my_plan.json"
    for stale in plan_file.parent.glob("my_plan.json*"):
        stale.unlink()
    try:
        nb.open_notebook(page, lab, f"chapters/{CHAPTER}")
        nb.run_all(page, timeout_s=600)
        app = _builder(page)

        _open_section(app, "Channel")
        app.locator(".widget-toggle-button", has_text="1.0").first.click()
        _open_section(app, "defence")
        notes = app.locator("textarea").first
        notes.fill(DEFENCE)
        notes.blur()
        saved = _wait_for_saved(plan_file)
        assert "1.0" in json.dumps(saved), "the saved plan does not hold the 1.0 channel"

        page.evaluate("""async () => {
            const panel = window.jupyterapp.shell.currentWidget;
            await panel.sessionContext.restartKernel();
        }""")
        nb.wait_for_lab(page)
        nb.run_all(page, timeout_s=600)
        app = _builder(page)
        page.screenshot(path=str(screenshots / "capstone_after_restart.png"))
        assert "Restored your plan" in app.inner_text(), "the builder did not restore the plan"
        _open_section(app, "defence")
        assert app.locator("textarea").first.input_value() == DEFENCE
        _open_section(app, "Channel")
        active = app.locator(".widget-toggle-button.mod-active", has_text="1.0")
        assert active.count() >= 1, "the channel is not 1.0 after the restart"
    finally:
        # Leave the course copy as it was: shut this notebook's kernel down (its plan builder
        # would otherwise keep autosaving, and the next test would reuse it), then remove the plan.
        page.evaluate("""async () => {
            const panel = window.jupyterapp.shell.currentWidget;
            if (panel && panel.sessionContext) { await panel.sessionContext.shutdown(); }
        }""")
        for written in plan_file.parent.glob("my_plan.json*"):
            written.unlink()
