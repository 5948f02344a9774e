"""Every public entry point of widgets.models meets bad input with a clear ParameterError.

The callables are found by introspection (each module's ``__all__``, else its public names
defined in the module): every public function and every params class (a dataclass that is
not an output: ``…Result``, ``…Summary``, ``…Comparison``, ``Analysis``, ``IntegerRules``).
A new function or params class is therefore fuzzed automatically; if it has required
parameters, add a valid call to :data:`VALID` (the test says so).

For each parameter we feed strings, bools, None, NaN, ±inf, huge numbers, wrong lengths and
shapes, and other types, one parameter at a time (a fixed sweep, then Hypothesis). Each call
must either return finite, valid output or raise ``ParameterError`` whose message names one
of the callable's own parameters. Any other exception (a bare numpy or Python error) fails.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import math
import pkgutil
from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import widgets.models
from widgets.data import load_dataset
from widgets.models.validation import ParameterError

#: Modules that are not entry points, and why.
NOT_ENTRY_POINTS = {
    "validation": "the checks themselves (tested in tests/test_validation.py)",
    "tier_engine": "the engine behind simulate_tiers: it receives a validated TierParams and "
                   "its own record types; it is fuzzed through simulate_tiers",
}
OUTPUT_SUFFIXES = ("Result", "Summary", "Comparison", "Analysis", "Rules")
#: Output fields that may be NaN or infinite by their documented meaning.
NON_FINITE_OK = {
    "low_frequency_margin_share",   # NaN when no product class was given
    "outside_revenue_share",        # NaN when nothing was sold at all
    "fake_performance_ratio",       # ∞ when boxes shipped but none bought, NaN when neither
    "share_losing_money",           # NaN with no agents in a tier
    "share_losing_money_bottom",
    "bottom_tier_losing_share",     # the same number: NaN when the run has no bottom-tier agent
    "share_losing_by_tier",
    "customer_share_of_reached",
    "change", "weight_before", "weight_at_flip",  # FlipResult: NaN when no flip is possible
    "day_half_muted",
    "break_even_retention",         # NaN when no starting retention wins (e.g. horizon 1)
}

BAD_VALUES: list[Any] = [
    "3", "abc", "", True, False, None, math.nan, math.inf, -math.inf, 1e308, -1e308, -1, 0,
    2**70, [1, 2], [[1], [2, 3]], [], {}, {"x": 1}, object(), np.array([[1.0, 2.0]]),
]


@cache
def products() -> pd.DataFrame:
    return load_dataset("products")


@cache
def small_scores() -> pd.DataFrame:
    from widgets.models.product_scorer import scores_from_table
    return scores_from_table(products()).head(5)


@cache
def behaviour_log() -> pd.DataFrame:
    return load_dataset("synthetic_behaviour_log")


def valid_calls() -> dict[str, Callable[[], dict[str, Any]]]:
    """A valid set of arguments for every callable with required parameters."""
    from widgets.models import (
        ab_test,
        bass_diffusion,
        linked_business,
        tie_strength,
        tier_params,
        trust_decay,
        user_portraits,
    )
    small_tiers = lambda: tier_params.TierParams(pool=300, weeks=8)  # noqa: E731
    pq = {"p": 0.03, "q": 0.4}
    features = lambda: user_portraits.user_tags(user_portraits.user_features(  # noqa: E731
        behaviour_log()))
    return {
        "ab_test.compare_posts": lambda: {
            "frame": ab_test.simulate_posts(0.1, 0.2, 50, seed=0), "outcome": "responded"},
        "ab_test.diff_ci": lambda: {"successes_a": 5, "n_a": 50, "successes_b": 9, "n_b": 50},
        "ab_test.simulate_posts": lambda: {"rate_a": 0.1, "rate_b": 0.2, "n_per_post": 50,
                                           "seed": 0},
        "atomisation_funnel.validate": lambda: {
            "params": importlib.import_module(
                "widgets.models.atomisation_funnel").FunnelParams()},
        "bass_diffusion.Scenario": lambda: {"key": "k", "name_en": "a", "name_zh": "b",
                                            "source": "s", **pq},
        "bass_diffusion.adoption_rate": lambda: {"t": [0, 1, 5], **pq},
        "bass_diffusion.adoption_table": lambda: dict(pq),
        "bass_diffusion.cumulative_share": lambda: {"t": [0, 1, 5], **pq},
        "bass_diffusion.external_share": lambda: {"t": [0, 1, 5], **pq},
        "bass_diffusion.faster_to_half": lambda: {
            "first": bass_diffusion.SCENARIOS["wholesale"],
            "second": bass_diffusion.SCENARIOS["word_of_mouth"]},
        "bass_diffusion.peak_time": lambda: dict(pq),
        "bass_diffusion.summarise": lambda: dict(pq),
        "bass_diffusion.time_to_share": lambda: {"share": 0.5, **pq},
        "frequency_mix.frequency_mix": lambda: {
            "products": load_dataset("product_frequency").set_index("product_id")},
        "frequency_mix.season_mask": lambda: {"start": [1, 11], "end": [12, 2]},
        "glossary.search_glossary": lambda: {"glossary": load_dataset("glossary"),
                                             "query": "wei"},
        "glossary.strip_tones": lambda: {"text": "wēishāng"},
        "linked_business.derive_tier_params": lambda: {
            "plan": linked_business.BusinessPlan(), "demand_rate": 25.0},
        "linked_business.derive_trust_params": lambda: {"plan": linked_business.BusinessPlan()},
        "linked_business.example_plans": lambda: {"products": products()},
        "linked_business.flooding": lambda: {"p": trust_decay.TrustParams()},
        "linked_business.repeat_purchases": lambda: {
            "first": np.ones(5), "trust": np.full(5, 0.5), "repeat_rate": 0.1},
        "linked_business.validate_plan": lambda: {"plan": linked_business.BusinessPlan()},
        "product_scorer.analyse": lambda: {"scores": small_scores(), "n_samples": 200},
        "product_scorer.compare_methods": lambda: {"scores": small_scores()},
        "product_scorer.flip_top_two": lambda: {"scores": small_scores()},
        "product_scorer.normalise_weights": lambda: {"weights": None},
        "product_scorer.product_score": lambda: {
            "scores": linked_business.default_scores()},
        "product_scorer.rank_stability": lambda: {"scores": small_scores(), "n_samples": 200},
        "product_scorer.sample_weights": lambda: {"n_samples": 200},
        "product_scorer.score_products": lambda: {"scores": small_scores()},
        "product_scorer.scores_from_table": lambda: {"table": products()},
        "product_scorer.topsis": lambda: {"scores": small_scores()},
        "product_scorer.validate_scores": lambda: {"scores": small_scores()},
        "repeat_purchase.acquisition_cost": lambda: {"extra_new_per_period": 10,
                                                     "cost_per_new": 30},
        "repeat_purchase.active_customers": lambda: {"new_per_period": 10, "retention": 0.5,
                                                     "horizon": 12},
        "repeat_purchase.base_value": lambda: {"new_per_period": 10, "retention": 0.5,
                                               "margin": 30},
        "repeat_purchase.clv": lambda: {"retention": 0.5, "margin": 30},
        "repeat_purchase.compare_levers": lambda: {"new_per_period": 10, "retention": 0.5,
                                                   "margin": 30},
        "tie_strength.combine": lambda: {"scores": tie_strength.dimension_scores(5, 3, 3, 2)},
        "tie_strength.dimension_scores": lambda: {
            "hours_per_month": 5, "emotional_intensity": 3, "intimacy": 3,
            "favours_per_year": 2},
        "tie_strength.is_strong": lambda: {"strength": [0.2, 0.7]},
        "tie_strength.score_contacts": lambda: {
            "contacts": load_dataset("synthetic_contacts").head(20)},
        "tie_strength.tie_strength": lambda: {
            "hours_per_month": [5, 30], "emotional_intensity": [3, 5], "intimacy": [3, 4],
            "favours_per_year": [2, 20]},
        "tier_params.TierParams": lambda: {"pool": 300, "weeks": 8},
        "tier_params.check_mode": lambda: {"mode": "1.0"},
        "tier_reference.simulate_tiers_reference": lambda: {"params": small_tiers()},
        "tier_simulator.art7_passes": lambda: {"params": small_tiers()},
        "tier_simulator.bottom_tier_losing_share": lambda: {"params": small_tiers()},
        "tier_simulator.compare_modes": lambda: {"params": small_tiers()},
        "tier_simulator.legal_flags": lambda: {"params": small_tiers(), "mode": "1.0",
                                               "outside_revenue_share": 0.5},
        "tier_simulator.params_table": lambda: {"params": small_tiers()},
        "tier_simulator.simulate_tiers": lambda: {"params": small_tiers()},
        "tier_simulator.tier_name": lambda: {"k": 1, "n_tiers": 3},
        "trust_decay.TrustParams": lambda: {"n_friends": 200, "days": 30},
        "trust_decay.day_half_muted": lambda: {"days": 60, "n_friends": 200},
        "trust_decay.simulate_trust": lambda: {
            "params": trust_decay.TrustParams(n_friends=200, days=30)},
        "trust_decay.trust_column": lambda: {"layer": "outer"},
        "user_portraits.cocreation_segment": lambda: {"portraits": features()},
        "user_portraits.segment_summary": lambda: {"portraits": features()},
        "user_portraits.user_features": lambda: {"log": behaviour_log()},
        "user_portraits.user_tags": lambda: {
            "features": user_portraits.user_features(behaviour_log())},
        "atomisation_funnel.FunnelParams": lambda: {"months": 6},
        "atomisation_funnel.simulate_funnel": lambda: {
            "params": importlib.import_module(
                "widgets.models.atomisation_funnel").FunnelParams(months=6)},
        "atomisation_funnel.compare_sellers": lambda: {"months": 6},
        "atomisation_funnel.switch_on": lambda: {"mechanisms": ["community"]},
        "linked_business.simulate_business": lambda: {},
        "atomisation_funnel.standard_feedback": lambda: {
            "params": importlib.import_module(
                "widgets.models.atomisation_funnel").FunnelParams(months=6)},
        "bass_diffusion.bass_hazard": lambda: dict(pq),
        "bass_diffusion.simulate_adoption": lambda: {
            "hazard": bass_diffusion.bass_hazard(**pq), "periods": 10},
        "decomposition.decomposition_table": lambda: {
            "outcome": lambda on: float(len(on)) ** 2, "mechanisms": ["a", "b"]},
        "decomposition.shapley": lambda: {
            "outcome": lambda on: float(len(on)) ** 2, "mechanisms": ["a", "b"]},
        "decomposition.subsets": lambda: {"mechanisms": ["a", "b"]},
        "funnel_mechanisms.seller": lambda: {"switched_to_2_0": frozenset(), "months": 6},
        "product_scorer.score_with_rule": lambda: {
            "scores": small_scores(), "rule": lambda c: sum(c.values()) / 8},
        "repeat_purchase.clv_with_rule": lambda: {
            "retention_rule": lambda age: 0.5, "margin": 30},
        "tier_mechanisms.bottom_tier_net_cash": lambda: {"params": small_tiers()},
        "tier_mechanisms.switch_off": lambda: {"params": small_tiers(), "off": ["restock_push"]},
        "tier_reference.standard_restock": lambda: {"params": small_tiers()},
        "trust_decay.range_factor": lambda: {"products": 36},
        "trust_decay.standard_evidence": lambda: {
            "params": trust_decay.TrustParams(n_friends=200, days=30)},
        "market_reports.report_weights": lambda: {
            "reports": load_dataset("market_figures"), "rule": lambda report: 1.0},
        "market_reports.weigh_reports": lambda: {
            "reports": load_dataset("market_figures"), "rule": lambda report: 1.0},
        "death_gate.death_gate": lambda: {
            "death_causes": pd.DataFrame({"death_index": [5, 2], "status": ["at risk",
                                                                            "avoided"]}),
            "gate": lambda stars: sum(stars) <= 2},
        "death_gate.gate_failures": lambda: {
            "stars": {"a": 5, "b": 2}, "gate": lambda stars: sum(stars) <= 2},
        "death_gate.gate_profile": lambda: {
            "stars": {"a": 5, "b": 2}, "gate": lambda stars: sum(stars) <= 2},
        "death_gate.course_gate": lambda: {"stars_at_risk": [2]},
        "death_gate.gate_verdict": lambda: {
            "stars_at_risk": [5, 2], "gate": lambda stars: sum(stars) <= 2},
    }


def is_params_class(obj: Any) -> bool:
    return dataclasses.is_dataclass(obj) and not obj.__name__.endswith(OUTPUT_SUFFIXES)


def entry_points() -> dict[str, Callable[..., Any]]:
    """Every public function and params class of widgets.models, keyed ``module.name``."""
    found: dict[str, Callable[..., Any]] = {}
    for info in pkgutil.iter_modules(widgets.models.__path__):
        if info.name in NOT_ENTRY_POINTS:
            continue
        module = importlib.import_module(f"widgets.models.{info.name}")
        names = getattr(module, "__all__", None) or [n for n in dir(module)
                                                     if not n.startswith("_")]
        for name in names:
            obj = getattr(module, name)
            if getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(obj) or (inspect.isclass(obj) and is_params_class(obj)):
                found[f"{info.name}.{name}"] = obj
    return found


ENTRY_POINTS = entry_points()


def parameters(func: Callable[..., Any]) -> list[inspect.Parameter]:
    return [p for p in inspect.signature(func).parameters.values()
            if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


def base_arguments(key: str) -> dict[str, Any]:
    func = ENTRY_POINTS[key]
    calls = valid_calls()
    if key in calls:
        return calls[key]()
    required = [p.name for p in parameters(func) if p.default is p.empty]
    assert not required, (f"{key} has required parameters {required}: add a valid call to "
                          "VALID in tests/test_models_fuzz.py so it is fuzzed")
    return {}


def _assert_finite(value: Any, where: str, depth: int = 0) -> None:
    if depth > 6 or where.rsplit(".", 1)[-1] in NON_FINITE_OK:
        return
    if isinstance(value, bool | np.bool_ | str | type(None)):
        return
    if isinstance(value, float | np.floating):
        assert math.isfinite(value), f"{where} = {value!r} is not finite"
    elif isinstance(value, np.ndarray):
        if value.dtype.kind in "fc":
            assert np.isfinite(value).all(), f"{where} holds NaN or infinity"
    elif isinstance(value, pd.DataFrame):
        # a table of named numbers (e.g. compare_modes' kpis, one row per KPI): the rows
        # whose name may be NaN by its documented meaning are not judged
        value = value.drop(index=[r for r in value.index if r in NON_FINITE_OK])
        for column in value.columns:
            _assert_finite(value[column], f"{where}.{column}", depth + 1)
    elif isinstance(value, pd.Series):
        if pd.api.types.is_float_dtype(value.dtype):
            assert np.isfinite(value.to_numpy(dtype=float)).all(), f"{where} holds NaN/inf"
    elif isinstance(value, dict):
        for k, v in value.items():
            _assert_finite(v, f"{where}.{k}", depth + 1)
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value[:50]):
            _assert_finite(v, f"{where}[{i}]", depth + 1)
    elif dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            if f.name not in ("params", "plan"):
                _assert_finite(getattr(value, f.name), f"{where}.{f.name}", depth + 1)


def check_call(key: str, changes: dict[str, Any]) -> None:
    """Call ``key`` with its valid arguments changed by ``changes``; judge the outcome."""
    func = ENTRY_POINTS[key]
    kwargs = {**base_arguments(key), **changes}
    names = [p.name for p in inspect.signature(func).parameters.values()]
    if dataclasses.is_dataclass(func):
        names += [f.name for f in dataclasses.fields(func)]
    try:
        result = func(**kwargs)
    except ParameterError as exc:
        message = str(exc)
        assert any(name in message for name in names), (
            f"{key}({changes!r}) raised ParameterError not naming any of {names}: {message}")
        return
    except Exception as exc:  # any other error is the failure this test looks for
        pytest.fail(f"{key}({changes!r}) raised a bare {type(exc).__name__}: {exc}")
    _assert_finite(result, key)


def test_every_entry_point_is_covered() -> None:
    """Introspection finds the functions and params classes (a smoke test of the finder)."""
    for expected in ("tier_params.TierParams", "trust_decay.TrustParams",
                     "atomisation_funnel.FunnelParams", "linked_business.BusinessPlan",
                     "bass_diffusion.summarise", "repeat_purchase.break_even_retention",
                     "tie_strength.tie_strength", "ab_test.simulate_posts"):
        assert expected in ENTRY_POINTS
    assert not any(key.endswith(OUTPUT_SUFFIXES) for key in ENTRY_POINTS)
    for key in ENTRY_POINTS:
        base_arguments(key)  # every required parameter has a valid value


@pytest.mark.parametrize("key", sorted(ENTRY_POINTS))
def test_bad_values_for_every_parameter(key: str) -> None:
    func = ENTRY_POINTS[key]
    check_call(key, {})  # the valid call itself works
    for parameter in parameters(func):
        for value in BAD_VALUES:
            check_call(key, {parameter.name: value})
    if any(p.kind is p.VAR_KEYWORD for p in inspect.signature(func).parameters.values()):
        check_call(key, {"not_a_parameter": 1})


FUZZ_VALUES = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**30, 10**30),
    st.text(max_size=4), st.booleans(), st.none(),
    st.lists(st.one_of(st.floats(), st.integers(-5, 5), st.text(max_size=2)), max_size=4),
    st.dictionaries(st.text(max_size=3), st.floats(), max_size=2))


@pytest.mark.parametrize("key", sorted(ENTRY_POINTS))
@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_hypothesis_fuzz(key: str, data: st.DataObject) -> None:
    names = [p.name for p in parameters(ENTRY_POINTS[key])]
    if not names:
        check_call(key, {})
        return
    name = data.draw(st.sampled_from(names), label="parameter")
    check_call(key, {name: data.draw(FUZZ_VALUES, label="value")})
