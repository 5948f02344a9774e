"""The course's datasets: every resource loads, is described, matches its source, rejects damage.

Facts taken from the five source articles (the death-index stars, the eight criteria, the four
stages …) are written here as expected values, so these tests run on a fresh clone. Only the
tests marked ``sources`` read the articles' text from the maintainers' source bundle (see
``tests/sources.py``): they check that those expected values really stand in the articles, that
no dataset copies a sentence, and the glossary's curriculum coverage and ``verbatim`` flag.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import re
import shutil
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd
import pytest

from tests.bibliography import bibliography_keys, entry
from tests.sources import ROOT, shared_dir
from widgets import DatasetError, load_dataset
from widgets.data.chapters import chapter_numbers, chapter_registry
from widgets.data.loader import CONSTRAINTS, FIELD_TYPES, PROVENANCES

DATASETS = ROOT / "datasets"
PACKAGE = json.loads((DATASETS / "datapackage.json").read_text(encoding="utf-8"))
RESOURCES = {r["name"]: r for r in PACKAGE["resources"]}
FOUNDATION = ("product_criteria", "mask_elements", "death_index", "stages", "ethics_commitments",
              "constant_connections", "characteristics", "atomisation", "symptoms_1_0",
              "market_figures", "price_ladder_case", "glossary")
FROM_SOURCES = FOUNDATION[:9]
ARTICLE_KEYS = {"000": "Social Selling 2014", "001": "Huang 2017", "002": "Zhang 2015",
                "003": "Five Traits n.d.", "004": "Weishang 2.0 n.d."}
SEED = {"000": "000_a698b2fc5b779323.txt", "001": "001_12bd52a9f5876347.txt",
        "002": "002_d3fcdd6911f4c0ea.txt", "003": "003_0cc96cc5cbd26623.txt",
        "004": "004_3bf123ec9953fae2.txt"}


# --------------------------------------------------------------------------- source bundle
# Only the tests marked ``sources`` may call these helpers.
@cache
def fidelity() -> ModuleType:
    """The bundle's ``tools/fidelity.py``, imported by path (its ``fold`` folds characters)."""
    path = shared_dir() / "tools" / "fidelity.py"
    spec = importlib.util.spec_from_file_location("shared_fidelity", path)
    assert spec is not None and spec.loader is not None, f"cannot import {path}"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fold(text: str) -> str:
    return fidelity().fold(text)


def squeeze(text: str) -> str:
    """Folded to simplified, with the spaces and punctuation fidelity.py ignores removed."""
    return fidelity().CJK_PUNCT.sub("", fold(text))


@cache
def seed(number: str) -> str:
    """A seed article, folded to simplified characters."""
    return fold((shared_dir() / "seeds" / SEED[number]).read_text(encoding="utf-8"))


@cache
def seed_blob() -> str:
    """All seeds as fidelity.py sees them when it looks for copied runs."""
    fid = fidelity()
    text = "".join(seed(n) for n in sorted(SEED))
    return "|".join(fid.CJK.findall(fid.CJK_PUNCT.sub("", text)))


def is_subsequence(needle: str, haystack: str) -> bool:
    chars = iter(haystack)
    return all(ch in chars for ch in needle)


