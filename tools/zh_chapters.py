"""Build the Chinese chapters (``chapters/zh/``) from the English ones and a translation store.

The English notebook is the single source of code, tags, slide metadata and cell order.
A Chinese chapter is that notebook with every markdown cell replaced by its Chinese text,
kept in ``locale/zh/chapters/NN.json`` (outside ``chapters/``, so the English it was
written from, kept for ``--diff``, is not scanned as course text)::

    {"chapter": "02_which_products.ipynb",
     "cells": {"cell-004": {"en_sha": "<sha256[:16] of the English markdown>",
                            "en": "<the English markdown it was written from>",
                            "zh": "<the Chinese markdown>"}}}

A translation is matched to an English markdown cell by cell id; if the id no longer
carries the same English text (cells were inserted and the ids shifted) a translation
written from exactly that English text is found by its hash instead. A cell is then

- **fresh**: a translation was written from today's English text;
- **stale**: the English cell under this id changed since the translation was written
  (the Chinese text is still used; ``--diff`` shows what changed in English);
- **missing**: no translation at all (the build keeps the English text and says so).

Usage, from the project root::

    python tools/zh_chapters.py            # rebuild chapters/zh/*.ipynb
    python tools/zh_chapters.py --check    # report missing/stale/out of date; exit 1 on missing
                                           # or a built chapter that differs from a fresh build
    python tools/zh_chapters.py --diff 03  # English changes behind chapter 03's stale cells
    python tools/zh_chapters.py --accept 03 cell-012   # mark a reviewed translation fresh
    python tools/zh_chapters.py --rekey    # re-key stores to today's cell ids (after moves)
    python tools/zh_chapters.py --import 03 draft.md   # take Chinese texts from a draft

A draft for ``--import`` holds cells separated by lines ``%%% cell-012``; each text is
stored as written from today's English text of that cell.
"""

from __future__ import annotations

import argparse
import copy
import difflib
import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
EN_DIR = ROOT / "chapters"
ZH_DIR = EN_DIR / "zh"
STORE_DIR = ROOT / "locale" / "zh" / "chapters"
MISSING_MARK = "<!-- zh: translation missing -->"


def en_sha(source: str) -> str:
    """Short sha256 of an English markdown source (the translation's provenance)."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


def english_chapters() -> list[Path]:
    return sorted(EN_DIR.glob("[0-9][0-9]_*.ipynb"))


def store_path(chapter: Path) -> Path:
    return STORE_DIR / f"{chapter.name[:2]}.json"


def load_store(chapter: Path) -> dict:
    path = store_path(chapter)
    if not path.exists():
        return {"chapter": chapter.name, "cells": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def save_store(chapter: Path, store: dict) -> None:
    store_path(chapter).parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(store, ensure_ascii=False, indent=1, sort_keys=True)
    store_path(chapter).write_text(text + "\n", encoding="utf-8")


@dataclass
class Status:
    """Where each English markdown cell of one chapter stands."""

    fresh: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    moved: dict[str, str] = field(default_factory=dict)   # current id -> id in the store
    unused: list[str] = field(default_factory=list)        # store entries no cell uses


def resolve(chapter: Path) -> tuple[dict[str, str], Status]:
    """Chinese markdown for each English markdown cell id, and the status of each."""
    notebook = nbformat.read(chapter, as_version=4)
    cells = load_store(chapter)["cells"]
    by_sha = {entry["en_sha"]: key for key, entry in cells.items()}
    status, chosen, used = Status(), {}, set()
    markdown = [c for c in notebook.cells if c.cell_type == "markdown"]
    # entries whose English text is still in the chapter belong to that text, wherever it moved
    claimed = {by_sha[en_sha(c.source)] for c in markdown if en_sha(c.source) in by_sha}
    for cell in markdown:
        sha, entry = en_sha(cell.source), cells.get(cell.id)
        if entry and entry["en_sha"] == sha:
            status.fresh.append(cell.id)
            key = cell.id
        elif sha in by_sha:
            key = by_sha[sha]
            status.fresh.append(cell.id)
            status.moved[cell.id] = key
        elif entry and cell.id not in claimed:
            key = cell.id
            status.stale.append(cell.id)
        else:
            status.missing.append(cell.id)
            continue
        used.add(key)
        chosen[cell.id] = cells[key]["zh"]
    status.unused = sorted(set(cells) - used)
    return chosen, status


def build_notebook(chapter: Path) -> nbformat.NotebookNode:
    """The Chinese notebook: the English one with its markdown replaced by the translation."""
    notebook = nbformat.read(chapter, as_version=4)
    chinese, _ = resolve(chapter)
    built = copy.deepcopy(notebook)
    for cell in built.cells:
        if cell.cell_type == "markdown":
            cell.source = chinese.get(cell.id, f"{MISSING_MARK}\n{cell.source}")
        else:
            cell.outputs, cell.execution_count = [], None
    built.metadata["language"] = "zh-CN"
    built.metadata.pop("widgets", None)
    nbformat.validate(built)
    return built


def zh_path(chapter: Path) -> Path:
    return ZH_DIR / chapter.name


def build_all() -> list[Path]:
    written = []
    for chapter in english_chapters():
        if not store_path(chapter).exists():
            continue
        nbformat.write(build_notebook(chapter), zh_path(chapter))
        written.append(zh_path(chapter))
    return written


def check() -> int:
    """Print each chapter's status; 1 if anything is missing or a built chapter is out of date."""
    problems = 0
    for chapter in english_chapters():
        _, status = resolve(chapter)
        target = zh_path(chapter)
        current = target.exists() and nbformat.read(target, as_version=4) == build_notebook(chapter)
        print(f"{chapter.name}: {len(status.fresh)} fresh, {len(status.stale)} stale, "
              f"{len(status.missing)} missing" + ("" if current else ", NEEDS REBUILD"))
        for label, ids in (("stale", status.stale), ("missing", status.missing),
                           ("unused store entry", status.unused)):
            for cell_id in ids:
                print(f"  {label}: {cell_id}")
        for cell_id, old in status.moved.items():
            print(f"  moved: {old} -> {cell_id} (run --rekey)")
        problems += bool(status.missing) or not current
    return 1 if problems else 0


