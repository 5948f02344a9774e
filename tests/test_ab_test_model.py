"""A/B model: difference of two response rates with a confidence interval."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets.models import ab_test as ab
from widgets.models.validation import ParameterError


@st.composite
def counts(draw):
    n_a = draw(st.integers(min_value=1, max_value=5000))
    n_b = draw(st.integers(min_value=1, max_value=5000))
    return draw(st.integers(0, n_a)), n_a, draw(st.integers(0, n_b)), n_b


@settings(max_examples=60, deadline=None)
@given(c=counts(), level=st.floats(min_value=0.5, max_value=0.99))
def test_interval_is_ordered_bounded_and_widens_with_confidence(c, level):
    narrow = ab.diff_ci(*c, confidence=level)
    wide = ab.diff_ci(*c, confidence=min(level + 0.009, 0.999))
    assert -1.0 <= narrow.low <= narrow.high <= 1.0
    assert wide.low <= narrow.low + 1e-12 and wide.high >= narrow.high - 1e-12
    assert narrow.diff == pytest.approx(c[2] / c[3] - c[0] / c[1])


def test_more_data_narrows_the_interval():
    small = ab.diff_ci(10, 100, 20, 100)
    large = ab.diff_ci(100, 1000, 200, 1000)
    assert (large.high - large.low) < (small.high - small.low)


def test_wald_matches_the_textbook_formula():
    result = ab.diff_ci(30, 600, 60, 600, method="wald")
    pa, pb = 0.05, 0.10
    se = np.sqrt(pa * (1 - pa) / 600 + pb * (1 - pb) / 600)
    assert result.low == pytest.approx(0.05 - 1.959964 * se, rel=1e-5)
    assert result.high == pytest.approx(0.05 + 1.959964 * se, rel=1e-5)


def test_verdict_follows_the_interval():
    assert ab.diff_ci(10, 1000, 100, 1000).verdict == "real"
    assert ab.diff_ci(50, 1000, 52, 1000).verdict == "could be chance"


def test_coverage_is_near_nominal_in_simulation():
    rng = np.random.default_rng(7)
    hits, runs = 0, 400
    for _ in range(runs):
        x_a, x_b = rng.binomial(300, 0.05), rng.binomial(300, 0.08)
        result = ab.diff_ci(int(x_a), 300, int(x_b), 300)
        hits += result.low <= 0.03 <= result.high
    assert 0.91 <= hits / runs <= 0.99


def test_compare_posts_counts_a_table():
    frame = ab.simulate_posts(0.1, 0.3, 500, seed=1)
    result = ab.compare_posts(frame, "responded")
    by_hand = frame.groupby("post")["responded"].mean()
    assert result.rate_a == pytest.approx(by_hand["A"])
    assert result.rate_b == pytest.approx(by_hand["B"])
    assert result.verdict == "real"


def test_simulation_is_seeded():
    a = ab.simulate_posts(0.2, 0.2, 100, seed=3)
    b = ab.simulate_posts(0.2, 0.2, 100, seed=3)
    assert a.equals(b)


@pytest.mark.parametrize(("call", "name"), [
    (lambda: ab.diff_ci(5, 4, 1, 10), "successes_a"),
    (lambda: ab.diff_ci(1, 0, 1, 10), "n_a"),
    (lambda: ab.diff_ci(1, 10, 1, 10, confidence=1.0), "confidence"),
    (lambda: ab.diff_ci(1, 10, 1, 10, method="bayes"), "method"),
    (lambda: ab.simulate_posts(1.5, 0.1, 10, seed=0), "rate_a"),
])
def test_bad_parameters_raise_naming_them(call, name):
    with pytest.raises(ParameterError, match=name):
        call()


def test_compare_posts_needs_both_posts():
    frame = ab.simulate_posts(0.1, 0.1, 10, seed=0)
    with pytest.raises(ParameterError, match="exactly the posts"):
        ab.compare_posts(frame[frame.post == "A"], "responded")
