"""The frequency-mix app (组合拳): combine high- and low-frequency products over a year.

Thin front-end over :mod:`widgets.models.frequency_mix`. ``build_frequency_mix()``
returns a :class:`FrequencyMixApp` (a VBox) with the controls ``preset``,
``portfolio`` (product ids), ``customers`` and ``idle_retention``, the figures
``fig_margin`` (monthly margin by product) and ``fig_customers`` (active customers
and products on sale per month), and the ``kpis`` HTML.
"""

from __future__ import annotations

import ipywidgets as w
import pandas as pd

from widgets.apps.controls import boxed, figure, float_slider, int_slider, kpi_html, kpi_row, note
from widgets.apps.controls import toggle as toggle_buttons
from widgets.apps.labels import bind, one_side, prose, register_labels
from widgets.apps.layout import app_children, mark_app
from widgets.apps.theme import OKABE_ITO
from widgets.data import load_dataset
from widgets.models.frequency_mix import (
    DEFAULT_CUSTOMERS,
    DEFAULT_IDLE_RETENTION,
    RANGE_TARGET,
    FrequencyMixResult,
    frequency_mix,
)

#: Named portfolios the toggle loads (product ids of ``datasets/product_frequency.csv``).
PRESETS: dict[str, tuple[str, ...]] = {
    "nest_only": ("bird_nest",),
    "high_only": ("rice", "eggs"),
    "combination": ("bird_nest", "rice", "eggs"),
    "year_round": ("bird_nest", "rice", "eggs", "navel_orange", "strawberry", "spring_tea",
                   "cherry", "lychee", "peach", "kiwifruit", "hairy_crab", "honey"),
}
PRESET_LABELS = {
    "nest_only": "Bird's nest only · 只卖燕窝",
    "high_only": "High-frequency only · 只卖高频",
    "combination": "Combination · 组合拳",
    "year_round": "Year-round farm range · 全年农特",
    "custom": "My own mix · 自选",
}
CAPTION = ("Illustrative: frequencies, baskets, margins and seasons are the course's round "
           "numbers, and the idle-customer retention ρ is an assumption; the argument is "
           "[Huang 2017]'s. 数字均为示意。")
CAPTION_ZH = ("示意数据：购买频率、客单、毛利和季节都是课程取的整数，未购顾客的留存率 ρ 是假设；"
              "论点来自 [Huang 2017]。")

register_labels({
    "fm_preset": ("Portfolio", "产品组合"),
    "fm_portfolio": ("Products sold", "在售产品"),
    "fm_customers": ("Customers at start", "初始顾客数"),
    "fm_idle_retention": ("Idle stay rate ρ", "未购留存率 ρ"),
})


