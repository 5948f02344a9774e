"""The capstone plan builder (chapter 7): design a business, see 12 months, export the report.

``build_capstone()`` returns a :class:`CapstoneApp` (a VBox). Its controls are attributes —
``product``, ``scores`` (one slider per criterion), ``posting_preset``, ``ads_per_day``,
``content_per_day``, ``interactions_per_day``, ``new_friend_share``, ``brag``,
``fake_goods``, ``mode``, ``n_tiers``, ``recruit_rate``, ``market``, ``ethics_checklist``
(the course's checklist; ``pledges`` maps each commitment to its Yes/No buttons),
``notes``, ``file_name``, ``format``, ``overwrite``, ``export_button``, ``load_file_name`` +
``load_button`` (load a saved plan: ``my_plan.json`` or an HTML/Markdown export) — and so are
its outputs: ``kpis``, ``fig_circle``, ``fig_channel``, ``death_html``, ``ethics_html``,
``legal_html``, ``export_status``, ``plan_status`` (autosave), ``load_status`` and ``result``
(the :class:`BusinessResult`).

**Plans persist.** The student's builder (``build_capstone()`` without an example) saves
the whole plan to ``my_plan.json`` in its folder (``plan_path``) on every change, through
:func:`widgets.data.storage.save_student_document` (lock, atomic write, ``.bak``, verified),
and building it again in the same folder restores every control. Products the student
saved in chapter 02 (``my_products.csv``, same folder) appear in the product list as
"★ name (mine · 我的)". The worked examples never touch ``my_plan.json``.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import ipywidgets as w

from widgets.apps.capstone_plan_file import (
    FORMAT,
    PLAN_FILE,
    VERSION,
    document_values,
    read_plan_file,
)
from widgets.apps.controls import (
    boxed,
    dropdown,
    float_slider,
    int_slider,
    kpi_html,
    kpi_row,
    note,
    toggle,
)
from widgets.apps.ethics_checklist import EthicsChecklist
from widgets.apps.figure import CourseFigure
from widgets.apps.file_errors import FILE_ERRORS, file_error_html
from widgets.apps.formats import ratio, ratio_tone
from widgets.apps.labels import bind, one_side, prose, register_labels
from widgets.apps.layout import app_children, mark_app
from widgets.apps.product_scorer import load_my_products
from widgets.apps.tables import marked_table_html
from widgets.apps.theme import BAD, GOOD
from widgets.data import load_dataset, save_student_document
from widgets.models.death_gate import PASS_MAX_STARS
from widgets.models.linked_business import (
    ETHICS_IDS,
    BusinessPlan,
    BusinessResult,
    example_plans,
    simulate_business,
)
from widgets.models.product_scorer import CRITERIA, CRITERION_LABELS
from widgets.models.tier_params import TierParams
from widgets.models.trust_decay import PRESETS
from widgets.report import (
    ExportError,
    death_rows,
    ethics_rows,
    export_plan,
    headers,
    legal_rows,
    load_terms,
    next_free_path,
    report_figures,
)

__all__ = [
    "ETHICS_IDS",
    "CapstoneApp",
    "build_capstone",
]

DEFAULT_RECRUIT_RATE = TierParams().recruit_rate  # the tier simulator's (an assumption)

register_labels({
    "cap_product": ("Product", "产品"),
    "cap_preset": ("Posting plan starts from", "发圈计划模板"),
    "cap_ads": ("Ads a day", "每天广告条数"),
    "cap_content": ("Content posts a day", "每天内容条数"),
    "cap_interactions": ("Replies and likes a day", "每天互动次数"),
    "cap_new_friends": ("New friends (outer circle)", "新朋友比例（外圈）"),
    "cap_brag": ("A brag that is found out (day 45)", "吹牛被识破（第45天）"),
    "cap_fake": ("A fake batch (day 120)", "一批假货（第120天）"),
    "cap_mode": ("Channel", "渠道模式"),
    "cap_tiers": ("Agent tiers", "代理层级"),
    "cap_recruit": ("Recruits /member /week", "每人每周发展人数"),
    "cap_market": ("Reachable people", "可触达人数"),
    "cap_file": ("File name", "文件名"),
    "cap_overwrite": ("Replace an existing file", "覆盖已有文件"),
    "cap_export": ("Export my plan", "导出我的计划"),
    "cap_notes": ("My defence", "我的论证"),
    "cap_load_file": ("Saved plan", "已保存的计划"),
    "cap_load": ("Load a saved plan", "载入已保存的计划"),
})
# Short slider labels for the eight criteria (史八条; full wording in dataset product_criteria).
register_labels({f"cap_score_{c}": CRITERION_LABELS[c] for c in CRITERIA})
CUSTOM = "custom · 自定义"
MINE = "mine:"  # value prefix of the student's own products (from my_products.csv)
BRAG_DAY, FAKE_DAY = 45, 120
_CAPTION = ("Illustrative: computed by the course's linked model (product scorer → trust decay → "
            "tier simulator) from your inputs and the models' stated assumptions. 示意数据。")
_CAPTION_ZH = ("示意数据：由课程的联动模型（产品评分器 → 信任衰减 → 层级模拟器）根据你的输入和"
               "模型写明的假设算出。")


class CapstoneApp(w.VBox):
    """Plan inputs in an accordion, then KPIs, two charts, the three checklists and export."""

    def __init__(self, plan: BusinessPlan | None = None, folder: str | Path = ".",
                 seed: int = 0, autosave: bool = False) -> None:
        self.folder, self.seed = Path(folder), seed
        self.autosave = autosave
        self.plan_path = self.folder / PLAN_FILE
        self.my_products_path = self.folder / "my_products.csv"
        self._loading = False
        self.result: BusinessResult | None = None
        products = load_dataset("products")
        self.products = products.set_index("product_id")
        self._course_options = [(one_side(f"{r.name_en} · {r.name_zh}"), r.product_id)
                                for r in products.itertuples()]
        self.my_products: dict[str, dict[str, float]] = {}
        self.product = dropdown("cap_product", [*self._course_options,
                                                (one_side(CUSTOM), CUSTOM)],
                                CUSTOM)
        self.scores: dict[str, w.FloatSlider] = {}
        for criterion in CRITERIA:
            slider = float_slider(f"cap_score_{criterion}", 3.0, 0.0, 5.0, 0.5,
                                  readout_format=".1f")
            self.scores[criterion] = slider
        self.score_readout = w.HTML()
        self.posting_preset = toggle("cap_preset", list(PRESETS), "living_room")
        self.ads_per_day = float_slider("cap_ads", 0.3, 0.0, 10.0, 0.1, continuous_update=False,
                                        readout_format=".1f")
        self.content_per_day = float_slider("cap_content", 2.0, 0.0, 10.0, 0.1,
                                            continuous_update=False, readout_format=".1f")
        self.interactions_per_day = float_slider("cap_interactions", 30.0, 0.0, 100.0, 1.0,
                                                 continuous_update=False, readout_format=".0f")
        self.new_friend_share = float_slider("cap_new_friends", 0.05, 0.0, 0.9, 0.05,
                                             continuous_update=False)
        self.brag = bind(w.Checkbox(value=False, indent=False), "cap_brag")
        self.fake_goods = bind(w.Checkbox(value=False, indent=False), "cap_fake")
        self.mode = toggle("cap_mode", ["1.0", "2.0"], "2.0")
        self.n_tiers = int_slider("cap_tiers", 2, 2, 8, continuous_update=False)
        self.recruit_rate = float_slider("cap_recruit", DEFAULT_RECRUIT_RATE, 0.0, 1.0, 0.01,
                                         continuous_update=False)
        self.market = int_slider("cap_market", 10_000, 1_000, 100_000, 1_000,
                                 continuous_update=False)
        # The course's ethics checklist (widgets/apps/ethics_checklist.py): "Yes" = I pledge
        # that my plan keeps this commitment; the report then checks the pledge.
        self.ethics_checklist = EthicsChecklist(
            title=one_side("Your plan against the ethics consensus · 你的计划与商业伦理共识"),
            description=prose("Answer Yes for each commitment your plan keeps: that is your "
                              "pledge. The report below checks each pledge against the model.",
                              "你的计划做得到哪条承诺，就在那条选「是」：这就是你的承诺。"
                              "下面的报告会用模型逐条核对。"))
        self.pledges: dict[str, w.ToggleButtons] = self.ethics_checklist.rows
        self.notes = bind(w.Textarea(placeholder=one_side("Why does this plan survive? · "
                                                          "这个计划为什么能活下去？"),
                                     layout=w.Layout(width="100%", height="7em")), "cap_notes")
        self.file_name = bind(w.Text(value="my_plan.html"), "cap_file")
        self.format = w.ToggleButtons(options=[("HTML", "html"), ("Markdown", "md")],
                                      value="html")
        self.overwrite = bind(w.Checkbox(value=False, indent=False), "cap_overwrite")
        self.export_button = bind(w.Button(button_style="success", icon="download",
                                           layout=w.Layout(width="auto")), "cap_export")
        self.export_status = w.HTML()
        self.plan_status = w.HTML()
        self.load_file_name = bind(w.Text(value="my_plan.html",
                                          placeholder="my_plan.json / .html / .md"),
                                   "cap_load_file")
        self.load_button = bind(w.Button(icon="upload", layout=w.Layout(width="auto")),
                                "cap_load")
        self.load_status = w.HTML()
        self.kpis = w.HTML()
        # drawn by the report's figure functions (widgets/report.py) in recompute()
        self.fig_circle, self.fig_channel = CourseFigure(), CourseFigure()
        self.death_html, self.ethics_html, self.legal_html = w.HTML(), w.HTML(), w.HTML()

        self.product.observe(self._on_product, names="value")
        self.posting_preset.observe(self._on_preset, names="value")
        for control in self._inputs():
            control.observe(self._on_change, names="value")
        self.format.observe(self._on_format, names="value")
        self.export_button.on_click(lambda _: self.export())
        self.load_button.on_click(lambda _: self.load_saved_plan())
        for control in (self.product, self.posting_preset, *self._inputs(), self.notes,
                        self.file_name, self.format):
            control.observe(self._on_any_change, names="value")

        inputs = w.Accordion(children=[
            w.VBox([self.product, *self.scores.values(), self.score_readout]),
            w.VBox([self.posting_preset, self.ads_per_day, self.content_per_day,
                    self.interactions_per_day, self.new_friend_share, self.brag,
                    self.fake_goods]),
            w.VBox([self.mode, self.n_tiers, self.recruit_rate, self.market]),
            self.ethics_checklist,
            w.VBox([self.notes]),
        ])
        for i, title in enumerate(["1 Product · 产品", "2 Posting plan · 发圈计划",
                                   "3 Channel · 渠道", "4 Ethics pledges · 伦理承诺",
                                   "5 My defence · 我的论证"]):
            inputs.set_title(i, prose(title, title[:2] + one_side(title)))
        inputs.selected_index = 0
        self.inputs = inputs
        export_box = w.VBox([w.HTML(f"<b>{one_side('Export · 导出')}</b>"),
                             w.HBox([self.file_name, self.format]),
                             w.HBox([self.overwrite, self.export_button]), self.export_status,
                             w.HBox([self.load_file_name, self.load_button]), self.load_status,
                             self.plan_status])
        super().__init__(app_children(
            [inputs], boxed(self.fig_circle),
            side=[self.kpis, note(prose(
                "Expected purchases a month in a circle of friends under your posting plan "
                "(bars, left axis), and their mean trust (line, right axis). " + _CAPTION,
                "按你的发圈计划，一个朋友圈每月预计的购买量（柱，左轴）和朋友们的平均信任"
                "（线，右轴）。" + _CAPTION_ZH))],
            footer=[
                boxed(self.fig_channel),
                note(prose("Boxes the brand shipped against boxes consumers bought in the whole "
                           "market; the gap is stock stuck with agents. " + _CAPTION,
                           "整个市场里品牌商的出货与消费者真实买走的盒数；两者之差就是压在代理"
                           "手里的货。" + _CAPTION_ZH)),
                self.death_html, self.ethics_html, self.legal_html, export_box,
            ]))
        mark_app(self)
        self.refresh_my_products()
        self.load_plan(plan or BusinessPlan())
        if autosave:
            self._restore_saved_plan()

    # -- plan <-> controls -----------------------------------------------------------------
    def _inputs(self) -> list[w.Widget]:
        return [*self.scores.values(), self.ads_per_day, self.content_per_day,
                self.interactions_per_day, self.new_friend_share, self.brag, self.fake_goods,
                self.mode, self.n_tiers, self.recruit_rate, self.market,
                *self.pledges.values()]

    def plan(self) -> BusinessPlan:
        """The plan the controls describe."""
        product = self.product.value
        if product == CUSTOM:
            name = product
        elif product.startswith(MINE):
            name = product[len(MINE):]
        else:
            name = str(self.products.loc[product, "name_en"])
        return BusinessPlan(
            name=prose("My plan: ", "我的计划：") + name, product=name,
            scores={c: float(s.value) for c, s in self.scores.items()},
            posting_preset=self.posting_preset.value,
            posting={"ads_per_day": self.ads_per_day.value,
                     "content_per_day": self.content_per_day.value,
                     "interactions_per_day": self.interactions_per_day.value,
                     "new_friend_share": self.new_friend_share.value,
                     "brag_day": BRAG_DAY if self.brag.value else None,
                     "fake_goods_day": FAKE_DAY if self.fake_goods.value else None},
            mode=self.mode.value, n_tiers=self.n_tiers.value,
            channel={"recruit_rate": self.recruit_rate.value}, market=self.market.value,
            pledges=tuple(k for k, kept in self.ethics_checklist.answers().items() if kept))

    def load_plan(self, plan: BusinessPlan) -> BusinessResult:
        """Set every control from ``plan`` (its posting preset filled in) and recompute."""
        preset = PRESETS[plan.posting_preset].with_changes(**dict(plan.posting))
        self._loading = True
        try:
            labels = {f"{r.name_en} · {r.name_zh}": pid for pid, r in self.products.iterrows()}
            labels |= {name: MINE + name for name in self.my_products}
            self.product.value = labels.get(plan.product, CUSTOM)
            for criterion, slider in self.scores.items():
                slider.value = float(plan.scores[criterion])
            self.posting_preset.value = plan.posting_preset
            self._set_posting(preset)
            self.mode.value = plan.mode
            self.n_tiers.value = plan.n_tiers
            self.recruit_rate.value = float(plan.channel.get("recruit_rate",
                                                             DEFAULT_RECRUIT_RATE))
            self.market.value = plan.market
            self.ethics_checklist.answer(**{key: (True if key in plan.pledges else None)
                                            for key in self.pledges})
        finally:
            self._loading = False
        return self.recompute()

    def _set_posting(self, params: Any) -> None:
        self.ads_per_day.value = params.ads_per_day
        self.content_per_day.value = params.content_per_day
        self.interactions_per_day.value = params.interactions_per_day
        self.new_friend_share.value = params.new_friend_share
        self.brag.value = params.brag_day is not None
        self.fake_goods.value = params.fake_goods_day is not None

    def _on_product(self, change: dict) -> None:
        if self._loading or change["new"] == CUSTOM:
            return
        value = change["new"]
        row = (self.my_products[value[len(MINE):]] if value.startswith(MINE)
               else self.products.loc[value])
        self._loading = True
        try:
            for criterion, slider in self.scores.items():
                slider.value = float(row[criterion])
        finally:
            self._loading = False
        self.recompute()

    def _on_preset(self, change: dict) -> None:
        if self._loading:
            return
        self._loading = True
        try:
            self._set_posting(PRESETS[change["new"]])
        finally:
            self._loading = False
        self.recompute()

    def _on_change(self, _change: dict) -> None:
        if not self._loading:
            self.recompute()

    def _on_format(self, change: dict) -> None:
        stem = Path(self.file_name.value or "my_plan").stem
        self.file_name.value = f"{stem}.{change['new']}"

    # -- the student's products and saved plan ---------------------------------------------
    def refresh_my_products(self) -> str:
        """Offer the products saved in chapter 02 (``my_products.csv``) in the product list."""
        try:
            frame, message = load_my_products(self.my_products_path)
        except FILE_ERRORS as exc:
            self.plan_status.value = file_error_html("read your products from",
                                                     self.my_products_path, exc, BAD)
            return ""
        self.my_products = {str(r["name"]): {c: float(r[c]) for c in CRITERIA}
                            for r in frame.to_dict("records")}
        mine = [(prose(f"★ {name} (mine · 我的)", f"★ {name}（我的）"), MINE + name)
                for name in self.my_products]
        current = self.product.value
        self._loading = True
        try:
            self.product.options = [*self._course_options, *mine, (one_side(CUSTOM), CUSTOM)]
            values = [value for _, value in self.product.options]
            self.product.value = current if current in values else CUSTOM
        finally:
            self._loading = False
        return message

    def plan_document(self) -> dict[str, Any]:
        """Everything the student has set, as the JSON object saved in ``my_plan.json``."""
        return {
            "format": FORMAT, "version": VERSION,
            "product": self.product.value,
            "product_name": self.plan().product,
            "scores": {c: float(s.value) for c, s in self.scores.items()},
            "posting_preset": self.posting_preset.value,
            "ads_per_day": float(self.ads_per_day.value),
            "content_per_day": float(self.content_per_day.value),
            "interactions_per_day": float(self.interactions_per_day.value),
            "new_friend_share": float(self.new_friend_share.value),
            "brag": bool(self.brag.value), "fake_goods": bool(self.fake_goods.value),
            "mode": self.mode.value, "n_tiers": int(self.n_tiers.value),
            "recruit_rate": float(self.recruit_rate.value), "market": int(self.market.value),
            "pledges": self.ethics_checklist.answers(),
            "notes": self.notes.value,
            "file_name": self.file_name.value, "format_choice": self.format.value,
        }

    def apply_document(self, document: dict[str, Any]) -> list[str]:
        """Set every control from a plan document; return the keys skipped as unusable."""
        values, skipped = document_values(document, CRITERIA, tuple(self.pledges))
        if "format_choice" in document:
            values["format"] = document["format_choice"]
        self._loading = True
        try:
            product = values.get("product", CUSTOM)
            if product.startswith(MINE) and product[len(MINE):] not in self.my_products:
                product = CUSTOM  # no longer in my_products.csv: its scores still come back
            choices = {"product": product, "posting_preset": values.get("posting_preset"),
                       "mode": values.get("mode"), "format": values.get("format")}
            for key, value in choices.items():
                control = getattr(self, key)
                if value is None:
                    continue
                if value in [v for _, v in _pairs(control.options)]:
                    control.value = value
                else:
                    skipped.append(key)
            for criterion, score in values.get("scores", {}).items():
                self.scores[criterion].value = score
            for key in ("ads_per_day", "content_per_day", "interactions_per_day",
                        "new_friend_share", "recruit_rate", "n_tiers", "market", "brag",
                        "fake_goods", "notes", "file_name"):
                if key in values:
                    getattr(self, key).value = values[key]
            if values.get("pledges"):
                self.ethics_checklist.answer(**values["pledges"])
        finally:
            self._loading = False
        self.recompute()
        return skipped

    def _restore_saved_plan(self) -> None:
        if not self.plan_path.exists():
            self.plan_status.value = html.escape(prose(
                f"Your plan is saved automatically to {PLAN_FILE} in this folder on every "
                "change. 计划会自动保存。",
                f"每次改动，你的计划都会自动保存到这个文件夹里的 {PLAN_FILE}。"))
            return
        try:
            document, message = read_plan_file(self.plan_path)
        except FILE_ERRORS as exc:
            self.plan_status.value = file_error_html("read your plan from", self.plan_path,
                                                     exc, BAD)
            return
        if document is None:
            self.plan_status.value = html.escape(prose(
                f"{message} Your plan is saved automatically to {PLAN_FILE} from now on. "
                "计划会自动保存。", f"{message} 从现在起，你的计划会自动保存到 {PLAN_FILE}。"))
            return
        skipped = self.apply_document(document)
        extra = _skipped_text(skipped)
        self.plan_status.value = html.escape(prose(
            f"Restored your plan from {PLAN_FILE} ✔ (it is saved automatically on every "
            f"change).{extra} {message if 'could not' in message else ''} 已恢复你的计划。",
            f"已从 {PLAN_FILE} 恢复你的计划 ✔（每次改动都会自动保存）。{extra} "
            f"{message if 'could not' in message else ''}"))

    def _on_any_change(self, _change: dict) -> None:
        if not self._loading:
            self.save_plan()

    def save_plan(self) -> Path | None:
        """Save the whole plan to ``my_plan.json`` (only the student's builder autosaves)."""
        if not self.autosave:
            return None
        try:
            saved = save_student_document(self.plan_path, self.plan_document())
        except FILE_ERRORS as exc:
            self.plan_status.value = file_error_html("save your plan to", self.plan_path, exc,
                                                     BAD)
            return None
        self.plan_status.value = (f'<span style="color:{GOOD}">'
                                  + prose("Saved ✔ your plan to ", "已自动保存 ✔ 你的计划到 ")
                                  + f"<code>{html.escape(PLAN_FILE)}</code> "
                                  f"{html.escape(saved.message)}"
                                  + prose(" 已自动保存。", "。") + "</span>")
        return saved.path

    def load_saved_plan(self, name: str | None = None) -> bool:
        """Load a plan from ``my_plan.json`` or an HTML/Markdown export in the app's folder."""
        raw = (self.load_file_name.value if name is None else name).strip() or PLAN_FILE
        path = self.folder / Path(raw).name
        try:
            document, message = read_plan_file(path)
        except FILE_ERRORS as exc:
            self.load_status.value = file_error_html("load a plan from", path, exc, BAD)
            return False
        if document is None:
            self.load_status.value = f'<span style="color:{BAD}">{html.escape(message)}</span>'
            return False
        skipped = self.apply_document(document)
        extra = _skipped_text(skipped)
        self.load_status.value = html.escape(prose(
            f"Loaded the plan from {path.name} ✔.{extra} 已载入。",
            f"已从 {path.name} 载入计划 ✔。{extra}"))
        self.save_plan()
        return True

    # -- drawing ---------------------------------------------------------------------------
    def recompute(self) -> BusinessResult:
        """Run the linked model for the current plan and redraw everything."""
        result = simulate_business(self.plan(), seed=self.seed)
        self.result = result
        o = result.outcomes
        self.score_readout.value = (prose("Product score · 产品得分: ", "产品得分：")
                                    + f"<b>{o['product_score']:.2f}</b> / 5"
                                    + prose(" (equal weights)", "（等权重）"))
        for widget, drawn in zip((self.fig_circle, self.fig_channel), report_figures(result),
                                 strict=True):
            _redraw(widget, drawn)
        fake = o["fake_performance_ratio"]
        stars = int(result.death_causes["death_index"].sum())
        self.kpis.value = kpi_row([
            kpi_html(one_side("Death causes at risk · 死因风险"), f"{o['causes_at_risk']} / 8",
                     prose(f"{o['stars_at_risk']} ★ of {stars} (pass: at most {PASS_MAX_STARS})",
                           f"{o['stars_at_risk']} ★ / {stars}（及格：最多 {PASS_MAX_STARS}）"),
                     "bad" if o["stars_at_risk"] > PASS_MAX_STARS else "good"),
            kpi_html(prose("Art. 7 tests triggered · 传销红线", "触发第七条（传销红线）"),
                     f"{o['art7_triggered']} / 3",
                     "禁止传销条例 2005", "bad" if o["art7_triggered"] else "good"),
            kpi_html(one_side("Ethics broken · 违背承诺"), f"{o['ethics_broken']} / 8",
                     prose("of 8 commitments", "共 8 条承诺"),
                     "bad" if o["ethics_broken"] else "good"),
            kpi_html(one_side("Mean trust · 平均信任"), f"{o['final_trust']:.2f}",
                     prose(f"{o['share_muted']:.0%} muted or blocked",
                           f"{o['share_muted']:.0%} 屏蔽或拉黑"),
                     "bad" if o["share_muted"] >= 0.25 else "good"),
            kpi_html(one_side("Agents losing money · 亏损代理"), f"{o['share_losing_money']:.0%}",
                     prose(f"of {o['agents']:,}", f"共 {o['agents']:,} 人"),
                     "bad" if o["share_losing_money"] > 0.5 else "good"),
            kpi_html(prose("Fake performance · 虚假业绩", "虚假业绩（动销比）"), ratio(fake),
                     prose("shipped ÷ bought", "出货 ÷ 买走"), ratio_tone(fake, 1.5)),
            kpi_html(one_side("Boxes consumers bought · 真实购买"), f"{o['consumer_units']:,}",
                     prose("in 12 months (illustrative)", "12 个月（示意）")),
        ])
        head = headers()
        self.death_html.value = marked_table_html(head["death"], death_rows(result), prose(
            "The eight death causes · 八大死因 (死亡指数 from [Huang 2017])",
            "八大死因（死亡指数见 [Huang 2017]）"))
        self.ethics_html.value = marked_table_html(
            head["ethics"], ethics_rows(result, load_terms()),
            prose("Ethics consensus · 商业伦理共识 ([Zhang 2015])", "商业伦理共识（[Zhang 2015]）"))
        self.legal_html.value = marked_table_html(head["legal"], legal_rows(result),
                                                  one_side("Legal flags · 法律红线"))
        return result

    # -- export ----------------------------------------------------------------------------
    def export(self) -> Path | None:
        """Write the report to ``folder/file_name``; never replaces a file unless ticked."""
        name = Path(self.file_name.value.strip() or f"my_plan.{self.format.value}").name
        target = self.folder / name
        try:
            path = export_plan(self.result or self.recompute(), target, fmt=self.format.value,
                               overwrite=self.overwrite.value, notes=self.notes.value,
                               plan_data=self.plan_document())
        except ExportError as exc:
            if target.exists() and not self.overwrite.value:
                return self._suggest_free_name(target, exc)
            self.export_status.value = file_error_html("export your plan to", target, exc, BAD)
            return None
        except FILE_ERRORS as exc:
            self.export_status.value = file_error_html("export your plan to", target, exc, BAD)
            return None
        self.export_status.value = (f'<span style="color:{GOOD}">'
                                    + prose("Saved ✔ ", "已保存 ✔ ")
                                    + f"<code>{html.escape(str(path))}</code>"
                                    + prose(" — hand this file in. 已保存。",
                                            "：交作业就交这个文件。") + "</span>")
        return path

    def _suggest_free_name(self, target: Path, exc: Exception) -> None:
        try:
            suggestion = next_free_path(target).name
        except (ExportError, *FILE_ERRORS) as error:
            self.export_status.value = file_error_html("export your plan to", target, error, BAD)
            return None
        self.export_status.value = (
            f'<span style="color:{BAD}">{html.escape(str(exc))}</span><br>'
            + prose("Suggested free name: ", "可以用这个没被占用的文件名：")
            + f"<code>{html.escape(suggestion)}</code>"
            + prose(" (filled in; press export again)", "（已经填好，再按一次导出）"))
        self.file_name.value = suggestion
        return None


def _pairs(options: Any) -> list[tuple[str, Any]]:
    """Dropdown/toggle options as (label, value) pairs."""
    return [o if isinstance(o, tuple) else (str(o), o) for o in options]


def _skipped_text(skipped: list[str]) -> str:
    """The controls a loaded plan could not set, for the status line."""
    if not skipped:
        return ""
    return prose(f" Skipped unusable values: {', '.join(skipped)}.",
                 f"跳过了用不了的值：{'、'.join(skipped)}。")


def _redraw(widget: CourseFigure, drawn: Any) -> None:
    """Make ``widget`` show the plotly figure ``drawn`` (same traces, updated in place)."""
    with widget.batch_update():
        traces = [{k: v for k, v in t.to_plotly_json().items() if k != "type"}
                  for t in drawn.data]
        if [t.type for t in widget.data] != [t.type for t in drawn.data]:
            widget.data = ()
            widget.add_traces(list(drawn.data))
        else:
            for trace, new in zip(widget.data, traces, strict=True):
                trace.update(new)
        # only what changed, and never the template (set once at build; re-validating it on
        # every change cost ~0.7 s a redraw)
        shown = widget.layout.to_plotly_json()
        changed = {key: value for key, value in drawn.layout.to_plotly_json().items()
                   if key != "template" and shown.get(key) != value}
        if changed:
            widget.update_layout(changed)


def build_capstone(example: str | None = None, folder: str | Path = ".",
                   seed: int = 0) -> CapstoneApp:
    """The plan builder, empty (neutral plan) or loaded with a worked ``example``.

    ``example`` is ``"failing_1_0"`` or ``"sound_2_0"`` (the rubric's worked examples).
    Without an example this is the student's own builder: it restores ``my_plan.json``
    from ``folder`` and saves every change there.
    """
    plan = None
    if example is not None:
        plans = example_plans(load_dataset("products"))
        if example not in plans:
            raise ValueError(f"example must be one of {sorted(plans)}, got {example!r}")
        plan = plans[example]
    return CapstoneApp(plan, folder=folder, seed=seed, autosave=example is None)
