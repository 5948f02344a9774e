"""Chapter 5 app: the trust-decay visualiser — the living room (客厅) turned street stall (摆地摊).

- :func:`build_trust_decay` — sliders for the posting plan, asymmetry, forgetting and
  circle size, event pickers, preset buttons, and your plan beside a preset:
  trust by Dunbar layer, muted (屏蔽) and blocked (拉黑) shares, reach, cumulative sales.

Chapter 5's death-index table and chart, bet and exercises are in :mod:`widgets.chapters.ch05`.
"""

from __future__ import annotations

import html

import ipywidgets as w
from plotly.subplots import make_subplots

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
from widgets.apps.labels import bind, one_side, prose, register_labels
from widgets.apps.layout import app_children, control_tabs, mark_app
from widgets.apps.theme import BAD, NEUTRAL, OKABE_ITO
from widgets.models import trust_decay as td
from widgets.models.validation import ParameterError

register_labels({
    "td_ads": ("Ads per day", "每天硬广"),
    "td_content": ("Content posts per day", "每天内容帖"),
    "td_interactions": ("Replies, likes per day", "每天回复点赞"),
    "td_junk": ("Junk share of content (垃圾内容)", "内容中垃圾帖比例（垃圾内容）"),
    "td_range": ("Products in your range (a year)", "在卖的产品款数（全年）"),
    "td_ties": ("Tie protection τ (close ties mute less)", "强关系保护 τ（关系越近越少屏蔽）"),
    "td_asymmetry": ("Asymmetry κ (bad ÷ good)", "不对称 κ（坏 ÷ 好）"),
    "td_forgetting": ("Forgetting λ", "遗忘因子 λ"),
    "td_friends": ("Friends in circle", "好友数"),
    "td_new_share": ("New friends (outer share)", "新好友比例（外圈）"),
    "td_days": ("Days simulated", "模拟天数"),
    "td_brag_day": ("Brag exposed: day", "吹牛被揭穿日"),
    "td_fake_day": ("Fake goods: day", "假货事件日"),
    "td_burst_free": ("Posts/day before bursts", "刷屏阈值"),
    "td_burst_penalty": ("Burst post = … ads", "刷屏一条抵几条硬广"),
    "td_mute_ads": ("Ads' push on muting", "硬广推动屏蔽"),
    "td_compare": ("Compare with", "对照方案"),
    "td_load_living": ("Load living room", "载入客厅"),
    "td_load_stall": ("Load street stall", "载入摆地摊"),
})

PRESET_NAMES = {
    "living_room": "Living room · 客厅",
    "street_stall": "Street stall · 摆地摊",
}
LAYER_NAMES = {key: f"{en} · {zh}" for key, (en, zh) in td.LAYER_LABELS.items()}
TRUST_FLOOR = 0.5      # the 150-layer's mean trust must stay above this all year
CAPTION = ("Illustrative: the model's form follows the cited sources (beta trust with forgetting, "
           "Jøsang & Ismail 2002; Dunbar layers; Slovic's asymmetry; Kwak et al. and Sibona on "
           "unfollowing), but every number in it is the course's <b>assumption</b> — read the "
           "shapes and the comparisons, not the exact values.")
CAPTION_ZH = ("示意：模型的形式依据文献（带遗忘的 beta 信任，Jøsang & Ismail 2002；Dunbar 分层；"
              "Slovic 的不对称；Kwak 等人和 Sibona 关于取关的研究），但里面每个数字都是课程的"
              "<b>假设</b>——看曲线的形状和对比，不要看确切的数值。")


def _day_text(day: int | None) -> str:
    return prose("never", "从未") if day is None else prose(f"day {day}", f"第 {day} 天")


