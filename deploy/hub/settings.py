"""The class hub's settings (``COURSE_HUB_*`` environment variables) and its JupyterHub config.

:func:`configure` is the whole recipe; ``deploy/hub/jupyterhub_config.py`` calls it, and
``python -m deploy.hub`` sets the environment and starts JupyterHub with that file.

- Loopback only: the proxy, the hub and every student server listen on 127.0.0.1. To let a
  room in, put a TLS reverse proxy in front of the public port (see deploy/README.md).
- Login: FirstUseAuthenticator (the default of The Littlest JupyterHub, also in the Zero to
  JupyterHub hub image). The trainer's admin password is set by ``python -m deploy.hub``
  before the hub first starts; each student chooses a password at their first login, and the
  name is theirs from then on. An optional roster file limits who can log in.
- Spawner: SimpleLocalProcessSpawner, one home folder per student under ``<state>/homes``.
  All servers run as the hub's own system user: the folders are *separate*, not *isolated*
  (deploy/README.md explains when that is acceptable and what to use instead).
- Every student server runs from this Python environment, so the course's Jupyter
  configuration installed with the package (news off, the offline Voila template) and the
  Voila and nbgitpuller server extensions apply to all of them.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deploy.hub.course import COURSE_FOLDER, FIRST_CHAPTER, copy_course, git_pull_path, is_git_url

REPO = Path(__file__).resolve().parents[2]
LOOPBACK = "127.0.0.1"
PROXY_INSTALL_HINT = (
    "configurable-http-proxy 5 was not found. Install it from npm (Node.js is needed):\n"
    "    npm install -g configurable-http-proxy@5\n"
    "or point $COURSE_HUB_PROXY at the configurable-http-proxy executable."
)
MIN_PASSWORD_LENGTH = 8
IDLE_TIMEOUT_S = 3600
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


class HubSettingsError(ValueError):
    """A ``COURSE_HUB_*`` setting is missing or invalid; the message names it."""


@dataclass(frozen=True)
class HubSettings:
    """Everything that differs between one class hub and another."""

    state: Path
    port: int = 8000
    hub_port: int = 8081
    proxy_api_port: int = 8001
    course: str = str(REPO)
    branch: str = "main"
    admin: str = "trainer"
    roster: tuple[str, ...] = ()
    proxy: str = ""
    idle_timeout_s: int = IDLE_TIMEOUT_S

    @property
    def homes(self) -> Path:
        return self.state / "homes"

    @property
    def passwords(self) -> Path:
        return self.state / "passwords.dbm"

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> HubSettings:
        """Read ``COURSE_HUB_STATE`` (required), ``_PORT``, ``_HUB_PORT``, ``_PROXY_API_PORT``,
        ``_COURSE``, ``_BRANCH``, ``_ADMIN``, ``_ROSTER`` (a file, one name a line),
        ``_PROXY`` and ``_IDLE_TIMEOUT`` (seconds, 0 = never cull)."""
        if not env.get("COURSE_HUB_STATE"):
            raise HubSettingsError("COURSE_HUB_STATE (the hub's state folder) is not set")
        roster: tuple[str, ...] = ()
        if env.get("COURSE_HUB_ROSTER"):
            roster = read_roster(Path(env["COURSE_HUB_ROSTER"]))
        defaults = cls(state=Path("."))
        return cls(
            state=Path(env["COURSE_HUB_STATE"]).resolve(),
            port=_port(env, "COURSE_HUB_PORT", defaults.port),
            hub_port=_port(env, "COURSE_HUB_HUB_PORT", defaults.hub_port),
            proxy_api_port=_port(env, "COURSE_HUB_PROXY_API_PORT", defaults.proxy_api_port),
            course=env.get("COURSE_HUB_COURSE") or defaults.course,
            branch=env.get("COURSE_HUB_BRANCH") or defaults.branch,
            admin=check_name(env.get("COURSE_HUB_ADMIN") or defaults.admin, "COURSE_HUB_ADMIN"),
            roster=roster,
            proxy=env.get("COURSE_HUB_PROXY", ""),
            idle_timeout_s=_int(env, "COURSE_HUB_IDLE_TIMEOUT", defaults.idle_timeout_s, 0,
                                7 * 24 * 3600),
        )


def _int(env: Mapping[str, str], key: str, default: int, low: int, high: int) -> int:
    raw = env.get(key)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise HubSettingsError(f"{key}={raw!r} is not a whole number") from None
    if not low <= value <= high:
        raise HubSettingsError(f"{key}={value} is outside {low}–{high}")
    return value


def _port(env: Mapping[str, str], key: str, default: int) -> int:
    return _int(env, key, default, 1, 65535)


def check_name(name: str, what: str) -> str:
    """A hub user name: lower case letters, digits, ``.``, ``_``, ``-`` (as JupyterHub keeps it)."""
    if not _NAME.match(name):
        raise HubSettingsError(f"{what}: {name!r} is not a valid user name (use lower-case "
                               "letters, digits, '.', '_' or '-', at most 64 characters)")
    return name


def read_roster(path: Path) -> tuple[str, ...]:
    """User names from a roster file: one a line; blank lines and ``#`` comments ignored."""
    if not path.is_file():
        raise HubSettingsError(f"COURSE_HUB_ROSTER: no file at {path}")
    names = []
    for line in path.read_text(encoding="utf-8").splitlines():
        name = line.split("#", 1)[0].strip().lower()
        if name:
            names.append(check_name(name, f"roster {path.name}"))
    if not names:
        raise HubSettingsError(f"COURSE_HUB_ROSTER: {path} lists no user names")
    return tuple(names)


