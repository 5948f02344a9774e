"""deploy/: the class hub's settings, the course copy, and the Zero to JupyterHub values.

The Zero to JupyterHub ``config.yaml`` cannot run here (no Kubernetes); what can be checked
is: it parses, every key in it is one the chart documents, its numbers are the ones the
trainer guide quotes, and the image it names can run what it asks for.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from pathlib import Path

import pytest
import yaml
from traitlets.config import Config

from deploy.hub import __main__ as launcher
from deploy.hub.course import COURSE_FOLDER, copy_course, git_pull_path, is_git_url
from deploy.hub.settings import (
    LOOPBACK,
    HubSettings,
    HubSettingsError,
    configure,
    default_url,
    read_roster,
)

ROOT = Path(__file__).resolve().parents[1]
Z2JH = ROOT / "deploy" / "z2jh" / "config.yaml"
DEPLOY_README = ROOT / "deploy" / "README.md"
GUIDE = ROOT / "docs" / "TRAINER_GUIDE.md"
COURSE_REPO = "https://github.com/social-selling-lab/social-selling-lab"

# Key paths of the Zero to JupyterHub chart's values that config.yaml may use, copied from
# jupyterhub/values.schema.yaml of github.com/jupyterhub/zero-to-jupyterhub-k8s (commit
# 48ea50e34daddde55d76e30df6ecd47e4abd4d8e, chart appVersion 5.5.0), with the JSON types
# the schema allows. Objects below them are listed too. `hub.config` is open below a class
# name that starts with a capital (the schema's patternProperties "^[A-Z].*$", objects with
# additionalProperties: true), so those keys are checked by that pattern instead.
SCHEMA_KEYS: dict[str, tuple[str, ...]] = {
    "singleuser": ("object",),
    "singleuser.image": ("object",),
    "singleuser.image.name": ("string",),
    "singleuser.image.tag": ("string",),
    "singleuser.defaultUrl": ("string",),
    "singleuser.memory": ("object",),
    "singleuser.memory.guarantee": ("number", "string", "null"),
    "singleuser.memory.limit": ("number", "string", "null"),
    "singleuser.cpu": ("object",),
    "singleuser.cpu.guarantee": ("number", "null"),
    "singleuser.cpu.limit": ("number", "null"),
    "singleuser.storage": ("object",),
    "singleuser.storage.capacity": ("string",),
    "singleuser.startTimeout": ("integer",),
    "hub": ("object",),
    "hub.config": ("object",),
    "cull": ("object",),
    "cull.enabled": ("boolean",),
    "cull.timeout": ("integer",),
    "cull.every": ("integer",),
    "cull.users": ("boolean",),
    "proxy": ("object",),
    "proxy.https": ("object",),
    "proxy.https.enabled": ("boolean",),
    "proxy.https.type": ("string",),
    "proxy.https.hosts": ("array",),
    "proxy.https.letsencrypt": ("object",),
    "proxy.https.letsencrypt.contactEmail": ("string",),
}
_JSON_TYPES = {"object": dict, "string": str, "boolean": bool, "array": list,
               "null": type(None)}


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return next(name for name, kind in _JSON_TYPES.items() if isinstance(value, kind))


def _walk(node: dict, prefix: str = "") -> list[tuple[str, object]]:
    found = []
    for key, value in node.items():
        path = f"{prefix}{key}"
        found.append((path, value))
        if isinstance(value, dict) and path != "hub.config":
            found += _walk(value, path + ".")
    return found


def _values() -> dict:
    return yaml.safe_load(Z2JH.read_text(encoding="utf-8"))


def _memory_mb(quantity: str) -> float:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([MG])i?", str(quantity))
    assert match, f"{quantity!r} is not a memory quantity like 512M or 1G"
    return float(match.group(1)) * (1024 if match.group(2) == "G" else 1)


# ------------------------------------------------------------------ Zero to JupyterHub values

def test_z2jh_values_use_only_documented_keys_with_their_types() -> None:
    for path, value in _walk(_values()):
        assert path in SCHEMA_KEYS, f"{path} is not a key the chart's schema documents"
        allowed = SCHEMA_KEYS[path]
        kind = _json_type(value)
        assert kind in allowed or (kind == "integer" and "number" in allowed), \
            f"{path}: {kind} where the schema allows {allowed}"
    for section, options in _values()["hub"]["config"].items():
        assert re.match(r"^[A-Z].*$", section) and isinstance(options, dict), \
            f"hub.config.{section} must be a class name with an object of options"


def test_z2jh_resources_are_consistent_and_quoted_in_the_guide() -> None:
    single = _values()["singleuser"]
    guarantee, limit = (_memory_mb(single["memory"][k]) for k in ("guarantee", "limit"))
    assert 0 < guarantee <= limit
    assert 0 < single["cpu"]["guarantee"] <= single["cpu"]["limit"]
    guide = GUIDE.read_text(encoding="utf-8")
    for key, value in (("memory.guarantee", single["memory"]["guarantee"]),
                       ("memory.limit", single["memory"]["limit"]),
                       ("cpu.guarantee", single["cpu"]["guarantee"]),
                       ("cpu.limit", single["cpu"]["limit"])):
        assert f"`{key}: {value}`" in guide, f"the trainer guide does not quote {key}: {value}"


def test_z2jh_students_land_on_the_nbgitpuller_link_of_the_course() -> None:
    assert _values()["singleuser"]["defaultUrl"] == git_pull_path(COURSE_REPO)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert COURSE_REPO.removeprefix("https://github.com/") in readme


def test_z2jh_image_has_what_the_values_rely_on() -> None:
    """The image is repo2docker's build of environment.yml, which lists the runtime packages
    and the [singleuser] extra (tests/test_environment_sync.py): the values need
    jupyterhub-singleuser (the chart starts it) and nbgitpuller (defaultUrl is a git-pull link);
    the chart's hub runs FirstUseAuthenticator and the idle culler itself."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    singleuser = {re.split(r"[<>=]", r)[0] for r in project["optional-dependencies"]["singleuser"]}
    assert singleuser == {"jupyterhub", "nbgitpuller"}
    environment = (ROOT / "environment.yml").read_text(encoding="utf-8")
    for conda_name in ("jupyterhub-singleuser", "nbgitpuller"):
        assert re.search(rf"^\s*- {conda_name}[<>=]", environment, flags=re.MULTILINE)
    assert _values()["hub"]["config"]["JupyterHub"]["authenticator_class"] == "firstuse"
    assert _values()["cull"]["enabled"] is True
    readme = DEPLOY_README.read_text(encoding="utf-8")
    assert "jupyter-repo2docker" in readme and "--target-repo-dir" in readme, \
        "deploy/README.md must build the image with repo2docker outside the home folder"


