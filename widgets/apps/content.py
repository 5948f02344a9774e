"""Course content (bets, quizzes, exercise hints) lives as data in ``widgets/content/chNN.json``.

Each chapter owns one file: ``{"bets": {id: {...}}, "quizzes": {id: {...}}, "hints": {id: [...]}}``.

Its Chinese text lives in ``widgets/content/zh/chNN.json``, the same tree holding only the
strings (every string of the English file except ``kind``). In ``zh`` mode
:func:`content_item` returns the English item with each string replaced by its Chinese
counterpart; numbers, flags and ids stay as they are.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

CONTENT_DIR = Path(__file__).resolve().parents[1] / "content"
ZH_DIR = CONTENT_DIR / "zh"
UNTRANSLATED_KEYS = frozenset({"kind"})


@lru_cache(maxsize=32)
def chapter_content(chapter: str) -> dict[str, Any]:
    """The parsed content file for ``chapter`` (e.g. ``"ch00"``)."""
    path = CONTENT_DIR / f"{chapter}.json"
    if not path.is_file():
        raise FileNotFoundError(f"no content file for chapter {chapter!r} at {path}")
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=32)
def chapter_content_zh(chapter: str) -> dict[str, Any]:
    """The Chinese strings for ``chapter`` (empty if the chapter has none yet)."""
    path = ZH_DIR / f"{chapter}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def localise(english: Any, chinese: Any) -> Any:
    """``english`` with each string swapped for the string at the same place in ``chinese``."""
    if isinstance(english, str):
        return chinese if isinstance(chinese, str) and chinese else english
    if isinstance(english, dict):
        chinese = chinese if isinstance(chinese, dict) else {}
        return {key: value if key in UNTRANSLATED_KEYS else localise(value, chinese.get(key))
                for key, value in english.items()}
    if isinstance(english, list):
        chinese = chinese if isinstance(chinese, list) else []
        return [localise(value, chinese[i] if i < len(chinese) else None)
                for i, value in enumerate(english)]
    return english


def glossary_definitions(glossary: Any) -> Any:
    """The glossary's definitions in the label language (Chinese ones in ``zh`` mode)."""
    from widgets.apps.labels import get_language

    if get_language() != "zh":
        return glossary["definition_en"]
    chinese = chapter_content_zh("glossary").get("definition_zh", {})
    return glossary["term_zh"].map(chinese).fillna(glossary["definition_en"])


#: Datasets whose English text columns have a Chinese text in ``content/zh/<dataset>.json``:
#: dataset -> (key column, English columns). The Chinese of column ``x_en`` sits under
#: ``x_zh``, keyed by the row's key (as a string), like the glossary's ``definition_zh``.
DATASET_TEXT_ZH: dict[str, tuple[str, tuple[str, ...]]] = {
    "atomisation": ("order", ("explanation_en",)),
    "characteristics": ("order", ("explanation_en",)),
    "constant_connections": ("connection_id", ("explanation_en",)),
    "course_map": ("chapter", ("question_en",)),
    "ethics_commitments": ("commitment_id", ("meaning_en", "check_question_en")),
    "mask_elements": ("element_id", ("explanation_en",)),
    "product_criteria": ("criterion_id", ("explanation_en",)),
    "stages": ("stage", ("relationship_en", "description_en")),
    "symptoms_1_0": ("symptom_id", ("explanation_en",)),
}


def dataset_text_zh(data: Any, dataset: str, column: str) -> Any:
    """The Chinese text of ``dataset``'s English ``column`` for the rows ``data`` ("" if none)."""
    key, columns = DATASET_TEXT_ZH[dataset]
    if column not in columns:
        raise KeyError(f"{dataset}: no Chinese text for column {column!r}; known: {columns}")
    chinese = chapter_content_zh(dataset).get(column.removesuffix("_en") + "_zh", {})
    return data[key].astype(str).map(chinese).fillna("")


def content_item(chapter: str, kind: str, item_id: str,
                 language: str | None = None) -> Any:
    """One bet / quiz / hint list from a chapter's content file, in the label language."""
    from widgets.apps.labels import get_language

    items = chapter_content(chapter).get(kind, {})
    if item_id not in items:
        raise KeyError(f"{chapter}.json has no {kind[:-1]} {item_id!r}; known: {sorted(items)}")
    if (language or get_language()) != "zh":
        return items[item_id]
    return localise(items[item_id], chapter_content_zh(chapter).get(kind, {}).get(item_id))
