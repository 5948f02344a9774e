"""The product scorer: score products on the eight criteria (史八条), weigh them, test the ranking.

Thin front-end over :mod:`widgets.models.product_scorer`. ``build_product_scorer()``
returns a :class:`ProductScorerApp` (a VBox) whose controls are attributes:
``product`` (whose scores the sliders edit), ``compare`` (products on the radar),
``score_sliders`` / ``weight_sliders`` (dicts keyed by criterion), ``method``,
``concentration``, ``name`` + ``add_button`` (add my own product); and figures
``fig_radar``, ``fig_rank``, ``fig_stability`` plus the ``kpis`` HTML. A test can
set a control's ``.value`` and read the figures' data.

Students' own products are saved to ``save_path`` (CSV, in the notebook's folder)
with :func:`widgets.data.storage.update_student_table`: under an inter-process lock the
file is re-read and merged by name (rows another kernel saved are kept), written
atomically with a ``.bak`` copy and read back before the app says "Saved". A damaged
file keeps its intact rows; the message names the lines set aside and where they are.
A file-system error shows a short message instead of a traceback.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import ipywidgets as w
import numpy as np
import pandas as pd

from widgets.apps.content import CONTENT_DIR
from widgets.apps.controls import boxed, figure, float_slider, kpi_html, kpi_row, legend_below, note
from widgets.apps.controls import toggle as toggle_buttons
from widgets.apps.file_errors import FILE_ERRORS, file_error_message
from widgets.apps.labels import bind, get_language, one_side, prose, register_labels
from widgets.apps.layout import MAIN_CHART_HEIGHT, app_children, mark_app
from widgets.apps.theme import OKABE_ITO
from widgets.data import load_dataset, load_student_table, update_student_table
from widgets.models.product_scorer import (
    CRITERIA,
    CRITERION_LABELS,
    DEFAULT_CONCENTRATION,
    Analysis,
    FlipResult,
    StabilityResult,
    analyse,
    scores_from_table,
    validate_scores,
)
from widgets.models.validation import ParameterError

__all__ = [
    "CRITERION_LABELS",
    "ProductScorerApp",
    "build_product_scorer",
    "load_my_products",
]

METHOD_LABELS = {"weighted_sum": "Weighted sum · 加权和", "topsis": "TOPSIS · 理想解"}
SAVE_COLUMNS = ("name", *CRITERIA)
APP_SAMPLES = 2000     # weight samples behind the stability chart (seeded)
COURSE_BET_PRODUCTS = ("facial_mask", "handbag", "sanitary_pads")
CAPTION = ("Scores are the course's illustrative reading of [Social Selling 2014] and "
           "[Huang 2017], not measurements; "
           "equal default weights are an assumption. 评分为课程示意，非测量。")
CAPTION_ZH = ("评分是课程对 [Social Selling 2014] 和 [Huang 2017] 的示意解读，不是测量；"
              "默认等权重是假设。")
RATIONALE_ZH = CONTENT_DIR / "zh" / "products.json"  # each course product's reason, in Chinese

register_labels({
    **{f"ps_score_{c}": pair for c, pair in CRITERION_LABELS.items()},
    **{f"ps_weight_{c}": pair for c, pair in CRITERION_LABELS.items()},
    "ps_product": ("Product to score", "要评分的产品"),
    "ps_compare": ("Products on the radar", "雷达图上的产品"),
    "ps_method": ("Ranking method", "排序方法"),
    "ps_concentration": ("Certainty κ", "确定度 κ"),
    "ps_name": ("My product's name", "我的产品名称"),
    "ps_add": ("Add / update my product", "添加/更新我的产品"),
})


def criterion_label(criterion: str) -> str:
    en, zh = CRITERION_LABELS[criterion]
    return prose(f"{en} · {zh}", zh)


def _validate_saved(row: pd.DataFrame) -> None:
    """Reject one saved row (a one-row frame) that has no name or a score outside 0–5."""
    name = row["name"].iloc[0]
    if name is None or (isinstance(name, float) and np.isnan(name)) or not str(name).strip():
        raise ValueError("a saved product has no name")
    try:
        validate_scores(row.set_index("name").loc[:, list(CRITERIA)])
    except ParameterError as exc:
        raise ValueError(str(exc)) from exc


def load_my_products(path: str | Path) -> tuple[pd.DataFrame, str]:
    """A student's saved products and a message about the file.

    The columns are ``name`` and the eight scores, then any columns the student added
    by hand (for example a note), which are kept when the app saves again. A damaged
    file keeps its intact rows; the message names the lines set aside.
    """
    frame, message = load_student_table(path, SAVE_COLUMNS, _validate_saved, key="name")
    extra = [c for c in frame.columns if c not in SAVE_COLUMNS]
    frame = frame.loc[:, [*SAVE_COLUMNS, *extra]]
    frame["name"] = frame["name"].astype(str).str.strip()
    return frame, message


def course_products() -> pd.DataFrame:
    """The course's products table (``datasets/products.csv``), validated."""
    return load_dataset("products")


