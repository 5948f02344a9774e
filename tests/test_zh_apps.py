"""In ``zh`` mode a student reads Chinese: labels keep their units, content has a Chinese text."""

from __future__ import annotations

import importlib
import pkgutil
import re

import widgets.apps
from widgets.apps import labels


def _all_labels() -> dict[str, tuple[str, str]]:
    for module in pkgutil.iter_modules(widgets.apps.__path__):
        importlib.import_module(f"widgets.apps.{module.name}")
    return dict(labels._labels)


def test_chinese_labels_keep_the_units_and_qualifiers_of_the_english() -> None:
    """An English "(unit)" needs a Chinese one; "(中文 term)" glosses are not units."""
    unit_en, unit_zh = r"\([^)\u4e00-\u9fff]*\)", r"[（(][^）)]*[）)]"
    lost = {key: pair for key, pair in _all_labels().items()
            if re.search(unit_en, pair[0]) and not re.search(unit_zh, pair[1])}
    assert not lost, f"Chinese labels without the English label's (unit): {lost}"


def test_unit_labels_name_the_unit_in_chinese() -> None:
    every = _all_labels()
    for key, unit in (("tier_demand", "盒/周/千人"), ("tier_restock", "盒/4 周"),
                      ("td_asymmetry", "坏 ÷ 好"), ("tier_retail", "元/盒")):
        assert unit in every[key][1], f"{key}: {every[key][1]!r} lacks {unit!r}"


# --- content as data: every entry has a Chinese text --------------------------------------

import json  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

import ipywidgets as w  # noqa: E402
import pytest  # noqa: E402
from pandas.io.formats.style import Styler  # noqa: E402

from widgets.apps.bet import build_bet  # noqa: E402
from widgets.apps.content import CONTENT_DIR, UNTRANSLATED_KEYS, content_item  # noqa: E402
from widgets.apps.exercise import ExerciseCheck, Feedback  # noqa: E402
from widgets.apps.quiz import build_quiz  # noqa: E402

CHAPTER_FILES = sorted(CONTENT_DIR.glob("ch*.json"))
from tools.zh_scan import english_prose, visible_strings  # noqa: E402

CJK = re.compile(r"[\u4e00-\u9fff]")


def _leaves(tree, path=()):
    if isinstance(tree, dict):
        for key, value in tree.items():
            if key not in UNTRANSLATED_KEYS:
                yield from _leaves(value, (*path, key))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            yield from _leaves(value, (*path, index))
    elif isinstance(tree, str):
        yield path, tree


def _at(tree, path):
    for key in path:
        try:
            tree = tree[key]
        except (KeyError, IndexError, TypeError):
            return None
    return tree




@pytest.mark.parametrize("path", CHAPTER_FILES, ids=[p.stem for p in CHAPTER_FILES])
def test_every_content_string_has_a_chinese_text(path: Path) -> None:
    english = json.loads(path.read_text(encoding="utf-8"))
    zh_path = CONTENT_DIR / "zh" / path.name
    assert zh_path.is_file(), f"no Chinese content for {path.name}"
    chinese = json.loads(zh_path.read_text(encoding="utf-8"))
    missing = [path for path, _ in _leaves(english)
               if not isinstance(_at(chinese, path), str) or not _at(chinese, path).strip()]
    assert not missing, f"{path.name}: no Chinese text at {missing[:5]}"
    extra = [p for p, _ in _leaves(chinese) if not isinstance(_at(english, p), str)]
    if extra:  # e.g. written ahead of an English change on another branch: unused, told
        warnings.warn(f"zh/{path.name} has strings the English file lacks: {extra[:5]}",
                      stacklevel=1)
    for item_path, text in _leaves(chinese):
        assert not english_prose(text), f"zh/{path.name} {item_path}: English prose in {text!r}"
        assert CJK.search(text), f"zh/{path.name} {item_path}: no Chinese in {text!r}"


@pytest.mark.parametrize("path", CHAPTER_FILES, ids=[p.stem for p in CHAPTER_FILES])
def test_sort_quiz_answers_are_among_the_chinese_categories(path: Path) -> None:
    chapter = path.stem
    for quiz_id, spec in json.loads(path.read_text(encoding="utf-8"))["quizzes"].items():
        if spec.get("kind") == "sort":
            zh = content_item(chapter, "quizzes", quiz_id, language="zh")
            assert {i["answer"] for i in zh["items"]} <= set(zh["categories"]), quiz_id