def test_deploy_readme_gives_both_routes_and_the_link_tool() -> None:
    readme = DEPLOY_README.read_text(encoding="utf-8")
    for needed in ("tljh.jupyter.org/bootstrap.py", "tljh-config",
                   "helm upgrade --cleanup-on-fail --install",
                   "deploy/z2jh/config.yaml", "-m deploy.hub",
                   "python tools/course_links.py --hub", "SimpleLocalProcessSpawner"):
        assert needed in readme, f"deploy/README.md lacks {needed!r}"


def test_tljh_snippet_starts_servers_from_the_course_environment() -> None:
    snippet = ROOT / "deploy" / "tljh" / "social_selling_lab.py"
    c = Config()
    exec(compile(snippet.read_text(encoding="utf-8"), str(snippet), "exec"),
         {"get_config": lambda: c})
    assert c.Spawner.default_url == git_pull_path(COURSE_REPO)
    env = c.Spawner.cmd[0].rsplit("/bin/", 1)[0]
    assert c.Spawner.cmd == [f"{env}/bin/jupyterhub-singleuser"]
    assert c.SystemdSpawner.extra_paths == [f"{env}/bin"]
    readme = DEPLOY_README.read_text(encoding="utf-8")
    assert f"-p {env} -c conda-forge python=3.11" in readme, \
        "deploy/README.md must create the environment the TLJH snippet starts servers from"


# ------------------------------------------------------------------ the class hub's settings

def test_settings_read_the_environment_and_reject_bad_values(tmp_path: Path) -> None:
    settings = HubSettings.from_env({"COURSE_HUB_STATE": str(tmp_path), "COURSE_HUB_PORT": "9000"})
    assert (settings.port, settings.admin, settings.course) == (9000, "trainer", str(ROOT))
    with pytest.raises(HubSettingsError, match="COURSE_HUB_STATE"):
        HubSettings.from_env({})
    with pytest.raises(HubSettingsError, match="COURSE_HUB_PORT=70000 is outside 1–65535"):
        HubSettings.from_env({"COURSE_HUB_STATE": str(tmp_path), "COURSE_HUB_PORT": "70000"})
    with pytest.raises(HubSettingsError, match="COURSE_HUB_ADMIN"):
        HubSettings.from_env({"COURSE_HUB_STATE": str(tmp_path), "COURSE_HUB_ADMIN": "Bad Name"})


