"""List the English prose a student still sees when the course runs in Chinese.

Every app is driven the way its Voila dashboard builds it (``dashboards/*.ipynb`` is the
registry of apps), in ``zh`` mode, and every visible string — widget labels and HTML,
dropdown options, tab and accordion titles, figure titles, axis titles, tick and category
labels, legend names, hover templates and annotations — is scanned for runs of three or
more English words. Units, model symbols, code and names of people or works do not form
such runs. Then every control is used once (each slider moved to another allowed value,
each dropdown, toggle or radio set to each of its other options, each checkbox flipped,
each button pressed) and the app is scanned again after each change, so messages that
only appear after a student acts are read too. Everything runs in a temporary folder
(the capstone saves the plan there). Usage, from the project root::

    python tools/zh_scan.py            # one line per app, then the runs found
    python tools/zh_scan.py --quiet    # counts only; exit 1 if any run is found
    python tools/zh_scan.py --first    # only the first build, no control changes
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import html
import json
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ENGLISH_PROSE = re.compile(r"\b[A-Za-z]{2,}(?:[ ,'’-]+[A-Za-z]{2,}){2,}\b")
CODE = re.compile(r"`[^`]*`|\S*[_().=\[\]'\"]\S*")
FIRST_BUILD = "first build"


def english_prose(text: str) -> list[str]:
    """Runs of English words a Chinese reader would have to read, code and markup aside."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))  # markup first: its quotes are no code
    return ENGLISH_PROSE.findall(CODE.sub(" ", text))


def _figure_strings(fig: Any) -> list[str]:
    """Titles, axis and tick labels, legend names, category labels, text, hover and notes."""
    layout = fig.layout
    seen = [str(layout.title.text or "")]
    if layout.legend.title.text:
        seen.append(str(layout.legend.title.text))
    for name in layout:
        if re.fullmatch(r"[xy]axis\d*", name):
            axis = layout[name]
            if axis.title.text:
                seen.append(str(axis.title.text))
            seen += [str(t) for t in axis.ticktext or ()]
    for trace in fig.data:
        for attribute in ("name", "hovertemplate", "text", "texttemplate", "labels", "x", "y"):
            value = getattr(trace, attribute, None)
            if isinstance(value, str):
                seen.append(value)
            elif isinstance(value, tuple | list):
                seen += [v for v in value if isinstance(v, str)]
    seen += [str(a.text) for a in layout.annotations or () if a.text]
    return seen


def visible_strings(widget: Any) -> list[str]:
    """Every string a student sees in a widget tree, figures included."""
    import ipywidgets as w
    import plotly.graph_objects as go

    if isinstance(widget, go.FigureWidget):
        return _figure_strings(widget)
    seen: list[str] = []
    for attribute in ("value", "description", "placeholder", "tooltip"):
        value = getattr(widget, attribute, None)
        if isinstance(value, str):
            seen.append(value)
    if isinstance(widget, w.widgets.widget_selection._Selection | w.SelectMultiple):
        seen += list(widget._options_labels)
    seen += [str(t) for t in getattr(widget, "titles", ()) or () if t]
    for child in getattr(widget, "children", ()):
        seen += visible_strings(child)
    return seen


def prose_runs(widget: Any) -> list[str]:
    """The English prose runs in everything ``widget`` shows."""
    return [run for text in visible_strings(widget) for run in english_prose(text)]


@contextlib.contextmanager
def temporary_folder() -> Iterator[Path]:
    """Work in a fresh temporary folder (apps that save files save them there)."""
    here = Path.cwd()
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)
        try:
            yield Path(folder)
        finally:
            os.chdir(here)


def dashboard_paths() -> list[Path]:
    """The Voila dashboards, one per app."""
    return sorted((ROOT / "dashboards").glob("*.ipynb"))


