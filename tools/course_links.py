#!/usr/bin/env python3
"""Links to the course, all generated from one setting: its repository URL and branch.

The setting is ``[tool.social-selling-lab]`` in ``pyproject.toml``::

    repository = "https://github.com/OWNER/NAME"
    branch = "main"

From it this script makes the README's Binder badge and per-chapter Binder links (between the
``<!-- binder-badge -->`` and ``<!-- chapter-links -->`` markers) and the nbgitpuller links a
trainer hands out on a JupyterHub. The chapters are those of the chapter registry,
``datasets/course_map.csv`` (``widgets.data.chapters``): ``chapters/<file>`` for each row, and
``chapters/zh/NN_*.ipynb`` of a registered number when the Chinese edition exists. A notebook
the registry does not list is an error. A chapter's title is its notebook's first heading.
Usage, from the repository root::

    python tools/course_links.py                      # Binder link of every chapter
    python tools/course_links.py --hub https://hub.example.edu   # nbgitpuller links
    python tools/course_links.py --write-readme       # rewrite the README's generated parts
                                                      # and the trainer guide's chapter table
    python tools/course_links.py --check-readme       # exit 1 if either is out of date
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

from widgets.data.chapters import chapter_files, chapter_registry
from widgets.data.loader import DatasetError

ROOT = Path(__file__).resolve().parents[1]
SETTING = "social-selling-lab"
BINDER = "https://mybinder.org/v2"
BADGE = "https://mybinder.org/badge_logo.svg"
EDITIONS = (("", "English"), ("zh", "中文版 · Chinese edition"))
GUIDE = Path("docs") / "TRAINER_GUIDE.md"


@dataclass(frozen=True)
class Course:
    repository: str   # e.g. https://github.com/social-selling-lab/social-selling-lab
    branch: str

    @property
    def name(self) -> str:
        """The folder nbgitpuller clones into: the repository's last path part."""
        return self.repository.rstrip("/").removesuffix(".git").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Chapter:
    path: str         # from the repository root, e.g. chapters/00_start_here.ipynb
    number: str       # "00"
    title: str
    edition: str      # "" for English, "zh" for Chinese


def read_setting(root: Path = ROOT) -> Course:
    """The repository URL and branch from ``[tool.social-selling-lab]`` in pyproject.toml."""
    data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    table = data.get("tool", {}).get(SETTING, {})
    repository, branch = table.get("repository", ""), table.get("branch", "")
    parts = urlsplit(repository)
    if parts.scheme != "https" or not parts.netloc or len(parts.path.strip("/").split("/")) < 2:
        raise ValueError(f"[tool.{SETTING}] repository must be an https URL of a repository, "
                         f"got {repository!r}")
    if not branch or any(ch.isspace() for ch in branch):
        raise ValueError(f"[tool.{SETTING}] branch must be a branch name, got {branch!r}")
    return Course(repository.rstrip("/"), branch)


def first_heading(notebook: Path) -> str:
    """The notebook's first Markdown heading, without '#' and a leading chapter number."""
    cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    for cell in cells:
        if cell.get("cell_type") != "markdown":
            continue
        for line in "".join(cell.get("source", "")).splitlines():
            if line.startswith("#"):
                title = line.lstrip("#").strip()
                return re.sub(r"^\d+\s*·\s*", "", title)
    raise ValueError(f"{notebook} has no Markdown heading to use as its title")


def chapters(root: Path = ROOT) -> list[Chapter]:
    """Every registered chapter, English first, then the Chinese edition when it exists."""
    try:
        files = chapter_files(root / "datasets")
    except DatasetError as error:
        raise ValueError(f"the chapter registry datasets/course_map.csv: {error}") from error
    numbers = {file[:2] for file in files}
    found = []
    for edition, _ in EDITIONS:
        folder = root / "chapters" / edition if edition else root / "chapters"
        present = sorted(p.name for p in folder.glob("[0-9][0-9]_*.ipynb"))
        if not edition:
            unlisted = sorted(set(present) - set(files))
            missing = [f for f in files if f not in present]
            if unlisted or missing:
                raise ValueError(f"chapters/ and the registry datasets/course_map.csv differ: "
                                 f"notebooks not in the registry {unlisted}, registered but "
                                 f"missing {missing}")
            names = files
        else:
            strays = [n for n in present if n[:2] not in numbers]
            if strays:
                raise ValueError(f"chapters/{edition}: {strays} have no chapter number of the "
                                 f"registry datasets/course_map.csv")
            names = present
        for name in names:
            notebook = folder / name
            found.append(Chapter(notebook.relative_to(root).as_posix(), name[:2],
                                 first_heading(notebook), edition))
    return found


