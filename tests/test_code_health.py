"""Code-health checks over ``widgets/``: each one guards a defect a review found.

- a chapter cell shows a check's feedback once: no function both displays a widget and
  returns it (the cell's last expression is displayed again), and every ``check_…`` a chapter
  calls as its cell's value prints and displays nothing itself;
- no module defines the same top-level name twice (ruff's F811 skips ``_private`` names, and
  ``tier_engine`` held a dead first copy of ``_by_tier``);
- no dead code: every public name defined in ``widgets/`` is used somewhere else in
  ``widgets/``, ``chapters/`` or ``dashboards/``;
- ``__all__`` sits at the top of a module, before its definitions.
"""

from __future__ import annotations

import ast
import importlib
import re
from collections import Counter
from pathlib import Path

import ipywidgets as w
import nbformat
import pytest
from IPython.utils.capture import capture_output

ROOT = Path(__file__).resolve().parents[1]
MODULES = sorted((ROOT / "widgets").rglob("*.py"))
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


# --------------------------------------------------------------------------- shown twice
def _calls_display(function: ast.AST) -> bool:
    return any(isinstance(node, ast.Call) and isinstance(node.func, ast.Name | ast.Attribute)
               and (getattr(node.func, "id", None) == "display"
                    or getattr(node.func, "attr", None) == "display")
               for node in ast.walk(function))


def _returns_a_value(function: ast.AST) -> bool:
    return any(isinstance(node, ast.Return) and node.value is not None
               and not (isinstance(node.value, ast.Constant) and node.value.value is None)
               for node in ast.walk(function))


def test_no_function_both_displays_and_returns() -> None:
    both = [f"{_rel(path)}:{node.name}" for path in MODULES for node in ast.walk(_tree(path))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and _calls_display(node) and _returns_a_value(node)]
    assert not both, f"these display a widget and return it, so a cell shows it twice: {both}"


def _chapter_checks() -> list[tuple[str, str, str]]:
    """(chapter, module, function) of each ``check_…(…)`` that is a chapter cell's value."""
    found = []
    for path in CHAPTERS:
        cells = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
        origin: dict[str, str] = {}
        for cell in cells:
            for node in ast.walk(ast.parse(cell.source)):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("widgets"):
                    origin.update({a.asname or a.name: node.module for a in node.names})
        for cell in cells:
            body = ast.parse(cell.source).body
            last = body[-1] if body else None
            if isinstance(last, ast.Expr) and isinstance(last.value, ast.Call) \
                    and isinstance(last.value.func, ast.Name) \
                    and last.value.func.id.startswith("check_"):
                name = last.value.func.id
                found.append((path.stem, origin[name], name))
    return found


CHECKS = _chapter_checks()
ANSWERS = {"check_plan": lambda: importlib.import_module("widgets.apps.capstone").build_capstone()}


def test_the_chapters_call_checks() -> None:
    assert len(CHECKS) >= 6, f"found only {CHECKS}: is the search broken?"


@pytest.mark.parametrize(("chapter", "module", "name"), CHECKS,
                         ids=[f"{c}-{n}" for c, _, n in CHECKS])
def test_a_chapter_check_is_shown_once(chapter: str, module: str, name: str) -> None:
    check = getattr(importlib.import_module(module), name)
    answer = ANSWERS.get(name, object)()  # a wrong answer of any kind gets feedback
    with capture_output() as captured:
        box = check(answer)
    assert isinstance(box, w.Widget), f"{name} should return its feedback widget"
    assert not captured.stdout and not captured.outputs, \
        f"{chapter}: {name} displays its feedback and returns it, so the cell shows it twice"


# --------------------------------------------------------------------------- shadowing
def _top_level_names(tree: ast.Module) -> list[str]:
    names = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.append(node.name)
    return names


