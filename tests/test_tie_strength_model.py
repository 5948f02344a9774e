"""Tie-strength model: Granovetter's four dimensions, linear combination."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets.models import tie_strength as ts
from widgets.models.validation import ParameterError

hours = st.floats(min_value=0.0, max_value=100.0)
rating = st.floats(min_value=1.0, max_value=5.0)
favours = st.floats(min_value=0.0, max_value=50.0)


@settings(max_examples=50, deadline=None)
@given(h=hours, e=rating, c=rating, v=favours)
def test_strength_is_between_zero_and_one(h, e, c, v):
    s = ts.tie_strength(h, e, c, v)[()]
    assert 0.0 <= s <= 1.0


@settings(max_examples=50, deadline=None)
@given(h=hours, e=rating, c=rating, v=favours, dh=st.floats(min_value=0.0, max_value=10.0))
def test_more_time_never_weakens_a_tie(h, e, c, v, dh):
    assert ts.tie_strength(h + dh, e, c, v) >= ts.tie_strength(h, e, c, v) - 1e-12


def test_extremes_and_equal_weights():
    assert ts.tie_strength(0, 1, 1, 0)[()] == 0.0
    assert ts.tie_strength(ts.HOURS_CAP, 5, 5, ts.FAVOURS_CAP)[()] == pytest.approx(1.0)
    # only emotion at full: one quarter under equal weights
    assert ts.tie_strength(0, 5, 1, 0)[()] == pytest.approx(0.25)


def test_weights_pick_out_a_dimension():
    only_time = [1.0, 0.0, 0.0, 0.0]
    assert ts.tie_strength(10.0, 5, 5, 12, weights=only_time)[()] == pytest.approx(0.5)


def test_vectorised_over_contacts():
    s = ts.tie_strength([0, 20], [1, 5], [1, 5], [0, 12])
    assert np.allclose(s, [0.0, 1.0])


def test_is_strong_uses_the_threshold():
    assert list(ts.is_strong([0.49, 0.5, 0.9])) == [False, True, True]
    assert list(ts.is_strong([0.49, 0.5, 0.9], threshold=0.6)) == [False, False, True]


def test_score_contacts_keeps_raw_columns_and_adds_scores():
    contacts = pd.DataFrame({"contact_id": ["a", "b"], "hours_per_month": [20.0, 0.0],
                             "emotional_intensity": [5, 1], "intimacy": [5, 1],
                             "favours_per_year": [12, 0]})
    scored = ts.score_contacts(contacts)
    assert list(scored["emotional_intensity"]) == [5, 1]
    assert list(scored["strong"]) == [True, False]
    assert {"time_score", "emotion_score", "intimacy_score", "services_score"} <= set(scored)
    assert "strength" not in contacts.columns  # input not modified


@pytest.mark.parametrize(("args", "name"), [
    ((-1, 3, 3, 1), "hours_per_month"), ((1, 0, 3, 1), "emotional_intensity"),
    ((1, 3, 6, 1), "intimacy"), ((1, 3, 3, -2), "favours_per_year"),
])
def test_out_of_range_measures_name_the_parameter(args, name):
    with pytest.raises(ParameterError, match=name):
        ts.tie_strength(*args)


def test_bad_weights_raise():
    with pytest.raises(ParameterError, match="sum to 1"):
        ts.tie_strength(1, 3, 3, 1, weights=[0.5, 0.5, 0.5, 0.5])
    with pytest.raises(ParameterError, match="4 numbers"):
        ts.tie_strength(1, 3, 3, 1, weights=[0.5, 0.5])
    with pytest.raises(ParameterError, match="threshold"):
        ts.is_strong([0.5], threshold=2)
    with pytest.raises(ParameterError, match="lacks"):
        ts.score_contacts(pd.DataFrame({"hours_per_month": [1.0]}))
