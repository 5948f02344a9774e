"""Bilingual labels: English + 中文, switchable for the whole course with one call.

Apps register label keys with :func:`register_labels` and attach them to
widgets with :func:`bind`; :func:`set_language` then relabels every live widget
at once (``"both"`` — the default — ``"en"`` or ``"zh"``).

The choice lasts: :func:`set_language` also writes it to ``social_selling_lab.json``
in the user's Jupyter config folder (``jupyter_core.paths.jupyter_config_dir()``,
moved by ``JUPYTER_CONFIG_DIR``), and every kernel reads it when this module is
imported. The file keeps one choice per *edition*: the English chapters (default
``"both"``) and the Chinese chapters under ``chapters/zh/`` (default ``"zh"``), so a
Chinese chapter runs in Chinese by itself while its code stays the English code.
A kernel belongs to the Chinese edition when its working folder is ``chapters/zh``
(JupyterLab, nbval and Voila start a notebook's kernel in the notebook's folder) or
when JupyterLab's ``JPY_SESSION_NAME`` names a notebook in a ``zh`` folder.
``SOCIAL_SELLING_LANG`` (``both``, ``en`` or ``zh``) overrides both.
"""

from __future__ import annotations

import json
import os
import warnings
import weakref
from collections.abc import Mapping
from pathlib import Path
from typing import Any

LANGUAGES = ("both", "en", "zh")
ENV_VAR = "SOCIAL_SELLING_LANG"
SETTINGS_FILE = "social_selling_lab.json"
EDITION_DEFAULTS = {"en": "both", "zh": "zh"}


def settings_path() -> Path:
    """The small settings file that remembers the language across kernels and chapters."""
    from jupyter_core.paths import jupyter_config_dir

    return Path(jupyter_config_dir()) / SETTINGS_FILE


def edition(cwd: Path | None = None) -> str:
    """``"zh"`` when this kernel runs a chapter of the Chinese edition, else ``"en"``."""
    folder = Path.cwd() if cwd is None else cwd
    if folder.name == "zh" and folder.parent.name == "chapters":
        return "zh"
    session = os.environ.get("JPY_SESSION_NAME", "")
    if session.endswith(".ipynb") and Path(session).parent.name == "zh":
        return "zh"
    return "en"


def _read_settings() -> dict:
    try:
        settings = json.loads(settings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return settings if isinstance(settings, dict) else {}


def saved_language(for_edition: str | None = None) -> str | None:
    """The language last chosen in this edition, if any (an unreadable file counts as none)."""
    choice = _read_settings().get("language", {})
    language = choice.get(for_edition or edition()) if isinstance(choice, dict) else None
    return language if language in LANGUAGES else None


def _remember(language: str) -> None:
    """Write the choice for this edition atomically; a read-only home only warns."""
    path = settings_path()
    settings = _read_settings()
    choice = settings.get("language") if isinstance(settings.get("language"), dict) else {}
    settings["language"] = {**choice, edition(): language}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".tmp{os.getpid()}")
        temporary.write_text(json.dumps(settings, indent=1) + "\n", encoding="utf-8")
        os.replace(temporary, path)
    except OSError as error:
        warnings.warn(f"could not remember the language in {path}: {error}", stacklevel=3)


def initial_language() -> str:
    """``SOCIAL_SELLING_LANG``, else this edition's saved choice, else its default."""
    override = os.environ.get(ENV_VAR, "").strip().lower()
    if override:
        if override not in LANGUAGES:
            raise ValueError(f"{ENV_VAR} must be one of {LANGUAGES}, got {override!r}")
        return override
    return saved_language() or EDITION_DEFAULTS[edition()]


_state: dict[str, str] = {"language": initial_language()}
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


def prose(english: str, chinese: str) -> str:
    """A sentence for the student: Chinese in ``zh`` mode, else English (as in "both")."""
    return chinese if _state["language"] == "zh" else english


def one_side(pair: str) -> str:
    """An ``"English · 中文"`` string: its Chinese side in ``zh`` mode, else unchanged."""
    return pair.rsplit(" · ", 1)[-1] if _state["language"] == "zh" else pair


def get_language() -> str:
    """The current label language."""
    return _state["language"]


def bind(widget: Any, key: str, attribute: str = "description") -> Any:
    """Set ``widget.<attribute>`` to the label ``key`` and keep it in step with the language."""
    setattr(widget, attribute, text(key))
    _bindings.append((weakref.ref(widget), attribute, key))
    return widget


def set_language(language: str, remember: bool = True) -> None:
    """Switch every label in the course to ``"both"``, ``"en"`` or ``"zh"``.

    With ``remember`` (the default) the choice is saved for this edition's other
    chapters and later kernels (see the module docstring).
    """
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {language!r}")
    _state["language"] = language
    if remember:
        _remember(language)
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
