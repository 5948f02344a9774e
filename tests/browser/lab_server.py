"""Start JupyterLab / Voila and a headless Chromium the way a student meets the course.

Shared by the browser tests (``tests/browser/conftest.py``) and the figures
benchmark (``benchmarks/bench_figures.py``), so both drive exactly the
same set-up:

- the servers listen on 127.0.0.1 only, on a free port, with a random token;
- they serve a *copy* of the course folders, so files a student's code writes
  during a test never land in the repository;
- ``JUPYTER_CONFIG_DIR`` / ``JUPYTER_DATA_DIR`` / ``JUPYTER_RUNTIME_DIR`` point to
  temporary folders, so no personal configuration leaks in, while the
  ``sys.prefix`` configuration installed by the package (the news pop-up turned
  off) still applies;
- Chromium is Debian's ``/usr/bin/chromium`` in a fresh, non-persistent context,
  and every request the pages make is recorded so a test can prove the course
  works offline.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[2]
# Folders served to the browser; the package `widgets` itself is imported from its
# installed location, so it is not copied.
SERVED_FOLDERS = ("chapters", "dashboards", "datasets", "docs")
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser",
                       "/usr/lib/chromium/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--no-first-run",
    "--disable-sync", "--disable-quic", "--disable-default-apps", "--disable-extensions",
    "--disable-domain-reliability", "--disable-client-side-phishing-detection",
    "--no-default-browser-check", "--metrics-recording-only",
]
INSTALL_HINT = (
    "The browser tests need Debian's Chromium: install it with\n"
    "    sudo apt-get install -y chromium fonts-noto-cjk fonts-noto-color-emoji\n"
    "(or point $CHROMIUM_PATH at a Chromium binary), or deselect these tests with\n"
    "    python -m pytest -m \"not browser\""
)
NEWS_PROMPT = "Would you like to get notified about official Jupyter news?"
LOCAL_HOSTS = ("127.0.0.1",)
STARTUP_TIMEOUT_S = 90.0


class BrowserSetupError(RuntimeError):
    """Chromium, Playwright or a server could not be started; the message says how to fix it."""


def find_chromium() -> str:
    """The Chromium binary to use ($CHROMIUM_PATH first); raise with install advice if none."""
    override = os.environ.get("CHROMIUM_PATH")
    candidates = ([override] if override else []) + list(CHROMIUM_CANDIDATES)
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    raise BrowserSetupError(f"No Chromium found (looked at {candidates}).\n{INSTALL_HINT}")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def copy_course(destination: Path) -> Path:
    """Copy the served course folders into ``destination`` (students' files excluded)."""
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "my_*", "*.bak",
                                    "*.corrupt-*", "*.lock")
    for name in SERVED_FOLDERS:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=ignore, dirs_exist_ok=True)
    return destination


def isolated_jupyter_env(base: Path) -> dict[str, str]:
    """Environment with per-run Jupyter config/data/runtime folders (sys.prefix config kept)."""
    env = dict(os.environ)
    for var, sub in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
                     ("JUPYTER_RUNTIME_DIR", "runtime"), ("IPYTHONDIR", "ipython")):
        path = base / sub
        path.mkdir(parents=True, exist_ok=True)
        env[var] = str(path)
    for var in ("JUPYTER_PATH", "JUPYTER_CONFIG_PATH", "JUPYTERLAB_SETTINGS_DIR",
                "JUPYTERLAB_WORKSPACES_DIR", "JUPYTER_PREFER_ENV_PATH"):
        env.pop(var, None)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env["PYTHONUNBUFFERED"] = "1"
    # the kernel must find the same interpreter (and the installed package) as the tests
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


