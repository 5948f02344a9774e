"""The chapters teach every curriculum term and copy no sentence from the source articles.

Both checks run the maintainers' ``tools/fidelity.py`` against the articles' text, so they need
the source bundle (marker ``sources``; see ``tests/sources.py``).
"""

from __future__ import annotations

import subprocess
import sys
from functools import cache

import pytest

from tests.sources import ROOT, shared_dir

pytestmark = pytest.mark.sources


@cache
def _report() -> str:
    result = subprocess.run(
        [sys.executable, str(shared_dir() / "tools" / "fidelity.py"), "--root", str(ROOT)],
        capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_no_copied_runs() -> None:
    report = _report()
    assert "copying: 0 verbatim run(s)" in report, report


def test_every_curriculum_term_is_taught() -> None:
    report = _report()
    missing = [line.strip() for line in report.splitlines() if line.strip().startswith("missing")]
    assert not missing, "\n".join(missing)
