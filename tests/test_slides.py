"""Headless checks of what the slides rely on: the deck style, the deck-mode reset at
server start, the Present button's settings and the short error box of ParameterError."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from widgets.apps.slides import BODY_FONT_PX, DECK, slide_style
from widgets.deck_settings import SETTINGS_FILE, reset_deck_mode
from widgets.models.validation import ParameterError

ROOT = Path(__file__).resolve().parents[1]


def test_deck_style_is_scoped_to_presenting_and_readable() -> None:
    css = slide_style().data
    assert BODY_FONT_PX >= 24 and f"font-size: {BODY_FONT_PX}px" in css
    rules = [r.strip() for r in re.findall(r"([^{}]+)\{", css.replace("<style>", ""))]
    assert rules and all(all(part.strip().startswith(DECK) for part in rule.split(","))
                         for rule in rules), "a deck rule would change the notebook outside decks"


def test_deck_mode_is_switched_off_but_other_settings_kept(tmp_path: Path) -> None:
    path = tmp_path / SETTINGS_FILE
    assert not reset_deck_mode(tmp_path)  # no file: nothing to do
    path.parent.mkdir(parents=True)
    path.write_text('// saved by JupyterLab\n{"active": true, "showCodeCellPrompt": true}\n',
                    encoding="utf-8")
    assert reset_deck_mode(tmp_path)
    assert json.loads(path.read_text(encoding="utf-8")) == {"showCodeCellPrompt": True}
    assert not reset_deck_mode(tmp_path)


def test_server_config_enables_the_reset_and_overrides_default_to_no_deck() -> None:
    server = json.loads((ROOT / "jupyter-config/jupyter_server_config.d/social_selling_lab.json")
                        .read_text(encoding="utf-8"))
    assert server["ServerApp"]["jpserver_extensions"]["widgets.deck_settings"] is True
    overrides = json.loads((ROOT / "jupyter-config/lab/settings/overrides.json")
                           .read_text(encoding="utf-8"))
    assert overrides["jupyterlab-slideshow:plugin"]["active"] is False
    present = overrides["@jupyterlab/notebook-extension:panel"]["toolbar"][0]
    commands = present["args"]["commands"]
    assert commands[0] == "notebook:extend-marked-cells-top" and commands[-1] == "deck:start"


def test_parameter_error_shows_a_short_box_not_a_traceback() -> None:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "from widgets.models.validation import check_range\n"
        "check_range('top_price', 45, 0, 40)")])
    NotebookClient(notebook, timeout=120, allow_errors=True).execute()
    (error,) = notebook.cells[0].outputs
    assert error.output_type == "error" and error.ename == "ParameterError"
    text = "\n".join(error.traceback)
    assert len(error.traceback) <= 3 and "Traceback" not in text and "top_price" in text
    assert ParameterError("x")._render_traceback_()[0].endswith("x")
