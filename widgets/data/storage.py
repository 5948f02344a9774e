"""Save and reload a student's own work (tables and JSON documents) without ever losing it.

Every student file — ``my_products.csv``, the capstone's ``my_plan.json``, anything later —
goes through this one path:

1. **Lock.** An inter-process lock (``filelock``) on a hidden ``.<name>.lock`` next to the
   file, so two kernels (chapter 02 and the capstone, two tabs) never interleave a save.
2. **Re-read and merge.** A table is read again under the lock and the new rows are merged
   by key, so rows another kernel saved a moment ago are kept.
3. **Atomic write.** Temporary file in the same folder → ``fsync`` → ``os.replace``; the
   file keeps its mode (a new one gets the usual ``0644``, not ``0600``). The previous
   good version is kept as ``<name>.bak``. Temporary files left by a killed writer are
   removed by the next save.
4. **Verify.** The file is read back and compared before the caller may say "Saved".

Reading is forgiving (see :mod:`widgets.data.recovery`): UTF-8, UTF-8 with BOM and
GB18030/GBK are read and named; a damaged table keeps every intact row, and the message
lists the lines set aside. The damaged file itself is kept unchanged as
``<name>.corrupt-<timestamp>`` (the line numbers refer to it); only the newest
:data:`KEEP_CORRUPT` such copies are kept. A backup is used only for what cannot be read:
it never replaces rows that can.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from filelock import FileLock, Timeout

from widgets.data.recovery import (
    TableRead,
    decode_lines,
    describe_lines,
    encoding_name,
    numeric_if_possible,
    read_table,
    say,
)

KEEP_CORRUPT = 5          # damaged copies kept per file (the newest)
LOCK_TIMEOUT = 60.0       # seconds to wait for another kernel's save
NEW_FILE_MODE = 0o644     # like a file the student made themselves
RowCheck = Callable[[pd.DataFrame], None]


class StoreError(RuntimeError):
    """A student's file cannot be saved (it would overwrite a file, or did not verify)."""


@dataclass(frozen=True)
class SaveResult:
    """A verified save: where, what is now on disk (tables), and a message for the student."""

    path: Path
    message: str
    frame: pd.DataFrame | None = None


# --------------------------------------------------------------------------- file helpers

def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


