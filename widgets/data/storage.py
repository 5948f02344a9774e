"""Save and reload a student's own table (e.g. their products) without ever losing work.

- Writes are atomic: the table goes to a temporary file in the same folder, is
  flushed to disk, then renamed over the target (``os.replace``).
- The previous good version is kept as ``<name>.bak`` before each replace.
- An existing file is never silently overwritten: the caller must pass
  ``overwrite=True`` (the apps do so only for the student's own file, after
  loading it first, so its rows are merged, not lost).
- A corrupt file is moved aside to ``<name>.corrupt-<timestamp>`` (a counter is
  added if that name is taken, so no earlier copy is replaced) and the backup,
  if any, is restored; the returned message says what happened.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd


class StoreError(RuntimeError):
    """A student's table cannot be saved (for example it would overwrite a file)."""


def _backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def _aside_path(path: Path) -> Path:
    """A free ``<name>.corrupt-<timestamp>[-n]`` path next to ``path``."""
    stem = f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}"
    candidate, counter = path.with_name(stem), 1
    while candidate.exists():
        candidate = path.with_name(f"{stem}-{counter}")
        counter += 1
    return candidate


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable (best effort: not every platform can open a folder)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def save_student_table(frame: pd.DataFrame, path: str | Path, *, overwrite: bool = False) -> Path:
    """Write ``frame`` to ``path`` as UTF-8 CSV, atomically, keeping a ``.bak`` of the old file."""
    path = Path(path)
    if path.exists() and not overwrite:
        raise StoreError(
            f"{path} already exists; pass overwrite=True to replace it "
            f"(the current version is then kept as {_backup_path(path).name})"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as tmp:
            # mkstemp makes the file private (0600): use the old file's mode or the usual 0644
            os.fchmod(tmp.fileno(), path.stat().st_mode & 0o777 if path.exists() else 0o644)
            frame.to_csv(tmp, index=False)
            tmp.flush()
            os.fsync(tmp.fileno())
        if path.exists():
            _copy_bytes(path, _backup_path(path))
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)
    return path


def _copy_bytes(source: Path, target: Path) -> None:
    data = source.read_bytes()
    handle, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                        dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as tmp:
            os.fchmod(tmp.fileno(), source.stat().st_mode & 0o777)
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _read_checked(path: Path, columns: Sequence[str],
                  validate: Callable[[pd.DataFrame], None] | None) -> pd.DataFrame:
    frame = pd.read_csv(path, encoding="utf-8")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"missing columns {missing}")
    if validate is not None:
        validate(frame)
    return frame


def load_student_table(
    path: str | Path,
    columns: Sequence[str],
    validate: Callable[[pd.DataFrame], None] | None = None,
) -> tuple[pd.DataFrame, str]:
    """Load a student's table; return ``(frame, message)``.

    A missing file gives an empty table. A corrupt one (unreadable, wrong
    columns, or rejected by ``validate``) is moved aside and the ``.bak`` copy,
    if valid, is restored. Nothing is deleted.
    """
    path = Path(path)
    empty = pd.DataFrame(columns=list(columns))
    if not path.exists():
        return empty, ""
    try:
        return _read_checked(path, columns, validate), f"Loaded your saved work from {path.name}."
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        aside = _aside_path(path)
        os.replace(path, aside)
        message = (f"{path.name} could not be read ({exc}); the damaged copy was kept as "
                   f"{aside.name}.")
        backup = _backup_path(path)
        if backup.exists():
            try:
                frame = _read_checked(backup, columns, validate)
            except (ValueError, UnicodeDecodeError, pd.errors.ParserError,
                    pd.errors.EmptyDataError):
                return empty, message + " The backup was damaged too; starting empty."
            _copy_bytes(backup, path)
            return frame, message + f" Restored the last good version from {backup.name}."
        return empty, message + " No backup was found; starting empty."
