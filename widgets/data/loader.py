"""Load a dataset by name from ``datasets/`` and validate it against its schema.

The schema is the Frictionless Table Schema of the resource in
``datasets/datapackage.json``. Every problem is reported with the file, the
(1-based, header = row 1) row and the column, so a student or a contributor can
find it at once.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import math
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

PROVENANCES = ("from-sources", "as-reported", "illustrative", "synthetic")
FIELD_TYPES = ("string", "integer", "number", "boolean", "date")
CONSTRAINTS = ("required", "unique", "minimum", "maximum", "enum", "minLength", "maxLength",
               "pattern")
_ENV_VAR = "SOCIAL_SELLING_DATASETS"


class DatasetError(ValueError):
    """A dataset is missing, malformed or breaks its schema."""


def datasets_dir() -> Path:
    """The folder holding ``datapackage.json`` (override with $SOCIAL_SELLING_DATASETS)."""
    override = os.environ.get(_ENV_VAR)
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "datasets"


def _read_package(folder: Path) -> dict[str, Any]:
    path = folder / "datapackage.json"
    if not path.is_file():
        raise DatasetError(f"{path}: datapackage.json not found")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DatasetError(f"{path}: not valid JSON ({exc})") from exc


@lru_cache(maxsize=8)
def _package_cached(folder: str, mtime_ns: int, size: int) -> dict[str, Any]:
    return _read_package(Path(folder))


def _package(folder: str | Path | None = None) -> tuple[Path, dict[str, Any]]:
    folder = Path(folder) if folder is not None else datasets_dir()
    path = folder / "datapackage.json"
    try:
        stat = path.stat()
        mtime_ns, size = stat.st_mtime_ns, stat.st_size
    except OSError:
        mtime_ns, size = 0, -1
    return folder, _package_cached(str(folder.resolve()), mtime_ns, size)


def list_datasets(folder: str | Path | None = None) -> list[str]:
    """Names of every resource in the data package."""
    _, package = _package(folder)
    return [r["name"] for r in package.get("resources", [])]


def dataset_info(name: str, folder: str | Path | None = None) -> dict[str, Any]:
    """The resource descriptor (fields, source, provenance …) of dataset ``name``.

    A copy: changing it does not change what later calls see.
    """
    _, package = _package(folder)
    for resource in package.get("resources", []):
        if resource.get("name") == name:
            return copy.deepcopy(resource)
    known = ", ".join(list_datasets(folder))
    raise DatasetError(f"unknown dataset {name!r}; known datasets: {known}")


def source_note(name: str, folder: str | Path | None = None) -> str:
    """One line to print under a table or chart: its source and provenance (in Chinese when
    the course runs in Chinese: sources by their bibliography key)."""
    from widgets.apps.labels import get_language

    info = dataset_info(name, folder)
    provenance = info.get("provenance", "unknown")
    if get_language() == "zh":
        sources = "；".join(_source_zh(s.get("title", "")) for s in info.get("sources", []))
        return f"来源：{sources} — 数据性质：{PROVENANCES_ZH.get(provenance, provenance)}"
    sources = "; ".join(s.get("title", "") for s in info.get("sources", []))
    return f"Source: {sources} — provenance: {provenance}"


PROVENANCES_ZH = {"from-sources": "取自来源文章", "as-reported": "据转载报道",
                  "illustrative": "示意", "synthetic": "合成数据"}


def _source_zh(title: str) -> str:
    """A source title for a Chinese reader: its bibliography key, or what made the data."""
    key = re.match(r"\[[^\]]+\]", title)
    if key:
        return key.group(0)
    if "seeded generator" in title:
        return title.split(" — ")[0] + " — 带随机种子的生成器（课程自己的假设，不是实测）"
    if title.startswith("The course's own plan"):
        return "课程自己的章节安排，建立在五篇来源文章之上"
    return title


def _cell_error(path: Path, row: int, column: str, message: str) -> DatasetError:
    return DatasetError(f"{path.name}, row {row}, column {column!r}: {message}")


def _convert(value: str, field: dict[str, Any]) -> Any:
    kind = field.get("type", "string")
    if kind == "string":
        return value
    if kind == "integer":
        text = value.strip()
        try:
            return int(text)
        except ValueError:
            number = float(text)  # accepts "3.0"; raises ValueError for "abc"
        if not math.isfinite(number) or not number.is_integer():
            raise ValueError(f"expected an integer, got {value!r}")
        return int(number)
    if kind == "number":
        number = float(value)
        if not math.isfinite(number):
            raise ValueError("NaN and infinity are not allowed")
        return number
    if kind == "boolean":
        lowered = value.strip().lower()
        if lowered in ("true", "1", "yes"):
            return True
        if lowered in ("false", "0", "no"):
            return False
        raise ValueError(f"expected true/false, got {value!r}")
    if kind == "date":
        return pd.Timestamp(value).date()
    raise ValueError(f"unsupported field type {kind!r} in schema")


def _check_constraints(value: Any, constraints: dict[str, Any]) -> str | None:
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], str(value)):
        return f"{value!r} does not match the pattern {constraints['pattern']!r}"
    if "minimum" in constraints and value < constraints["minimum"]:
        return f"{value!r} is below the minimum {constraints['minimum']}"
    if "maximum" in constraints and value > constraints["maximum"]:
        return f"{value!r} is above the maximum {constraints['maximum']}"
    if "enum" in constraints and value not in constraints["enum"]:
        return f"{value!r} is not one of {constraints['enum']}"
    if "minLength" in constraints and len(str(value)) < constraints["minLength"]:
        return f"{value!r} is shorter than {constraints['minLength']} characters"
    if "maxLength" in constraints and len(str(value)) > constraints["maxLength"]:
        return f"{value!r} is longer than {constraints['maxLength']} characters"
    return None


def _check_schema(schema: dict[str, Any], path: Path) -> None:
    """Reject a schema the validator would misread (unknown type or constraint)."""
    for field in schema.get("fields", []):
        name = field.get("name")
        if field.get("type", "string") not in FIELD_TYPES:
            raise DatasetError(f"{path.name}: schema of column {name!r} has unsupported type "
                               f"{field.get('type')!r}; use one of {list(FIELD_TYPES)}")
        unknown = sorted(set(field.get("constraints", {})) - set(CONSTRAINTS))
        if unknown:
            raise DatasetError(f"{path.name}: schema of column {name!r} uses unsupported "
                               f"constraints {unknown}; supported: {list(CONSTRAINTS)}")
        bounds = [k for k in ("minimum", "maximum") if k in field.get("constraints", {})]
        if bounds and field.get("type") not in ("integer", "number", "date"):
            raise DatasetError(f"{path.name}: schema of column {name!r} sets {bounds} "
                               f"on a {field.get('type', 'string')} column")


def validate_frame(raw: pd.DataFrame, schema: dict[str, Any], path: Path) -> pd.DataFrame:
    """Check columns, types, required values, constraints and unique keys; return typed data."""
    _check_schema(schema, path)
    fields = schema.get("fields", [])
    expected = [f["name"] for f in fields]
    actual = list(raw.columns)
    missing = [c for c in expected if c not in actual]
    extra = [c for c in actual if c not in expected]
    if missing or extra:
        first = (missing or extra)[0]
        raise DatasetError(
            f"{path.name}, row 1 (header), column {first!r}: columns do not match the schema; "
            f"missing {missing}, unexpected {extra}"
        )
    typed: dict[str, list[Any]] = {}
    for field in fields:
        column = field["name"]
        constraints = field.get("constraints", {})
        values: list[Any] = []
        for index, raw_value in enumerate(raw[column].tolist()):
            row = index + 2  # header is row 1
            if raw_value is None or (isinstance(raw_value, float) and math.isnan(raw_value)) \
                    or str(raw_value).strip() == "":
                if constraints.get("required", False):
                    raise _cell_error(path, row, column,
                                      "a value is required but the cell is empty")
                values.append(None)
                continue
            try:
                value = _convert(str(raw_value), field)
            except (ValueError, TypeError) as exc:
                raise _cell_error(path, row, column,
                                  f"bad {field.get('type', 'string')} value {raw_value!r} ({exc})"
                                  ) from exc
            problem = _check_constraints(value, constraints)
            if problem:
                raise _cell_error(path, row, column, problem)
            values.append(value)
        if constraints.get("unique"):
            seen: dict[Any, int] = {}
            for index, value in enumerate(values):
                if value is None:  # empty cells of an optional column may repeat
                    continue
                if value in seen:
                    raise _cell_error(path, index + 2, column,
                                      f"{value!r} repeats row {seen[value]} but must be unique")
                seen[value] = index + 2
        typed[column] = values
    frame = pd.DataFrame(typed, columns=expected)
    for field in fields:
        column, kind = field["name"], field.get("type", "string")
        complete = frame[column].notna().all()
        if kind == "integer":
            frame[column] = frame[column].astype("int64" if complete else "Int64")
        elif kind == "number":
            frame[column] = frame[column].astype("float64")
        elif kind == "boolean":
            frame[column] = frame[column].astype("bool" if complete else "boolean")
    key = schema.get("primaryKey")
    if key:
        keys = [key] if isinstance(key, str) else list(key)
        duplicated = frame.duplicated(subset=keys, keep="first")
        if duplicated.any():
            row = int(duplicated.to_numpy().nonzero()[0][0]) + 2
            raise _cell_error(path, row, ",".join(keys), "primary key repeats an earlier row")
    return frame


def _check_field_counts(path: Path, text: str) -> None:
    """Every row must have as many fields as the header; name the first that does not."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    rows = 0
    try:
        for row in reader:
            if not row:
                continue  # a blank line
            if header is None:
                header = row
                continue
            rows += 1
            if len(row) != len(header):
                raise DatasetError(
                    f"{path.name}, line {reader.line_num}: expected {len(header)} fields "
                    f"({', '.join(header)}), found {len(row)}")
    except csv.Error as exc:
        raise DatasetError(f"{path.name}, line {reader.line_num}: {exc}") from exc
    if header is None:
        raise DatasetError(f"{path.name}: the file is empty")
    if rows == 0:
        raise DatasetError(f"{path.name}: has a header but no data rows")


