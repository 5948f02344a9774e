"""Tests marked ``sources`` are reported as not run without the bundle, or fail when required.

Each case runs pytest in a subprocess on a two-test file that uses the suite's own hook
(``tests/conftest.py``), with the environment a fresh clone, CI or a maintainer would have.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.sources import REQUIRE_ENV, ROOT, SOURCES_ENV

HOOK = "from tests.conftest import pytest_runtest_setup  # noqa: F401  (the hook under test)\n"
SAMPLE = '''
import pytest


def test_plain():
    assert True


@pytest.mark.sources
def test_needs_articles():
    assert True
'''


def _run(tmp_path: Path, bundle: Path, require: str | None) -> subprocess.CompletedProcess:
    project = tmp_path / "project"
    project.mkdir(exist_ok=True)
    (project / "pytest.ini").write_text("[pytest]\nmarkers =\n    sources: needs the bundle\n")
    (project / "test_sample.py").write_text(SAMPLE)
    (project / "conftest.py").write_text(HOOK)
    env = {k: v for k, v in os.environ.items() if k not in (SOURCES_ENV, REQUIRE_ENV)}
    env.update({SOURCES_ENV: str(bundle), "PYTHONPATH": str(ROOT),
                "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"})
    if require is not None:
        env[REQUIRE_ENV] = require
    return subprocess.run([sys.executable, "-m", "pytest", "-ra", "--strict-markers",
                           "-p", "no:cacheprovider", str(project)], cwd=project, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def _fake_bundle(tmp_path: Path) -> Path:
    bundle = tmp_path / "bundle"
    (bundle / "seeds").mkdir(parents=True)
    (bundle / "tools").mkdir()
    (bundle / "tools" / "fidelity.py").write_text("")
    return bundle


def test_absent_bundle_is_reported_as_not_run_with_the_reason(tmp_path: Path) -> None:
    result = _run(tmp_path, tmp_path / "nowhere", require=None)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed, 1 skipped" in result.stdout, result.stdout
    assert "SKIPPED" in result.stdout and "test_needs_articles not run" in result.stdout
    assert f"source bundle not found at {tmp_path / 'nowhere'}" in result.stdout
    assert SOURCES_ENV in result.stdout


def test_absent_bundle_fails_when_required(tmp_path: Path) -> None:
    result = _run(tmp_path, tmp_path / "nowhere", require="1")
    assert result.returncode == 1, result.stdout
    assert "1 passed, 1 error" in result.stdout, result.stdout
    assert f"{REQUIRE_ENV}=1 requires it" in result.stdout


def test_present_bundle_runs_the_sources_tests(tmp_path: Path) -> None:
    result = _run(tmp_path, _fake_bundle(tmp_path), require="1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout and "skipped" not in result.stdout, result.stdout


def test_require_flag_values(monkeypatch) -> None:
    from tests.sources import sources_required
    for value, expected in (("1", True), ("yes", True), ("0", False), ("", False)):
        monkeypatch.setenv(REQUIRE_ENV, value)
        assert sources_required() is expected, value
    monkeypatch.delenv(REQUIRE_ENV)
    assert sources_required() is False
