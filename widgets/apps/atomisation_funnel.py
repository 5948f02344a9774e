"""The customer-atomisation funnel (客户原子化): a Sankey of people and the data stocks they yield.

Thin front-end over :mod:`widgets.models.atomisation_funnel`. ``build_atomisation_funnel()``
returns a VBox whose controls (``seller``, ``join_rate``, ``conversion_scale``,
``churn_scale``, ``agent_rate``, ``feedback_strength``, ``data_decay``, ``months``) and
figures (``fig_sankey``, ``fig_data``, ``fig_compare``) are attributes, so a test can set a
control's ``.value`` and read the figures' data and the ``kpis`` HTML.
"""

from __future__ import annotations

import ipywidgets as w
import numpy as np
import plotly.graph_objects as go

from widgets.apps.controls import (
    boxed,
    figure,
    float_slider,
    int_slider,
    kpi_html,
    kpi_row,
    legend_below,
    note,
)
from widgets.apps.controls import toggle as toggle_buttons
from widgets.apps.figure import CourseFigure
from widgets.apps.labels import register_labels
from widgets.apps.layout import app_children, mark_app
from widgets.apps.theme import BAD, GOOD, NEUTRAL, OKABE_ITO
from widgets.models.atomisation_funnel import (
    DATA_TYPES,
    DATA_TYPES_ZH,
    LINKS,
    LINKS_ZH,
    SELLER_PRESETS,
    STATES,
    FunnelParams,
    FunnelResult,
    simulate_funnel,
)

register_labels({
    "funnel_seller": ("Seller", "卖家模式"),
    "funnel_join_rate": ("Join rate /month", "入群率"),
    "funnel_conversion_scale": ("Conversion ×", "转化率倍数"),
    "funnel_churn_scale": ("Churn ×", "流失率倍数"),
    "funnel_agent_rate": ("Agent sign-ups /month", "招代理率"),
    "funnel_feedback_strength": ("Feedback φ", "反馈强度"),
    "funnel_data_decay": ("Data staleness /month", "数据过时率"),
    "funnel_months": ("Months", "月数"),
})

_CAPTION = ("Illustrative: every rate is the course's assumption. The five links, their data and "
            "their organisation forms come from [Weishang 2.0 n.d.]. "
            "示意：比例均为课程假设。")
_NODE_COLOURS = [NEUTRAL, *OKABE_ITO[:5], BAD, "#555555"]


def state_label(state: str) -> str:
    """Bilingual node name, e.g. ``Community · 社群``."""
    names = {**dict(zip(LINKS, LINKS_ZH, strict=True)), "pool": "未接触", "agent": "代理 (招商)",
             "left": "流失"}
    english = {"pool": "Not reached", "agent": "Agents", "left": "Left"}.get(state,
                                                                           state.capitalize())
    return f"{english} · {names[state]}"


