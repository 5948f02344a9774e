"""docs/TRAINER_GUIDE.md and docs/zh/TRAINER_GUIDE.md state the answers the models give today.

The guide quotes each bet's answer and the exercises' key numbers. They were computed
by running the models; this test recomputes them, so a change to a model or a dataset
that moves an answer fails here until the guide is updated.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from widgets.data.chapters import chapter_registry

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "TRAINER_GUIDE.md"
GUIDE_ZH = ROOT / "docs" / "zh" / "TRAINER_GUIDE.md"
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
CHAPTERS_ZH = sorted((ROOT / "chapters" / "zh").glob("[0-9][0-9]_*.ipynb"))
# The Chinese guide names a bet's chosen option in Chinese; the option itself is computed.
ZH_OPTIONS = {
    "+10 points of retention (复购)": "留存率提高 10 个点",
    "+50 % new customers": "新客户多 50%",
    "the 2.0 prosumer": "2.0 产消者",
    "the 1.0 agent": "1.0 代理",
    "about the same": "差不多",
    "Up": "上升",
    "Down": "下降",
    "No change": "不变",
}
REGISTRY = chapter_registry()
CHAPTERS = [ROOT / "chapters" / file for file in REGISTRY["file"]]
MINUTES = dict(zip(REGISTRY["file"], REGISTRY["minutes"], strict=True))


def _section(number: str, guide: Path = GUIDE) -> str:
    """The guide's text for chapter ``number`` (from its ## heading to the next ##)."""
    text = guide.read_text(encoding="utf-8")
    match = re.search(rf"^## {number} · .*?(?=^## )", text, flags=re.MULTILINE | re.DOTALL)
    assert match, f"the trainer guide has no section for chapter {number}"
    return match.group(0)


