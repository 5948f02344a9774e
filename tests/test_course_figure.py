"""The course's one figure class: plotly.js by URL, a first state that survives a late front end."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import plotly
import plotly.graph_objects as go
import pytest

from widgets.apps.figure import BUNDLE_PATH, READY, CourseFigure, course_figure

ROOT = Path(__file__).resolve().parents[1]


def _front_end_says(fig: CourseFigure, what: str) -> None:
    fig._on_front_end_msg(fig, {"course_figure": what}, [])


def test_the_figure_module_is_small_and_loads_plotly_from_the_local_server():
    esm = CourseFigure().get_state()["_esm"]  # what goes over the websocket per figure
    assert len(esm) < 8_000  # the loader and its view tweaks (figure.py), vs ~5 MB
    assert BUNDLE_PATH in esm and "jupyter-config-data" in esm
    assert "http" not in esm  # the URL is built from the page's own origin and base URL
    assert len(go.FigureWidget().get_state()["_esm"]) > 1_000_000  # plotly's own: ~5 MB


def test_the_installed_bundle_is_the_installed_plotlys():
    """hatch_build.py put plotly's widget bundle where Voila serves the template's static files."""
    installed = Path(sys.prefix) / "share" / "jupyter" / BUNDLE_PATH
    plotly_bundle = Path(plotly.__file__).parent / "package_data" / "widgetbundle.js"
    assert installed.is_file(), f"{installed} missing: reinstall the course (pip install -e .)"
    assert installed.read_bytes() == plotly_bundle.read_bytes()


def test_no_app_builds_a_bare_figurewidget():
    """Every chart goes through CourseFigure (directly or via controls.figure)."""
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "widgets").rglob("*.py")
                 if p.name != "figure.py" and re.search(r"FigureWidget\(", p.read_text())]
    assert offenders == []


def test_edits_before_the_front_end_is_ready_reach_the_synced_state():
    fig = course_figure(title={"text": "t"})
    fig.add_scatter(x=[1, 2], y=[3, 4])
    with fig.batch_update():
        fig.data[0].y = [5, 6]
    assert len(fig._widget_data) == 1
    assert list(fig._widget_data[0]["y"]) == [5, 6]
    assert fig._widget_layout["title"]["text"] == "t"


def test_after_ready_edits_are_events_only_but_a_new_front_end_gets_the_current_figure():
    fig = CourseFigure()
    fig.add_bar(x=["a"], y=[1])
    _front_end_says(fig, READY)
    fig.add_scatter(x=[1], y=[2])
    fig.update_layout(title="later")
    assert len(fig._widget_data) == 1  # no second full copy once the front end listens
    state = fig.get_state()  # what a page that opens now (or Voila) asks for
    assert len(fig._widget_data) == 2
    assert state["_widget_layout"]["title"]["text"] == "later"


def test_a_reloading_front_end_gets_full_syncs_again():
    fig = CourseFigure()
    _front_end_says(fig, READY)
    _front_end_says(fig, "loading")
    fig.add_scatter(x=[1], y=[2])
    assert len(fig._widget_data) == 1


def test_it_keeps_the_figurewidget_api():
    fig = CourseFigure(go.Figure(go.Bar(x=[1], y=[2])))
    assert isinstance(fig, go.FigureWidget)
    fig.update_traces(marker_color="red")
    assert fig.data[0].marker.color == "red"
    with pytest.raises(ValueError):
        fig.update_layout(not_a_property=1)


def test_traces_added_in_a_batch_go_out_as_one_message():
    fig = CourseFigure()
    fig.add_bar(x=[1], y=[1])
    sent = []
    fig.observe(lambda change: sent.append((change["name"], change["new"])),
                names=["_py2js_addTraces", "_py2js_deleteTraces", "_py2js_update"])
    with fig.batch_update():
        fig.data = ()
        for k in range(3):
            fig.add_bar(x=[k], y=[k], name=f"b{k}")
        fig.data[2].y = [9]
    messages = [(name, value) for name, value in sent if value is not None]
    kinds = [name for name, _ in messages]
    assert kinds == ["_py2js_deleteTraces", "_py2js_addTraces", "_py2js_update"]
    assert [t["name"] for t in messages[1][1]["trace_data"]] == ["b0", "b1", "b2"]
    assert [t.name for t in fig.data] == ["b0", "b1", "b2"] and list(fig.data[2].y) == [9]
    assert [t["name"] for t in fig._widget_data] == ["b0", "b1", "b2"]