class AtomisationFunnelApp(w.VBox):
    """Controls on top, KPIs, then the Sankey, the data stocks and the 1.0-vs-2.0 comparison."""

    def __init__(self, seller: str = "2.0") -> None:
        if seller not in SELLER_PRESETS:
            raise ValueError(f"seller must be one of {sorted(SELLER_PRESETS)}, got {seller!r}")
        self._loading = False
        self._compared: dict[str, float] = {}
        self.seller = toggle_buttons("funnel_seller", list(SELLER_PRESETS), seller)
        self.join_rate = float_slider("funnel_join_rate", 0.04, 0.0, 0.2, 0.01,
                                      readout_format=".2f")
        self.conversion_scale = float_slider("funnel_conversion_scale", 1.0, 0.25, 2.0, 0.05)
        self.churn_scale = float_slider("funnel_churn_scale", 1.0, 0.0, 3.0, 0.1)
        self.agent_rate = float_slider("funnel_agent_rate", 0.0, 0.0, 0.2, 0.01)
        self.feedback_strength = float_slider("funnel_feedback_strength", 1.0, 0.0, 3.0, 0.1)
        self.data_decay = float_slider("funnel_data_decay", 0.05, 0.0, 0.5, 0.01)
        self.months = int_slider("funnel_months", 24, 6, 60, 1)
        self.controls = [self.join_rate, self.conversion_scale, self.churn_scale,
                         self.agent_rate, self.feedback_strength, self.data_decay, self.months]
        self.kpis = w.HTML()
        self.fig_sankey = CourseFigure()
        self.fig_sankey.update_layout(
            title="Where people end up after the horizon · 人群去向 (people)", height=380)
        self.fig_sankey.add_trace(go.Sankey(
            arrangement="snap",
            # two-line labels: one line each was wider than the gap between columns
            node={"label": [state_label(s).replace(" · ", "<br>") for s in STATES],
                  "color": _NODE_COLOURS,
                  "pad": 14},
            link={"source": [], "target": [], "value": []}))
        self.fig_data = figure("Data stock by link · 各环节数据存量", "Month · 月",
                               "records · 条", **legend_below(115))
        for i, (name, name_zh) in enumerate(zip(DATA_TYPES, DATA_TYPES_ZH, strict=True)):
            self.fig_data.add_scatter(x=[], y=[], mode="lines", name=f"{name} · {name_zh}",
                                      line={"color": OKABE_ITO[i]})
        self.fig_compare = figure("Customers (顾客) over time: 1.0 vs 2.0 preset",
                                  "Month · 月", "people · 人", height=320, **legend_below())
        self.fig_compare.add_scatter(x=[], y=[], mode="lines", name="1.0 seller · 招商",
                                     line={"color": BAD, "dash": "dash"})
        self.fig_compare.add_scatter(x=[], y=[], mode="lines", name="2.0 seller · 共创",
                                     line={"color": GOOD})
        self.result: FunnelResult | None = None
        self.seller.observe(self._on_seller, names="value")
        for control in self.controls:
            control.observe(self._on_change, names="value")
        self._load_preset(seller)
        children = app_children(
            [self.seller, *self.controls], boxed(self.fig_sankey),
            side=[self.kpis, note("Each band is a number of people moving between links over "
                                  "the whole horizon. " + _CAPTION)],
            footer=[
            boxed(self.fig_data),
            note("How many records of each link's kind of data the seller holds each month. "
                 + _CAPTION),
            boxed(self.fig_compare),
            note("Customers under the 1.0 and 2.0 presets on the same market (join rate and "
                 "months from the sliders). " + _CAPTION),
        ])
        super().__init__(children)
        mark_app(self)
        self.recompute()

    # -- parameters -------------------------------------------------------------------------
    def params(self) -> FunnelParams:
        """The model parameters the controls describe (preset scaled by the sliders)."""
        base = SELLER_PRESETS[self.seller.value]
        advance = tuple(float(a) * self.conversion_scale.value for a in base.advance)
        churn = tuple(float(c) * self.churn_scale.value for c in base.churn)
        return base.with_changes(
            join_rate=self.join_rate.value, advance=advance, churn=churn,
            agent_recruitment=(self.agent_rate.value,) * len(LINKS),
            feedback_strength=self.feedback_strength.value, data_decay=self.data_decay.value,
            months=self.months.value)

    def _load_preset(self, seller: str) -> None:
        preset = SELLER_PRESETS[seller]
        self._loading = True
        try:
            self.join_rate.value = preset.join_rate
            self.conversion_scale.value = 1.0
            self.churn_scale.value = 1.0
            self.agent_rate.value = float(np.mean(preset.agent_recruitment))
            self.feedback_strength.value = preset.feedback_strength
            self.data_decay.value = preset.data_decay
        finally:
            self._loading = False

    def _on_seller(self, change: dict) -> None:
        self._load_preset(change["new"])
        self.recompute()

    def _on_change(self, _change: dict) -> None:
        if not self._loading:
            self.recompute()

    # -- drawing ----------------------------------------------------------------------------
    def recompute(self) -> FunnelResult:
        """Run the model for the current controls and redraw every figure and KPI."""
        result = simulate_funnel(self.params())
        self.result = result
        index = {state: i for i, state in enumerate(STATES)}
        flows = result.flows[result.flows["people"] > 1e-9]
        with self.fig_sankey.batch_update():
            sankey = self.fig_sankey.data[0]
            sankey.link.source = [index[s] for s in flows["source"]]
            sankey.link.target = [index[t] for t in flows["target"]]
            sankey.link.value = [round(float(v), 1) for v in flows["people"]]
        months = list(result.data.index)
        with self.fig_data.batch_update():
            for trace, column in zip(self.fig_data.data, DATA_TYPES, strict=True):
                trace.x, trace.y = months, result.data[column].round(1).tolist()
        market = {"join_rate": self.join_rate.value, "months": self.months.value}
        if market != self._compared:  # the comparison depends on the market sliders only
            self._compared = market
            with self.fig_compare.batch_update():
                for trace, mode in zip(self.fig_compare.data, ("1.0", "2.0"), strict=True):
                    run = simulate_funnel(SELLER_PRESETS[mode].with_changes(**market))
                    trace.x = list(run.people.index)
                    trace.y = run.people["customer"].round(1).tolist()
        s = result.summary
        self.kpis.value = kpi_row([
            kpi_html(f"Customers after {self.months.value} months · 顾客",
                     f"{s['customers']:,.0f}", "people (illustrative)",
                     "good" if s["customers"] > s["agents"] else "bad"),
            kpi_html("Signed up as agents · 代理", f"{s['agents']:,.0f}", "people, 招商",
                     "bad" if s["agents"] > 0 else "neutral"),
            kpi_html("Left · 流失", f"{s['left']:,.0f}", "people"),
            kpi_html("Data held · 数据存量", f"{s['data_total']:,.0f}", "records"),
            kpi_html("Feedback multiplier · 反馈倍数", f"×{s['final_multiplier']:.2f}",
                     "on every conversion rate", "good" if s["final_multiplier"] > 1 else
                     "neutral"),
        ])
        return result


def build_atomisation_funnel(seller: str = "2.0") -> AtomisationFunnelApp:
    """The funnel app, starting from the ``"1.0"`` or ``"2.0"`` seller preset."""
    return AtomisationFunnelApp(seller)