def _prose_in(widget) -> list[str]:
    return [run for text in visible_strings(widget) for run in english_prose(text)]


@pytest.mark.parametrize("path", CHAPTER_FILES, ids=[p.stem for p in CHAPTER_FILES])
def test_bets_and_quizzes_show_no_english_prose_in_zh_mode(path: Path, chinese) -> None:
    chapter = path.stem
    content = json.loads(path.read_text(encoding="utf-8"))
    for bet_id, spec in content["bets"].items():
        answer = spec["options"][0] if spec["kind"] == "choice" else spec.get("min", 0)
        bet = build_bet(chapter, bet_id, answer=answer)
        bet.commit(bet.guess.options[-1] if spec["kind"] == "choice" else None)
        bet.reveal()
        assert not _prose_in(bet), f"{chapter} bet {bet_id}: {_prose_in(bet)}"
    for quiz_id in content["quizzes"]:
        quiz = build_quiz(chapter, quiz_id)
        if hasattr(quiz, "select"):
            quiz.select(0)
        else:
            quiz.answer(*[quiz.pickers[0].options[1]] * len(quiz.pickers))
        quiz.check()
        assert not _prose_in(quiz), f"{chapter} quiz {quiz_id}: {_prose_in(quiz)}"


def test_choice_bet_answer_given_in_english_is_shown_in_chinese(chinese) -> None:
    bet = build_bet("ch07", "channel_revenue", answer="Up")
    assert bet.answer() == "上升" and "上升" in bet.guess.options


def test_exercise_hints_are_chinese_in_zh_mode(chinese) -> None:
    box = ExerciseCheck(lambda _: Feedback(False, "再试一次"),
                        content_item("ch00", "hints", "top_cause"))
    box.check(None)
    assert not _prose_in(box) and "提示 1" in box.output.value


def test_the_prose_detector_can_fail() -> None:
    assert english_prose("Lock in your bet, then reveal")
    assert not english_prose("用 load_dataset(\"death_index\") 读入，单位 元/盒，κ，FTC v. Vemma")
    assert _prose_in(w.VBox([w.HTML("Move the slider to see")])) == ["Move the slider to see"]


def test_zh_scan_drives_every_dashboard_app() -> None:
    """tools/zh_scan.py (the list of English still shown in zh mode) reaches every app."""
    from tools.zh_scan import ROOT as SCAN_ROOT
    from tools.zh_scan import dashboard_apps

    apps = dashboard_apps()
    assert set(apps) == {p.stem for p in (SCAN_ROOT / "dashboards").glob("*.ipynb")}
    assert all(visible_strings(app) for app in apps.values())


def test_exercise_feedback_is_chinese_in_zh_mode(chinese) -> None:
    from widgets.apps.exercise import check_columns, check_number, check_set
    from widgets.apps.tie_strength import load_contacts
    from widgets.chapters.ch00 import _check_top_cause
    from widgets.chapters.ch01 import mark_real_friends, real_friend_ids
    from widgets.chapters.ch05 import mark_posting_plan

    contacts = load_contacts()
    friends = sorted(real_friend_ids(contacts))
    messages = [
        _check_top_cause(None), _check_top_cause("nope"),
        mark_real_friends(None), mark_real_friends(friends[:-1]), mark_real_friends(friends),
        mark_real_friends(contacts.contact_id.str.len() > 0),
        mark_posting_plan(None),
        mark_posting_plan({"ads_per_day": 5, "content_per_day": 0, "interactions_per_day": 0}),
        check_number("x", 1, tolerance=0), check_number(3, 1, tolerance=0),
        check_set({1, 4}, {1, 2}), check_columns([], ["a"]), check_columns(contacts, ["zzz"]),
    ]
    prose_runs = {m.message: english_prose(m.message) for m in messages if english_prose(m.message)}
    assert not prose_runs, prose_runs
    assert all(CJK.search(m.message) for m in messages if not m.correct)