class ProductScorerApp(w.VBox):
    """Sliders for one product's scores and the eight weights; radar, ranking and stability."""

    def __init__(self, save_path: str | Path = "my_products.csv", *,
                 products: pd.DataFrame | None = None, n_samples: int = APP_SAMPLES,
                 seed: int = 0) -> None:
        table = course_products() if products is None else products
        self.save_path = Path(save_path)
        self.n_samples, self.seed = n_samples, seed
        self.names: dict[str, str] = {
            row.product_id: one_side(f"{row.name_en} · {row.name_zh}")
            for row in table.itertuples()}
        self.course_ids = list(self.names)
        self.rationale = dict(zip(table["product_id"], table["rationale"], strict=True))
        if get_language() == "zh":
            chinese = json.loads(RATIONALE_ZH.read_text(encoding="utf-8"))["rationale_zh"]
            self.rationale |= {pid: why for pid, why in chinese.items() if pid in self.rationale}
        self.scores = scores_from_table(table)
        self.edited: set[str] = set()
        self._loading = False
        self.analysis: Analysis | None = None
        self._labels: list[str] = []
        self._weighted_shown: bool | None = None

        self.product = bind(w.Dropdown(options=self._options(), value=self.course_ids[0],
                                       style={"description_width": "10em"},
                                       layout=w.Layout(width="36em")), "ps_product")
        default_compare = tuple(p for p in COURSE_BET_PRODUCTS if p in self.names) or tuple(
            self.course_ids[:3])
        self.compare = bind(w.SelectMultiple(options=self._options(), value=default_compare,
                                             rows=6, style={"description_width": "10em"},
                                             layout=w.Layout(width="36em")), "ps_compare")
        self.score_sliders = {c: float_slider(f"ps_score_{c}", 0.0, 0.0, 5.0, 0.5,
                                              readout_format=".1f") for c in CRITERIA}
        for c, slider in self.score_sliders.items():
            slider.criterion = c  # plain attribute: which score this slider edits
        self.weight_sliders = {c: float_slider(f"ps_weight_{c}", 1.0, 0.0, 5.0, 0.5,
                                               readout_format=".1f") for c in CRITERIA}
        self.method = toggle_buttons("ps_method",
                                     [(one_side(v), k) for k, v in METHOD_LABELS.items()],
                                     "weighted_sum")
        self.method.style.button_width = "auto"
        self.concentration = float_slider("ps_concentration", DEFAULT_CONCENTRATION, 5.0, 500.0,
                                          5.0, continuous_update=False, readout_format=".0f")
        self.name = bind(w.Text(placeholder=prose("e.g. Green tea · 绿茶", "例如：绿茶"),
                                style={"description_width": "10em"},
                                layout=w.Layout(width="36em")), "ps_name")
        self.add_button = bind(w.Button(button_style="success", icon="plus"), "ps_add")
        self.save_status = w.HTML()
        self.kpis = w.HTML()
        self.rationale_note = w.HTML()

        self.fig_radar = figure(prose("Scores on the eight criteria (0–5 points) · 史八条评分",
                                      "史八条评分（0–5 分）"), height=460)
        self.fig_radar.update_layout(polar={
            "radialaxis": {"range": [0, 5], "dtick": 1, "angle": 90, "tickangle": 90,
                           "tickfont": {"size": 10}},
            "angularaxis": {"rotation": 90, "direction": "clockwise"}})
        rows = len(self.scores) + 4  # room for a few of the student's own products
        bar_height = 170 + 24 * rows
        self.fig_rank = figure(
            one_side("Ranking and what each criterion contributes · 排名与各项贡献"),
            prose("Weighted score (0–5 points) · 加权得分", "加权得分（0–5 分）"), "",
            height=bar_height + 90, barmode="stack")
        self.fig_rank.update_layout(**legend_below(150, x=0, traceorder="normal"))
        for i, c in enumerate(CRITERIA):
            self.fig_rank.add_bar(x=[], y=[], orientation="h", name=criterion_label(c),
                                  marker_color=OKABE_ITO[i % len(OKABE_ITO)])
        self.fig_rank.add_bar(x=[], y=[], orientation="h",
                              name=prose("TOPSIS closeness · 贴近度", "TOPSIS 贴近度"),
                              marker_color="#555555", showlegend=False)
        self.fig_stability = figure(
            prose("How often each product ranks first / top 3 when weights wobble · 排名稳定性",
                  "权重波动时各产品排第一 / 前三的频率（排名稳定性）"),
            prose("Probability over sampled weights (0–1) · 概率", "在抽样权重上的概率（0–1）"),
            "", height=bar_height,
            barmode="group")
        self.fig_stability.add_bar(x=[], y=[], orientation="h",
                                   name=prose("P(rank 1) · 第一名", "P(第一名)"),
                                   marker_color=OKABE_ITO[0])
        self.fig_stability.add_bar(x=[], y=[], orientation="h",
                                   name=prose("P(top 3) · 前三名", "P(前三名)"),
                                   marker_color=OKABE_ITO[5])
        for fig in (self.fig_rank, self.fig_stability):
            fig.update_yaxes(autorange="reversed", automargin=True, dtick=1)

        own, message = load_my_products(self.save_path)
        self._merge_own(own)
        self.save_status.value = html.escape(message)

        self.product.observe(self._on_product, names="value")
        self.compare.observe(self._on_compare, names="value")
        for slider in self.score_sliders.values():
            slider.observe(self._on_score, names="value")
        for control in (*self.weight_sliders.values(), self.method, self.concentration):
            control.observe(self._on_change, names="value")
        self.add_button.on_click(lambda _: self.add_my_product())

        for control in (*self.score_sliders.values(), *self.weight_sliders.values()):
            control.style.description_width = "13em"
        for control in (self.product, self.compare, self.name):
            control.style.description_width = "13em"
        self.add_button.layout.width = "auto"
        for control in (*self.score_sliders.values(), *self.weight_sliders.values(),
                        self.concentration, self.product, self.compare, self.name):
            control.layout.width = "100%"  # the side column's width; labels wrap above
        self.fig_radar.layout.height = MAIN_CHART_HEIGHT  # beside the controls, one screen
        groups = {
            one_side("Scores · 评分"): [self.product, *self.score_sliders.values()],
            one_side("Weights · 权重"): [self.method, *self.weight_sliders.values()],
            one_side("Compare · 比较"): [self.compare, self.concentration],
            one_side("Save · 保存"): [self.name, self.add_button, self.save_status],
        }
        super().__init__(app_children(
            groups, boxed(self.fig_radar),
            side=[self.kpis, note(prose(
                "Each polygon is one product's eight scores; bigger and rounder suits "
                "friend-circle selling better. " + CAPTION,
                "每个多边形是一个产品的八项评分；越大越圆，越适合在朋友圈卖。" + CAPTION_ZH))],
            footer=[
                self.rationale_note,
                boxed(self.fig_rank),
                note(prose("Weighted sum: bar length = score, each colour = weight × score of "
                           "one criterion. TOPSIS: closeness to an ideal product (0–1). " + CAPTION,
                           "加权和：条长 = 得分，每种颜色 = 一项标准的权重 × 得分。TOPSIS：与理想"
                           "产品的贴近度（0–1）。" + CAPTION_ZH)),
                boxed(self.fig_stability),
                note(prose(f"Share of {n_samples:,} weight sets drawn around yours (Dirichlet, "
                           "concentration κ, seeded) in which each product ranks first or in the "
                           "top three. κ is an assumption: higher = more certain weights. "
                           + CAPTION,
                           f"在你的权重附近抽 {n_samples:,} 组权重（Dirichlet 分布，集中度 κ，"
                           "固定随机种子），看每个产品排第一或进前三的比例。κ 是假设：越大，"
                           "权重越确定。" + CAPTION_ZH)),
            ]))
        mark_app(self)
        self._load_product(self.product.value)
        self._draw_radar()
        self.recompute()

    # -- data -------------------------------------------------------------------------------
    def _options(self) -> list[tuple[str, str]]:
        return [(label, pid) for pid, label in self.names.items()]

    def _merge_own(self, own: pd.DataFrame) -> None:
        for row in own.itertuples(index=False):
            pid = str(row.name)
            if pid in self.course_ids:
                continue  # a saved name cannot shadow a course product
            self.names[pid] = prose(f"★ {pid} (mine · 我的)", f"★ {pid}（我的）")
            self.scores.loc[pid] = [float(getattr(row, c)) for c in CRITERIA]
        self._refresh_options()

    def _refresh_options(self) -> None:
        if not hasattr(self, "product"):
            return
        self._loading = True
        try:
            current, chosen = self.product.value, self.compare.value
            self.product.options = self._options()
            self.compare.options = self._options()
            self.product.value = current
            self.compare.value = tuple(p for p in chosen if p in self.names)
        finally:
            self._loading = False

    @property
    def own_ids(self) -> list[str]:
        return [p for p in self.names if p not in self.course_ids]

    def weights(self) -> dict[str, float]:
        return {c: float(s.value) for c, s in self.weight_sliders.items()}

    def current_scores(self) -> dict[str, float]:
        return {c: float(s.value) for c, s in self.score_sliders.items()}

    # -- events -----------------------------------------------------------------------------
    def _load_product(self, pid: str) -> None:
        self._loading = True
        try:
            for c, slider in self.score_sliders.items():
                slider.value = float(self.scores.at[pid, c])
        finally:
            self._loading = False
        self._show_rationale(pid)

    def _show_rationale(self, pid: str) -> None:
        why = self.rationale.get(pid, prose("Your own product: your scores, your reasons.",
                                            "你自己的产品：你的评分，你的理由。"))
        edited = (prose(" <i>(edited here, not saved · 已修改)</i>",
                        " <i>（已在这里修改，未保存）</i>") if pid in self.edited else "")
        self.rationale_note.value = (f'<div style="font-size:12px;color:#555">'
                                     f"{html.escape(why)}{edited}</div>")

    def _on_product(self, change: dict) -> None:
        if self._loading:
            return
        self._load_product(change["new"])
        self._draw_radar()
        self.recompute()

    def _on_compare(self, _change: dict) -> None:
        if not self._loading:
            self._draw_radar()

    def _on_score(self, change: dict) -> None:
        if self._loading:
            return
        pid = self.product.value
        self.scores.loc[pid, change["owner"].criterion] = float(change["new"])
        if pid not in self.edited:
            self.edited.add(pid)
            self._show_rationale(pid)
        self._update_radar_current()
        self.recompute()

    def _on_change(self, _change: dict) -> None:
        if not self._loading:
            self.recompute()

    # -- saving -----------------------------------------------------------------------------
    def add_my_product(self, name: str | None = None) -> str:
        """Save the sliders' scores as my product ``name`` (default: the text box)."""
        label = (self.name.value if name is None else name).strip()
        if not label:
            message = prose("Type a name for your product first. 请先输入产品名称。",
                            "请先输入产品名称。")
        elif label in self.course_ids or label in {v.split(" · ")[0] for k, v in
                                                   self.names.items() if k in self.course_ids}:
            message = prose(f"{label!r} is one of the course's products; pick another name. "
                            "该名称与课程产品重名。",
                            f"{label!r} 和课程里的产品重名了，换一个名字吧。")
        else:
            message = self._save(label, self.current_scores())
        self.save_status.value = html.escape(message)
        return message

    def _save(self, label: str, scores: Mapping[str, float]) -> str:
        values = [float(scores[c]) for c in CRITERIA]
        row = pd.DataFrame([[label, *values]], columns=list(SAVE_COLUMNS))
        try:  # lock, re-read, merge by name, atomic write, verify: only then "Saved"
            saved = update_student_table(self.save_path, row, SAVE_COLUMNS, key="name",
                                         validate=_validate_saved)
        except FILE_ERRORS as exc:
            return file_error_message("save your product to", self.save_path, exc)
        merged = saved.frame if saved.frame is not None else row
        merged = merged.assign(name=merged["name"].astype(str).str.strip())
        self._merge_own(merged)
        self.scores.loc[label] = values
        self.edited.discard(label)
        self._loading = True
        try:
            self.product.value = label
            if label not in self.compare.value:
                self.compare.value = (*self.compare.value, label)
        finally:
            self._loading = False
        self._load_product(label)
        self._draw_radar()
        self.recompute()
        prefix = f"{saved.message} " if saved.message else ""
        return prefix + prose(f"Saved {label!r} to {self.save_path.name} ✔ 已保存。",
                              f"已把 {label!r} 保存到 {self.save_path.name} ✔")

    # -- drawing ----------------------------------------------------------------------------
    def recompute(self) -> Analysis | None:
        """Re-run the model for the current scores, weights and method; redraw the charts."""
        weights = self.weights()
        if sum(weights.values()) <= 0:
            self.kpis.value = kpi_row([kpi_html(
                one_side("Weights · 权重"), prose("all zero", "全为零"),
                prose("Give at least one criterion a weight above 0. 至少一项权重大于0。",
                      "至少给一项标准大于 0 的权重。"), "bad")])
            return self.analysis
        method = self.method.value
        analysis = analyse(self.scores, weights, method=method,
                           concentration=self.concentration.value, n_samples=self.n_samples,
                           seed=self.seed)
        ranking = analysis.ranking.to_numpy()
        order = np.argsort(-ranking, kind="stable")
        labels = [self.names[p] for p in self.scores.index[order]]
        relabel = labels != self._labels
        self._labels = labels
        self._draw_rank(analysis, order, labels if relabel else None, method)
        self._draw_stability(analysis.stability, order, labels if relabel else None)
        self._draw_kpis(analysis, order, method)
        self.analysis = analysis
        return analysis

    def _radar_values(self, pid: str) -> list[float]:
        values = self.scores.loc[pid, list(CRITERIA)].tolist()
        return [*values, values[0]]

    def _draw_radar(self) -> None:
        """Rebuild the radar: the product being edited first, then the comparison products."""
        shown = [self.product.value, *[p for p in self.compare.value if p != self.product.value]]
        theta = [criterion_label(c) for c in CRITERIA]
        with self.fig_radar.batch_update():
            self.fig_radar.data = ()
            for i, pid in enumerate(shown):
                self.fig_radar.add_scatterpolar(
                    r=self._radar_values(pid), theta=[*theta, theta[0]], name=self.names[pid],
                    fill="toself", opacity=0.55 if i else 0.8,
                    line={"color": OKABE_ITO[i % len(OKABE_ITO)], "width": 3 if i == 0 else 1.5})

    def _update_radar_current(self) -> None:
        """Only the edited product's polygon changes when one of its scores moves."""
        with self.fig_radar.batch_update():
            self.fig_radar.data[0].r = self._radar_values(self.product.value)

    def _draw_rank(self, analysis: Analysis, order: np.ndarray, labels: list[str] | None,
                   method: str) -> None:
        """Stacked contributions (weighted sum) or one closeness bar (TOPSIS), best on top.

        The traces of the other method are emptied (no data, no legend entry) rather
        than hidden, so nothing of them can be drawn. ``labels`` is None when the
        order did not change, so the axis is not re-sent.
        """
        weighted = method == "weighted_sum"
        switched = weighted != self._weighted_shown
        self._weighted_shown = weighted
        shown = self.fig_rank.data[: len(CRITERIA)] if weighted else self.fig_rank.data[-1:]
        with self.fig_rank.batch_update():
            if weighted:
                contributions = analysis.result.contributions.to_numpy()[order]
                for i, trace in enumerate(shown):
                    trace.x = contributions[:, i]
            else:
                shown[0].x = analysis.closeness.to_numpy()[order]
            if labels is not None or switched:
                for trace in shown:
                    trace.y = labels if labels is not None else self._labels
            if switched:
                for trace in self.fig_rank.data:
                    if trace not in shown:
                        trace.update(x=[], y=[], showlegend=False)
                for trace in shown:
                    trace.showlegend = True
                self.fig_rank.layout.xaxis.update(
                    title_text=(prose("Weighted score (0–5 points) · 加权得分",
                                      "加权得分（0–5 分）") if weighted else
                                prose("TOPSIS closeness to the ideal product (0–1) · 贴近度",
                                      "TOPSIS：与理想产品的贴近度（0–1）")),
                    range=[0, 5] if weighted else [0, 1])

    def _draw_stability(self, stability: StabilityResult, order: np.ndarray,
                        labels: list[str] | None) -> None:
        with self.fig_stability.batch_update():
            self.fig_stability.data[0].x = stability.p_first.to_numpy()[order]
            self.fig_stability.data[1].x = stability.p_top3.to_numpy()[order]
            if labels is not None:
                self.fig_stability.data[0].y = labels
                self.fig_stability.data[1].y = labels

    def _draw_kpis(self, analysis: Analysis, order: np.ndarray, method: str) -> None:
        leader = self.scores.index[order[0]]
        unit = "/ 5" if method == "weighted_sum" else prose("closeness", "贴近度")
        p_first = analysis.stability.p_first[leader]
        cards = [
            kpi_html(one_side("Leader · 第一名"), self.names[leader],
                     f"{analysis.ranking[leader]:.2f} {unit}", "good"),
            kpi_html(one_side("Leader stays first · 稳居第一"), f"{p_first:.0%}",
                     prose(f"of {self.n_samples:,} sampled weight sets",
                           f"{self.n_samples:,} 组抽样权重中"),
                     "good" if p_first >= 0.8 else "bad" if p_first < 0.5 else "neutral"),
        ]
        if analysis.flip is not None:
            cards.append(kpi_html(one_side("Smallest single-weight flip · 最小翻转"),
                                  *flip_kpi(analysis.flip, self.names)))
        moved = int((analysis.rank_change != 0).sum())
        cards.append(kpi_html(one_side("Ranks that differ by method · 方法不同则排名不同"),
                              str(moved),
                              prose("products ranked differently by TOPSIS and weighted sum",
                                    "TOPSIS 和加权和排名不同的产品数"),
                              "bad" if moved else "neutral"))
        self.kpis.value = kpi_row(cards)


