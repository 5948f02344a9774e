"""The customer-atomisation funnel: conservation, non-negative stocks, validation, the ladder
顾客 → 用户 → 粉丝 with geeks as a share of fans, and one seller with 2.0 switches."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets import load_dataset
from widgets.models.atomisation_funnel import (
    BASELINE,
    DATA_TYPES_ZH,
    LINKS_ZH,
    MECHANISM_NAMES,
    MECHANISMS_2_0,
    ORGANISATION_FORMS_ZH,
    SELLER_PRESETS,
    STAGES,
    STAGES_ZH,
    FunnelParams,
    compare_sellers,
    link_table,
    simulate_funnel,
    switch_on,
)
from widgets.models.validation import ParameterError

rate = st.floats(0.0, 0.3)


@st.composite
def funnel_params(draw: st.DrawFn) -> FunnelParams:
    return FunnelParams(
        population=draw(st.integers(1, 50_000)),
        months=draw(st.integers(1, 48)),
        join_rate=draw(st.floats(0.0, 1.0)),
        advance=tuple(draw(rate) for _ in range(2)),
        churn=tuple(draw(rate) for _ in range(3)),
        agent_recruitment=tuple(draw(rate) for _ in range(3)),
        community_retention=draw(st.floats(0.0, 1.0)),
        feedback_strength=draw(st.floats(0.0, 10.0)),
        feedback_scale=draw(st.floats(0.01, 100.0)),
        geek_share=draw(st.floats(0.0, 1.0)),
        data_yield=tuple(draw(st.floats(0.0, 50.0)) for _ in range(3)),
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
    # geeks are a share of the fans, never more than the fans
    np.testing.assert_allclose(result.geeks, params.geek_share * result.people["fan"])


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
    joined = flows[("pool", "customer")]
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
    users, fans = result.people["user"].to_numpy(), result.people["fan"].to_numpy()
    producers = np.column_stack([users, fans, params.geek_share * fans])
    data = result.data.to_numpy()
    expected = (1 - params.data_decay) * data[:-1] + np.asarray(params.data_yield) * producers[:-1]
    np.testing.assert_allclose(data[1:], expected)


def test_the_ladder_is_customer_user_fan_and_everyone_enters_as_a_customer():
    assert STAGES == ("customer", "user", "fan")
    assert STAGES_ZH == ("顾客", "用户", "粉丝")
    flows = simulate_funnel().flows
    assert set(flows.loc[flows["source"] == "pool", "target"]) == {"customer"}
    climbs = flows[flows["target"].isin(STAGES) & (flows["source"] != "pool")]
    assert list(zip(climbs["source"], climbs["target"], strict=True)) == [
        ("customer", "user"), ("user", "fan")]
    assert "geek" not in set(flows["source"]) | set(flows["target"])  # not a stage


def test_more_geeks_feed_the_loop_but_move_nobody():
    few = switch_on(["feedback"]).with_changes(geek_share=0.05)
    many = few.with_changes(geek_share=0.5)
    assert simulate_funnel(many).summary["feedback_data"] > \
        simulate_funnel(few).summary["feedback_data"]
    assert simulate_funnel(many).summary["repeat_buyers"] > \
        simulate_funnel(few).summary["repeat_buyers"]
    # without the loop, geeks' data change nothing about who buys
    no_loop = (BASELINE.with_changes(geek_share=0.05), BASELINE.with_changes(geek_share=0.5))
    assert simulate_funnel(no_loop[0]).people.equals(simulate_funnel(no_loop[1]).people)


def test_community_retention_lowers_only_users_and_fans_churn():
    kept = simulate_funnel(switch_on(["community"])).flows.set_index(["source", "target"])
    base = simulate_funnel(BASELINE).flows.set_index(["source", "target"])
    assert kept.loc[("customer", "left"), "people"] == pytest.approx(
        base.loc[("customer", "left"), "people"])
    assert kept.loc[("fan", "left"), "people"] < base.loc[("fan", "left"), "people"]


def test_feedback_raises_conversion_and_no_feedback_keeps_it_flat():
    with_loop = simulate_funnel(FunnelParams(feedback_strength=1.0))
    without = simulate_funnel(FunnelParams(feedback_strength=0.0))
    assert (without.multiplier == 1.0).all()
    assert with_loop.multiplier.iloc[-1] > 1.0
    assert with_loop.summary["repeat_buyers"] > without.summary["repeat_buyers"]


def test_the_two_sellers_differ_only_in_the_switched_mechanisms():
    one, two = SELLER_PRESETS["1.0"], SELLER_PRESETS["2.0"]
    assert one == BASELINE
    changed = {f for f in FunnelParams.__dataclass_fields__
               if f != "label" and getattr(one, f) != getattr(two, f)}
    assert changed == {k for changes in MECHANISMS_2_0.values() for k in changes}
    assert switch_on(MECHANISM_NAMES) == two
    assert switch_on([]) == BASELINE


def test_two_point_oh_seller_ends_with_more_repeat_buyers_and_no_agents():
    runs = compare_sellers(months=24)
    assert runs["2.0"].summary["repeat_buyers"] > runs["1.0"].summary["repeat_buyers"]
    assert runs["2.0"].summary["agents"] == 0
    assert runs["1.0"].summary["agents"] > 0
    assert runs["1.0"].summary["final_multiplier"] == 1.0
    # the market is the same: the same people make a first purchase
    assert runs["2.0"].summary["reached"] == pytest.approx(runs["1.0"].summary["reached"])


def test_the_baseline_is_plausible_not_mass_recruiting():
    """Defaults: a minority of the reachable market buys within two years, and far fewer
    are signed up as agents (no 全民微商)."""
    summary = simulate_funnel(BASELINE).summary
    assert summary["reached"] < 0.5 * BASELINE.population
    assert summary["agents"] < 0.05 * BASELINE.population
    assert summary["geeks"] < 0.2 * summary["fans"]


def test_switch_on_refuses_unknown_mechanisms():
    with pytest.raises(ParameterError, match=r"^mechanisms"):
        switch_on(["charisma"])


@pytest.mark.parametrize(("change", "name"), [
    ({"join_rate": 1.5}, "join_rate"),
    ({"advance": (0.1, 0.1, 0.1)}, "advance"),
    ({"churn": (0.1, 0.1, -0.1)}, "churn[2]"),
    ({"months": 0}, "months"),
    ({"feedback_scale": 0.0}, "feedback_scale"),
    ({"geek_share": 1.2}, "geek_share"),
    ({"community_retention": -0.1}, "community_retention"),
    ({"advance": (0.6, 0.1), "churn": (0.5, 0.1, 0.1)}, "customers"),
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


@settings(max_examples=40, deadline=None)
@given(months=st.integers(1, 60), join=st.floats(0.0, 0.1), churn_scale=st.floats(0.0, 2.0),
       climb_scale=st.floats(0.25, 2.0), mechanism=st.sampled_from(MECHANISM_NAMES))
def test_each_2_0_mechanism_alone_never_costs_repeat_buyers(months, join, churn_scale,
                                                            climb_scale, mechanism):
    """On any market the sliders allow, switching one mechanism on for the same seller
    keeps or adds repeat buyers, and leaves the first purchases alone."""
    market = BASELINE.with_changes(
        months=months, join_rate=join,
        churn=tuple(c * churn_scale for c in BASELINE.churn),
        advance=tuple(a * climb_scale for a in BASELINE.advance))
    off, on = simulate_funnel(market).summary, simulate_funnel(switch_on([mechanism],
                                                                         market)).summary
    assert on["repeat_buyers"] >= off["repeat_buyers"] - 1e-9
    assert on["reached"] == pytest.approx(off["reached"])
