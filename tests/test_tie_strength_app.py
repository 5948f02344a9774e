"""Chapter 1 tie-strength calculator and the real-friends exercise."""

import pandas as pd
import pytest

from widgets.apps.tie_strength import build_tie_strength, load_contacts
from widgets.chapters.ch01 import check_real_friends, mark_real_friends, real_friend_ids
from widgets.models import tie_strength as ts


@pytest.fixture
def app():
    return build_tie_strength()


def test_sliders_change_strength_and_verdict(app):
    app.hours.value, app.emotion.value, app.intimacy.value, app.favours.value = 0, 1, 1, 0
    assert app.update() == 0.0
    assert "弱关系" in app.kpis.value
    app.hours.value, app.emotion.value, app.intimacy.value, app.favours.value = 20, 5, 5, 12
    assert app.strength() == pytest.approx(1.0)
    assert "强关系" in app.kpis.value


def test_contribution_bars_add_up_to_the_strength(app):
    app.hours.value, app.emotion.value = 10, 4
    total = sum(bar.x[0] for bar in app.parts_fig.data)
    assert total == pytest.approx(app.strength())
    assert len(app.parts_fig.data) == 4


def test_threshold_moves_contacts_between_strong_and_weak(app):
    def strong_count():
        return sum(sum(t.y) for t in app.list_fig.data if t.name.startswith("strong"))
    app.threshold.value = 0.3
    many = strong_count()
    app.threshold.value = 0.8
    assert strong_count() < many
    assert sum(sum(t.y) for t in app.list_fig.data) == len(load_contacts())


def test_marker_line_sits_at_this_contact(app):
    app.hours.value = 12
    assert app.list_fig.layout.shapes[0].x0 == pytest.approx(app.strength())


def _solution(contacts):
    time = (contacts.hours_per_month / 20).clip(upper=1)
    emotion = (contacts.emotional_intensity - 1) / 4
    intimacy = (contacts.intimacy - 1) / 4
    services = (contacts.favours_per_year / 12).clip(upper=1)
    strength = (time + emotion + intimacy + services) / 4
    return contacts.loc[strength >= 0.5, "contact_id"]


def test_the_notebook_solution_is_marked_right_in_several_shapes():
    contacts = load_contacts()
    ids = _solution(contacts)
    assert mark_real_friends(ids).correct
    assert mark_real_friends(list(ids)).correct
    assert mark_real_friends(contacts[contacts.contact_id.isin(ids)]).correct
    assert set(ids) == real_friend_ids()


def test_expected_answer_is_computed_from_the_data_not_typed_in():
    contacts = load_contacts().copy()
    contacts.loc[:, "hours_per_month"] = 0.0
    contacts.loc[:, "favours_per_year"] = 0
    assert real_friend_ids(contacts) != real_friend_ids()


def test_wrong_answers_get_specific_feedback():
    contacts = load_contacts()
    assert "Not yet" in mark_real_friends(None).message
    assert not mark_real_friends(contacts.contact_id).correct
    mask = pd.Series([True] * len(contacts))
    assert "True/False" in mark_real_friends(mask).message
    assert "not in the contact list" in mark_real_friends(["C999", "X"]).message
    unclipped = (contacts.hours_per_month / 20 + (contacts.emotional_intensity - 1) / 4
                 + (contacts.intimacy - 1) / 4 + contacts.favours_per_year / 12) / 4
    slip = contacts.loc[unclipped >= ts.STRONG_THRESHOLD, "contact_id"]
    assert set(slip) != real_friend_ids()  # the synthetic data is built to expose the slip
    assert "clip" in mark_real_friends(slip).message


def test_check_widget_shows_hints_after_misses():
    box = check_real_friends(None)
    assert not box.last.correct
    assert "Hint 1" in box.output.value
