"""Customer atomisation (客户原子化): people moving through five links, each yielding its data.

The post "微商2.0的需求链" [Weishang 2.0 n.d.] splits a customer into five links,
社群 → 极客 → 粉丝 → 用户 → 顾客
(community → geeks → fans → users → customers). Each link yields one kind of data
(shared, crowdsourced, experience, behaviour, holographic) and goes with one organisation
form (self-platform … self-brand). The *structure* is the article's; every rate below is the
course's **assumption**, chosen only to make the mechanism visible.

State each month ``t`` (people, conserved): the untouched pool ``P``, the five links
``n_k`` (k = 0 … 4), the people signed up as agents ``A`` and the people who left ``L``:

.. math::

    P + \\sum_k n_k + A + L = N \\quad\\text{(every month)}

Flows in month ``t`` (expected values; the stochastic version draws them with a
multinomial so counts stay whole):

.. math::

    J_t &= j\\,P_t \\qquad\\text{(pool joins the community)}\\\\
    a_{k,t} &= \\min\\bigl(a_k\\, m_t,\\; 1 - c_k - r_k\\bigr) \\qquad (k < 4,\\ a_4 = 0)\\\\
    n_{k,t+1} &= n_{k,t}(1 - a_{k,t} - c_k - r_k) + a_{k-1,t}\\, n_{k-1,t} + [k=0] J_t\\\\
    m_t &= 1 + \\varphi\\,\\bigl(1 - e^{-(D_{1,t} + D_{2,t})/(\\kappa N)}\\bigr)\\\\
    D_{k,t+1} &= (1-\\delta)\\, D_{k,t} + y_k\\, n_{k,t}

``a_k`` is the monthly share of link ``k`` that moves on to the next link, ``c_k`` the share
that leaves (mutes, unfollows, stops buying), ``r_k`` the share signed up as agents (招商,
1.0 only). ``D_k`` is the stock of link ``k``'s data (records), ``y_k`` the records one
person in link ``k`` yields per month and ``δ`` the share of a stock that goes stale each
month. The **feedback multiplier** ``m_t`` is the 2.0 co-creation loop: crowdsourced data
(``D_1``, from geeks) and experience data (``D_2``, from fans) improve the product, which
raises every conversion rate by up to the factor ``1 + φ``; ``κ`` is the number of such
records per person in the market at which ~63 % of that uplift is reached. A 1.0 seller has
``φ = 0`` (no feedback loop) and recruits agents instead (``r_k > 0``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np
import pandas as pd

from widgets.models.validation import (
    ParameterError,
    check_array_range,
    check_bool,
    check_instance,
    check_int,
    check_range,
    check_seed,
    check_text,
    unknown_names,
)

LINKS = ("community", "geek", "fan", "user", "customer")
LINKS_ZH = ("社群", "极客", "粉丝", "用户", "顾客")
DATA_TYPES = ("shared", "crowdsourced", "experience", "behaviour", "holographic")
DATA_TYPES_ZH = ("共享数据", "众包数据", "体验数据", "行为数据", "全息数据")
ORGANISATION_FORMS = ("self-platform", "self-organisation", "self-media", "self-channel",
                      "self-brand")
ORGANISATION_FORMS_ZH = ("自平台", "自组织", "自媒体", "自渠道", "自品牌")
STATES = ("pool", *LINKS, "agent", "left")
FEEDBACK_LINKS = (1, 2)  # geeks' crowdsourced data and fans' experience data feed back

_N_LINKS = len(LINKS)


@dataclass(frozen=True)
class FunnelParams:
    """Parameters of the funnel; every rate is per month and an *assumption* of the course.

    Only the five links, their data types and their order come from [Weishang 2.0 n.d.].
    """

    population: int = 10_000          # N, people the seller can reach (assumption)
    months: int = 24                  # horizon (assumption)
    join_rate: float = 0.04           # j, share of the pool joining the community a month
    advance: tuple[float, ...] = (0.06, 0.12, 0.15, 0.25)   # a_k, link k → k+1
    churn: tuple[float, ...] = (0.03, 0.02, 0.02, 0.02, 0.01)  # c_k, leave from link k
    agent_recruitment: tuple[float, ...] = (0.0, 0.0, 0.0, 0.0, 0.0)  # r_k, 招商 pull
    feedback_strength: float = 1.0    # φ, max relative uplift of conversions (0 = no loop)
    feedback_scale: float = 2.0       # κ, feedback records per person for ~63 % uplift
    data_yield: tuple[float, ...] = (1.0, 4.0, 3.0, 6.0, 10.0)  # y_k, records/person/month
    data_decay: float = 0.05          # δ, share of each data stock going stale a month
    label: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if "validate" in globals():  # the presets below are built first, then checked
            validate(self)

    def with_changes(self, **changes: Any) -> FunnelParams:
        """A validated copy with some parameters changed."""
        unknown_names("changes", changes, [f.name for f in fields(self)])
        return replace(self, **changes)


SELLER_PRESETS: dict[str, FunnelParams] = {
    # 1.0: recruit agents (招商), hard selling (higher churn), no feedback loop.
    "1.0": FunnelParams(join_rate=0.06, advance=(0.03, 0.08, 0.15, 0.25),
                        churn=(0.06, 0.05, 0.05, 0.05, 0.04),
                        agent_recruitment=(0.04,) * 5,
                        feedback_strength=0.0, label="1.0 seller (招商, no feedback)"),
    # 2.0: co-creation with prosumers; feedback raises conversion, no agent recruiting.
    "2.0": FunnelParams(label="2.0 seller (co-creation, 共创)"),
}


def _check_rates(name: str, values: Any, length: int, high: float = 1.0) -> np.ndarray:
    array = check_array_range(name, values, -np.inf, np.inf)
    if array.shape != (length,):
        raise ParameterError(f"{name} needs {length} values (one per link), got {values!r}")
    for i, value in enumerate(array):
        check_range(f"{name}[{i}]", value, 0.0, high)
    return array


def validate(params: FunnelParams) -> dict[str, Any]:
    """Check every parameter; return them as arrays. Raises ParameterError naming the culprit."""
    check_instance("params", params, FunnelParams, "a FunnelParams")
    check_text("label", params.label)
    check_int("population", params.population, 1, 100_000_000)
    check_int("months", params.months, 1, 240)
    check_range("join_rate", params.join_rate, 0.0, 1.0)
    advance = _check_rates("advance", params.advance, _N_LINKS - 1)
    churn = _check_rates("churn", params.churn, _N_LINKS)
    recruit = _check_rates("agent_recruitment", params.agent_recruitment, _N_LINKS)
    check_range("feedback_strength", params.feedback_strength, 0.0, 10.0)
    check_range("feedback_scale", params.feedback_scale, 0.0, 1e6, low_open=True)
    yields = _check_rates("data_yield", params.data_yield, _N_LINKS, 1000.0)
    check_range("data_decay", params.data_decay, 0.0, 1.0)
    out = churn + recruit + np.append(advance, 0.0)
    for i, total in enumerate(out):
        if total > 1.0 + 1e-12:
            raise ParameterError(
                f"advance + churn + agent_recruitment for link {LINKS[i]} must be in [0, 1], "
                f"got {total:.3f}")
    return {"advance": advance, "churn": churn, "recruit": recruit, "yields": yields}


for _preset in SELLER_PRESETS.values():
    validate(_preset)


@dataclass(frozen=True)
class FunnelResult:
    """People per state and data stocks per month, the flows for a Sankey, and a summary."""

    params: FunnelParams
    people: pd.DataFrame       # index month 0..T, columns STATES
    data: pd.DataFrame         # index month 0..T, columns DATA_TYPES (records)
    multiplier: pd.Series      # feedback multiplier m_t, months 0..T-1
    flows: pd.DataFrame        # source, target, people (totals over the horizon)
    summary: dict[str, float]


#: A co-creation loop: feedback records per person -> multiplier of every conversion rate.
FeedbackRule = Callable[[float], float]
#: Largest feedback multiplier a rule may return (φ ≤ 10 in the standard loop).
MAX_MULTIPLIER = 11.0


def standard_feedback(params: FunnelParams) -> FeedbackRule:
    """The model's own loop: ``m(x) = 1 + φ (1 − e^(−x/κ))``, with ``x`` the feedback records
    (crowdsourced + experience data) per person in the market."""
    def multiplier(records_per_person: float) -> float:
        return 1.0 + params.feedback_strength * -math.expm1(
            -records_per_person / params.feedback_scale)
    return multiplier


def _multiplier(rule: FeedbackRule, records_per_person: float) -> float:
    """Call a feedback rule and check its answer (a number in [1, MAX_MULTIPLIER])."""
    try:
        m = float(rule(records_per_person))
    except (TypeError, ValueError) as exc:
        raise ParameterError(f"feedback_rule must return a number, got an error: {exc}") from exc
    if not 1.0 <= m <= MAX_MULTIPLIER:
        raise ParameterError(f"feedback_rule must return a multiplier in [1, {MAX_MULTIPLIER:g}], "
                             f"got {m!r} for {records_per_person:.3g} records per person")
    return m


def simulate_funnel(params: FunnelParams | None = None, seed: int = 0,
                    deterministic: bool = True,
                    feedback_rule: FeedbackRule | None = None) -> FunnelResult:
    """Run the funnel for ``params.months`` months.

    ``deterministic=True`` moves expected (fractional) numbers of people; ``False`` draws
    whole people from a multinomial per link and month with ``numpy.random.default_rng(seed)``.
    People are conserved exactly in both cases and no count or stock can go negative.
    ``feedback_rule(records_per_person) -> m`` replaces the co-creation loop's multiplier
    (default :func:`standard_feedback`); it must return a number in [1, 11].
    """
    params = FunnelParams() if params is None else params
    arrays = validate(params)
    seed = check_seed("seed", seed)
    deterministic = check_bool("deterministic", deterministic)
    if feedback_rule is not None and not callable(feedback_rule):
        raise ParameterError(f"feedback_rule must be a function (records per person) -> "
                             f"multiplier, got {feedback_rule!r}")
    rng = np.random.default_rng(seed)
    advance, churn, recruit, yields = (arrays[k] for k in ("advance", "churn", "recruit",
                                                            "yields"))
    n_months, population = params.months, float(params.population)
    people = np.zeros((n_months + 1, len(STATES)))
    people[0, 0] = population
    data = np.zeros((n_months + 1, _N_LINKS))
    multiplier = np.ones(n_months)
    # flow totals: joins, advances (4), churn (5), recruit (5)
    joins_total, adv_total = 0.0, np.zeros(_N_LINKS - 1)
    churn_total, recruit_total = np.zeros(_N_LINKS), np.zeros(_N_LINKS)
    for t in range(n_months):
        state = people[t]
        pool, links = state[0], state[1:1 + _N_LINKS]
        feedback = data[t, list(FEEDBACK_LINKS)].sum()
        if feedback_rule is None:
            m = 1.0 + params.feedback_strength * (
                1.0 - np.exp(-feedback / (params.feedback_scale * population)))
        else:
            m = _multiplier(feedback_rule, feedback / population)
        multiplier[t] = m
        adv = np.append(np.minimum(advance * m, 1.0 - churn[:-1] - recruit[:-1]), 0.0)
        probs = np.column_stack([adv, churn, recruit])
        probs = np.column_stack([probs, np.clip(1.0 - probs.sum(axis=1), 0.0, 1.0)])
        if deterministic:
            joins = params.join_rate * pool
            moves = links[:, None] * probs
        else:
            joins = float(rng.binomial(round(pool), params.join_rate))
            moves = rng.multinomial(np.rint(links).astype(np.int64), probs).astype(float)
        moved_on, left, signed = moves[:, 0], moves[:, 1], moves[:, 2]
        new_links = moves[:, 3].copy()
        new_links[1:] += moved_on[:-1]
        new_links[0] += joins
        people[t + 1, 0] = pool - joins
        people[t + 1, 1:1 + _N_LINKS] = new_links
        people[t + 1, -2] = state[-2] + signed.sum()
        people[t + 1, -1] = state[-1] + left.sum()
        data[t + 1] = (1.0 - params.data_decay) * data[t] + yields * links
        joins_total += joins
        adv_total += moved_on[:-1]
        churn_total += left
        recruit_total += signed
    months = pd.RangeIndex(n_months + 1, name="month")
    people_df = pd.DataFrame(people, index=months, columns=list(STATES))
    data_df = pd.DataFrame(data, index=months, columns=list(DATA_TYPES))
    flows = _flow_table(joins_total, adv_total, churn_total, recruit_total)
    final = people_df.iloc[-1]
    summary = {
        "customers": float(final["customer"]),
        "users_and_customers": float(final["user"] + final["customer"]),
        "agents": float(final["agent"]),
        "left": float(final["left"]),
        "reached": float(population - final["pool"]),
        "data_total": float(data_df.iloc[-1].sum()),
        "feedback_data": float(data_df.iloc[-1][[DATA_TYPES[i] for i in FEEDBACK_LINKS]].sum()),
        "final_multiplier": float(multiplier[-1]),
        "customer_share_of_reached": float(final["customer"] / max(population - final["pool"],
                                                                     1e-12)),
    }
    return FunnelResult(params, people_df, data_df,
                        pd.Series(multiplier, index=pd.RangeIndex(n_months, name="month"),
                                  name="multiplier"), flows, summary)


def _flow_table(joins: float, advances: np.ndarray, churn: np.ndarray,
                recruit: np.ndarray) -> pd.DataFrame:
    rows = [("pool", LINKS[0], joins)]
    rows += [(LINKS[k], LINKS[k + 1], advances[k]) for k in range(_N_LINKS - 1)]
    rows += [(LINKS[k], "left", churn[k]) for k in range(_N_LINKS)]
    rows += [(LINKS[k], "agent", recruit[k]) for k in range(_N_LINKS)]
    return pd.DataFrame(rows, columns=["source", "target", "people"])


def compare_sellers(months: int = 24, seed: int = 0, deterministic: bool = True,
                    **changes: Any) -> dict[str, FunnelResult]:
    """Run the 1.0 and 2.0 presets on the same market (``changes`` apply to both)."""
    check_bool("deterministic", deterministic)
    return {mode: simulate_funnel(preset.with_changes(months=months, **changes), seed=seed,
                                  deterministic=deterministic)
            for mode, preset in SELLER_PRESETS.items()}


def link_table() -> pd.DataFrame:
    """The five links with their data type and organisation form ([Weishang 2.0 n.d.]'s mapping)."""
    return pd.DataFrame({
        "link": LINKS, "link_zh": LINKS_ZH, "data": DATA_TYPES, "data_zh": DATA_TYPES_ZH,
        "organisation": ORGANISATION_FORMS, "organisation_zh": ORGANISATION_FORMS_ZH,
    })
