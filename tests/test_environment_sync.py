"""environment.yml (Binder, conda, the hub's single-user image) and pyproject.toml must agree.

environment.yml lists the runtime packages plus the ``[singleuser]`` extra (what a student's
server needs under a JupyterHub: repo2docker builds the Zero to JupyterHub image from it).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_NAME = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$")
# PyPI name -> conda-forge name where they differ. conda-forge's ``jupyterhub`` is the whole
# hub (Node.js and the proxy too); a single-user server needs only ``jupyterhub-singleuser``.
CONDA_NAMES = {"jupyterhub": "jupyterhub-singleuser"}


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _split(requirement: str) -> tuple[str, str]:
    match = _NAME.match(requirement)
    assert match, f"cannot parse requirement {requirement!r}"
    return _normalise(match.group(1)), match.group(2).replace(" ", "")


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _environment_lines() -> list[str]:
    return (ROOT / "environment.yml").read_text(encoding="utf-8").splitlines()


def _conda_dependencies() -> tuple[dict[str, str], list[str]]:
    conda: dict[str, str] = {}
    pip: list[str] = []
    section = None
    for line in _environment_lines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not line.startswith(" ") and stripped.endswith(":"):
            section = stripped[:-1]
            continue
        if section != "dependencies":
            continue
        if stripped == "- pip:":
            section = "pip"
            continue
        item = stripped.lstrip("- ").strip()
        name, spec = _split(item.replace("=", "==", 1) if re.match(r"^[\w\-.]+=[^=]", item)
                            else item)
        conda[name] = spec
    for line in _environment_lines()[_environment_lines().index("  - pip:") + 1:]:
        if line.strip().startswith("- "):
            pip.append(line.strip()[2:].strip())
    return conda, pip


def _image_packages() -> dict[str, str]:
    """Runtime packages and the [singleuser] extra, by conda-forge name."""
    project = _pyproject()["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["singleuser"]
    packages = dict(_split(r) for r in wanted)
    return {CONDA_NAMES.get(name, name): spec for name, spec in packages.items()}


def test_runtime_packages_agree() -> None:
    runtime = _image_packages()
    conda, _ = _conda_dependencies()
    conda_packages = {k: v for k, v in conda.items() if k not in ("python", "pip")}
    assert set(runtime) == set(conda_packages), (
        f"only in pyproject: {sorted(set(runtime) - set(conda_packages))}; "
        f"only in environment.yml: {sorted(set(conda_packages) - set(runtime))}"
    )
    for name, spec in runtime.items():
        assert conda_packages[name] == spec, (
            f"{name}: pyproject says {spec!r}, environment.yml says {conda_packages[name]!r}")


def test_environment_pins_python_and_installs_the_repo() -> None:
    conda, pip = _conda_dependencies()
    assert conda.get("python") == "==3.11", "environment.yml must say python=3.11"
    assert "pip" in conda, "environment.yml must list pip"
    assert pip == ["-e ."], "environment.yml must end with '- pip: [\"-e .\"]'"
    assert _environment_lines()[-1].strip() == "- -e .", "the pip -e . line must come last"
    assert "conda-forge" in "\n".join(_environment_lines())


def test_pyproject_python_matches_environment() -> None:
    assert _pyproject()["project"]["requires-python"].startswith(">=3.11")
