"""Drive the class hub (``python -m deploy.hub``) the way students' browsers do.

Shared by ``tests/test_hub.py`` and ``benchmarks/bench_class_load.py``:

- :class:`ClassHub` starts the hub on 127.0.0.1 (free ports, a temporary state folder) and
  stops it, and every process it started, on exit;
- :class:`Student` logs in through the hub's login form (FirstUseAuthenticator: the first
  login sets the password), gets an API token, starts their server, and uses the server's
  REST API (contents, sessions) like JupyterLab does;
- :class:`Kernel` talks to a kernel over its websocket (``/api/kernels/<id>/channels``):
  ``execute_request`` for cells, and ipywidgets ``comm_msg`` updates for controls, timing
  the figure's update message that comes back. Every byte received is counted.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from tornado.httpclient import HTTPRequest
from tornado.websocket import WebSocketClientConnection, websocket_connect

REPO = Path(__file__).resolve().parents[1]
ADMIN = "trainer"
STARTUP_TIMEOUT_S = 60.0
CHP_MISSING = (
    "The hub tests need configurable-http-proxy 5 from npm (Node.js is needed):\n"
    "    npm install -g configurable-http-proxy@5\n"
    "(.ci/run installs it), or point $COURSE_HUB_PROXY at the executable."
)


class HubError(RuntimeError):
    """The hub, a server or a kernel did not do what a student's browser expects."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> list[int]:
    """All descendants of ``pid`` (Linux /proc), deepest last."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    found, queue = [], [pid]
    while queue:
        for child in parents.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def process_start(pid: int) -> str:
    """A live process's start time (clock ticks since boot), or "" if gone or a zombie."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return ""
    return "" if fields[0] == "Z" else fields[19]


