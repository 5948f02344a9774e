"""The customer-atomisation funnel (客户原子化): 顾客 → 用户 → 粉丝, one seller, 2.0 switches.

Thin front-end over :mod:`widgets.models.atomisation_funnel`. ``build_atomisation_funnel()``
returns a VBox whose controls are attributes: the three 2.0 mechanisms (``stop_recruiting``,
``community_retention``, ``feedback_strength``) and the market, equal for every seller
(``join_rate``, ``conversion_scale``, ``churn_scale``, ``agent_rate``, ``geek_share``,
``data_decay``, ``months``). Its figures (``fig_sankey``, ``fig_data``, ``fig_compare``) and
the ``kpis`` HTML can be read by a test after setting a control's ``.value``.
"""

from __future__ import annotations

import ipywidgets as w
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
from widgets.apps.figure import CourseFigure
from widgets.apps.labels import bind, format_pair, prose, register_labels
from widgets.apps.layout import app_children, mark_app
from widgets.apps.theme import BAD, GOOD, NEUTRAL, OKABE_ITO
from widgets.models.atomisation_funnel import (
    BASELINE,
    MECHANISMS_2_0,
    MODEL_DATA,
    MODEL_DATA_ZH,
    STAGES,
    STAGES_ZH,
    STATES,
    FunnelParams,
    FunnelResult,
    simulate_funnel,
)

register_labels({
    "funnel_stop_recruiting": ("Stop recruiting agents (r = 0)", "不再招商（r = 0）"),
    "funnel_community": ("Community keeps people ρ", "社群留人 ρ"),
    "funnel_feedback_strength": ("Co-creation loop φ", "共创反馈 φ"),
    "funnel_join_rate": ("First purchases /month", "首购率（/月）"),
    "funnel_conversion_scale": ("Climbing ×", "升级率倍数（×）"),
    "funnel_churn_scale": ("Churn ×", "流失率倍数（×）"),
    "funnel_agent_rate": ("Agent sign-ups /month (1.0)", "招代理率（/月，1.0）"),
    "funnel_geek_share": ("Geeks among fans γ", "粉丝中的极客比例 γ"),
    "funnel_data_decay": ("Data staleness /month", "数据过时率（/月）"),
    "funnel_months": ("Months", "月数"),
})

_NODE_COLOURS = [NEUTRAL, *OKABE_ITO[:3], BAD, "#555555"]
_NAMES = {"pool": ("Not reached", "未接触"), "agent": ("Agents (招商)", "代理（招商）"),
          "left": ("Left", "流失"),
          **{s: (s.capitalize(), zh) for s, zh in zip(STAGES, STAGES_ZH, strict=True)}}
SELLERS = ("1.0", "2.0")


def _caption() -> str:
    return prose("Illustrative: every rate is the course's assumption. The ladder customer → "
                 "user → fan and the geeks who come out of the community follow "
                 "[Weishang 2.0 n.d.].",
                 "示意：所有比率都是课程的假设。顾客 → 用户 → 粉丝这条阶梯，以及从社群里"
                 "冒出来的极客，依据 [Weishang 2.0 n.d.]。")


def state_label(state: str) -> str:
    """Node name in the current language, e.g. ``Fan · 粉丝``."""
    return format_pair(*_NAMES[state])


