"""The customer-atomisation funnel: conservation, non-negative stocks, validation, 1.0 vs 2.0."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets import load_dataset
from widgets.models.atomisation_funnel import (
    DATA_TYPES_ZH,
    LINKS,
    LINKS_ZH,
    ORGANISATION_FORMS_ZH,
    SELLER_PRESETS,
    FunnelParams,
    compare_sellers,
    link_table,
    simulate_funnel,
)
from widgets.models.validation import ParameterError

rate = st.floats(0.0, 0.3)


@st.composite
def funnel_params(draw: st.DrawFn) -> FunnelParams:
    return FunnelParams(
        population=draw(st.integers(1, 50_000)),
        months=draw(st.integers(1, 48)),
        join_rate=draw(st.floats(0.0, 1.0)),
        advance=tuple(draw(rate) for _ in range(4)),
        churn=tuple(draw(rate) for _ in range(5)),
        agent_recruitment=tuple(draw(rate) for _ in range(5)),
        feedback_strength=draw(st.floats(0.0, 10.0)),
        feedback_scale=draw(st.floats(0.01, 100.0)),
        data_yield=tuple(draw(st.floats(0.0, 50.0)) for _ in range(5)),
        data_decay=draw(st.floats(0.0, 1.0)),
    )


@settings(max_examples=50, deadline=None)
@given(params=funnel_params(), seed=st.integers(0, 2**32), deterministic=st.booleans())
def test_people_are_conserved_and_nothing_goes_negative(params, seed, deterministic):
    result = simulate_funnel(params, seed=seed, deterministic=deterministic)
    totals = result.people.sum(axis=1).to_numpy()
    np.testing.assert_allclose(totals, params.population, rtol=1e-9)
    assert (result.people.to_numpy() >= -1e-9).all()
    assert (result.data.to_numpy() >= 0).all()
    assert (result.flows["people"] >= -1e-9).all()
    assert (result.multiplier >= 1.0).all()
    assert (result.multiplier <= 1.0 + params.feedback_strength + 1e-12).all()


@settings(max_examples=30, deadline=None)
@given(params=funnel_params(), seed=st.integers(0, 2**32))
def test_stochastic_counts_are_whole_people(params, seed):
    people = simulate_funnel(params, seed=seed, deterministic=False).people.to_numpy()
    np.testing.assert_allclose(people, np.rint(people))


def test_flows_add_up_to_the_final_state():
    result = simulate_funnel(SELLER_PRESETS["1.0"])
    final, flows = result.people.iloc[-1], result.flows.set_index(["source", "target"])["people"]
    assert flows.xs("left", level="target").sum() == pytest.approx(final["left"])
    assert flows.xs("agent", level="target").sum() == pytest.approx(final["agent"])
    joined = flows[("pool", "community")]
    assert final["pool"] == pytest.approx(result.params.population - joined)


def test_seeded_runs_repeat_and_differ_between_seeds():
    a = simulate_funnel(seed=7, deterministic=False).people
    b = simulate_funnel(seed=7, deterministic=False).people
    c = simulate_funnel(seed=8, deterministic=False).people
    assert a.equals(b)
    assert not a.equals(c)


def test_data_stock_follows_its_recurrence():
    params = FunnelParams(months=5)
    result = simulate_funnel(params)
    links = result.people[list(LINKS)].to_numpy()
    data = result.data.to_numpy()
    expected = (1 - params.data_decay) * data[:-1] + np.asarray(params.data_yield) * links[:-1]
    np.testing.assert_allclose(data[1:], expected)


def test_feedback_raises_conversion_and_no_feedback_keeps_it_flat():
    with_loop = simulate_funnel(FunnelParams(feedback_strength=1.0))
    without = simulate_funnel(FunnelParams(feedback_strength=0.0))
    assert (without.multiplier == 1.0).all()
    assert with_loop.multiplier.iloc[-1] > 1.0
    assert with_loop.summary["customers"] > without.summary["customers"]


def test_two_point_oh_seller_ends_with_more_customers_and_no_agents():
    runs = compare_sellers(months=24)
    assert runs["2.0"].summary["customers"] > runs["1.0"].summary["customers"]
    assert runs["2.0"].summary["agents"] == 0
    assert runs["1.0"].summary["agents"] > 0
    assert runs["1.0"].summary["final_multiplier"] == 1.0


@pytest.mark.parametrize(("change", "name"), [
    ({"join_rate": 1.5}, "join_rate"),
    ({"advance": (0.1, 0.1, 0.1)}, "advance"),
    ({"churn": (0.1, 0.1, -0.1, 0.1, 0.1)}, "churn[2]"),
    ({"months": 0}, "months"),
    ({"feedback_scale": 0.0}, "feedback_scale"),
    ({"advance": (0.6, 0.1, 0.1, 0.1), "churn": (0.5, 0.1, 0.1, 0.1, 0.1)}, "community"),
])
def test_bad_parameters_are_named(change, name):
    with pytest.raises(ParameterError, match=name.replace("[", r"\[").replace("]", r"\]")):
        simulate_funnel(FunnelParams().with_changes(**change))


def test_links_match_the_foundation_dataset():
    data = load_dataset("atomisation").sort_values("order")
    assert list(data["link_zh"]) == list(LINKS_ZH)
    assert list(data["data_zh"]) == list(DATA_TYPES_ZH)
    assert list(data["organisation_zh"]) == list(ORGANISATION_FORMS_ZH)
    assert list(link_table()["link_zh"]) == list(LINKS_ZH)
