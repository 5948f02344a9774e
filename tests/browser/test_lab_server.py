"""The browser set-up helpers, checked without a browser (these run under -m "not browser" too).

They guard the promises the browser tests rely on: a missing Chromium is a failure
with install advice (never a quiet skip), only 127.0.0.1 counts as local, students'
files are not copied into the served course, and no personal Jupyter config leaks in.
"""

from __future__ import annotations

from pathlib import Path

import lab_server
import pytest


def test_missing_chromium_is_an_error_that_says_how_to_fix_it(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CHROMIUM_PATH", str(tmp_path / "no-such-chromium"))
    monkeypatch.setattr(lab_server, "CHROMIUM_CANDIDATES", (str(tmp_path / "nope"),))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(lab_server.BrowserSetupError) as error:
        lab_server.find_chromium()
    assert "apt-get install -y chromium" in str(error.value)
    assert '-m "not browser"' in str(error.value)


def test_chromium_path_override_is_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("CHROMIUM_PATH", str(fake))
    assert lab_server.find_chromium() == str(fake)


@pytest.mark.parametrize(("url", "local"), [
    ("http://127.0.0.1:8888/lab", True),
    ("ws://127.0.0.1:8888/api/kernels/x/channels", True),
    ("data:image/png;base64,AAAA", True),
    ("blob:http://127.0.0.1:8888/abc", True),
    ("https://cdn.jsdelivr.net/npm/x.css", False),
    ("http://localhost:8888/lab", False),  # the course binds 127.0.0.1 only
    ("https://127.0.0.1.example.com/", False),
])
def test_only_this_machine_counts_as_local(url: str, local: bool) -> None:
    assert lab_server.is_local(url) is local


def test_network_log_keeps_outside_requests() -> None:
    log = lab_server.NetworkLog()
    log.record("http://127.0.0.1:1/a")
    log.record("https://example.org/b")
    assert log.requests == ["http://127.0.0.1:1/a", "https://example.org/b"]
    assert log.outside == ["https://example.org/b"]


def test_course_copy_leaves_students_files_out(tmp_path: Path) -> None:
    copy = lab_server.copy_course(tmp_path / "course")
    chapters = sorted(p.name for p in (copy / "chapters").iterdir())
    assert chapters and all(name.endswith(".ipynb") or not name.startswith("my_")
                            for name in chapters)
    assert not list(copy.rglob("my_*")), "students' files were copied into the served course"
    assert not (copy / "widgets").exists(), "the package must be imported from its install"


def test_jupyter_environment_is_isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", "/somewhere/personal")
    env = lab_server.isolated_jupyter_env(tmp_path)
    for var in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR"):
        assert Path(env[var]).is_dir() and tmp_path in Path(env[var]).parents
    assert "JUPYTER_CONFIG_PATH" not in env
