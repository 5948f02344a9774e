"""Chapter 5 app: the trust-decay visualiser — the living room (客厅) turned street stall (摆地摊).

- :func:`build_trust_decay` — sliders for the posting plan, asymmetry, forgetting and
  circle size, event pickers, preset buttons, and your plan beside a preset:
  trust by Dunbar layer, muted (屏蔽) and blocked (拉黑) shares, reach, cumulative sales.
- :func:`death_index_chart` and :func:`death_index_causes` — the article's eight causes
  sorted by death index (死亡指数), as a chart and as a captioned table.
- :func:`build_half_muted_bet` — the chapter's bet, answered by the model.
- :func:`check_posting_plan` — the exercise: keep the 150-layer's trust above 0.5 for
  a year while selling at least :data:`SALES_TARGET`.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Mapping
from itertools import pairwise
from typing import Any

import ipywidgets as w
import pandas as pd
from pandas.io.formats.style import Styler
from plotly.subplots import make_subplots

from widgets.apps.bet import Bet, build_bet
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
from widgets.apps.exercise import ExerciseCheck, Feedback, check_exercise, mark_rule
from widgets.apps.figure import CourseFigure
from widgets.apps.labels import bind, one_side, prose, register_labels
from widgets.apps.layout import app_children, control_tabs, mark_app
from widgets.apps.tables import captioned
from widgets.apps.theme import BAD, GOOD, NEUTRAL, OKABE_ITO
from widgets.data import load_dataset, source_note
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
SALES_TARGET = 240.0   # expected purchases in a year from 500 friends (checked achievable in tests)
TRUST_FLOOR = 0.5      # the 150-layer's mean trust must stay above this all year
#: The exercise's feed is not all gems: one content post in ten falls flat (junk, 垃圾内容).
#: An assumption; with it, content without replies cannot keep the living room (tested).
EXERCISE_JUNK_SHARE = 0.1
EXERCISE_LIMITS = {"ads_per_day": (0.0, 10.0), "content_per_day": (0.0, 8.0),
                   "interactions_per_day": (0.0, 50.0)}
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
        self.comparison = td.simulate_trust(self.comparison_params(), seed=self.seed)
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


# --- the eight causes ---------------------------------------------------------------------------
MECHANISM_CONTROLS = {
    "ads_per_day": "slider: Ads per day",
    "content_per_day": "slider: Content posts per day",
    "brag_event": "event: Brag exposed",
    "fake_goods_event": "event: Fake goods, and slider: New friends (outer share)",
    "new_friend_prior": "slider: New friends (outer share)",
}


def death_index_table() -> pd.DataFrame:
    """The eight causes, sorted by death index, with the app control that plays each out."""
    causes = load_dataset("death_index").sort_values(["death_index", "article_order"],
                                                     ascending=[False, True])
    mechanism = causes["model_mechanism"].fillna("")
    causes = causes.assign(
        in_the_model=mechanism.map(lambda m: MECHANISM_CONTROLS.get(m, "not in the model")),
    )
    columns = ["article_order", "cause_en", "cause_zh", "heading_zh", "death_index", "in_the_model"]
    return causes[columns].reset_index(drop=True)


def death_index_causes() -> Styler:
    """:func:`death_index_table` for the notebook, captioned with its source."""
    table = death_index_table().set_index("article_order")
    return captioned(table, f"{source_note('death_index')}. The column in_the_model is the "
                     "course's mapping onto the trust-decay app.")


class DeathIndexChart(w.VBox):
    """A sorted bar chart of the article's death index (死亡指数), coloured by model coverage."""

    def __init__(self) -> None:
        table = death_index_table()
        shown = table.iloc[::-1]   # plotly draws the first bar at the bottom
        in_model = shown["in_the_model"] != "not in the model"
        self.table = table
        self.figure = figure("Eight causes of death of friend-circle selling · 八大死因, "
                             "by death index",
                             "death index (死亡指数, stars 1–5)", "", height=520)
        labels = ["<br>".join([*textwrap.wrap(en, 40), zh])
                  for en, zh in zip(shown["cause_en"], shown["cause_zh"], strict=True)]
        self.figure.add_bar(
            x=shown["death_index"], y=labels,
            orientation="h", marker={"color": [GOOD if m else NEUTRAL for m in in_model]},
            customdata=shown["in_the_model"], name="death index",
            hovertemplate="%{y}<br>%{x} stars<br>in the model: %{customdata}<extra></extra>")
        self.figure.update_xaxes(range=[0, 5], dtick=1)
        self.figure.update_yaxes(automargin=True, tickfont={"size": 12})
        super().__init__([boxed(self.figure), note(
            "Stars as the article gives them; green = a cause you can play out in the trust-decay "
            f"app, grey = not in the model. {html.escape(source_note('death_index'))}")])