@pytest.mark.parametrize("path", MODULES, ids=[_rel(p) for p in MODULES])
def test_no_module_defines_a_name_twice(path: Path) -> None:
    repeated = [n for n, count in Counter(_top_level_names(_tree(path))).items() if count > 1]
    assert not repeated, f"{_rel(path)} defines {repeated} twice: the first copy is dead"


def test_the_shadowing_check_can_fail() -> None:
    tree = ast.parse("def _f():\n    return 1\n\n\ndef _f():\n    return 2\n")
    assert Counter(_top_level_names(tree))["_f"] == 2


# --------------------------------------------------------------------------- __all__ first
@pytest.mark.parametrize("path", MODULES, ids=[_rel(p) for p in MODULES])
def test_all_comes_before_the_definitions(path: Path) -> None:
    tree = _tree(path)
    positions = [i for i, node in enumerate(tree.body) if isinstance(node, ast.Assign)
                 and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)]
    if not positions:
        return
    first_def = next((i for i, node in enumerate(tree.body)
                      if isinstance(node, ast.FunctionDef | ast.ClassDef)), len(tree.body))
    assert positions[0] < first_def, f"{_rel(path)}: put __all__ at the top, after the imports"


# --------------------------------------------------------------------------- dead code
def _public_definitions(path: Path) -> list[str]:
    names = []
    for node in _tree(path).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            names += [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
    return [n for n in names if not n.startswith("__")]


def _text(path: Path) -> str:
    if path.suffix == ".ipynb":
        notebook = nbformat.read(path, as_version=4)
        return "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    return path.read_text(encoding="utf-8")


USERS = sorted([*MODULES, *CHAPTERS, *(ROOT / "dashboards").glob("*.ipynb"),
                *(ROOT / "tools").glob("*.py"), *(ROOT / "benchmarks").glob("*.py"),
                *(ROOT / "datasets").glob("*.py"), *(ROOT / "docs").glob("*.md"),
                ROOT / "CONTRIBUTING.md"])
# Public API that only tests use today, each for a stated reason; the test fails when one of
# them gains a use (drop it from here) or disappears.
TESTED_API = {
    "widgets/apps/exercise.py:check_set": "exercise kit for chapter authors, with check_number",
    "widgets/apps/exercise.py:check_columns": "exercise kit for chapter authors",
    "widgets/apps/ab_test.py:first_recipients": "the A/B test's data, checked against the model",
    "widgets/data/chapters.py:chapter_numbers": "the registry's numbers, for tests and tools",
    "widgets/data/storage.py:save_student_table": "the storage kit's whole-table save (with "
                                                  "overwrite and .bak), the counterpart of "
                                                  "update_student_table that the apps use",
    "widgets/models/ab_test.py:simulate_posts": "the model that makes the synthetic A/B data",
    "widgets/models/atomisation_funnel.py:link_table": "the model's table of links, tested",
    "widgets/models/bass_diffusion.py:P_CITED": "the cited Bass coefficients, tested against "
                                               "the bibliography",
    "widgets/models/bass_diffusion.py:Q_CITED": "as P_CITED",
    "widgets/models/repeat_purchase.py:active_customers": "closed form tested against the "
                                                          "simulation",
    "widgets/models/tier_simulator.py:params_table": "the parameters with their sources",
}


# Names Jupyter Server calls in a module enabled as a server extension in jupyter-config/.
SERVER_HOOKS = {"_jupyter_server_extension_points", "_load_jupyter_server_extension"}


def _server_extensions() -> set[str]:
    """Modules ``jupyter-config/jupyter_server_config.d`` enables as server extensions."""
    import json

    enabled: set[str] = set()
    for path in (ROOT / "jupyter-config" / "jupyter_server_config.d").glob("*.json"):
        config = json.loads(path.read_text(encoding="utf-8"))
        extensions = config.get("ServerApp", {}).get("jpserver_extensions", {})
        enabled |= {name for name, on in extensions.items() if on}
    return enabled


def test_every_definition_in_widgets_is_used() -> None:
    """A name is used when it appears as a word outside its own definition line, in a module,
    chapter or dashboard (``__all__`` re-exports do not count). Tests alone do not count."""
    texts = {path: _text(path) for path in USERS}
    for path, text in texts.items():  # re-exports in __all__ are not uses
        texts[path] = re.sub(r"__all__\s*=\s*\[.*?\]", "", text, flags=re.DOTALL)
    unused = []
    extensions = _server_extensions()
    for path in MODULES:
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for name in _public_definitions(path):
            if name in SERVER_HOOKS and module in extensions:
                continue  # called by Jupyter Server by name
            word = re.compile(rf"\b{re.escape(name)}\b")
            uses = sum(len(word.findall(text)) for text in texts.values())
            imported = rf"import[^\n]*\b{re.escape(name)}\b|^\s+{re.escape(name)},"
            imports = sum(len(re.findall(imported, text, flags=re.MULTILINE))
                          for path, text in texts.items() if path.suffix != ".md")
            if uses - imports <= 1:
                unused.append(f"{_rel(path)}:{name}")
    unexplained = sorted(set(unused) - set(TESTED_API))
    assert not unexplained, f"defined but never used outside tests: {unexplained}"
    stale = sorted(set(TESTED_API) - set(unused))
    assert not stale, f"now used or gone, drop from TESTED_API: {stale}"


# --------------------------------------------------------------------------- one name per idea
def test_one_name_per_idea() -> None:
    """Bets are built by ``build_<idea>_bet``, copies with changes by ``with_changes``."""
    defined = [(f"{_rel(path)}:{node.name}", node.name) for path in MODULES
               for node in ast.walk(_tree(path))
               if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]
    wrong = [where for where, name in defined
             if name.startswith("bet_") or name == "with_" or name.startswith("passes_")]
    assert not wrong, f"use build_<idea>_bet, with_changes and <rule>_passes: {wrong}"
    assert any(name.endswith("_bet") for _, name in defined)


def test_no_module_imports_another_modules_private_name() -> None:
    """What one module takes from another is public (``tier_reference`` took ``_assemble``)."""
    private = [f"{_rel(path)}: {node.module}.{alias.name}" for path in MODULES
               for node in ast.walk(_tree(path)) if isinstance(node, ast.ImportFrom)
               and (node.module or "").startswith("widgets")
               for alias in node.names if alias.name.startswith("_")]
    assert not private, f"make these public or keep them in their module: {private}"


def test_criterion_labels_are_defined_once_in_the_model() -> None:
    """The eight criteria's labels live in ``widgets.models.product_scorer`` only."""
    from widgets.models.product_scorer import CRITERIA, CRITERION_LABELS

    assert list(CRITERION_LABELS) == list(CRITERIA)
    labels = {label for pair in CRITERION_LABELS.values() for label in pair}
    copies = []
    for path in MODULES:
        if path.name == "product_scorer.py" and path.parent.name == "models":
            continue
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Dict) and len(node.keys) >= len(CRITERIA) // 2:
                values = [v.value for v in node.values if isinstance(v, ast.Constant)]
                if sum(v in labels for v in values) >= len(CRITERIA) // 2:
                    copies.append(f"{_rel(path)}:{node.lineno}")
    assert not copies, f"criterion labels defined again at {copies}"