@dataclass
class ClassHub:
    """A running class hub; use as a context manager (``with ClassHub(tmp) as hub``)."""

    state: Path
    course: str = str(REPO)
    idle_timeout: int = 0
    port: int = field(default_factory=free_port)
    admin_password: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    log_path: Path | None = None
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ClassHub:
        from deploy.hub.settings import HubSettings, HubSettingsError, find_proxy

        try:
            find_proxy(HubSettings(state=self.state, proxy=os.environ.get("COURSE_HUB_PROXY",
                                                                           "")))
        except HubSettingsError:
            raise HubError(CHP_MISSING) from None
        self.log_path = self.state.with_name(self.state.name + ".log")
        env = dict(os.environ, COURSE_HUB_ADMIN_PASSWORD=self.admin_password)
        command = [sys.executable, "-m", "deploy.hub", "--state", str(self.state),
                   "--port", str(self.port), "--hub-port", str(free_port()),
                   "--proxy-api-port", str(free_port()), "--course", self.course,
                   "--admin", ADMIN, "--idle-timeout", str(self.idle_timeout)]
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log,
                                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                            start_new_session=True)
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise HubError(f"the hub exited with {self.process.returncode}:\n{self.log()}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{self.url}/hub/api", timeout=2).ok:
                    return self
            time.sleep(0.3)
        self.stop()
        raise HubError(f"the hub did not answer within {STARTUP_TIMEOUT_S:.0f} s:\n{self.log()}")

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def log(self, tail: int = 4000) -> str:
        if self.log_path and self.log_path.exists():
            return self.log_path.read_text(errors="replace")[-tail:]
        return ""

    def processes(self) -> list[tuple[int, str]]:
        """The hub's process and everything it started (proxy, servers, kernels, culler), as
        ``(pid, start time)`` so a reused pid is never mistaken for one of them."""
        if self.process is None or self.process.poll() is not None:
            return []
        found = [(pid, process_start(pid)) for pid in
                 [self.process.pid, *_children(self.process.pid)]]
        return [(pid, start) for pid, start in found if start]

    def terminate(self, timeout: float = 30.0) -> None:
        """SIGTERM the hub (as a service manager stops it) and wait: it stops the proxy and
        every server by itself."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    def stop(self, timeout: float = 30.0) -> None:
        """:meth:`terminate`, then kill anything the hub started that is still running."""
        if self.process is None:
            return
        started = self.processes()
        self.terminate(timeout)
        for pid, start in started:
            if process_start(pid) == start:  # still the very process the hub started
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        self.process = None


class Student:
    """One student: login, token, server and REST calls (blocking; wrap in a thread if needed)."""

    def __init__(self, hub: ClassHub, name: str, password: str | None = None) -> None:
        self.hub, self.name = hub, name
        self.password = password or secrets.token_urlsafe(12)
        self.session = requests.Session()
        self.token = ""

    @property
    def server_url(self) -> str:
        return f"{self.hub.url}/user/{self.name}"

    def login(self) -> None:
        """Log in through the form (the first login sets the password), then get a token."""
        page = self.session.get(f"{self.hub.url}/hub/login", timeout=30)
        page.raise_for_status()
        xsrf = self.session.cookies.get("_xsrf", path="/hub/")
        reply = self.session.post(f"{self.hub.url}/hub/login?next=",
                                  data={"username": self.name, "password": self.password,
                                        "_xsrf": xsrf}, allow_redirects=False, timeout=60)
        if reply.status_code != 302:
            raise HubError(f"login of {self.name} failed: {reply.status_code}")
        # The xsrf token is bound to the login session: take the one the hub page sets now.
        self.session.get(f"{self.hub.url}/hub/home", timeout=30).raise_for_status()
        xsrf = self.session.cookies.get("_xsrf", path="/hub/")
        made = self.session.post(f"{self.hub.url}/hub/api/users/{self.name}/tokens",
                                 json={"note": "hub driver", "expires_in": 3600},
                                 headers={"X-XSRFToken": xsrf}, timeout=30)
        if made.status_code != 201:
            raise HubError(f"no token for {self.name}: {made.status_code} {made.text[:200]}")
        self.token = made.json()["token"]

    def hub_api(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return requests.request(method, f"{self.hub.url}/hub/api{path}",
                                headers={"Authorization": f"token {self.token}"},
                                timeout=kwargs.pop("timeout", 60), **kwargs)

    def start_server(self, timeout: float = 300.0) -> float:
        """Start this student's server; return seconds until the hub reports it ready."""
        started = time.monotonic()
        reply = self.hub_api("POST", f"/users/{self.name}/server")
        if reply.status_code not in (201, 202, 400):  # 400: already running
            raise HubError(f"spawn of {self.name}: {reply.status_code} {reply.text[:200]}")
        while time.monotonic() - started < timeout:
            model = self.hub_api("GET", f"/users/{self.name}").json()
            server = model.get("servers", {}).get("")
            if server and server.get("ready"):
                return time.monotonic() - started
            if not server and model.get("pending") is None and time.monotonic() - started > 5:
                raise HubError(f"the server of {self.name} stopped while starting:\n"
                               f"{self.hub.log()}")
            time.sleep(0.25)
        raise HubError(f"the server of {self.name} was not ready within {timeout:.0f} s")

    def api(self, method: str, path: str, token: str | None = None,
            **kwargs: Any) -> requests.Response:
        """Call this student's server (``/user/<name>/api…``) with a token (theirs by default)."""
        return requests.request(method, f"{self.server_url}{path}",
                                headers={"Authorization": f"token {token or self.token}"},
                                allow_redirects=False, timeout=kwargs.pop("timeout", 60),
                                **kwargs)

    def open_notebook(self, path: str) -> tuple[dict, int, str]:
        """Open a notebook as JupyterLab does: its content, its size in bytes, a kernel id."""
        content = self.api("GET", f"/api/contents/{path}?content=1&type=notebook")
        if content.status_code != 200:
            raise HubError(f"{self.name} cannot open {path}: {content.status_code}")
        session = self.api("POST", "/api/sessions", json={
            "path": path, "name": Path(path).name, "type": "notebook",
            "kernel": {"name": "python3"}})
        if session.status_code != 201:
            raise HubError(f"no kernel for {self.name}: {session.status_code} "
                           f"{session.text[:200]}")
        return content.json()["content"], len(content.content), session.json()["kernel"]["id"]

    def kernel(self, kernel_id: str) -> Kernel:
        ws_url = self.server_url.replace("http://", "ws://", 1)
        return Kernel(f"{ws_url}/api/kernels/{kernel_id}/channels", self.token, self.name)


