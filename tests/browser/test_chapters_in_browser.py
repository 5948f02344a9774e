"""Every chapter, as a student meets it: JupyterLab in Chromium, Run All, then play.

For each ``chapters/NN_*.ipynb`` and Chinese ``chapters/zh/NN_*.ipynb`` (globbed at
collection time, so new chapters are covered automatically):

- Run All Cells with JupyterLab's own command and wait for the kernel to go idle;
- no cell shows an error or a traceback (cells tagged ``raises-exception`` are
  excluded by tag) and every cell ran;
- no widget shows "Error displaying widget";
- every FigureWidget shown is drawn as a ``.js-plotly-plot`` with its SVG
  (the expected count comes from the widget models, not from the page);
- in every app (a figure or KPI card with controls) moving a control with the
  keyboard or mouse changes the figure or the KPI;
- the page never requests anything outside 127.0.0.1 (the course works offline);
- JupyterLab's "get notified about Jupyter news" pop-up never appears.

A full-page screenshot of each chapter goes to ``artifacts/screenshots/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import lab_server
import notebook_page as nb
import pytest

pytestmark = pytest.mark.browser

CHAPTERS = (sorted((lab_server.REPO / "chapters").glob("[0-9][0-9]_*.ipynb"))
            + sorted((lab_server.REPO / "chapters" / "zh").glob("[0-9][0-9]_*.ipynb")))


def _name(chapter: Path) -> str:
    """``03_four_stages`` or ``zh_03_four_stages``: a test id and screenshot name."""
    return f"zh_{chapter.stem}" if chapter.parent.name == "zh" else chapter.stem
CHAPTER_TIMEOUT_S = 240


def screenshot_notebook(page: Any, path: Path) -> None:
    """Screenshot the whole notebook: grow the viewport to the notebook's height, then restore."""
    viewport = page.viewport_size
    # the notebook scrolls inside its own panel: grow the window by what is hidden below
    hidden = page.evaluate(
        "() => { const o = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer');"
        " return o ? o.scrollHeight - o.clientHeight : 0; }")
    page.set_viewport_size({"width": viewport["width"],
                            "height": min(viewport["height"] + int(hidden), 16000)})
    page.evaluate("() => { const o = document.querySelector("
                  "'.jp-NotebookPanel .jp-WindowedPanel-outer'); if (o) o.scrollTop = 0; }")
    page.wait_for_timeout(600)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(viewport)


def test_there_are_chapters_to_test() -> None:
    assert CHAPTERS, "no chapters/NN_*.ipynb found: the browser tests would test nothing"


@pytest.mark.timeout(CHAPTER_TIMEOUT_S + 60)
@pytest.mark.parametrize("chapter", CHAPTERS, ids=[_name(p) for p in CHAPTERS])
def test_chapter_runs_and_plays_in_jupyterlab(chapter: Path, lab: lab_server.Server, page: Any,
                                              network: lab_server.NetworkLog,
                                              screenshots: Path) -> None:
    already_outside = len(network.outside)
    nb.open_notebook(page, lab, chapter.relative_to(lab_server.REPO).as_posix())
    try:
        report = nb.run_all(page, timeout_s=CHAPTER_TIMEOUT_S)
        problems = nb.cell_problems(report.cells)
        assert not problems, f"{chapter.name} after Run All:\n" + "\n".join(problems)

        figures = nb.wait_for_figures(page)
        missing = [f"cell {f['index']}: {f['rendered']} of {f['expected']} figures drawn "
                   f"({f['plots']} plot containers)"
                   for f in figures if f["rendered"] != f["expected"]]
        assert not missing, f"{chapter.name}: figures not drawn:\n" + "\n".join(missing)

        apps = nb.app_outputs(page)
        dead = []
        for index, app in enumerate(apps):
            change = nb.exercise_app(page, app, index)
            if not change.changed:
                dead.append(f"app {index + 1} of {len(apps)}: {change.control} changed "
                            f"neither its figure nor its KPI within {change.seconds:.1f} s")
        assert not dead, f"{chapter.name}: controls without effect:\n" + "\n".join(dead)

        assert not nb.news_prompt_visible(page, lab_server.NEWS_PROMPT), \
            "JupyterLab asked about Jupyter news: the course's overrides.json is not applied"
        outside = network.outside[already_outside:]
        assert not outside, (f"{chapter.name}: the page requested resources outside "
                             f"127.0.0.1 (the course must work offline): {outside[:10]}")
    finally:
        screenshot_notebook(page, screenshots / f"{_name(chapter)}.png")
        page.evaluate("async () => { const p = window.jupyterapp.shell.currentWidget;"
                      " if (p && p.sessionContext) await p.sessionContext.shutdown(); }")
