"""Content-as-data in Chinese: every English explanation row of a dataset has a Chinese text,
and the chapter tables that show the English column show the Chinese one in ``zh`` mode."""

from __future__ import annotations

import html
import json
import re

import pytest
from pandas.io.formats.style import Styler

from tools.zh_scan import english_prose, visible_strings
from widgets.apps import labels
from widgets.apps.content import CONTENT_DIR, DATASET_TEXT_ZH, dataset_text_zh
from widgets.data import load_dataset
from widgets.data.loader import datasets_dir

CJK = re.compile(r"[\u4e00-\u9fff]")
#: English prose columns of the datasets (names that only ever hold explanations, not terms).
PROSE_COLUMN = re.compile(r"^(explanation|meaning|check_question|relationship|description"
                          r"|question)_en$")




def test_every_english_prose_column_has_a_chinese_home() -> None:
    """A new explanation column in any dataset must be registered for a Chinese text."""
    package = json.loads((datasets_dir() / "datapackage.json").read_text(encoding="utf-8"))
    prose_columns = {(r["name"], f["name"]) for r in package["resources"]
                     for f in r["schema"]["fields"] if PROSE_COLUMN.match(f["name"])}
    registered = {(d, c) for d, (_, columns) in DATASET_TEXT_ZH.items() for c in columns}
    assert prose_columns, "the pattern finds no explanation columns: the test would be empty"
    assert prose_columns <= registered, sorted(prose_columns - registered)


@pytest.mark.parametrize("dataset", sorted(DATASET_TEXT_ZH))
def test_every_row_has_chinese_text(dataset: str) -> None:
    """Fails when a row (or a column) is added to the dataset without its Chinese text."""
    key, columns = DATASET_TEXT_ZH[dataset]
    data = load_dataset(dataset)
    chinese_file = json.loads((CONTENT_DIR / "zh" / f"{dataset}.json").read_text(encoding="utf-8"))
    for column in columns:
        assert column in data.columns, f"{dataset} has no column {column!r}"
        texts = dataset_text_zh(data, dataset, column)
        missing = [k for k, t in zip(data[key], texts, strict=True) if not CJK.search(t)]
        assert not missing, f"{dataset}.{column}: rows {missing} lack a Chinese text"
        runs = {t: english_prose(t) for t in texts if english_prose(t)}
        assert not runs, f"{dataset}.{column}: English prose in the Chinese text: {runs}"
        stale = set(chinese_file[column.removesuffix("_en") + "_zh"]) - set(data[key].astype(str))
        assert not stale, f"{dataset}.{column}: Chinese texts for unknown rows {sorted(stale)}"


def test_unknown_column_is_refused() -> None:
    with pytest.raises(KeyError, match="name_en"):
        dataset_text_zh(load_dataset("stages"), "stages", "name_en")


def _shown(result) -> str:  # the text a student reads (HTML entities decoded)
    shown = result.to_html() if isinstance(result, Styler) else " ".join(visible_strings(result))
    return html.unescape(shown)


TABLES = [  # (module, helper, dataset, column)
    ("ch03", "stages_table", "stages", "relationship_en"),
    ("ch03", "connections_table", "constant_connections", "explanation_en"),
    ("ch04", "show_characteristics", "characteristics", "explanation_en"),
    ("ch06", "symptoms_table", "symptoms_1_0", "explanation_en"),
]


@pytest.mark.parametrize(("module", "helper", "dataset", "column"), TABLES)
def test_chapter_tables_show_the_chinese_explanations(chinese, module, helper, dataset,
                                                      column) -> None:
    import importlib

    build = getattr(importlib.import_module(f"widgets.chapters.{module}"), helper)
    shown = _shown(build())
    texts = dataset_text_zh(load_dataset(dataset), dataset, column)
    absent = [t for t in texts if t not in shown]
    assert not absent, f"{helper} in zh mode lacks the Chinese texts {absent}"
    assert not english_prose(shown), english_prose(shown)
    labels.set_language("en", remember=False)
    english = _shown(build())
    assert all(t in english for t in load_dataset(dataset)[column]), f"{helper}: English changed"