def flip_kpi(flip: FlipResult, names: Mapping[Any, str]) -> tuple[str, str]:
    """The flip KPI's value and note. Two products already tied need no change, so no
    criterion is named (any one would do, and naming one would mislead)."""
    if flip.criterion is None:
        return prose("none", "无"), prose(
            f"no single weight lets {names[flip.runner_up]} catch up",
            f"只改一项权重，{names[flip.runner_up]} 也追不上")
    if flip.change == 0:
        return prose("already tied", "已经打平"), prose(
            f"{names[flip.runner_up]} and {names[flip.leader]} have the same weighted sum",
            f"{names[flip.runner_up]} 和 {names[flip.leader]} 的加权和相同")
    verb = "raise" if flip.change > 0 else "lower"
    en, zh = CRITERION_LABELS[flip.criterion]
    return (prose(f"{verb} {en} to {flip.weight_at_flip:.0%}",
                  f"把{zh}{'调高' if flip.change > 0 else '调低'}到 {flip.weight_at_flip:.0%}"),
            prose(f"(now {flip.weight_before:.0%}) and {names[flip.runner_up]} ties "
                  f"{names[flip.leader]} (weighted sum)",
                  f"（现在 {flip.weight_before:.0%}），{names[flip.runner_up]} 就和 "
                  f"{names[flip.leader]} 打平（加权和）"))


def build_product_scorer(save_path: str | Path = "my_products.csv", **kwargs: Any
                         ) -> ProductScorerApp:
    """The product scorer app; students' own products are saved to ``save_path`` (CSV)."""
    return ProductScorerApp(save_path, **kwargs)
