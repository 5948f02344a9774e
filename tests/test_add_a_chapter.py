"""Adding a chapter with a new widget takes the places CONTRIBUTING names, and no more.

In a temporary copy of the repository this test follows CONTRIBUTING's steps to add a
throwaway chapter 08 with a new widget, runs the generator it names, then runs the tests
that depend on the list of chapters (README links, course links, trainer guide, datasets,
dashboards, notebook hygiene, the course map and the new chapter under nbval) on the copy, in
a subprocess whose ``widgets`` is the copy's. They pass, so the suite asks for nothing beyond
those steps; and the same copy without the registry row fails, so they would have noticed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tools.nbtools import code, md, write_notebook

ROOT = Path(__file__).resolve().parents[1]
CONTRIBUTING = ROOT / "CONTRIBUTING.md"
GENERATOR = "python tools/course_links.py --write-readme"
GENERATED = {"README.md", "docs/TRAINER_GUIDE.md"}

APP = '''"""A throwaway widget for tests/test_add_a_chapter.py."""

from __future__ import annotations

import ipywidgets as w
import plotly.graph_objects as go

from widgets.apps.controls import boxed
from widgets.apps.figure import CourseFigure
from widgets.apps.layout import app_children, mark_app


class Throwaway(w.VBox):
    """A slider and a bar chart of its value."""

    def __init__(self) -> None:
        self.level = w.IntSlider(value=3, min=0, max=10, description="level")
        self.figure = CourseFigure(go.Figure(go.Bar(x=["level"], y=[3])))
        self.level.observe(lambda change: self._draw(change["new"]), names="value")
        super().__init__(app_children([self.level], boxed(self.figure)))
        mark_app(self)

    def _draw(self, level: int) -> None:
        with self.figure.batch_update():
            self.figure.data[0].y = [level]


def build_throwaway() -> Throwaway:
    """The throwaway app."""
    return Throwaway()
'''

GUIDE_SECTION = """## 08 · Throwaway · 临时 (15 min)

**Timing.** 15 minutes.

**Talking points.** None; this chapter only tests the registry.

**Misconceptions.** None.

Answer: none.

"""

REGISTRY_ROW = "8,08_throwaway.ipynb,Throwaway,临时,15,Does the registry work?,,throwaway\n"

TESTS = [
    "tests/test_course_links.py", "tests/test_readme_and_ci.py",
    "tests/test_trainer_guide.py::test_every_chapter_has_a_section_with_its_time",
    "tests/test_trainer_guide.py::test_the_guide_has_no_section_for_an_unregistered_chapter",
    "tests/test_datasets.py::test_glossary_has_the_key_terms_of_the_sources",
    "tests/test_datasets.py::test_the_chapter_registry_numbers_its_notebooks_without_gaps",
    "tests/test_dashboards.py", "tests/test_notebook_hygiene.py",
    "tests/test_start_here_app.py::test_course_map_links_every_chapter",
    "chapters/08_throwaway.ipynb",
]


def contributing_steps() -> list[str]:
    """The numbered steps of CONTRIBUTING's "Adding a chapter with a new widget"."""
    text = CONTRIBUTING.read_text(encoding="utf-8")
    match = re.search(r"^## Adding a chapter with a new widget\n(.*?)(?=^## )", text,
                      flags=re.MULTILINE | re.DOTALL)
    assert match, "CONTRIBUTING lacks the section 'Adding a chapter with a new widget'"
    section = match.group(1)
    assert GENERATOR in section, f"CONTRIBUTING should name the generator {GENERATOR!r}"
    return re.findall(r"^\d+\. `([^`]+)`", section, flags=re.MULTILINE)


def step_pattern(place: str) -> re.Pattern[str]:
    """A step's path as a pattern: ``NN`` is the chapter number, ``name``/``idea`` a name."""
    pattern = re.escape(place).replace("NN", r"\d{2}")
    for word in ("name", "idea"):
        pattern = pattern.replace(word, r"[a-z0-9_]+")
    return re.compile(pattern)


