"""docs/TRAINER_GUIDE.md states the answers the models give today.

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
REGISTRY = chapter_registry()
CHAPTERS = [ROOT / "chapters" / file for file in REGISTRY["file"]]
MINUTES = dict(zip(REGISTRY["file"], REGISTRY["minutes"], strict=True))


def _section(number: str) -> str:
    """The guide's text for chapter ``number`` (from its ## heading to the next ##)."""
    text = GUIDE.read_text(encoding="utf-8")
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


def test_bet_answers_match_the_models() -> None:
    from widgets.apps.capstone import channel_revenue_direction, example_plans, simulate_business
    from widgets.apps.product_scorer import mask_bet_answer
    from widgets.apps.retention import retention_bet_answer, retention_break_even
    from widgets.apps.start_here import severe_cause_count
    from widgets.apps.tier_simulator import DEFAULT_SEED, bottom_tier_losing_share
    from widgets.apps.trust_decay import half_muted_answer
    from widgets.apps.weishang_2_0 import agent_or_prosumer, funnel_customer_ratio
    from widgets.apps.word_of_mouth import half_market_answer
    from widgets.data import load_dataset

    failing = example_plans(load_dataset("products"))["failing_1_0"]
    expected = {
        "00": f"Answer: **{severe_cause_count()}**",
        "01": f"Answer: **{half_market_answer().split(' (')[0]}**",
        "02": f"Answer: **{mask_bet_answer()}**",
        "03": f"Answer: **{100 * bottom_tier_losing_share(seed=DEFAULT_SEED):.1f} %**",
        "04": f"**{retention_bet_answer().split(':')[0]}**",
        "05": f"Answer: **{half_muted_answer()} days**",
        "06": f"about **{funnel_customer_ratio():.1f}×**",
        "07": f"Answer: **{channel_revenue_direction()}**",
    }
    for number, phrase in expected.items():
        assert phrase in _compact(_section(number)), f"chapter {number}: guide lacks {phrase!r}"
    assert f"**{retention_break_even()}**" in _section("04")
    assert f"**{agent_or_prosumer().lower()}**" in _compact(_section("06")).lower()
    causes = simulate_business(failing).outcomes["causes_at_risk"]
    assert f"Answer: **{causes} of 8**" in _section("07")


def test_exercise_answers_match_the_models() -> None:
    from widgets.apps.ab_test import order_difference, order_verdict
    from widgets.apps.product_scorer import raise_one_point_answer
    from widgets.apps.start_here import top_cause_id
    from widgets.apps.tie_strength import load_contacts, mark_real_friends

    contacts = load_contacts()
    strength = ((contacts.hours_per_month / 20).clip(upper=1)
                + (contacts.emotional_intensity - 1) / 4 + (contacts.intimacy - 1) / 4
                + (contacts.favours_per_year / 12).clip(upper=1)) / 4
    friends = contacts.loc[strength >= 0.5, "contact_id"]
    assert mark_real_friends(friends).correct, "the guide's recipe no longer matches the checker"
    assert f"**{len(friends)} of the {len(contacts)}**" in _section("01")
    assert f'`top_cause = "{top_cause_id()}"`' in _section("00")
    assert f"**{raise_one_point_answer()}**" in _section("02")
    assert f"**{order_difference():.4f}**" in _section("04")
    assert f'**"{order_verdict()}"**' in _section("04")


def test_the_guide_has_no_section_for_an_unregistered_chapter() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    sections = re.findall(r"^## (\d{2}) · ", text, flags=re.MULTILINE)
    assert sections == [f"{n:02d}" for n in REGISTRY["chapter"]], \
        "one section per chapter of datasets/course_map.csv, in order"
