"""Chapter 04 · Five characteristics of 微商 · 微商的五大特性.

Its bets, tables and exercise checks."""

from __future__ import annotations

from typing import Any

import ipywidgets as w
import pandas as pd
from pandas.io.formats.style import Styler

from widgets.apps.controls import note
from widgets.apps.labels import prose
from widgets.apps.retention import DEFAULTS
from widgets.apps.tables import captioned
from widgets.models.repeat_purchase import clv

# ------------------------------------------- step: which circle's customers are worth keeping?

COMMUNITY_COLUMNS = ("circle", "orders_last_year", "avg_order_yuan")


def keep_value_by_circle(community: Any) -> Styler | w.HTML:
    """Feed each circle's spend per member into the chapter's CLV model.

    The monthly margin ``m`` is a member's spend last year / 12 (sales stand in for margin:
    an upper bound, assumption); ``CLV_T`` at the chapter's retention ``r`` and at
    ``r + 0.10`` (the bet's lever), with its discount and horizon. The gain, times the
    circle's members, is what +10 points of retention is worth in that circle.
    """
    if not isinstance(community, pd.DataFrame) or any(
            c not in community.columns for c in COMMUNITY_COLUMNS):
        return note(prose(f"community should be the community table (with the columns "
                          f"{list(COMMUNITY_COLUMNS)}): run the cell that loads it.",
                          f"community 应该是社群表（包含 {list(COMMUNITY_COLUMNS)} 这些列）："
                          "先运行读入它的那个单元格。"))
    spend = community["orders_last_year"] * community["avg_order_yuan"]
    circles = (community.assign(spend=spend).groupby("circle")
               .agg(members=("spend", "size"), spend_per_member=("spend", "mean")))
    r, gain = DEFAULTS["retention"], DEFAULTS["retention_gain"]
    common = {"discount": DEFAULTS["discount"], "horizon": int(DEFAULTS["horizon"])}
    margin = circles["spend_per_member"] / 12.0
    before = [float(clv(r, margin=m, **common)) for m in margin]
    after = [float(clv(r + gain, margin=m, **common)) for m in margin]
    per_member = pd.Series(after, index=circles.index) - pd.Series(before, index=circles.index)
    table = pd.DataFrame({
        prose("members", "人数"): circles["members"],
        prose("spend per member (a year)", "人均年消费"): circles["spend_per_member"],
        prose("margin a month", "每月毛利"): margin,
        prose(f"CLV at {r:.2f}", f"留存 {r:.2f} 时的终身价值"): before,
        prose(f"CLV at {r + gain:.2f}", f"留存 {r + gain:.2f} 时的终身价值"): after,
        prose("gain per member", "人均增加"): per_member,
        prose("gain for the circle", "整个圈层增加"): per_member * circles["members"]})
    table.index.name = prose("circle", "圈层")
    table = table.sort_values(prose("gain per member", "人均增加"), ascending=False).round(1)
    return captioned(table, prose(
        f"Synthetic community (invented data). 元; {common['horizon']} months, discount "
        f"{common['discount']:.0%} a month; a month's spend stands in for the margin "
        "(assumption: an upper bound).",
        f"合成的社群数据（虚构）。单位：元；{common['horizon']} 个月，每月贴现 "
        f"{common['discount']:.0%}；用每月消费额代替毛利（假设：只是上限）。"))