# --------------------------------------------------------------------------- every resource
@pytest.mark.parametrize("name", FOUNDATION)
def test_foundation_resource_is_in_the_package(name: str) -> None:
    assert name in RESOURCES, f"datasets/datapackage.json has no resource {name!r}"


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_every_resource_loads_and_validates(name: str) -> None:
    frame = load_dataset(name)
    assert len(frame) > 0, f"{name} is empty"
    assert list(frame.columns) == [f["name"] for f in RESOURCES[name]["schema"]["fields"]]
    assert frame.attrs["provenance"] == RESOURCES[name]["provenance"]
    assert frame.attrs["source"].startswith("Source: ")


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_every_resource_is_fully_described(name: str) -> None:
    resource = RESOURCES[name]
    assert resource.get("provenance") in PROVENANCES, (
        f"{name}: provenance {resource.get('provenance')!r} is not one of {PROVENANCES}")
    assert resource.get("title"), f"{name} has no title"
    assert resource.get("path") == f"{name}.csv" or (DATASETS / resource["path"]).is_file()
    assert resource.get("format") == "csv" and resource.get("encoding") == "utf-8", name
    sources = resource.get("sources") or []
    assert sources, f"{name} lists no sources"
    for source in sources:
        assert source.get("title"), f"{name}: a source has no title"
        assert source.get("path") or source.get("publication"), (
            f"{name}: source {source.get('title')!r} has neither a path nor a publication")
    fields = resource["schema"]["fields"]
    for field in fields:
        label = f"{name}.{field.get('name')}"
        assert field.get("description", "").strip(), f"{label} has no description"
        assert field.get("type") in FIELD_TYPES, f"{label} has type {field.get('type')!r}"
        unknown = set(field.get("constraints", {})) - set(CONSTRAINTS)
        assert not unknown, f"{label} uses constraints the loader cannot check: {unknown}"
    key = resource["schema"].get("primaryKey")
    assert key, f"{name} has no primaryKey"
    names = {f["name"] for f in fields}
    assert set([key] if isinstance(key, str) else key) <= names, f"{name}: bad primaryKey"


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_every_source_cites_the_bibliography_or_a_generator(name: str) -> None:
    """A source is a bibliography entry ([key] title, docs/REFERENCES.md#anchor) or a script."""
    keys = bibliography_keys()
    for source in RESOURCES[name]["sources"]:
        path = source.get("path", "")
        file_part, _, anchor = path.partition("#")
        assert (ROOT / file_part).is_file(), f"{name}: source path {path!r} is not a repo file"
        if file_part.startswith("datasets/make_"):
            continue
        assert file_part == "docs/REFERENCES.md", f"{name}: {path!r}"
        cited = re.match(r"\[([^\]]+)\]", source["title"])
        if anchor:
            assert cited, f"{name}: source title {source['title']!r} starts with no [key]"
            key = cited.group(1)
            assert key in keys, f"{name}: [{key}] is not in the bibliography"
            assert keys[key] == anchor, f"{name}: {path!r} is not [{key}]'s anchor"


@pytest.mark.parametrize("name", FROM_SOURCES)
def test_from_sources_resources_cite_an_article(name: str) -> None:
    assert RESOURCES[name]["provenance"] == "from-sources"
    articles = tuple(f"[{key}]" for key in ARTICLE_KEYS.values())
    assert any(s["title"].startswith(articles) for s in RESOURCES[name]["sources"]), (
        f"{name} cites none of the five articles {articles}")


@pytest.mark.sources
@pytest.mark.parametrize("name", FOUNDATION)
def test_no_sentence_is_copied_from_the_sources(name: str) -> None:
    """No cell holds a run of 16+ Chinese characters that stands in a seed (fidelity.py's rule)."""
    raw = pd.read_csv(DATASETS / RESOURCES[name]["path"], dtype=str, keep_default_na=False)
    copies = [(row + 2, column, run) for column in raw.columns
              for row, cell in enumerate(raw[column])
              for run in fidelity().copied_runs(fold(cell), seed_blob())]
    assert not copies, f"{name}: copied from the seeds (row, column, text): {copies}"


# --------------------------------------------------------------------------- damaged copies
CORRUPTIONS = ("delete_file", "rename_column", "bad_type", "out_of_range", "blank_required",
               "foreign_key")


def _numeric_field(fields: list[dict[str, Any]]) -> dict[str, Any] | None:
    return next((f for f in fields if f.get("type") in ("integer", "number")), None)


def _range_field(fields: list[dict[str, Any]]) -> dict[str, Any] | None:
    bounded = [f for f in fields if f.get("type") in ("integer", "number")
               and ({"minimum", "maximum"} & set(f.get("constraints", {})))]
    enums = [f for f in fields if "enum" in f.get("constraints", {})]
    return (bounded or enums or [None])[0]


def _required_field(fields: list[dict[str, Any]]) -> dict[str, Any] | None:
    return next((f for f in fields if f.get("constraints", {}).get("required")), None)


def _out_of_range(field: dict[str, Any]) -> str:
    constraints = field["constraints"]
    if "maximum" in constraints:
        return str(constraints["maximum"] + 1)
    if "minimum" in constraints:
        return str(constraints["minimum"] - 1)
    return "__not_an_allowed_value__"


