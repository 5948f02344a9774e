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
from collections.abc import Callable, Collection, Mapping, Sequence
from itertools import combinations
from typing import Any

import pandas as pd

from widgets.models.validation import (
    ParameterError,
    check_mapping,
    check_names,
    check_range,
    check_text,
    unknown_names,
)

#: At most this many mechanisms: the outcome is computed once per subset (``2ⁿ`` runs).
MAX_MECHANISMS = 6

Outcome = Callable[[frozenset[str]], float]


def _check_mechanisms(value: Any, *, min_count: int) -> tuple[str, ...]:
    return check_names("mechanisms", value, min_count=min_count, max_count=MAX_MECHANISMS,
                       what="mechanisms")


def _check_outcome(outcome: Any) -> Outcome:
    if not callable(outcome):
        raise ParameterError(f"outcome must be a function (set of mechanisms switched on) "
                             f"-> number, got {outcome!r}")
    return outcome


def _evaluate(outcome: Outcome, on: frozenset[str]) -> float:
    """``outcome(on)`` checked to be a finite real number (an error names ``outcome``)."""
    try:
        value = outcome(on)
    except ParameterError:
        raise
    except (TypeError, ValueError, KeyError, ArithmeticError) as exc:
        raise ParameterError(f"outcome failed for the mechanisms {sorted(on)}: "
                             f"{type(exc).__name__}: {exc}") from exc
    number = check_range(f"outcome({sorted(on)})", value, -math.inf, math.inf)
    if not math.isfinite(number):
        raise ParameterError(f"outcome must return a finite number, got {number!r} for the "
                             f"mechanisms {sorted(on)}")
    return number


def subsets(mechanisms: Collection[str]) -> list[frozenset[str]]:
    """Every subset of ``mechanisms`` (0 to :data:`MAX_MECHANISMS` distinct names), smallest
    first: ``2ⁿ`` of them."""
    names = _check_mechanisms(mechanisms, min_count=0)
    return _subsets(names)


def _subsets(names: Sequence[str]) -> list[frozenset[str]]:
    return [frozenset(c) for r in range(len(names) + 1) for c in combinations(names, r)]


def shapley(outcome: Outcome, mechanisms: Collection[str]) -> dict[str, float]:
    """Each mechanism's Shapley share of ``outcome(all on) − outcome(all off)``.

    ``outcome(set switched on)`` must return a finite number; ``mechanisms`` are 1 to
    :data:`MAX_MECHANISMS` distinct names (``outcome`` is called ``2ⁿ`` times).
    """
    _check_outcome(outcome)
    names = _check_mechanisms(mechanisms, min_count=1)
    values = {s: _evaluate(outcome, s) for s in subsets(names)}
    n = len(names)
    parts = {}
    for name in names:
        others = [m for m in names if m != name]
        total = 0.0
        for s in _subsets(others):
            weight = math.factorial(len(s)) * math.factorial(n - len(s) - 1) / math.factorial(n)
            total += weight * (values[s | {name}] - values[s])
        parts[name] = total
    return parts


def decomposition_table(outcome: Outcome, mechanisms: Collection[str],
                        labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """A table: the outcome with every mechanism off, each mechanism's share, the total.

    Columns ``part`` (label), ``mechanism`` (key, ``"(none)"`` / ``"(all)"`` for the end
    rows), ``value``; the rows between the first and the last sum to ``all − none``.
    ``labels`` maps some of the mechanisms to the text shown in ``part``.
    """
    _check_outcome(outcome)
    names = _check_mechanisms(mechanisms, min_count=1)
    labels = {} if labels is None else check_mapping("labels", labels)
    for key, text in labels.items():
        check_text("labels (its keys, mechanism names)", key)
        check_text(f"labels[{key!r}]", text)
    unknown_names("labels", labels, names)
    cache: dict[frozenset[str], float] = {}

    def cached(s: frozenset[str]) -> float:
        if s not in cache:
            cache[s] = _evaluate(outcome, s)
        return cache[s]

    parts = shapley(cached, names)
    rows = [("everything switched off", "(none)", cached(frozenset()))]
    rows += [(labels.get(m, m), m, parts[m]) for m in names]
    rows.append(("everything switched on", "(all)", cached(frozenset(names))))
    return pd.DataFrame(rows, columns=["part", "mechanism", "value"])
