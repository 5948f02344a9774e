"""Fixtures for the real-browser tests: one JupyterLab, one Voila and one Chromium per session.

Every test here is marked ``browser``. If Chromium or Playwright is missing, the
tests FAIL with a message saying how to install them or how to deselect them
(``-m "not browser"``); they never skip quietly.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lab_server
import pytest

ARTIFACTS = lab_server.REPO / "artifacts" / "screenshots"


@pytest.fixture(scope="session")
def course_copy() -> Iterator[Path]:
    """A temporary copy of the course folders (files students write stay out of the repo)."""
    work = Path(tempfile.mkdtemp(prefix="ssl-browser-"))
    lab_server.copy_course(work / "course")
    yield work
    shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope="session")
def lab(course_copy: Path) -> Iterator[lab_server.Server]:
    """JupyterLab on 127.0.0.1 (free port, random token) serving the course copy."""
    try:
        server = lab_server.start_jupyter_lab(course_copy / "course", course_copy)
    except lab_server.BrowserSetupError as exc:
        pytest.fail(str(exc), pytrace=False)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def voila(course_copy: Path) -> Iterator[lab_server.Server]:
    """Voila on 127.0.0.1 (free port) serving the copy's dashboards/."""
    try:
        server = lab_server.start_voila(course_copy / "course" / "dashboards", course_copy)
    except lab_server.BrowserSetupError as exc:
        pytest.fail(str(exc), pytrace=False)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright (fails, never skips, when it is missing)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright is not installed: pip install 'playwright>=1.65,<1.66' "
                    "(the Debian chromium package is used, no `playwright install` needed), "
                    "or deselect the browser tests with -m \"not browser\"", pytrace=False)
    try:
        lab_server.find_chromium()
    except lab_server.BrowserSetupError as exc:
        pytest.fail(str(exc), pytrace=False)
    manager = sync_playwright().start()
    try:
        chromium = lab_server.launch_chromium(manager)
    except lab_server.BrowserSetupError as exc:
        manager.stop()
        pytest.fail(str(exc), pytrace=False)
    yield chromium
    chromium.close()
    manager.stop()


@pytest.fixture(scope="session")
def network() -> lab_server.NetworkLog:
    """Every request of the session's browser context."""
    return lab_server.NetworkLog()


@pytest.fixture(scope="session")
def context(browser: Any, network: lab_server.NetworkLog) -> Iterator[Any]:
    """One fresh, non-persistent browser context (temporary profile) for the session."""
    ctx = lab_server.new_context(browser, network)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: Any) -> Iterator[Any]:
    """A new tab; uncaught page errors are collected on ``page.errors``."""
    tab = context.new_page()
    tab.errors = []
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    yield tab
    tab.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Where screenshots go (git-ignored via artifacts/)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
