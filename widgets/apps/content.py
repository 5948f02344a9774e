"""Course content (bets, quizzes, exercise hints) lives as data in ``widgets/content/chNN.json``.

Each chapter owns one file: ``{"bets": {id: {...}}, "quizzes": {id: {...}}, "hints": {id: [...]}}``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

CONTENT_DIR = Path(__file__).resolve().parents[1] / "content"


@lru_cache(maxsize=32)
def chapter_content(chapter: str) -> dict[str, Any]:
    """The parsed content file for ``chapter`` (e.g. ``"ch00"``)."""
    path = CONTENT_DIR / f"{chapter}.json"
    if not path.is_file():
        raise FileNotFoundError(f"no content file for chapter {chapter!r} at {path}")
    return json.loads(path.read_text(encoding="utf-8"))


def content_item(chapter: str, kind: str, item_id: str) -> dict[str, Any]:
    """One bet / quiz / hint list from a chapter's content file."""
    items = chapter_content(chapter).get(kind, {})
    if item_id not in items:
        raise KeyError(f"{chapter}.json has no {kind[:-1]} {item_id!r}; known: {sorted(items)}")
    return items[item_id]
