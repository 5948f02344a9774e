"""Chapter 1 app: word of mouth (口碑) against bought traffic (流量批发), as two Bass curves.

``build_word_of_mouth()`` returns a :class:`WordOfMouthApp`; a test sets e.g.
``app.q_wom.value`` and reads ``app.adoption_fig.data`` or ``app.kpis.value``.
"""

from __future__ import annotations

import ipywidgets as w
import numpy as np

from widgets.apps.controls import (
    boxed,
    figure,
    float_slider,
    int_slider,
    kpi_html,
    kpi_row,
    note,
)
from widgets.apps.labels import prose, register_labels
from widgets.apps.layout import app_children, mark_app
from widgets.apps.restyle import restyle
from widgets.apps.theme import OKABE_ITO
from widgets.models import bass_diffusion as bass

register_labels({
    "wom_p_wholesale": ("Wholesale traffic: external influence p", "流量批发：外部影响 p"),
    "wom_q_wholesale": ("Wholesale traffic: word of mouth q", "流量批发：口碑系数 q"),
    "wom_p_wom": ("Word of mouth: external influence p", "口碑：外部影响 p"),
    "wom_q_wom": ("Word of mouth: word of mouth q", "口碑：口碑系数 q"),
    "wom_market": ("Market size (people)", "市场规模（人）"),
    "wom_cost": ("Cost per bought adopter (元)", "每个买来的用户成本（元）"),
    "wom_periods": ("Periods shown", "显示期数"),
})

COLOURS = {"wholesale": OKABE_ITO[3], "word_of_mouth": OKABE_ITO[2]}
DEFAULT_MARKET = 10_000  # people a seller could ever reach (assumption)
DEFAULT_COST = 30.0  # 元 per adopter won by bought traffic (assumption, no sourced figure)


