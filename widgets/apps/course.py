"""Chapter 00 apps: the course map, the glossary explorer and the language switch."""

from __future__ import annotations

import html

import ipywidgets as w
import pandas as pd

from widgets.apps.content import dataset_text_zh, glossary_definitions
from widgets.apps.controls import dropdown, note
from widgets.apps.labels import (
    LANGUAGES,
    bind,
    get_language,
    prose,
    register_labels,
    set_language,
)
from widgets.apps.tables import table_html
from widgets.data import load_dataset, source_note
from widgets.models.glossary import search_glossary

register_labels({
    "glossary_search": ("Search", "搜索"),
    "glossary_chapter": ("Chapter", "章节"),
    "all_chapters": ("All chapters", "全部章节"),
})


def build_course_map() -> w.HTML:
    """The chapters with their time and question, each linked to its notebook."""
    course = load_dataset("course_map")
    if get_language() == "zh":
        return _course_map_zh(course)
    shown = pd.DataFrame({
        "#": [f"{n:02d}" for n in course["chapter"]],
        "Chapter · 章节": [f"<a href='{html.escape(r.file)}'>{html.escape(r.title_en)} · "
                         f"{html.escape(r.title_zh)}</a>" for r in course.itertuples()],
        "Time": [f"{m} min" for m in course["minutes"]],
        "The question it answers": [html.escape(q) for q in course["question_en"]],
    })
    total = int(course["minutes"].sum())
    return w.HTML(table_html(shown, f"{len(course)} chapters, about {total} minutes in all (the "
                                    f"course's estimate). {source_note('course_map')}",
                             escape=False))


def _course_map_zh(course: pd.DataFrame) -> w.HTML:
    """The course map in Chinese (questions from ``widgets/content/zh/course_map.json``)."""
    questions = dataset_text_zh(course, "course_map", "question_en")
    shown = pd.DataFrame({
        "#": [f"{n:02d}" for n in course["chapter"]],
        "章节": [f"<a href='{html.escape(r.file)}'>{html.escape(r.title_zh)}</a>"
               for r in course.itertuples()],
        "时长": [f"{m} 分钟" for m in course["minutes"]],
        "本章问题": [html.escape(q) for q in questions],
    })
    total = int(course["minutes"].sum())
    return w.HTML(table_html(shown, f"共 {len(course)} 章", escape=False)
                  + f"<div style='font-size:12px;color:#555'>合计约 {total} 分钟（课程的估计）。"
                    f"{html.escape(source_note('course_map'))}</div>")


class GlossaryExplorer(w.VBox):
    """Type to search the glossary (中文, pinyin with or without tones, or English)."""

    def __init__(self) -> None:
        self.glossary = load_dataset("glossary")
        self.query = bind(w.Text(placeholder="e.g. 压货, yahuo, stock", continuous_update=True),
                          "glossary_search")
        chapters = sorted(int(c) for c in self.glossary["chapter"].unique())
        self.chapter = dropdown("glossary_chapter", [("—", None)] + [(str(c), c) for c in chapters])
        self.count = w.HTML()
        self.table = w.HTML()
        for control in (self.query, self.chapter):
            control.observe(lambda _: self.refresh(), names="value")
        self.refresh()
        super().__init__([w.HBox([self.query, self.chapter]), self.count, self.table,
                          note(html.escape(source_note("glossary")))])

    def refresh(self) -> pd.DataFrame:
        hits = search_glossary(self.glossary, self.query.value, self.chapter.value)
        self.count.value = prose(f"<b>{len(hits)}</b> of {len(self.glossary)} terms",
                                 f"共 {len(self.glossary)} 个术语，找到 <b>{len(hits)}</b> 个")
        first = hits.head(40)
        shown = pd.DataFrame({
            prose("中文", "术语"): first["term_zh"], prose("Pinyin", "拼音"): first["pinyin"],
            prose("English", "英文"): first["term_en"], prose("Ch.", "章"): first["chapter"],
            prose("Meaning", "释义"): glossary_definitions(first)}).reset_index(drop=True)
        self.table.value = table_html(shown, prose(f"The first {len(shown)} matches.",
                                                   f"前 {len(shown)} 个结果。"))
        return hits


def build_glossary_explorer() -> GlossaryExplorer:
    """The glossary explorer of chapter 00."""
    return GlossaryExplorer()


def build_language_switch() -> w.ToggleButtons:
    """Switch every widget label in the course between both languages, English and 中文."""
    names = {"both": "English · 中文", "en": "English", "zh": "中文"}
    switch = w.ToggleButtons(options=[(names[lang], lang) for lang in LANGUAGES],
                             value=get_language())
    switch.observe(lambda change: set_language(change["new"]), names="value")
    return bind(switch, "language")


def _table(headers: list[str], rows: list[list[str]], source: str) -> w.HTML:
    return w.HTML(table_html(pd.DataFrame(rows, columns=headers), source))


def show_chapter_terms(chapter: int) -> w.HTML:
    """The glossary's terms for ``chapter`` (dataset ``glossary``) with their source."""
    glossary = load_dataset("glossary")
    table = glossary[glossary["chapter"] == chapter]
    if table.empty:
        raise ValueError(f"the glossary has no terms for chapter {chapter}")
    table = table.assign(definition=glossary_definitions(table))
    rows = [[r.term_zh, r.pinyin, r.term_en, r.definition] for r in table.itertuples()]
    headers = [prose("中文", "术语"), prose("Pinyin", "拼音"), prose("English", "英文"),
               prose("Meaning", "释义")]
    return _table(headers, rows, source_note("glossary"))
