"""Binder and nbgitpuller links come from one setting, and the README matches the generator."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tools import course_links as cl
from widgets.data.chapters import chapter_files, chapter_registry

ROOT = Path(__file__).resolve().parents[1]


def _fake_course(tmp_path: Path, repository: str, branch: str = "main",
                 zh: bool = False) -> Path:
    root = tmp_path / "course"
    (root / "chapters").mkdir(parents=True)
    (root / "pyproject.toml").write_text(
        f'[tool.social-selling-lab]\nrepository = "{repository}"\nbranch = "{branch}"\n')
    shutil.copy(ROOT / "README.md", root / "README.md")
    (root / "docs").mkdir()
    shutil.copy(ROOT / "docs" / "TRAINER_GUIDE.md", root / "docs" / "TRAINER_GUIDE.md")
    (root / "datasets").mkdir()
    shutil.copy(ROOT / "datasets" / "datapackage.json", root / "datasets" / "datapackage.json")
    (root / "datasets" / "course_map.csv").write_text(
        "chapter,file,title_en,title_zh,minutes,question_en,seeds,widget\n"
        "0,00_start_here.ipynb,Start here,从这里开始,20,How?,,a bet\n"
        "1,01_everyone_sells.ipynb,Everyone sells,人人销售,40,Why?,000,a chart\n",
        encoding="utf-8")
    notebooks = [("chapters", "00_start_here.ipynb", "# Start here"),
                 ("chapters", "01_everyone_sells.ipynb", "# 01 · Everyone sells")]
    if zh:
        (root / "chapters" / "zh").mkdir()
        notebooks.append(("chapters/zh", "00_start_here.ipynb", "# 从这里开始"))
    for folder, name, heading in notebooks:
        cells = [{"cell_type": "markdown", "metadata": {}, "source": [heading + "\n", "text"]}]
        (root / folder / name).write_text(json.dumps({"cells": cells}), encoding="utf-8")
    return root


def test_readme_matches_the_generator() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    wanted = cl.render_readme(readme, cl.readme_blocks(cl.read_setting(), cl.chapters()))
    assert readme == wanted, "README is out of date: run python tools/course_links.py " \
                             "--write-readme"
    guide = (ROOT / "docs" / "TRAINER_GUIDE.md").read_text(encoding="utf-8")
    assert guide == cl.render_readme(guide, cl.guide_blocks()), "the trainer guide's table " \
        "is out of date: run python tools/course_links.py --write-readme"
    for row in chapter_registry().itertuples():
        assert f"| {row.chapter:02d} | {row.title_en} · {row.title_zh} | {row.minutes} min |" \
            in guide


def test_every_chapter_is_listed_with_its_first_heading() -> None:
    found = cl.chapters()
    notebooks = sorted(p.relative_to(ROOT).as_posix()
                       for p in ROOT.glob("chapters/**/[0-9][0-9]_*.ipynb"))
    assert sorted(c.path for c in found) == notebooks
    english = [c.path for c in found if not c.edition]
    assert english == [f"chapters/{f}" for f in chapter_files()], "in the registry's order"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for chapter in found:
        assert chapter.title and not chapter.title.startswith(("#", chapter.number + " "))
        assert f"| {chapter.number} | {chapter.title} | [launch](" in readme


def test_moving_the_repository_is_a_one_line_change(tmp_path: Path) -> None:
    root = _fake_course(tmp_path, "https://github.com/new-owner/new-name", "teaching")
    assert cl.main(["--write-readme"], root=root) == 0
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "social-selling-lab/social-selling-lab" not in readme
    base = "https://mybinder.org/v2/gh/new-owner/new-name/teaching?urlpath=lab/tree/chapters/"
    assert f"[![Binder](https://mybinder.org/badge_logo.svg)]({base}00_start_here.ipynb)" in readme
    assert f"| 01 | Everyone sells | [launch]({base}01_everyone_sells.ipynb) |" in readme
    assert cl.main(["--check-readme"], root=root) == 0
    (root / "pyproject.toml").write_text(
        '[tool.social-selling-lab]\nrepository = "https://gitlab.com/a/b"\nbranch = "main"\n')
    assert cl.main(["--check-readme"], root=root) == 1


def test_chinese_edition_gets_its_own_table(tmp_path: Path) -> None:
    root = _fake_course(tmp_path, "https://github.com/o/n", zh=True)
    blocks = cl.readme_blocks(cl.read_setting(root), cl.chapters(root))
    table = blocks["chapter-links"]
    assert "中文版" in table and "| 00 | 从这里开始 | [launch](" in table
    assert "urlpath=lab/tree/chapters/zh/00_start_here.ipynb" in table
    assert table.index("Start here") < table.index("从这里开始")


def test_hub_links_pull_the_course_and_open_each_chapter() -> None:
    course = cl.Course("https://github.com/o/my-course", "dev")
    link = cl.hub_link(course, "https://hub.example.edu/", "chapters/05_shakeout.ipynb")
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https", "hub.example.edu", "/hub/user-redirect/git-pull")
    query = parse_qs(parts.query)
    assert query == {"repo": ["https://github.com/o/my-course"], "branch": ["dev"],
                     "urlpath": ["lab/tree/my-course/chapters/05_shakeout.ipynb"]}
    with pytest.raises(ValueError, match="hub"):
        cl.hub_link(course, "hub.example.edu", "chapters/05_shakeout.ipynb")


def test_binder_works_for_github_gitlab_and_any_git() -> None:
    assert cl.binder_base(cl.Course("https://github.com/o/n", "main")) == \
        "https://mybinder.org/v2/gh/o/n/main"
    assert cl.binder_base(cl.Course("https://gitlab.com/g/sub/n", "main")) == \
        "https://mybinder.org/v2/gl/g%2Fsub%2Fn/main"
    assert cl.binder_base(cl.Course("https://git.example.edu/n.git", "v1")) == \
        "https://mybinder.org/v2/git/https%3A%2F%2Fgit.example.edu%2Fn.git/v1"


@pytest.mark.parametrize(("repository", "branch", "problem"), [
    ("git@github.com:o/n.git", "main", "repository"),
    ("https://github.com/only-owner", "main", "repository"),
    ("https://github.com/o/n", "", "branch"),
])
def test_a_bad_setting_is_named(tmp_path: Path, repository: str, branch: str,
                                problem: str) -> None:
    root = _fake_course(tmp_path, repository, branch)
    with pytest.raises(ValueError, match=problem):
        cl.read_setting(root)


def test_command_line_prints_one_hub_link_per_chapter() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "course_links.py"),
                             "--hub", "https://hub.example.edu"],
                            capture_output=True, text=True, check=True, timeout=60)
    lines = result.stdout.splitlines()
    assert len(lines) == len(cl.chapters())
    for line, chapter in zip(lines, cl.chapters(), strict=True):
        path, title, link = line.split("\t")
        assert (path, title) == (chapter.path, chapter.title)
        assert link.startswith("https://hub.example.edu/hub/user-redirect/git-pull?repo=")


def test_the_chapters_come_from_the_registry(tmp_path: Path) -> None:
    """A notebook the registry does not list, or a registered chapter without its notebook,
    stops the generator with a message naming the registry."""
    root = _fake_course(tmp_path, "https://github.com/o/n")
    assert [c.number for c in cl.chapters(root)] == ["00", "01"]
    stray = root / "chapters" / "02_extra.ipynb"
    stray.write_text((root / "chapters" / "01_everyone_sells.ipynb").read_text())
    with pytest.raises(ValueError, match=r"course_map\.csv.*02_extra\.ipynb"):
        cl.chapters(root)
    stray.unlink()
    (root / "chapters" / "01_everyone_sells.ipynb").unlink()
    with pytest.raises(ValueError, match=r"missing \['01_everyone_sells\.ipynb'\]"):
        cl.chapters(root)
