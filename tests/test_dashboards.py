"""The Voila dashboards: one small, clean notebook per widget app, each showing exactly one app.

- every ``dashboards/*.ipynb`` is stripped (no outputs, execution counts or widget state);
- its only code cell imports one ``build_…`` from ``widgets.apps.<module>`` and ends by
  calling it, so Voila shows that app and nothing else;
- the call, run here without a browser, returns a widget holding a plotly figure and at
  least one control;
- every widget app in ``widgets/apps`` (a ``build_…()`` callable without arguments whose
  widget has a figure and a control) has a dashboard, so a new app cannot be forgotten.

The dashboards are opened in a real browser by ``tests/browser/test_voila_dashboard.py``.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ipywidgets as w
import nbformat
import plotly.graph_objects as go
import pytest

import widgets.apps

ROOT = Path(__file__).resolve().parents[1]
DASHBOARDS = sorted((ROOT / "dashboards").glob("*.ipynb"))
CONTROLS = (w.FloatSlider, w.IntSlider, w.FloatLogSlider, w.SelectionSlider, w.Dropdown,
            w.ToggleButtons, w.ToggleButton, w.Checkbox, w.RadioButtons, w.SelectMultiple)


def _ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


def _children(widget: Any) -> Iterator[w.Widget]:
    """Widgets a widget shows: every synced trait holding a widget or a list of widgets."""
    for name in getattr(widget, "keys", []):
        if name in ("layout", "style"):
            continue
        value = getattr(widget, name, None)
        items = value if isinstance(value, list | tuple) else [value]
        for item in items:
            if isinstance(item, w.Widget):
                yield item


def _walk(widget: Any, seen: set[int] | None = None) -> Iterator[w.Widget]:
    seen = set() if seen is None else seen
    if id(widget) in seen:
        return
    seen.add(id(widget))
    yield widget
    for child in _children(widget):
        yield from _walk(child, seen)


def _is_app(widget: Any) -> bool:
    """A widget app: shows at least one plotly figure and at least one control."""
    if not isinstance(widget, w.Widget):
        return False
    parts = list(_walk(widget))
    return (any(isinstance(p, go.FigureWidget) for p in parts)
            and any(isinstance(p, CONTROLS) for p in parts))


def _code_cells(path: Path) -> list[nbformat.NotebookNode]:
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def _dashboard_call(path: Path) -> tuple[str, str, ast.Call]:
    """(module, builder name, call) of a dashboard's single code cell, checking its shape."""
    cells = _code_cells(path)
    assert len(cells) == 1, f"{path.name}: a dashboard has exactly one code cell"
    tree = ast.parse(cells[0].source)
    *imports, last = tree.body
    assert len(imports) == 1 and isinstance(imports[0], ast.ImportFrom), \
        f"{path.name}: the cell starts with one `from widgets.apps.<module> import build_…`"
    module = imports[0].module or ""
    names = [alias.name for alias in imports[0].names]
    assert module.startswith("widgets.apps.") and len(names) == 1 \
        and names[0].startswith("build_"), f"{path.name}: imports {names} from {module}"
    assert isinstance(last, ast.Expr) and isinstance(last.value, ast.Call) \
        and isinstance(last.value.func, ast.Name) and last.value.func.id == names[0], \
        f"{path.name}: the cell must end by calling {names[0]}(…) so Voila displays it"
    return module, names[0], last.value


def _app_builders() -> dict[str, str]:
    """``build_…`` callables in widgets/apps that need no argument and build an app."""
    builders: dict[str, str] = {}
    for info in pkgutil.iter_modules(widgets.apps.__path__):
        module = importlib.import_module(f"widgets.apps.{info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if not name.startswith("build_") or function.__module__ != module.__name__:
                continue
            required = [p for p in inspect.signature(function).parameters.values()
                        if p.default is inspect.Parameter.empty
                        and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
            if required:
                continue
            if _is_app(function()):
                builders[name] = module.__name__
    return builders


def test_there_are_dashboards() -> None:
    assert DASHBOARDS, "dashboards/ holds no notebook"


@pytest.mark.parametrize("path", DASHBOARDS, ids=_ids(DASHBOARDS))
def test_dashboard_is_stripped(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert "widgets" not in notebook.metadata, f"{path.name} stores widget state"
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, f"{path.name} has outputs"
    assert notebook.cells[0].cell_type == "markdown" \
        and notebook.cells[0].source.startswith("# "), f"{path.name} needs a # title first"


@pytest.mark.parametrize("path", DASHBOARDS, ids=_ids(DASHBOARDS))
def test_dashboard_displays_exactly_one_app(path: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    module, builder, _ = _dashboard_call(path)
    assert path.stem in module or path.stem in builder, \
        f"{path.name} should be named after the app it shows ({builder})"
    monkeypatch.chdir(tmp_path)  # an app may save a student's file next to the notebook
    namespace: dict[str, Any] = {}
    source = _code_cells(path)[0].source
    *body, last = ast.parse(source).body
    exec(compile(ast.Module(body=body, type_ignores=[]), path.name, "exec"), namespace)
    app = eval(compile(ast.Expression(body=last.value), path.name, "eval"), namespace)
    assert _is_app(app), f"{path.name}: {builder}() returned {type(app).__name__}, " \
        "which shows no plotly figure with a control"


def test_every_app_has_a_dashboard(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shown = {_dashboard_call(path)[1] for path in DASHBOARDS}
    builders = _app_builders()
    assert builders, "found no widget app in widgets/apps: is the search broken?"
    missing = sorted(f"{module}.{name}" for name, module in builders.items() if name not in shown)
    assert not missing, f"apps without a dashboard in dashboards/: {missing}"


def test_the_offline_voila_template_is_installed_with_the_package() -> None:
    """`pip install -e .` puts the course's Voila config and template in sys.prefix.

    Without them Voila falls back to its lab template, which loads Font Awesome from
    a CDN and so breaks the offline guarantee (the browser test would catch it too).
    """
    import json
    import sys

    from jupyter_core.paths import jupyter_config_path, jupyter_path

    config_dirs = [Path(p) for p in jupyter_config_path()]
    configs = [d / "voila.json" for d in config_dirs if (d / "voila.json").is_file()]
    assert configs, (f"no voila.json on Jupyter's config path {config_dirs}; reinstall the "
                     "course with `pip install -e .`")
    assert json.loads(configs[0].read_text(encoding="utf-8")) == json.loads(
        (ROOT / "jupyter-config" / "voila.json").read_text(encoding="utf-8"))
    template = "voila/templates/social_selling/index.html.j2"
    installed = [Path(p) / template for p in jupyter_path() if (Path(p) / template).is_file()]
    assert installed, f"the course's Voila template is not installed under {sys.prefix}"
    assert installed[0].read_text(encoding="utf-8") == (
        ROOT / "jupyter-config" / template).read_text(encoding="utf-8")
