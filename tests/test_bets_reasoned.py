"""Bets that can be reasoned (issue 14): each reveal says why in two or three sentences, and
each bet asks for a direction, an order of magnitude or which of a few options."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from widgets.apps.bet import build_bet

CONTENT = Path(__file__).resolve().parents[1] / "widgets" / "content"
BETS = [(path.stem, bet_id, spec) for path in sorted(CONTENT.glob("ch*.json"))
        for bet_id, spec in json.loads(path.read_text(encoding="utf-8")).get("bets", {}).items()]
# abbreviations that end in a full stop without ending a sentence
_ABBREVIATIONS = re.compile(r"\b(e\.g|i\.e|etc|vs|cf|p|q)\.", re.IGNORECASE)


def sentences(text: str) -> list[str]:
    """Split an explanation into sentences (full stops, ! and ?, in English or Chinese)."""
    text = _ABBREVIATIONS.sub(lambda m: m.group(0).replace(".", "·"), text)
    text = re.sub(r"(\d)\.(\d)", r"\1·\2", text)  # decimals
    parts = re.split(r"(?<=[.!?。！？])\s*", text.strip())
    return [p for p in parts if p.strip()]


def test_sentence_splitter_counts_what_a_reader_counts() -> None:
    assert len(sentences("One. Two, e.g. this 0.5 one! Three?")) == 3
    assert len(sentences("Only one sentence with 1.5 in it.")) == 1


def test_there_are_bets() -> None:
    assert len(BETS) >= 8


@pytest.mark.parametrize(("chapter", "bet_id", "spec"), BETS,
                         ids=[f"{c}-{b}" for c, b, _ in BETS])
def test_every_reveal_says_why_in_two_or_three_sentences(chapter: str, bet_id: str,
                                                         spec: dict) -> None:
    explanation = spec.get("explanation", "")
    count = len(sentences(explanation))
    assert 2 <= count <= 3, f"{chapter}/{bet_id}: the reveal has {count} sentence(s)"


@pytest.mark.parametrize(("chapter", "bet_id", "spec"), BETS,
                         ids=[f"{c}-{b}" for c, b, _ in BETS])
def test_every_bet_can_be_reasoned(chapter: str, bet_id: str, spec: dict) -> None:
    """A choice among a few options, or a small whole count read from a table the chapter shows
    (no guessing a model number that depends on many assumptions)."""
    if spec["kind"] == "choice":
        assert 2 <= len(spec["options"]) <= 4
    else:
        assert spec["step"] == 1 and spec["max"] - spec["min"] <= 10, \
            f"{chapter}/{bet_id} asks for a model number"


def _answers() -> list[tuple[str, str, object]]:
    from widgets.chapters.ch01 import build_half_market_bet
    from widgets.chapters.ch02 import build_mask_bet
    from widgets.chapters.ch03 import build_bottom_tier_losing_bet
    from widgets.chapters.ch04 import build_retention_bet
    from widgets.chapters.ch05 import build_half_muted_bet
    from widgets.chapters.ch06 import build_agent_or_prosumer_bet, build_funnel_ratio_bet
    from widgets.chapters.ch07 import build_causes_at_risk_bet, build_channel_revenue_bet

    return [("ch02", "mask", build_mask_bet), ("ch04", "retention", build_retention_bet),
            ("ch03", "tier", build_bottom_tier_losing_bet),
            ("ch05", "trust", build_half_muted_bet),
            ("ch06", "funnel", build_funnel_ratio_bet),
            ("ch06", "prosumer", build_agent_or_prosumer_bet),
            ("ch07", "causes", build_causes_at_risk_bet),
            ("ch07", "revenue", build_channel_revenue_bet),
            ("ch01", "word", build_half_market_bet)]


def test_choice_bets_answer_with_one_of_their_options() -> None:
    for chapter, name, builder in _answers():
        bet = builder()
        if bet.kind == "choice":
            assert bet.answer() in bet.guess.options, f"{chapter} {name}: {bet.answer()!r}"


def test_build_bet_reads_every_bet() -> None:
    for chapter, bet_id, _ in BETS:
        assert build_bet(chapter, bet_id, answer=0).explanation
