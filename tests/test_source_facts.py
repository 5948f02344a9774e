"""Facts the course once got wrong (issue 14, section 1), pinned as tests.

Each test states the corrected fact as the course now teaches it. Where the fact is a reading
of an article, a second test marked ``sources`` checks it against the article's text in the
source bundle (``tests/sources.py``); those fail, never skip, without the bundle.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import replace
from functools import cache

import nbformat
import pytest

from tests.sources import ROOT, shared_dir
from widgets import load_dataset

CHAPTERS = ROOT / "chapters"
GUIDE = ROOT / "docs" / "TRAINER_GUIDE.md"


def chapter_text(prefix: str) -> str:
    """All markdown of chapter ``prefix`` (e.g. "03"), whitespace collapsed."""
    path = next(CHAPTERS.glob(f"{prefix}_*.ipynb"))
    cells = nbformat.read(path, as_version=4).cells
    return re.sub(r"\s+", " ", "\n".join(c.source for c in cells if c.cell_type == "markdown"))


def chapter_cell(prefix: str, heading: str) -> str:
    """The markdown cell of chapter ``prefix`` that starts with ``heading``."""
    path = next(CHAPTERS.glob(f"{prefix}_*.ipynb"))
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown" and cell.source.lstrip("# ").startswith(heading):
            return re.sub(r"\s+", " ", cell.source)
    raise AssertionError(f"chapter {prefix} has no cell starting {heading!r}")


def content(chapter: str) -> dict:
    return json.loads((ROOT / "widgets" / "content" / f"{chapter}.json").read_text("utf-8"))


def guide() -> str:
    return re.sub(r"\s+", " ", GUIDE.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- source bundle
@cache
def _fidelity():
    import importlib.util

    path = shared_dir() / "tools" / "fidelity.py"
    spec = importlib.util.spec_from_file_location("shared_fidelity_facts", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@cache
def article(number: str) -> str:
    """Seed ``number`` folded to simplified, with spaces and punctuation removed."""
    fid = _fidelity()
    path = next((shared_dir() / "seeds").glob(f"{number}_*.txt"))
    return fid.CJK_PUNCT.sub("", fid.fold(path.read_text(encoding="utf-8")))


def squeezed(text: str) -> str:
    fid = _fidelity()
    return fid.CJK_PUNCT.sub("", fid.fold(text))


# --------------------------------------------------------------------------- ch03: the chain
def test_ch03_places_the_layered_chain_in_stage_2_with_entrepreneurs_as_fourth_link() -> None:
    cell = chapter_cell("03", "Stock pushed down a chain")
    assert "stage 2" in cell and "stage 3 then adds recruiting" in cell.lower()
    chain = re.search(r"\*\*brand \(品牌商\).*?consumers \(消费者\)\*\*", cell)
    assert chain, "the chain is not written out"
    links = re.findall(r"\((\w+)\)", chain.group(0))
    assert links == ["品牌商", "经销商", "代理商", "创业者", "消费者"]
    assert "small agents" not in cell
    assert "stage 2" in guide().split("## 03")[1].split("## 04")[0]


@pytest.mark.sources
def test_the_lecture_puts_the_chain_in_stage_2() -> None:
    text = article("002")
    stage2 = text.index("我们回到第2阶段")
    chain = text.index("品牌商厂商经销商代理商90后创业者社群组织消费者一层一层压货")
    assert stage2 < chain < stage2 + 300


# --------------------------------------------------------------------------- ch05: teams
def test_team_stages_quiz_marks_shared_values_as_the_real_partner() -> None:
    items = content("ch05")["quizzes"]["team_stages"]["items"]
    shared = next(i for i in items if "share values" in i["text"])
    assert shared["answer"] == "partners · 合伙人"
    founders = next(i for i in items if i["answer"].startswith("co-founders"))
    assert "sell" in founders["text"]


@pytest.mark.sources
def test_the_essay_calls_the_real_partner_a_deep_strategic_partnership() -> None:
    text = article("001")
    assert "真正的合伙人是深度的战略合作关系" in text
    founders = text[text.index("联合创始人模式"):]
    assert "你帮我做销售" in founders[:200]


def test_lifecycle_quiz_uses_the_articles_last_stage() -> None:
    options = [o["text"] for o in content("ch05")["quizzes"]["lifecycle"]["options"]]
    assert any("衰败迭代期" in o for o in options)
    assert not any("衰败期" in o for o in options)
    assert "衰败迭代期" in chapter_text("05")


@pytest.mark.sources
def test_the_article_names_decline_and_iteration() -> None:
    assert "有衰败迭代期" in article("001")


# --------------------------------------------------------------------------- ch07: death rules
def test_death_rules_describe_what_the_causes_are() -> None:
    from widgets.models.linked_business import DEATH_RULES

    supply, trainers = DEATH_RULES["supply_chain"], DEATH_RULES["trainer_shakeout"]
    assert "succeeded" in supply and "stuck" not in supply
    assert "training industry" in trainers and "recruiting bonus" not in trainers


def _sound():
    from widgets.apps.capstone import example_plans

    return example_plans(load_dataset("products"))["sound_2_0"]


def test_supply_chain_cause_needs_a_business_that_grew_big() -> None:
    from widgets.models.linked_business import (
        SUPPLY_SCALE_LIMIT,
        SUPPLY_VARIETY_LIMIT,
        simulate_business,
    )

    plan = _sound()
    narrow = plan.with_changes(scores={**plan.scores, "random_choice": SUPPLY_VARIETY_LIMIT - 1})
    result = simulate_business(narrow)
    status = result.death_causes.set_index("cause_id")["status"]
    grown = result.outcomes["consumer_units"] >= SUPPLY_SCALE_LIMIT
    assert grown, "the sound example should sell at scale, else this test proves nothing"
    assert status["supply_chain"] == "at risk"
    small = simulate_business(narrow.with_changes(market=1_000))
    assert small.outcomes["consumer_units"] < SUPPLY_SCALE_LIMIT
    assert small.death_causes.set_index("cause_id").loc["supply_chain", "status"] == "avoided"


def test_trainer_shakeout_is_not_scored_even_with_a_recruiting_bonus() -> None:
    from widgets.models.linked_business import BusinessPlan, simulate_business

    one = simulate_business(BusinessPlan(mode="1.0"))
    assert one.tier_params.recruit_bonus > 0
    assert one.death_causes.set_index("cause_id").loc["trainer_shakeout", "status"] == \
        "not scored"


def test_pass_gate_is_weighted_by_the_death_index_stars() -> None:
    from widgets.chapters.ch07 import plan_feedback
    from widgets.models.death_gate import PASS_MAX_STARS
    from widgets.models.linked_business import simulate_business

    sound = simulate_business(_sound())
    assert plan_feedback(sound).correct
    causes = load_dataset("death_index").set_index("cause_id")["death_index"]
    bragged = simulate_business(_sound().with_changes(posting={"brag_day": 60}))
    at_risk = bragged.death_causes.query("status == 'at risk'")["cause_id"]
    assert list(at_risk) == ["bragging"]          # one cause only: the old gate passed it
    assert bragged.outcomes["stars_at_risk"] == causes["bragging"] > PASS_MAX_STARS
    assert not plan_feedback(bragged).correct
    two = {**sound.outcomes, "causes_at_risk": 1, "stars_at_risk": PASS_MAX_STARS}
    assert plan_feedback(replace(sound, outcomes=two)).correct
    three = {**two, "stars_at_risk": PASS_MAX_STARS + 1}
    assert not plan_feedback(replace(sound, outcomes=three)).correct


def test_stars_at_risk_add_up_the_causes_at_risk() -> None:
    from widgets.apps.capstone import example_plans
    from widgets.models.linked_business import simulate_business

    failing = simulate_business(example_plans(load_dataset("products"))["failing_1_0"])
    table = failing.death_causes
    assert failing.outcomes["stars_at_risk"] == table.loc[table.status == "at risk",
                                                          "death_index"].sum()


# --------------------------------------------------------------------------- death_index data
def test_death_index_holds_article_order_not_a_rank() -> None:
    data = load_dataset("death_index")
    assert "rank" not in data.columns
    assert sorted(data["article_order"]) == list(range(1, 9))
    assert "heading_zh" in data.columns


def test_new_friend_warning_is_about_buying_not_selling() -> None:
    row = load_dataset("death_index").set_index("cause_id").loc["fake_goods_new_friends"]
    assert "buy" in row["cause_en"] and "selling to" not in row["cause_en"]
    assert "卖给新朋友" not in row["cause_zh"]
    assert "卖给新朋友" not in chapter_text("05") and "sold to brand-new" not in chapter_text("05")


@pytest.mark.sources
def test_death_index_headings_are_the_articles_own_words() -> None:
    text = article("001")
    data = load_dataset("death_index").sort_values("article_order")
    positions = [text.index(squeezed(h)) for h in data["heading_zh"]]
    assert positions == sorted(positions), "headings out of the article's order"
    assert "疲软期" in data.iloc[0]["heading_zh"]
    warning = text[text.index("不要在新加入的朋友那里有购物行为") - 40:]
    assert "提醒" in warning[:60]      # the article warns buyers, it does not advise selling


# --------------------------------------------------------------------------- ch02 products
def test_handbags_and_pads_are_not_labelled_failed() -> None:
    products = load_dataset("products").set_index("product_id")
    for product in ("handbag", "sanitary_pads"):
        assert products.loc[product, "article_verdict"] == "not the top category"
        assert products.loc[product, "verdict_basis"] == "source"
    for product in ("buddhist_beads", "farm_produce"):
        assert products.loc[product, "article_verdict"] == "failed"
    assert set(products["verdict_basis"]) == {"source", "course reading"}


@pytest.mark.sources
def test_the_essay_only_asks_about_handbags_and_pads() -> None:
    text = article("000")
    failed = text[text.index("卖农产品的佛珠的"):]
    assert failed.index("都失败了") < 20
    assert "为什么不是女包" in text and "为什么不是卫生巾" in text
    assert not re.search(r"女包[^。]{0,10}失败", text)


# --------------------------------------------------------------------------- ch00: no crash
def test_ch00_shows_growth_figures_instead_of_a_crash() -> None:
    text = chapter_text("00")
    assert "crash in 2017, and" not in text
    assert "market_sizes_table()" in (CHAPTERS / "00_start_here.ipynb").read_text("utf-8")
    figures = load_dataset("market_figures")
    sizes = figures[figures["metric"] == "market_size"]
    forecast_2017 = sizes.query("year == 2017 and kind == 'forecast'")["value"].max()
    reported_2016 = sizes.query("year == 2016")["value"]
    assert forecast_2017 > reported_2016.max(), "the text says 2017 was forecast larger"


def test_market_timeline_plots_every_reported_size_once() -> None:
    from widgets.chapters.ch00 import reported_sizes
    from widgets.chapters.ch05 import market_timeline

    sizes = reported_sizes().query("metric == 'market_size'")
    fig = market_timeline().children[0].children[0]
    plotted = sorted((int(x), float(y)) for trace in fig.data for x, y in zip(trace.x, trace.y,
                                                                                strict=True))
    assert plotted == sorted(zip(sizes["year"].astype(int), sizes["value"].astype(float),
                                 strict=True))
    y2016 = sizes.query("year == 2016")["value"]
    assert y2016.max() / y2016.min() > 4 / 3, "the chart's reading says 'more than a third'"


# --------------------------------------------------------------------------- ch05: Kwak, slips
def test_closest_friends_are_not_said_to_leave_first() -> None:
    for text in (chapter_text("05"), guide()):
        assert "closest first" not in text and "closest friends first" not in text
    assert "Kwak, Chun & Moon 2011" in chapter_text("05")


def test_smaller_slips_are_fixed() -> None:
    ch03, ch05 = chapter_text("03"), chapter_text("05")
    assert "共识" in ch03 and "signed up to a shared code" not in ch03
    assert "拉黑删除" in ch05 and "the only ways" not in ch05


@pytest.mark.sources
def test_consensus_and_block_delete_are_the_articles_words() -> None:
    assert "的商业伦理和共识" in article("002")
    assert "拉黑删除" in article("000")


# --------------------------------------------------------------------------- unsourced claims
def test_unsourced_statements_are_gone() -> None:
    assert "recruiting pays better than selling" not in chapter_text("03")
    assert "50–70" not in guide() and "does not sell enough" not in guide()
    explanation = json.dumps(content("ch00"), ensure_ascii=False)
    assert "(2014)" not in explanation and "2015–17" not in explanation
    for path in [*CHAPTERS.glob("*.ipynb"), *(ROOT / "widgets").rglob("*.py"), GUIDE]:
        assert "pymc-marketing" not in path.read_text(encoding="utf-8"), path
    assert "[Sultan et al. 1990]" in chapter_text("01")


# --------------------------------------------------------------------------- ch06: two "2.0"s
def test_ch06_names_the_simulators_2_0_mode_for_what_it_is() -> None:
    cell = chapter_cell("06", "1.0 against 2.0, side by side")
    assert "三流分离" in cell and "commission" in cell and "prosumer" in cell
    text = chapter_text("06")  # geeks: a creative minority that emerges from the community
    assert "creative few" in text and "come *from* the community" in text
    assert "not a stage every buyer passes through" in text


# --------------------------------------------------------------------------- next terms
@pytest.mark.sources
def test_fidelity_strict_next_passes() -> None:
    tool = shared_dir() / "tools" / "fidelity.py"
    run = subprocess.run([sys.executable, str(tool), "--root", str(ROOT), "--strict",
                          "--strict-next"], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize("term, prefix", [
    ("场景商务", "03"), ("靠谱", "01"), ("社交化生活", "01"), ("孤岛效应", "06"),
    ("反向定制", "06"), ("独享型利润", "06"), ("会销", "05"), ("爆款", "02")])
def test_next_terms_are_explained_not_just_mentioned(term: str, prefix: str) -> None:
    """Taught = named in English beside the term, inside a paragraph that explains it."""
    path = next(CHAPTERS.glob(f"{prefix}_*.ipynb"))
    paragraphs = [p for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown"
                  for p in re.split(r"\n\s*\n|\n- |\n\d\. ", c.source) if term in p]
    assert paragraphs, f"{term} is not in chapter {prefix}"
    explained = [p for p in paragraphs if len(re.findall(r"[A-Za-z]+", p)) >= 25
                 and re.search(rf"[A-Za-z]\W*\(?[^()]*{term}", p)]
    assert explained, f"{term} is mentioned but not explained in chapter {prefix}"


def test_stages_dataset_puts_the_layered_chain_in_stage_2() -> None:
    stages = load_dataset("stages").set_index("stage")["description_en"]
    assert "一层一层压货" in stages[2] and "创业者" in stages[2]
    assert "一层一层压货" not in stages[3]


# --------------------------------------------------------------------------- section 2 ideas
# (term the course attributes to an article, the article, the chapter that teaches it)
ATTRIBUTED = [
    ("场景连接", "002", "03"), ("场景关系", "002", "03"), ("资本", "002", "03"),
    ("政策", "002", "03"), ("靠谱", "000", "01"), ("社交化生活", "000", "01"),
    ("见光死", "000", "01"), ("可信度审核", "000", "01"), ("爆款单品", "001", "02"),
    ("不要幻想大单品", "000", "02"), ("会销", "001", "05"), ("三只松鼠", "001", "05"),
    ("韩都衣舍", "001", "05"), ("农特微商", "001", "05"), ("孤岛效应", "004", "06"),
    ("反向定制", "004", "06"), ("独享型利润", "004", "06"), ("情感共振", "003", "04"),
    ("支付的执行通道", "003", "04"), ("价格战", "003", "04"),
]


@pytest.mark.parametrize("term, seed_no, prefix", ATTRIBUTED)
def test_section_2_terms_are_taught_in_their_chapter(term: str, seed_no: str,
                                                       prefix: str) -> None:
    assert term in chapter_text(prefix), f"chapter {prefix} does not teach {term}"


@pytest.mark.sources
@pytest.mark.parametrize("term, seed_no, prefix", ATTRIBUTED)
def test_section_2_terms_stand_in_the_article_they_are_cited_from(term: str, seed_no: str,
                                                                   prefix: str) -> None:
    assert squeezed(term) in article(seed_no), f"{term} is not in seed {seed_no}"


@pytest.mark.sources
def test_the_lecture_warns_against_a_second_taobao_and_names_two_constraints() -> None:
    text = article("002")
    assert "不要在移动端重新打造另一个淘宝" in text
    assert "受制于2个外部条件资本和政策" in text


@pytest.mark.sources
def test_the_2_0_post_admits_data_is_not_weishangs_natural_advantage() -> None:
    text = article("004")
    assert "这显然也不是微商的天然优势" in text
    assert "not** 微商's natural advantage" in chapter_text("06")
