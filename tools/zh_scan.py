"""List the English prose a student still sees when the course runs in Chinese.

Every app is driven the way its Voila dashboard builds it (``dashboards/*.ipynb`` is the
registry of apps), in ``zh`` mode, and every visible string — widget labels and HTML,
dropdown options, figure titles, axis titles, legend names and hover templates — is
scanned for runs of three or more English words. Units, model symbols, code and names
of people or works do not form such runs. Usage, from the project root::

    python tools/zh_scan.py            # one line per app, then the runs found
    python tools/zh_scan.py --quiet    # counts only; exit 1 if any run is found
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ENGLISH_PROSE = re.compile(r"\b[A-Za-z]{2,}(?:[ ,'’-]+[A-Za-z]{2,}){2,}\b")
CODE = re.compile(r"`[^`]*`|\S*[_().=\[\]'\"]\S*")


def english_prose(text: str) -> list[str]:
    """Runs of English words a Chinese reader would have to read, code and markup aside."""
    text = re.sub(r"<[^>]+>", " ", CODE.sub(" ", text))
    return ENGLISH_PROSE.findall(text)


def visible_strings(widget: Any) -> list[str]:
    """Every string a student sees in a widget tree, figures included."""
    import ipywidgets as w
    import plotly.graph_objects as go

    seen: list[str] = []
    if isinstance(widget, go.FigureWidget):
        layout = widget.layout
        seen.append(str(layout.title.text or ""))
        for axis in ("xaxis", "yaxis", "xaxis2", "yaxis2"):
            if axis in layout and layout[axis].title.text:
                seen.append(str(layout[axis].title.text))
        for trace in widget.data:
            for attribute in ("name", "hovertemplate"):
                value = getattr(trace, attribute, None)
                if isinstance(value, str):
                    seen.append(value)
        seen += [str(a.text) for a in layout.annotations or () if a.text]
        return seen
    for attribute in ("value", "description", "placeholder", "tooltip"):
        value = getattr(widget, attribute, None)
        if isinstance(value, str):
            seen.append(value)
    if isinstance(widget, w.widgets.widget_selection._Selection):
        seen += list(widget._options_labels)
    for child in getattr(widget, "children", ()):
        seen += visible_strings(child)
    return seen


def dashboard_apps() -> dict[str, Any]:
    """Each dashboard's app, built by running the dashboard's code cells (in a temp folder)."""
    apps = {}
    here = Path.cwd()
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)
        try:
            for path in sorted((ROOT / "dashboards").glob("*.ipynb")):
                cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
                code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
                tree = ast.parse(code)
                last = tree.body.pop()
                if not isinstance(last, ast.Expr):
                    raise ValueError(f"{path.name} does not end with the app it shows")
                namespace: dict[str, Any] = {}
                exec(compile(tree, path.name, "exec"), namespace)
                apps[path.stem] = eval(compile(ast.Expression(last.value), path.name, "eval"),
                                       namespace)
        finally:
            os.chdir(here)
    return apps


def scan() -> dict[str, list[str]]:
    """English prose runs per app, in ``zh`` mode."""
    from widgets.apps import labels

    before = labels.get_language()
    labels.set_language("zh", remember=False)
    try:
        return {name: [run for text in visible_strings(app) for run in english_prose(text)]
                for name, app in dashboard_apps().items()}
    finally:
        labels.set_language(before, remember=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    found = scan()
    for name, runs in found.items():
        print(f"{name}: {len(runs)} English run(s)")
        if not args.quiet:
            for run in runs:
                print(f"    {run}")
    return 1 if any(found.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