def death_index_chart() -> DeathIndexChart:
    """The eight causes, sorted by their death index (from ``datasets/death_index.csv``)."""
    return DeathIndexChart()


# --- the bet ------------------------------------------------------------------------------------
HALF_MUTED_OPTIONS = ("Within a month · 一个月内", "In 1 to 6 months · 一到六个月",
                      "Later, or never within a year · 更晚或一年内不会")


def half_muted_day() -> int | None:
    """The day half the circle has muted or blocked the seller, at 5 ads a day only."""
    return td.day_half_muted(5.0)


def half_muted_answer() -> str:
    """The bet's answer from the model: which option the half-muted day falls in."""
    day = half_muted_day()
    if day is not None and day <= 30:
        return HALF_MUTED_OPTIONS[0]
    if day is not None and day <= 182:
        return HALF_MUTED_OPTIONS[1]
    return HALF_MUTED_OPTIONS[2]


def build_half_muted_bet() -> Bet:
    """Chapter 5's bet, with the answer computed by the model at reveal time."""
    return build_bet("ch05", "half_muted", answer=half_muted_answer)


# --- the exercise -------------------------------------------------------------------------------
def exercise_params(plan: Mapping[str, Any] | td.TrustParams) -> td.TrustParams:
    """The exercise's plan: default circle and assumptions, a year, your three plan numbers."""
    if isinstance(plan, td.TrustParams):
        plan = {key: getattr(plan, key) for key in EXERCISE_LIMITS}
    if not isinstance(plan, Mapping):
        raise ParameterError("my_plan should be a dict such as {'ads_per_day': 1.0, "
                             "'content_per_day': 1.0, 'interactions_per_day': 10}")
    unknown = set(plan) - set(EXERCISE_LIMITS)
    if unknown:
        raise ParameterError(f"my_plan has unknown key(s) {sorted(unknown)}; use "
                             f"{sorted(EXERCISE_LIMITS)}")
    missing = set(EXERCISE_LIMITS) - set(plan)
    if missing:
        raise ParameterError(f"my_plan lacks {sorted(missing)}")
    for key, (low, high) in EXERCISE_LIMITS.items():
        value = plan[key]
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not (
                low <= value <= high):
            raise ParameterError(f"{key} must be a number in [{low:g}, {high:g}] for this "
                                 f"exercise, got {value!r}")
    return td.TrustParams(days=365, junk_share=EXERCISE_JUNK_SHARE,
                          **{k: float(v) for k, v in plan.items()})


def mark_posting_plan(plan: Any) -> Feedback:
    """Feedback on a posting plan: 150-layer trust above 0.5 all year and enough sales."""
    if plan is None:
        return Feedback(False, prose(
            "Not yet: set my_plan to a dict with ads_per_day, content_per_day "
            "and interactions_per_day.",
            "还没作答：把 my_plan 设成一个字典，包含 ads_per_day、content_per_day 和 "
            "interactions_per_day。"))
    try:
        params = exercise_params(plan)
    except ParameterError as exc:
        return Feedback(False, str(exc))
    summary = td.simulate_trust(params).summary
    daily_min = summary["min_trust"]["active_150"]
    sales = summary["total_expected_purchases"]
    trust_ok, sales_ok = daily_min > TRUST_FLOOR, sales >= SALES_TARGET
    if trust_ok and sales_ok:
        return Feedback(True, prose(
            f"Passed: the 150-layer's trust never fell below {daily_min:.2f} "
            f"and you sold {sales:.0f} (target {SALES_TARGET:.0f}). ✔",
            f"通过：150 人那一层的信任从没低于 {daily_min:.2f}，你卖出了 {sales:.0f} 件"
            f"（目标 {SALES_TARGET:.0f}）。✔"))
    problems = []
    if not trust_ok:
        daily = td.simulate_trust(params).daily[td.trust_column("active_150")]
        below = daily.index[daily.to_numpy() <= TRUST_FLOOR]
        problems.append(prose(
            f"the 150-layer's trust fell to {TRUST_FLOOR} or below on day {int(below[0])} "
            f"(lowest {daily_min:.2f})",
            f"150 人那一层的信任在第 {int(below[0])} 天跌到了 {TRUST_FLOOR} 或以下"
            f"（最低 {daily_min:.2f}）"))
    if not sales_ok:
        problems.append(prose(f"you sold {sales:.0f}, short of {SALES_TARGET:.0f}",
                              f"你卖出了 {sales:.0f} 件，没达到 {SALES_TARGET:.0f}"))
    joined = prose(" and ", "，并且").join(problems)
    return Feedback(False, prose("Not yet: ", "还没通过：") + joined + prose(".", "。"))


# --- exercise 2: your own trust update ---------------------------------------------------------
STALL_PLAN = {"ads_per_day": 5.0, "content_per_day": 0.0, "interactions_per_day": 0.0}


