"""Tests for the frequency-mix model (高频 / 低频, 组合拳, 12 months × 3 products)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets import load_dataset
from widgets.models.frequency_mix import frequency_mix, season_mask
from widgets.models.validation import ParameterError

PROPS = settings(max_examples=40, deadline=None)


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return load_dataset("product_frequency").set_index("product_id")


def one(freq=1.0, basket=100.0, margin=0.5, start=1, end=12) -> pd.DataFrame:
    return pd.DataFrame({"purchases_per_month": [freq], "basket_yuan": [basket],
                         "margin_rate": [margin], "season_start": [start],
                         "season_end": [end]}, index=["x"])


def test_season_mask_handles_seasons_that_wrap_the_new_year():
    mask = season_mask([11, 3], [2, 5])
    assert np.flatnonzero(mask[0]).tolist() == [0, 1, 10, 11]
    assert np.flatnonzero(mask[1]).tolist() == [2, 3, 4]


def test_first_month_written_out_by_hand():
    result = frequency_mix(one(freq=0.5, basket=80, margin=0.25), customers=100,
                           idle_retention=0.9)
    assert result.revenue.loc["x", 1] == pytest.approx(100 * 0.5 * 80)
    assert result.margin.loc["x", 1] == pytest.approx(100 * 0.5 * 80 * 0.25)
    stay = 1 - 0.1 * math.exp(-0.5)
    assert result.monthly.loc[2, "customers"] == pytest.approx(100 * stay)
    assert result.summary["customers_end"] == pytest.approx(100 * stay ** 12)


def test_full_retention_keeps_every_customer():
    result = frequency_mix(one(freq=0.01), customers=50, idle_retention=1.0)
    np.testing.assert_allclose(result.monthly["customers"], 50)


def test_out_of_season_months_sell_nothing_and_count_as_empty():
    result = frequency_mix(one(start=6, end=8))
    assert (result.revenue.loc["x", [1, 2, 3, 4, 5, 9, 10, 11, 12]] == 0).all()
    assert result.summary["empty_months"] == 9


def test_empty_portfolio_sells_nothing(table):
    result = frequency_mix(table, [])
    assert result.summary["revenue"] == 0
    assert result.summary["empty_months"] == 12


@PROPS
@given(freq=st.floats(0, 3), extra=st.floats(0.01, 3), rho=st.floats(0, 0.99))
def test_a_high_frequency_companion_keeps_more_customers_for_the_low_frequency_item(
        freq, extra, rho):
    products = pd.concat([one(freq=freq).rename(index={"x": "nest"}),
                          one(freq=extra, basket=30).rename(index={"x": "rice"})])
    alone = frequency_mix(products, ["nest"], idle_retention=rho)
    paired = frequency_mix(products, ["nest", "rice"], idle_retention=rho)
    assert (paired.revenue.loc["nest"] >= alone.revenue.loc["nest"] - 1e-9).all()
    assert paired.summary["customers_end"] > alone.summary["customers_end"]


@PROPS
@given(rho=st.floats(0, 1), customers=st.integers(1, 5000))
def test_monthly_totals_add_up(table, rho, customers):
    result = frequency_mix(table, idle_retention=rho, customers=customers,
                           frequency_class=table["frequency_class"])
    np.testing.assert_allclose(result.monthly["revenue"], result.revenue.sum(axis=0))
    np.testing.assert_allclose(result.monthly["margin"], result.margin.sum(axis=0))
    assert (result.margin.to_numpy() <= result.revenue.to_numpy() + 1e-9).all()
    assert (np.diff(result.monthly["customers"]) <= 1e-9).all()
    assert 0 <= result.summary["low_frequency_margin_share"] <= 1


def test_the_course_data_can_fill_twelve_months_with_three_products(table):
    full = frequency_mix(table)
    assert (full.monthly["products"] >= 3).all()
    nest_only = frequency_mix(table, ["bird_nest"])
    assert nest_only.summary["thin_months"] == 12


def test_the_combination_earns_more_than_either_half(table):
    """The chapter's claim (001) holds on the illustrative data and default assumptions."""
    low = frequency_mix(table, ["bird_nest"]).summary["margin"]
    high = frequency_mix(table, ["rice", "eggs"]).summary["margin"]
    both = frequency_mix(table, ["bird_nest", "rice", "eggs"]).summary["margin"]
    assert both > low and both > high
    assert both > low + high  # the companion's retention lifts the bird's nest too


@pytest.mark.parametrize(("kwargs", "fragment"), [
    ({"products": one(margin=1.5)}, "margin_rate"),
    ({"products": one(start=13)}, "season_start"),
    ({"products": one(end=2.5)}, "season_end"),
    ({"products": one(freq=-1)}, "purchases_per_month"),
    ({"products": one(), "customers": 0}, "customers"),
    ({"products": one(), "idle_retention": 1.5}, "idle_retention"),
    ({"products": one(), "portfolio": ["y"]}, "unknown product 'y'"),
    ({"products": one(), "portfolio": ["x", "x"]}, "twice"),
    ({"products": one().drop(columns="basket_yuan")}, "basket_yuan"),
])
def test_bad_inputs_give_a_clear_error(kwargs, fragment):
    with pytest.raises(ParameterError, match=fragment):
        frequency_mix(**kwargs)