def _foreign_field(name: str) -> dict[str, Any] | None:
    keys = RESOURCES[name]["schema"].get("foreignKeys", [])
    fields = {f["name"]: f for f in RESOURCES[name]["schema"]["fields"]}
    return fields[keys[0]["fields"]] if keys else None


def _target(name: str, kind: str) -> dict[str, Any] | None:
    fields = RESOURCES[name]["schema"]["fields"]
    return {"delete_file": fields[0], "rename_column": fields[0],
            "bad_type": _numeric_field(fields), "out_of_range": _range_field(fields),
            "blank_required": _required_field(fields), "foreign_key": _foreign_field(name)}[kind]


CASES = [pytest.param(name, kind, id=f"{name}-{kind}")
         for name in sorted(RESOURCES) for kind in CORRUPTIONS if _target(name, kind)]


def test_every_foundation_dataset_gets_every_corruption() -> None:
    covered = {(p.values[0], p.values[1]) for p in CASES}
    lacking = [(n, k) for n in FOUNDATION for k in CORRUPTIONS if (n, k) not in covered
               and k != "foreign_key"]
    assert not lacking, f"no column to damage for {lacking}"


@pytest.mark.parametrize(("name", "kind"), CASES)
def test_damaged_copy_is_rejected_naming_file_row_and_column(
        name: str, kind: str, tmp_path: Path) -> None:
    resource = RESOURCES[name]
    shutil.copy(DATASETS / "datapackage.json", tmp_path / "datapackage.json")
    csv_path = tmp_path / resource["path"]
    shutil.copy(DATASETS / resource["path"], csv_path)
    for key in resource["schema"].get("foreignKeys", []):
        referenced = RESOURCES[key["reference"]["resource"]]["path"]
        shutil.copy(DATASETS / referenced, tmp_path / referenced)
    load_dataset(name, folder=tmp_path)  # the intact copy loads

    with csv_path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, data = rows[0], rows[1:]
    field = _target(name, kind)
    assert field is not None
    column = field["name"]
    index = len(data) // 2          # a row in the middle, so row numbering is really checked
    row_number = index + 2          # the header is row 1
    if kind == "delete_file":
        csv_path.unlink()
        expected = [csv_path.name, "not found"]
    else:
        if kind == "rename_column":
            header[header.index(column)] = column + "_renamed"
            row_number = 1
        else:
            bad = {"bad_type": "not-a-number", "out_of_range": _out_of_range(field),
                   "blank_required": "", "foreign_key": "99"}[kind]
            data[index][header.index(column)] = bad
        with csv_path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows([header, *data])
        expected = [csv_path.name, f"row {row_number}", repr(column)]

    with pytest.raises(DatasetError) as caught:
        load_dataset(name, folder=tmp_path)
    message = str(caught.value)
    for fragment in expected:
        assert fragment in message, f"{fragment!r} not in the error: {message}"


# --------------------------------------------------------------------------- glossary
@cache
def glossary() -> pd.DataFrame:
    return load_dataset("glossary")


