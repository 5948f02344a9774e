"""Chapter 4 app: deep relationships (深度营销, 复购) against new traffic.

``build_retention()`` returns a :class:`RetentionApp`: the value of a customer
base over a horizon with +10 points of retention, or with +50 % new customers
(and what those new customers cost to win), plus CLV against retention.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w
import numpy as np

from widgets.apps.controls import boxed, figure, float_slider, int_slider, kpi_html, kpi_row, note
from widgets.apps.labels import one_side, prose, register_labels
from widgets.apps.layout import app_children, mark_app
from widgets.apps.restyle import restyle
from widgets.apps.theme import BAD, GOOD, NEUTRAL, OKABE_ITO
from widgets.models import repeat_purchase as rp

register_labels({
    "ret_new": ("New customers per month", "每月新客户"),
    "ret_retention": ("Monthly retention (复购率)", "月复购率"),
    "ret_margin": ("Margin per active customer (元/month)", "每位活跃客户毛利（元/月）"),
    "ret_discount": ("Discount rate (per month)", "贴现率（每月）"),
    "ret_horizon": ("Horizon (months)", "时间范围（月）"),
    "ret_cac": ("Cost per new customer (元)", "获取一个新客户的成本（元）"),
    "ret_gain_r": ("Retention lever (+ points)", "复购杠杆（+百分点）"),
    "ret_gain_n": ("New-customer lever (+ share)", "拉新杠杆（+比例）"),
})

#: Every default below is an assumption (no sourced 微商 figures were found).
DEFAULTS = {"new_per_period": 100, "retention": 0.70, "margin": 30.0, "discount": 0.01,
            "horizon": 24, "cost_per_new": 20.0, "retention_gain": 0.10,
            "acquisition_gain": 0.50}


GRID = np.linspace(0.0, 0.95, 96)  # retention values for the CLV curve


class RetentionApp(w.VBox):
    """Deep vs new: compare the retention lever with the acquisition lever over a horizon."""

    def __init__(self, **overrides: float) -> None:
        unknown = set(overrides) - set(DEFAULTS)
        if unknown:
            raise TypeError(f"unknown setting(s) {sorted(unknown)}; known: {sorted(DEFAULTS)}")
        v = {**DEFAULTS, **overrides}
        self.new = int_slider("ret_new", int(v["new_per_period"]), 10, 1000, 10)
        self.retention = float_slider("ret_retention", v["retention"], 0.0, 0.89, 0.01)
        self.margin = float_slider("ret_margin", v["margin"], 1.0, 200.0, 1.0,
                                   readout_format=".0f")
        self.discount = float_slider("ret_discount", v["discount"], 0.0, 0.05, 0.005,
                                     readout_format=".3f")
        self.horizon = int_slider("ret_horizon", int(v["horizon"]), 1, 60)
        self.cac = float_slider("ret_cac", v["cost_per_new"], 0.0, 300.0, 5.0,
                                readout_format=".0f")
        self.gain_r = float_slider("ret_gain_r", v["retention_gain"], 0.0, 0.10, 0.01)
        self.gain_n = float_slider("ret_gain_n", v["acquisition_gain"], 0.0, 1.0, 0.05)
        self.levers_fig = figure(prose("Profit over the horizon: base, deeper ties, or more "
                                       "traffic", "整个时段的利润：现状、加深关系，还是多拉流量"),
                                 "", prose("profit, discounted (元)", "贴现后的利润（元）"),
                                 height=360, margin={"b": 90})
        self.clv_fig = figure(prose("What one customer is worth, by monthly retention",
                                    "一个顾客值多少钱：随月复购率变化"),
                              prose("monthly retention r", "月复购率 r"),
                              prose("CLV per customer (元)", "每位顾客的终身价值 CLV（元）"),
                              height=340, legend={"y": -0.3}, margin={"b": 110})
        self.kpis = w.HTML()
        self.caption = note(prose(
            "Model: customer lifetime value with constant retention (Gupta &amp; Lehmann 2003). "
            "All inputs — customers, retention, margin, discount, cost per new customer — are "
            "<b>assumptions</b> for illustration, not 微商 measurements.",
            "模型：复购率不变时的顾客终身价值（Gupta &amp; Lehmann 2003）。所有输入——顾客数、"
            "复购率、毛利、贴现率、获客成本——都是为了演示而设的<b>假设</b>，不是微商的实测。"))
        self.controls = [self.new, self.retention, self.margin, self.discount, self.horizon,
                         self.cac, self.gain_r, self.gain_n]
        for control in self.controls:
            control.observe(lambda _: self.update(), names="value")
        self.update()
        super().__init__(app_children(self.controls, boxed(self.levers_fig), side=[self.kpis],
                                      footer=[boxed(self.clv_fig), self.caption]))
        mark_app(self)

    def _add_traces(self) -> None:
        self.levers_fig.add_bar(x=[], y=[], marker={"color": [NEUTRAL, GOOD, OKABE_ITO[0], BAD]},
                                textposition="outside", name=prose("profit (元)", "利润（元）"),
                                showlegend=False)
        self.clv_fig.add_scatter(x=GRID, y=np.zeros(len(GRID)), mode="lines",
                                 name=prose("CLV over the horizon", "整个时段的 CLV"),
                                 line={"color": OKABE_ITO[0]})
        self.clv_fig.add_scatter(x=[], y=[], mode="markers+text",
                                 text=[prose("now", "现在"),
                                       prose("with the lever", "用了杠杆")],
                                 textposition="top left",
                                 marker={"size": 11, "color": [NEUTRAL, GOOD]},
                                 name=prose("your retention, and with the lever",
                                            "你的复购率，以及用了杠杆以后"))

    def settings(self) -> dict[str, Any]:
        return {"new_per_period": self.new.value, "retention": self.retention.value,
                "margin": self.margin.value, "discount": self.discount.value,
                "horizon": self.horizon.value, "retention_gain": self.gain_r.value,
                "acquisition_gain": self.gain_n.value}

    def update(self) -> rp.LeverComparison:
        s = self.settings()
        result = rp.compare_levers(**s)
        extra_new = s["new_per_period"] * s["acquisition_gain"]
        cost_new = rp.acquisition_cost(extra_new, self.cac.value, discount=s["discount"],
                                       horizon=s["horizon"])
        net_new = result.acquisition_uplift - cost_new
        labels = [one_side("base · 现状"),
                  prose(f"+{s['retention_gain'] * 100:.0f} pts retention · 复购",
                        f"复购 +{s['retention_gain'] * 100:.0f} 个百分点"),
                  prose(f"+{s['acquisition_gain']:.0%} new · 拉新",
                        f"拉新 +{s['acquisition_gain']:.0%}"),
                  prose("+new, net of cost · 扣除获客成本", "拉新，扣除获客成本")]
        values = [result.baseline, result.more_retention, result.more_new,
                  result.baseline + net_new]
        if not self.levers_fig.data:
            self._add_traces()
        restyle(self.levers_fig, 0, x=labels, y=values, text=[f"{v:,.0f}" for v in values])
        with self.levers_fig.batch_update():
            self.levers_fig.update_yaxes(range=[0, max(values) * 1.15 if max(values) > 0 else 1])
        clv = rp.clv(GRID, margin=s["margin"], discount=s["discount"], horizon=s["horizon"])
        marks = [s["retention"], min(s["retention"] + s["retention_gain"], rp.RETENTION_MAX)]
        marked = rp.clv(marks, margin=s["margin"], discount=s["discount"], horizon=s["horizon"])
        restyle(self.clv_fig, 0, y=clv)
        restyle(self.clv_fig, 1, x=marks, y=marked)
        winner = (prose("deeper ties (复购)", "加深关系（复购）") if result.retention_wins
                  else prose("more new customers", "多拉新客户"))
        self.kpis.value = kpi_row([
            kpi_html(prose("CLV per customer", "每位顾客的 CLV"), f"{float(marked[0]):,.0f} 元",
                     prose(f"over {s['horizon']} months at r = {s['retention']:.2f}",
                           f"{s['horizon']} 个月，r = {s['retention']:.2f}")),
            kpi_html(prose("Gain from the retention lever", "复购杠杆带来的增益"),
                     f"{result.retention_uplift:,.0f} 元",
                     prose("before what it costs you (service, samples, care)",
                           "还没扣掉它的成本（服务、试用装、维护）"),
                     tone="good" if result.retention_wins else "neutral"),
            kpi_html(prose("Gain from the new-customer lever", "拉新杠杆带来的增益"),
                     f"{result.acquisition_uplift:,.0f} 元",
                     prose(f"{net_new:,.0f} 元 after paying {self.cac.value:.0f} 元 per new "
                           "customer", f"每个新客户付 {self.cac.value:.0f} 元获客成本后剩 "
                           f"{net_new:,.0f} 元"),
                     tone="neutral" if result.retention_wins else "good"),
            kpi_html(prose("Bigger gross gain", "毛增益更大的是"), winner,
                     prose("compare the two middle bars", "比较中间两根柱子")),
        ])
        self.result, self.net_new = result, net_new
        return result


def build_retention(**overrides: float) -> RetentionApp:
    """The chapter 4 deep-vs-new app (defaults are labelled assumptions)."""
    return RetentionApp(**overrides)
