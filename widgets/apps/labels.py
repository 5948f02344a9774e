"""Bilingual labels: English + 中文, switchable for the whole course with one call.

Apps register label keys with :func:`register_labels` and attach them to
widgets with :func:`bind`; :func:`set_language` then relabels every live widget
at once (``"both"`` — the default — ``"en"`` or ``"zh"``).
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from typing import Any

LANGUAGES = ("both", "en", "zh")
_state: dict[str, str] = {"language": "both"}
_labels: dict[str, tuple[str, str]] = {}
_bindings: list[tuple[weakref.ref, str, str]] = []


def register_labels(mapping: Mapping[str, tuple[str, str]]) -> None:
    """Add ``key -> (english, chinese)`` pairs; re-registering a key with new text is an error."""
    for key, pair in mapping.items():
        if len(pair) != 2 or not all(isinstance(p, str) and p for p in pair):
            raise ValueError(
                f"label {key!r} needs a non-empty (english, chinese) pair, got {pair!r}")
        if key in _labels and _labels[key] != tuple(pair):
            raise ValueError(f"label {key!r} is already registered as {_labels[key]}")
        _labels[key] = (pair[0], pair[1])


def format_pair(english: str, chinese: str, language: str | None = None) -> str:
    """Render one pair in the given (default: current) language."""
    language = language or _state["language"]
    if language == "en":
        return english
    if language == "zh":
        return chinese
    return f"{english} · {chinese}"


def text(key: str, language: str | None = None) -> str:
    """The label for ``key`` in the current language."""
    if key not in _labels:
        raise KeyError(f"no label registered for {key!r}")
    return format_pair(*_labels[key], language=language)


def get_language() -> str:
    """The current label language."""
    return _state["language"]


def bind(widget: Any, key: str, attribute: str = "description") -> Any:
    """Set ``widget.<attribute>`` to the label ``key`` and keep it in step with the language."""
    setattr(widget, attribute, text(key))
    _bindings.append((weakref.ref(widget), attribute, key))
    return widget


def set_language(language: str) -> None:
    """Switch every label in the course to ``"both"``, ``"en"`` or ``"zh"``."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {language!r}")
    _state["language"] = language
    alive = []
    for ref, attribute, key in _bindings:
        widget = ref()
        if widget is not None:
            setattr(widget, attribute, text(key))
            alive.append((ref, attribute, key))
    _bindings[:] = alive


register_labels({
    "commit": ("Lock in my bet", "锁定我的预测"),
    "reveal": ("Reveal", "揭晓"),
    "check": ("Check", "检查"),
    "your_bet": ("Your bet", "你的预测"),
    "answer": ("Answer", "答案"),
    "language": ("Language", "语言"),
})
