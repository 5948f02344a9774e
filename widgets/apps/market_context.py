"""Market context for chapters 0 and 5: the reported size of 微商, conflicting reports side by side.

Every number comes from ``datasets/market_figures.csv`` (provenance ``as-reported``: figures
that named bodies published, seen through reposts). Nothing here is modelled or smoothed.
"""

from __future__ import annotations

import html

import ipywidgets as w
import pandas as pd
from pandas.io.formats.style import Styler

from widgets.apps.controls import boxed, figure, legend_below, note
from widgets.apps.tables import captioned
from widgets.data import load_dataset, source_note

__all__ = ["market_sizes_table", "market_timeline", "reported_sizes"]

SIZE_METRICS = ("market_size", "practitioners")
KIND_SYMBOLS = {"actual": "circle", "estimate": "x", "forecast": "diamond-open"}


def reported_sizes() -> pd.DataFrame:
    """Market size and practitioner counts, one row per reported figure, with its provenance."""
    data = load_dataset("market_figures")
    data = data[data["metric"].isin(SIZE_METRICS)].copy()
    data["published"] = data["publication_year"].map(
        lambda y: "not given" if pd.isna(y) else str(int(y)))
    columns = ["metric", "year", "value", "unit", "kind", "reported_by", "published", "notes"]
    return (data.sort_values(["metric", "year", "reported_by", "published"])[columns]
            .reset_index(drop=True))


def market_sizes_table() -> Styler:
    """:func:`reported_sizes` for the notebook, captioned with its source and provenance."""
    return captioned(reported_sizes(), (
        f"{source_note('market_figures')}. As reported, via reposts (the original reports were "
        "not seen). kind: actual = a past year, estimate = approximate, forecast = a projection. "
        "Where two bodies disagree, both rows are kept."))


def market_timeline() -> w.VBox:
    """Reported market size by the year it describes: one line per report, forecasts open."""
    data = reported_sizes()
    sizes = data[data["metric"] == "market_size"]
    fig = figure("微商 market size as reported · 微商市场规模（各方报告）",
                 "year the figure describes", "market size (亿元 = 100 million yuan)",
                 height=400, **legend_below())
    for (body, published), rows in sizes.groupby(["reported_by", "published"], sort=True):
        when = "year not given" if published == "not given" else f"published {published}"
        fig.add_scatter(
            x=rows["year"], y=rows["value"], mode="lines+markers", name=f"{body} ({when})",
            marker={"symbol": [KIND_SYMBOLS[k] for k in rows["kind"]], "size": 11},
            customdata=rows["kind"],
            hovertemplate="%{x}: %{y:,}亿元 (%{customdata})<extra></extra>")
    fig.update_xaxes(dtick=1)
    reading = ("Reading: each report's figures rise, including the forecast for 2017; for 2016 "
               "the two bodies differ by more than a third. Filled circle = actual, x = estimate, "
               "open diamond = forecast.")
    return w.VBox([boxed(fig), note(html.escape(reading + " " + source_note("market_figures")))])