class TrustDecayApp(w.VBox):
    """Your posting plan beside a preset, over trust, mutes and blocks, reach and sales."""

    def __init__(self, params: td.TrustParams | None = None, compare: str = "street_stall",
                 all_controls: bool = False, seed: int = 0) -> None:
        if compare not in td.PRESETS:
            raise ValueError(f"compare must be one of {sorted(td.PRESETS)}, got {compare!r}")
        start = params or td.TrustParams()
        self.seed = seed
        slow = {"continuous_update": False}
        self.ads = float_slider("td_ads", start.ads_per_day, 0.0, 10.0, 0.1, **slow)
        self.content = float_slider("td_content", start.content_per_day, 0.0, 8.0, 0.5, **slow)
        self.interactions = float_slider("td_interactions", start.interactions_per_day, 0.0,
                                         100.0, 5.0, readout_format=".0f", **slow)
        self.junk = float_slider("td_junk", start.junk_share, 0.0, 1.0, 0.05, **slow)
        self.products = int_slider("td_range", start.products_in_range, 1, 60, 1, **slow)
        self.ties = float_slider("td_ties", start.tie_protection, 0.0, 5.0, 0.25, **slow)
        self.asymmetry = float_slider("td_asymmetry", start.asymmetry, 1.0, 10.0, 0.5,
                                      readout_format=".1f", **slow)
        self.forgetting = float_slider("td_forgetting", start.forgetting, 0.8, 1.0, 0.005,
                                       readout_format=".3f", **slow)
        self.friends = int_slider("td_friends", start.n_friends, td.MIN_FRIENDS, td.MAX_FRIENDS,
                                  100, **slow)
        self.new_share = float_slider("td_new_share", start.new_friend_share, 0.0, 0.9, 0.05,
                                      **slow)
        self.days = int_slider("td_days", start.days, 30, td.MAX_DAYS, 5, **slow)
        self.brag_day = int_slider("td_brag_day", start.brag_day or 0, 0, td.MAX_DAYS, 1, **slow)
        self.fake_day = int_slider("td_fake_day", start.fake_goods_day or 0, 0, td.MAX_DAYS, 1,
                                   **slow)
        self.burst_free = float_slider("td_burst_free", start.burst_free_posts, 0.0, 10.0, 0.5,
                                       **slow)
        self.burst_penalty = float_slider("td_burst_penalty", start.burst_penalty, 0.0, 10.0, 0.5,
                                          **slow)
        self.mute_ads = float_slider("td_mute_ads", start.mute_ads_slope, 0.0, 2.0, 0.05, **slow)
        self.compare = bind(w.Dropdown(options=[(one_side(v), k) for k, v in PRESET_NAMES.items()],
                                       value=compare, style={"description_width": "initial"},
                                       layout=w.Layout(width="22em")), "td_compare")
        wide = w.Layout(width="auto")
        self.load_living = bind(w.Button(icon="home", layout=wide), "td_load_living")
        self.load_stall = bind(w.Button(icon="shopping-cart", layout=wide), "td_load_stall")
        self.load_living.on_click(lambda _: self.load_preset("living_room"))
        self.load_stall.on_click(lambda _: self.load_preset("street_stall"))
        self._base = start
        self._loading = False

        self.trust_fig = self._pair_figure(
            prose("Mean trust by Dunbar layer · 各层平均信任 (0–1)", "各层平均信任（0–1）"),
            prose("mean trust (0–1)", "平均信任（0–1）"))
        self.shares_fig = self._pair_figure(
            prose("Friends who muted (屏蔽) or blocked (拉黑) you", "屏蔽或拉黑你的朋友"),
            prose("share of the circle (0–1)", "占朋友圈的比例（0–1）"))
        below = legend_below()
        day = prose("day", "天")
        self.reach_fig = figure(prose("Reach · 触达: friends who see your posts each day",
                                      "触达：每天看到你朋友圈的朋友"), day,
                                prose("friends reached / day", "触达的朋友（人/天）"), height=320,
                                **below)
        self.sales_fig = figure(one_side("Cumulative sales · 累计销量"), day,
                                prose("expected purchases (total)", "预计购买（累计，次）"),
                                height=320, **below)
        self.kpis = w.HTML()
        self.message = w.HTML()
        self.caption = note(prose(CAPTION, CAPTION_ZH))
        self.plan_controls = [self.ads, self.content, self.interactions, self.junk, self.products]
        self.trust_controls = [self.asymmetry, self.forgetting, self.ties]
        self.circle_controls = [self.friends, self.new_share, self.days]
        self.event_controls = [self.brag_day, self.fake_day]
        self.extra_controls = [self.burst_free, self.burst_penalty, self.mute_ads]
        self.controls = (self.plan_controls + self.trust_controls + self.circle_controls
                         + self.event_controls + self.extra_controls + [self.compare])
        for slider in self.controls:   # the side column's width; long labels wrap above
            slider.layout.width = "100%"
        for control in self.controls:
            control.observe(lambda _: self._changed(), names="value")
        self.result: td.TrustResult | None = None
        self.comparison: td.TrustResult | None = None
        self._compared: td.TrustParams | None = None
        self.update()
        panels = [
            (one_side("Plan · 发帖计划"), self.plan_controls),
            (one_side("Trust · 信任"), self.trust_controls),
            (one_side("Circle · 朋友圈"), self.circle_controls),
            (one_side("Events · 事件"), [*self.event_controls, note(prose(
                "Day 0 = no event. A brag found false hits everyone a little (word of mouth); "
                "fake goods hit the buyers of the batch hardest. 0 = 无事件。",
                "第 0 天 = 没有事件。吹牛被拆穿，每个人的信任都会降一点（口口相传）；"
                "假货则重重打击买到这批货的人。"))]),
        ]
        if all_controls:
            panels.append((one_side("More · 更多"), [*self.extra_controls, note(prose(
                "Assumptions behind the bursts and the mute hazard (see How the model works).",
                "刷屏和屏蔽风险背后的假设（见「模型怎么工作」）。"))]))
        panels[0] = (panels[0][0], [*panels[0][1], self.compare, self.load_living,
                                    self.load_stall])
        super().__init__(app_children(
            dict(panels), boxed(self.trust_fig), header=[self.message],
            side=[self.kpis, note(prose(
                "Left: your plan. Right: the preset you compare with. One line per Dunbar "
                "layer; illustrative (assumption).",
                "左：你的计划。右：用来对照的方案。每个 Dunbar 层一条线；示意（假设）。"))],
            footer=[
                boxed(self.shares_fig), note(prose(
                    "Muted counts everyone who no longer sees your posts, blockers included; "
                    "illustrative (assumption).",
                    "屏蔽包括所有再也看不到你朋友圈的人，拉黑的也算在内；示意（假设）。")),
                boxed(self.reach_fig), note(prose(
                    "Friends who still see you × how closely they look; illustrative "
                    "(assumption).", "还能看到你的朋友 × 他们看得多仔细；示意（假设）。")),
                boxed(self.sales_fig), note(prose(
                    "Expected purchases added up day by day; illustrative (assumption).",
                    "预计购买逐日累加；示意（假设）。")),
                self.caption,
            ]))
        self.tabs = control_tabs(self)
        mark_app(self)

    @staticmethod
    def _pair_figure(title: str, y_title: str) -> CourseFigure:
        fig = CourseFigure(make_subplots(rows=1, cols=2, shared_yaxes=True,
                                          subplot_titles=(one_side("Your plan · 你的计划"),
                                                          prose("Preset", "对照方案"))))
        fig.update_layout(title=title, height=380, legend={"y": -0.32},
                          margin={"b": 110})
        fig.update_xaxes(title=prose("day", "天"))
        fig.update_yaxes(title=y_title, range=[0, 1], col=1)
        return fig

    # --- parameters ---------------------------------------------------------------------------
    def params(self) -> td.TrustParams:
        """The plan the controls describe (validated)."""
        days = int(self.days.value)
        brag = int(self.brag_day.value) or None
        fake = int(self.fake_day.value) or None
        return self._base.with_changes(
            ads_per_day=float(self.ads.value), content_per_day=float(self.content.value),
            interactions_per_day=float(self.interactions.value),
            junk_share=float(self.junk.value), products_in_range=int(self.products.value),
            tie_protection=float(self.ties.value),
            asymmetry=float(self.asymmetry.value), forgetting=float(self.forgetting.value),
            n_friends=int(self.friends.value), new_friend_share=float(self.new_share.value),
            days=days, brag_day=brag if brag and brag <= days else None,
            fake_goods_day=fake if fake and fake <= days else None,
            burst_free_posts=float(self.burst_free.value),
            burst_penalty=float(self.burst_penalty.value),
            mute_ads_slope=float(self.mute_ads.value))

    def comparison_params(self) -> td.TrustParams:
        """The preset you compare with, over the same circle size and horizon."""
        preset = td.PRESETS[self.compare.value]
        days = int(self.days.value)
        return preset.with_changes(
            n_friends=int(self.friends.value), days=days,
            brag_day=preset.brag_day if preset.brag_day and preset.brag_day <= days else None,
            fake_goods_day=(preset.fake_goods_day
                            if preset.fake_goods_day and preset.fake_goods_day <= days else None))

    def load_preset(self, name: str) -> None:
        """Set every control to a preset's values (one recompute at the end)."""
        preset = td.PRESETS[name]
        self._loading = True
        try:
            self.ads.value = preset.ads_per_day
            self.content.value = preset.content_per_day
            self.interactions.value = preset.interactions_per_day
            self.junk.value = preset.junk_share
            self.products.value = preset.products_in_range
            self.ties.value = preset.tie_protection
            self.asymmetry.value = preset.asymmetry
            self.forgetting.value = preset.forgetting
            self.new_share.value = preset.new_friend_share
            self.brag_day.value = preset.brag_day or 0
            self.fake_day.value = preset.fake_goods_day or 0
            self.burst_free.value = preset.burst_free_posts
            self.burst_penalty.value = preset.burst_penalty
            self.mute_ads.value = preset.mute_ads_slope
            self.compare.value = "living_room" if name == "street_stall" else "street_stall"
        finally:
            self._loading = False
        self.update()

    def _changed(self) -> None:
        if not self._loading:
            self.update()

    # --- drawing ------------------------------------------------------------------------------
    def update(self) -> td.TrustResult | None:
        try:
            params = self.params()
        except ParameterError as exc:
            self.message.value = f'<span style="color:{BAD}">{html.escape(str(exc))}</span>'
            return None
        late = [name for name, control in (("brag", self.brag_day), ("fake-goods", self.fake_day))
                if control.value > self.days.value]
        self.message.value = (prose(f"The {' and '.join(late)} event falls after the last day: it "
                                    "is left out. 事件日期超出模拟天数，已忽略。",
                                    "事件日期超出模拟天数，已忽略。") if late else "")
        self.result = td.simulate_trust(params, seed=self.seed)
        compared = self.comparison_params()  # the preset moves only with circle, days, preset
        if self.comparison is None or self._compared != compared:
            self.comparison = td.simulate_trust(compared, seed=self.seed)
            self._compared = compared
        self._draw(self.result, self.comparison)
        return self.result

    def _draw(self, mine: td.TrustResult, other: td.TrustResult) -> None:
        other_name = one_side(PRESET_NAMES[self.compare.value])
        with self.trust_fig.batch_update():
            if not self.trust_fig.data:
                for col in (1, 2):
                    for index, layer in enumerate(td.LAYERS):
                        self.trust_fig.add_scatter(
                            x=[], y=[], mode="lines", name=one_side(LAYER_NAMES[layer]),
                            legendgroup=layer, showlegend=col == 1,
                            line={"color": OKABE_ITO[index]}, row=1, col=col)
                    self.shares_fig.add_scatter(x=[], y=[], mode="lines",
                                                name=one_side("muted or blocked · 屏蔽或拉黑"),
                                                line={"color": OKABE_ITO[1]}, legendgroup="m",
                                                showlegend=col == 1, row=1, col=col)
                    self.shares_fig.add_scatter(x=[], y=[], mode="lines",
                                                name=one_side("blocked · 拉黑"),
                                                line={"color": BAD}, legendgroup="b",
                                                showlegend=col == 1, row=1, col=col)
                for fig in (self.reach_fig, self.sales_fig):
                    fig.add_scatter(x=[], y=[], mode="lines", name=one_side("Your plan · 你的计划"),
                                    line={"color": OKABE_ITO[0], "width": 3})
                    fig.add_scatter(x=[], y=[], mode="lines", name=other_name,
                                    line={"color": NEUTRAL, "dash": "dash"})
            for col, result in ((0, mine), (1, other)):
                days = result.daily.index.to_numpy()
                for index, layer in enumerate(td.LAYERS):
                    trace = self.trust_fig.data[col * len(td.LAYERS) + index]
                    trace.x, trace.y = days, result.daily[td.trust_column(layer)].to_numpy()
            self.trust_fig.layout.annotations[1].text = other_name
        with self.shares_fig.batch_update():
            for col, result in ((0, mine), (1, other)):
                days = result.daily.index.to_numpy()
                muted, blocked = self.shares_fig.data[2 * col], self.shares_fig.data[2 * col + 1]
                muted.x, muted.y = days, result.daily["share_muted"].to_numpy()
                blocked.x, blocked.y = days, result.daily["share_blocked"].to_numpy()
            self.shares_fig.layout.annotations[1].text = other_name
        for fig, column in ((self.reach_fig, "reach"), (self.sales_fig, "cumulative_purchases")):
            with fig.batch_update():
                for trace, result in zip(fig.data, (mine, other), strict=True):
                    trace.x = result.daily.index.to_numpy()
                    trace.y = result.daily[column].to_numpy()
                fig.data[1].name = other_name
        self.kpis.value = self._kpis(mine, other, other_name)

    @staticmethod
    def _kpis(mine: td.TrustResult, other: td.TrustResult, other_name: str) -> str:
        cards = []
        for label, result in ((one_side("Your plan · 你的计划"), mine), (other_name, other)):
            s = result.summary
            trust150 = s["final_trust"]["active_150"]
            cards.append(kpi_html(label + prose(": half muted · 半数屏蔽", "：半数屏蔽"),
                                  _day_text(s["day_half_muted"]),
                                  prose("first day half the circle hides you",
                                        "一半朋友屏蔽你的第一天"),
                                  tone="good" if s["day_half_muted"] is None else "bad"))
            cards.append(kpi_html(label + prose(": 150-layer trust · 150人圈信任", "：150人圈信任"),
                                  f"{trust150:.2f}",
                                  prose(f"on day {s['days']}", f"第 {s['days']} 天"),
                                  tone="good" if trust150 > TRUST_FLOOR else "bad"))
            cards.append(kpi_html(label + prose(": sales · 销量", "：销量"),
                                  f"{s['total_expected_purchases']:.0f}",
                                  prose(f"expected purchases in {s['days']} days",
                                        f"{s['days']} 天里的预计购买次数")))
        return kpi_row(cards[:3]) + kpi_row(cards[3:])


def build_trust_decay(params: td.TrustParams | None = None, compare: str = "street_stall",
                      all_controls: bool = False, seed: int = 0) -> TrustDecayApp:
    """The trust-decay visualiser: your plan (the sliders) beside a preset."""
    return TrustDecayApp(params=params, compare=compare, all_controls=all_controls, seed=seed)
