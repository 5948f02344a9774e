"""The funnel's 1.0 → 2.0 gap, one mechanism at a time.

The two sellers of :data:`widgets.models.atomisation_funnel.SELLER_PRESETS` differ in five
groups of parameters. Each group is a mechanism that can be moved from the 1.0 seller's
value to the 2.0 seller's on its own, everything else held equal:

====================  ======================  =========================================
mechanism             parameter               what it stands for
====================  ======================  =========================================
``reach``             ``join_rate`` j         mass friend-adding brings more people in
``conversion``        ``advance`` a_k         how fast people move down the links
``churn``             ``churn`` c_k           hard selling makes people leave
``recruiting``        ``agent_recruitment``   招商 turns would-be customers into agents
``feedback``          ``feedback_strength`` φ the 2.0 co-creation loop (共创)
====================  ======================  =========================================

The outcome is the number of customers (顾客) after ``months``.
:func:`widgets.models.decomposition.shapley` shares the gap
``customers(2.0) − customers(1.0)`` between the five (interactions split equally among
the mechanisms taking part), so the parts add up to the whole gap. All rates are the
course's assumptions; the decomposition shows which of them the gap rests on.
"""

from __future__ import annotations

import pandas as pd

from widgets.models.atomisation_funnel import (
    SELLER_PRESETS,
    FeedbackRule,
    FunnelParams,
    simulate_funnel,
)
from widgets.models.decomposition import decomposition_table
from widgets.models.validation import ParameterError, check_int, check_names

MECHANISMS = ("reach", "conversion", "churn", "recruiting", "feedback")
FIELDS = {"reach": "join_rate", "conversion": "advance", "churn": "churn",
          "recruiting": "agent_recruitment", "feedback": "feedback_strength"}
MECHANISM_LABELS = {
    "reach": "reach · 加人 (join rate j)",
    "conversion": "conversion · 转化 (advance a_k)",
    "churn": "churn · 流失 (c_k)",
    "recruiting": "recruiting agents · 招商 (r_k)",
    "feedback": "co-creation feedback · 共创 (φ)",
}


def _check_rule(feedback_rule: object) -> FeedbackRule | None:
    if feedback_rule is not None and not callable(feedback_rule):
        raise ParameterError(f"feedback_rule must be None or a function (records per person) "
                             f"-> multiplier, got {feedback_rule!r}")
    return feedback_rule


def seller(switched_to_2_0: frozenset[str] | set[str], months: int = 24) -> FunnelParams:
    """The 1.0 seller with the named mechanisms (any of :data:`MECHANISMS`, none to all)
    set to the 2.0 seller's values, run for ``months`` (1 to 240)."""
    switched = check_names("switched_to_2_0", switched_to_2_0, MECHANISMS,
                           max_count=len(MECHANISMS), what="mechanisms")
    months = check_int("months", months, 1, 240)
    return _seller(frozenset(switched), months)


def _seller(switched_to_2_0: frozenset[str], months: int) -> FunnelParams:
    one, two = SELLER_PRESETS["1.0"], SELLER_PRESETS["2.0"]
    changes = {FIELDS[m]: getattr(two, FIELDS[m]) for m in switched_to_2_0}
    return one.with_changes(months=months, label="", **changes)


def _customers(switched_to_2_0: frozenset[str], months: int,
               feedback_rule: FeedbackRule | None) -> float:
    """Customers after ``months`` for :func:`seller` (expected values). With ``feedback_rule``
    the 2.0 side of the ``feedback`` mechanism is that loop instead of the standard one."""
    params = _seller(switched_to_2_0, months)
    rule = feedback_rule if "feedback" in switched_to_2_0 else None
    return simulate_funnel(params, feedback_rule=rule).summary["customers"]


def funnel_gap_decomposition(months: int = 24,
                             feedback_rule: FeedbackRule | None = None) -> pd.DataFrame:
    """The 1.0 seller's customers, each mechanism's share of the gap, the 2.0 seller's.

    The middle rows sum to the last row minus the first (see the module docstring).
    ``feedback_rule`` (see :func:`~widgets.models.atomisation_funnel.simulate_funnel`)
    replaces the 2.0 seller's co-creation loop.
    """
    months = check_int("months", months, 1, 240)
    rule = _check_rule(feedback_rule)
    return decomposition_table(lambda s: _customers(s, months, rule), MECHANISMS,
                               MECHANISM_LABELS)


def feedback_alone(months: int = 24) -> dict[str, float]:
    """Customers of two sellers equal in every rate (the 2.0 seller's), one with the
    co-creation loop (φ as preset) and one without (φ = 0): what φ adds on its own."""
    months = check_int("months", months, 1, 240)
    two = SELLER_PRESETS["2.0"].with_changes(months=months)
    return {"with_feedback": simulate_funnel(two).summary["customers"],
            "without_feedback": simulate_funnel(two.with_changes(feedback_strength=0.0))
            .summary["customers"]}