# --------------------------------------------------------------------------- one table renderer
# Hand-written tables left for later (capstone and report are other branches' work today).
HAND_WRITTEN_TABLES: set[str] = set()


def test_tables_are_rendered_by_the_table_kit() -> None:
    """Tables come from ``widgets.apps.tables`` (``captioned`` / ``table_html``), not from
    hand-written ``<table>`` HTML or ``DataFrame.to_html``."""
    hand = {_rel(p) for p in MODULES if p.name != "tables.py"
            and re.search(r"<table|\.to_html\(classes", p.read_text(encoding="utf-8"))}
    assert not hand - HAND_WRITTEN_TABLES, f"use widgets.apps.tables: {hand - HAND_WRITTEN_TABLES}"
    assert not HAND_WRITTEN_TABLES - hand, f"converted: drop {HAND_WRITTEN_TABLES - hand}"


# ------------------------------------------------------------------ apps and chapters apart
# Generic kits in widgets/apps (building blocks every chapter and app uses), and the app
# infrastructure; everything else in widgets/apps is an app module that only builds its app.
KITS = {"__init__", "bet", "exercise", "quiz", "tables", "content", "labels", "layout", "figure",
        "formats", "controls", "theme", "slides", "course", "fast_start", "file_errors",
        "restyle", "capstone_plan_file"}