def curriculum_terms() -> list[tuple[str, list[str]]]:
    rows = []
    text = (shared_dir() / "curriculum_terms.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            chapter, alternatives = line.split("\t", 1)
            rows.append((chapter, alternatives.split("|")))
    return rows


@pytest.mark.sources
def test_glossary_covers_every_curriculum_term() -> None:
    terms = {fold(t) for t in glossary()["term_zh"]}
    rows = curriculum_terms()
    assert len(rows) > 50, "curriculum_terms.tsv looks truncated"
    missing = [(chapter, alts[0]) for chapter, alts in rows if fold(alts[0]) not in terms]
    assert not missing, f"curriculum terms missing from the glossary (chapter, term): {missing}"


@pytest.mark.sources
def test_glossary_puts_curriculum_terms_in_their_chapter() -> None:
    chapter_of = dict(zip(glossary()["term_zh"].map(fold), glossary()["chapter"], strict=True))
    wrong = [(alts[0], int(ch), chapter_of[fold(alts[0])]) for ch, alts in curriculum_terms()
             if chapter_of.get(fold(alts[0])) != int(ch)]
    assert not wrong, f"(term, curriculum chapter, glossary chapter): {wrong}"


def test_glossary_has_the_key_terms_of_the_sources() -> None:
    key_terms = ("微商", "朋友圈", "代理价", "入门费", "团队计酬", "拉人头", "三流分离", "死亡指数",
                 "社群", "传销", "压货", "产消者")
    missing = [t for t in key_terms if t not in set(glossary()["term_zh"])]
    assert not missing, missing
    assert len(glossary()) >= 90
    # which chapter numbers exist is the registry's to say (a foreign key the loader checks)
    assert set(glossary()["chapter"]) <= set(chapter_numbers())
    assert RESOURCES["glossary"]["schema"]["foreignKeys"] == [
        {"fields": "chapter", "reference": {"resource": "course_map", "fields": "chapter"}}]


T2S_FIXTURE = Path(__file__).parent / "data" / "traditional_to_simplified.json"


@cache
def traditional_chars() -> dict[str, str]:
    """Traditional characters of the source articles and their simplified forms (a fixture,
    checked against the bundle's folding table by the ``sources`` test below)."""
    return json.loads(T2S_FIXTURE.read_text(encoding="utf-8"))


def test_glossary_terms_are_simplified() -> None:
    table = traditional_chars()
    assert len(table) > 300, "the traditional-character fixture looks truncated"
    traditional = [t for t in glossary()["term_zh"] if any(ch in table for ch in t)]
    assert not traditional, f"terms in traditional characters: {traditional}"


@pytest.mark.sources
def test_traditional_character_fixture_matches_the_bundle() -> None:
    raw = "".join((shared_dir() / "seeds" / SEED[n]).read_text(encoding="utf-8") for n in SEED)
    expected = {ch: fold(ch) for ch in sorted(set(raw)) if fold(ch) != ch}
    assert traditional_chars() == expected, "regenerate tests/data/traditional_to_simplified.json"
    terms = [t for t in glossary()["term_zh"] if fold(t) != t]
    assert not terms, f"terms in traditional characters (full table): {terms}"


TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
SYLLABLE = re.compile(rf"[a-zü{TONED}]+")


def test_glossary_pinyin_has_one_toned_syllable_per_character() -> None:
    problems = []
    for term, pinyin in zip(glossary()["term_zh"], glossary()["pinyin"], strict=True):
        hanzi = re.findall(r"[\u4e00-\u9fff]", term)
        syllables = [s for s in pinyin.split() if not re.fullmatch(r"[0-9.]+", s)]
        if len(syllables) != len(hanzi):
            problems.append((term, pinyin, "syllable count"))
        for syllable in syllables:
            if not SYLLABLE.fullmatch(syllable) or sum(ch in TONED for ch in syllable) > 1:
                problems.append((term, pinyin, syllable))
        if not any(ch in TONED for ch in pinyin):
            problems.append((term, pinyin, "no tone marks"))
    assert not problems, problems


@pytest.mark.sources
def test_glossary_verbatim_flag_is_true_to_the_seed() -> None:
    wrong = []
    for row in glossary().itertuples():
        # terms credited to REFERENCES come from the 2005 regulation, not from a seed
        found = row.seed in SEED and squeeze(row.term_zh) in squeeze(seed(row.seed))
        if bool(row.verbatim) != found:
            wrong.append((row.term_zh, row.seed, row.verbatim, found))
    assert not wrong, f"(term, seed, verbatim flag, found in seed): {wrong}"


def test_glossary_definitions_are_short_and_english() -> None:
    long = [t for t, d in zip(glossary()["term_zh"], glossary()["definition_en"], strict=True)
            if len(d.split()) > 35 or not re.search(r"[A-Za-z]{3}", d)]
    assert not long, long


# --------------------------------------------------------------------------- facts of the articles
# Written down from the articles (numbers and short terms, not sentences), so they are checked
# on a fresh clone; the ``sources`` tests below re-derive each of them from the articles' text.
DEATH_STARS = [5, 4, 3, 4, 2, 2, 4, 2]       # [Huang 2017]: death index of causes 1-8, in order
CRITERIA = ["体验性", "易满足性", "内容深度", "顾客对价值敏感", "超值", "随机可选性", "形成圈子",
            "深度说服性"]                      # [Social Selling 2014]: 史八条, in order
MASK_KEYWORDS = ["低头族", "溢价", "日常", "冲动购买", "专家", "体验"]  # the mask's six elements
STAGE_MINDSETS = ["社交思维的交易", "卖货思维（交易思维的社交）", "传销思维", "品牌商重构经销商"]
ETHICS = ["戒违规", "戒伪劣", "戒传销", "不乱市", "不囤货", "不暴利", "不刷屏", "不杀熟"]
CONNECTIONS = ["品牌连接", "产品连接", "交易连接", "服务连接", "渠道连接"]  # strong → weak
TRAITS = [("1.3.1", "深度营销"), ("1.3.2", "信任管理"), ("1.3.3", "圈层"), ("1.3.4", "直复营销"),
          ("1.3.5", "体验经济")]               # [Five Traits n.d.]: the five sections
ATOMISATION = [("社群", "共享数据", "自平台"), ("极客", "众包数据", "自组织"),
               ("粉丝", "体验数据", "自媒体"), ("用户", "行为数据", "自渠道"),
               ("顾客", "全息数据", "自品牌")]  # [Weishang 2.0 n.d.]: link, data, organisation
SYMPTOM_KEYWORDS = ["风险", "代理价", "培训", "价", "功效", "朋友圈"]  # the six 1.0 symptoms
CJK_RUN = re.compile(r"[\u4e00-\u9fff]")


# --------------------------------------------------------------------------- death index
def test_death_index_has_the_stars_of_the_article() -> None:
    data = load_dataset("death_index").sort_values("article_order")
    assert list(data["article_order"]) == list(range(1, 9))
    assert list(data["death_index"]) == DEATH_STARS


def test_death_index_causes_are_short_summaries() -> None:
    for cause in load_dataset("death_index")["cause_zh"]:
        assert len(CJK_RUN.findall(cause)) <= 14, f"{cause!r} is not a short summary"


@pytest.mark.sources
def test_death_index_stars_stand_in_the_article() -> None:
    stars = [len(s) for s in re.findall(r"【死亡指数】\s*(★+)", seed("001"))]
    assert stars == DEATH_STARS, f"the article's death-index lines give {stars}"


@pytest.mark.sources
def test_death_index_causes_are_not_copied() -> None:
    fid = fidelity()
    for cause in load_dataset("death_index")["cause_zh"]:
        hanzi = "".join(fid.CJK.findall(squeeze(cause)))
        for start in range(max(0, len(hanzi) - 7)):
            run = hanzi[start:start + 8]
            assert run not in squeeze(seed("001")), f"{cause!r} copies {run!r} from [Huang 2017]"


# --------------------------------------------------------------------------- from the articles
def test_product_criteria_are_the_eight_criteria() -> None:
    data = load_dataset("product_criteria").sort_values("order")
    assert list(data["order"]) == list(range(1, 9))
    assert list(data["term_zh"]) == CRITERIA


def test_mask_elements_are_the_six_elements() -> None:
    data = load_dataset("mask_elements").sort_values("order")
    assert list(data["order"]) == list(range(1, 7))
    for element, keyword in zip(data["element_zh"], MASK_KEYWORDS, strict=True):
        assert keyword in element, (element, keyword)


def test_stages_are_the_four_stages() -> None:
    data = load_dataset("stages").sort_values("stage")
    assert list(data["stage"]) == [1, 2, 3, 4]
    assert list(data["mindset_zh"]) == STAGE_MINDSETS


def test_ethics_commitments_are_the_eight_commitments() -> None:
    data = load_dataset("ethics_commitments").sort_values("order")
    assert list(data["term_zh"]) == ETHICS
    assert list(data["kind_zh"]) == [term[0] for term in ETHICS]
    assert all(q.strip().endswith("?") for q in data["check_question_en"])


def test_constant_connections_run_strong_to_weak() -> None:
    data = load_dataset("constant_connections").sort_values("strength_rank")
    assert list(data["term_zh"]) == CONNECTIONS
    # the lecture: distributors open channel and service first, brands then trade, then the rest
    phases = dict(zip(data["connection_id"], data["build_phase"], strict=True))
    assert phases["channel"] == phases["service"] < phases["transaction"] < phases["brand"]


def test_characteristics_are_the_five_traits() -> None:
    data = load_dataset("characteristics").sort_values("order")
    assert list(zip(data["section"], data["term_zh"], strict=True)) == TRAITS


def test_atomisation_is_the_five_links_table() -> None:
    data = load_dataset("atomisation").sort_values("order")
    rows = list(zip(data["link_zh"], data["data_zh"], data["organisation_zh"], strict=True))
    assert rows == ATOMISATION


def test_symptoms_are_the_six_symptoms() -> None:
    data = load_dataset("symptoms_1_0").sort_values("order")
    assert list(data["order"]) == list(range(1, 7))
    for symptom, keyword in zip(data["symptom_zh"], SYMPTOM_KEYWORDS, strict=True):
        assert keyword in symptom, (symptom, keyword)


# ----------------------------------------------- the facts above, re-derived from the articles
def numbered_items(text: str, start_marker: str, count: int) -> list[str]:
    """The ``count`` items "1、…" (or "1.…") that follow ``start_marker`` in ``text``."""
    tail = text[text.index(start_marker):]
    items = []
    for number in range(1, count + 1):
        match = re.search(rf"(?m)^\s*{number}[、.](.+)$", tail)
        assert match, f"item {number} not found after {start_marker!r}"
        items.append(match.group(1))
        tail = tail[match.end():]
    return items


@pytest.mark.sources
def test_criteria_stand_in_the_article() -> None:
    items = numbered_items(seed("000"), "答案是以下八条", 8)
    for item, term in zip(items, CRITERIA, strict=True):
        assert is_subsequence(term, item), f"{term!r} does not match item {item!r}"


@pytest.mark.sources
def test_mask_elements_stand_in_the_article() -> None:
    items = numbered_items(seed("000"), "看面膜的产品要素", 6)
    assert "六要素" in seed("000")
    for item, keyword in zip(items, MASK_KEYWORDS, strict=True):
        assert keyword in item, (item, keyword)


@pytest.mark.sources
def test_stage_mindsets_stand_in_the_lecture() -> None:
    text = squeeze(seed("002"))
    for mindset in STAGE_MINDSETS:
        for part in re.findall(r"[\u4e00-\u9fff]{4,}", mindset):
            assert part in text, f"{part!r} is not in [Zhang 2015]"
    assert "第4阶段" in text and "第三个阶段" in text


@pytest.mark.sources
def test_ethics_list_stands_in_the_lecture() -> None:
    match = re.search(r"“(戒违规[^”]+)”", seed("002"))
    assert match, "the commitment list was not found in [Zhang 2015]"
    assert match.group(1).split("、") == ETHICS


@pytest.mark.sources
def test_connections_stand_in_the_lecture() -> None:
    match = re.search(r"从强到弱的次序恰恰是(.+?)。", seed("002"))
    assert match
    assert match.group(1).split("、") == CONNECTIONS


@pytest.mark.sources
def test_traits_are_the_sections_of_the_book() -> None:
    assert re.findall(r"(?m)^\s*(1\.3\.\d)\s+(\S+)", seed("003")) == TRAITS


def _in_order(text: str, words: list[str]) -> bool:
    positions = [text.find(w) for w in words]
    return -1 not in positions and positions == sorted(positions)


@pytest.mark.sources
def test_atomisation_stands_in_the_post() -> None:
    text = seed("004")
    match = re.search(r"原子化为5个环节[：:](.+?)。", text)
    assert match
    links, kinds, forms = (list(column) for column in zip(*ATOMISATION, strict=True))
    assert match.group(1).split("、") == links
    data_part = text[text.index("一个完整的用户画像"):]
    assert _in_order(data_part, kinds)
    sentences = data_part.split("。")
    for link, kind in zip(links, kinds, strict=True):
        assert any(link in s and kind in s for s in sentences), (link, kind)
    assert _in_order(text[text.index("微商2.0的组织体系"):], forms)


@pytest.mark.sources
def test_symptoms_stand_in_the_post() -> None:
    items = numbered_items(seed("004"), "主要有以下几点", 6)
    for item, keyword in zip(items, SYMPTOM_KEYWORDS, strict=True):
        assert keyword in item, (item, keyword)


# --------------------------------------------------------------------------- as reported
@cache
def market_section() -> str:
    """The bibliography's market-figure entries (docs/REFERENCES.md, in the repository)."""
    text = (ROOT / "docs" / "REFERENCES.md").read_text(encoding="utf-8")
    section = text[text.index("### Market figures"):]
    return section[:section.index("\n### ", 1)]


def _written(value: float) -> list[str]:
    forms = [f"{value:,.1f}", f"{value:.1f}"]
    if float(value).is_integer():
        forms += [f"{value:,.0f}", f"{value:.0f}"]
    return forms


def test_market_figures_stand_in_the_bibliography() -> None:
    section = market_section()
    data = load_dataset("market_figures")
    missing = [(r.figure_id, r.value) for r in data.itertuples()
               if not any(form in section for form in _written(r.value))]
    assert not missing, f"figures not found in docs/REFERENCES.md: {missing}"
    for reporter in ("中国互联网协会微商工作组", "中国电子商会微商专委会", "新京报", "南方周末"):
        assert data["reported_by"].str.contains(reporter).any(), reporter
        assert reporter in section


def test_market_figures_keep_conflicting_reports_side_by_side() -> None:
    data = load_dataset("market_figures")
    key = ["metric", "year", "reported_by", "publication_year"]
    assert not data.duplicated(subset=key).any(), "one row per (metric, year, reporter, issue)"
    for metric in ("practitioners", "market_size"):
        rows = data[(data["metric"] == metric) & (data["year"] == 2016)]
        assert rows["reported_by"].nunique() >= 2 and rows["value"].nunique() >= 2, metric
    units = {"market_size": {"亿元"}, "practitioners": {"万人"}}
    for metric, allowed in units.items():
        assert set(data.loc[data["metric"] == metric, "unit"]) == allowed
    shares = data[data["metric"].str.startswith(("share_", "category_"))]
    assert (shares["unit"] == "percent").all() and (shares["value"] <= 100).all()
    assert (data.loc[data["kind"] == "forecast", "year"]
            >= data.loc[data["kind"] == "forecast", "publication_year"]).all()
    assert (data["via"].str.contains("repost")).all()


def test_price_ladder_case_is_consistent_and_cited() -> None:
    data = load_dataset("price_ladder_case").set_index("quantity_id")["value"]
    assert data["entry_payment"] / data["entry_min_boxes"] == pytest.approx(
        data["entry_unit_price"], abs=0.5)
    assert data["upper_payment"] / data["upper_boxes"] == pytest.approx(
        data["upper_unit_price"], abs=0.5)
    assert data["upper_unit_price"] < data["entry_unit_price"] < data["retail_price"]
    assert 0 < data["recruit_bonus"] < 100
    section = entry("新华视点 2018")
    for quantity, form in (("entry_payment", "2,000元"), ("entry_min_boxes", "50 boxes"),
                           ("entry_unit_price", "40元"), ("upper_payment", "5,000元"),
                           ("upper_boxes", "150 boxes"), ("upper_unit_price", "33元"),
                           ("retail_price", "80元"), ("recruit_bonus", "30%")):
        assert form in section, (quantity, form)
        assert any(f in form for f in _written(data[quantity])), (quantity, form)


# --------------------------------------------------------------------------- chapter registry
def test_the_chapter_registry_numbers_its_notebooks_without_gaps() -> None:
    registry = chapter_registry()
    assert registry["chapter"].tolist() == list(range(len(registry)))
    notebooks = sorted(p.name for p in (ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
    assert sorted(registry["file"]) == notebooks, "chapters/ and course_map.csv differ"


@pytest.mark.parametrize(("row", "problem"), [("9,09_gap.ipynb", "without gaps"),
                                             ("8,07_twice.ipynb", "must start with")])
def test_a_broken_chapter_registry_is_rejected(row: str, problem: str, tmp_path: Path) -> None:
    shutil.copy(DATASETS / "datapackage.json", tmp_path / "datapackage.json")
    text = (DATASETS / "course_map.csv").read_text(encoding="utf-8")
    (tmp_path / "course_map.csv").write_text(text + row + ",T,标题,30,Why?,,a widget\n",
                                             encoding="utf-8")
    with pytest.raises(DatasetError, match=problem):
        chapter_registry(tmp_path)
