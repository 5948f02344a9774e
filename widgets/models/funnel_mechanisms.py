"""The funnel's 1.0 → 2.0 gap, one mechanism at a time.

The 1.0 seller is :data:`widgets.models.atomisation_funnel.BASELINE`; the 2.0 seller is the
same seller with every mechanism of :data:`~widgets.models.atomisation_funnel.MECHANISMS_2_0`
switched on. Market, conversion and churn rates are equal, so the whole gap comes from
three mechanisms, each switched on by itself:

==============  =========================  ==============================================
mechanism       parameter                  what it stands for
==============  =========================  ==============================================
``recruiting``  ``agent_recruitment`` r_k  stop 招商: buyers are no longer signed up as agents
``community``   ``community_retention`` ρ  the community keeps users and fans (less churn)
``feedback``    ``feedback_strength`` φ    the co-creation loop (共创) fed by fans and geeks
==============  =========================  ==============================================

The outcome is the number of repeat buyers (用户 + 粉丝) after ``months``.
:func:`widgets.models.decomposition.shapley` shares the gap
``repeat_buyers(2.0) − repeat_buyers(1.0)`` between the three (interactions split equally
among the mechanisms taking part), so the parts add up to the whole gap. All rates are the
course's assumptions; the decomposition shows how much each mechanism is worth under them.
"""

from __future__ import annotations

import pandas as pd

from widgets.models.atomisation_funnel import (
    BASELINE,
    MECHANISM_NAMES,
    FeedbackRule,
    FunnelParams,
    simulate_funnel,
    switch_on,
)
from widgets.models.decomposition import decomposition_table
from widgets.models.validation import ParameterError, check_int, check_names, check_range

MECHANISMS = MECHANISM_NAMES
MECHANISM_LABELS = {
    "recruiting": "stop recruiting agents · 不再招商 (r_k = 0)",
    "community": "community keeps people · 社群留人 (ρ)",
    "feedback": "co-creation feedback · 共创 (φ)",
}
OUTCOME = "repeat_buyers"


def _check_rule(feedback_rule: object) -> FeedbackRule | None:
    if feedback_rule is not None and not callable(feedback_rule):
        raise ParameterError(f"feedback_rule must be None or a function (records per person) "
                             f"-> multiplier, got {feedback_rule!r}")
    return feedback_rule


def seller(switched_to_2_0: frozenset[str] | set[str], months: int = 24) -> FunnelParams:
    """The baseline (1.0) seller with the named 2.0 mechanisms (any of :data:`MECHANISMS`,
    none to all) switched on, run for ``months`` (1 to 240)."""
    switched = check_names("switched_to_2_0", switched_to_2_0, MECHANISMS,
                           max_count=len(MECHANISMS), what="mechanisms")
    months = check_int("months", months, 1, 240)
    return _seller(frozenset(switched), months)


def _seller(switched_to_2_0: frozenset[str], months: int) -> FunnelParams:
    return switch_on(sorted(switched_to_2_0), BASELINE.with_changes(months=months, label=""))


def _repeat_buyers(switched_to_2_0: frozenset[str], months: int,
               feedback_rule: FeedbackRule | None) -> float:
    """Repeat buyers after ``months`` for :func:`seller` (expected values). With
    ``feedback_rule`` the 2.0 side of the ``feedback`` mechanism is that loop instead of the
    standard one."""
    params = _seller(switched_to_2_0, months)
    rule = feedback_rule if "feedback" in switched_to_2_0 else None
    return simulate_funnel(params, feedback_rule=rule).summary[OUTCOME]


def funnel_gap_decomposition(months: int = 24,
                             feedback_rule: FeedbackRule | None = None) -> pd.DataFrame:
    """The 1.0 seller's repeat buyers, each mechanism's share of the gap, the 2.0 seller's.

    The middle rows sum to the last row minus the first (see the module docstring).
    ``feedback_rule`` (see :func:`~widgets.models.atomisation_funnel.simulate_funnel`)
    replaces the 2.0 seller's co-creation loop.
    """
    months = check_int("months", months, 1, 240)
    rule = _check_rule(feedback_rule)
    return decomposition_table(lambda s: _repeat_buyers(s, months, rule), MECHANISMS,
                               MECHANISM_LABELS)


def feedback_alone(months: int = 24, geek_share: float | None = None) -> dict[str, float]:
    """Repeat buyers of two sellers equal in everything but the loop, with the other 2.0
    mechanisms on: one with the co-creation loop and one without (φ = 0). ``geek_share``
    (γ in [0, 1]) replaces the baseline's share of geeks among the fans."""
    months = check_int("months", months, 1, 240)
    market = {} if geek_share is None else {
        "geek_share": check_range("geek_share", geek_share, 0.0, 1.0)}
    base = BASELINE.with_changes(months=months, label="", **market)
    others = [m for m in MECHANISMS if m != "feedback"]
    return {"with_feedback": simulate_funnel(switch_on(MECHANISMS, base)).summary[OUTCOME],
            "without_feedback": simulate_funnel(switch_on(others, base)).summary[OUTCOME]}


def feedback_gain_by_community(months: int = 24) -> dict[str, float]:
    """Repeat buyers the co-creation loop adds to the baseline seller, without and with the
    community mechanism on (recruiting as in the baseline): does the loop gain from the
    community that keeps its fans?"""
    months = check_int("months", months, 1, 240)

    def gain(others: frozenset[str]) -> float:
        return (_repeat_buyers(others | {"feedback"}, months, None)
                - _repeat_buyers(others, months, None))

    return {"without_community": gain(frozenset()),
            "with_community": gain(frozenset({"community"}))}
