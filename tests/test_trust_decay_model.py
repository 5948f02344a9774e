"""Trust-decay model: equations, a plain-Python reference, validation and Hypothesis properties."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets.models.trust_decay import (
    LAYER_ATTENTION,
    LAYER_CUMULATIVE,
    LAYER_PRIOR_STRENGTH,
    LAYER_PRIOR_TRUST,
    LAYERS,
    NEW_FRIEND_STRENGTH,
    PARAMETER_SOURCES,
    PRESETS,
    TIE_STRENGTH,
    TrustParams,
    TrustResult,
    day_half_muted,
    range_factor,
    simulate_trust,
    trust_column,
)
from widgets.models.validation import ParameterError

TRUST_COLUMNS = [trust_column(layer) for layer in LAYERS]
QUIET = {"mute_intercept": -30.0, "block_intercept": -30.0}  # hazards ≈ 0


def reference(p: TrustParams, seed: int) -> pd.DataFrame:
    """Friend by friend, day by day: the recursion of the docstring in plain Python."""
    rng = np.random.default_rng(seed)
    n = p.n_friends
    mute_clock, block_clock = rng.exponential(size=n), rng.exponential(size=n)
    sizes = np.diff(np.r_[0, LAYER_CUMULATIVE, n])
    layer = [j for j, size in enumerate(sizes) for _ in range(size)]
    n_new = round(p.new_friend_share * sizes[-1])
    new = [i >= n - n_new for i in range(n)]
    buyer = list(rng.random(n) < p.fake_goods_buyer_share) if p.fake_goods_day else [False] * n
    total_attention = sum(LAYER_ATTENTION[j] for j in layer)
    alpha, beta, reads, blocked = [], [], [True] * n, [False] * n
    for i in range(n):
        prior = p.new_friend_prior if new[i] else LAYER_PRIOR_TRUST[layer[i]]
        strength = NEW_FRIEND_STRENGTH if new[i] else LAYER_PRIOR_STRENGTH[layer[i]]
        alpha.append(prior * strength)
        beta.append((1 - prior) * strength)
    mute_cum, block_cum = [0.0] * n, [0.0] * n
    rows = []
    for day in range(1, p.days + 1):
        purchases = reach = 0.0
        for i in range(n):
            a = LAYER_ATTENTION[layer[i]]
            good = (1 - p.junk_share) * p.content_per_day       # content worth reading
            hard = p.ads_per_day + p.junk_share * p.content_per_day  # ads and junk posts
            gain = (a * p.content_gain * good
                    + p.interaction_gain * p.interactions_per_day * a / total_attention)
            excess = max(0.0, p.ads_per_day + p.content_per_day - p.burst_free_posts)
            loss = a * p.ad_loss * (p.asymmetry * hard + p.burst_penalty * excess)
            shield = p.tie_protection * TIE_STRENGTH[layer[i]]
            full_range = (1 - math.exp(-p.products_in_range / p.range_scale)) / (
                1 - math.exp(-36 / p.range_scale))
            if day == p.brag_day:
                loss += p.brag_jump * a
            if day == p.fake_goods_day:
                loss += p.fake_goods_jump * (1.0 if buyer[i] else p.fake_goods_spill * a)
            alpha[i] = p.forgetting * alpha[i] + (gain if reads[i] else 0.0)
            beta[i] = p.forgetting * beta[i] + loss
            trust = alpha[i] / (alpha[i] + beta[i])
            if reads[i]:
                offers = a * (p.ads_per_day + p.soft_sell * good)
                purchases += (p.max_purchase_rate * full_range * trust**p.trust_power
                              * (1 - math.exp(-offers)))
                reach += a
                seen = 1 - math.exp(-a * (p.ads_per_day + p.content_per_day))
                for cum, c0, slope, ads_slope in (
                        (mute_cum, p.mute_intercept, p.mute_trust_slope, p.mute_ads_slope),
                        (block_cum, p.block_intercept, p.block_trust_slope, p.block_ads_slope)):
                    z = c0 + slope * (1 - trust) + ads_slope * hard - shield
                    cum[i] += -math.log1p(-seen / (1 + math.exp(-z)))
                mutes, blocks = mute_cum[i] >= mute_clock[i], block_cum[i] >= block_clock[i]
                if mutes or blocks:
                    reads[i] = False
                    blocked[i] = blocks  # both on one day counts as a block
        trusts = [alpha[i] / (alpha[i] + beta[i]) for i in range(n)]
        row = {trust_column(name): np.mean([t for t, j in zip(trusts, layer, strict=True)
                                            if j == k]) for k, name in enumerate(LAYERS)}
        row.update(share_muted=1 - sum(reads) / n, share_blocked=sum(blocked) / n, reach=reach,
                   expected_purchases=purchases)
        rows.append(row)
    return pd.DataFrame(rows, index=pd.RangeIndex(1, p.days + 1, name="day"))


@pytest.mark.parametrize("plan", [
    {},
    {"ads_per_day": 4.0, "content_per_day": 0.0, "brag_day": 5, "fake_goods_day": 9},
    {"ads_per_day": 0.5, "content_per_day": 4.0, "interactions_per_day": 40, "forgetting": 1.0},
    {"ads_per_day": 8.0, "new_friend_share": 0.9, "forgetting": 0.7, "fake_goods_day": 1},
    {"ads_per_day": 2.0, "content_per_day": 3.0, "junk_share": 0.6, "products_in_range": 3,
     "tie_protection": 4.0, "interactions_per_day": 20},
])
def test_vectorised_model_matches_the_plain_python_reference(plan: dict) -> None:
    params = TrustParams(n_friends=200, days=30, **plan)
    fast = simulate_trust(params, seed=3).daily
    slow = reference(params, seed=3)
    columns = [*TRUST_COLUMNS, "share_muted", "reach", "expected_purchases"]
    pd.testing.assert_frame_equal(fast[columns], slow[columns], check_exact=False, rtol=1e-9,
                                  atol=1e-12)


def test_reference_agrees_on_blocks_when_blocking_is_common() -> None:
    params = TrustParams(n_friends=200, days=40, ads_per_day=6.0, new_friend_share=0.9,
                         block_intercept=-6.0, fake_goods_day=3, fake_goods_buyer_share=0.5)
    fast, slow = simulate_trust(params, seed=1).daily, reference(params, seed=1)
    assert fast["share_blocked"].iloc[-1] > 0.05
    np.testing.assert_allclose(fast["share_blocked"], slow["share_blocked"], atol=1e-12)


def test_beta_update_with_forgetting_matches_the_closed_form() -> None:
    """Content only, no mutes: α_t = λ^t α₀ + g(1 − λ^t)/(1 − λ), β_t = λ^t β₀."""
    lam, content = 0.9, 2.0
    p = TrustParams(ads_per_day=0.0, content_per_day=content, interactions_per_day=0.0,
                    forgetting=lam, days=10, **QUIET)
    daily = simulate_trust(p).daily
    a, prior, n0 = LAYER_ATTENTION[0], LAYER_PRIOR_TRUST[0], LAYER_PRIOR_STRENGTH[0]
    t = np.arange(1, 11)
    alpha = lam**t * prior * n0 + a * p.content_gain * content * (1 - lam**t) / (1 - lam)
    beta = lam**t * (1 - prior) * n0
    np.testing.assert_allclose(daily[trust_column("support_5")], alpha / (alpha + beta))
    assert (daily["share_muted"] == 0).all()


def test_no_posts_and_no_forgetting_leaves_every_layer_at_its_prior() -> None:
    p = TrustParams(ads_per_day=0, content_per_day=0, interactions_per_day=0, forgetting=1.0,
                    new_friend_share=0.0, days=50)
    daily = simulate_trust(p).daily
    for layer, prior in zip(LAYERS, LAYER_PRIOR_TRUST, strict=True):
        np.testing.assert_allclose(daily[trust_column(layer)], prior)
    assert (daily["share_muted"] == 0).all(), "nobody mutes a seller who posts nothing"


def test_ads_lower_trust_and_asymmetry_makes_them_hurt_more() -> None:
    base = TrustParams(ads_per_day=1.0, **QUIET)
    final = simulate_trust(base).summary["final_trust"]["active_150"]
    harsher = simulate_trust(base.with_changes(asymmetry=6.0)).summary["final_trust"]["active_150"]
    gentler = simulate_trust(base.with_changes(ads_per_day=0.0)).summary["final_trust"][
        "active_150"]
    assert harsher < final < gentler


def test_muted_friends_stop_gaining_from_content() -> None:
    """Same plan; when everyone mutes early, content no longer lifts their trust."""
    plan = {"ads_per_day": 1.0, "content_per_day": 3.0, "interactions_per_day": 30.0}
    listening = simulate_trust(TrustParams(**plan, **QUIET)).daily
    muting = simulate_trust(TrustParams(**plan, mute_intercept=5.0)).daily
    assert muting["share_muted"].iloc[5] > 0.9
    assert (muting[TRUST_COLUMNS].iloc[-1] < listening[TRUST_COLUMNS].iloc[-1]).all()


def test_brag_event_drops_trust_that_day_and_not_before() -> None:
    base = TrustParams(days=60, **QUIET)
    plain = simulate_trust(base).daily
    bragged = simulate_trust(base.with_changes(brag_day=30)).daily
    pd.testing.assert_frame_equal(plain.loc[:29], bragged.loc[:29])
    assert (bragged.loc[30, TRUST_COLUMNS] < plain.loc[30, TRUST_COLUMNS] - 0.02).all()


def test_fake_goods_hit_buyers_hardest() -> None:
    base = TrustParams(days=20, fake_goods_day=10, **QUIET)
    none_bought = simulate_trust(base.with_changes(fake_goods_buyer_share=0.0)).daily
    all_bought = simulate_trust(base.with_changes(fake_goods_buyer_share=1.0)).daily
    assert (all_bought.loc[10, TRUST_COLUMNS] < none_bought.loc[10, TRUST_COLUMNS]).all()


def test_new_friends_start_low_and_pull_the_outer_layer_down() -> None:
    few = simulate_trust(TrustParams(new_friend_share=0.0, days=1)).daily
    many = simulate_trust(TrustParams(new_friend_share=0.9, days=1)).daily
    assert many[trust_column("outer")].iloc[0] < few[trust_column("outer")].iloc[0] - 0.1
    assert many[trust_column("active_150")].iloc[0] == few[trust_column("active_150")].iloc[0]


def test_street_stall_loses_the_circle_and_the_living_room_keeps_it() -> None:
    stall = simulate_trust(PRESETS["street_stall"]).summary
    room = simulate_trust(PRESETS["living_room"]).summary
    assert stall["day_half_muted"] is not None and room["day_half_muted"] is None
    assert stall["final_trust_all"] < room["final_trust_all"]
    assert stall["total_expected_purchases"] < room["total_expected_purchases"]
    assert stall["final_share_blocked"] > room["final_share_blocked"]


def test_result_shape_and_summary_agree_with_the_daily_table() -> None:
    result = simulate_trust(TrustParams(ads_per_day=3.0, days=200), seed=4)
    assert isinstance(result, TrustResult)
    daily, summary = result.daily, result.summary
    assert list(daily.index) == list(range(1, 201)) and daily.index.name == "day"
    for column in [*TRUST_COLUMNS, "trust_all", "share_muted", "share_blocked", "reach",
                   "expected_purchases", "cumulative_purchases"]:
        assert column in daily.columns
    assert summary["day_half_muted"] == int(daily.index[daily["share_muted"] >= 0.5][0])
    assert daily.loc[summary["day_half_muted"] - 1, "share_muted"] < 0.5
    assert summary["total_expected_purchases"] == pytest.approx(daily["expected_purchases"].sum())
    assert summary["min_trust"]["active_150"] == daily[trust_column("active_150")].min()
    assert (daily["share_blocked"] <= daily["share_muted"]).all()
    assert daily["share_muted"].is_monotonic_increasing


def test_bet_helper_uses_ads_only() -> None:
    day = day_half_muted(5.0)
    plan = TrustParams(ads_per_day=5.0, content_per_day=0.0, interactions_per_day=0.0)
    assert day == simulate_trust(plan).summary["day_half_muted"]
    assert 1 <= day <= 365
    assert day_half_muted(0.0) is None


def test_seed_reproduces_and_changes_the_draws() -> None:
    p = TrustParams(ads_per_day=2.0)
    pd.testing.assert_frame_equal(simulate_trust(p, 7).daily, simulate_trust(p, 7).daily)
    assert not simulate_trust(p, 7).daily.equals(simulate_trust(p, 8).daily)


def test_every_parameter_is_labelled_with_a_source_or_assumption() -> None:
    names = set(TrustParams.__dataclass_fields__)
    assert names == set(PARAMETER_SOURCES)
    for name, source in PARAMETER_SOURCES.items():
        assert source.strip(), name


@pytest.mark.parametrize(("field", "bad"), [
    ("n_friends", 100), ("n_friends", 20_000), ("n_friends", 500.5), ("days", 0),
    ("days", 2000), ("ads_per_day", -1), ("ads_per_day", 25), ("content_per_day", float("nan")),
    ("interactions_per_day", -0.1), ("asymmetry", 0.5), ("forgetting", 0.2),
    ("forgetting", 1.01), ("new_friend_share", 0.95), ("new_friend_prior", 0.0),
    ("fake_goods_buyer_share", 1.5), ("fake_goods_spill", -0.1), ("max_purchase_rate", 2),
    ("brag_day", 0), ("brag_day", 400), ("fake_goods_day", 366), ("burst_penalty", -1),
    ("mute_trust_slope", -1), ("ad_loss", "lots"),
])
def test_out_of_range_inputs_raise_a_clear_error(field: str, bad: object) -> None:
    with pytest.raises(ParameterError, match=field):
        TrustParams(**{field: bad})


def test_other_bad_inputs() -> None:
    with pytest.raises(ParameterError, match="params"):
        simulate_trust({"ads_per_day": 1})  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="seed"):
        simulate_trust(TrustParams(), seed=-1)
    with pytest.raises(ParameterError, match="unknown"):
        TrustParams().with_changes(ads=3)
    with pytest.raises(ParameterError, match="layer"):
        trust_column("inner")
    with pytest.raises(ParameterError, match="brag_day"):
        TrustParams(days=30).with_changes(brag_day=31)


# --- Hypothesis properties ---------------------------------------------------------------------
plans = st.fixed_dictionaries({
    "n_friends": st.integers(200, 600),
    "days": st.integers(1, 200),
    "ads_per_day": st.floats(0.0, 12.0),
    "content_per_day": st.floats(0.0, 8.0),
    "interactions_per_day": st.floats(0.0, 80.0),
    "forgetting": st.floats(0.5, 1.0),
    "asymmetry": st.floats(1.0, 10.0),
    "new_friend_share": st.floats(0.0, 0.9),
    "brag": st.none() | st.floats(0.0, 1.0),
    "fake": st.none() | st.floats(0.0, 1.0),
})


def _params(draw: dict, **changes: float) -> TrustParams:
    plan = dict(draw)
    brag, fake = plan.pop("brag"), plan.pop("fake")
    days = plan["days"]
    plan["brag_day"] = None if brag is None else 1 + int(brag * (days - 1))
    plan["fake_goods_day"] = None if fake is None else 1 + int(fake * (days - 1))
    plan.update(changes)
    return TrustParams(**plan)


@settings(max_examples=40, deadline=None)
@given(plan=plans, seed=st.integers(0, 2**32))
def test_trust_stays_in_the_unit_interval(plan: dict, seed: int) -> None:
    daily = simulate_trust(_params(plan), seed).daily
    values = daily[[*TRUST_COLUMNS, "trust_all", "share_muted", "share_blocked"]].to_numpy()
    assert np.isfinite(values).all()
    assert (values >= 0.0).all() and (values <= 1.0).all()
    assert (daily["reach"] >= 0).all() and (daily["expected_purchases"] >= 0).all()


@settings(max_examples=50, deadline=None)
@given(plan=plans, extra=st.floats(1e-6, 8.0), seed=st.integers(0, 2**32))
def test_more_ads_never_raise_trust_or_lower_the_share_muted(plan: dict, extra: float,
                                                             seed: int) -> None:
    fewer = _params(plan)
    more = fewer.with_changes(ads_per_day=min(20.0, fewer.ads_per_day + extra))
    a, b = simulate_trust(fewer, seed).daily, simulate_trust(more, seed).daily
    tolerance = 1e-12  # floating-point summation only; the model is monotone exactly
    columns = [*TRUST_COLUMNS, "trust_all"]
    assert (b[columns] <= a[columns] + tolerance).all(axis=None)
    assert (b["share_muted"] >= a["share_muted"] - tolerance).all()
    assert (b["reach"] <= a["reach"] + tolerance).all()
    fa, fb = simulate_trust(fewer, seed).summary, simulate_trust(more, seed).summary
    for layer in LAYERS:
        assert fb["final_trust"][layer] <= fa["final_trust"][layer] + tolerance


@settings(max_examples=40, deadline=None)
@given(plan=plans, seed=st.integers(0, 2**32), slope=st.floats(0.0, 5.0),
       asymmetry=st.floats(1.0, 10.0))
def test_zero_ads_means_no_mutes_from_ads(plan: dict, seed: int, slope: float,
                                          asymmetry: float) -> None:
    """With no ads, the ads' hazard slopes and asymmetry change nothing (mutes come from elsewhere).

    (``ad_loss`` still prices posts beyond the burst threshold, so it is not varied here.)
    """
    quiet = _params(plan, ads_per_day=0.0)
    other = quiet.with_changes(mute_ads_slope=slope, block_ads_slope=slope, asymmetry=asymmetry)
    pd.testing.assert_frame_equal(simulate_trust(quiet, seed).daily,
                                  simulate_trust(other, seed).daily)
    silent = quiet.with_changes(content_per_day=0.0)
    assert (simulate_trust(silent, seed).daily["share_muted"] == 0.0).all()


# --------------------------------------------------------------------------- issue 14 mechanisms


def test_junk_content_costs_trust_and_sells_less() -> None:
    """垃圾内容: the same plan with more junk never ends with more trust or sales."""
    plan = {"n_friends": 300, "days": 120, "ads_per_day": 0.5, "content_per_day": 2.0}
    results = [simulate_trust(TrustParams(junk_share=q, **plan), seed=2).summary
               for q in (0.0, 0.3, 0.8)]
    trust = [r["final_trust_all"] for r in results]
    sales = [r["total_expected_purchases"] for r in results]
    assert trust[0] > trust[1] > trust[2]
    assert sales[0] > sales[1] > sales[2]
    muted = [r["final_share_muted"] for r in results]
    assert muted[0] <= muted[1] <= muted[2]


def test_all_junk_content_is_like_posting_ads() -> None:
    """With q = 1 a content post gains nothing and costs what an ad costs (no soft selling)."""
    base = {"n_friends": 200, "days": 60, "interactions_per_day": 0.0}
    junk = simulate_trust(TrustParams(ads_per_day=1.0, content_per_day=2.0, junk_share=1.0,
                                      **base), seed=4).daily
    ads = simulate_trust(TrustParams(ads_per_day=3.0, content_per_day=0.0, burst_free_posts=3.0,
                                     **base), seed=4).daily
    pd.testing.assert_series_equal(junk["trust_all"], ads["trust_all"], rtol=1e-9)
    pd.testing.assert_series_equal(junk["share_muted"], ads["share_muted"])


def test_product_range_scales_sales_only() -> None:
    """Cause 2: a thin range sells less to the same readers; trust and muting do not change."""
    plan = {"n_friends": 300, "days": 90, "ads_per_day": 1.0}
    full = simulate_trust(TrustParams(products_in_range=36, **plan), seed=1)
    thin = simulate_trust(TrustParams(products_in_range=3, **plan), seed=1)
    ratio = thin.summary["total_expected_purchases"] / full.summary["total_expected_purchases"]
    assert ratio == pytest.approx(range_factor(3) / range_factor(36))
    assert range_factor(36) == pytest.approx(1.0) and range_factor(3) < 0.5
    pd.testing.assert_series_equal(full.daily["share_muted"], thin.daily["share_muted"])


def test_closer_ties_are_cut_less_often() -> None:
    """Kwak et al. 2011: tie strength lowers the mute and block hazards, so the same hard
    selling loses fewer friends when ties protect."""
    protected = simulate_trust(TrustParams(n_friends=500, days=60, ads_per_day=3.0,
                                           content_per_day=0.0, interactions_per_day=0.0,
                                           tie_protection=3.0), seed=0).summary
    exposed = simulate_trust(TrustParams(n_friends=500, days=60, ads_per_day=3.0,
                                         content_per_day=0.0, interactions_per_day=0.0,
                                         tie_protection=0.0), seed=0).summary
    assert protected["final_share_muted"] < exposed["final_share_muted"]


@pytest.mark.parametrize(("field", "value"), [("junk_share", 1.5), ("products_in_range", 0),
                                              ("tie_protection", -1.0), ("range_scale", 0.0)])
def test_new_parameters_are_validated(field: str, value: float) -> None:
    with pytest.raises(ParameterError, match=field):
        TrustParams(**{field: value})
