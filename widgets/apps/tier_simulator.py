"""Chapter 3 (and 6) app: the tier simulator — where stock and money end up, 1.0 against 2.0.

``build_tier_simulator(mode, side_by_side)`` returns a :class:`TierSimulatorApp`:
sliders for the ladder, the first order, the restock push, recruiting, the pool
and consumer demand; a 1.0 / 2.0 toggle and a side-by-side switch; a stacked
area of unsold stock by tier, a Sankey of the money, a histogram of agent profit
and KPI cards with the legal flags. The model is
:mod:`widgets.models.tier_simulator`.

Chapter 3's bet, tables and exercises are in :mod:`widgets.chapters.ch03`.
"""

from __future__ import annotations

import html

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
    toggle,
)
from widgets.apps.formats import percent, ratio, ratio_tone
from widgets.apps.labels import bind, get_language, one_side, prose, register_labels
from widgets.apps.layout import app_children, mark_app
from widgets.apps.theme import BAD, GOOD, OKABE_ITO
from widgets.models.tier_simulator import (
    MAX_TIERS,
    MODES,
    RECORD_FIELDS,
    ParameterError,
    TierParams,
    TierResult,
    simulate_tiers,
    tier_name,
)

__all__ = [
    "TierSimulatorApp",
    "build_tier_simulator",
]

register_labels({
    "tier_mode": ("Model", "模式"),
    "tier_side_by_side": ("Side by side", "并排对比"),
    "tier_n_tiers": ("Agent tiers", "代理层级"),
    "tier_top_price": ("Top-tier price (元/box)", "一级代理价（元/盒）"),
    "tier_bottom_price": ("Bottom-tier price (元/box)", "底层代理价（元/盒）"),
    "tier_retail": ("Retail price (元/box)", "零售价（元/盒）"),
    "tier_top_order": ("Top-tier first order (boxes)", "一级首单（盒）"),
    "tier_bottom_order": ("Entry order, bottom tier (boxes)", "底层入门首单（盒）"),
    "tier_restock": ("Restock push (boxes/4 weeks)", "压货补货（盒/4 周）"),
    "tier_recruit_bonus": ("Recruiting bonus (share)", "拉人头奖励（比例）"),
    "tier_team_commission": ("Team commission (share)", "团队计酬（比例）"),
    "tier_sales_commission": ("2.0 sales commission (share)", "2.0 销售佣金（比例）"),
    "tier_recruit_rate": ("Recruits per agent per week", "每周招募率"),
    "tier_pool": ("Reachable people (pool)", "可触达人群（人）"),
    "tier_demand": ("Demand (boxes/week/1,000 people)", "消费需求（盒/周/千人）"),
})

CASE_NOTE = ("Default ladder, first orders, retail price and 30% recruiting bonus: the 新华视点 "
             "case (as reported, repost c. 2018; [新华视点 2018] in docs/REFERENCES.md)")
CASE_NOTE_ZH = ("默认的价格阶梯、首单、零售价和 30% 推荐奖：取自新华视点报道的案例（据约 2018 年的"
                "转载；见 docs/REFERENCES.md 的 [新华视点 2018]）")
DEFAULT_SEED = 0
_MODE_COLOURS = {"1.0": BAD, "2.0": GOOD}


SANKEY_ROW_PX = 34  # vertical room per node so labels of 8 tiers never overlap


def sankey_height(n_nodes: int) -> int:
    """Height (px) of the money Sankey: ``max(380, 120 + SANKEY_ROW_PX · nodes)``."""
    return max(380, 120 + SANKEY_ROW_PX * n_nodes)