class WordOfMouthApp(w.VBox):
    """Two strategies side by side: adoption curves, peaks and the bought-traffic bill."""

    def __init__(self, market_size: int = DEFAULT_MARKET,
                 cost_per_bought_adopter: float = DEFAULT_COST) -> None:
        wholesale = bass.SCENARIOS["wholesale"]
        wom = bass.SCENARIOS["word_of_mouth"]
        self.p_wholesale = float_slider("wom_p_wholesale", wholesale.p, 0.001, 0.2, 0.001,
                                        readout_format=".3f")
        self.q_wholesale = float_slider("wom_q_wholesale", wholesale.q, 0.0, 1.0, 0.01)
        self.p_wom = float_slider("wom_p_wom", wom.p, 0.001, 0.2, 0.001, readout_format=".3f")
        self.q_wom = float_slider("wom_q_wom", wom.q, 0.0, 1.0, 0.01)
        self.market_size = int_slider("wom_market", market_size, 1_000, 100_000, 1_000)
        self.cost = float_slider("wom_cost", cost_per_bought_adopter, 0.0, 200.0, 1.0,
                                 readout_format=".0f")
        self.periods = int_slider("wom_periods", 30, 10, 80, 5)
        self.adoption_fig = figure(prose("Adopters over time: 流量批发 vs 口碑",
                                         "用户随时间增长：流量批发 vs 口碑"),
                                   prose("time (periods)", "时间（期）"),
                                   prose("people who have adopted", "已采用的人数"), height=380,
                                   legend={"y": -0.3}, margin={"b": 120})
        self.rate_fig = figure(prose("New adopters per period, by channel",
                                     "每期新增用户，按渠道分"),
                               prose("time (periods)", "时间（期）"),
                               prose("new adopters per period", "每期新增用户（人）"), height=360,
                               legend={"y": -0.3}, margin={"b": 110})
        self.kpis = w.HTML()
        self.caption = note(prose(
            "Curves: Bass model. 口碑's p and q lie in the cited ranges (p≈0.01–0.03, "
            "q≈0.3–0.5; [Sultan et al. 1990] in docs/REFERENCES.md); 流量批发's values, "
            "the market size and "
            "the price of bought traffic are <b>assumptions</b>. A period is read as a year in "
            "the studies behind p and q; for fast-moving goods treat it as shorter (assumption).",
            "曲线：Bass 模型。口碑的 p 和 q 落在文献给出的范围里（p≈0.01–0.03，q≈0.3–0.5；"
            "见 docs/REFERENCES.md 的 [Sultan et al. 1990]）；流量批发的取值、市场规模和买流量"
            "的价格都是<b>假设</b>。在 p、q 所依据的研究里，一期按一年算；快消品可以把一期"
            "看得短一些（假设）。"))
        self.controls = [self.p_wholesale, self.q_wholesale, self.p_wom, self.q_wom,
                         self.market_size, self.cost, self.periods]
        for control in self.controls:
            control.observe(lambda _: self.update(), names="value")
        self.update()
        super().__init__(app_children(self.controls, boxed(self.adoption_fig), side=[self.kpis],
                                      footer=[boxed(self.rate_fig), self.caption]))
        mark_app(self)

    def _add_traces(self, names: dict[str, str]) -> None:
        for key in bass.SCENARIOS:
            self.adoption_fig.add_scatter(x=[], y=[], mode="lines", name=names[key],
                                          line={"color": COLOURS[key]})
        for key in bass.SCENARIOS:
            self.adoption_fig.add_scatter(x=[], y=[], mode="markers", name=names[key],
                                          marker={"color": COLOURS[key], "size": 10,
                                                  "symbol": "diamond"})
        self.adoption_fig.add_shape(type="line", xref="paper", x0=0, x1=1, y0=0, y1=0,
                                    line={"dash": "dot", "color": "#999"})
        for key in bass.SCENARIOS:
            self.rate_fig.add_scatter(x=[], y=[], mode="lines", name=names[key],
                                      line={"color": COLOURS[key]})
            self.rate_fig.add_scatter(x=[], y=[], mode="lines",
                                      name=names[key] + prose(": bought part", "：买来的部分"),
                                      line={"color": COLOURS[key], "dash": "dash"})

    def strategies(self) -> dict[str, tuple[float, float]]:
        return {"wholesale": (self.p_wholesale.value, self.q_wholesale.value),
                "word_of_mouth": (self.p_wom.value, self.q_wom.value)}

    def update(self) -> dict[str, bass.Summary]:
        market, periods = self.market_size.value, self.periods.value
        names = {k: prose(f"{s.name_zh} · {s.name_en}", s.name_zh)
                 for k, s in bass.SCENARIOS.items()}
        summaries, tables = {}, {}
        for key, (p, q) in self.strategies().items():
            summaries[key] = bass.summarise(p, q, market_size=market,
                                            cost_per_bought_adopter=self.cost.value)
            tables[key] = bass.adoption_table(p, q, market_size=market, periods=periods)
        if not self.adoption_fig.data:
            self._add_traces(names)
        for index, key in enumerate(tables):
            table, summary = tables[key], summaries[key]
            shown = summary.time_to_half <= periods
            restyle(self.adoption_fig, index, x=table.t.to_numpy(),
                    y=table.cumulative.to_numpy())
            restyle(self.adoption_fig, 2 + index,
                    x=[summary.time_to_half] if shown else [],
                    y=[market / 2] if shown else [],
                    name=names[key] + prose(f": half the market at {summary.time_to_half:.1f}",
                                            f"：第 {summary.time_to_half:.1f} 期覆盖一半市场"))
            t = table.t.to_numpy()
            restyle(self.rate_fig, 2 * index, x=t, y=table.rate.to_numpy())
            restyle(self.rate_fig, 2 * index + 1, x=t[1:],
                    y=np.diff(table.from_bought_traffic.to_numpy()) / np.diff(t))
        with self.adoption_fig.batch_update():
            self.adoption_fig.layout.shapes[0].update(y0=market / 2, y1=market / 2)
            self.adoption_fig.update_yaxes(range=[0, market * 1.02])
        cards = []
        for key, summary in summaries.items():
            scenario = bass.SCENARIOS[key]
            cards.append(kpi_html(scenario.name_zh + prose(": half the market at",
                                                           "：覆盖一半市场用时"),
                                  prose(f"{summary.time_to_half:.1f} periods",
                                        f"{summary.time_to_half:.1f} 期"),
                                  prose(f"peak at {summary.peak_time:.1f}",
                                        f"第 {summary.peak_time:.1f} 期达到高峰")))
            cards.append(kpi_html(scenario.name_zh + prose(": bought traffic to half",
                                                           "：买流量到一半市场的花费"),
                                  f"{summary.bought_cost_to_half:,.0f} 元",
                                  prose(f"{summary.bought_share_at_half:.0%} of adopters bought; "
                                        f"{summary.cost_per_adopter_to_half:.1f} 元 each "
                                        "(assumption)",
                                        f"{summary.bought_share_at_half:.0%} 的用户是买来的；"
                                        f"每人 {summary.cost_per_adopter_to_half:.1f} 元（假设）"),
                                  tone="bad" if summary.bought_share_at_half > 0.5 else "good"))
        self.kpis.value = kpi_row(cards)
        self.summaries = summaries
        return summaries


def build_word_of_mouth(**kwargs: float) -> WordOfMouthApp:
    """The chapter 1 word-of-mouth app (defaults: the two cited/assumed scenarios)."""
    return WordOfMouthApp(**kwargs)
