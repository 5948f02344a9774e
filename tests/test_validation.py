"""The one validation path: numbers arrive as numbers, or a ParameterError names the parameter.

Each case below was reported in issue 18 as a bare numpy/Python error, a message naming the
wrong parameter, or a silent NaN.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from widgets.models import ab_test, bass_diffusion, repeat_purchase, tie_strength
from widgets.models.tier_params import TierParams
from widgets.models.trust_decay import TrustParams
from widgets.models.validation import (
    ParameterError,
    check_array_range,
    check_bool,
    check_int,
    check_names,
    check_range,
    check_seed,
)


@pytest.mark.parametrize("value", ["3", "abc", True, None, math.nan, math.inf, [3], {}])
def test_trust_params_take_numbers_only(value) -> None:
    with pytest.raises(ParameterError, match=r"ads_per_day must be .*\[0, 20\]"):
        TrustParams(ads_per_day=value)


def test_weeks_as_text_names_weeks() -> None:
    with pytest.raises(ParameterError, match=r"weeks must be a whole number in \[1, 520\], "
                                             r"got '5\.0' \(text\)"):
        TierParams(weeks="5.0")
    assert TierParams(weeks=5.0).weeks == 5  # a whole float is fine


@pytest.mark.parametrize(("value", "shown"), [("abc", "'abc' (text)"), (1e308, "1e+308"),
                                              (math.inf, "inf"), (-1, "-1")])
def test_from_ladder_names_top_price_and_shows_the_value(value, shown) -> None:
    with pytest.raises(ParameterError) as caught:
        TierParams.from_ladder(top_price=value)
    assert str(caught.value).startswith("top_price must be")
    assert str(caught.value).endswith(f"got {shown}")


def test_from_ladder_refuses_unknown_fields() -> None:
    with pytest.raises(ParameterError, match="unknown TierParams field"):
        TierParams.from_ladder(colour="red")


def test_bass_summary_with_tiny_coefficients_does_not_blame_t() -> None:
    summary = bass_diffusion.summarise(p=1e-6, q=0)
    assert summary.time_to_half == pytest.approx(math.log(2) / 1e-6)
    assert summary.bought_share_at_half == pytest.approx(1.0)
    assert all(math.isfinite(v) for v in (summary.bought_cost_to_half,
                                          summary.cost_per_adopter_to_half))


@pytest.mark.parametrize("seed", [math.nan, [1, 2], "1", -1, 1.5, True, None])
def test_a_bad_seed_names_seed(seed) -> None:
    with pytest.raises(ParameterError, match=r"^seed must be a whole number"):
        ab_test.simulate_posts(0.1, 0.2, 10, seed=seed)


def test_mismatched_lengths_name_the_parameters() -> None:
    with pytest.raises(ParameterError, match="hours_per_month, emotional_intensity, intimacy, "
                                             "favours_per_year must have matching lengths"):
        tie_strength.tie_strength([1, 2, 3], [3, 4], 3, 2)
    assert tie_strength.tie_strength([1, 2], 3, [3, 4], 2).shape == (2,)  # broadcasting is fine


@pytest.mark.parametrize("gain", [0, math.inf, math.nan, "0.1", -0.1, 1.5])
def test_break_even_rejects_a_retention_gain_that_cannot_work(gain) -> None:
    with pytest.raises(ParameterError, match=r"^retention_gain must be"):
        repeat_purchase.break_even_retention(retention_gain=gain)


def test_break_even_nan_is_only_the_documented_no_winner_case() -> None:
    assert math.isnan(repeat_purchase.break_even_retention(horizon=1))
    assert 0 <= repeat_purchase.break_even_retention() <= 0.98


def test_check_helpers() -> None:
    assert check_range("x", np.float32(0.5), 0, 1) == 0.5
    assert check_int("n", np.int64(3), 0, 5) == 3 and check_int("n", 3.0, 0, 5) == 3
    assert check_int("n", 2**70, 0, 2**80) == 2**70
    assert check_seed("seed", 2**63 - 1) == 2**63 - 1
    assert check_bool("flag", np.bool_(True)) is True
    for bad in ("1", 1, None):
        with pytest.raises(ParameterError, match=r"^flag must be True or False"):
            check_bool("flag", bad)
    with pytest.raises(ParameterError, match=r"^x must be in"):
        check_range("x", 1e308, 0, 1)
    with pytest.raises(ParameterError, match=r"^a must be a number or an evenly shaped"):
        check_array_range("a", [[1], [2, 3]], 0, 5)
    with pytest.raises(ParameterError, match=r"^a entries must be numbers"):
        check_array_range("a", ["1", "2"], 0, 5)
    with pytest.raises(ParameterError, match=r"^a entries must be numbers"):
        check_array_range("a", [True, False], 0, 5)
    with pytest.raises(ParameterError, match=r"^a needs 4 numbers"):
        check_array_range("a", [0.1, 0.2], 0, 1, size=4)
    assert check_array_range("a", [], 0, 1).size == 0


def test_check_names() -> None:
    assert check_names("off", ["b", "a"], ("a", "b", "c"), max_count=3) == ("b", "a")
    assert check_names("off", (), ("a",), max_count=1) == ()
    cases = [("a", r"^off must be a list of names"), ({"a": 1}, r"^off must be a list"),
             (["a", 1], r"^off\[1\] \(one of the names\) must be text"),
             (["a", "a"], r"^off must list distinct names"),
             (["a", "z"], r"^off must list names among \('a', 'b'\), got unknown \['z'\]"),
             (["a", "b", "a"], r"^off must list 0 to 2 names, got 3")]
    for bad, message in cases:
        with pytest.raises(ParameterError, match=message):
            check_names("off", bad, ("a", "b"), max_count=2)
    with pytest.raises(ParameterError, match=r"^m must list 1 to 6 mechanisms, got 0"):
        check_names("m", [], min_count=1, max_count=6, what="mechanisms")
