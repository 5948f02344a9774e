"""Chapter 00's apps: course map, glossary search, first bet and first exercise."""

from __future__ import annotations

import pandas as pd
import pytest

from widgets.apps import labels
from widgets.apps.course import build_course_map, build_glossary_explorer, build_language_switch
from widgets.chapters.ch00 import (
    build_first_bet,
    build_first_quiz,
    check_top_cause,
    severe_cause_count,
    top_cause_id,
)
from widgets.data import load_dataset
from widgets.models.glossary import search_glossary, strip_tones

GLOSSARY = pd.DataFrame({
    "term_zh": ["压货", "口碑", "微商"],
    "pinyin": ["yāhuò", "kǒubēi", "wēishāng"],
    "term_en": ["stock-pushing", "word of mouth", "social selling"],
    "chapter": [3, 1, 0],
    "definition_en": ["pushing stock down the tiers", "friends recommend", "selling via WeChat"],
})


def test_strip_tones() -> None:
    assert strip_tones("wēishāng yāhuò") == "weishang yahuo"


@pytest.mark.parametrize("query", ["压货", "yahuo", "yāhuò", "STOCK", "ya huo"])
def test_search_finds_a_term_by_any_spelling(query: str) -> None:
    hits = search_glossary(GLOSSARY, query)
    assert list(hits["term_zh"]) == ["压货"]


def test_search_filters_by_chapter_and_blank_query_returns_all() -> None:
    assert len(search_glossary(GLOSSARY, "")) == 3
    assert list(search_glossary(GLOSSARY, "", chapter=1)["term_zh"]) == ["口碑"]
    assert search_glossary(GLOSSARY, "nothing-like-this").empty
    with pytest.raises(ValueError, match=r"lacks the column\(s\)"):
        search_glossary(GLOSSARY.drop(columns="pinyin"), "x")


def test_glossary_explorer_updates_when_typing() -> None:
    explorer = build_glossary_explorer()
    total = len(explorer.glossary)
    explorer.query.value = "压货"
    narrowed = explorer.refresh()
    assert 0 < len(narrowed) < total
    assert "压货" in explorer.table.value and f"of {total} terms" in explorer.count.value
    explorer.chapter.value = 0
    assert all(explorer.refresh()["chapter"] == 0)


def test_course_map_links_every_chapter() -> None:
    html = build_course_map().value
    registry = load_dataset("course_map")
    for file in registry["file"]:
        assert f"href='{file}'" in html
    assert f"{len(registry)} chapters, about {registry['minutes'].sum()} minutes" in html


def test_first_bet_answer_comes_from_the_data() -> None:
    stars = load_dataset("death_index")["death_index"]
    assert severe_cause_count() == int((stars >= 4).sum())
    bet = build_first_bet()
    bet.commit(severe_cause_count())
    assert bet.reveal().correct


def test_first_quiz_has_one_right_answer() -> None:
    quiz = build_first_quiz()
    right = [i for i, o in enumerate(quiz.options) if o["correct"]]
    quiz.select(*right)
    assert quiz.check().correct


def test_top_cause_exercise_feedback() -> None:
    table = load_dataset("death_index")
    assert top_cause_id() == table.loc[table["death_index"].idxmax(), "cause_id"]
    assert not check_top_cause(None).last.correct
    assert check_top_cause(top_cause_id()).last.correct


def test_language_switch_changes_the_course_language() -> None:
    switch = build_language_switch()
    switch.value = "zh"
    assert labels.get_language() == "zh" and switch.description == "语言"
    switch.value = "both"