class FrequencyMixApp(w.VBox):
    """Pick a portfolio; see monthly margin by product, customers kept and months covered."""

    def __init__(self, products: pd.DataFrame | None = None, preset: str = "nest_only") -> None:
        table = load_dataset("product_frequency") if products is None else products
        if preset not in PRESETS:
            raise ValueError(f"preset must be one of {sorted(PRESETS)}, got {preset!r}")
        self.table = table.set_index("product_id")
        self.names = {pid: one_side(f"{row.name_en} · {row.name_zh}") + " " + prose(
                           f"[{'high 高频' if row.frequency_class == 'high' else 'low 低频'}]",
                           f"[{'高频' if row.frequency_class == 'high' else '低频'}]")
                      for pid, row in self.table.iterrows()}
        self._loading = False
        self.preset = toggle_buttons("fm_preset",
                                     [(one_side(v), k) for k, v in PRESET_LABELS.items()], preset)
        self.preset.style.button_width = "auto"
        self.portfolio = bind(w.SelectMultiple(
            options=[(label, pid) for pid, label in self.names.items()],
            value=PRESETS[preset], rows=len(self.names), style={"description_width": "16em"},
            layout=w.Layout(width="100%", max_width="44em")), "fm_portfolio")
        self.customers = int_slider("fm_customers", DEFAULT_CUSTOMERS, 20, 1000, 10)
        self.idle_retention = float_slider("fm_idle_retention", DEFAULT_IDLE_RETENTION, 0.0,
                                           1.0, 0.05)
        self.kpis = w.HTML()
        self.fig_margin = figure(prose("Gross margin by month and product · 每月毛利",
                                       "每月各产品的毛利"),
                                 "Month · 月份", prose("Margin (元/month) · 毛利", "毛利（元/月）"),
                                 height=400, barmode="stack", showlegend=True)
        self.fig_margin.update_xaxes(tickmode="linear", dtick=1)
        self.fig_customers = figure(
            one_side("Customers kept and products on sale · 顾客与在售品类"), "Month · 月份",
            prose("Customers (people) · 顾客", "顾客（人）"), height=340)
        self.fig_customers.add_scatter(x=[], y=[], mode="lines+markers",
                                       name=one_side("Active customers · 活跃顾客"),
                                       line={"color": OKABE_ITO[0]})
        self.fig_customers.add_bar(x=[], y=[], name=one_side("Products on sale · 在售产品数"),
                                   marker_color=OKABE_ITO[5], yaxis="y2", opacity=0.5)
        self.fig_customers.update_layout(yaxis2={
            "title": {"text": one_side("Products on sale · 在售数")}, "overlaying": "y",
            "side": "right", "range": [0, len(self.table) + 1], "dtick": 2,
            "showgrid": False, "tickmode": "linear", "tick0": 0})
        self.fig_customers.update_xaxes(tickmode="linear", dtick=1)
        self.fig_customers.add_hline(y=RANGE_TARGET, line_dash="dot", yref="y2",
                                     annotation_text=one_side("3 products · 3个产品"))
        self.result: FrequencyMixResult | None = None
        self.preset.observe(self._on_preset, names="value")
        self.portfolio.observe(self._on_portfolio, names="value")
        for control in (self.customers, self.idle_retention):
            control.observe(lambda _change: self.recompute(), names="value")
        super().__init__(app_children(
            [self.preset, self.portfolio, self.customers, self.idle_retention],
            boxed(self.fig_margin),
            side=[self.kpis, note(prose(
                "Each colour is one product's gross margin in that month; gaps are months "
                "with nothing in season. " + CAPTION,
                "每种颜色是一个产品当月的毛利；空档是没有当季产品的月份。" + CAPTION_ZH))],
            footer=[boxed(self.fig_customers),
                    note(prose("Line: customers still buying from you; bars: how many products "
                               "you can offer that month ([Huang 2017]'s target: about 3). "
                               + CAPTION,
                               "线：还在跟你买的顾客；柱：当月能卖的产品数（[Huang 2017] 的目标："
                               "大约 3 个）。" + CAPTION_ZH))]))
        mark_app(self)
        self.recompute()

    def _on_preset(self, change: dict) -> None:
        if self._loading or change["new"] == "custom":
            return
        self._loading = True
        try:
            self.portfolio.value = PRESETS[change["new"]]
        finally:
            self._loading = False
        self.recompute()

    def _on_portfolio(self, _change: dict) -> None:
        if self._loading:
            return
        self._loading = True
        try:
            self.preset.value = "custom"
        finally:
            self._loading = False
        self.recompute()

    def recompute(self) -> FrequencyMixResult:
        ids = list(self.portfolio.value)
        result = frequency_mix(self.table, ids, customers=self.customers.value,
                               idle_retention=self.idle_retention.value,
                               frequency_class=self.table["frequency_class"])
        months = list(result.monthly.index)
        with self.fig_margin.batch_update():
            self.fig_margin.data = ()
            for i, pid in enumerate(ids):
                self.fig_margin.add_bar(x=months, y=result.margin.loc[pid].to_numpy(),
                                        name=self.names[pid],
                                        marker_color=OKABE_ITO[i % len(OKABE_ITO)])
        with self.fig_customers.batch_update():
            self.fig_customers.layout.yaxis.range = [0, self.customers.value * 1.05]
            self.fig_customers.data[0].update(x=months,
                                              y=result.monthly["customers"].to_numpy())
            self.fig_customers.data[1].update(x=months,
                                              y=result.monthly["products"].to_numpy())
        summary = result.summary
        low_share = summary["low_frequency_margin_share"]
        kept = summary["customers_end"] / self.customers.value
        self.kpis.value = kpi_row([
            kpi_html(one_side("Year's gross margin · 全年毛利"), f"{summary['margin']:,.0f} 元",
                     prose(f"on {summary['revenue']:,.0f} 元 revenue (illustrative)",
                           f"收入 {summary['revenue']:,.0f} 元（示意）")),
            kpi_html(one_side("Customers kept after 12 months · 一年后留存"), f"{kept:.0%}",
                     prose(f"{summary['customers_end']:,.0f} of {self.customers.value:,}",
                           f"{summary['customers_end']:,.0f} / {self.customers.value:,} 人"),
                     "good" if kept >= 0.5 else "bad"),
            kpi_html(one_side("Months with < 3 products · 品类不足月份"),
                     str(summary["thin_months"]),
                     prose(f"{summary['empty_months']} with nothing on sale",
                           f"其中 {summary['empty_months']} 个月无货可卖"),
                     "good" if summary["thin_months"] == 0 else "bad"),
            kpi_html(one_side("Margin from low-frequency items · 低频毛利占比"),
                     "—" if pd.isna(low_share) else f"{low_share:.0%}",
                     prose("the high-margin half of the mix", "组合里高毛利的那一半")),
        ])
        self.result = result
        return result


def build_frequency_mix(preset: str = "nest_only") -> FrequencyMixApp:
    """The frequency-mix app, starting from a named portfolio (see :data:`PRESETS`)."""
    return FrequencyMixApp(preset=preset)
