"""The course stands on its own: every citation resolves inside the repository.

Everything a student, trainer or contributor reads (chapters, dashboards, widgets, datasets,
docs, README, CONTRIBUTING) cites sources by a key of ``docs/REFERENCES.md`` and never names a
path outside the repository: not the maintainers' source bundle, not its article files.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.bibliography import ARTICLES, CITATION, bibliography_keys, cited_keys, entry, slug, text
from tests.sources import ROOT

TEXT_SUFFIXES = {".md", ".py", ".json", ".csv", ".tsv", ".yaml", ".yml", ".toml", ".txt",
                 ".html", ".j2", ".ipynb"}
SCANNED_FOLDERS = ("chapters", "dashboards", "widgets", "datasets", "docs")
SCANNED_FILES = ("README.md", "CONTRIBUTING.md", "README.zh-CN.md")
# Paths or names that only exist in the maintainers' source bundle or on one machine.
LEAKS = {
    "the source bundle (../shared)": re.compile(r"\.\./shared\b|\bshared/(?:seeds|tools)\b"),
    "an article file (seeds/…)": re.compile(r"\bseeds/"),
    "an article by its bundle number (seed 001)": re.compile(r"\bseeds? ?0\d\d\b", re.I),
    "a bundle document": re.compile(r"\b(?:CURRICULUM|STYLE)\.md\b|curriculum_terms\.tsv"
                                    r"|tools/fidelity\.py"),
    "an absolute path on one machine": re.compile(r"(?<![\w.:/])/(?:work|home|root|Users)/\w"),
}
DOC_NAME = re.compile(r"(?<![\w/.-])((?:\.\./|\./)*(?:[\w-]+/)*(?:REFERENCES|CHAPTER_GUIDE)\.md)")
RELATIVE = re.compile(r"(?<![\w/.])((?:\.\./)+[\w./#-]*)")
REQUIRED = (*ARTICLES, "Bass 1969", "Sultan et al. 1990", "Jøsang & Ismail 2002", "Slovic 1993",
            "Kwak et al. 2011", "Sibona 2011", "Granovetter 1973", "Dunbar 2016",
            "Zhou et al. 2005", "Hwang & Yoon 1981", "Fader et al. 2005",
            "Gupta & Lehmann 2003", "Agresti & Caffo 2000", "新华视点 2018", "中国互联网协会 2016",
            "中国互联网协会 2017", "禁止传销条例 2005", "FTC v. Vemma 2016")


def user_facing_files(root: Path = ROOT) -> list[Path]:
    files = [root / name for name in SCANNED_FILES if (root / name).is_file()]
    for folder in SCANNED_FOLDERS:
        files += [p for p in sorted((root / folder).rglob("*"))
                  if p.is_file() and p.suffix in TEXT_SUFFIXES
                  and not {"__pycache__", ".ipynb_checkpoints"} & set(p.parts)]
    return files


def readable_text(path: Path) -> str:
    """What a reader sees: a notebook's cell sources, any other file's text."""
    body = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".ipynb":
        cells = json.loads(body).get("cells", [])
        return "\n".join("".join(cell.get("source", "")) for cell in cells)
    return body


def problems_in(path: Path, body: str, root: Path = ROOT) -> list[str]:
    """Every leak in one file: bundle paths, unresolvable doc names, links leaving the repo."""
    found = [f"{label}: {match.group(0)!r}" for label, pattern in LEAKS.items()
             for match in pattern.finditer(body)]
    for match in DOC_NAME.finditer(body):
        name = match.group(1)
        if not any((base / name).resolve().is_file() for base in (path.parent, root)):
            found.append(f"a document outside the repository or not found: {name!r}")
    for match in RELATIVE.finditer(body):
        target = (path.parent / match.group(1).split("#")[0]).resolve()
        if not target.is_relative_to(root.resolve()):
            found.append(f"a path outside the repository: {match.group(1)!r}")
    return found


def test_the_scan_covers_every_kind_of_user_facing_file() -> None:
    files = {p.relative_to(ROOT).as_posix() for p in user_facing_files()}
    for expected in ("README.md", "CONTRIBUTING.md", "docs/REFERENCES.md", "docs/TRAINER_GUIDE.md",
                     "datasets/datapackage.json", "chapters/00_start_here.ipynb",
                     "widgets/models/trust_decay.py", "widgets/content/ch02.json"):
        assert expected in files, expected
    assert any(f.startswith("dashboards/") for f in files)


@pytest.mark.parametrize("path", user_facing_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_path_outside_the_repository(path: Path) -> None:
    problems = problems_in(path, readable_text(path))
    assert not problems, f"{path.relative_to(ROOT)}: " + "; ".join(problems)


def test_every_cited_key_is_in_the_bibliography() -> None:
    keys = bibliography_keys()
    unknown = sorted({(path.relative_to(ROOT).as_posix(), key)
                      for path in user_facing_files()
                      for key in cited_keys(readable_text(path)) if key not in keys})
    assert not unknown, f"(file, key) cited but not in docs/REFERENCES.md: {unknown}"


def test_the_scanner_catches_leaks_and_unknown_keys(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    page = tmp_path / "docs" / "page.md"
    body = ("See ../shared/REFERENCES.md, `seeds/001_12bd52a9f5876347.txt`, seed 004, "
            "CURRICULUM.md, REFERENCES.md, [up](../../outside.md) and [Nobody 1999].")
    problems = " | ".join(problems_in(page, body, root=tmp_path))
    for expected in ("../shared", "seeds/", "seed 004", "CURRICULUM.md",
                     "'REFERENCES.md'", "'../../outside.md'"):
        assert expected in problems, (expected, problems)
    assert "Nobody 1999" in cited_keys(body) and "Nobody 1999" not in bibliography_keys()
    (tmp_path / "docs" / "REFERENCES.md").write_text("x", encoding="utf-8")
    clean = "See [docs/REFERENCES.md](REFERENCES.md) and [Huang 2017](../docs/REFERENCES.md)."
    assert problems_in(page, clean, root=tmp_path) == []


def test_bibliography_entries_are_well_formed() -> None:
    keys = bibliography_keys()
    missing = [key for key in REQUIRED if key not in keys]
    assert not missing, f"docs/REFERENCES.md lacks entries for {missing}"
    wrong = {key: anchor for key, anchor in keys.items() if anchor != slug(key)}
    assert not wrong, f"anchors that are not the key's slug: {wrong}"
    assert len(keys) == text().count('<a id="'), "an anchor outside an entry line"
    for key in keys:
        assert CITATION.fullmatch(f"[{key}]"), f"[{key}] does not look like a citation key"


def test_bibliography_cross_references_resolve() -> None:
    unknown = sorted(cited_keys(text()) - set(bibliography_keys()))
    assert not unknown, unknown


@pytest.mark.parametrize("key", ARTICLES)
def test_each_article_has_title_gloss_outlet_and_date(key: str) -> None:
    body = entry(key)
    assert re.search(r"[\u4e00-\u9fff]{3,}", body), f"[{key}] has no Chinese title"
    assert re.search(r'\("[A-Z0-9][^"]+"', body), f"[{key}] has no English gloss of the title"
    assert "URL" in body, f"[{key}] says nothing about a URL"
    assert re.search(r"\b(?:19|20)\d\d\b|undated|not\s+named|not\s+given", body), key
    assert "Used for:" in body, f"[{key}] does not say what the course uses it for"


def test_urls_in_the_bibliography_are_https() -> None:
    urls = re.findall(r"<(https?://[^>]+)>", text())
    assert urls and all(url.startswith("https://") for url in urls), urls
