"""The course bibliography, docs/REFERENCES.md: its keys, anchors and entries, for the tests.

An entry is a list item ``- <a id="huang-2017"></a>**[Huang 2017]** …``; its anchor is the key
in lower case with every run of other characters than letters and digits turned into ``-``.
A citation in the course is the key in square brackets, e.g. ``[Huang 2017]`` or
``[Weishang 2.0 n.d.]`` (a name, a space, then a year or ``n.d.``).
"""

from __future__ import annotations

import re
from functools import cache

from tests.sources import ROOT

REFERENCES = ROOT / "docs" / "REFERENCES.md"
ENTRY = re.compile(r'^- <a id="([^"]+)"></a>\*\*\[([^\]\n]+)\]\*\*', re.MULTILINE)
CITATION = re.compile(r"\[([^\[\]\n`'\"]{1,40}? (?:1[89]\d\d|20\d\d|n\.d\.))\]")
ARTICLES = ("Social Selling 2014", "Huang 2017", "Zhang 2015", "Five Traits n.d.",
            "Weishang 2.0 n.d.")


def slug(key: str) -> str:
    """The anchor of a key: ``"Weishang 2.0 n.d."`` → ``"weishang-2-0-n-d"``."""
    return re.sub(r"[^\w]+", "-", key.lower()).strip("-")


def text() -> str:
    return REFERENCES.read_text(encoding="utf-8")


@cache
def bibliography_keys() -> dict[str, str]:
    """Every entry's key and the anchor it carries."""
    pairs = [(key, anchor) for anchor, key in ENTRY.findall(text())]
    keys = [key for key, _ in pairs]
    duplicated = sorted({key for key in keys if keys.count(key) > 1})
    assert not duplicated, f"docs/REFERENCES.md defines these keys twice: {duplicated}"
    return dict(pairs)


def entry(key: str) -> str:
    """The text of one entry, from its key to the next entry or heading."""
    body = text()
    start = body.index(f"**[{key}]**")
    ends = [i for i in (body.find("\n- ", start), body.find("\n#", start)) if i != -1]
    return body[start:min(ends) if ends else len(body)]


def cited_keys(body: str) -> set[str]:
    """The bibliography keys cited in ``body``."""
    return set(CITATION.findall(body))
