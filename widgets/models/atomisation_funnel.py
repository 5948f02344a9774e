"""Customer atomisation (客户原子化): the ladder 顾客 → 用户 → 粉丝, and the geeks among the fans.

The post "微商2.0的需求链" [Weishang 2.0 n.d.] builds its ladder in one direction: a one-off
**customer** (顾客) becomes a **user** (用户) when the tie outlasts one deal (repeat buying),
and a user becomes a **fan** (粉丝) who spreads the word and tests the product. **Geeks**
(极客), the creative few who can shape a product, are not a rung everyone climbs: the post
says they come out of the community. The course reads the community as the fans' group, so
geeks are a share ``γ`` of the fans. The ladder, the geeks' origin and the data each group
yields are the article's; every rate below is the course's **assumption**.

State each month ``t`` (people, conserved): the untouched pool ``P``, the three rungs
``n_k`` (k = customer, user, fan), people signed up as agents ``A`` and people who left ``L``:

.. math::

    P + n_C + n_U + n_F + A + L = N \\quad\\text{(every month)}

Flows in month ``t`` (expected values; the stochastic version draws them with a binomial
and a multinomial so counts stay whole):

.. math::

    J_t &= j\\,P_t \\qquad\\text{(first purchase: pool → customers)}\\\\
    \\tilde c_k &= c_k\\,(1 - \\rho\\,[k \\in \\{U, F\\}]) \\qquad\\text{(community retention)}\\\\
    \\alpha_{k,t} &= \\min\\bigl(a_k\\, m_t,\\; 1 - \\tilde c_k - r_k\\bigr)
        \\quad (k = C, U;\\ \\alpha_F = 0)\\\\
    n_{k,t+1} &= n_{k,t}(1 - \\alpha_{k,t} - \\tilde c_k - r_k)
        + \\alpha_{k-1,t}\\, n_{k-1,t} + [k=C]\\, J_t\\\\
    G_t &= \\gamma\\, n_{F,t} \\qquad\\text{(geeks: a share of the fans, not a rung)}\\\\
    D_{t+1} &= (1-\\delta)\\, D_t + (y_U n_{U,t},\\ y_F n_{F,t},\\ y_G G_t)\\\\
    m_t &= 1 + \\varphi\\,\\bigl(1 - e^{-(D_{\\text{exp},t}
        + D_{\\text{crowd},t})/(\\kappa N)}\\bigr)

``a_k`` is the monthly share of rung ``k`` that climbs to the next, ``c_k`` the share that
leaves (mutes, unfollows, stops buying), ``r_k`` the share signed up as agents (招商). The
data stocks ``D`` are behaviour data (行为数据, from users), experience data (体验数据, from
fans) and crowdsourced data (众包数据, from geeks); ``y`` are records per person per month
and ``δ`` the share going stale each month.

**One seller, three 2.0 mechanisms.** :data:`BASELINE` is a 1.0 seller: it recruits agents
(``r_k > 0``), has no community that keeps people (``ρ = 0``) and no co-creation loop
(``φ = 0``). Each 2.0 mechanism (:data:`MECHANISMS_2_0`) changes one group of parameters and
nothing else: ``recruiting`` stops 招商 (``r_k = 0``), ``community`` lets the community keep
users and fans (``ρ``), ``feedback`` switches the co-creation loop on (``φ``: experience and
crowdsourced data improve the product, raising both climbing rates by up to ``1 + φ``).
Market, conversion and churn rates are the same for every seller, so any gap between two
sellers comes from the mechanisms switched on.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
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
    check_names,
    check_range,
    check_seed,
    check_text,
    unknown_names,
)

# The article's five links and their data and organisation forms (the post's own mapping).
LINKS = ("community", "geek", "fan", "user", "customer")
LINKS_ZH = ("社群", "极客", "粉丝", "用户", "顾客")
DATA_TYPES = ("shared", "crowdsourced", "experience", "behaviour", "holographic")
DATA_TYPES_ZH = ("共享数据", "众包数据", "体验数据", "行为数据", "全息数据")
ORGANISATION_FORMS = ("self-platform", "self-organisation", "self-media", "self-channel",
                      "self-brand")
ORGANISATION_FORMS_ZH = ("自平台", "自组织", "自媒体", "自渠道", "自品牌")

# The funnel model: three rungs, geeks as a share of the fans.
STAGES = ("customer", "user", "fan")
STAGES_ZH = ("顾客", "用户", "粉丝")
STATES = ("pool", *STAGES, "agent", "left")
#: Data stocks the model keeps: users' behaviour, fans' experience, geeks' crowdsourced data.
MODEL_DATA = ("behaviour", "experience", "crowdsourced")
MODEL_DATA_ZH = ("行为数据", "体验数据", "众包数据")
FEEDBACK_DATA = ("experience", "crowdsourced")  # the stocks that feed the co-creation loop
COMMUNITY_STAGES = (1, 2)  # users and fans belong to the community (ρ lowers their churn)

_N = len(STAGES)


@dataclass(frozen=True)
class FunnelParams:
    """Parameters of the funnel; every rate is per month and an *assumption* of the course.

    The default is the baseline (1.0) seller: it recruits agents, has no community that keeps
    people and no co-creation loop. Only the ladder and the geeks' origin come from
    [Weishang 2.0 n.d.].
    """

    population: int = 10_000          # N, people the seller can reach (assumption)
    months: int = 24                  # horizon (assumption)
    join_rate: float = 0.01           # j, share of the pool making a first purchase a month
    advance: tuple[float, ...] = (0.10, 0.05)          # a_k: customer → user, user → fan
    churn: tuple[float, ...] = (0.08, 0.04, 0.03)      # c_k, leave from each rung
    agent_recruitment: tuple[float, ...] = (0.02, 0.02, 0.02)  # r_k, 招商 pull per rung
    community_retention: float = 0.0  # ρ, share of users' and fans' churn the community stops
    feedback_strength: float = 0.0    # φ, max relative uplift of climbing rates (0 = no loop)
    feedback_scale: float = 1.0       # κ, feedback records per person for ~63 % of the uplift
    geek_share: float = 0.1           # γ, share of fans who are geeks (极客)
    data_yield: tuple[float, ...] = (2.0, 3.0, 10.0)   # y: per user, fan, geek a month
    data_decay: float = 0.05          # δ, share of each data stock going stale a month
    label: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if "validate" in globals():  # the module's own constants are built first, then checked
            validate(self)

    def with_changes(self, **changes: Any) -> FunnelParams:
        """A validated copy with some parameters changed."""
        unknown_names("changes", changes, [f.name for f in fields(self)])
        return replace(self, **changes)


#: The 1.0 seller every comparison starts from (the defaults).
BASELINE = FunnelParams(label="baseline (1.0) seller")

#: Each 2.0 mechanism: the parameters it changes from the baseline (values are assumptions).
MECHANISMS_2_0: dict[str, dict[str, Any]] = {
    "recruiting": {"agent_recruitment": (0.0, 0.0, 0.0)},   # stop 招商
    "community": {"community_retention": 0.5},              # the community keeps people
    "feedback": {"feedback_strength": 1.0},                 # co-creation loop (共创)
}
MECHANISM_NAMES = tuple(MECHANISMS_2_0)


def switch_on(mechanisms: Iterable[str], params: FunnelParams = BASELINE) -> FunnelParams:
    """``params`` with the named 2.0 mechanisms (of :data:`MECHANISM_NAMES`) switched on."""
    names = check_names("mechanisms", mechanisms if not isinstance(mechanisms, str)
                        else [mechanisms], MECHANISM_NAMES, max_count=len(MECHANISM_NAMES),
                        what="mechanisms")
    check_instance("params", params, FunnelParams, "a FunnelParams")
    changes: dict[str, Any] = {}
    for name in names:
        changes.update(MECHANISMS_2_0[name])
    return params.with_changes(**changes)


def _check_rates(name: str, values: Any, length: int, high: float = 1.0) -> np.ndarray:
    array = check_array_range(name, values, -np.inf, np.inf)
    if array.shape != (length,):
        raise ParameterError(f"{name} needs {length} values, got {values!r}")
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
    advance = _check_rates("advance", params.advance, _N - 1)
    churn = _check_rates("churn", params.churn, _N)
    recruit = _check_rates("agent_recruitment", params.agent_recruitment, _N)
    check_range("community_retention", params.community_retention, 0.0, 1.0)
    check_range("feedback_strength", params.feedback_strength, 0.0, 10.0)
    check_range("feedback_scale", params.feedback_scale, 0.0, 1e6, low_open=True)
    check_range("geek_share", params.geek_share, 0.0, 1.0)
    yields = _check_rates("data_yield", params.data_yield, len(MODEL_DATA), 1000.0)
    check_range("data_decay", params.data_decay, 0.0, 1.0)
    out = churn + recruit + np.append(advance, 0.0)
    for i, total in enumerate(out):
        if total > 1.0 + 1e-12:
            raise ParameterError(
                f"advance + churn + agent_recruitment for the {STAGES[i]}s must be in [0, 1], "
                f"got {total:.3f}")
    kept = churn.copy()
    kept[list(COMMUNITY_STAGES)] *= 1.0 - params.community_retention
    return {"advance": advance, "churn": kept, "recruit": recruit, "yields": yields}


for _params in (BASELINE, switch_on(MECHANISM_NAMES)):
    validate(_params)

SELLER_PRESETS: dict[str, FunnelParams] = {
    # The same seller twice: every 2.0 mechanism off, then every one on.
    "1.0": BASELINE,
    "2.0": switch_on(MECHANISM_NAMES).with_changes(
        label="2.0 seller (baseline + every 2.0 mechanism)"),
}


@dataclass(frozen=True)
class FunnelResult:
    """People per state and data stocks per month, the flows for a Sankey, and a summary."""

    params: FunnelParams
    people: pd.DataFrame       # index month 0..T, columns STATES
    geeks: pd.Series           # geeks among the fans, months 0..T
    data: pd.DataFrame         # index month 0..T, columns MODEL_DATA (records)
    multiplier: pd.Series      # feedback multiplier m_t, months 0..T-1
    flows: pd.DataFrame        # source, target, people (totals over the horizon)
    summary: dict[str, float]


#: A co-creation loop: feedback records per person -> multiplier of every climbing rate.
FeedbackRule = Callable[[float], float]
#: Largest feedback multiplier a rule may return (φ ≤ 10 in the standard loop).
MAX_MULTIPLIER = 11.0


def standard_feedback(params: FunnelParams) -> FeedbackRule:
    """The model's own loop: ``m(x) = 1 + φ (1 − e^(−x/κ))``, with ``x`` the feedback records
    (experience + crowdsourced data) per person in the market."""
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
    """Run the funnel for ``params.months`` months (default: the baseline seller).

    ``deterministic=True`` moves expected (fractional) numbers of people; ``False`` draws
    whole people (binomial joins, multinomial moves per rung and month) with
    ``numpy.random.default_rng(seed)``. People are conserved exactly in both cases and no
    count or stock can go negative. ``feedback_rule(records_per_person) -> m`` replaces the
    co-creation loop's multiplier (default :func:`standard_feedback`); it must return a
    number in [1, 11].
    """
    params = BASELINE if params is None else params
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
    data = np.zeros((n_months + 1, len(MODEL_DATA)))
    multiplier = np.ones(n_months)
    feedback_columns = [MODEL_DATA.index(name) for name in FEEDBACK_DATA]
    joins_total, adv_total = 0.0, np.zeros(_N - 1)
    churn_total, recruit_total = np.zeros(_N), np.zeros(_N)
    for t in range(n_months):
        state = people[t]
        pool, rungs = state[0], state[1:1 + _N]
        feedback = data[t, feedback_columns].sum()
        if feedback_rule is None:
            m = 1.0 + params.feedback_strength * -math.expm1(
                -feedback / (params.feedback_scale * population))
        else:
            m = _multiplier(feedback_rule, feedback / population)
        multiplier[t] = m
        adv = np.append(np.minimum(advance * m, 1.0 - churn[:-1] - recruit[:-1]), 0.0)
        probs = np.column_stack([adv, churn, recruit])
        probs = np.column_stack([probs, np.clip(1.0 - probs.sum(axis=1), 0.0, 1.0)])
        if deterministic:
            joins = params.join_rate * pool
            moves = rungs[:, None] * probs
        else:
            joins = float(rng.binomial(round(pool), params.join_rate))
            moves = rng.multinomial(np.rint(rungs).astype(np.int64), probs).astype(float)
        climbed, left, signed = moves[:, 0], moves[:, 1], moves[:, 2]
        new_rungs = moves[:, 3].copy()
        new_rungs[1:] += climbed[:-1]
        new_rungs[0] += joins
        people[t + 1, 0] = pool - joins
        people[t + 1, 1:1 + _N] = new_rungs
        people[t + 1, -2] = state[-2] + signed.sum()
        people[t + 1, -1] = state[-1] + left.sum()
        producers = np.array([rungs[1], rungs[2], params.geek_share * rungs[2]])
        data[t + 1] = (1.0 - params.data_decay) * data[t] + yields * producers
        joins_total += joins
        adv_total += climbed[:-1]
        churn_total += left
        recruit_total += signed
    months = pd.RangeIndex(n_months + 1, name="month")
    people_df = pd.DataFrame(people, index=months, columns=list(STATES))
    data_df = pd.DataFrame(data, index=months, columns=list(MODEL_DATA))
    geeks = (params.geek_share * people_df["fan"]).rename("geek")
    final = people_df.iloc[-1]
    summary = {
        "customers": float(final["customer"]),
        "users": float(final["user"]),
        "fans": float(final["fan"]),
        "geeks": float(geeks.iloc[-1]),
        "repeat_buyers": float(final["user"] + final["fan"]),
        "buyers": float(final[list(STAGES)].sum()),
        "agents": float(final["agent"]),
        "left": float(final["left"]),
        "reached": float(population - final["pool"]),
        "data_total": float(data_df.iloc[-1].sum()),
        "feedback_data": float(data_df.iloc[-1][list(FEEDBACK_DATA)].sum()),
        "final_multiplier": float(multiplier[-1]),
    }
    return FunnelResult(params, people_df, geeks, data_df,
                        pd.Series(multiplier, index=pd.RangeIndex(n_months, name="month"),
                                  name="multiplier"),
                        _flow_table(joins_total, adv_total, churn_total, recruit_total),
                        summary)


def _flow_table(joins: float, climbs: np.ndarray, churn: np.ndarray,
                recruit: np.ndarray) -> pd.DataFrame:
    rows = [("pool", STAGES[0], joins)]
    rows += [(STAGES[k], STAGES[k + 1], climbs[k]) for k in range(_N - 1)]
    rows += [(STAGES[k], "left", churn[k]) for k in range(_N)]
    rows += [(STAGES[k], "agent", recruit[k]) for k in range(_N)]
    return pd.DataFrame(rows, columns=["source", "target", "people"])


def compare_sellers(months: int = 24, seed: int = 0, deterministic: bool = True,
                    **changes: Any) -> dict[str, FunnelResult]:
    """Run the 1.0 (baseline) and 2.0 (every mechanism on) sellers on the same market
    (``changes`` apply to both)."""
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
