"""The capstone plan as a document: what ``my_plan.json`` holds and how it is read back.

The capstone saves everything the student sets — product and scores, posting plan,
channel, pledges, defence text, export name — as one JSON object (:func:`plan_document`
builds it from the app's controls, :func:`document_values` checks one read back). The
same object is embedded in the HTML and Markdown exports, so "Load a saved plan" reads
``my_plan.json``, ``my_plan.html`` or ``my_plan.md`` alike (:func:`read_plan_file`).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from widgets.apps.labels import prose
from widgets.data.recovery import decode_lines
from widgets.data.storage import load_student_document
from widgets.report import extract_plan_data

PLAN_FILE = "my_plan.json"
FORMAT = "social-selling-lab plan"
VERSION = 1
#: Numeric controls saved by name (attribute of the app = key in the document).
NUMBER_KEYS = ("ads_per_day", "content_per_day", "interactions_per_day", "new_friend_share",
               "recruit_rate")
INTEGER_KEYS = ("n_tiers", "market")
FLAG_KEYS = ("brag", "fake_goods")
TEXT_KEYS = ("notes", "file_name")
CHOICE_KEYS = ("posting_preset", "mode", "format")


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def document_values(document: dict[str, Any], criteria: tuple[str, ...],
                    pledge_ids: tuple[str, ...]) -> tuple[dict[str, Any], list[str]]:
    """The usable values of a plan document and the keys that were skipped (bad values).

    Numbers must be finite numbers, flags booleans, texts strings, pledges True/False/None;
    anything else is skipped (the control keeps its value) and named in the list.
    """
    values: dict[str, Any] = {}
    skipped: list[str] = []
    for key in NUMBER_KEYS:
        if key in document:
            number = _number(document[key])
            if number is not None:
                values[key] = number
            else:
                skipped.append(key)
    for key in INTEGER_KEYS:
        if key in document:
            number = _number(document[key])
            if number is not None and number.is_integer():
                values[key] = int(number)
            else:
                skipped.append(key)
    for key in FLAG_KEYS:
        if key in document:
            if isinstance(document[key], bool):
                values[key] = document[key]
            else:
                skipped.append(key)
    for key in (*TEXT_KEYS, *CHOICE_KEYS, "product"):
        if key in document:
            if isinstance(document[key], str):
                values[key] = document[key]
            else:
                skipped.append(key)
    scores = document.get("scores", {})
    if isinstance(scores, dict):
        good = {c: _number(scores.get(c)) for c in criteria if c in scores}
        values["scores"] = {c: v for c, v in good.items() if v is not None}
        skipped += [f"scores.{c}" for c, v in good.items() if v is None]
    else:
        skipped.append("scores")
    pledges = document.get("pledges", {})
    if isinstance(pledges, dict):
        values["pledges"] = {k: v for k, v in pledges.items()
                             if k in pledge_ids and v in (True, False, None)}
        skipped += [f"pledges.{k}" for k in pledges if k not in values["pledges"]]
    else:
        skipped.append("pledges")
    return values, skipped


def read_plan_file(path: str | Path) -> tuple[dict[str, Any] | None, str]:
    """A plan document from ``my_plan.json`` (or any .json) or an HTML/Markdown export."""
    path = Path(path)
    if not path.is_file():
        return None, prose(f"There is no file {path.name} in {path.parent}.",
                           f"{path.parent} 里没有文件 {path.name}。")
    if ".json" in [s.lower() for s in path.suffixes]:  # my_plan.json, my_plan.json.bak
        document, message = load_student_document(path)
    else:
        _, lines = decode_lines(path.read_bytes())
        document = extract_plan_data("".join(line or "" for line in lines))
        message = "" if document is not None else prose(
            f"{path.name} holds no saved plan (only exports made by this version of the "
            "course carry one; a .json plan works too).",
            f"{path.name} 里没有保存的计划（只有这一版课程导出的文件才带着计划；"
            ".json 计划文件也可以）。")
    if document is not None and document.get("format") not in (FORMAT, None):
        return None, prose(f"{path.name} is not a capstone plan ({document.get('format')!r}).",
                           f"{path.name} 不是综合项目的计划（{document.get('format')!r}）。")
    return document, message
