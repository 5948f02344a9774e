"""The browser checks themselves: each one must catch the fault it exists for.

A deliberately broken notebook runs through the same helpers as the chapters:
an untagged error is reported, the cell Run All never reached is reported, a cell
tagged ``raises-exception`` is not, a wired control changes its plot while an
unwired one is reported as dead. And with JupyterLab's news question switched
back on through a user setting, the news check sees it.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import lab_server
import nbformat
import notebook_page as nb
import pytest

pytestmark = pytest.mark.browser

APP = '''
import ipywidgets as w
import plotly.graph_objects as go

def app(wired):
    slider = w.IntSlider(value=1, min=0, max=10, description="k")
    fig = go.FigureWidget(go.Scatter(x=[0, 1, 2], y=[0, 1, 2]))
    def redraw(change):
        with fig.batch_update():
            fig.data[0].y = [0, change["new"], 2 * change["new"]]
    if wired:
        slider.observe(redraw, names="value")
    return w.VBox([slider, w.VBox([fig])])
'''


def _broken_notebook(path: Path) -> None:
    cells = [
        nbformat.v4.new_markdown_cell("# Checks"),
        nbformat.v4.new_code_cell(APP),
        nbformat.v4.new_code_cell("app(wired=True)"),
        nbformat.v4.new_code_cell("app(wired=False)"),
        nbformat.v4.new_code_cell("raise ValueError('taught on purpose')",
                                  metadata={"tags": ["raises-exception"]}),
        nbformat.v4.new_code_cell("1 / 0"),
        nbformat.v4.new_code_cell("print('never reached')"),
    ]
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)


@pytest.mark.timeout(300)
def test_faults_in_a_notebook_are_reported(lab: lab_server.Server, page: Any) -> None:
    _broken_notebook(lab.root_dir / "checks" / "broken.ipynb")
    nb.open_notebook(page, lab, "checks/broken.ipynb")
    report = nb.run_all(page, timeout_s=180)
    problems = nb.cell_problems(report.cells)
    assert any("cell 5" in p and "ZeroDivisionError" in p for p in problems), problems
    assert any("cell 6" in p and "never ran" in p for p in problems), problems
    assert not any("cell 4" in p for p in problems), "a raises-exception cell was reported"

    figures = nb.wait_for_figures(page)
    assert [(f["expected"], f["rendered"]) for f in figures] == [(1, 1), (1, 1)], figures
    wired, unwired = nb.app_outputs(page)
    assert nb.exercise_app(page, wired, 0).changed
    assert not nb.exercise_app(page, unwired, 1, wait_s=2).changed
    page.evaluate("async () => { await window.jupyterapp.shell.currentWidget"
                  ".sessionContext.shutdown(); }")


@pytest.mark.timeout(180)
def test_news_question_is_detected_when_switched_on(context: Any) -> None:
    work = Path(tempfile.mkdtemp(prefix="ssl-news-"))
    settings = (work / "jupyter-lab" / "config" / "lab" / "user-settings" / "@jupyterlab"
                / "apputils-extension")
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "none"}))
    _broken_notebook(work / "root" / "checks" / "broken.ipynb")
    server = lab_server.start_jupyter_lab(work / "root", work)
    tab = context.new_page()
    try:
        nb.open_notebook(tab, server, "checks/broken.ipynb")
        tab.get_by_text(lab_server.NEWS_PROMPT).wait_for(timeout=30_000)
        assert nb.news_prompt_visible(tab, lab_server.NEWS_PROMPT)
    finally:
        tab.close()
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
