"""A Jupyter server extension: JupyterLab never starts in deck (slide) mode.

jupyterlab-slideshow saves "deck active" in the user's settings when a deck starts, so a
JupyterLab closed during a talk would reopen in deck mode. Each time the server starts,
this extension removes that one key from the user's settings file (the project's
``overrides.json`` makes ``false`` the default); every other setting is kept.
Enabled by ``jupyter-config/jupyter_server_config.d/social_selling_lab.json``.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

SETTINGS_FILE = Path("jupyterlab-slideshow") / "plugin.jupyterlab-settings"


def user_settings_dir() -> Path:
    """JupyterLab's user-settings folder (``JUPYTERLAB_SETTINGS_DIR`` or the config dir's)."""
    from jupyter_core.paths import jupyter_config_dir

    folder = os.environ.get("JUPYTERLAB_SETTINGS_DIR")
    return Path(folder) if folder else Path(jupyter_config_dir()) / "lab" / "user-settings"


def _strip_comments(text: str) -> str:
    """JupyterLab settings files are JSON5-ish: drop ``//`` line comments outside strings."""
    return re.sub(r'^\s*//.*$', "", text, flags=re.MULTILINE)


def reset_deck_mode(folder: Path | None = None) -> bool:
    """Remove ``active`` from the deck's user settings; True if the file was changed."""
    path = (folder or user_settings_dir()) / SETTINGS_FILE
    try:
        settings = json.loads(_strip_comments(path.read_text(encoding="utf-8")) or "{}")
    except (OSError, ValueError):
        return False
    if not isinstance(settings, dict) or "active" not in settings:
        return False
    settings.pop("active")
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(settings, indent=2), encoding="utf-8")
    temporary.replace(path)
    return True


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "widgets.deck_settings"}]


def _load_jupyter_server_extension(server_app: Any) -> None:
    if reset_deck_mode():
        server_app.log.info("Social Selling Lab: deck mode switched off for this start")