# What a chapter's own bets, answers, tables and exercise checks are called.
CHAPTER_HELPER = re.compile(r"^(\w+_bet|\w+_answer|check_\w+|mark_\w+|\w+_checker|\w+_solution"
                            r"|\w+_table|show_\w+|\w+_sentence|\w+_decomposition)$")
APP_MODULES = [p for p in sorted((ROOT / "widgets" / "apps").glob("*.py")) if p.stem not in KITS]
CHAPTER_NOTEBOOKS = [*CHAPTERS, *sorted((ROOT / "chapters" / "zh").glob("[0-9][0-9]_*.ipynb"))]


def _chapter_helpers_defined(tree: ast.Module) -> list[str]:
    return [node.name for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.ClassDef)
            and CHAPTER_HELPER.match(node.name)]


def test_app_modules_define_no_chapter_helpers() -> None:
    """An app module builds its app; the bets, tables and exercise checks a chapter shows
    live in ``widgets/chapters/chNN.py``."""
    assert len(APP_MODULES) >= 10, f"found only {APP_MODULES}: is the search broken?"
    found = [f"{_rel(path)}:{name}" for path in APP_MODULES
             for name in _chapter_helpers_defined(_tree(path))]
    assert not found, f"move these to the chapter's widgets/chapters/chNN.py: {found}"


def test_the_chapter_helper_check_can_fail() -> None:
    tree = ast.parse("def build_mask_bet(): ...\ndef check_my_product(p): ...\n"
                     "def case_table(): ...\ndef show_methods(): ...\ndef build_app(): ...\n")
    assert _chapter_helpers_defined(tree) == ["build_mask_bet", "check_my_product",
                                              "case_table", "show_methods"]


def test_apps_do_not_import_chapter_modules() -> None:
    """Chapters build on apps and kits, never the other way round."""
    found = [f"{_rel(path)}: {node.module}" for path in sorted((ROOT / "widgets").rglob("*.py"))
             if "chapters" not in path.parts
             for node in ast.walk(_tree(path)) if isinstance(node, ast.ImportFrom)
             and (node.module or "").startswith("widgets.chapters")]
    assert not found, f"an app or model imports a chapter module: {found}"


def _foreign_chapter_imports(number: str, source: str) -> list[str]:
    """``widgets.chapters`` modules other than ``ch<number>`` that ``source`` imports from."""
    own = f"widgets.chapters.ch{number}"
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("widgets.chapters") \
                and node.module != own:
            found.append(node.module or "")
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names
                      if a.name.startswith("widgets.chapters") and a.name != own]
    return found


@pytest.mark.parametrize("path", CHAPTER_NOTEBOOKS, ids=[_rel(p) for p in CHAPTER_NOTEBOOKS])
def test_a_chapter_imports_helpers_only_from_its_own_module(path: Path) -> None:
    number = path.name[:2]
    foreign = _foreign_chapter_imports(number, _text(path))
    assert not foreign, (f"{_rel(path)} imports chapter helpers from {foreign}: import them from "
                         f"widgets.chapters.ch{number} (which may import them from the first "
                         "chapter that shows them)")


def test_the_own_module_check_can_fail() -> None:
    source = "from widgets.chapters.ch00 import a\nfrom widgets.chapters.ch05 import b\n"
    assert _foreign_chapter_imports("05", source) == ["widgets.chapters.ch00"]