def evidence_rule_report(rule: Any) -> dict[str, Any]:
    """What a student's evidence rule does in the model: the street stall's half-muted day,
    the living room's lowest 150-layer trust and half-muted day, and two monotonicity checks
    (more ads never raise a friend's long-run trust ``good / (good + bad)``; more replies never
    lower it and do raise it for a plan with ads), each on a small grid of plans."""
    if not callable(rule):
        raise ParameterError("evidence_rule must be a function (ads, content, junk, replies) "
                             "-> (good, bad)")
    stall = td.simulate_trust(td.TrustParams(**STALL_PLAN), evidence_rule=rule).summary
    room = td.simulate_trust(td.PRESETS["living_room"], evidence_rule=rule).summary

    def long_run(ads: float, content: float, replies: float) -> float:
        good, bad = td._evidence(rule, ads, content, 0.0, replies)
        return good / (good + bad) if good + bad > 0 else 0.5

    grid = [(c, r) for c in (0.0, 1.0, 2.0) for r in (0.0, 0.1, 0.3)]
    ads = (0.0, 0.5, 1.0, 2.0, 5.0)
    ads_ok = all(long_run(a2, c, r) <= long_run(a1, c, r) + 1e-12
                 for c, r in grid for a1, a2 in pairwise(ads))
    replies = (0.0, 0.1, 0.3, 1.0)
    replies_ok = all(long_run(a, c, r2) >= long_run(a, c, r1) - 1e-12
                     for a in ads for c in (0.0, 2.0) for r1, r2 in pairwise(replies))
    replies_ok = replies_ok and long_run(1.0, 1.0, 0.3) > long_run(1.0, 1.0, 0.0)
    return {"stall_half_muted": stall["day_half_muted"],
            "room_min_trust": room["min_trust"]["active_150"],
            "room_half_muted": room["day_half_muted"],
            "more_ads_never_help": ads_ok, "more_replies_never_hurt": replies_ok}


def mark_evidence_rule(rule: Any) -> Feedback:
    """Passes when the rule, run through the model, tells the chapter's story: the street stall
    loses half the circle within a year, the living room keeps the 150-layer above
    :data:`TRUST_FLOOR`, more ads never help and more replies never hurt."""

    def judge(report: dict[str, Any]) -> Feedback:
        problems = []
        if report["stall_half_muted"] is None:
            problems.append(prose("with 5 ads a day and nothing else, half the circle never "
                                  "mutes you",
                                  "每天 5 条硬广、别的什么都不发，居然永远没有一半好友屏蔽你"))
        if report["room_min_trust"] <= TRUST_FLOOR or report["room_half_muted"] is not None:
            problems.append(prose(f"the living room lets the 150-layer's trust fall to "
                                  f"{report['room_min_trust']:.2f}",
                                  f"“客厅”策略下 150 人那一层的信任跌到了 "
                                  f"{report['room_min_trust']:.2f}"))
        if not report["more_ads_never_help"]:
            problems.append(prose("somewhere more ads raise a friend's long-run trust",
                                  "有些情况下硬广越多，好友的长期信任反而越高"))
        if not report["more_replies_never_hurt"]:
            problems.append(prose("replies do not build trust (somewhere more replies lower a "
                                  "friend's long-run trust, or they never raise it)",
                                  "回复没有建立信任（有些情况下回复越多长期信任越低，"
                                  "或者回复从来不让信任上升）"))
        if problems:
            joined = prose("; ", "；").join(problems)
            return Feedback(False, prose("Not yet: ", "还没通过：") + joined + prose(".", "。"))
        return Feedback(True, prose(
            f"Passed ✔ The street stall loses half the circle on day "
            f"{report['stall_half_muted']}; the living room's 150-layer never "
            f"falls below {report['room_min_trust']:.2f}. Now defend your weights in writing.",
            f"通过 ✔ “地摊”策略在第 {report['stall_half_muted']} 天失去一半好友；"
            f"“客厅”策略下 150 人那一层的信任始终不低于 {report['room_min_trust']:.2f}。"
            "现在把你定的权重和理由写下来。"))

    return mark_rule(rule, evidence_rule_report, judge,
                     usage=("my_update(ads, content, junk, replies) returning (good, bad)",
                            "my_update(ads, content, junk, replies)，让它返回 (good, bad)"))


def check_evidence_rule(rule: Any) -> ExerciseCheck:
    """Exercise check for chapter 5's trust-update exercise (hints after each miss)."""
    return check_exercise(mark_evidence_rule, rule, chapter="ch05", hints_id="trust_update")


def check_posting_plan(plan: Any) -> ExerciseCheck:
    """Exercise check for chapter 5 (one more hint after each miss)."""
    return check_exercise(mark_posting_plan, plan, chapter="ch05", hints_id="posting_plan")
