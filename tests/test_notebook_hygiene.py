"""Committed notebooks are clean and present well as slides (jupyterlab-slideshow deck).

- no outputs, execution counts or widget state (an executed FigureWidget notebook
  stores megabytes of state);
- every cell has a slide type the deck knows (none = continue) and every chapter opens
  with a slide;
- no slide is overlong for a 1280×720 projector;
- setup cells (slide type ``skip``) hold only imports, and code cells stay short.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = (sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
            + sorted((ROOT / "chapters" / "zh").glob("[0-9][0-9]_*.ipynb")))
NOTEBOOKS = CHAPTERS + sorted((ROOT / "dashboards").glob("*.ipynb"))
# No slide type = continue the slide. An explicit "-" (RISE's spelling) is refused: the deck
# (jupyterlab-slideshow) never shows such a cell.
SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "notes", None}
MAX_SLIDE_WORDS = 170    # words of prose on one slide (headings and code excluded)
MAX_SLIDE_LINES = 22     # rendered lines (markdown lines + code lines) on one slide
MAX_CODE_LINES = 12      # "one short call per cell"


def _ids(paths: list[Path]) -> list[str]:
    return [str(p.relative_to(ROOT)) for p in paths]


def _cells(path: Path) -> list[nbformat.NotebookNode]:
    return nbformat.read(path, as_version=4).cells


def test_there_is_a_chapter_00() -> None:
    assert (ROOT / "chapters" / "00_start_here.ipynb").is_file()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_is_stripped(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    assert "widgets" not in notebook.metadata, f"{path.name} stores widget state"
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            assert not cell.outputs, f"{path.name} cell {index} has stored outputs"
            assert cell.execution_count is None, f"{path.name} cell {index} has an execution count"
    assert path.stat().st_size < 200_000, f"{path.name} is suspiciously large"


@pytest.mark.parametrize("path", CHAPTERS, ids=_ids(CHAPTERS))
def test_chapter_has_slide_metadata(path: Path) -> None:
    cells = _cells(path)
    for index, cell in enumerate(cells):
        slide_type = cell.metadata.get("slideshow", {}).get("slide_type")
        assert slide_type in SLIDE_TYPES, f"{path.name} cell {index}: slide_type {slide_type!r}"
    first = cells[0]
    assert first.cell_type == "markdown" and first.metadata["slideshow"]["slide_type"] == "slide", \
        f"{path.name} must open with a title slide"
    assert first.source.lstrip().startswith("# "), f"{path.name}: the title slide needs a # title"


def _slides(cells: list[nbformat.NotebookNode]) -> list[list[nbformat.NotebookNode]]:
    slides: list[list[nbformat.NotebookNode]] = []
    for cell in cells:
        slide_type = cell.metadata.get("slideshow", {}).get("slide_type", "-")
        if slide_type in ("skip", "notes"):
            continue
        if slide_type in ("slide", "subslide") or not slides:
            slides.append([])
        slides[-1].append(cell)
    return slides


def _prose_words(markdown: str) -> int:
    text = re.sub(r"<[^>]+>", " ", markdown)
    text = re.sub(r"^#.*$", "", text, flags=re.MULTILINE)
    latin = re.findall(r"[A-Za-z0-9'’\-]+", text)
    cjk = re.findall(r"[\u4e00-\u9fff]", text)
    return len(latin) + len(cjk) // 2


def _visible_lines(cell: nbformat.NotebookNode) -> int:
    source = cell.source
    if cell.cell_type == "markdown":
        # text inside a closed <details> block is not shown until opened
        source = re.sub(r"<details>.*?</details>", "<details/>", source, flags=re.DOTALL)
    return len([line for line in source.splitlines() if line.strip()])


@pytest.mark.parametrize("path", CHAPTERS, ids=_ids(CHAPTERS))
def test_no_slide_is_overlong(path: Path) -> None:
    for number, slide in enumerate(_slides(_cells(path)), start=1):
        words = sum(_prose_words(re.sub(r"<details>.*?</details>", "", c.source, flags=re.DOTALL))
                    for c in slide if c.cell_type == "markdown")
        lines = sum(_visible_lines(c) for c in slide)
        heading = slide[0].source.splitlines()[0][:60] if slide[0].source else "?"
        assert words <= MAX_SLIDE_WORDS, f"{path.name} slide {number} ({heading}): {words} words"
        assert lines <= MAX_SLIDE_LINES, f"{path.name} slide {number} ({heading}): {lines} lines"


@pytest.mark.parametrize("path", CHAPTERS, ids=_ids(CHAPTERS))
def test_code_cells_are_short_and_setup_is_imports_only(path: Path) -> None:
    cells = _cells(path)
    for index, cell in enumerate(cells):
        if cell.cell_type != "code":
            continue
        lines = [ln for ln in cell.source.splitlines()
                 if ln.strip() and not ln.strip().startswith("#")]
        assert len(lines) <= MAX_CODE_LINES, f"{path.name} cell {index}: {len(lines)} code lines"
    setup = cells[1]
    assert setup.cell_type == "code" and setup.metadata["slideshow"]["slide_type"] == "skip", \
        f"{path.name}: cell 1 must be the hidden setup cell (slide type skip)"
    assert setup.metadata.get("jupyter", {}).get("source_hidden"), \
        f"{path.name}: hide the setup cell"
    assert "slide_style()" in setup.source, \
        f"{path.name}: the setup cell must end with slide_style() (the deck's projector style)"
    for line in setup.source.splitlines():
        stripped = line.split("#")[0].strip()
        if stripped == "slide_style()":  # the one call allowed: it only emits a <style>
            continue
        assert not stripped or stripped.startswith(("import ", "from ", "#", ")")) \
            or re.match(r"^[\w, ]+,?$", stripped), \
            f"{path.name} setup cell: {line!r} is not an import"


ANATOMY = ("place your bet", "exercise", "sandbox", "key takeaways")
ANATOMY_ZH = ("先下注", "练习", "沙盒", "要点")
TITLE_MARKERS = ("learning objectives", "min", "docs/references.md")
TITLE_MARKERS_ZH = ("学习目标", "分钟", "docs/references.md")


@pytest.mark.parametrize("path", CHAPTERS, ids=_ids(CHAPTERS))
def test_chapter_follows_the_anatomy(path: Path) -> None:
    cells = _cells(path)
    title = cells[0].source.lower()
    chinese = path.parent.name == "zh"
    for marker in TITLE_MARKERS_ZH if chinese else TITLE_MARKERS:
        assert marker in title, f"{path.name}: the title slide lacks {marker!r}"
    headings = [line.lower() for cell in cells if cell.cell_type == "markdown"
                for line in cell.source.splitlines() if line.startswith("#")]
    first_at = {}
    for part in ANATOMY_ZH if chinese else ANATOMY:
        hits = [i for i, heading in enumerate(headings) if part in heading]
        assert hits, f"{path.name} has no heading for {part!r}"
        first_at[part] = hits[0]
    assert list(first_at.values()) == sorted(first_at.values()), \
        f"{path.name}: parts are out of the guide's order {first_at}"
    assert any("<details" in c.source for c in cells if c.cell_type == "markdown"), \
        f"{path.name}: the exercise needs hints/solution inside <details>"
