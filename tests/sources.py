"""Where the course's source bundle lives (the five articles, the curriculum terms, fidelity.py).

CI clones the course with the bundle beside it as ``../shared``; elsewhere set
``SOCIAL_SELLING_SOURCES`` to its folder. Tests that need it fail — never skip — when absent.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """The source bundle folder, or an AssertionError saying how to provide it."""
    folder = Path(os.environ.get("SOCIAL_SELLING_SOURCES", ROOT.parent / "shared"))
    assert (folder / "seeds").is_dir() and (folder / "tools" / "fidelity.py").is_file(), (
        f"the source bundle (seeds/, tools/fidelity.py, curriculum_terms.tsv) was not found at "
        f"{folder}; put it beside the course as ../shared or set SOCIAL_SELLING_SOURCES")
    return folder