def binder_base(course: Course) -> str:
    """mybinder.org's launch URL of the repository at the branch (GitHub, GitLab or any git)."""
    parts = urlsplit(course.repository)
    path = parts.path.strip("/").removesuffix(".git")
    if parts.netloc == "github.com":
        return f"{BINDER}/gh/{path}/{quote(course.branch, safe='')}"
    if parts.netloc == "gitlab.com":
        return f"{BINDER}/gl/{quote(path, safe='')}/{quote(course.branch, safe='')}"
    return f"{BINDER}/git/{quote(course.repository, safe='')}/{quote(course.branch, safe='')}"


def binder_link(course: Course, path: str) -> str:
    """Binder opening ``path`` (a file of the repository) in JupyterLab."""
    return f"{binder_base(course)}?urlpath=lab/tree/{path}"


def hub_link(course: Course, hub: str, path: str) -> str:
    """nbgitpuller link: the hub clones (or updates) the course, then opens ``path``."""
    parts = urlsplit(hub)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"hub must be the hub's http(s) URL, e.g. https://hub.example.edu, "
                         f"got {hub!r}")
    query = urlencode({"repo": course.repository, "urlpath": f"lab/tree/{course.name}/{path}",
                       "branch": course.branch}, quote_via=quote, safe="")
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def readme_blocks(course: Course, found: list[Chapter]) -> dict[str, str]:
    """The README's generated parts, by marker."""
    if not found:
        raise ValueError("no chapters found under chapters/")
    badge = f"[![Binder]({BADGE})]({binder_link(course, found[0].path)})"
    tables = []
    for edition, label in EDITIONS:
        rows = [c for c in found if c.edition == edition]
        if not rows:
            continue
        lines = [] if not edition else [f"**{label}**", ""]
        lines += ["| # | chapter | open on Binder |", "| --- | --- | --- |"]
        lines += [f"| {c.number} | {c.title} | [launch]({binder_link(course, c.path)}) |"
                  for c in rows]
        tables.append("\n".join(lines))
    return {"binder-badge": badge, "chapter-links": "\n\n".join(tables)}


def guide_blocks(root: Path = ROOT) -> dict[str, str]:
    """The trainer guide's generated part: its "course at a glance" table, from the registry."""
    registry = chapter_registry(root / "datasets")
    lines = ["| # | chapter | time | widgets | the question |", "| --- | --- | --- | --- | --- |"]
    lines += [f"| {r.chapter:02d} | {r.title_en} · {r.title_zh} | {r.minutes} min | {r.widget} | "
              f"{r.question_en} |" for r in registry.itertuples()]
    return {"course-at-a-glance": "\n".join(lines)}


def render_readme(readme: str, blocks: dict[str, str]) -> str:
    """``readme`` (or any Markdown file) with each ``<!-- marker -->…<!-- /marker -->`` block
    of ``blocks`` replaced."""
    for marker, block in blocks.items():
        pattern = re.compile(rf"(<!-- {marker} -->\n).*?(\n<!-- /{marker} -->)", re.DOTALL)
        if not pattern.search(readme):
            raise ValueError(f"the file lacks the <!-- {marker} --> … <!-- /{marker} --> markers")
        readme = pattern.sub(lambda m, b=block: m.group(1) + b + m.group(2), readme)
    return readme


def generated_files(root: Path = ROOT) -> dict[Path, dict[str, str]]:
    """Each generated file and its blocks: the README's links, the trainer guide's table."""
    return {root / "README.md": readme_blocks(read_setting(root), chapters(root)),
            root / GUIDE: guide_blocks(root)}


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--hub", metavar="URL", help="print nbgitpuller links for this hub")
    action.add_argument("--write-readme", action="store_true",
                        help="rewrite the README's badge and chapter table, and the "
                             "trainer guide's course-at-a-glance table")
    action.add_argument("--check-readme", action="store_true",
                        help="exit 1 when the README differs from what would be written")
    args = parser.parse_args(argv)
    try:
        course, found = read_setting(root), chapters(root)
        if args.write_readme or args.check_readme:
            stale = []
            for path, blocks in generated_files(root).items():
                current = path.read_text(encoding="utf-8")
                wanted = render_readme(current, blocks)
                if wanted != current:
                    stale.append(path.relative_to(root).as_posix())
                    if args.write_readme:
                        path.write_text(wanted, encoding="utf-8")
            if args.check_readme and stale:
                print(f"{', '.join(stale)} out of date: run python tools/course_links.py "
                      "--write-readme", file=sys.stderr)
                return 1
            return 0
        for chapter in found:
            link = hub_link(course, args.hub, chapter.path) if args.hub else \
                binder_link(course, chapter.path)
            print(f"{chapter.path}\t{chapter.title}\t{link}")
    except ValueError as error:
        print(f"course_links: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