def copy_repository(target: Path) -> None:
    """The working tree's tracked and new (not ignored) files, as they are now."""
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT,
                           check=True, capture_output=True, text=True).stdout.splitlines()
    for name in files:
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def add_chapter(root: Path, with_registry_row: bool = True) -> None:
    """CONTRIBUTING's five places, for a chapter 08 with a new widget."""
    write_notebook(root / "chapters" / "08_throwaway.ipynb", [
        md("# Throwaway · 临时\n\n**The question:** does the registry work?\n\n**Time:** 15 min"
           "\n\n**Learning objectives:** none.\n\n**Sources:** "
           "[REFERENCES](../docs/REFERENCES.md)", slide="slide"),
        code("from widgets.apps.slides import slide_style\n"
             "from widgets.apps.throwaway import build_throwaway\n\nslide_style()",
             slide="skip", hidden=True),
        md("## Place your bet", slide="slide"),
        code("build_throwaway()", slide="slide"),
        md("## Exercise\n\n<details><summary>Hint</summary>None.</details>", slide="slide"),
        md("## Sandbox", slide="slide"),
        md("## Key takeaways", slide="slide"),
    ])
    if with_registry_row:
        with (root / "datasets" / "course_map.csv").open("a", encoding="utf-8") as registry:
            registry.write(REGISTRY_ROW)
    guide = root / "docs" / "TRAINER_GUIDE.md"
    text = guide.read_text(encoding="utf-8")
    guide.write_text(text.replace("## Running a class", GUIDE_SECTION + "## Running a class", 1),
                     encoding="utf-8")
    (root / "widgets" / "apps" / "throwaway.py").write_text(APP, encoding="utf-8")
    write_notebook(root / "dashboards" / "throwaway.ipynb", [
        md("# Throwaway", slide="slide"),
        code("from widgets.apps.throwaway import build_throwaway\nbuild_throwaway()"),
    ])


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root), "SOCIAL_SELLING_DATASETS": ""}
    env.pop("SOCIAL_SELLING_DATASETS")
    return subprocess.run([sys.executable, *args], cwd=root, env=env, capture_output=True,
                          text=True, timeout=600)


def changed_files(root: Path) -> set[str]:
    before = {p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*") if p.is_file()
              and ".venv" not in p.parts and ".git" not in p.parts}
    changed = set()
    for path in root.rglob("*"):
        name = path.relative_to(root).as_posix()
        if not path.is_file() or "__pycache__" in path.parts or ".pytest_cache" in path.parts:
            continue
        if name not in before or path.read_bytes() != (ROOT / name).read_bytes():
            changed.add(name)
    return changed


def test_contributing_names_at_most_five_places() -> None:
    steps = contributing_steps()
    assert 1 <= len(steps) <= 5, f"CONTRIBUTING lists {len(steps)} places: {steps}"


def test_a_new_chapter_with_a_new_widget_needs_only_the_documented_places(
        tmp_path: Path) -> None:
    root = tmp_path / "course"
    copy_repository(root)
    add_chapter(root)
    generated = run(root, "tools/course_links.py", "--write-readme")
    assert generated.returncode == 0, generated.stderr

    patterns = [step_pattern(place) for place in contributing_steps()]
    touched = changed_files(root)
    unexplained = sorted(name for name in touched if name not in GENERATED
                         and not any(p.fullmatch(name) for p in patterns))
    assert not unexplained, f"places outside CONTRIBUTING's steps: {unexplained}"
    assert {name for name in touched if name not in GENERATED} \
        >= {"chapters/08_throwaway.ipynb", "datasets/course_map.csv"}
    assert "08_throwaway.ipynb" in (root / "README.md").read_text(encoding="utf-8")

    result = run(root, "-m", "pytest", "-q", "-m", "not browser and not sources",
                 "-p", "no:cacheprovider", "-x", *TESTS)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "08_throwaway" in run(root, "-c", "import widgets.data.chapters as c; "
                                 "print(c.chapter_files())").stdout


def test_without_the_registry_row_the_suite_notices(tmp_path: Path) -> None:
    root = tmp_path / "course"
    copy_repository(root)
    add_chapter(root, with_registry_row=False)
    result = run(root, "tools/course_links.py", "--check-readme")
    assert result.returncode != 0
    assert "course_map.csv" in result.stderr and "08_throwaway.ipynb" in result.stderr


@pytest.mark.parametrize("place", ["chapters/NN_name.ipynb", "widgets/apps/idea.py"])
def test_step_patterns_match_only_their_place(place: str) -> None:
    pattern = step_pattern(place)
    assert pattern.fullmatch(place.replace("NN", "08").replace("name", "x_y")
                             .replace("idea", "x_y"))
    assert not pattern.fullmatch("widgets/models/x.py")
