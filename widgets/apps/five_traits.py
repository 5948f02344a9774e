"""Tables for chapters 1 and 4 read from the shared datasets (five traits, glossary terms)."""

from __future__ import annotations

import ipywidgets as w
import pandas as pd

from widgets.apps.content import glossary_definitions
from widgets.apps.labels import prose
from widgets.apps.tables import table_html
from widgets.data import load_dataset, source_note


def _table(headers: list[str], rows: list[list[str]], source: str) -> w.HTML:
    return w.HTML(table_html(pd.DataFrame(rows, columns=headers), source))


def show_characteristics() -> w.HTML:
    """The five characteristics of 微商 (dataset ``characteristics``) with their source."""
    table = load_dataset("characteristics").sort_values("order")
    rows = [[r.section, f"{r.term_zh} · {r.term_en}", r.explanation_en]
            for r in table.itertuples()]
    return _table(["§", "Trait", "In brief"], rows, source_note("characteristics"))


def show_chapter_terms(chapter: int) -> w.HTML:
    """The glossary's terms for ``chapter`` (dataset ``glossary``) with their source."""
    glossary = load_dataset("glossary")
    table = glossary[glossary["chapter"] == chapter]
    if table.empty:
        raise ValueError(f"the glossary has no terms for chapter {chapter}")
    table = table.assign(definition=glossary_definitions(table))
    rows = [[r.term_zh, r.pinyin, r.term_en, r.definition] for r in table.itertuples()]
    headers = [prose("中文", "术语"), prose("Pinyin", "拼音"), prose("English", "英文"),
               prose("Meaning", "释义")]
    return _table(headers, rows, source_note("glossary"))