def test_more_exercise_feedback_is_chinese_in_zh_mode(chinese) -> None:
    from widgets.apps.capstone import example_plans, simulate_business
    from widgets.chapters.ch02 import product_feedback
    from widgets.chapters.ch03 import art7_checker, my_scheme
    from widgets.chapters.ch04 import mark_first_circle, mark_order_difference, mark_post_verdict
    from widgets.chapters.ch06 import portrait_feedback, segment_feedback
    from widgets.chapters.ch07 import plan_feedback
    from widgets.data import load_dataset

    plans = example_plans(load_dataset("products"))
    product = {"name": "绿茶", **dict.fromkeys(
        ("experiential", "easy_to_satisfy", "content_depth", "value_sensitive", "good_value",
         "random_choice", "forms_circle", "persuasive"), 2)}
    messages = [
        art7_checker(None), art7_checker(my_scheme()),
        art7_checker(my_scheme(recruit_bonus=0, team_commission=0, top_order=0, bottom_order=0)),
        product_feedback(None), product_feedback({"name": ""}), product_feedback(product),
        mark_order_difference(None), mark_order_difference("x"), mark_post_verdict(None),
        mark_post_verdict("real"), mark_first_circle(None), mark_first_circle(3),
        mark_first_circle("nobody"), portrait_feedback(None), segment_feedback(None),
        segment_feedback("nobody"),
        plan_feedback(simulate_business(plans["failing_1_0"])),
        plan_feedback(simulate_business(plans["sound_2_0"])),
    ]
    prose_runs = {m.message: english_prose(m.message) for m in messages if english_prose(m.message)}
    assert not prose_runs, prose_runs


def test_every_glossary_term_has_a_chinese_definition() -> None:
    from widgets.data import load_dataset

    glossary = load_dataset("glossary")
    chinese = json.loads((CONTENT_DIR / "zh" / "glossary.json").read_text(encoding="utf-8"))
    definitions = chinese["definition_zh"]
    missing = sorted(set(glossary["term_zh"]) - set(definitions))
    assert not missing, f"glossary terms without a Chinese definition: {missing}"
    unknown = sorted(set(definitions) - set(glossary["term_zh"]))
    if unknown:  # e.g. written ahead of a glossary change on another branch: harmless, told
        warnings.warn(f"Chinese definitions for terms the glossary lacks: {unknown}",
                      stacklevel=1)
    prose_runs = {t: english_prose(d) for t, d in definitions.items() if english_prose(d)}
    assert not prose_runs, prose_runs


def test_glossary_explorer_and_chapter_terms_show_chinese_definitions(chinese) -> None:
    from widgets.apps.course import build_glossary_explorer, show_chapter_terms

    explorer = build_glossary_explorer()
    explorer.query.value = "yahuo"
    assert "每一级都把货压给下一级" in explorer.table.value
    terms = show_chapter_terms(3).value
    assert "释义" in terms and "Meaning" not in terms
    labels.set_language("both", remember=False)
    explorer.refresh()
    assert "Each layer loading stock" in explorer.table.value


def test_course_map_is_chinese_in_zh_mode(chinese) -> None:
    import re as regex

    from widgets.apps.course import build_course_map
    from widgets.data import load_dataset

    html_text = build_course_map().value
    table = html_text.split("</table>")[0]
    assert not english_prose(regex.sub(r"href='[^']*'", "", table)), english_prose(table)
    chapters = load_dataset("course_map")["chapter"]
    assert table.count("分钟") == len(chapters)


def test_ethics_checklist_is_chinese_in_zh_mode(chinese) -> None:
    from widgets.apps.ethics_checklist import build_ethics_checklist, load_commitments

    questions = json.loads((CONTENT_DIR / "zh" / "ethics_commitments.json")
                           .read_text(encoding="utf-8"))["check_question_zh"]
    assert set(questions) == set(load_commitments()["commitment_id"])
    checklist = build_ethics_checklist("ch03", "case_scheme")
    checklist.check()
    assert not _prose_in(checklist), _prose_in(checklist)