def test_roster_file(tmp_path: Path) -> None:
    roster = tmp_path / "students.txt"
    roster.write_text("# class of 2027\nAlice\n\nbob  # late joiner\n", encoding="utf-8")
    assert read_roster(roster) == ("alice", "bob")
    roster.write_text("# nobody\n", encoding="utf-8")
    with pytest.raises(HubSettingsError, match="lists no user names"):
        read_roster(roster)


def _fake_proxy(tmp_path: Path) -> str:
    proxy = tmp_path / "configurable-http-proxy"
    proxy.write_text("#!/bin/sh\n", encoding="utf-8")
    proxy.chmod(proxy.stat().st_mode | stat.S_IXUSR)
    return str(proxy)


def test_configure_keeps_everything_on_loopback(tmp_path: Path) -> None:
    c = Config()
    configure(c, HubSettings(state=tmp_path / "state", proxy=_fake_proxy(tmp_path)))
    assert c.JupyterHub.ip == c.JupyterHub.hub_ip == c.Spawner.ip == LOOPBACK
    assert c.ConfigurableHTTPProxy.api_url.startswith(f"http://{LOOPBACK}:")
    assert c.Authenticator.admin_users == {"trainer"}
    assert c.SimpleLocalProcessSpawner.home_dir_template.endswith("homes/{username}")
    assert "--ServerApp.terminals_enabled=False" in c.Spawner.args
    assert c.Spawner.default_url == f"/lab/tree/{COURSE_FOLDER}/chapters/00_start_here.ipynb"


def test_configure_with_a_roster_and_a_git_course(tmp_path: Path) -> None:
    c = Config()
    configure(c, HubSettings(state=tmp_path, proxy=_fake_proxy(tmp_path), course=COURSE_REPO,
                             roster=("alice",), idle_timeout_s=0))
    assert c.Authenticator.allowed_users == {"alice", "trainer"}
    assert c.Spawner.default_url == git_pull_path(COURSE_REPO) == default_url(
        HubSettings(state=tmp_path, course=COURSE_REPO))
    assert "services" not in c.JupyterHub, "idle_timeout_s=0 must not start the culler"


def test_configure_explains_a_missing_proxy(tmp_path: Path) -> None:
    with pytest.raises(HubSettingsError, match="npm install -g configurable-http-proxy@5"):
        configure(Config(), HubSettings(state=tmp_path, proxy=str(tmp_path / "missing")))


def test_course_copy_keeps_the_students_files(tmp_path: Path) -> None:
    home = tmp_path / "home"
    added = copy_course(ROOT, home)
    chapter = home / COURSE_FOLDER / "chapters" / "03_four_stages.ipynb"
    assert chapter in added and (home / COURSE_FOLDER / "datasets").is_dir()
    chapter.write_text("my edits", encoding="utf-8")
    assert copy_course(ROOT, home) == []
    assert chapter.read_text(encoding="utf-8") == "my edits"
    assert not any(p.name.startswith("my_") or "__pycache__" in p.parts for p in added)
    assert is_git_url(COURSE_REPO) and not is_git_url(str(ROOT))


def test_trainer_password_is_set_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import dbm

    import bcrypt

    passwords = tmp_path / "passwords.dbm"
    with pytest.raises(HubSettingsError, match="at least 8"):
        launcher.ensure_admin_password(passwords, "trainer", "short")
    with open(os.devnull) as no_terminal:
        monkeypatch.setattr("sys.stdin", no_terminal)
        with pytest.raises(HubSettingsError, match="COURSE_HUB_ADMIN_PASSWORD"):
            launcher.ensure_admin_password(passwords, "trainer", None)
    assert launcher.ensure_admin_password(passwords, "trainer", "a long secret") is True
    assert launcher.ensure_admin_password(passwords, "trainer", "another secret") is False
    with dbm.open(str(passwords), "r") as db:
        assert bcrypt.checkpw(b"a long secret", db[b"trainer"])