def find_proxy(settings: HubSettings) -> str:
    """The configurable-http-proxy executable, or :class:`HubSettingsError` with install advice."""
    candidate = settings.proxy or shutil.which("configurable-http-proxy") or ""
    if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
        return candidate
    raise HubSettingsError(PROXY_INSTALL_HINT)


def default_url(settings: HubSettings) -> str:
    """Where a student lands: an nbgitpuller link (git course) or the first chapter (copy)."""
    if is_git_url(settings.course):
        return git_pull_path(settings.course, settings.branch)
    return f"/lab/tree/{COURSE_FOLDER}/{FIRST_CHAPTER}"


def _pre_spawn_hook(settings: HubSettings):
    """A hook that makes the student's home (private to the hub's user) and, offline, the copy."""

    def hook(spawner: Any) -> None:
        home = Path(spawner.home_dir)
        home.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not is_git_url(settings.course):
            added = copy_course(Path(settings.course), home)
            if added:
                spawner.log.info("copied %d course files into %s", len(added), home)

    return hook


def configure(c: Any, settings: HubSettings) -> None:
    """Fill JupyterHub's config object ``c`` for a class hub described by ``settings``."""
    settings.state.mkdir(parents=True, exist_ok=True)
    settings.homes.mkdir(mode=0o700, exist_ok=True)
    if not is_git_url(settings.course) and not (Path(settings.course) / "chapters").is_dir():
        raise HubSettingsError(f"COURSE_HUB_COURSE={settings.course!r} is neither a git URL "
                               "nor a folder with the course's chapters/")

    # Loopback only, fixed ports, all state in one folder.
    c.JupyterHub.ip = LOOPBACK
    c.JupyterHub.port = settings.port
    c.JupyterHub.hub_ip = LOOPBACK
    c.JupyterHub.hub_port = settings.hub_port
    c.JupyterHub.db_url = f"sqlite:///{settings.state / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(settings.state / "jupyterhub_cookie_secret")
    c.JupyterHub.cleanup_servers = True  # stopping the hub stops every student server
    c.ConfigurableHTTPProxy.command = [find_proxy(settings)]
    c.ConfigurableHTTPProxy.api_url = f"http://{LOOPBACK}:{settings.proxy_api_port}"
    c.ConfigurableHTTPProxy.pid_file = str(settings.state / "jupyterhub-proxy.pid")

    # Login: the trainer is admin; students set their own password on first login.
    c.JupyterHub.authenticator_class = "firstuseauthenticator.FirstUseAuthenticator"
    c.FirstUseAuthenticator.dbm_path = str(settings.passwords)
    c.FirstUseAuthenticator.min_password_length = MIN_PASSWORD_LENGTH
    c.Authenticator.admin_users = {settings.admin}
    if settings.roster:
        c.Authenticator.allowed_users = set(settings.roster) | {settings.admin}
    else:
        c.Authenticator.allow_all = True

    # One server per student, in their own home folder, from this environment.
    c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
    c.SimpleLocalProcessSpawner.home_dir_template = str(settings.homes / "{username}")
    c.Spawner.ip = LOOPBACK
    c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
    c.Spawner.default_url = default_url(settings)
    # No terminals: the course needs none, and on a shared system user a terminal is the
    # easiest way to wander into another student's folder.
    c.Spawner.args = ["--ServerApp.terminals_enabled=False"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # e.g. in a container
        c.Spawner.args.append("--allow-root")
    c.Spawner.start_timeout = 180
    c.Spawner.http_timeout = 180
    c.Spawner.pre_spawn_hook = _pre_spawn_hook(settings)

    # Stop servers nobody has used for an hour (their memory goes back to the class).
    if settings.idle_timeout_s:
        c.JupyterHub.services = [{
            "name": "idle-culler",
            "command": [sys.executable, "-m", "jupyterhub_idle_culler",
                        f"--timeout={settings.idle_timeout_s}"],
        }]
        c.JupyterHub.load_roles = [{
            "name": "idle-culler",
            "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
            "services": ["idle-culler"],
        }]
