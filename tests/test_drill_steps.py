"""The ch01 tie-strength and ch04 groupby drills feed their chapter's model."""

from __future__ import annotations

import pandas as pd
import pytest

from widgets.apps.circles import circle_summary, load_community
from widgets.apps.retention import DEFAULTS
from widgets.apps.tie_strength import load_contacts
from widgets.chapters.ch01 import (
    break_even_share,
    half_time_with_share,
    real_friend_ids,
    word_of_mouth_through_ties,
)
from widgets.chapters.ch04 import keep_value_by_circle
from widgets.models import bass_diffusion as bass
from widgets.models.repeat_purchase import clv


def test_a_full_share_is_the_chapters_word_of_mouth_seller() -> None:
    wom = bass.SCENARIOS["word_of_mouth"]
    assert half_time_with_share(1.0) == pytest.approx(bass.time_to_share(0.5, wom.p, wom.q))
    assert half_time_with_share(0.2) > half_time_with_share(0.6)  # fewer real friends: slower


def test_the_break_even_share_ties_with_bought_traffic() -> None:
    bought = bass.SCENARIOS["wholesale"]
    share = break_even_share()
    assert 0.0 < share < 1.0
    assert half_time_with_share(share) == pytest.approx(
        bass.time_to_share(0.5, bought.p, bought.q), abs=1e-3)


def test_the_students_real_friends_set_the_share() -> None:
    contacts = load_contacts()
    friends = sorted(real_friend_ids(contacts))
    table = word_of_mouth_through_ties(pd.Series(friends)).data
    share = len(friends) / len(contacts)
    row = table[table["seller"].str.contains("your list")].iloc[0]
    assert row["q"] == pytest.approx(bass.SCENARIOS["word_of_mouth"].q * share)
    assert row["periods to half"] == pytest.approx(half_time_with_share(share))
    fewer = word_of_mouth_through_ties(friends[:5]).data
    assert fewer.iloc[2]["periods to half"] > row["periods to half"]


@pytest.mark.parametrize("answer", [None, [], "C001", pd.Series([True, False])])
def test_no_usable_answer_gets_a_note_not_an_error(answer) -> None:
    assert "answer" in word_of_mouth_through_ties(answer).value


def test_the_circles_feed_the_clv_model() -> None:
    community = load_community()
    table = keep_value_by_circle(community).data
    summary = circle_summary(community).set_index("circle")
    r, gain = DEFAULTS["retention"], DEFAULTS["retention_gain"]
    common = {"discount": DEFAULTS["discount"], "horizon": int(DEFAULTS["horizon"])}
    for circle, row in table.iterrows():
        margin = summary.loc[circle, "spend_per_member"] / 12
        expected = float(clv(r + gain, margin=margin, **common) - clv(r, margin=margin, **common))
        assert row["gain per member"] == pytest.approx(expected, abs=0.06)
        assert row["members"] == summary.loc[circle, "members"]
    assert table.index[0] == summary.index[0]  # most per member = the circle to serve first
    assert table["gain for the circle"].idxmax() == summary["total_spend"].idxmax()


def test_a_changed_community_changes_the_values() -> None:
    community = load_community()
    doubled = community.assign(avg_order_yuan=community["avg_order_yuan"] * 2)
    base = keep_value_by_circle(community).data["gain per member"]
    more = keep_value_by_circle(doubled).data["gain per member"]
    assert (more.loc[base.index] > base).all()
    assert "community" in keep_value_by_circle(None).value


def test_both_steps_show_no_english_prose_in_zh_mode() -> None:
    from tools.zh_scan import english_prose
    from widgets.apps import labels

    before = labels.get_language()
    labels.set_language("zh", remember=False)
    try:
        tables = [word_of_mouth_through_ties(sorted(real_friend_ids())),
                  keep_value_by_circle(load_community())]
        notes = [word_of_mouth_through_ties(None).value, keep_value_by_circle(None).value]
    finally:
        labels.set_language(before, remember=False)
    for table in tables:
        shown = " ".join([table.caption or "", *map(str, table.data.columns),
                          *map(str, table.data.index), str(table.data.index.name or "")])
        assert not english_prose(shown), english_prose(shown)
    assert not [run for text in notes for run in english_prose(text)]
