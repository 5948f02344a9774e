"""The tier simulator one mechanism at a time: what each 1.0 rule does to the bottom tier.

Mode 1.0 differs from a plain resale chain by four rules, each a parameter of
:class:`~widgets.models.tier_params.TierParams` that can be switched off on its own:

=================  =========================  ==========================
mechanism          switched on (as given)     switched off
=================  =========================  ==========================
entry order 入门费   ``first_order_units``       every first order 0 boxes
restock push 压货    ``restock_units``           0 boxes
recruiting pay 拉人头 ``recruit_bonus``          0
team commission 团队计酬 ``team_commission``     0
=================  =========================  ==========================

With all four off, a 1.0 agent only buys the boxes their own customers and downline
order, at the ladder's prices. Every run uses the same seed, so the same people join
in the same weeks and consumers buy the same boxes (none of the four rules changes
recruiting or demand): only the mechanism differs. The outcome is the bottom tier's
net cash (元, cash in − cash out, summed over its agents, averaged over ``seeds``),
and :func:`widgets.models.decomposition.shapley` shares the change between the four
(interactions split equally among the rules taking part), so the parts add up to the
whole change.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from widgets.models.decomposition import decomposition_table
from widgets.models.tier_params import TierParams
from widgets.models.tier_simulator import simulate_tiers
from widgets.models.validation import (
    ParameterError,
    check_instance,
    check_int,
    check_names,
    check_seed,
)

#: At most this many seeds are averaged (each is a full simulator run).
MAX_SEEDS = 50

MECHANISMS = ("entry_order", "restock_push", "recruiting_pay", "team_commission")
MECHANISM_LABELS = {
    "entry_order": "entry order · 入门费 (first order)",
    "restock_push": "restock push · 压货",
    "recruiting_pay": "recruiting pay · 拉人头",
    "team_commission": "team commission · 团队计酬",
}


def switch_off(params: TierParams, off: Sequence[str]) -> TierParams:
    """``params`` with the named 1.0 mechanisms (any of :data:`MECHANISMS`, none to all)
    switched off (see the module table)."""
    check_instance("params", params, TierParams, "a TierParams")
    off = check_names("off", off, MECHANISMS, max_count=len(MECHANISMS), what="mechanisms")
    return _switch_off(params, off)


def _switch_off(params: TierParams, off: Sequence[str]) -> TierParams:
    changes: dict = {}
    if "entry_order" in off:
        changes["first_order_units"] = (0,) * params.n_tiers
    if "restock_push" in off:
        changes["restock_units"] = 0
    if "recruiting_pay" in off:
        changes["recruit_bonus"] = 0.0
    if "team_commission" in off:
        changes["team_commission"] = 0.0
    return params.with_changes(**changes)


def bottom_tier_net_cash(params: TierParams, seeds: Sequence[int] = (0,)) -> float:
    """The bottom tier's net cash over the run (元), mode 1.0, averaged over ``seeds``
    (1 to :data:`MAX_SEEDS` whole numbers, each a simulator run)."""
    check_instance("params", params, TierParams, "a TierParams")
    return _net_cash(params, _check_seeds(seeds))


def _check_seeds(seeds: object) -> list[int]:
    check_instance("seeds", seeds, (list, tuple, range), "a list of whole-number seeds")
    if not 1 <= len(seeds) <= MAX_SEEDS:
        raise ParameterError(f"seeds must hold 1 to {MAX_SEEDS} seeds, got {len(seeds)}")
    return [check_seed(f"seeds[{i}]", seed) for i, seed in enumerate(seeds)]


def _net_cash(params: TierParams, seeds: Sequence[int]) -> float:
    totals = []
    for seed in seeds:
        run = simulate_tiers(params, "1.0", seed=seed)
        bottom = run.agent_tier == params.n_tiers
        totals.append(float(run.agent_profit[bottom].sum()))
    return float(np.mean(totals))


def bottom_tier_decomposition(params: TierParams | None = None,
                              n_seeds: int = 5) -> pd.DataFrame:
    """How much of the bottom tier's net cash each 1.0 mechanism moves (Shapley shares).

    Rows: the bottom tier's net cash with every mechanism off, one row per mechanism (its
    share of the change, 元), and the net cash with all four on; the middle rows sum to
    the last row minus the first. ``n_seeds`` random runs (seeds 0 … n−1) are averaged.
    """
    params = TierParams() if params is None else check_instance(
        "params", params, (TierParams,), "a TierParams or None")
    seeds = range(check_int("n_seeds", n_seeds, 1, MAX_SEEDS))

    def outcome(on: frozenset[str]) -> float:
        return bottom_tier_net_cash(switch_off(params, [m for m in MECHANISMS if m not in on]),
                                    seeds)

    return decomposition_table(outcome, MECHANISMS, MECHANISM_LABELS)