class TierSimulatorApp(w.VBox):
    """The tier simulator; every control and figure is an attribute for headless tests."""

    def __init__(self, mode: str = "1.0", side_by_side: bool = False,
                 params: TierParams | None = None, seed: int = DEFAULT_SEED) -> None:
        if mode not in MODES:
            raise ParameterError(f"mode must be one of {MODES}, got {mode!r}")
        start = params or TierParams()
        self.seed = seed
        self.base = start
        slow = {"continuous_update": False}
        self.mode = toggle("tier_mode", list(MODES), mode)
        self.side_by_side = bind(w.Checkbox(value=side_by_side, indent=False,
                                            layout=w.Layout(width="auto")), "tier_side_by_side")
        self.n_tiers = int_slider("tier_n_tiers", start.n_tiers, 2, MAX_TIERS, **slow)
        self.top_price = float_slider("tier_top_price", start.tier_prices[0], 1.0, 150.0, 0.01,
                                      **slow)
        self.bottom_price = float_slider("tier_bottom_price", start.tier_prices[-1], 1.0, 150.0,
                                         0.01, **slow)
        self.retail = float_slider("tier_retail", start.retail_price, 1.0, 200.0, 1.0, **slow)
        self.top_order = int_slider("tier_top_order", start.first_order_units[0], 0, 500, **slow)
        self.bottom_order = int_slider("tier_bottom_order", start.first_order_units[-1], 0, 200,
                                       **slow)
        self.restock = int_slider("tier_restock", start.restock_units, 0, 100, **slow)
        self.recruit_bonus = float_slider("tier_recruit_bonus", start.recruit_bonus, 0.0, 1.0,
                                          0.05, **slow)
        self.team_commission = float_slider("tier_team_commission", start.team_commission, 0.0,
                                            0.5, 0.01, **slow)
        self.sales_commission = float_slider("tier_sales_commission", start.sales_commission,
                                             0.0, 1.0, 0.05, **slow)
        self.recruit_rate = float_slider("tier_recruit_rate", start.recruit_rate, 0.0, 2.0, 0.01,
                                         **slow)
        self.pool = int_slider("tier_pool", start.pool, 100, 100_000, 100, **slow)
        self.demand = float_slider("tier_demand", start.demand_rate, 0.0, 200.0, 1.0,
                                   readout_format=".0f", **slow)
        self.controls = [self.n_tiers, self.top_price, self.bottom_price, self.retail,
                         self.top_order, self.bottom_order, self.restock, self.recruit_bonus,
                         self.team_commission, self.sales_commission, self.recruit_rate,
                         self.pool, self.demand]

        self.message = w.HTML()
        self.kpis = w.HTML()
        self.flags = w.HTML()
        self.stock_fig = figure(one_side("Unsold stock held by each tier · 各级积压库存"),
                                one_side("week · 周"),
                                one_side("unsold stock (boxes) · 库存（盒）"), height=340)
        self.sankey_fig = figure(one_side("Where the money goes over the year · 一年的钱流向"),
                                 height=380)
        self.hist_fig = figure(
            one_side("Cash profit per agent after the year · 每个代理的年度现金利润"),
            one_side("cash profit (元) · 现金利润（元）"),
            prose("agents · 代理人数", "代理人数（人）"), height=320, barmode="overlay")
        # a short y title: a long vertical one runs up into the chart's title
        self.stock_fig.layout.yaxis.title.text = one_side("boxes unsold · 积压（盒）")
        self._init_figures()
        self.result: TierResult | None = None
        self.results: dict[str, TierResult] = {}
        assumption = prose("Recruiting rate, pool, demand, restock push, team commission, 2.0 "
                           "commission and extra tiers are the course's <b>assumptions</b>; one "
                           f"random run, seed {seed}.",
                           "招人速度、人群池、需求、补货压货、团队提成、2.0 佣金和多出来的层级"
                           f"都是课程的<b>假设</b>；随机运行一次，种子 {seed}。")
        case = html.escape(prose(CASE_NOTE, CASE_NOTE_ZH))
        self.stock_caption = note(prose(
            "Boxes bought by agents and not yet sold, stacked by tier: what 压货 leaves behind. "
            f"{case}. {assumption}",
            f"代理进了货却还没卖掉的盒数，按层级叠起来：这就是压货留下的东西。{case}。{assumption}"))
        self.sankey_caption = note(prose(
            "Width = 元 paid over the year, from payer to payee (simulated, "
            f"<b>illustrative</b>). {case}.",
            f"宽度 = 一年里从付款方流向收款方的钱（元；模拟，<b>示意</b>）。{case}。"))
        self.hist_caption = note(prose(
            "Cash in − cash out per agent; unsold stock counts as zero. Left of the dashed line "
            f"= lost money. Simulated, <b>illustrative</b>. {assumption}",
            "每个代理的现金收入 − 现金支出；没卖掉的库存按零计。虚线左边 = 亏了钱。"
            f"模拟，<b>示意</b>。{assumption}"))
        for control in self.controls:  # the side column's width; long labels wrap above
            control.layout.width = "100%"
        for control in [*self.controls, self.mode, self.side_by_side]:
            control.observe(lambda _: self.update(), names="value")
        self.update()
        groups = {
            one_side("Prices · 价格"): [self.mode, self.side_by_side, *self.controls[:4]],
            one_side("Stock · 压货"): self.controls[4:10],
            one_side("People · 人群"): self.controls[10:],
        }
        super().__init__(app_children(
            groups, boxed(self.stock_fig), header=[self.message],
            side=[self.kpis, self.stock_caption],
            footer=[self.flags, boxed(self.sankey_fig), self.sankey_caption,
                    boxed(self.hist_fig), self.hist_caption]))
        mark_app(self)

    # ------------------------------------------------------------------ set-up
    def _init_figures(self) -> None:
        for k in range(1, MAX_TIERS + 1):
            self.stock_fig.add_scatter(x=[], y=[], mode="lines", stackgroup="stock",
                                       name=prose(f"Tier {k}", f"{k}级"),
                                       line={"color": OKABE_ITO[(k - 1) % 7]})
        self.stock_fig.add_scatter(x=[], y=[], mode="lines",
                                   name=prose("2.0: stock in tiers", "2.0：各级库存"),
                                   line={"color": GOOD, "dash": "dash", "width": 3},
                                   visible=False)
        self.sankey_fig.add_sankey(arrangement="snap",
                                   node={"label": [], "pad": 14, "thickness": 16},
                                   link={"source": [], "target": [], "value": []},
                                   valueformat=",.0f", valuesuffix=" 元")
        for mode, label in zip(MODES, ("1.0 · 压货 stock-pushing", "2.0 · 三流分离 drop-ship"),
                               strict=True):
            self.hist_fig.add_bar(x=[], y=[], name=prose(label, " ".join(label.split(" ")[:3:2])),
                                  opacity=0.7,
                                  marker={"color": _MODE_COLOURS[mode]})

    # ------------------------------------------------------------------ model
    def params(self) -> TierParams:
        """The parameters the controls describe (raises ParameterError if they do not fit)."""
        return TierParams.from_ladder(
            self.n_tiers.value, self.top_price.value, self.bottom_price.value,
            self.top_order.value, self.bottom_order.value,
            retail_price=self.retail.value, recruit_bonus=self.recruit_bonus.value,
            team_commission=self.team_commission.value,
            sales_commission=self.sales_commission.value, restock_units=self.restock.value,
            recruit_rate=self.recruit_rate.value, pool=self.pool.value,
            initial_agents=min(self.base.initial_agents, self.pool.value),
            demand_rate=self.demand.value, weeks=self.base.weeks)

    def update(self) -> None:
        """Re-run the model for the shown mode(s) and redraw."""
        try:
            params = self.params()
        except ParameterError as exc:
            why = str(exc)
            if get_language() == "zh" and why.startswith("prices must rise"):
                why = "进价必须从一级到底层逐级上升，并且低于零售价"
            self.message.value = (f'<div style="color:{BAD}"><b>'
                                  + prose("These settings do not make a valid ladder · 参数无效:",
                                          "这组参数构不成有效的价格阶梯：")
                                  + f"</b> {html.escape(why)}</div>")
            return
        self.message.value = ""
        modes = list(MODES) if self.side_by_side.value else [self.mode.value]
        self.results = {m: simulate_tiers(params, m, seed=self.seed) for m in modes}
        self.result = self.results[self.mode.value]
        self._draw_stock(params)
        self._draw_sankey(self.result)
        self._draw_histogram()
        self._draw_kpis()

    # ------------------------------------------------------------------ drawing
    def _draw_stock(self, params: TierParams) -> None:
        one = self.results.get("1.0")
        weeks = np.arange(params.weeks)
        column = RECORD_FIELDS.index("unsold_stock")
        with self.stock_fig.batch_update():
            for k, trace in enumerate(self.stock_fig.data[:MAX_TIERS], start=1):
                if one is not None and k <= params.n_tiers:
                    trace.update(x=weeks, y=one.records[:, k - 1, column],
                                 name=one_side(tier_name(k, params.n_tiers)), visible=True)
                elif trace.visible is not False:  # hide once; hidden traces cost nothing
                    trace.update(x=[], y=[], visible=False)
            two = self.results.get("2.0")
            line = self.stock_fig.data[MAX_TIERS]
            if two is not None:
                line.update(x=weeks, y=two.records[:, :, column].sum(axis=1), visible=True)
            elif line.visible is not False:
                line.update(x=[], y=[], visible=False)

    def _draw_sankey(self, result: TierResult) -> None:
        flows = result.money_flows
        nodes = list(dict.fromkeys([*flows["source"], *flows["target"]]))
        index = {name: i for i, name in enumerate(nodes)}
        with self.sankey_fig.batch_update():
            sankey = self.sankey_fig.data[0]
            shown = [one_side(node) for node in nodes]
            if tuple(sankey.node.label or ()) != tuple(shown):
                sankey.node.label = shown
            height = sankey_height(len(nodes))
            if self.sankey_fig.layout.height != height:  # room for every node's label
                self.sankey_fig.layout.height = height
            sankey.link.update(source=[index[s] for s in flows["source"]],
                               target=[index[t] for t in flows["target"]],
                               value=flows["amount"].tolist(),
                               label=[one_side(kind) for kind in flows["kind"]])
            title = prose(f"Where the money goes over the year, {result.mode} · 一年的钱流向 (元)",
                          f"一年的钱流向，{result.mode}（元）")
            if self.sankey_fig.layout.title.text != title:
                self.sankey_fig.layout.title.text = title

    def _draw_histogram(self) -> None:
        profits = [r.agent_profit for r in self.results.values()]
        everything = np.concatenate(profits)
        # a few top-tier agents earn far more than anyone: keep the bulk readable and
        # count the outliers in the edge bins, with a note
        low, high = np.percentile(everything, [0.5, 99.5])
        if high - low < 1.0:
            low, high = low - 1.0, high + 1.0
        edges = np.linspace(low, high, 41)
        beyond = int((everything > high).sum()) + int((everything < low).sum())
        with self.hist_fig.batch_update():
            for trace, mode in zip(self.hist_fig.data, MODES, strict=True):
                result = self.results.get(mode)
                if result is None:
                    if trace.visible is not False:
                        trace.update(x=[], y=[], visible=False)
                    continue
                counts, _ = np.histogram(np.clip(result.agent_profit, low, high), bins=edges)
                trace.update(x=(edges[:-1] + edges[1:]) / 2, y=counts,
                             width=float(edges[1] - edges[0]), visible=True)
            self.hist_fig.layout.shapes = [{
                "type": "line", "x0": 0, "x1": 0, "yref": "paper", "y0": 0, "y1": 1,
                "line": {"dash": "dash", "color": "#333"}}]
            note_text = (prose(f"{beyond} agents beyond the axis are counted in the end bars "
                               f"(range {everything.min():,.0f} to {everything.max():,.0f} 元)",
                               f"超出坐标轴的 {beyond} 个代理算在两端的柱子里（范围 "
                               f"{everything.min():,.0f} 到 {everything.max():,.0f} 元）")
                         if beyond else "")
            self.hist_fig.layout.annotations = [{
                "text": note_text, "xref": "paper", "yref": "paper", "x": 1, "y": 1.02,
                "xanchor": "right", "yanchor": "bottom", "showarrow": False,
                "font": {"size": 11, "color": "#555"}}]

    def _cards(self, result: TierResult) -> list[str]:
        s = result.summary
        losing = s["share_losing_money_bottom"]
        fake = s["fake_performance_ratio"]
        outside = s["outside_revenue_share"]
        return [
            kpi_html(f"{result.mode} · " + one_side("bottom tier losing money · 底层亏损"),
                     percent(losing), prose(f"all agents: {percent(s['share_losing_money'])}",
                                            f"全部代理：{percent(s['share_losing_money'])}"),
                     tone="bad" if losing > 0.5 else "good"),
            kpi_html(f"{result.mode} · " + prose("fake-performance ratio · 虚假业绩",
                                                 "虚假业绩（动销比）"),
                     ratio(fake), prose("boxes shipped ÷ boxes bought by consumers",
                                        "出货盒数 ÷ 消费者买走的盒数"),
                     tone=ratio_tone(fake, 1.5)),
            kpi_html(f"{result.mode} · " + one_side("outside-revenue share · 外部收入占比"),
                     percent(outside), prose("consumers' share of all sales revenue",
                                             "消费者付的钱占全部销售收入的比例"),
                     tone="good" if outside > 0.5 else "bad"),
            kpi_html(f"{result.mode} · " + one_side("brand revenue · 品牌收入"),
                     f"{s['brand_revenue']:,.0f} 元",
                     prose(f"{s['agents']:,} agents; {s['consumer_units']:,} boxes to consumers",
                           f"{s['agents']:,} 个代理；消费者买走 {s['consumer_units']:,} 盒")),
        ]

    def _draw_kpis(self) -> None:
        rows = [kpi_row(self._cards(self.results[m])) for m in self.results]
        self.kpis.value = "".join(rows)
        blocks = []
        for mode, result in self.results.items():
            items = "".join(
                f"<li><span style='color:{BAD if f['triggered'] else GOOD}'>"
                + (prose("⚠ triggered", "⚠ 触发") if f["triggered"]
                   else prose("✔ clear", "✔ 没触发"))
                + "</span> — "
                f"<b>{html.escape(f['law'])}: {html.escape(one_side(f['test']))}</b>: "
                f"{html.escape(prose(f['reason'], f.get('reason_zh', f['reason'])))}</li>"
                for f in result.summary["legal_flags"])
            blocks.append(f"<div><b>{prose('Legal flags · 法律红线', '法律红线')} ({mode})</b>"
                          f"<ul style='margin:2px 0'>{items}</ul></div>")
        self.flags.value = ("<div class='ssl-flags' style='display:flex;flex-wrap:wrap;gap:16px'>"
                            + "".join(blocks) + "</div>")

    def flag_states(self, mode: str | None = None) -> dict[str, bool]:
        """``{flag key: triggered}`` for the shown mode (or ``mode``)."""
        result = self.results[mode or self.mode.value]
        return {f["key"]: f["triggered"] for f in result.summary["legal_flags"]}


def build_tier_simulator(mode: str = "1.0", side_by_side: bool = False,
                         params: TierParams | None = None,
                         seed: int = DEFAULT_SEED) -> TierSimulatorApp:
    """The tier simulator app, starting in ``mode`` ("1.0" or "2.0"), optionally side by side."""
    return TierSimulatorApp(mode=mode, side_by_side=side_by_side, params=params, seed=seed)
