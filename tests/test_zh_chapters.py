"""The Chinese chapters (chapters/zh/) stay the English chapters with Chinese prose.

Code, tags, slide metadata and cell order come from the English notebook; only markdown
differs. A structural drift or a missing translation fails here. A *stale* translation (the
English cell changed after it was written) only warns: the Chinese chapter still runs
exactly the English code, and an English correction should not be blocked on a translator;
``python tools/zh_chapters.py --check`` lists stale cells and ``--diff NN`` shows what changed.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import nbformat
import pytest

from tools import zh_chapters

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")
MIN_CJK_SHARE = 0.70


def _ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


def _chinese(english: Path) -> list[nbformat.NotebookNode]:
    path = ROOT / "chapters" / "zh" / english.name
    assert path.is_file(), f"no Chinese chapter for {english.name} (run tools/zh_chapters.py)"
    return nbformat.read(path, as_version=4).cells


def _prose(markdown: str) -> str:
    """Markdown without code, maths, HTML tags and link targets: the words a student reads."""
    text = re.sub(r"```.*?```", " ", markdown, flags=re.DOTALL)
    text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$|`[^`]*`", " ", text, flags=re.DOTALL)
    text = re.sub(r"<[^>]+>|\]\([^)]*\)", " ", text)
    return text


def cjk_share(markdown: str) -> float:
    """CJK characters among all letters (CJK + Latin) of the prose."""
    prose = _prose(markdown)
    cjk, latin = len(CJK.findall(prose)), len(LATIN.findall(prose))
    return cjk / (cjk + latin) if cjk + latin else 1.0


def test_every_english_chapter_has_a_chinese_one() -> None:
    chinese = {p.name for p in (ROOT / "chapters" / "zh").glob("[0-9][0-9]_*.ipynb")}
    assert chinese == {p.name for p in ENGLISH}


@pytest.mark.parametrize("english", ENGLISH, ids=_ids(ENGLISH))
def test_same_cells_code_tags_and_slides(english: Path) -> None:
    en_cells = nbformat.read(english, as_version=4).cells
    zh_cells = _chinese(english)
    assert [c.cell_type for c in zh_cells] == [c.cell_type for c in en_cells], \
        f"{english.name}: cell order or types drifted"
    for en, zh in zip(en_cells, zh_cells, strict=True):
        assert zh.id == en.id, f"{english.name}: cell {en.id} is {zh.id} in Chinese"
        assert zh.metadata == en.metadata, f"{english.name} {en.id}: tags or slide metadata differ"
        if en.cell_type == "code":
            assert zh.source == en.source, f"{english.name} {en.id}: code differs"


@pytest.mark.parametrize("english", ENGLISH, ids=_ids(ENGLISH))
def test_every_markdown_cell_is_translated_and_built(english: Path) -> None:
    _, status = zh_chapters.resolve(english)
    assert not status.missing, f"{english.name}: no translation for {status.missing}"
    built = zh_chapters.build_notebook(english)
    assert [c.source for c in _chinese(english)] == [c.source for c in built.cells], \
        f"{english.name}: chapters/zh is not a fresh build; run python tools/zh_chapters.py"
    if status.stale:
        warnings.warn(f"{english.name}: stale translations {status.stale} "
                      f"(python tools/zh_chapters.py --diff {english.name[:2]})", stacklevel=1)


@pytest.mark.parametrize("english", ENGLISH, ids=_ids(ENGLISH))
def test_chinese_markdown_is_mostly_chinese(english: Path) -> None:
    markdown = "\n".join(c.source for c in _chinese(english) if c.cell_type == "markdown")
    share = cjk_share(markdown)
    assert share >= MIN_CJK_SHARE, f"{english.name}: only {share:.0%} CJK among letters"


@pytest.mark.parametrize("english", ENGLISH, ids=_ids(ENGLISH))
def test_chinese_markdown_cites_without_dev_paths(english: Path) -> None:
    for cell in _chinese(english):
        if cell.cell_type == "markdown":
            for banned in ("seeds/", "../shared", "黃"):
                assert banned not in cell.source, f"{english.name} {cell.id}: {banned!r}"


def test_cjk_share_counts_prose_only() -> None:
    assert cjk_share("中文 `english_code()` $x_{ij}$") == 1.0
    assert cjk_share("中文 English") == pytest.approx(2 / 9)


def _demo_chapter(root: Path, monkeypatch, cells: list[nbformat.NotebookNode],
                  translations: dict[str, tuple[str, str]]) -> tuple[Path, nbformat.NotebookNode]:
    """A chapter 09 of ``cells`` in a throwaway course under ``root``, with a translation
    store of ``{cell id: (English it was written from, Chinese)}``; zh_chapters points there."""
    english = root / "chapters" / "09_demo.ipynb"
    (root / "chapters" / "zh" / "translations").mkdir(parents=True)
    notebook = nbformat.v4.new_notebook()
    notebook.cells = cells
    nbformat.write(notebook, english)
    monkeypatch.setattr(zh_chapters, "EN_DIR", root / "chapters")
    monkeypatch.setattr(zh_chapters, "ZH_DIR", root / "chapters" / "zh")
    monkeypatch.setattr(zh_chapters, "STORE_DIR", root / "chapters" / "zh" / "translations")
    zh_chapters.save_store(english, {"chapter": english.name, "cells": {
        cell_id: {"en": en, "en_sha": zh_chapters.en_sha(en), "zh": zh}
        for cell_id, (en, zh) in translations.items()}})
    return english, notebook


def test_stale_and_moved_translations_are_told_apart(tmp_path: Path, monkeypatch) -> None:
    english, notebook = _demo_chapter(tmp_path, monkeypatch, [
        nbformat.v4.new_markdown_cell("# Title", id="cell-000"),
        nbformat.v4.new_code_cell("1 + 1", id="cell-001"),
        nbformat.v4.new_markdown_cell("Moved text", id="cell-002"),
        nbformat.v4.new_markdown_cell("Changed text", id="cell-003"),
    ], {"cell-000": ("# Title", "# 标题"), "cell-001": ("Moved text", "挪过的文字"),
        "cell-003": ("Old text", "旧文字")})
    chosen, status = zh_chapters.resolve(english)
    assert status.fresh == ["cell-000", "cell-002"] and status.moved == {"cell-002": "cell-001"}
    assert status.stale == ["cell-003"] and not status.missing
    assert chosen["cell-002"] == "挪过的文字"
    built = zh_chapters.build_notebook(english)
    assert [c.source for c in built.cells] == ["# 标题", "1 + 1", "挪过的文字", "旧文字"]
    assert zh_chapters.check() == 1          # chapters/zh/09_demo.ipynb was never built
    zh_chapters.main([])
    assert zh_chapters.check() == 0          # stale only warns
    zh_chapters.rekey()
    assert set(zh_chapters.load_store(english)["cells"]) == {"cell-000", "cell-002", "cell-003"}
    notebook.cells.append(nbformat.v4.new_markdown_cell("New", id="cell-004"))
    nbformat.write(notebook, english)
    assert zh_chapters.resolve(english)[1].missing == ["cell-004"]
    assert zh_chapters.check() == 1


def test_an_inserted_cell_does_not_borrow_a_moved_translation(tmp_path: Path, monkeypatch) -> None:
    """English gains a cell and write_notebook renumbers: the new cell is missing, not stale."""
    english, _ = _demo_chapter(tmp_path, monkeypatch, [
        nbformat.v4.new_markdown_cell("# Title", id="cell-000"),
        nbformat.v4.new_markdown_cell("Brand new", id="cell-001"),
        nbformat.v4.new_markdown_cell("Old second", id="cell-002"),
    ], {"cell-000": ("# Title", "# 标题"), "cell-001": ("Old second", "原来的第二格")})
    chosen, status = zh_chapters.resolve(english)
    assert status.missing == ["cell-001"] and not status.stale
    assert chosen["cell-002"] == "原来的第二格" and "cell-001" not in chosen