@contextmanager
def student_file_lock(path: str | Path) -> Iterator[None]:
    """Hold the inter-process lock of one student file (raises :class:`StoreError` on timeout)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(lock_path(path)), timeout=LOCK_TIMEOUT)
    try:
        lock.acquire()
    except Timeout as exc:
        raise StoreError(say(f"{path.name} is being saved by another notebook and did not "
                             f"finish within {LOCK_TIMEOUT:g} s; try again",
                             f"另一个笔记本正在保存 {path.name}，{LOCK_TIMEOUT:g} 秒内没有完成；"
                             "请再试一次")) from exc
    try:
        yield
    finally:
        lock.release()


def _aside_path(path: Path) -> Path:
    """A free ``<name>.corrupt-<timestamp>[-n]`` path next to ``path``."""
    stem = f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}"
    candidate, counter = path.with_name(stem), 1
    while candidate.exists():
        candidate = path.with_name(f"{stem}-{counter}")
        counter += 1
    return candidate


def corrupt_copies(path: str | Path) -> list[Path]:
    """The damaged copies kept for ``path``, oldest first."""
    path = Path(path)
    prefix = f"{path.name}.corrupt-"
    found = [p for p in path.parent.iterdir() if p.name.startswith(prefix)]
    return sorted(found, key=lambda p: (p.stat().st_mtime_ns, p.name))


def _prune_corrupt(path: Path) -> None:
    for old in corrupt_copies(path)[:-KEEP_CORRUPT]:
        old.unlink(missing_ok=True)


def _move_aside(path: Path) -> Path:
    aside = _aside_path(path)
    os.replace(path, aside)
    os.utime(aside)  # newest copy last, whatever the damaged file's own time
    _prune_corrupt(path)
    return aside


def temp_files(path: str | Path) -> list[Path]:
    """Temporary files of writes to ``path`` (``.<name>.*.tmp``)."""
    path = Path(path)
    return [p for p in path.parent.iterdir()
            if p.name.startswith(f".{path.name}.") and p.name.endswith(".tmp")]


def _remove_stale_temp_files(path: Path) -> None:
    """Under the lock every writer of ``path`` has finished: any temp file is a leftover."""
    for leftover in temp_files(path):
        leftover.unlink(missing_ok=True)


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


def _mode_for(path: Path) -> int:
    return path.stat().st_mode & 0o777 if path.exists() else NEW_FILE_MODE


def _write_atomic(path: Path, write: Callable[[Any], None], *, binary: bool,
                  keep_backup: bool) -> bytes:
    """Write via a temp file + fsync + ``os.replace``; copy the old file to ``.bak`` first.

    Returns the bytes written (for verification).
    """
    handle, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        mode = "wb" if binary else "w"
        kwargs = {} if binary else {"encoding": "utf-8-sig", "newline": ""}
        with os.fdopen(handle, mode, **kwargs) as tmp:
            os.fchmod(tmp.fileno(), _mode_for(path))
            write(tmp)
            tmp.flush()
            os.fsync(tmp.fileno())
        written = Path(tmp_name).read_bytes()
        if keep_backup and path.exists():
            _copy_bytes(path, backup_path(path))
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)
    return written


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


def _verify_bytes(path: Path, written: bytes) -> None:
    if path.read_bytes() != written:
        raise StoreError(say(f"{path.name} did not read back as written; your work is not "
                             "saved yet — try again, or save under another name",
                             f"{path.name} 读回的内容与写入的不一致；你的作业还没有保存好——"
                             "请再试一次，或换一个文件名保存"))


# --------------------------------------------------------------------------- tables

def _read_path(path: Path, columns: Sequence[str], validate: RowCheck | None,
               key: str | None) -> TableRead:
    return read_table(path.read_bytes(), columns, validate, key)


def _empty(columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame(columns=list(columns))


def _recover(path: Path, found: TableRead, columns: Sequence[str],
             validate: RowCheck | None, key: str | None) -> tuple[pd.DataFrame, str]:
    """Keep the intact rows of a damaged file, use the backup only for what is lost."""
    aside = _move_aside(path)
    intact = found.frame if found.frame is not None else _empty(columns)
    if found.problem:
        what = say(f"{path.name} could not be read ({found.problem})",
                   f"{path.name} 无法读取（{found.problem}）")
    else:
        what = say(f"Some lines of {path.name} could not be read and were set aside: ",
                   f"{path.name} 中有几行无法读取，已单独留出：") + describe_lines(found.set_aside)
    there = found.set_aside and not found.problem
    message = what + say(f". The damaged file is kept unchanged as {aside.name}"
                         + (" — those lines are there" if there else "") + ".",
                         f"。损坏的文件原样保存为 {aside.name}"
                         + ("，那几行都在里面" if there else "") + "。")
    frame, extra = intact, ""
    backup = backup_path(path)
    old = _read_path(backup, columns, validate, key) if backup.exists() else None
    usable = old is not None and old.frame is not None and old.problem is None
    if intact.empty:
        if usable:
            frame = old.frame
            extra = say(f" Restored the last good version from {backup.name}.",
                        f"已从 {backup.name} 恢复上一个完好的版本。")
        elif old is not None:
            extra = say(" The backup was damaged too; starting empty.",
                        "备份也损坏了；从空表开始。")
        else:
            extra = say(" No backup was found; starting empty.", "没有找到备份；从空表开始。")
    elif usable and key is not None:
        have = set(intact[key].astype(str).str.strip())
        lost = old.frame[~old.frame[key].astype(str).str.strip().isin(have)]
        if len(lost):
            frame = pd.concat([intact, lost], ignore_index=True)
            names = ", ".join(repr(str(v)) for v in lost[key].head(5))
            extra = say(f" Recovered {len(lost)} row(s) not found in the damaged file from "
                        f"{backup.name}: {names}.",
                        f"已从 {backup.name} 找回损坏文件里缺少的 {len(lost)} 行：{names}。")
    if len(intact):
        extra = say(f" Your {len(intact)} intact row(s) were kept ({found.encoding}).",
                    f"你完好的 {len(intact)} 行都保留了（{encoding_name(found.encoding)}）。"
                    ) + extra
    if len(frame):
        _write_atomic(path, lambda h: frame.to_csv(h, index=False), binary=False,
                      keep_backup=False)
    return frame, message + extra


def _loaded(path: Path, encoding: str) -> str:
    return say(f"Loaded your saved work from {path.name} ({encoding}).",
               f"已载入你保存的作业：{path.name}（{encoding_name(encoding)}）。")


def _load_locked(path: Path, columns: Sequence[str], validate: RowCheck | None,
                 key: str | None) -> tuple[pd.DataFrame, str, bool]:
    """(frame, message, clean) — repairs a damaged file; the caller holds the lock."""
    if not path.exists():
        return _empty(columns), "", False
    found = _read_path(path, columns, validate, key)
    if found.clean and found.frame is not None:
        return (found.frame, _loaded(path, found.encoding), True)
    frame, message = _recover(path, found, columns, validate, key)
    return frame, message, False


def load_student_table(path: str | Path, columns: Sequence[str],
                       validate: RowCheck | None = None, *,
                       key: str | None = None) -> tuple[pd.DataFrame, str]:
    """Load a student's table; return ``(frame, message)``.

    A missing file gives an empty table. A damaged one keeps every intact row; the message
    names the encoding used, each line set aside (and why) and the copy holding them.
    ``validate`` checks one row at a time (a one-row frame; raise ``ValueError``) and
    ``key`` names the column whose repeats are set aside.
    """
    path = Path(path)
    if not path.exists():
        return _empty(columns), ""
    try:
        lock = student_file_lock(path)
        lock.__enter__()
    except OSError:  # a read-only folder: read, but repair nothing
        found = _read_path(path, columns, validate, key)
        frame = found.frame if found.frame is not None else _empty(columns)
        lines = describe_lines(found.set_aside) + (say("; ", "；") + found.problem
                                                   if found.problem else "")
        note = "" if found.clean else say(
            f" Some lines could not be read ({lines}); the folder is read-only, so "
            "nothing was repaired.",
            f"有几行无法读取（{lines}）；文件夹是只读的，所以没有做任何修复。")
        return frame, say(f"Loaded {path.name} ({found.encoding}).",
                          f"已载入 {path.name}（{encoding_name(found.encoding)}）。") + note
    try:
        frame, message, _ = _load_locked(path, columns, validate, key)
    finally:
        lock.__exit__(None, None, None)
    return frame, message


def _verify_table(path: Path, expected: pd.DataFrame, columns: Sequence[str],
                  written: bytes, key: str | None) -> None:
    _verify_bytes(path, written)
    found = _read_path(path, columns, None, key)
    if found.frame is None or not found.clean or len(found.frame) != len(expected):
        raise StoreError(say(f"{path.name} did not read back as written; your work is not "
                             "saved yet — try again",
                             f"{path.name} 读回的内容与写入的不一致；你的作业还没有保存好——"
                             "请再试一次"))


def save_student_table(frame: pd.DataFrame, path: str | Path, *,
                       overwrite: bool = False) -> Path:
    """Write ``frame`` to ``path`` (CSV, UTF-8 with BOM so Excel shows Chinese), verified.

    An existing file is never replaced silently: pass ``overwrite=True`` (its previous
    version is then kept as ``<name>.bak``). To add or update rows while keeping what is
    on disk, use :func:`update_student_table`.
    """
    path = Path(path)
    with student_file_lock(path):
        if path.exists() and not overwrite:
            raise StoreError(say(
                f"{path} already exists; pass overwrite=True to replace it "
                f"(the current version is then kept as {backup_path(path).name})",
                f"{path} 已经存在；要替换它请传入 overwrite=True"
                f"（现在的版本会保存为 {backup_path(path).name}）"))
        _remove_stale_temp_files(path)
        written = _write_atomic(path, lambda h: frame.to_csv(h, index=False), binary=False,
                                keep_backup=True)
        _verify_table(path, frame, list(frame.columns), written, None)
    return path


def merge_rows(current: pd.DataFrame, rows: pd.DataFrame, key: str) -> pd.DataFrame:
    """``current`` with ``rows`` merged in by ``key``: same key → its values replaced (other
    columns kept), new key → appended at the end."""
    columns = [*current.columns, *(c for c in rows.columns if c not in current.columns)]
    records = current.to_dict("records")
    position = {str(r[key]).strip(): i for i, r in enumerate(records)}
    for new in rows.to_dict("records"):
        name = str(new[key]).strip()
        if name in position:
            records[position[name]].update(new)
        else:
            position[name] = len(records)
            records.append(new)
    merged = pd.DataFrame.from_records(records, columns=columns)
    for column in merged.columns:
        merged[column] = numeric_if_possible(merged[column])
    return merged


def update_student_table(path: str | Path, rows: pd.DataFrame, columns: Sequence[str],
                         key: str, validate: RowCheck | None = None) -> SaveResult:
    """Add or update ``rows`` (by ``key``) in the student's table, safely.

    Lock → re-read (repairing damage) → merge by key → atomic write (old version kept as
    ``.bak``) → read back and verify. Only a returned result means the rows are saved; its
    ``message`` reports any damage found on the way.
    """
    path = Path(path)
    with student_file_lock(path):
        _remove_stale_temp_files(path)
        current, message, clean = _load_locked(path, columns, validate, key)
        merged = merge_rows(current, rows, key)
        written = _write_atomic(path, lambda h: merged.to_csv(h, index=False), binary=False,
                                keep_backup=clean)
        _verify_table(path, merged, columns, written, key)
    note = "" if clean else message
    return SaveResult(path, note, merged)


# --------------------------------------------------------------------------- text files

def save_student_text(path: str | Path, text: str, *, overwrite: bool = False) -> Path:
    """Save a whole text file (e.g. an exported plan) as UTF-8: lock, atomic write, verify.

    An existing file is replaced only with ``overwrite=True``; its previous version is then
    kept as ``<name>.bak``. Raises :class:`StoreError` if the file exists and ``overwrite``
    is false, and ``UnicodeEncodeError`` (nothing written) for text that UTF-8 cannot hold.
    """
    path = Path(path)
    data = text.encode("utf-8")
    with student_file_lock(path):
        if path.exists() and not overwrite:
            raise StoreError(say(f"{path} already exists; choose another name or pass "
                                 f"overwrite=True (the old file is then kept as "
                                 f"{backup_path(path).name})",
                                 f"{path} 已经存在；换一个文件名，或传入 overwrite=True"
                                 f"（旧文件会保存为 {backup_path(path).name}）"))
        _remove_stale_temp_files(path)
        written = _write_atomic(path, lambda h: h.write(data), binary=True, keep_backup=True)
        _verify_bytes(path, written)
    return path


# --------------------------------------------------------------------------- JSON documents

def _parse_document(data: bytes) -> tuple[dict[str, Any] | None, str, str | None]:
    """(document, encoding, problem) for a JSON file's bytes."""
    label, lines = decode_lines(data)
    bad = [i + 1 for i, line in enumerate(lines) if line is None]
    if bad:
        return None, label, say(f"line {bad[0]} is not readable as {label} or GB18030 text",
                                f"第 {bad[0]} 行无法按 {encoding_name(label)} 或 GB18030 编码读取")
    text = "".join(line or "" for line in lines)
    if not text.strip():
        return None, label, say("the file is empty", "文件是空的")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, label, say(
            f"not valid JSON: line {exc.lineno}, column {exc.colno}: {exc.msg}",
            f"不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列有错")
    if not isinstance(document, dict):
        return None, label, say(f"expected a JSON object, found {type(document).__name__}",
                                f"应是一个 JSON 对象，实际是 {type(document).__name__}")
    return document, label, None