class AtomisationFunnelApp(w.VBox):
    """Mechanism switches and market sliders, KPIs, the Sankey, the data stocks and the
    baseline-against-switches comparison."""

    def __init__(self, seller: str = "2.0") -> None:
        if seller not in SELLERS:
            raise ValueError(f"seller must be one of {list(SELLERS)}, got {seller!r}")
        self._compared: dict | None = None
        on = seller == "2.0"
        two = {k: v for changes in MECHANISMS_2_0.values() for k, v in changes.items()}
        self.stop_recruiting = bind(w.Checkbox(value=on, indent=False), "funnel_stop_recruiting")
        self.community_retention = float_slider(
            "funnel_community", two["community_retention"] if on else 0.0, 0.0, 0.9, 0.05)
        self.feedback_strength = float_slider(
            "funnel_feedback_strength", two["feedback_strength"] if on else 0.0, 0.0, 3.0, 0.1)
        self.mechanisms = [self.stop_recruiting, self.community_retention,
                           self.feedback_strength]
        self.join_rate = float_slider("funnel_join_rate", BASELINE.join_rate, 0.0, 0.1, 0.005,
                                      readout_format=".3f")
        self.conversion_scale = float_slider("funnel_conversion_scale", 1.0, 0.25, 2.0, 0.05)
        self.churn_scale = float_slider("funnel_churn_scale", 1.0, 0.0, 3.0, 0.1)
        self.agent_rate = float_slider("funnel_agent_rate", BASELINE.agent_recruitment[0],
                                       0.0, 0.2, 0.01)
        self.geek_share = float_slider("funnel_geek_share", BASELINE.geek_share, 0.0, 1.0, 0.01)
        self.data_decay = float_slider("funnel_data_decay", BASELINE.data_decay, 0.0, 0.5, 0.01)
        self.months = int_slider("funnel_months", BASELINE.months, 6, 60, 1)
        self.market = [self.join_rate, self.conversion_scale, self.churn_scale,
                       self.agent_rate, self.geek_share, self.data_decay, self.months]
        self.controls = [*self.mechanisms, *self.market]
        self.kpis = w.HTML()
        self.fig_sankey = CourseFigure()
        self.fig_sankey.update_layout(
            title=prose("Where people end up after the horizon (people)",
                        "期末人群去向（人）"), height=380)
        self.fig_sankey.add_trace(go.Sankey(
            arrangement="snap",
            # two-line labels: one line each was wider than the gap between columns
            node={"label": [state_label(s).replace(" · ", "<br>") for s in STATES],
                  "color": _NODE_COLOURS, "pad": 14},
            link={"source": [], "target": [], "value": []}))
        self.fig_data = figure(prose("Data stocks", "数据存量"), prose("Month", "月"),
                               prose("records", "条"), **legend_below(115))
        for i, pair in enumerate(zip(MODEL_DATA, MODEL_DATA_ZH, strict=True)):
            self.fig_data.add_scatter(x=[], y=[], mode="lines", name=format_pair(*pair),
                                      line={"color": OKABE_ITO[i]})
        self.fig_compare = figure(
            prose("Repeat buyers (users + fans): baseline against your switches",
                  "回头客（用户 + 粉丝）：基准卖家对比你打开的机制"),
            prose("Month", "月"), prose("people", "人"), height=320, **legend_below())
        self.fig_compare.add_scatter(
            x=[], y=[], mode="lines", name=prose("baseline: no 2.0 mechanism",
                                                 "基准：不开任何 2.0 机制"),
            line={"color": BAD, "dash": "dash"})
        self.fig_compare.add_scatter(x=[], y=[], mode="lines",
                                     name=prose("your switches", "你打开的机制"),
                                     line={"color": GOOD})
        self.result: FunnelResult | None = None
        for control in self.controls:
            control.observe(self._on_change, names="value")
        groups = {format_pair("2.0 switches", "2.0 机制"): self.mechanisms,
                  format_pair("Market (same for all)", "市场（大家一样）"): self.market}
        children = app_children(
            groups, boxed(self.fig_sankey),
            side=[self.kpis, note(prose(
                "Each band is a number of people moving over the whole horizon. Geeks are "
                "not a band: they are a share of the fans. ",
                "每条色带是整个周期里流动的人数。极客不是一条色带：他们是粉丝中的一部分。")
                + _caption())],
            footer=[
                boxed(self.fig_data),
                note(prose("Records of each kind the seller holds each month: users leave "
                           "behaviour data, fans experience data, geeks crowdsourced data. "
                           "Only the last two feed the co-creation loop. ",
                           "卖家每月手里各类数据的条数：用户留下行为数据，粉丝留下体验数据，"
                           "极客贡献众包数据。只有后两种喂给共创反馈。") + _caption()),
                boxed(self.fig_compare),
                note(prose("The same seller on the same market twice: once with no 2.0 "
                           "mechanism, once with the switches you set. The gap is what your "
                           "switches add. ",
                           "同一个卖家、同一个市场跑两遍：一遍不开任何 2.0 机制，一遍按你"
                           "打开的机制。两条线的差就是这些机制带来的。") + _caption()),
            ])
        super().__init__(children)
        mark_app(self)
        self.recompute()

    # -- parameters -------------------------------------------------------------------------
    def market_params(self) -> FunnelParams:
        """The baseline seller on the market the sliders describe (no 2.0 mechanism)."""
        return BASELINE.with_changes(
            join_rate=self.join_rate.value,
            advance=tuple(float(a) * self.conversion_scale.value for a in BASELINE.advance),
            churn=tuple(float(c) * self.churn_scale.value for c in BASELINE.churn),
            agent_recruitment=(self.agent_rate.value,) * len(STAGES),
            geek_share=self.geek_share.value, data_decay=self.data_decay.value,
            months=self.months.value, label="")

    def params(self) -> FunnelParams:
        """The model parameters the controls describe: the market plus the 2.0 switches."""
        base = self.market_params()
        recruit = (0.0,) * len(STAGES) if self.stop_recruiting.value else base.agent_recruitment
        return base.with_changes(agent_recruitment=recruit,
                                 community_retention=self.community_retention.value,
                                 feedback_strength=self.feedback_strength.value)

    def _on_change(self, _change: dict) -> None:
        self.recompute()

    # -- drawing ----------------------------------------------------------------------------
    def recompute(self) -> FunnelResult:
        """Run the model for the current controls and redraw every figure and KPI."""
        params = self.params()
        result = simulate_funnel(params)
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
            for trace, column in zip(self.fig_data.data, MODEL_DATA, strict=True):
                trace.x, trace.y = months, result.data[column].round(1).tolist()
        runs = {"baseline": self.market_params(), "switched": params}
        if runs != self._compared:
            self._compared = runs
            with self.fig_compare.batch_update():
                for trace, key in zip(self.fig_compare.data, runs, strict=True):
                    run = result if key == "switched" else simulate_funnel(runs[key])
                    trace.x = list(run.people.index)
                    trace.y = (run.people["user"] + run.people["fan"]).round(1).tolist()
        s = result.summary
        self.kpis.value = kpi_row([
            kpi_html(prose(f"Repeat buyers after {self.months.value} months",
                           f"{self.months.value} 个月后的回头客"),
                     f"{s['repeat_buyers']:,.0f}", prose("users + fans (illustrative)",
                                                         "用户 + 粉丝（示意）"),
                     "good" if s["repeat_buyers"] > s["agents"] else "bad"),
            kpi_html(prose("Geeks among the fans", "粉丝中的极客"), f"{s['geeks']:,.0f}",
                     prose(f"of {s['fans']:,.0f} fans", f"共 {s['fans']:,.0f} 个粉丝")),
            kpi_html(prose("Signed up as agents", "签成代理"), f"{s['agents']:,.0f}",
                     prose("people", "人"), "bad" if s["agents"] > 0 else "neutral"),
            kpi_html(prose("Left", "流失"), f"{s['left']:,.0f}", prose("people", "人")),
            kpi_html(prose("Feedback multiplier", "反馈倍数"), f"×{s['final_multiplier']:.2f}",
                     prose("on both climbing rates", "作用于两道升级率"),
                     "good" if s["final_multiplier"] > 1 else "neutral"),
        ])
        return result


def build_atomisation_funnel(seller: str = "2.0") -> AtomisationFunnelApp:
    """The funnel app, starting with every 2.0 mechanism on (``"2.0"``) or off (``"1.0"``)."""
    return AtomisationFunnelApp(seller)
