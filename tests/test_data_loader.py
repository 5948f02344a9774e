"""The dataset loader: types, constraints, keys, error messages, caching, overrides."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets.data import loader
from widgets.data.loader import (
    DatasetError,
    dataset_info,
    list_datasets,
    load_dataset,
    source_note,
    validate_frame,
)

FIELDS: list[dict[str, Any]] = [
    {"name": "id", "type": "string", "description": "key",
     "constraints": {"required": True, "unique": True, "pattern": "[a-z_]+"}},
    {"name": "count", "type": "integer", "description": "a count",
     "constraints": {"required": True, "minimum": 0, "maximum": 10}},
    {"name": "share", "type": "number", "description": "a share", "constraints": {"maximum": 1}},
    {"name": "flag", "type": "boolean", "description": "a flag", "constraints": {}},
    {"name": "colour", "type": "string", "description": "a colour",
     "constraints": {"enum": ["red", "blue"], "unique": True}},
]
GOOD = "id,count,share,flag,colour\nalpha,1,0.5,true,red\nbeta,2,,no,\ngamma,3.0,1,1,\n"


def make_package(folder: Path, body: str = GOOD, fields: list[dict[str, Any]] | None = None,
                 key: str | list[str] = "id", name: str = "things") -> Path:
    """Write a one-resource data package into ``folder``; return the CSV path."""
    resource = {"name": name, "path": f"{name}.csv", "title": "Things", "format": "csv",
                "encoding": "utf-8", "provenance": "synthetic",
                "sources": [{"title": "made up for a test", "publication": "tests"}],
                "schema": {"fields": fields or FIELDS, "primaryKey": key}}
    (folder / "datapackage.json").write_text(
        json.dumps({"name": "test", "resources": [resource]}), encoding="utf-8")
    csv_path = folder / f"{name}.csv"
    csv_path.write_text(body, encoding="utf-8")
    return csv_path


def error_of(folder: Path, name: str = "things") -> str:
    with pytest.raises(DatasetError) as caught:
        load_dataset(name, folder=folder)
    return str(caught.value)


def test_a_good_file_loads_with_types(tmp_path: Path) -> None:
    make_package(tmp_path)
    frame = load_dataset("things", folder=tmp_path)
    assert list(frame["id"]) == ["alpha", "beta", "gamma"]
    assert frame["count"].dtype == "int64" and list(frame["count"]) == [1, 2, 3]
    assert frame["share"].dtype == "float64" and pd.isna(frame["share"][1])
    assert frame["flag"].dtype == bool and list(frame["flag"]) == [True, False, True]
    assert frame.attrs["provenance"] == "synthetic"
    assert frame.attrs["source"] == "Source: made up for a test — provenance: synthetic"


def test_optional_integers_and_booleans_become_nullable(tmp_path: Path) -> None:
    fields = [FIELDS[0], {"name": "n", "type": "integer", "description": "n"},
              {"name": "b", "type": "boolean", "description": "b"}]
    make_package(tmp_path, "id,n,b\na,1,true\nb,,\n", fields)
    frame = load_dataset("things", folder=tmp_path)
    assert str(frame["n"].dtype) == "Int64" and frame["n"][0] == 1 and pd.isna(frame["n"][1])
    assert str(frame["b"].dtype) == "boolean" and bool(frame["b"][0]) and pd.isna(frame["b"][1])


def test_folder_may_be_a_string(tmp_path: Path) -> None:
    make_package(tmp_path)
    assert len(load_dataset("things", folder=str(tmp_path))) == 3
    assert list_datasets(str(tmp_path)) == ["things"]


@pytest.mark.parametrize(("row", "column", "value", "says"), [
    (2, "count", "2.5", "bad integer"),
    (3, "count", "inf", "bad integer"),
    (2, "count", "two", "bad integer"),
    (3, "share", "nan", "bad number"),
    (4, "share", "-inf", "bad number"),
    (2, "flag", "maybe", "bad boolean"),
    (3, "count", "11", "above the maximum"),
    (4, "count", "-1", "below the minimum"),
    (2, "share", "1.01", "above the maximum"),
    (3, "colour", "green", "not one of"),
    (4, "id", "Gamma", "does not match the pattern"),
    (2, "count", "", "required"),
    (3, "count", "   ", "required"),
    (4, "id", "alpha", "must be unique"),
    (3, "colour", "red", "must be unique"),
])
def test_a_bad_cell_is_named_by_file_row_and_column(tmp_path: Path, row: int, column: str,
                                                    value: str, says: str) -> None:
    csv_path = make_package(tmp_path)
    frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    frame.loc[row - 2, column] = value
    frame.to_csv(csv_path, index=False)
    message = error_of(tmp_path)
    assert message.startswith(f"things.csv, row {row}, column {column!r}:"), message
    assert says in message


def test_blank_cells_of_an_optional_unique_column_may_repeat(tmp_path: Path) -> None:
    make_package(tmp_path)  # colour is unique but blank in two rows
    assert load_dataset("things", folder=tmp_path)["colour"].isna().sum() == 2


def test_a_composite_primary_key_must_not_repeat(tmp_path: Path) -> None:
    fields = [{"name": "a", "type": "string", "description": "a"},
              {"name": "b", "type": "integer", "description": "b"}]
    make_package(tmp_path, "a,b\nx,1\nx,2\ny,1\nx,2\n", fields, key=["a", "b"])
    message = error_of(tmp_path)
    assert "row 5" in message and "'a,b'" in message and "primary key" in message


@pytest.mark.parametrize(("body", "column"), [
    ("ident,count,share,flag,colour\nalpha,1,0.5,true,red\n", "id"),
    ("id,count,share,flag\nalpha,1,0.5,true\n", "colour"),
    ("id,count,share,flag,colour,extra\nalpha,1,0.5,true,red,x\n", "extra"),
])
def test_header_mismatch_names_row_1_and_the_column(tmp_path: Path, body: str,
                                                    column: str) -> None:
    make_package(tmp_path, body)
    message = error_of(tmp_path)
    assert message.startswith(f"things.csv, row 1 (header), column {column!r}"), message


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    csv_path = make_package(tmp_path)
    csv_path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode("utf-8"))
    assert load_dataset("things", folder=tmp_path).columns[0] == "id"


@pytest.mark.parametrize(("content", "says"), [
    (b"", "empty"),
    ("id,count\n\u00e9t\u00e9,1\n".encode("latin-1"), "line 2: not valid UTF-8"),
    (b'id,count,share,flag,colour\nalpha,1,0.5,true,red,extra,more\n"unclosed',
     "line 2: expected 5 fields (id, count, share, flag, colour), found 7"),
    (b"id,count,share,flag,colour\nalpha,1,0.5,true,red\nbeta,2,0.5\n",
     "line 3: expected 5 fields (id, count, share, flag, colour), found 3"),
    (b"id,count,share,flag,colour\n", "has a header but no data rows"),
])
def test_unreadable_files_are_reported(tmp_path: Path, content: bytes, says: str) -> None:
    make_package(tmp_path).write_bytes(content)
    message = error_of(tmp_path)
    assert message.startswith("things.csv") and says in message


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    make_package(tmp_path).unlink()
    assert "things.csv" in error_of(tmp_path) and "not found" in error_of(tmp_path)


def test_a_missing_or_broken_package_is_reported(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=r"datapackage\.json not found"):
        load_dataset("things", folder=tmp_path)
    (tmp_path / "datapackage.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(DatasetError, match="not valid JSON"):
        load_dataset("things", folder=tmp_path)


def test_an_unknown_name_lists_the_known_ones(tmp_path: Path) -> None:
    make_package(tmp_path)
    with pytest.raises(DatasetError, match="unknown dataset 'nope'; known datasets: things"):
        load_dataset("nope", folder=tmp_path)


@pytest.mark.parametrize(("field", "says"), [
    ({"name": "id", "type": "text", "description": "x"}, "unsupported type"),
    ({"name": "id", "type": "string", "description": "x", "constraints": {"minimun": 1}},
     "unsupported constraints ['minimun']"),
    ({"name": "id", "type": "string", "description": "x", "constraints": {"minimum": 1}},
     "on a string column"),
])
def test_a_schema_the_loader_cannot_check_is_rejected(tmp_path: Path, field: dict[str, Any],
                                                      says: str) -> None:
    make_package(tmp_path, "id\na\n", [field])
    message = error_of(tmp_path)
    assert "'id'" in message and says in message


@pytest.mark.parametrize("provenance", [None, "made-up", "From-Sources"])
def test_an_unknown_provenance_is_rejected(tmp_path: Path, provenance: str | None) -> None:
    make_package(tmp_path)
    package_path = tmp_path / "datapackage.json"
    package = json.loads(package_path.read_text(encoding="utf-8"))
    package["resources"][0]["provenance"] = provenance
    package_path.write_text(json.dumps(package), encoding="utf-8")
    message = error_of(tmp_path)
    assert message.startswith("things.csv") and "provenance" in message


def test_dataset_info_returns_a_copy(tmp_path: Path) -> None:
    make_package(tmp_path)
    info = dataset_info("things", folder=tmp_path)
    info["schema"]["fields"].clear()
    info["provenance"] = "changed"
    assert len(dataset_info("things", folder=tmp_path)["schema"]["fields"]) == len(FIELDS)
    assert load_dataset("things", folder=tmp_path).attrs["provenance"] == "synthetic"


def test_an_edited_package_is_read_again(tmp_path: Path) -> None:
    make_package(tmp_path)
    assert source_note("things", folder=tmp_path).endswith("provenance: synthetic")
    package_path = tmp_path / "datapackage.json"
    stat = package_path.stat()
    package = json.loads(package_path.read_text(encoding="utf-8"))
    package["resources"][0]["provenance"] = "illustrative"
    package_path.write_text(json.dumps(package), encoding="utf-8")
    os.utime(package_path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same mtime, new size
    assert source_note("things", folder=tmp_path).endswith("provenance: illustrative")


def test_the_folder_can_be_set_by_environment(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    make_package(tmp_path, name="elsewhere")
    monkeypatch.setenv("SOCIAL_SELLING_DATASETS", str(tmp_path))
    assert loader.datasets_dir() == tmp_path
    assert list_datasets() == ["elsewhere"]
    assert len(load_dataset("elsewhere")) == 3


def test_the_default_folder_is_the_repository_datasets() -> None:
    assert loader.datasets_dir() == Path(__file__).resolve().parents[1] / "datasets"
    assert "death_index" in list_datasets()


BOUNDED = {"fields": [{"name": "n", "type": "integer", "description": "n",
                       "constraints": {"required": True, "minimum": -5, "maximum": 5}}]}


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(min_value=-20, max_value=20), min_size=1, max_size=12))
def test_integers_pass_exactly_when_all_are_in_range(values: list[int]) -> None:
    raw = pd.DataFrame({"n": [str(v) for v in values]})
    if all(-5 <= v <= 5 for v in values):
        assert list(validate_frame(raw, BOUNDED, Path("n.csv"))["n"]) == values
    else:
        first_bad = next(i for i, v in enumerate(values) if not -5 <= v <= 5)
        with pytest.raises(DatasetError, match=f"n.csv, row {first_bad + 2}, column 'n'"):
            validate_frame(raw, BOUNDED, Path("n.csv"))


@settings(max_examples=40, deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=True))
def test_numbers_round_trip_or_are_rejected(value: float) -> None:
    schema = {"fields": [{"name": "x", "type": "number", "description": "x"}]}
    raw = pd.DataFrame({"x": [repr(value)]})
    if value == value and abs(value) != float("inf"):
        assert validate_frame(raw, schema, Path("x.csv"))["x"][0] == value
    else:
        with pytest.raises(DatasetError, match="row 2, column 'x'"):
            validate_frame(raw, schema, Path("x.csv"))


def test_every_real_dataset_refuses_a_header_only_copy(tmp_path: Path) -> None:
    """A header-only file is an error naming the file, for each of the course's datasets."""
    import shutil

    from widgets.data import datasets_dir, list_datasets

    source = datasets_dir()
    shutil.copy(source / "datapackage.json", tmp_path / "datapackage.json")
    names = list_datasets(tmp_path)
    assert names
    for name in names:
        relative = dataset_info(name, tmp_path)["path"]
        target = tmp_path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        header = (source / relative).read_bytes().splitlines(keepends=True)[0]
        target.write_bytes(header)
        with pytest.raises(DatasetError) as caught:
            load_dataset(name, folder=tmp_path)
        assert str(caught.value).startswith(f"{target.name}: has a header but no data rows")
