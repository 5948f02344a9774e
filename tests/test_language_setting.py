"""The language choice lasts: across kernels and chapters, per edition, overridable by env.

``tests/conftest.py`` points ``JUPYTER_CONFIG_DIR`` at a temporary folder for every test,
so nothing here touches the real home.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from jupyter_client.manager import start_new_kernel

from widgets.apps import labels

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _restore_language():
    before = labels.get_language()
    yield
    labels.set_language(before, remember=False)


def _kernel_language(cwd: Path, code: str = "") -> str:
    """Start a fresh kernel in ``cwd`` (as JupyterLab does for a notebook), run ``code``."""
    env = {k: v for k, v in os.environ.items() if k != "JPY_SESSION_NAME"}
    manager, client = start_new_kernel(kernel_name="python3", cwd=str(cwd), env=env)
    seen: list[str] = []

    def hook(message: dict) -> None:
        if message["msg_type"] == "stream":
            seen.append(message["content"]["text"])

    try:
        client.execute_interactive(
            f"from widgets.apps import labels\n{code}\nprint(labels.get_language())",
            output_hook=hook, timeout=60)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    return "".join(seen).strip().splitlines()[-1]


def _chapter_dirs(tmp_path: Path) -> tuple[Path, Path]:
    english, chinese = tmp_path / "chapters", tmp_path / "chapters" / "zh"
    chinese.mkdir(parents=True)
    return english, chinese


def test_settings_file_lives_in_the_redirected_jupyter_config_dir(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(tmp_path))
    assert labels.settings_path() == tmp_path / labels.SETTINGS_FILE
    labels.set_language("zh")
    assert json.loads(labels.settings_path().read_text())["language"] == {"en": "zh"}
    assert labels.saved_language("en") == "zh" and labels.saved_language("zh") is None


def test_choice_survives_a_kernel_restart_and_carries_to_another_chapter(tmp_path) -> None:
    english, _ = _chapter_dirs(tmp_path)
    chapter_00, chapter_03 = english / "a", english / "b"
    chapter_00.mkdir()
    chapter_03.mkdir()
    assert _kernel_language(chapter_00) == "both", "English chapters start in both languages"
    assert _kernel_language(chapter_00, 'labels.set_language("zh")') == "zh"
    assert _kernel_language(chapter_00) == "zh", "the choice is lost on a kernel restart"
    assert _kernel_language(chapter_03) == "zh", "the choice does not reach another chapter"


def test_chinese_chapter_runs_in_chinese_by_itself(tmp_path) -> None:
    english, chinese = _chapter_dirs(tmp_path)
    assert _kernel_language(chinese) == "zh"
    assert _kernel_language(english) == "both"


def test_editions_remember_separately(tmp_path, monkeypatch) -> None:
    english, chinese = _chapter_dirs(tmp_path)
    monkeypatch.chdir(chinese)
    labels.set_language("both")
    assert labels.initial_language() == "both"
    monkeypatch.chdir(english)
    assert labels.initial_language() == "both"
    labels.set_language("en")
    assert labels.initial_language() == "en"
    monkeypatch.chdir(chinese)
    assert labels.initial_language() == "both"


def test_environment_variable_overrides_everything(tmp_path, monkeypatch) -> None:
    _, chinese = _chapter_dirs(tmp_path)
    monkeypatch.chdir(chinese)
    monkeypatch.setenv(labels.ENV_VAR, "en")
    assert labels.initial_language() == "en"
    monkeypatch.setenv(labels.ENV_VAR, "fr")
    with pytest.raises(ValueError, match=labels.ENV_VAR):
        labels.initial_language()


def test_jupyterlab_session_name_marks_a_chinese_chapter(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JPY_SESSION_NAME", "chapters/zh/03_four_stages.ipynb")
    assert labels.edition() == "zh"
    monkeypatch.setenv("JPY_SESSION_NAME", "chapters/03_four_stages.ipynb")
    assert labels.edition() == "en"


def test_a_broken_settings_file_is_ignored_and_replaced(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    labels.settings_path().write_text("{not json", encoding="utf-8")
    assert labels.saved_language() is None and labels.initial_language() == "both"
    labels.set_language("en")
    assert labels.saved_language() == "en"


def test_remember_false_leaves_the_file_alone(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(tmp_path))
    labels.set_language("zh", remember=False)
    assert not labels.settings_path().exists()