def _decode(frame: str | bytes) -> dict:
    """A kernel message from a websocket frame (JSON text, or the legacy binary framing)."""
    if isinstance(frame, str):
        return json.loads(frame)
    count = int.from_bytes(frame[:4], "big")
    offsets = [int.from_bytes(frame[4 + 4 * i: 8 + 4 * i], "big") for i in range(count)]
    end = offsets[1] if count > 1 else len(frame)
    return json.loads(frame[offsets[0]:end].decode("utf-8"))


class Kernel:
    """A kernel's websocket, as a browser tab holds it (async; use ``async with``)."""

    def __init__(self, url: str, token: str, username: str) -> None:
        self.url, self.token, self.username = url, token, username
        self.session_id = uuid.uuid4().hex
        self.bytes_received = 0
        self.connection: WebSocketClientConnection | None = None
        self._queue: asyncio.Queue[dict] = asyncio.Queue()
        self._reader: asyncio.Task | None = None

    async def __aenter__(self) -> Kernel:
        request = HTTPRequest(f"{self.url}?session_id={self.session_id}",
                              headers={"Authorization": f"token {self.token}"},
                              connect_timeout=60, request_timeout=60)
        self.connection = await websocket_connect(request, max_message_size=512 * 2**20)
        self._reader = asyncio.create_task(self._read())
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.connection is not None:
            self.connection.close()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader

    async def _read(self) -> None:
        assert self.connection is not None
        while True:
            frame = await self.connection.read_message()
            if frame is None:
                await self._queue.put({"closed": True})
                return
            self.bytes_received += len(frame)
            await self._queue.put(_decode(frame))

    async def _send(self, channel: str, msg_type: str, content: dict) -> str:
        assert self.connection is not None
        msg_id = uuid.uuid4().hex
        await self.connection.write_message(json.dumps({
            "header": {"msg_id": msg_id, "username": self.username, "session": self.session_id,
                       "msg_type": msg_type, "version": "5.3",
                       "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
            "parent_header": {}, "metadata": {}, "content": content, "channel": channel,
            "buffers": []}))
        return msg_id

    async def _next(self, deadline: float) -> dict:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        message = await asyncio.wait_for(self._queue.get(), remaining)
        if message.get("closed"):
            raise HubError("the kernel's websocket closed")
        return message

    async def execute(self, code: str, timeout: float = 120.0) -> dict:
        """Run ``code``; return ``{"status", "execution_count", "outputs", "error"}``."""
        msg_id = await self._send("shell", "execute_request", {
            "code": code, "silent": False, "store_history": True, "user_expressions": {},
            "allow_stdin": False, "stop_on_error": True})
        deadline = time.monotonic() + timeout
        reply: dict | None = None
        idle = False
        outputs: list[dict] = []
        while reply is None or not idle:
            message = await self._next(deadline)
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = message["header"]["msg_type"]
            if kind == "execute_reply":
                reply = message["content"]
            elif kind == "status" and message["content"]["execution_state"] == "idle":
                idle = True
            elif kind in ("stream", "execute_result", "display_data", "error"):
                outputs.append(message["content"])
        error = next((o for o in outputs if "ename" in o), None)
        return {"status": reply["status"], "execution_count": reply.get("execution_count"),
                "outputs": outputs, "error": error}

    async def run_notebook(self, notebook: dict, timeout: float = 300.0) -> list[dict]:
        """Run every code cell in order (as *Run All* does); raise on an unexpected error."""
        replies = []
        deadline = time.monotonic() + timeout
        for cell in notebook["cells"]:
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"]) if isinstance(cell["source"], list) \
                else cell["source"]
            reply = await self.execute(source, timeout=max(deadline - time.monotonic(), 1.0))
            raises = "raises-exception" in cell.get("metadata", {}).get("tags", [])
            if reply["status"] != "ok" and not raises:
                error = reply["error"] or {}
                raise HubError(f"a cell failed: {error.get('ename')}: {error.get('evalue')}\n"
                               f"{source[:200]}")
            replies.append(reply)
        return replies

    async def text(self, code: str) -> str:
        """Run ``code`` and return what it printed."""
        reply = await self.execute(code)
        if reply["status"] != "ok":
            raise HubError(f"{reply['error']}")
        return "".join(o.get("text", "") for o in reply["outputs"])

    async def widget_message(self, model_id: str, data: dict, figure_id: str | None = None,
                             timeout: float = 60.0) -> tuple[float | None, float]:
        """Send an ipywidgets message to the model ``model_id`` (a slider's ``update``, a
        button's ``custom`` click) and wait until the kernel is idle again.

        Return ``(latency, settled)`` in seconds: until the kernel's first update message for
        the figure ``figure_id`` (None without ``figure_id``; a :class:`HubError` if none
        came), and until the kernel was idle again (every figure redrawn).
        """
        started = time.monotonic()
        msg_id = await self._send("shell", "comm_msg", {"comm_id": model_id, "data": data})
        deadline = started + timeout
        latency: float | None = None
        while True:
            message = await self._next(deadline)
            kind = message["header"]["msg_type"]
            if (latency is None and figure_id and kind == "comm_msg"
                    and message["content"].get("comm_id") == figure_id):
                latency = time.monotonic() - started
            elif (kind == "status" and message["content"]["execution_state"] == "idle"
                  and message.get("parent_header", {}).get("msg_id") == msg_id):
                break
        if figure_id and latency is None:
            raise HubError(f"no update of figure {figure_id} after a message to {model_id}")
        return latency, time.monotonic() - started

    async def set_value(self, model_id: str, value: Any, figure_id: str,
                        timeout: float = 60.0) -> tuple[float, float]:
        """Move a control to ``value`` as the browser does (a state ``update``); return the
        seconds until the figure's first update message and until the kernel is idle."""
        latency, settled = await self.widget_message(
            model_id, {"method": "update", "state": {"value": value}, "buffer_paths": []},
            figure_id, timeout)
        assert latency is not None
        return latency, settled


def memory_of(username: str) -> dict[str, float]:
    """RSS and PSS (bytes) and CPU time used so far (s) of every process serving ``username``
    (server, kernels), Linux only.

    A hub-spawned server and its kernels carry ``JUPYTERHUB_USER=<name>`` in their environment.
    """
    marker = f"JUPYTERHUB_USER={username}".encode()
    ticks = os.sysconf("SC_CLK_TCK")
    usage = {"rss": 0.0, "pss": 0.0, "cpu_s": 0.0}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            rollup = (entry / "smaps_rollup").read_text()
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        usage["cpu_s"] += (int(stat[11]) + int(stat[12])) / ticks  # utime + stime
        for line in rollup.splitlines():
            key, _, value = line.partition(":")
            if key in ("Rss", "Pss"):
                usage[key.lower()] += int(value.split()[0]) * 1024
    return usage


@contextlib.contextmanager
def running_hub(state: Path, **kwargs: Any) -> Iterator[ClassHub]:
    """``with running_hub(tmp_path / "hub") as hub:`` — a started :class:`ClassHub`."""
    with ClassHub(state, **kwargs) as hub:
        yield hub