def diff(number: str) -> None:
    """Show how the English of each stale or missing cell differs from what was translated."""
    (chapter,) = [p for p in english_chapters() if p.name.startswith(number)]
    notebook = nbformat.read(chapter, as_version=4)
    cells = load_store(chapter)["cells"]
    _, status = resolve(chapter)
    for cell in notebook.cells:
        if cell.id in status.stale or cell.id in status.missing:
            old = cells.get(cell.id, {}).get("en", "")
            print(f"### {cell.id} ({'stale' if old else 'missing'})")
            sys.stdout.writelines(difflib.unified_diff(
                old.splitlines(True), cell.source.splitlines(True), "translated from", "now"))
            print()


def accept(number: str, cell_ids: list[str]) -> None:
    """Record that the Chinese text of ``cell_ids`` was reviewed against today's English."""
    (chapter,) = [p for p in english_chapters() if p.name.startswith(number)]
    notebook = nbformat.read(chapter, as_version=4)
    sources = {c.id: c.source for c in notebook.cells if c.cell_type == "markdown"}
    store = load_store(chapter)
    for cell_id in cell_ids:
        store["cells"][cell_id].update(en=sources[cell_id], en_sha=en_sha(sources[cell_id]))
    save_store(chapter, store)


def import_draft(number: str, draft: Path) -> None:
    """Store the Chinese texts of a ``%%% cell-id``-separated draft against today's English."""
    (chapter,) = [p for p in english_chapters() if p.name.startswith(number)]
    notebook = nbformat.read(chapter, as_version=4)
    sources = {c.id: c.source for c in notebook.cells if c.cell_type == "markdown"}
    store = load_store(chapter)
    parts = draft.read_text(encoding="utf-8").split("\n%%% ")
    for part in parts[1:] if not parts[0].startswith("%%% ") else parts:
        cell_id, _, body = part.removeprefix("%%% ").partition("\n")
        cell_id = cell_id.strip()
        if cell_id not in sources:
            raise SystemExit(f"{draft}: {cell_id!r} is not a markdown cell of {chapter.name}")
        store["cells"][cell_id] = {"en": sources[cell_id], "en_sha": en_sha(sources[cell_id]),
                                   "zh": body.strip("\n")}
    save_store(chapter, store)


def rekey() -> None:
    """Rename store entries to the ids their English text has today (after cells moved)."""
    for chapter in english_chapters():
        if not store_path(chapter).exists():
            continue
        _, status = resolve(chapter)
        store = load_store(chapter)
        old = {k: store["cells"][k] for k in status.moved.values()}
        for old_id in status.moved.values():
            store["cells"].pop(old_id, None)
        for new_id, old_id in status.moved.items():
            store["cells"][new_id] = old[old_id]
        save_store(chapter, store)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--diff", metavar="NN")
    parser.add_argument("--accept", nargs="+", metavar=("NN", "CELL_ID"))
    parser.add_argument("--rekey", action="store_true")
    parser.add_argument("--import", dest="draft", nargs=2, metavar=("NN", "DRAFT"))
    args = parser.parse_args(argv)
    if args.check:
        return check()
    if args.diff:
        diff(args.diff)
        return 0
    if args.accept:
        accept(args.accept[0], args.accept[1:])
        return 0
    if args.draft:
        import_draft(args.draft[0], Path(args.draft[1]))
    if args.rekey:
        rekey()
    for path in build_all():
        print(f"wrote {path.relative_to(EN_DIR.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
