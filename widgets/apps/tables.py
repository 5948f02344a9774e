"""Tables shown in the chapters: captioned with their source, numbers formatted for reading."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from widgets.apps.labels import prose
from widgets.apps.theme import BAD, GOOD, NEUTRAL
from widgets.data import dataset_info, source_note

CAPTION_STYLE = "caption-side: bottom; font-size: 12px; color: #555"


def format_number(value: object) -> str:
    """Whole numbers with thousands separators (2,000), others to two decimals (33.33)."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | float | np.number):
        return "" if value is None else str(value)
    if pd.isna(value):
        return "–"
    number = float(value)
    return f"{number:,.0f}" if number.is_integer() else f"{number:,.2f}"


def captioned(table: pd.DataFrame, caption: str) -> Styler:
    """``table`` as a Styler whose caption (escaped) names its source or says it is illustrative.

    Numeric columns are shown with :func:`format_number`, not pandas' six decimals;
    text columns are left-aligned; a plain 0, 1, 2, … index is hidden.
    """
    numeric = [c for c in table.columns if pd.api.types.is_numeric_dtype(table[c])
               and not pd.api.types.is_bool_dtype(table[c])]
    text = [c for c in table.columns if c not in numeric]
    styler = table.style.set_caption(html.escape(caption))
    if numeric:
        styler = styler.format(format_number, subset=numeric)
    if text:  # sentences read from the left
        styler = styler.set_properties(subset=text, **{"text-align": "left"})
    if isinstance(table.index, pd.RangeIndex) and table.index.name is None:
        styler = styler.hide(axis="index")  # 0, 1, 2, … carries no meaning for a reader
    return styler.set_table_styles([{"selector": "caption", "props": CAPTION_STYLE}])


def table_html(table: pd.DataFrame, caption: str, *, escape: bool = True,
               cell_style: Callable[[object], str] | None = None) -> str:
    """``table`` as the course's HTML table (class ``ssl-table``) for a widget, through
    :func:`captioned` (same number format and caption). Text cells are escaped unless
    ``escape=False`` (cells that already hold HTML, such as links, escaped by the caller);
    ``cell_style`` gives a cell's CSS from its value."""
    shown = table.map(lambda v: html.escape(v) if isinstance(v, str) else v) if escape else table
    styler = captioned(shown, caption)
    if cell_style is not None:
        styler = styler.map(cell_style)
    return styler.to_html(table_attributes='class="ssl-table"')


#: A verdict mark at the start of a cell and its colour: at risk or broken, fine, not scored.
MARK_COLOURS = {"⚠": BAD, "✘": BAD, "✔": GOOD, "—": NEUTRAL}


def _mark_style(value: object) -> str:
    colour = MARK_COLOURS.get(str(value)[:1])
    return f"color: {colour}; font-weight: 600" if colour else ""


def marked_table_html(header: tuple[str, ...] | list[str], rows: list[tuple[str, ...]],
                      caption: str = "") -> str:
    """Rows of text as the course's HTML table (:func:`table_html`), each cell that starts with
    a verdict mark (:data:`MARK_COLOURS`: ⚠ ✘ ✔ —) in that verdict's colour."""
    frame = pd.DataFrame([[str(v) for v in row] for row in rows], columns=list(header))
    return table_html(frame, caption, cell_style=_mark_style)


#: The datasets' provenance, as a Chinese reader reads it.
PROVENANCE_ZH = {"from-sources": "取自原文", "as-reported": "转引自报道", "illustrative": "示意",
                 "synthetic": "合成数据（虚构）"}


def source_caption(name: str) -> str:
    """:func:`widgets.data.source_note` in the reader's language: in ``zh`` mode the sources by
    their bibliography key (``[Huang 2017]``) and the provenance in Chinese."""
    info = dataset_info(name)
    sources = [re.match(r"\[[^\]]+\]", s.get("title", "")) or s.get("title", "").split(" — ")[0]
               for s in info.get("sources", [])]
    cited = "；".join(s if isinstance(s, str) else s.group(0) for s in sources)
    provenance = info.get("provenance", "unknown")
    return prose(source_note(name),
                 f"来源：{cited}；数据性质：{PROVENANCE_ZH.get(provenance, provenance)}")


def bilingual_table(data: pd.DataFrame, name: str, english: list[str],
                    chinese: dict[str, str], index: str) -> Styler:
    """Dataset ``name``'s rows ``data`` captioned with their source: the ``english`` columns, or
    in ``zh`` mode the columns of ``chinese`` under their Chinese headers. ``index`` (a column
    of both) labels the rows."""
    if prose("en", "zh") == "zh":
        shown = data[list(chinese)].rename(columns=chinese)
        return captioned(shown.set_index(chinese[index]), source_caption(name))
    return captioned(data[english].set_index(index), source_note(name))