def test_model_changing_exercises_give_chinese_feedback_in_zh_mode(chinese) -> None:
    """The six 'change the model' checks (ch01–ch06) and the two decomposition tables."""
    import math

    from widgets.chapters.ch01 import mark_hazard
    from widgets.chapters.ch02 import mark_scoring_rule
    from widgets.chapters.ch03 import mechanism_decomposition, restock_rule_checker
    from widgets.chapters.ch04 import mark_retention_rule
    from widgets.chapters.ch05 import mark_evidence_rule
    from widgets.chapters.ch06 import funnel_decomposition, mark_feedback_rule

    messages = [
        mark_hazard(None), mark_hazard(lambda f: 0.06), mark_hazard(lambda f: 0.4 * f),
        mark_hazard(lambda f: 0.001 + 0.01 * f), mark_hazard(lambda f: 0.01 + 0.4 * f),
        mark_scoring_rule(None), mark_scoring_rule(lambda c: sum(c.values()) / 8),
        mark_scoring_rule(lambda c: 0.0 if min(c.values()) <= 1 else 5 - c["experiential"]),
        mark_scoring_rule(lambda c: 0.0 if min(c.values()) <= 1 else sum(c.values()) / 8),
        restock_rule_checker(None), restock_rule_checker(lambda a, s, r: 0),
        restock_rule_checker(lambda a, s, r: 10 if a % 4 == 0 else 0),
        restock_rule_checker(lambda a, s, r: max(0, 5 - s) if a % 4 == 0 else 0),
        mark_retention_rule(None), mark_retention_rule(lambda t: 0.9),
        mark_retention_rule(lambda t: 0.7),
        mark_retention_rule(lambda t: min(0.95, 0.6 + 0.05 * t)),
        mark_evidence_rule(None),
        mark_evidence_rule(lambda a, c, j, r: (0.1 * (a + c + j) + r, 0)),
        mark_evidence_rule(lambda a, c, j, r: (0.1 * c + 1.0 * r, 0.15 * (a + j))),
        mark_feedback_rule(None), mark_feedback_rule(lambda x: 2.0),
        mark_feedback_rule(lambda x: 1.0 / (1.0 + x)), mark_feedback_rule(lambda x: 1.0),
        mark_feedback_rule(lambda x: 1.0 + (1.0 - math.exp(-x / 2.0))),
    ]
    prose_runs = {m.message: english_prose(m.message) for m in messages if english_prose(m.message)}
    assert not prose_runs, prose_runs
    for table in (mechanism_decomposition(n_seeds=1), funnel_decomposition()):
        shown = " ".join([table.caption or "", *map(str, table.data.columns),
                          *map(str, table.data.index)])
        assert not english_prose(shown), english_prose(shown)


# ------------------------------------------------------------- chapter helpers in Chinese
#: Chapter helpers a student sees as a table, chart, bet or sentence (what a chapter cell shows).
SHOWN = re.compile(r"^(\w+_bet|\w+_table|show_\w+|\w+_causes|\w+_chart|\w+_timeline"
                   r"|\w+_decomposition|\w+_sentence|describe_\w+|preview_log|build_\w+_quiz)$")
#: Arguments of the shown helpers that need one (as their chapter calls them).
HELPER_ARGS = {"preview_log": lambda module: (module.load_behaviour_log(),),
               "worked_example_table": lambda module: ("sound_2_0",),
               "weighed_reports_table": lambda module: (lambda report: 1.0,)}
CHAPTER_MODULES = sorted(name for _, name, _ in pkgutil.iter_modules(
    importlib.import_module("widgets.chapters").__path__))


def _shown_strings(module_name: str) -> dict[str, list[str]]:
    """Each shown helper of ``widgets.chapters.<module_name>``, built now, and its strings."""
    module = importlib.import_module(f"widgets.chapters.{module_name}")
    shown = {}
    for name in getattr(module, "__all__", []):
        helper = getattr(module, name)
        if not SHOWN.match(name) or getattr(helper, "__module__", "") != module.__name__:
            continue
        result = helper(*HELPER_ARGS.get(name, lambda _: ())(module))
        if isinstance(result, Styler):
            shown[name] = [result.to_html()]
        elif isinstance(result, w.Widget):
            shown[name] = visible_strings(result)
    return shown


def test_every_chapter_has_a_helper_module_to_scan() -> None:
    assert len(CHAPTER_MODULES) >= 8 and sum(len(_shown_strings(m)) for m in ("ch02", "ch03")) >= 8


@pytest.mark.parametrize("module_name", CHAPTER_MODULES)
def test_chapter_tables_and_bets_are_chinese_in_zh_mode(chinese, module_name: str) -> None:
    """The tables, charts, bets and sentences of a chapter module show no English prose in zh."""
    english = {name: runs for name, strings in _shown_strings(module_name).items()
               if (runs := [r for s in strings for r in english_prose(s)])}
    assert not english, f"widgets.chapters.{module_name} shows English in zh mode: {english}"


def test_the_chapter_scan_sees_english_tables() -> None:
    """In English the same scan finds the stages table's prose, so it reads table HTML."""
    before = labels.get_language()
    labels.set_language("en", remember=False)
    try:
        strings = _shown_strings("ch03")
    finally:
        labels.set_language(before, remember=False)
    assert english_prose(strings["stages_table"][0]) and english_prose(strings["case_table"][0])
