"""A pass gate for the death causes: a rule over the article's death index (stars).

The linked model marks each of the eight death causes of [Huang 2017] *at risk* or not; each
cause ``c`` carries the article's death index ``s_c`` (1–5 stars). A gate is a rule ``G`` that
reads the stars of the causes at risk, largest first, and says whether the plan survives.
The course's gate is

.. math::  G_{course}(S) = \\Bigl[\\sum_{c \\in S} s_c \\le 2\\Bigr].

A gate that reads the stars soundly is

- **monotone**: ``S ⊆ T`` and ``G(T)`` passes ⇒ ``G(S)`` passes (taking a risk away never
  fails a plan), and
- **star-respecting**: ``s_a ≥ s_b`` and ``G(S ∪ {a})`` passes ⇒ ``G(S ∪ {b})`` passes (a
  milder cause in place of a graver one never fails a plan).

Both are checked over every subset of the scored causes (``2ⁿ`` subsets, ``n ≤ 10``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from widgets.models.validation import ParameterError, check_frame, check_instance, check_mapping

Gate = Callable[[list[int]], bool]
MAX_CAUSES = 10
AT_RISK = "at risk"
# The rubric's pass mark (assumption of the course), weighted by the article's own ranking:
# the death-index stars of the causes at risk may add up to at most 2, so one two-star cause
# can stay open but any cause the article rates three stars or more fails the plan.
PASS_MAX_STARS = 2


def _stars_at_risk(stars_at_risk: Any) -> list[int]:
    """The stars of the causes at risk, validated, largest first (a new list)."""
    check_instance("stars_at_risk", stars_at_risk, list | tuple, "a list of star counts")
    if len(stars_at_risk) > MAX_CAUSES or any(
            not isinstance(s, int | np.integer) or isinstance(s, bool | np.bool_)
            or not 1 <= int(s) <= 5 for s in stars_at_risk):
        raise ParameterError(f"stars_at_risk must list at most {MAX_CAUSES} whole numbers of "
                             f"stars from 1 to 5, got {stars_at_risk!r}")
    return sorted((int(s) for s in stars_at_risk), reverse=True)


def course_gate(stars_at_risk: list[int]) -> bool:
    """The course's gate ``G_course``: the causes at risk carry at most PASS_MAX_STARS stars."""
    return sum(_stars_at_risk(stars_at_risk)) <= PASS_MAX_STARS


def _stars(stars: Any) -> dict[str, int]:
    check_mapping("stars", stars)
    if not 1 <= len(stars) <= MAX_CAUSES:
        raise ParameterError(f"stars needs 1 to {MAX_CAUSES} causes, got {len(stars)}")
    clean: dict[str, int] = {}
    for cause, value in stars.items():
        if (not isinstance(value, int | np.integer) or isinstance(value, bool | np.bool_)
                or not 1 <= int(value) <= 5):
            raise ParameterError(f"stars[{cause!r}] must be a whole number of stars from 1 to "
                                 f"5, got {value!r}")
        clean[str(cause)] = int(value)
    return clean


def gate_verdict(stars_at_risk: Sequence[int], gate: Gate) -> bool:
    """``G(S)``: does the plan whose causes at risk carry these stars pass the gate?

    The gate receives a new list of the stars, largest first, and must return True or False.
    """
    stars = _stars_at_risk(stars_at_risk)
    check_instance("gate", gate, Callable, "a function stars_at_risk -> True or False")
    verdict = gate(stars)
    if not isinstance(verdict, bool | np.bool_):
        raise ParameterError(f"gate must return True (passes) or False (fails), got "
                             f"{verdict!r} for the stars {sorted(stars_at_risk, reverse=True)}")
    return bool(verdict)


def death_gate(death_causes: pd.DataFrame, gate: Gate) -> bool:
    """The gate applied to a linked-model report: the stars of its causes *at risk*."""
    check_frame("death_causes", death_causes, ("death_index", "status"))
    at_risk = death_causes.loc[death_causes["status"] == AT_RISK, "death_index"]
    stars = [int(s) for s in at_risk if isinstance(s, int | np.integer) or
             (isinstance(s, float) and float(s).is_integer())]
    if len(stars) != len(at_risk):
        raise ParameterError("death_causes needs a whole number of stars for every cause at risk")
    return gate_verdict(stars, gate)


def gate_profile(stars: Mapping[str, int], gate: Gate) -> pd.DataFrame:
    """``G(S)`` for every subset ``S`` of the causes: columns ``causes`` (a tuple of ids),
    ``stars`` (largest first), ``total_stars`` and ``passes``."""
    clean = _stars(stars)
    check_instance("gate", gate, Callable, "a function stars_at_risk -> True or False")
    rows = []
    for size in range(len(clean) + 1):
        for subset in combinations(sorted(clean), size):
            held = sorted((clean[c] for c in subset), reverse=True)
            rows.append({"causes": subset, "stars": tuple(held), "total_stars": sum(held),
                         "passes": gate_verdict(held, gate)})
    return pd.DataFrame(rows)


def gate_failures(stars: Mapping[str, int], gate: Gate) -> dict[str, Any]:
    """The first counter-example to each property (``None`` when the gate has it).

    ``monotone``: ``(S, T)`` with ``S ⊂ T``, ``G(T)`` passing and ``G(S)`` failing.
    ``star_respecting``: ``(S, a, b)`` with ``s_a ≥ s_b``, ``G(S ∪ {a})`` passing and
    ``G(S ∪ {b})`` failing. Also ``passing``: how many of the ``2ⁿ`` subsets pass.
    """
    clean = _stars(stars)
    profile = gate_profile(clean, gate)
    passes = {frozenset(c): bool(p) for c, p in zip(profile["causes"], profile["passes"],
                                                    strict=True)}
    monotone = star = None
    for subset, ok in passes.items():
        if not ok:
            continue
        for cause in subset:
            smaller = subset - {cause}
            if monotone is None and not passes[smaller]:
                monotone = (tuple(sorted(smaller)), tuple(sorted(subset)))
            for other in clean:
                if (star is None and other not in subset and clean[cause] >= clean[other]
                        and not passes[smaller | {other}]):
                    star = (tuple(sorted(smaller)), cause, other)
    return {"monotone": monotone, "star_respecting": star,
            "passing": int(profile["passes"].sum()), "subsets": len(profile)}
