"""Suite-wide hooks.

1. Tests marked ``sources`` need the maintainers' source bundle. Without the bundle they are
   skipped with the reason (listed in pytest's ``-ra`` summary); with
   ``SOCIAL_SELLING_REQUIRE_SOURCES=1`` a missing bundle makes each of them an error instead,
   so CI cannot pass without really running them.
2. Keep every test away from the real Jupyter config folder. ``widgets.apps.labels``
   remembers the language in a settings file under ``jupyter_config_dir()``; tests (and the
   notebooks nbval runs in the same session) get a temporary folder instead, and
   ``SOCIAL_SELLING_LANG`` is cleared, so the developer's own choice neither leaks into a test
   nor gets overwritten by one.
"""

from __future__ import annotations

import os
import tempfile

import pytest

from tests.sources import REQUIRE_ENV, missing_reason, sources_required

os.environ["JUPYTER_CONFIG_DIR"] = tempfile.mkdtemp(prefix="social-selling-config-")
os.environ.pop("SOCIAL_SELLING_LANG", None)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("sources") is None:
        return
    reason = missing_reason()
    if reason is None:
        return
    name = getattr(item, "originalname", item.name)
    if sources_required():
        pytest.fail(f"{name}: {reason}, and {REQUIRE_ENV}=1 requires it", pytrace=False)
    pytest.skip(f"{name} not run: {reason}")


@pytest.fixture(autouse=True)
def _own_jupyter_config(tmp_path_factory: pytest.TempPathFactory,
                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(tmp_path_factory.mktemp("jupyter-config")))
    monkeypatch.delenv("SOCIAL_SELLING_LANG", raising=False)


@pytest.fixture
def chinese():
    """The labels in Chinese for one test (not remembered), then back to what they were."""
    from widgets.apps import labels

    before = labels.get_language()
    labels.set_language("zh", remember=False)
    yield
    labels.set_language(before, remember=False)
