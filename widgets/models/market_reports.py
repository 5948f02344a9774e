"""Weigh conflicting market reports by their provenance: one estimate a year.

The ``market_figures`` dataset keeps every figure two trade bodies reported (as reposted),
including the ones that disagree: actual figures for past years, approximate estimates and
forecasts. A weighting rule ``w`` gives each report ``i`` a weight from what is known of
where it comes from (its kind, whether it is approximate, who reported it and when), never
from its value. The estimate for the year ``y`` is the weighted mean of that year's reports,

.. math::

    \\hat V_y = \\frac{\\sum_{i:\\,y_i = y} w_i\\, v_i}{\\sum_{i:\\,y_i = y} w_i},
    \\qquad \\hat g_y = \\frac{\\hat V_y}{\\hat V_{y^-}} - 1,

where ``y⁻`` is the previous year in the table, next to the naive estimate with every
``w_i = 1``. A year whose reports all weigh 0 has no estimate: the rule must trust at least
one report for every year it is asked about.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from widgets.models.validation import ParameterError, check_frame, check_instance, check_text

#: The columns a report table needs (the ``market_figures`` dataset has them).
REPORT_COLUMNS = ("figure_id", "metric", "year", "value", "kind", "approx", "reported_by",
                  "publication_year")
#: What the rule sees of each report: its provenance, never its value.
PROVENANCE_FIELDS = ("year", "kind", "approx", "reported_by", "publication_year")
MAX_WEIGHT = 1e6

Rule = Callable[[dict[str, Any]], float]


def _provenance(row: pd.Series) -> dict[str, Any]:
    published = row["publication_year"]
    return {"year": int(row["year"]), "kind": str(row["kind"]), "approx": bool(row["approx"]),
            "reported_by": str(row["reported_by"]),
            "publication_year": None if pd.isna(published) else int(published)}


def _weight(rule: Rule, report: dict[str, Any], figure_id: str) -> float:
    value = rule(dict(report))
    ok = (isinstance(value, int | float | np.integer | np.floating)
          and not isinstance(value, bool | np.bool_))
    if not ok or not math.isfinite(float(value)) or not 0.0 <= float(value) <= MAX_WEIGHT:
        raise ParameterError(f"rule must return a weight from 0 to {MAX_WEIGHT:g} for every "
                             f"report; it returned {value!r} for {figure_id}")
    return float(value)


def _reports(reports: Any, metric: Any) -> pd.DataFrame:
    check_frame("reports", reports, REPORT_COLUMNS)
    metric = check_text("metric", metric)
    chosen = reports[reports["metric"] == metric]
    if chosen.empty:
        known = sorted(map(str, reports["metric"].dropna().unique()))[:10]
        raise ParameterError(f"metric {metric!r} has no report in reports (metrics: {known})")
    values = pd.to_numeric(chosen["value"], errors="coerce")
    years = pd.to_numeric(chosen["year"], errors="coerce")
    if not (np.isfinite(values.to_numpy(dtype=float)).all()
            and np.isfinite(years.to_numpy(dtype=float)).all()):
        raise ParameterError("reports needs a finite value and year for every report")
    return chosen


def report_weights(reports: pd.DataFrame, rule: Rule,
                   metric: str = "market_size") -> pd.Series:
    """The rule's weight ``w_i`` for each report of ``metric``, indexed by ``figure_id``.

    ``rule(report)`` receives a dict with the report's provenance only
    (:data:`PROVENANCE_FIELDS`; ``publication_year`` is ``None`` when unknown) and returns a
    number from 0 to :data:`MAX_WEIGHT`.
    """
    chosen = _reports(reports, metric)
    check_instance("rule", rule, Callable, "a function report -> weight")
    weights = [_weight(rule, _provenance(row), str(row["figure_id"]))
               for _, row in chosen.iterrows()]
    return pd.Series(weights, index=chosen["figure_id"].astype(str).to_numpy(), name="weight",
                     dtype=float)


def weigh_reports(reports: pd.DataFrame, rule: Rule,
                  metric: str = "market_size") -> pd.DataFrame:
    """One estimate a year: the weighted mean ``V̂_y`` of the year's reports and its growth
    ``ĝ_y``, next to the naive (equal-weight) mean; indexed by year."""
    weights = report_weights(reports, rule, metric)
    chosen = _reports(reports, metric)
    frame = pd.DataFrame({"year": chosen["year"].astype(int).to_numpy(),
                          "value": chosen["value"].astype(float).to_numpy(),
                          "weight": weights.to_numpy()})
    rows = []
    for year, group in frame.groupby("year", sort=True):
        total = float(group["weight"].sum())
        if total <= 0.0:
            raise ParameterError(f"rule gives every report for {year} weight 0, so that year "
                                 "has no estimate: trust at least one report a year")
        rows.append({"year": int(year), "reports": len(group), "total_weight": total,
                     "naive": float(group["value"].mean()),
                     "estimate": float((group["weight"] * group["value"]).sum() / total)})
    table = pd.DataFrame(rows).set_index("year")
    table["naive_growth"] = table["naive"].pct_change().fillna(0.0)
    table["growth"] = table["estimate"].pct_change().fillna(0.0)
    return table
