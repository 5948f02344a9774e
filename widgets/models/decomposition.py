"""Split a difference between two runs into the mechanisms that make it (Shapley values).

A model is run with a set of mechanisms switched on; ``v(S)`` is the outcome with the
mechanisms in ``S`` on and all others off. Switching mechanisms on one at a time gives
parts that depend on the order (an interaction is credited to whichever mechanism comes
second). The Shapley value averages over every order:

.. math::

    \\phi_i = \\sum_{S \\subseteq M \\setminus \\{i\\}}
              \\frac{|S|!\\,(n - |S| - 1)!}{n!}\\,\\bigl(v(S \\cup \\{i\\}) - v(S)\\bigr),
    \\qquad \\sum_i \\phi_i = v(M) - v(\\varnothing),

so each interaction is shared equally between the mechanisms taking part, and the parts
always add up to the whole difference ([Shapley 1953]; used for this purpose in, e.g.,
[Shorrocks 2013]; entries in docs/REFERENCES.md).

The outcome is computed ``2ⁿ`` times, once per subset, so keep ``n`` small (≤ 6 here).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from itertools import combinations

import pandas as pd

from widgets.models.validation import ParameterError

MAX_MECHANISMS = 6


def subsets(mechanisms: Sequence[str]) -> list[frozenset[str]]:
    """Every subset of ``mechanisms``, smallest first."""
    return [frozenset(c) for r in range(len(mechanisms) + 1)
            for c in combinations(mechanisms, r)]


def shapley(outcome: Callable[[frozenset[str]], float],
            mechanisms: Sequence[str]) -> dict[str, float]:
    """Each mechanism's Shapley share of ``outcome(all on) − outcome(all off)``."""
    names = list(mechanisms)
    if not 1 <= len(names) <= MAX_MECHANISMS or len(set(names)) != len(names):
        raise ParameterError(f"mechanisms must be 1 to {MAX_MECHANISMS} distinct names, "
                             f"got {names!r}")
    values = {s: float(outcome(s)) for s in subsets(names)}
    n = len(names)
    parts = {}
    for name in names:
        others = [m for m in names if m != name]
        total = 0.0
        for s in subsets(others):
            weight = math.factorial(len(s)) * math.factorial(n - len(s) - 1) / math.factorial(n)
            total += weight * (values[s | {name}] - values[s])
        parts[name] = total
    return parts


def decomposition_table(outcome: Callable[[frozenset[str]], float],
                        mechanisms: Sequence[str],
                        labels: dict[str, str] | None = None) -> pd.DataFrame:
    """A table: the outcome with every mechanism off, each mechanism's share, the total.

    Columns ``part`` (label), ``mechanism`` (key, ``"(none)"`` / ``"(all)"`` for the end
    rows), ``value``; the rows between the first and the last sum to ``all − none``.
    """
    labels = labels or {}
    cache: dict[frozenset[str], float] = {}

    def cached(s: frozenset[str]) -> float:
        if s not in cache:
            cache[s] = float(outcome(s))
        return cache[s]

    parts = shapley(cached, mechanisms)
    rows = [("everything switched off", "(none)", cached(frozenset()))]
    rows += [(labels.get(m, m), m, parts[m]) for m in mechanisms]
    rows.append(("everything switched on", "(all)", cached(frozenset(mechanisms))))
    return pd.DataFrame(rows, columns=["part", "mechanism", "value"])