def build_dashboard_app(path: Path) -> Any:
    """The app a dashboard shows, built by running its code cells in the current folder."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    tree = ast.parse(code)
    last = tree.body.pop()
    if not isinstance(last, ast.Expr):
        raise ValueError(f"{path.name} does not end with the app it shows")
    namespace: dict[str, Any] = {}
    exec(compile(tree, path.name, "exec"), namespace)
    return eval(compile(ast.Expression(last.value), path.name, "eval"), namespace)


def dashboard_apps() -> dict[str, Any]:
    """Each dashboard's app, built by running the dashboard's code cells (in a temp folder)."""
    with temporary_folder():
        return {path.stem: build_dashboard_app(path) for path in dashboard_paths()}


def controls(widget: Any) -> list[Any]:
    """The controls a student can use in a widget tree: sliders, selections, checkboxes,
    toggle buttons and buttons (text boxes, where the student types, are left alone)."""
    import ipywidgets as w
    import plotly.graph_objects as go

    if isinstance(widget, go.FigureWidget):
        return []
    kinds = (w.widgets.widget_int._Int, w.widgets.widget_float._Float,
             w.widgets.widget_selection._Selection, w.SelectMultiple, w.Checkbox,
             w.ToggleButton, w.Button)
    found = [widget] if isinstance(widget, kinds) and not getattr(widget, "disabled", False) \
        else []
    for child in getattr(widget, "children", ()):
        found += controls(child)
    return found


def _snap(control: Any, target: float) -> Any:
    step = control.step or 1
    value = control.min + round((target - control.min) / step) * step
    value = min(max(value, control.min), control.max)
    return int(value) if isinstance(control.value, int) else round(value, 10)


def other_values(control: Any) -> list[Any]:
    """Another allowed value for a slider (a quarter of the range away from the ends), every
    other option of a selection, a subset for a multiple selection, the flip of a checkbox."""
    import ipywidgets as w

    if isinstance(control, w.Button):
        return ["click"]
    if isinstance(control, w.SelectMultiple):
        values = list(control._options_values)
        return [v for v in ([tuple(values)], [tuple(values[:1])]) if v[0] != control.value]
    if isinstance(control, w.widgets.widget_selection._Selection):
        return [v for v in control._options_values if v != control.value]
    if isinstance(control, w.Checkbox | w.ToggleButton):
        return [not control.value]
    if not hasattr(control, "min") or isinstance(control.value, tuple):
        return []
    span = control.max - control.min
    for fraction in (0.75, 0.25, 1.0, 0.0):
        value = _snap(control, control.min + fraction * span)
        if value != control.value:
            return [value]
    return []


def _name(control: Any) -> str:
    label = getattr(control, "description", "") or type(control).__name__
    return label.strip() or type(control).__name__


def change_runs(app: Any) -> Iterator[tuple[str, list[str]]]:
    """Use each control of ``app`` once per other value; yield (what changed, prose runs)."""
    import ipywidgets as w

    for control in controls(app):
        for value in other_values(control):
            if isinstance(control, w.Button):
                control.click()
                what = f"pressed {_name(control)!r}"
            else:
                control.value = value[0] if isinstance(control, w.SelectMultiple) else value
                what = f"{_name(control)!r} → {value!r}"
            yield what, prose_runs(app)


def scan_app(path: Path, *, changes: bool = True) -> dict[str, list[str]]:
    """English prose runs of one dashboard's app in ``zh`` mode: at first build and after each
    control change (in a temporary folder); ``{what: runs}``, empty runs left out."""
    from widgets.apps import labels

    before = labels.get_language()
    labels.set_language("zh", remember=False)
    try:
        with temporary_folder():
            app = build_dashboard_app(path)
            found = {FIRST_BUILD: prose_runs(app)}
            if changes:
                for what, runs in change_runs(app):
                    found[what] = runs
    finally:
        labels.set_language(before, remember=False)
    return {what: runs for what, runs in found.items() if runs}


def scan(changes: bool = False) -> dict[str, list[str]]:
    """English prose runs per app in ``zh`` mode (with ``changes``: new runs after changes too)."""
    found = {}
    for path in dashboard_paths():
        runs: list[str] = []
        for what_runs in scan_app(path, changes=changes).values():
            runs += [run for run in what_runs if run not in runs]
        found[path.stem] = runs
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--first", action="store_true", help="first build only")
    args = parser.parse_args(argv)
    found = scan(changes=not args.first)
    for name, runs in found.items():
        print(f"{name}: {len(runs)} English run(s)")
        if not args.quiet:
            for run in runs:
                print(f"    {run}")
    return 1 if any(found.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
