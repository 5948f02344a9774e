"""The linked model: deterministic under a seed, and equal to the models it chains."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets import load_dataset
from widgets.models.linked_business import (
    CRITERIA,
    ETHICS_IDS,
    PURCHASE_RATE_AT_TOP,
    REPEAT_RATE_AT_TOP,
    BusinessPlan,
    example_plans,
    repeat_purchases,
    simulate_business,
)
from widgets.models.product_scorer import product_score
from widgets.models.tier_simulator import simulate_tiers
from widgets.models.trust_decay import PRESETS, simulate_trust
from widgets.models.validation import ParameterError

score = st.floats(0.0, 5.0).map(lambda x: round(x * 2) / 2)


@st.composite
def plans(draw: st.DrawFn) -> BusinessPlan:
    return BusinessPlan(
        scores={c: draw(score) for c in CRITERIA},
        posting_preset=draw(st.sampled_from(sorted(PRESETS))),
        posting={"ads_per_day": draw(st.floats(0.0, 8.0)),
                 "content_per_day": draw(st.floats(0.0, 5.0)),
                 "new_friend_share": draw(st.floats(0.0, 0.9)),
                 "brag_day": draw(st.one_of(st.none(), st.integers(1, 365)))},
        mode=draw(st.sampled_from(["1.0", "2.0"])),
        n_tiers=draw(st.integers(2, 5)),
        channel={"recruit_rate": draw(st.floats(0.0, 0.6))},
        market=draw(st.integers(2_000, 20_000)),
        pledges=tuple(draw(st.lists(st.sampled_from(ETHICS_IDS), unique=True))),
    )


def _assert_same(a, b) -> None:
    assert a.outcomes == b.outcomes
    pd.testing.assert_frame_equal(a.daily, b.daily)
    pd.testing.assert_frame_equal(a.monthly, b.monthly)
    pd.testing.assert_frame_equal(a.death_causes, b.death_causes)
    pd.testing.assert_frame_equal(a.ethics, b.ethics)


@settings(max_examples=30, deadline=None)
@given(plan=plans(), seed=st.integers(0, 2**32), deterministic=st.booleans())
def test_outputs_match_the_chained_models_called_separately(plan, seed, deterministic):
    result = simulate_business(plan, seed=seed, deterministic=deterministic)
    # 1. product scorer
    s = product_score(plan.scores)
    assert result.product_score == pytest.approx(s)
    assert result.trust_params.max_purchase_rate == pytest.approx(PURCHASE_RATE_AT_TOP * s / 5)
    assert result.repeat_rate == pytest.approx(REPEAT_RATE_AT_TOP * plan.scores["experiential"] / 5)
    # 2. trust decay with the derived params and the same seed
    trust = simulate_trust(result.trust_params, seed=seed)
    pd.testing.assert_frame_equal(trust.daily, result.trust.daily)
    np.testing.assert_allclose(result.daily["first_purchases"], trust.daily["expected_purchases"])
    for key, value in plan.posting.items():
        assert getattr(result.trust_params, key) == value
    # the demand rate is the circle's boxes a year per friend, per 1,000 people a week
    boxes = result.daily["purchases"].sum()
    assert result.demand_rate == pytest.approx(
        1000 * boxes / result.trust_params.n_friends * 7 / 365)
    # 3. tier simulator with the derived params and the same seed
    tiers = simulate_tiers(result.tier_params, plan.mode, seed=seed, deterministic=deterministic)
    assert result.tier_params.demand_rate == pytest.approx(result.demand_rate)
    assert result.tier_params.pool == plan.market
    for key in ("consumer_units", "units_shipped", "brand_revenue", "share_losing_money",
                "agents"):
        assert result.outcomes[key] == pytest.approx(tiers.summary[key], nan_ok=True)
    assert result.legal_flags == tiers.summary["legal_flags"]
    assert result.monthly["consumer_units"].sum() == tiers.summary["consumer_units"]


@settings(max_examples=15, deadline=None)
@given(plan=plans(), seed=st.integers(0, 2**32))
def test_deterministic_under_a_seed(plan, seed):
    _assert_same(simulate_business(plan, seed=seed, deterministic=False),
                 simulate_business(plan, seed=seed, deterministic=False))


def test_a_different_seed_changes_a_random_run():
    plan = BusinessPlan(posting_preset="street_stall", mode="1.0")
    a = simulate_business(plan, seed=1, deterministic=False)
    b = simulate_business(plan, seed=2, deterministic=False)
    assert a.outcomes != b.outcomes


def test_repeat_purchases_follow_trust_and_past_buyers():
    first = np.array([1.0, 2.0, 0.0, 0.0])
    trust = np.array([1.0, 0.5, 1.0, 0.0])
    repeat = repeat_purchases(first, trust, 0.3)
    np.testing.assert_allclose(repeat, 0.3 / 30 * np.array([0.0, 0.5, 3.0, 0.0]))


def test_better_product_sells_more_in_the_same_circle():
    low = BusinessPlan(scores=dict.fromkeys(CRITERIA, 1.0))
    high = BusinessPlan(scores=dict.fromkeys(CRITERIA, 5.0))
    assert (simulate_business(high).outcomes["circle_first_purchases"]
            > simulate_business(low).outcomes["circle_first_purchases"])


def test_worked_examples_fail_and_pass_where_the_rubric_says():
    plans = example_plans(load_dataset("products"))
    failing = simulate_business(plans["failing_1_0"])
    sound = simulate_business(plans["sound_2_0"])
    assert failing.outcomes["art7_triggered"] == 3
    assert failing.outcomes["causes_at_risk"] >= 6
    assert (failing.ethics.set_index("commitment_id").loc["no_pyramid", "status"] == "broken")
    assert sound.outcomes["art7_triggered"] == 0
    assert sound.outcomes["causes_at_risk"] == 0
    assert sound.outcomes["ethics_broken"] == 0
    assert sound.outcomes["consumer_units"] > failing.outcomes["consumer_units"]


def test_death_causes_follow_their_rules():
    base = BusinessPlan()
    calm = simulate_business(base).death_causes.set_index("cause_id")["status"]
    brag = simulate_business(base.with_changes(posting={"brag_day": 30})).death_causes
    assert calm["bragging"] == "avoided"
    assert brag.set_index("cause_id").loc["bragging", "status"] == "at risk"
    one = simulate_business(base.with_changes(mode="1.0")).death_causes.set_index("cause_id")
    assert one.loc["trainer_shakeout", "status"] == "not scored"
    order = load_dataset("death_index").sort_values("article_order")["cause_id"]
    assert list(one.index) == list(order)
    causes = load_dataset("death_index").set_index("cause_id")
    assert (one["death_index"] == causes.loc[one.index, "death_index"]).all()
    assert (one["cause_zh"] == causes.loc[one.index, "cause_zh"]).all()
    assert (one["cause_en"] == causes.loc[one.index, "cause_en"]).all()


@pytest.mark.parametrize(("changes", "name"), [
    ({"scores": {"experiential": 3}}, "scores"),
    ({"scores": {**dict.fromkeys(CRITERIA, 3.0), "persuasive": 7}}, "persuasive"),
    ({"posting_preset": "shop"}, "posting_preset"),
    ({"posting": {"max_purchase_rate": 0.5}}, "posting"),
    ({"channel": {"demand_rate": 5}}, "channel"),
    ({"mode": "3.0"}, "mode"),
    ({"market": 0}, "market"),
    ({"pledges": ("be_nice",)}, "pledges"),
    ({"posting": {"ads_per_day": 50}}, "ads_per_day"),
])
def test_bad_plans_are_refused_with_the_parameter_named(changes, name):
    with pytest.raises(ParameterError, match=name):
        simulate_business(BusinessPlan().with_changes(**changes))