def _compact(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_every_chapter_has_a_section_with_its_time(chapter: Path) -> None:
    import nbformat

    section = _section(chapter.name[:2])
    title = nbformat.read(chapter, as_version=4).cells[0].source
    minutes = re.search(r"\*\*Time:\*\*\s*(\d+)\s*min", title)
    assert minutes, f"{chapter.name} states no time"
    assert f"({minutes.group(1)} min)" in section.splitlines()[0], \
        f"the guide's time for {chapter.name} differs from the chapter's {minutes.group(1)} min"
    assert int(minutes.group(1)) == MINUTES[chapter.name], \
        f"{chapter.name} states {minutes.group(1)} min, the registry course_map.csv " \
        f"{MINUTES[chapter.name]} min"
    for part in ("**Timing.**", "**Talking points.**", "**Misconceptions.**", "Answer"):
        assert part in section, f"the guide's section {chapter.name[:2]} lacks {part}"


def _money(value: float) -> str:
    return f"{value:,.0f}"


def _pct(share: float) -> str:
    """A share as the guide writes it: 56 %."""
    return f"{100 * share:.0f} %"


def test_chapter_3_exercise_numbers_match_the_model() -> None:
    from widgets.apps.tier_simulator import DEFAULT_SEED
    from widgets.chapters.ch03 import art7_solution, my_scheme, restock_costs
    from widgets.models.tier_simulator import TierParams, simulate_tiers

    def run(params):
        return simulate_tiers(params, "1.0", seed=DEFAULT_SEED).summary

    section = _compact(_section("03"))
    case = run(TierParams())
    for scheme in (art7_solution(), my_scheme(recruit_bonus=0, team_commission=0, top_order=0,
                                              bottom_order=0, restock_units=0)):
        after = run(scheme)
        for phrase in (f"**{_pct(after['share_losing_money_bottom'])}**",
                       f"**{after['fake_performance_ratio']:.1f}×**",
                       f"**{_pct(after['outside_revenue_share'])}**",
                       f"**{_pct(after['brand_revenue'] / case['brand_revenue'])}**"):
            assert phrase in section, phrase
    assert f"case: {case['fake_performance_ratio']:.1f}×" in section
    costs = restock_costs(lambda age, stock, sold: max(0, 5 - stock) if age % 4 == 0 else 0)
    assert f"**{_money(costs['standard_cost'])} 元**" in section
    assert f"**{_money(costs['your_cost'])} 元**" in section
    assert f"**{_money(costs['boxes_pushed'])}**" in section


def test_chapter_5_exercise_and_misconceptions_match_the_checker() -> None:
    from widgets.chapters.ch05 import SALES_TARGET, exercise_params, mark_posting_plan
    from widgets.models.trust_decay import simulate_trust

    section = _compact(_section("05"))

    def summary(ads: float, content: float, replies: float) -> dict:
        plan = {"ads_per_day": ads, "content_per_day": content, "interactions_per_day": replies}
        return simulate_trust(exercise_params(plan)).summary

    solution, start = summary(0.5, 2.5, 40), summary(1.0, 1.0, 10)
    assert f"**{solution['min_trust']['active_150']:.2f}**" in section
    assert f"**{solution['total_expected_purchases']:.0f}**" in section
    assert f"(target {SALES_TARGET:.0f})" in section
    assert f"**{start['min_trust']['active_150']:.2f}**" in section
    assert f"**{start['total_expected_purchases']:.0f}**" in section
    # "Content alone keeps the living room" is false: no reply-free plan passes
    content_only = summary(0.0, 3.0, 0)
    assert f"sells **{content_only['total_expected_purchases']:.0f}**" in section
    assert not mark_posting_plan({"ads_per_day": 0.0, "content_per_day": 3.0,
                                  "interactions_per_day": 0}).correct
    # "You have to advertise to sell" is false: a plan with no ads passes
    no_ads = {"ads_per_day": 0.0, "content_per_day": 3.0, "interactions_per_day": 50}
    assert mark_posting_plan(no_ads).correct
    assert f"(sells **{summary(0.0, 3.0, 50)['total_expected_purchases']:.0f}**)" in section


def test_chapter_6_and_7_numbers_match_the_models() -> None:
    from widgets.apps.capstone import build_capstone
    from widgets.chapters.ch06 import median_profits
    from widgets.models.funnel_mechanisms import (
        feedback_gain_by_community,
        funnel_gap_decomposition,
    )

    six = _compact(_section("06"))
    six_zh = _compact(_section("06", GUIDE_ZH))
    profits = median_profits()
    assert f"**{profits['2.0']:+,.0f} 元**" in six
    assert f"**{profits['1.0']:+,.0f} 元**".replace("-", "−") in six
    gains = feedback_gain_by_community()
    table = funnel_gap_decomposition().set_index("mechanism")["value"]
    gap = table["(all)"] - table["(none)"]
    for guide in (six, six_zh):
        assert f"**{gains['without_community']:,.0f}**" in guide
        assert f"**{gains['with_community']:,.0f}**" in guide
        assert f"**{table['(none)']:,.0f}**" in guide and f"**{table['(all)']:,.0f}**" in guide
        for mechanism in ("recruiting", "community", "feedback"):
            assert f"**{_pct(table[mechanism] / gap)}**" in guide, mechanism
    assert f"φ **{_pct(table['feedback'] / gap)}** of the gap" in six
    seven = _compact(_section("07"))
    failing = build_capstone("failing_1_0").result.outcomes
    assert f"about **{_pct(failing['share_losing_money'])}** of its agents" in seven
    sound = build_capstone("sound_2_0").result.outcomes
    assert f"**{sound['consumer_units']:,}** boxes bought by consumers" in seven
    # presets are not arguments: the sound example signs up a plausible team, not the market
    from widgets.models.tier_params import TierParams

    assert sound["agents"] < 0.1 * TierParams().pool
    assert f"signs up **{sound['agents']:,}** prosumers out of {TierParams().pool:,}" in seven
    assert f"签下 **{sound['agents']:,}** 个 产消者" in _compact(_section("07", GUIDE_ZH))
    assert f"{TierParams().recruit_rate:g} a week" in seven


def test_model_changing_exercise_answers_match_the_checkers() -> None:
    import math

    from widgets.apps.product_scorer import course_products
    from widgets.apps.retention import DEFAULTS
    from widgets.chapters.ch05 import evidence_rule_report
    from widgets.chapters.ch06 import feedback_rule_report
    from widgets.models import bass_diffusion as bass
    from widgets.models import repeat_purchase as rp
    from widgets.models.product_scorer import CRITERIA, score_with_rule, scores_from_table

    shares = bass.simulate_adoption(lambda f: 0.01 + 0.4 * f, periods=120)
    assert f"period **{int((shares < 0.5).sum())}**" in _compact(_section("01"))
    table = scores_from_table(course_products())
    scores = score_with_rule(table, lambda c: 0.0 if min(c.values()) <= 1
                             else sum(c.values()) / len(CRITERIA))
    two = _compact(_section("02"))
    assert f"drops **{int((scores == 0).sum())}** of the {len(table)}" in two
    assert f"(**{scores['facial_mask']:.2f}**)" in two
    common = {"margin": DEFAULTS["margin"], "discount": DEFAULTS["discount"],
              "horizon": int(DEFAULTS["horizon"])}
    four = _compact(_section("04"))
    for value in (rp.clv(0.70, **common), rp.clv(0.80, **common),
                  rp.clv_with_rule(lambda k: min(0.95, 0.6 + 0.05 * k), **common)):
        assert f"**{float(value):.0f} 元**" in four
    report = evidence_rule_report(lambda a, c, j, r: (0.1 * c + 1.0 * r, 0.15 * (a + j)))
    five = _compact(_section("05"))
    assert f"day **{report['stall_half_muted']}**" in five
    assert f"never falls below **{report['room_min_trust']:.2f}**" in five
    loop = feedback_rule_report(lambda x: 1.0 + 1.0 * (1.0 - math.exp(-x / 1.0)))
    late = feedback_rule_report(lambda x: 1.0 + 1.0 * (x > 0.5))
    six = _compact(_section("06"))
    assert f"accounts for **{_pct(loop['feedback_share'])}** of the gap" in six
    assert f"only **{_pct(late['feedback_share'])}**" in six
    from widgets.chapters.ch06 import ladder_counts, reference_portraits
    from widgets.models.funnel_mechanisms import feedback_alone

    ladder = ladder_counts(reference_portraits())
    measured = feedback_alone(geek_share=ladder["geek_share"])
    assumed = feedback_alone()
    for guide in (six, _compact(_section("06", GUIDE_ZH))):
        for key in ("customers", "users", "fans", "geeks"):
            assert f"**{ladder[key]}**" in guide, key
        assert f"γ = **{_pct(ladder['geek_share'])}**" in guide
        for run in (measured, assumed):
            assert f"**{run['with_feedback'] - run['without_feedback']:,.0f}**" in guide


def test_chapter_0_and_7_rule_exercises_match_the_checkers() -> None:
    """The report-weights (ch00) and pass-gate (ch07) exercises' numbers, in both guides."""
    from widgets.chapters.ch00 import market_reports
    from widgets.chapters.ch07 import scored_stars
    from widgets.models.death_gate import course_gate, gate_failures
    from widgets.models.market_reports import weigh_reports

    kind = {"actual": 1.0, "estimate": 0.5, "forecast": 0.25}
    table = weigh_reports(market_reports(),
                          lambda r: kind[r["kind"]] * (0.5 if r["approx"] else 1.0))
    stars = scored_stars()
    solution = gate_failures(stars, lambda s: max(s, default=0) < 4 and sum(s) <= 5)
    course = gate_failures(stars, course_gate)
    for guide in (GUIDE, GUIDE_ZH):
        zero = _compact(_section("00", guide))
        assert f"**{table.loc[2016, 'estimate']:,.0f} 亿元**" in zero
        assert f"**{table.loc[2016, 'naive']:,.0f}**" in zero
        assert f"**{table.loc[2017, 'estimate']:,.0f} 亿元**" in zero
        assert f"**{table.loc[2017, 'growth'] * 100:+.0f} %**" in zero
        seven = _compact(_section("07", guide))
        assert f"**{solution['subsets']}**" in seven
        assert f"passes **{course['passing']}**" in seven or \
            f"放行 **{course['passing']}** 种" in seven
        assert f"passes **{solution['passing']}**" in seven or \
            f"放行 **{solution['passing']}** 种" in seven


def test_drill_steps_match_the_models() -> None:
    """ch01's real friends through the Bass model and ch04's circles through CLV, both guides."""
    from widgets.apps.circles import load_community
    from widgets.apps.tie_strength import load_contacts
    from widgets.chapters.ch01 import (
        MASS_ADDED,
        break_even_share,
        half_time_with_share,
        real_friend_ids,
    )
    from widgets.chapters.ch04 import keep_value_by_circle

    contacts = load_contacts()
    friends = real_friend_ids(contacts)
    named = contacts[contacts["met_via"] != MASS_ADDED]
    table = keep_value_by_circle(load_community()).data
    for guide in (GUIDE, GUIDE_ZH):
        one = _compact(_section("01", guide))
        assert f"**{half_time_with_share(len(friends) / len(contacts)):.1f}**" in one
        assert f"**{half_time_with_share(len(friends) / len(named)):.1f}**" in one
        assert f"**{_pct(break_even_share())}**" in one
        four = _compact(_section("04", guide))
        for circle in ("new_mothers", "office_workers"):
            assert f"**{table.loc[circle, 'gain per member']:.0f} 元**" in four
            assert f"**{table.loc[circle, 'gain for the circle']:,.0f} 元**" in four


@pytest.mark.parametrize("chapter", CHAPTERS_ZH, ids=[p.stem for p in CHAPTERS_ZH])
def test_every_chinese_chapter_has_a_section_with_its_time(chapter: Path) -> None:
    import nbformat

    section = _section(chapter.name[:2], GUIDE_ZH)
    title = nbformat.read(chapter, as_version=4).cells[0].source
    minutes = re.search(r"\*\*时长：\*\*\s*(\d+)\s*分钟", title)
    assert minutes, f"zh/{chapter.name} states no time"
    assert f"（{minutes.group(1)} 分钟）" in section.splitlines()[0], \
        f"the Chinese guide's time for {chapter.name} differs from the chapter's"
    for part in ("**时间分配。**", "**讲课要点。**", "**常见误解。**", "答案"):
        assert part in section, f"the Chinese guide's section {chapter.name[:2]} lacks {part}"


def _zh_option(english: str) -> str:
    """The Chinese text of a choice bet's option, from widgets/content/zh (same place)."""
    import json

    content = ROOT / "widgets" / "content"
    for path in sorted(content.glob("ch[0-9][0-9].json")):
        bets = json.loads(path.read_text(encoding="utf-8")).get("bets", {})
        chinese = json.loads((content / "zh" / path.name).read_text(encoding="utf-8"))["bets"]
        for bet_id, bet in bets.items():
            if english in bet.get("options", []):
                return chinese[bet_id]["options"][bet["options"].index(english)]
    return ZH_OPTIONS[english]


def _bet_answers() -> dict[str, object]:
    """Each chapter's bet answer and the numbers quoted beside it, computed by the models;
    ``<key>_zh`` is a chosen option as the Chinese guide names it."""
    from widgets.apps.tier_simulator import DEFAULT_SEED
    from widgets.chapters.ch00 import severe_cause_count
    from widgets.chapters.ch01 import half_market_answer
    from widgets.chapters.ch02 import mask_bet_answer
    from widgets.chapters.ch03 import bottom_tier_losing_answer
    from widgets.chapters.ch04 import retention_bet_answer, retention_break_even
    from widgets.chapters.ch05 import half_muted_answer, half_muted_day
    from widgets.chapters.ch06 import (
        agent_or_prosumer,
        funnel_customer_ratio,
        loop_community_answer,
    )
    from widgets.chapters.ch07 import causes_option, channel_revenue_direction
    from widgets.data import load_dataset
    from widgets.models.linked_business import example_plans, simulate_business
    from widgets.models.tier_simulator import bottom_tier_losing_share

    failing = example_plans(load_dataset("products"))["failing_1_0"]
    causes = simulate_business(failing).outcomes["causes_at_risk"]
    answers = {"severe": severe_cause_count(), "half_market": half_market_answer().split(" (")[0],
               "mask": mask_bet_answer(), "losing": bottom_tier_losing_answer(),
               "losing_share": 100 * bottom_tier_losing_share(seed=DEFAULT_SEED),
               "retention": retention_bet_answer().split(":")[0],
               "break_even": retention_break_even(), "half_muted": half_muted_answer(),
               "muted_day": half_muted_day(), "loop_community": loop_community_answer(),
               "channel": channel_revenue_direction(), "winner": agent_or_prosumer().lower(),
               "ratio": funnel_customer_ratio(), "causes": causes,
               "causes_option": causes_option(causes)}
    options = ("losing", "retention", "half_muted", "loop_community", "channel", "winner",
               "causes_option")
    return answers | {f"{key}_zh": _zh_option(answers[key]) for key in options}


def _exercise_answers() -> dict[str, object]:
    """The exercises' answers the guides quote, computed from the checkers' own data."""
    from widgets.apps.tie_strength import load_contacts
    from widgets.chapters.ch00 import top_cause_id
    from widgets.chapters.ch01 import mark_real_friends
    from widgets.chapters.ch02 import raise_one_point_answer
    from widgets.chapters.ch04 import order_difference, order_verdict

    contacts = load_contacts()
    strength = ((contacts.hours_per_month / 20).clip(upper=1)
                + (contacts.emotional_intensity - 1) / 4 + (contacts.intimacy - 1) / 4
                + (contacts.favours_per_year / 12).clip(upper=1)) / 4
    friends = contacts.loc[strength >= 0.5, "contact_id"]
    assert mark_real_friends(friends).correct, "the guide's recipe no longer matches the checker"
    return {"friends": len(friends), "contacts": len(contacts), "top_cause": top_cause_id(),
            "raise": raise_one_point_answer(), "difference": order_difference(),
            "verdict": order_verdict()}


# What each guide says of an answer: (chapter, English phrase, Chinese phrase), filled in
# with the computed answers; a guide's chapter section (whitespace compacted) must hold it.
BET_PHRASES = [
    ("00", "Answer: **{severe}**", "答案：**{severe}**"),
    ("01", "Answer: **{half_market}**", "答案：**{half_market}**"),
    ("02", "Answer: **{mask}**", "答案：**{mask}**"),
    ("03", "Answer: **{losing}**: **{losing_share:.1f} %**",
     "答案：**{losing_zh}**：**{losing_share:.1f} %**"),
    ("04", "**{retention}**", "**{retention_zh}**"),
    ("04", "**{break_even}**", "**{break_even}**"),
    ("05", "Answer: **{half_muted}** (day **{muted_day}** in the model)",
     "答案：**{half_muted_zh}**（模型里是第 **{muted_day}** 天）"),
    ("06", "Answer: **{loop_community}**", "答案：**{loop_community_zh}**"),
    ("06", "**{winner}**", "**{winner_zh}**"),
    ("06", "about **{ratio:.1f}×**", "大约 **{ratio:.1f}×**"),
    ("07", "Answer: **{channel}**", "答案：**{channel_zh}**"),
    ("07", "Answer: **{causes_option}**: **{causes} of 8**",
     "答案：**{causes_option_zh}**：**{causes} / 8**"),
]
EXERCISE_PHRASES = [
    ("00", '`top_cause = "{top_cause}"`', '`top_cause = "{top_cause}"`'),
    ("01", "**{friends} of the {contacts}**", "{contacts} 个联系人里有 **{friends}** 个"),
    ("02", "**{raise}**", "**{raise}**"),
    ("04", "**{difference:.4f}**", "**{difference:.4f}**"),
    ("04", '**"{verdict}"**', '**"{verdict}"**'),
]


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("kind", ["bet", "exercise"])
def test_the_guide_states_the_answers_the_models_give(kind: str, language: str) -> None:
    """Both guides (English and Chinese) quote each bet's and exercise's computed answer."""
    guide = GUIDE if language == "en" else GUIDE_ZH
    answers, phrases = ((_bet_answers(), BET_PHRASES) if kind == "bet"
                        else (_exercise_answers(), EXERCISE_PHRASES))
    missing = [(number, phrase) for number, *said in phrases
               if (phrase := said[language == "zh"].format(**answers))
               not in _compact(_section(number, guide))]
    assert not missing, f"{guide.name}: lacks (chapter, phrase) {missing}"


def test_both_guides_quote_the_same_numbers() -> None:
    """Every bold number of a chapter's English section appears in its Chinese section."""
    for number in (p.name[:2] for p in CHAPTERS):
        bold = " ".join(re.findall(r"\*\*(.+?)\*\*", _compact(_section(number))))
        english = set(re.findall(r"\d[\d,]*(?:\.\d+)?", bold))
        chinese = _compact(_section(number, GUIDE_ZH))
        missing = {n for n in english if n not in chinese}
        assert not missing, f"chapter {number}: the Chinese guide lacks {sorted(missing)}"


RUBRIC_ZH = ROOT / "docs" / "zh" / "CAPSTONE_RUBRIC.md"


def _rubric_example(name: str) -> str:
    text = RUBRIC_ZH.read_text(encoding="utf-8")
    match = re.search(rf"^### [^\n]*`{name}`.*?(?=^### |\Z)", text, flags=re.MULTILINE | re.DOTALL)
    assert match, f"the Chinese rubric has no worked example {name}"
    return match.group(0)


@pytest.mark.parametrize("name", ["failing_1_0", "sound_2_0"])
def test_chinese_rubric_states_the_models_numbers(name: str) -> None:
    from widgets.apps.capstone import example_plans, simulate_business
    from widgets.apps.formats import percent, ratio
    from widgets.data import load_dataset

    outcomes = simulate_business(example_plans(load_dataset("products"))[name]).outcomes
    section = _rubric_example(name)
    rows = {
        "有风险的死因": f"{outcomes['causes_at_risk']} / 8",
        "违背的自律承诺": f"{outcomes['ethics_broken']}",
        "触发的第七条标准": f"{outcomes['art7_triggered']} / 3",
        "消费者买走": f"{outcomes['consumer_units']:,} 盒",
        "品牌出货": f"{outcomes['units_shipped']:,} 盒",
        # the English rubric's formats (widgets/apps/formats.py), e.g. 185.8×, 93%
        "虚假业绩比": ratio(outcomes["fake_performance_ratio"]),
        "亏钱的代理": percent(outcomes["share_losing_money"]),
        "代理利润中位数": f"{outcomes['median_agent_profit']:,.0f} 元",
        "品牌收入": f"{outcomes['brand_revenue']:,.0f} 元",
        "库存积压": f"{outcomes['unsold_stock_value']:,.0f} 元",
    }
    for label, value in rows.items():
        line = next((ln for ln in section.splitlines() if ln.startswith(f"| {label}")), None)
        assert line, f"{name}: the Chinese rubric has no row {label}"
        assert line.rstrip().endswith(f"| {value} |"), f"{name} {label}: expected {value}, {line}"
def test_the_guide_has_no_section_for_an_unregistered_chapter() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    sections = re.findall(r"^## (\d{2}) · ", text, flags=re.MULTILINE)
    assert sections == [f"{n:02d}" for n in REGISTRY["chapter"]], \
        "one section per chapter of datasets/course_map.csv, in order"


def test_the_chinese_guide_lists_the_registered_chapters() -> None:
    """课程一览 has one row per chapter of the registry, with its time."""
    text = GUIDE_ZH.read_text(encoding="utf-8")
    table = text.split("## 课程一览", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (\d{2}) \| ([^|]+) \| (\d+) 分钟 \|", table, flags=re.MULTILINE)
    assert [(n, int(m)) for n, _, m in rows] == [
        (f"{r.chapter:02d}", r.minutes) for r in REGISTRY.itertuples()]
    assert [p.name for p in CHAPTERS_ZH] == list(REGISTRY["file"]), \
        "chapters/zh mirrors the registry's files (python tools/zh_chapters.py)"
