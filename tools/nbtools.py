"""Write course notebooks from Python: cells with slide metadata, no outputs.

Used by contributors to generate or regenerate a chapter::

    from tools.nbtools import md, code, write_notebook
    write_notebook("chapters/02_which_products.ipynb", [
        md("# Which products sell through friends?", slide="slide"),
        code("from widgets.apps.product_scorer import build_product_scorer", slide="skip",
             hidden=True),
        code("build_product_scorer()"),
    ])

Slide types: ``slide``, ``subslide``, ``fragment``, ``skip``, ``notes`` or ``-`` (continue;
written as no slide type, which the in-place deck understands).
"""

from __future__ import annotations

from pathlib import Path

import nbformat

SLIDE_TYPES = ("slide", "subslide", "fragment", "skip", "notes", "-")


def _meta(slide: str, tags: list[str] | None, hidden: bool) -> dict:
    if slide not in SLIDE_TYPES:
        raise ValueError(f"slide must be one of {SLIDE_TYPES}, got {slide!r}")
    # "-" (continue the slide) is written as no slide type at all: the deck
    # (jupyterlab-slideshow) shows only cells whose type it knows, and "none" is one.
    meta: dict = {} if slide == "-" else {"slideshow": {"slide_type": slide}}
    if tags:
        meta["tags"] = list(tags)
    if hidden:
        meta["jupyter"] = {"source_hidden": True}
    return meta


def md(text: str, slide: str = "-", tags: list[str] | None = None) -> nbformat.NotebookNode:
    """A markdown cell."""
    return nbformat.v4.new_markdown_cell(text.strip("\n"), metadata=_meta(slide, tags, False))


def code(source: str, slide: str = "-", tags: list[str] | None = None,
         hidden: bool = False) -> nbformat.NotebookNode:
    """A code cell (``hidden=True`` collapses its source, e.g. for the setup cell)."""
    return nbformat.v4.new_code_cell(source.strip("\n"), metadata=_meta(slide, tags, hidden))


def write_notebook(path: str | Path, cells: list[nbformat.NotebookNode], title: str = "") -> Path:
    """Write a clean notebook (no outputs, no widget state) with a Python 3 kernelspec."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = cells
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{index:03d}"
    notebook.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                       "name": "python3"},
        "language_info": {"name": "python"},
    }
    if title:
        notebook.metadata["title"] = title
    nbformat.validate(notebook)
    path = Path(path)
    nbformat.write(notebook, path)
    return path