def read_csv_strict(path: Path) -> pd.DataFrame:
    """A dataset CSV as strings; :class:`DatasetError` naming the file (and line) otherwise."""
    data = path.read_bytes()
    try:
        # utf-8-sig: also accept a file saved with a byte-order mark (e.g. by Excel)
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise DatasetError(f"{path.name}, line {line}: not valid UTF-8 (byte "
                           f"{data[exc.start]:#04x}); save the file as UTF-8") from exc
    _check_field_counts(path, text)
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except pd.errors.ParserError as exc:
        raise DatasetError(f"{path.name}: cannot be read as CSV ({exc})") from exc
def _check_foreign_keys(frame: pd.DataFrame, schema: dict[str, Any], path: Path,
                       folder: Path) -> None:
    """Frictionless ``foreignKeys``: every value of a column is a key of another resource.

    The glossary's ``chapter`` refers to the course map's ``chapter``, so the chapter
    registry (``course_map.csv``) alone decides which chapter numbers exist.
    """
    for key in schema.get("foreignKeys", []):
        columns = [key["fields"]] if isinstance(key["fields"], str) else list(key["fields"])
        reference = key["reference"]
        ref_columns = [reference["fields"]] if isinstance(reference["fields"], str) \
            else list(reference["fields"])
        target = load_dataset(reference["resource"], folder)
        known = set(target[ref_columns].itertuples(index=False, name=None))
        for index, values in enumerate(frame[columns].itertuples(index=False, name=None)):
            if any(v is None or v is pd.NA for v in values) or values in known:
                continue
            shown = values[0] if len(values) == 1 else values
            allowed = sorted(v[0] if len(v) == 1 else v for v in known)
            raise _cell_error(path, index + 2, ",".join(columns),
                              f"{shown!r} is not a {','.join(ref_columns)} of "
                              f"{reference['resource']!r}; known: {allowed}")


def load_dataset(name: str, folder: str | Path | None = None) -> pd.DataFrame:
    """Load dataset ``name`` as a validated, typed DataFrame.

    Raises :class:`DatasetError` naming the file, row and column of the first problem.
    """
    folder, _ = _package(folder)
    info = dataset_info(name, folder)
    path = folder / info["path"]
    if info.get("provenance") not in PROVENANCES:
        raise DatasetError(f"{path.name}: dataset {name!r} has provenance "
                           f"{info.get('provenance')!r}; use one of {list(PROVENANCES)}")
    if not path.is_file():
        raise DatasetError(f"{path.name}: file for dataset {name!r} not found at {path}")
    raw = read_csv_strict(path)
    frame = validate_frame(raw, info.get("schema", {}), path)
    _check_foreign_keys(frame, info.get("schema", {}), path, folder)
    frame.attrs["source"] = source_note(name, folder)
    frame.attrs["provenance"] = info.get("provenance")
    return frame