@dataclass
class Server:
    """A running JupyterLab or Voila process (in its own process group)."""

    kind: str
    url: str
    token: str
    root_dir: Path
    process: subprocess.Popen[bytes]
    log_path: Path

    def page_url(self, path: str) -> str:
        """``url`` + ``path`` with the token as a query parameter."""
        joiner = "&" if "?" in path else "?"
        return f"{self.url}{path}{joiner}token={self.token}" if self.token else self.url + path

    def log(self, tail: int = 4000) -> str:
        """The last ``tail`` characters of the server's log."""
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-tail:]
        except OSError:
            return ""

    def stop(self) -> None:
        """Stop the whole process group (server and kernels): SIGTERM, then SIGKILL."""
        if self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def _wait_until_up(server: Server, probe: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last_error = ""
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise BrowserSetupError(f"{server.kind} exited with code {server.process.returncode}"
                                    f":\n{server.log()}")
        try:
            with urllib.request.urlopen(server.page_url(probe), timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError) as exc:
            last_error = str(exc)
        time.sleep(0.25)
    server.stop()
    raise BrowserSetupError(f"{server.kind} did not answer {probe} within {timeout:.0f} s "
                            f"({last_error}):\n{server.log()}")


def _root_flags() -> list[str]:
    return ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []


def start_jupyter_lab(root_dir: Path, work_dir: Path, *,
                      timeout: float = STARTUP_TIMEOUT_S, base_url: str = "/") -> Server:
    """JupyterLab on 127.0.0.1 serving ``root_dir``; returns once /api/status answers.

    ``base_url`` (e.g. ``/user/student/``) serves everything under a prefix, as a
    JupyterHub user server does.
    """
    port, token = free_port(), secrets.token_hex(16)
    prefix = "/" + base_url.strip("/") if base_url.strip("/") else ""
    env = isolated_jupyter_env(work_dir / ("jupyter-lab" + prefix.replace("/", "-")))
    log_path = work_dir / f"jupyter-lab{prefix.replace('/', '-')}.log"
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", *_root_flags(),
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0", f"--ServerApp.token={token}",
        f"--ServerApp.root_dir={root_dir}", f"--ServerApp.base_url={prefix}/",
        # lets the tests drive JupyterLab's own commands (window.jupyterapp)
        "--LabApp.expose_app_in_browser=True",
    ]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=root_dir, env=env, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    server = Server("jupyter-lab", f"http://127.0.0.1:{port}{prefix}", token, root_dir, process,
                    log_path)
    _wait_until_up(server, "/api/status", timeout)
    return server


def start_voila(root_dir: Path, work_dir: Path, *, timeout: float = STARTUP_TIMEOUT_S) -> Server:
    """Voila on 127.0.0.1 serving the notebooks under ``root_dir`` (tree mode)."""
    port = free_port()
    env = isolated_jupyter_env(work_dir / "voila")
    log_path = work_dir / "voila.log"
    command = [sys.executable, "-m", "voila", "--no-browser", f"--port={port}",
               "--Voila.ip=127.0.0.1", "--Voila.port_retries=0", str(root_dir)]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=root_dir, env=env, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    server = Server("voila", f"http://127.0.0.1:{port}", "", root_dir, process, log_path)
    _wait_until_up(server, "/", timeout)
    return server


def is_local(url: str) -> bool:
    """True for URLs that stay on this machine (127.0.0.1, data:, blob:, about:)."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "chrome-error"):
        return True
    return parts.hostname in LOCAL_HOSTS


@dataclass
class NetworkLog:
    """Every URL the browser context requested, and those that left 127.0.0.1."""

    requests: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)

    def record(self, url: str) -> None:
        self.requests.append(url)
        if not is_local(url):
            self.outside.append(url)

    def attach(self, context: Any) -> None:
        """Record HTTP requests and WebSockets of every page in a Playwright context."""
        context.on("request", lambda request: self.record(request.url))

        def watch(page: Any) -> None:
            page.on("websocket", lambda ws: self.record(ws.url))

        context.on("page", watch)


def launch_chromium(playwright: Any, *, headless: bool = True) -> Any:
    """Debian's Chromium through Playwright, with networking side-channels turned off."""
    executable = find_chromium()
    try:
        return playwright.chromium.launch(executable_path=executable, headless=headless,
                                          args=CHROMIUM_ARGS)
    except Exception as exc:  # Playwright raises its own Error type; explain and re-raise
        raise BrowserSetupError(f"Chromium at {executable} did not start: {exc}\n"
                                f"{INSTALL_HINT}") from exc


def new_context(browser: Any, network: NetworkLog, *, width: int = 1366,
                height: int = 900) -> Any:
    """A fresh, non-persistent browser context (its own temporary profile) that logs requests."""
    context = browser.new_context(viewport={"width": width, "height": height},
                                  service_workers="block", locale="en-US")
    network.attach(context)
    return context


@contextlib.contextmanager
def course_servers(*, lab: bool = True, voila: bool = False) -> Iterator[dict[str, Server]]:
    """A temporary copy of the course served by JupyterLab and/or Voila; stopped on exit."""
    work = Path(tempfile.mkdtemp(prefix="ssl-browser-"))
    root = copy_course(work / "course")
    servers: dict[str, Server] = {}
    try:
        if lab:
            servers["lab"] = start_jupyter_lab(root, work)
        if voila:
            servers["voila"] = start_voila(root / "dashboards", work)
        yield servers
    finally:
        for server in servers.values():
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
