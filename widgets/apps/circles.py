"""Chapter 4: circles (圈层) — which circle of a community to serve first.

The exercise is a pandas ``groupby`` on the synthetic community table; the
checker computes the expected answer from the data and recognises the usual
slips (ranking by total spend or by head count instead of spend per member).
"""

from __future__ import annotations

import html

import ipywidgets as w
import pandas as pd

from widgets.apps.controls import boxed, figure, note
from widgets.apps.theme import OKABE_ITO
from widgets.data import load_dataset, source_note

COMMUNITY = "synthetic_community"


def load_community() -> pd.DataFrame:
    """The synthetic community table (one row per member; provenance: synthetic)."""
    return load_dataset(COMMUNITY)


def circle_summary(community: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per circle: members, total and per-member spend (元/year) and referrals per member."""
    data = load_community() if community is None else community
    spend = data["orders_last_year"] * data["avg_order_yuan"]
    summary = (data.assign(spend=spend)
               .groupby(["circle", "circle_zh"], as_index=False)
               .agg(members=("member_id", "count"), total_spend=("spend", "sum"),
                    spend_per_member=("spend", "mean"),
                    referrals_per_member=("referrals_last_year", "mean")))
    return summary.sort_values("spend_per_member", ascending=False, ignore_index=True)


def build_circle_chart() -> w.VBox:
    """Bars of spend per member by circle, with head counts (shown after the exercise)."""
    summary = circle_summary()
    fig = figure("Spend per member and size of each circle (synthetic)", "circle",
                 "元 per member per year", height=360)
    with fig.batch_update():
        fig.add_bar(x=[f"{c}<br>{z}" for c, z in zip(summary.circle, summary.circle_zh,
                                                     strict=True)],
                    y=summary.spend_per_member.round(0),
                    text=[f"{n} members" for n in summary.members], textposition="outside",
                    marker={"color": OKABE_ITO[0]}, showlegend=False, name="spend per member")
        fig.update_yaxes(range=[0, float(summary.spend_per_member.max()) * 1.2])
    box = boxed(fig)
    box.fig = fig
    caption = note("Small, high-spending circles can matter more than big ones. "
                   f"{html.escape(source_note(COMMUNITY))} — invented data.")
    return w.VBox([box, caption])
