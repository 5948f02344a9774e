"""The maintainers' source bundle: the five articles' text, the curriculum terms, fidelity.py.

Only checks that need the articles' *text* use it (the copied-sentence scan, the glossary's
``verbatim`` flag, curriculum-term coverage, and the tests that re-derive the facts written into
the other tests from the articles). They carry ``@pytest.mark.sources``; ``tests/conftest.py``
reports them as skipped, with the reason, when the bundle is absent, or as errors when
``SOCIAL_SELLING_REQUIRE_SOURCES=1`` is set. Everything else runs on a fresh clone.

The bundle is ``$SOCIAL_SELLING_SOURCES`` or, when that is unset, the folder ``shared`` beside
the repository.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES_ENV = "SOCIAL_SELLING_SOURCES"
REQUIRE_ENV = "SOCIAL_SELLING_REQUIRE_SOURCES"


def bundle_folder() -> Path:
    """Where the bundle is looked for."""
    configured = os.environ.get(SOURCES_ENV, "").strip()
    return Path(configured) if configured else ROOT.parent / "shared"


def missing_reason() -> str | None:
    """None when the bundle is usable, else a sentence saying where it was looked for."""
    folder = bundle_folder()
    if (folder / "seeds").is_dir() and (folder / "tools" / "fidelity.py").is_file():
        return None
    return (f"source bundle not found at {folder} (needs seeds/ and tools/fidelity.py); "
            f"set {SOURCES_ENV} to its folder")


def sources_required() -> bool:
    """True when ``SOCIAL_SELLING_REQUIRE_SOURCES`` asks for the bundle (any value but 0/empty)."""
    return os.environ.get(REQUIRE_ENV, "").strip() not in ("", "0", "false", "no")


def shared_dir() -> Path:
    """The bundle folder; only for tests marked ``sources`` (it fails loudly without one)."""
    reason = missing_reason()
    if reason is not None:
        pytest.fail(reason, pytrace=False)
    return bundle_folder()
