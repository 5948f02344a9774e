"""Search the course glossary (pure pandas).

A row matches when the query occurs, case-insensitively, in the Chinese term,
its pinyin (with or without tone marks), the English term or the definition.
"""

from __future__ import annotations

import unicodedata

import pandas as pd

from widgets.models.validation import check_frame, check_int, check_text

SEARCH_COLUMNS = ("term_zh", "pinyin", "term_en", "definition_en")


def strip_tones(text: str) -> str:
    """'wēishāng' -> 'weishang' (drop combining accents after NFD decomposition)."""
    decomposed = unicodedata.normalize("NFD", check_text("text", text))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def search_glossary(glossary: pd.DataFrame, query: str = "", chapter: int | None = None
                    ) -> pd.DataFrame:
    """Rows of ``glossary`` matching ``query`` (all rows if blank), optionally of one chapter."""
    check_frame("glossary", glossary, (*SEARCH_COLUMNS, "chapter"))
    check_text("query", query)
    rows = glossary
    if chapter is not None:
        chapter = check_int("chapter", chapter, 0, 99)
        rows = rows[rows["chapter"] == chapter]
    needle = strip_tones(query.strip()).lower().replace(" ", "")
    if not needle:
        return rows.reset_index(drop=True)
    haystack = rows[list(SEARCH_COLUMNS)].fillna("").astype(str).agg(" ".join, axis=1)
    folded = haystack.map(lambda s: strip_tones(s).lower().replace(" ", ""))
    return rows[folded.str.contains(needle, regex=False)].reset_index(drop=True)