def _document_text(data: Mapping[str, Any]) -> str:
    try:
        text = json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (e.g. pasted half an emoji): escape it
        text = json.dumps(data, ensure_ascii=True, indent=2, allow_nan=False)
    return text + "\n"


def _check_document(data: Any) -> None:
    if not isinstance(data, Mapping):
        raise StoreError(f"a student document must be a mapping (a JSON object), "
                         f"got {type(data).__name__}")
    try:
        json.dumps(data, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise StoreError(f"the document cannot be saved as JSON ({exc})") from exc


def save_student_document(path: str | Path, data: Mapping[str, Any]) -> SaveResult:
    """Save a whole JSON document (e.g. ``my_plan.json``): lock, atomic write, ``.bak``, verify.

    A damaged file found on the way is moved aside as ``<name>.corrupt-<timestamp>``
    (the newest :data:`KEEP_CORRUPT` kept) and not used as the backup.
    """
    path = Path(path)
    _check_document(data)
    text = _document_text(data)
    with student_file_lock(path):
        _remove_stale_temp_files(path)
        message, clean = "", False
        if path.exists():
            _, _, problem = _parse_document(path.read_bytes())
            clean = problem is None
            if not clean:
                aside = _move_aside(path)
                message = say(f"The previous {path.name} could not be read ({problem}); it is "
                              f"kept unchanged as {aside.name}.",
                              f"之前的 {path.name} 无法读取（{problem}）；它原样保存为 "
                              f"{aside.name}。")
        written = _write_atomic(path, lambda h: h.write(text.encode("utf-8")), binary=True,
                                keep_backup=clean)
        _verify_bytes(path, written)
        if _parse_document(path.read_bytes())[0] != json.loads(text):
            raise StoreError(say(f"{path.name} did not read back as written; try again",
                                 f"{path.name} 读回的内容与写入的不一致；请再试一次"))
    return SaveResult(path, message)


def load_student_document(path: str | Path) -> tuple[dict[str, Any] | None, str]:
    """Load a JSON document; return ``(document or None, message)``.

    Missing → ``(None, "")``. Damaged → moved aside as ``<name>.corrupt-<timestamp>`` and
    the ``.bak`` restored if it is readable; the message says what happened.
    """
    path = Path(path)
    if not path.exists():
        return None, ""
    with student_file_lock(path):
        document, label, problem = _parse_document(path.read_bytes())
        if problem is None:
            return document, _loaded(path, label)
        aside = _move_aside(path)
        message = say(f"{path.name} could not be read ({problem}); the damaged file is kept "
                      f"unchanged as {aside.name}.",
                      f"{path.name} 无法读取（{problem}）；损坏的文件原样保存为 {aside.name}。")
        backup = backup_path(path)
        if backup.exists():
            old, _, old_problem = _parse_document(backup.read_bytes())
            if old_problem is None:
                _copy_bytes(backup, path)
                return old, message + say(f" Restored the last good version from {backup.name}.",
                                          f"已从 {backup.name} 恢复上一个完好的版本。")
            return None, message + say(" The backup was damaged too; starting afresh.",
                                       "备份也损坏了；从头开始。")
        return None, message + say(" No backup was found; starting afresh.",
                                   "没有找到备份；从头开始。")
