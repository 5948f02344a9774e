"""Load a dataset by name from ``datasets/`` and validate it against its schema.

The schema is the Frictionless Table Schema of the resource in
``datasets/datapackage.json``. Every problem is reported with the file, the
(1-based, header = row 1) row and the column, so a student or a contributor can
find it at once.
"""

from __future__ import annotations

import json
import math
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

PROVENANCES = ("from-sources", "as-reported", "illustrative", "synthetic")
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
def _package_cached(folder: str, mtime: float) -> dict[str, Any]:
    return _read_package(Path(folder))


def _package(folder: Path | None = None) -> tuple[Path, dict[str, Any]]:
    folder = folder or datasets_dir()
    path = folder / "datapackage.json"
    mtime = path.stat().st_mtime if path.exists() else 0.0
    return folder, _package_cached(str(folder), mtime)


def list_datasets(folder: Path | None = None) -> list[str]:
    """Names of every resource in the data package."""
    _, package = _package(folder)
    return [r["name"] for r in package.get("resources", [])]


def dataset_info(name: str, folder: Path | None = None) -> dict[str, Any]:
    """The resource descriptor (fields, source, provenance …) of dataset ``name``."""
    _, package = _package(folder)
    for resource in package.get("resources", []):
        if resource.get("name") == name:
            return resource
    known = ", ".join(list_datasets(folder))
    raise DatasetError(f"unknown dataset {name!r}; known datasets: {known}")


def source_note(name: str, folder: Path | None = None) -> str:
    """One line to print under a table or chart: its source and provenance."""
    info = dataset_info(name, folder)
    sources = "; ".join(s.get("title", "") for s in info.get("sources", []))
    return f"Source: {sources} — provenance: {info.get('provenance', 'unknown')}"


def _cell_error(path: Path, row: int, column: str, message: str) -> DatasetError:
    return DatasetError(f"{path.name}, row {row}, column {column!r}: {message}")


def _convert(value: str, field: dict[str, Any]) -> Any:
    kind = field.get("type", "string")
    if kind == "string":
        return value
    if kind == "integer":
        number = float(value)
        if not number.is_integer():
            raise ValueError(f"expected an integer, got {value!r}")
        return int(number)
    if kind == "number":
        number = float(value)
        if math.isnan(number):
            raise ValueError("NaN is not allowed")
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
    if "minimum" in constraints and value < constraints["minimum"]:
        return f"{value!r} is below the minimum {constraints['minimum']}"
    if "maximum" in constraints and value > constraints["maximum"]:
        return f"{value!r} is above the maximum {constraints['maximum']}"
    if "enum" in constraints and value not in constraints["enum"]:
        return f"{value!r} is not one of {constraints['enum']}"
    if "minLength" in constraints and len(str(value)) < constraints["minLength"]:
        return f"{value!r} is shorter than {constraints['minLength']} characters"
    return None


def validate_frame(raw: pd.DataFrame, schema: dict[str, Any], path: Path) -> pd.DataFrame:
    """Check columns, types, required values, constraints and unique keys; return typed data."""
    fields = schema.get("fields", [])
    expected = [f["name"] for f in fields]
    actual = list(raw.columns)
    missing = [c for c in expected if c not in actual]
    extra = [c for c in actual if c not in expected]
    if missing or extra:
        raise DatasetError(
            f"{path.name}, row 1 (header): columns do not match the schema; "
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
                    raise _cell_error(path, row, column, "a value is required but the cell is empty")
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
                if value in seen:
                    raise _cell_error(path, index + 2, column,
                                      f"{value!r} repeats row {seen[value]} but must be unique")
                seen[value] = index + 2
        typed[column] = values
    frame = pd.DataFrame(typed, columns=expected)
    for field in fields:
        if field.get("type") in ("integer", "number") and frame[field["name"]].notna().all():
            dtype = "int64" if field["type"] == "integer" else "float64"
            frame[field["name"]] = frame[field["name"]].astype(dtype)
    key = schema.get("primaryKey")
    if key:
        keys = [key] if isinstance(key, str) else list(key)
        duplicated = frame.duplicated(subset=keys, keep="first")
        if duplicated.any():
            row = int(duplicated.to_numpy().nonzero()[0][0]) + 2
            raise _cell_error(path, row, ",".join(keys), "primary key repeats an earlier row")
    return frame


def load_dataset(name: str, folder: Path | None = None) -> pd.DataFrame:
    """Load dataset ``name`` as a validated, typed DataFrame.

    Raises :class:`DatasetError` naming the file, row and column of the first problem.
    """
    folder, _ = _package(folder)
    info = dataset_info(name, folder)
    path = folder / info["path"]
    if not path.is_file():
        raise DatasetError(f"{path.name}: file for dataset {name!r} not found at {path}")
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DatasetError(f"{path.name}: cannot be read as UTF-8 CSV ({exc})") from exc
    except pd.errors.EmptyDataError as exc:
        raise DatasetError(f"{path.name}: the file is empty") from exc
    frame = validate_frame(raw, info.get("schema", {}), path)
    frame.attrs["source"] = source_note(name, folder)
    frame.attrs["provenance"] = info.get("provenance")
    return frame
