"""Keep every test away from the real Jupyter config folder.

``widgets.apps.labels`` remembers the language in a settings file under
``jupyter_config_dir()``; tests (and the notebooks nbval runs in the same session)
get a temporary folder instead, and ``SOCIAL_SELLING_LANG`` is cleared, so the
developer's own choice neither leaks into a test nor gets overwritten by one.
"""

from __future__ import annotations

import os
import tempfile

import pytest

os.environ["JUPYTER_CONFIG_DIR"] = tempfile.mkdtemp(prefix="social-selling-config-")
os.environ.pop("SOCIAL_SELLING_LANG", None)


@pytest.fixture(autouse=True)
def _own_jupyter_config(tmp_path_factory: pytest.TempPathFactory,
                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(tmp_path_factory.mktemp("jupyter-config")))
    monkeypatch.delenv("SOCIAL_SELLING_LANG", raising=False)
