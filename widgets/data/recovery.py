"""Read a student's CSV the way a spreadsheet may have left it, keeping every intact row.

Students open their files in Excel. Excel on Chinese Windows saves CSV in GBK (a subset
of GB18030), "CSV UTF-8" adds a byte-order mark, and a file can be cut off mid-row when a
program is killed. :func:`read_table` therefore

1. decodes the bytes as UTF-8, UTF-8 with a byte-order mark, or GB18030/GBK, and says which;
   a line that none of them can decode is set aside on its own;
2. parses line by line, so a row with the wrong number of fields (a cut-off last row, a
   stray comma, broken quoting) is set aside with its line number and what was expected,
   while every other row is kept;
3. runs an optional per-row ``validate`` and drops later repeats of a ``key``.

Line numbers are 1-based and count the header as line 1, as a text editor or Excel does.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd

BOM = b"\xef\xbb\xbf"
UTF8, UTF8_BOM, GB18030 = "UTF-8", "UTF-8 with BOM", "GB18030/GBK"
_CODECS = {UTF8: "utf-8", UTF8_BOM: "utf-8", GB18030: "gb18030"}

RowCheck = Callable[[pd.DataFrame], None]


@dataclass
class TableRead:
    """What :func:`read_table` found: the intact rows and every line it set aside."""

    frame: pd.DataFrame | None            # None: nothing usable (no header with the columns)
    encoding: str                         # UTF8, UTF8_BOM or GB18030
    set_aside: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    problem: str | None = None            # a whole-file problem (empty, wrong header …)

    @property
    def clean(self) -> bool:
        return self.problem is None and not self.set_aside


def _decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def choose_encoding(data: bytes) -> tuple[str, bytes]:
    """The encoding label and the bytes without a byte-order mark.

    UTF-8 wins when the whole file decodes, when only a character cut off at the very end
    fails, or when it decodes at least as many non-ASCII lines as it fails; otherwise
    GB18030 (which contains GBK) if it decodes any.
    """
    if data.startswith(BOM):
        return UTF8_BOM, data[len(BOM):]
    try:
        data.decode("utf-8")
        return UTF8, data
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            return UTF8, data
    lines = [line for line in data.splitlines() if not line.isascii()]
    utf_ok = sum(_decodes(line, "utf-8") for line in lines)
    if utf_ok and utf_ok >= len(lines) - utf_ok:
        return UTF8, data
    if any(_decodes(line, "gb18030") for line in lines):
        return GB18030, data
    return UTF8, data


def decode_lines(data: bytes) -> tuple[str, list[str | None]]:
    """The encoding label and each line decoded (``None`` where a line cannot be decoded)."""
    label, body = choose_encoding(data)
    codec = _CODECS[label]
    lines: list[str | None] = []
    for raw in body.splitlines(keepends=True):
        try:
            lines.append(raw.decode(codec))
        except UnicodeDecodeError:
            lines.append(None)
    return label, lines


def numeric_if_possible(column: pd.Series) -> pd.Series:
    """The column as numbers if every value is one (missing allowed), else unchanged."""
    try:
        return pd.to_numeric(column)
    except (ValueError, TypeError):
        return column


def say(english: str, chinese: str) -> str:
    """A sentence for the student in the course language (``widgets.apps.labels.prose``).

    Imported when called: ``widgets.apps`` imports this package, so a module-level import
    would be circular.
    """
    from widgets.apps.labels import prose

    return prose(english, chinese)


def encoding_name(label: str) -> str:
    """An encoding label as the student reads it (``UTF-8 with BOM`` → ``UTF-8（带 BOM）``)."""
    return say(label, "UTF-8（带 BOM）" if label == UTF8_BOM else label)


def _unreadable(label: str) -> str:
    return say(f"not readable as {label} or GB18030 text",
               f"无法按 {encoding_name(label)} 或 GB18030 编码读取")


def _field_problem(found: int, header: Sequence[str], last: bool) -> str:
    names = ", ".join(header)
    if found < len(header):
        cut = say(" — the row looks cut off", "——这一行像是被截断了") if last else ""
        return say(f"expected {len(header)} fields ({names}), found {found}{cut}",
                   f"应有 {len(header)} 个字段（{names}），实际 {found} 个{cut}")
    return say(f"expected {len(header)} fields ({names}), found {found} "
               "(an extra comma or a broken quote?)",
               f"应有 {len(header)} 个字段（{names}），实际 {found} 个"
               "（多了一个逗号，或引号不完整？）")


def read_table(data: bytes, columns: Sequence[str], validate: RowCheck | None = None,
               key: str | None = None) -> TableRead:
    """Parse ``data`` (a CSV file's bytes) and keep every intact row (see the module docstring).

    The frame holds the header's columns (required ``columns`` first is not enforced);
    numeric columns are converted, empty cells become missing values.
    """
    label, lines = decode_lines(data)
    bad_lines = {i + 1 for i, line in enumerate(lines) if line is None}
    reader = csv.reader((line if line is not None else "\n" for line in lines), strict=False)
    header: list[str] | None = None
    rows: list[list[str]] = []
    row_lines: list[int] = []
    set_aside: list[tuple[int, str]] = []
    reported: set[int] = set()
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            set_aside.append((start, say(f"cannot be read as CSV ({exc})", "无法按 CSV 格式读取")))
            continue
        end = reader.line_num
        span = set(range(start, end + 1))
        if span & bad_lines:
            reported |= span & bad_lines
            set_aside.append((start, _unreadable(label)))
            continue
        if not any(cell.strip() for cell in row):
            continue  # a blank line
        if header is None:
            header = [cell.strip().lstrip("\ufeff") for cell in row]
            missing = [c for c in columns if c not in header]
            if missing:
                return TableRead(None, label, set_aside, say(
                    f"line {start} (the header) lacks the column(s) {missing}; it has {header}",
                    f"第 {start} 行（表头）缺少列 {missing}；现有的列是 {header}"))
            continue
        last = end >= len(lines)
        if len(row) > len(header) and not any(c.strip() for c in row[len(header):]):
            row = row[:len(header)]  # trailing empty cells, as spreadsheets add
        if len(row) != len(header):
            set_aside.append((start, _field_problem(len(row), header, last)))
            continue
        rows.append(row)
        row_lines.append(start)
    for line in sorted(bad_lines - reported):
        set_aside.append((line, _unreadable(label)))
    if header is None:
        return TableRead(None, label, set_aside,
                         say("the file is empty (no header line)", "文件是空的（没有表头行）"))
    frame = pd.DataFrame(rows, columns=header)
    frame = frame.replace({"": None}) if len(frame) else frame
    for column in frame.columns:
        frame[column] = numeric_if_possible(frame[column])
    keep = _check_rows(frame, row_lines, validate, key, set_aside)
    frame = frame.loc[keep].reset_index(drop=True)
    set_aside.sort()
    return TableRead(frame, label, set_aside)


def _check_rows(frame: pd.DataFrame, row_lines: list[int], validate: RowCheck | None,
                key: str | None, set_aside: list[tuple[int, str]]) -> list[bool]:
    keep = [True] * len(frame)
    seen: dict[str, int] = {}
    for i, line in enumerate(row_lines):
        if validate is not None:
            try:
                validate(frame.iloc[[i]])
            except (ValueError, TypeError) as exc:
                set_aside.append((line, str(exc)))
                keep[i] = False
                continue
        if key is not None:
            value = frame[key].iat[i]
            name = "" if value is None or (isinstance(value, float) and math.isnan(value)) \
                else str(value).strip()
            if not name:
                set_aside.append((line, say(f"the {key} is empty", f"{key} 是空的")))
                keep[i] = False
            elif name in seen:
                set_aside.append((line, say(f"repeats the {key} {name!r} of line {seen[name]}",
                                            f"与第 {seen[name]} 行的 {key} {name!r} 重复")))
                keep[i] = False
            else:
                seen[name] = line
    return keep


def describe_lines(set_aside: Sequence[tuple[int, str]], limit: int = 8) -> str:
    """``line 4 (expected …); line 7 (…)`` for a message (at most ``limit`` listed)."""
    parts = [say(f"line {line} ({reason})", f"第 {line} 行（{reason}）")
             for line, reason in set_aside[:limit]]
    more = len(set_aside) - limit
    if more > 0:
        parts.append(say(f"and {more} more", f"另有 {more} 行"))
    return say("; ", "；").join(parts)
