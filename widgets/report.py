"""The capstone plan report: a self-contained HTML or Markdown file a student hands in.

- :func:`report_markdown` and :func:`report_html` render a :class:`BusinessResult`;
- :func:`export_plan` writes one atomically (temporary file + ``os.replace``) and never
  overwrites an existing file unless asked to, keeping the old one as ``<name>.bak``;
- the HTML embeds plotly.js inline once (the first chart), so charts stay interactive
  offline; nothing is loaded from the network (no CDN, fonts, stylesheets or images).
  :func:`external_references` lists anything that would be, and the tests use it.
"""

from __future__ import annotations

import base64
import html
import json
import os
import re
import tempfile
from collections.abc import Mapping
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from widgets.apps.formats import percent, ratio
from widgets.apps.labels import get_language, one_side, prose, set_language
from widgets.apps.tables import marked_table_html
from widgets.apps.theme import BAD, GOOD, course_template
from widgets.data.storage import StoreError, save_student_text
from widgets.models.linked_business import (
    DEATH_RULES,
    DEATH_RULES_ZH,
    LINK_SOURCES,
    LINK_SOURCES_ZH,
    BusinessResult,
)
from widgets.models.product_scorer import CRITERIA, CRITERION_LABELS

FORMATS = ("html", "md")
PROVENANCE = ("Illustrative: every outcome is computed by the course's models from the "
              "plan's inputs and the models' stated assumptions; none is a forecast or a "
              "measurement.")
PROVENANCE_ZH = ("示意数据：每个结果都由课程的模型根据计划的输入和模型写明的假设算出，"
                 "既不是预测，也不是实测。")
SOURCES = (
    "[Social Selling 2014] — 2014年社交化銷售：99%的微商必遭清洗 (2014): the eight "
    "product criteria (史八条)",
    "[Huang 2017] — 黃剛, 朋友圈賣貨模式已死，唯有社交尚存 (2017): the eight "
    "death causes and their death index",
    "[Zhang 2015] — 张波, O2OPark lecture 12 (2015): the ethics consensus",
    "[Weishang 2.0 n.d.] — 微商2.0的需求链: 微商 2.0, prosumers",
    "[禁止传销条例 2005] — 禁止传销条例 (State Council Decree 444, 2005), Art. 7; "
    "[FTC v. Vemma 2016] — FTC v. Vemma (2016)",
    "Keys in square brackets are entries of the course bibliography, docs/REFERENCES.md",
)
SOURCES_ZH = (
    "[Social Selling 2014] — 2014年社交化銷售：99%的微商必遭清洗 (2014)：产品的八条标准（史八条）",
    "[Huang 2017] — 黃剛，朋友圈賣貨模式已死，唯有社交尚存 (2017)：八大死因和它们的死亡指数",
    "[Zhang 2015] — 张波，O2OPark 第 12 讲 (2015)：商业伦理共识",
    "[Weishang 2.0 n.d.] — 微商2.0的需求链：微商 2.0 与产消者",
    "[禁止传销条例 2005] — 禁止传销条例（国务院令第 444 号，2005）第七条；"
    "[FTC v. Vemma 2016] — FTC v. Vemma (2016)",
    "方括号里的键对应课程参考文献 docs/REFERENCES.md 的条目",
)


def provenance() -> str:
    """The report's provenance line in the current language."""
    return prose(PROVENANCE, PROVENANCE_ZH)


def sources() -> tuple[str, ...]:
    """The report's sources in the current language."""
    return SOURCES_ZH if get_language() == "zh" else SOURCES


class ExportError(RuntimeError):
    """The report cannot be written (for example it would overwrite a file)."""


# --------------------------------------------------------------------------- content

def outcome_rows(result: BusinessResult) -> list[tuple[str, str, str]]:
    """(label, value, what it means) for the report's outcome table."""
    o = result.outcomes
    return [
        (one_side("Product score · 产品得分"), f"{o['product_score']:.2f} / 5",
         prose("weighted score on the eight criteria", "八条标准的加权得分")),
        (one_side("Purchases in your circle · 朋友圈购买"), f"{o['circle_first_purchases']:,.0f} + "
         f"{o['circle_repeat_purchases']:,.0f}" + prose(" repeat", " 复购"),
         prose(f"expected boxes bought by {result.trust_params.n_friends} friends in a year",
               f"{result.trust_params.n_friends} 个朋友一年里预计买的盒数")),
        (one_side("Mean trust after 12 months · 平均信任"), f"{o['final_trust']:.2f}",
         prose("0 = none, 1 = full (beta trust)", "0 = 完全不信，1 = 完全信任（beta 信任）")),
        (one_side("Reach on the last day · 最后一天触达"), f"{o['final_reach']:,.0f}",
         prose("friends expected to see one of your posts that day",
               "那天预计能看到你某条朋友圈的朋友数")),
        (one_side("Friends who muted or blocked you · 屏蔽/拉黑"), percent(o["share_muted"]),
         prose("share of the circle no longer seeing your posts", "再也看不到你朋友圈的朋友占比")),
        (one_side("Boxes bought by consumers · 消费者购买"), f"{o['consumer_units']:,}",
         prose(f"in a market of {result.plan.market:,} people",
               f"在 {result.plan.market:,} 人的市场里")),
        (one_side("Boxes shipped by the brand · 品牌出货"), f"{o['units_shipped']:,}",
         prose("includes stock stuck in the tiers", "包括压在各级代理手里的货")),
        (one_side("Fake-performance ratio · 虚假业绩"), ratio(o["fake_performance_ratio"]),
         prose("shipped ÷ bought by consumers (1 = no stock stuck)",
               "出货 ÷ 消费者买走（1 = 货全部动销，没有压货）")),
        (one_side("Revenue from outside buyers · 外部顾客收入占比"),
         percent(o["outside_revenue_share"]),
         prose("FTC v. Vemma asks for more than half", "FTC v. Vemma 要求超过一半")),
        (one_side("Agents losing money · 亏损代理"), percent(o["share_losing_money"]),
         prose(f"of {o['agents']:,} agents or prosumers", f"{o['agents']:,} 个代理或产消者中")),
        (one_side("Median agent profit · 代理利润中位数"), f"{o['median_agent_profit']:,.0f} 元",
         prose("cash in − cash out over the year", "一年里的现金收入 − 现金支出")),
        (one_side("Brand revenue · 品牌收入"), f"{o['brand_revenue']:,.0f} 元",
         prose("money received by the brand", "品牌商收到的钱")),
        (one_side("Unsold stock · 库存积压"), f"{o['unsold_stock_value']:,.0f} 元",
         prose("what agents paid for boxes they still hold", "代理为手里还压着的货付的钱")),
    ]


def _posting_text(result: BusinessResult) -> str:
    plan, p = result.plan, result.trust_params
    if get_language() == "zh":
        posting = (f"模板 {plan.posting_preset}；每天 {p.ads_per_day:g} 条广告、"
                   f"{p.content_per_day:g} 条内容、回复 {p.interactions_per_day:g} 次；"
                   f"外圈 {p.new_friend_share:.0%} 是刚加的新朋友")
        if p.brag_day is not None:
            posting += f"；第 {p.brag_day} 天吹牛"
        if p.fake_goods_day is not None:
            posting += f"；第 {p.fake_goods_day} 天发出一批假货"
        return posting
    posting = (f"preset {plan.posting_preset}; {p.ads_per_day:g} ads, {p.content_per_day:g} "
               f"content posts, {p.interactions_per_day:g} replies a day; "
               f"{p.new_friend_share:.0%} brand-new friends in the outer circle")
    if p.brag_day is not None:
        posting += f"; a brag on day {p.brag_day}"
    if p.fake_goods_day is not None:
        posting += f"; a fake batch on day {p.fake_goods_day}"
    return posting


def _channel_text(result: BusinessResult) -> str:
    plan, t = result.plan, result.tier_params
    ladder = " → ".join(f"{x:g}" for x in t.tier_prices)
    orders = " / ".join(str(u) for u in t.first_order_units)
    if get_language() == "zh":
        if plan.mode == "1.0":
            channel = (f"1.0 模式，{t.n_tiers} 级代理，进价 {ladder} 元，"
                       f"零售 {t.retail_price:g} 元，首单 {orders} 盒，"
                       f"每 4 周压货 {t.restock_units} 盒，推荐奖 {t.recruit_bonus:.0%}，"
                       f"团队提成 {t.team_commission:.0%}")
        else:
            channel = (f"2.0 模式（品牌商直接发货给消费者；{t.n_tiers} 级产消者不囤货），零售 "
                       f"{t.retail_price:g} 元，每卖一盒拿零售价的 {t.sales_commission:.0%}，"
                       "不为拉人付钱")
        return channel + f"；每个成员每周招到 {t.recruit_rate:g} 人"
    if plan.mode == "1.0":
        channel = (f"mode 1.0, {t.n_tiers} tiers, agent prices {ladder} 元, retail "
                   f"{t.retail_price:g} 元, first orders {orders} boxes, restock "
                   f"{t.restock_units} boxes every 4 weeks, recruiting bonus "
                   f"{t.recruit_bonus:.0%}, team commission {t.team_commission:.0%}")
    else:
        channel = (f"mode 2.0 (the brand ships to consumers; {t.n_tiers} tiers of prosumers "
                   f"hold no stock), retail {t.retail_price:g} 元, commission "
                   f"{t.sales_commission:.0%} of retail per box sold, no recruiting pay")
    return channel + f"; {t.recruit_rate:g} recruits per member a week"


def plan_rows(result: BusinessResult) -> list[tuple[str, str]]:
    """(item, value) describing the plan."""
    plan, p = result.plan, result.trust_params
    draws = (prose("floored-counter reference mode", "取整计数的参照模式")
             if result.deterministic else prose("random draws", "随机抽样"))
    return [
        (one_side("Product · 产品"), plan.product),
        (one_side("Posting plan · 发圈计划"), _posting_text(result)),
        (one_side("Channel · 渠道"), _channel_text(result)),
        (one_side("Market · 市场"), prose(
            f"{plan.market:,} reachable people; circle of {p.n_friends} friends",
            f"可触达 {plan.market:,} 人；朋友圈 {p.n_friends} 个朋友")),
        (one_side("Derived · 推导"), prose(
            f"max purchase rate {result.max_purchase_rate:.4f}/friend/day, "
            f"re-order rate {result.repeat_rate:.2f}/month, demand "
            f"{result.demand_rate:.2f} boxes/week per 1,000 people",
            f"最高购买率 {result.max_purchase_rate:.4f} 次/朋友/天，复购率 "
            f"{result.repeat_rate:.2f} 次/月，需求 {result.demand_rate:.2f} 盒/周/千人")),
        (one_side("Seed · 随机种子"), prose(f"{result.seed} ({draws} in the tier simulator)",
                                        f"{result.seed}（层级模拟器用{draws}）")),
    ]


def _scores_rows(result: BusinessResult) -> list[tuple[str, str]]:
    return [(prose(f"{c} · {CRITERION_LABELS[c][1]}", CRITERION_LABELS[c][1]),
             f"{float(result.plan.scores[c]):g}") for c in CRITERIA]


_DEATH_MARKS = {"at risk": "⚠ at risk", "avoided": "✔ avoided", "not scored": "— not scored"}
#: A plan check's status in Chinese (the capstone app, its report and chapter 07 share it).
STATUS_ZH = {"at risk": "有风险", "broken": "违背了", "triggered": "触发", "avoided": "已避开",
             "kept": "做到了", "clear": "没触发", "not scored": "不计分",
             "not pledged": "没有承诺", "pledge only": "已承诺（模型查不了）"}
_DEATH_MARKS_ZH = {status: f"{mark.split()[0]} {STATUS_ZH[status]}"
                   for status, mark in _DEATH_MARKS.items()}


def death_rows(result: BusinessResult) -> list[tuple[str, str, str, str]]:
    if get_language() == "zh":
        return [(r.cause_zh, "★" * int(r.death_index), _DEATH_MARKS_ZH[r.status], r.reason_zh)
                for r in result.death_causes.itertuples()]
    return [(f"{r.cause_en} · {r.cause_zh}", "★" * int(r.death_index),
             _DEATH_MARKS[r.status], r.reason)
            for r in result.death_causes.itertuples()]


_ETHICS_MARKS = {"kept": "✔ kept", "broken": "✘ broken", "not pledged": "— not pledged",
                 "pledge only": "✔ pledged (not checkable)"}
_ETHICS_MARKS_ZH = {status: f"{mark.split()[0]} {STATUS_ZH[status]}"
                    for status, mark in _ETHICS_MARKS.items()}


def ethics_rows(result: BusinessResult, terms: pd.DataFrame | None) -> list[tuple[str, ...]]:
    zh = get_language() == "zh"
    names = {}
    if terms is not None:
        names = {r.commitment_id: r.term_zh if zh else f"{r.term_zh} · {r.term_en}"
                 for r in terms.itertuples()}
    marks = _ETHICS_MARKS_ZH if zh else _ETHICS_MARKS
    return [(names.get(r.commitment_id, r.commitment_id), prose("yes" if r.pledged else "no",
                                                              "是" if r.pledged else "否"),
             marks[r.status], r.evidence_zh if zh else r.evidence)
            for r in result.ethics.itertuples()]


def legal_rows(result: BusinessResult) -> list[tuple[str, str, str, str]]:
    return [(f["law"], one_side(f["test"]),
             prose("⚠ triggered", f"⚠ {STATUS_ZH['triggered']}") if f["triggered"]
             else prose("✔ clear", f"✔ {STATUS_ZH['clear']}"),
             prose(f["reason"], f.get("reason_zh", f["reason"])))
            for f in result.legal_flags]


def _verdict(result: BusinessResult) -> str:
    o = result.outcomes
    if get_language() == "zh":
        return (f"八大死因中 {o['causes_at_risk']} 种有风险（{o['stars_at_risk']} 颗死亡指数星，"
                f"占全部星数的 {o['death_risk']:.0%}）；违背了 {o['ethics_broken']} 条自律承诺；"
                f"第七条三条标准触发了 {o['art7_triggered']} 条。")
    parts = [f"{o['causes_at_risk']} of 8 death causes at risk "
             f"({o['stars_at_risk']} death-index stars, {o['death_risk']:.0%} of all stars)",
             f"{o['ethics_broken']} ethics commitments broken",
             f"{o['art7_triggered']} of 3 Art. 7 tests triggered"]
    return "; ".join(parts) + "."


def load_terms() -> pd.DataFrame | None:
    try:
        from widgets.data import load_dataset
        return load_dataset("ethics_commitments")
    except Exception:  # the report still renders without the dataset's names
        return None


def headers() -> dict[str, tuple[str, ...]]:
    """The report's table headers in the current language."""
    zh = get_language() == "zh"
    return {
        "plan": ("项目", "内容") if zh else ("item", "value"),
        "scores": ("标准", "得分") if zh else ("criterion", "score"),
        "outcomes": ("结果", "数值", "含义") if zh else ("outcome", "value", "meaning"),
        "months": (("月", "首次购买（朋友圈）", "复购（朋友圈）", "平均信任", "买走盒数（市场）",
                    "出货盒数（市场）") if zh else
                   ("month", "first purchases (circle)", "repeat purchases (circle)",
                    "mean trust", "boxes bought (market)", "boxes shipped (market)")),
        "death": ("死因", "死亡指数", "状态", "原因") if zh else
                 ("cause", "death index", "status", "why"),
        "ethics": ("承诺", "是否承诺", "状态", "证据") if zh else
                  ("commitment", "pledged", "status", "evidence"),
        "legal": ("法规", "标准", "状态", "原因") if zh else ("law", "test", "status", "reason"),
    }


# --------------------------------------------------------------------------- figures

def circle_figure(result: BusinessResult) -> go.Figure:
    """The circle's first and repeat purchases a month (bars) and mean trust (line, right
    axis); the right margin holds the right axis's tick labels and title."""
    m = result.monthly
    months = list(m.index)
    circle = go.Figure()  # the course template is plotly's default (widgets.apps.theme)
    circle.add_bar(x=months, y=m["first_purchases"].round(1).tolist(),
                   name=one_side("first purchases · 首次购买"))
    circle.add_bar(x=months, y=m["repeat_purchases"].round(1).tolist(),
                   name=one_side("repeat purchases · 复购"))
    circle.add_scatter(x=months, y=m["trust_all"].round(3).tolist(),
                       name=one_side("mean trust · 平均信任"), yaxis="y2", mode="lines+markers")
    circle.update_layout(
        title=one_side("Your circle: purchases a month and mean trust · 朋友圈购买与信任"),
        barmode="stack", xaxis_title=one_side("Month · 月"),
        yaxis_title=prose("Boxes a month · 盒/月", "盒/月"),
        yaxis2={"title": prose("Mean trust (0–1) · 平均信任", "平均信任（0–1）"),
                "overlaying": "y", "side": "right", "tickmode": "linear", "dtick": 0.2,
                "range": [0, 1]}, height=380, margin={"r": 80})
    return circle


def channel_figure(result: BusinessResult) -> go.Figure:
    """Boxes consumers bought and boxes the brand shipped, month by month."""
    m = result.monthly
    months = list(m.index)
    channel = go.Figure()  # the course template is plotly's default (widgets.apps.theme)
    channel.add_scatter(x=months, y=m["consumer_units"].tolist(), mode="lines+markers",
                        name=one_side("bought by consumers · 消费者购买"), line={"color": GOOD})
    channel.add_scatter(x=months, y=m["units_shipped"].tolist(), mode="lines+markers",
                        name=one_side("shipped by the brand · 品牌出货"),
                        line={"color": BAD, "dash": "dash"})
    channel.update_layout(
        title=one_side("The channel: boxes shipped vs boxes consumers bought · 出货与真实购买"),
        xaxis_title=one_side("Month · 月"), yaxis_title=prose("Boxes a month · 盒/月", "盒/月"),
        height=360)
    return channel


def report_figures(result: BusinessResult) -> list[go.Figure]:
    """The report's charts (the capstone app draws the same two): the circle's purchases and
    trust, and where the boxes went."""
    return [circle_figure(result), channel_figure(result)]


def figure_captions() -> tuple[str, str]:
    """What each of :func:`report_figures` shows, with the provenance line."""
    return (prose("Expected purchases in a circle of friends under your posting plan, and their "
                  "mean trust. ", "按你的发圈计划，一个朋友圈每月预计的购买量，以及朋友们的平均"
                  "信任。") + provenance(),
            prose("Boxes the brand shipped against boxes consumers bought in the whole market; "
                  "the gap is stock stuck with agents. ", "整个市场里品牌商的出货与消费者真实买走"
                  "的盒数；两者之差就是压在代理手里的货。") + provenance())


# --------------------------------------------------------------------------- Markdown

_MD_ACTIVE = re.compile(r"([\\`*_\[\]!#|~])")
_EVENT_ATTR = re.compile(r"(?i)\b(on[a-z]+)(\s*)=")  # onerror=, onload= … (shown as typed)


def _no_html(value: Any) -> str:
    """``<``, ``>``, ``&`` escaped and ``on…=`` written with ``&#61;`` (renders as "=")."""
    return _EVENT_ATTR.sub(r"\1\2&#61;", html.escape(str(value), quote=False))


def md_text(value: Any) -> str:
    """Student-typed text made inert in Markdown: no raw HTML (``<script>``, ``<img onerror=…>``
    become visible text) and no links, images, emphasis or headings of its own."""
    return _no_html(_MD_ACTIVE.sub(r"\\\1", str(value)))


def _md_cell(value: Any) -> str:
    """A table cell: HTML neutralised (every cell may carry the student's words)."""
    text = re.sub(r"([\[\]`])", r"\\\1", str(value))  # no links or code of its own
    return _no_html(text).replace("|", "\\|").replace("\n", " ")


def _md_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    def cell(value: str) -> str:
        return _md_cell(value)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def _titles() -> dict[str, str]:
    """The report's headings in the current language (English ones keep their 中文 gloss)."""
    zh = get_language() == "zh"
    pairs = {
        "plan": ("Business plan: ", "商业计划："),
        "course": ("Social Selling Lab · capstone (chapter 7). ",
                   "Social Selling Lab · 综合项目（第 7 章）。"),
        "verdict": ("Verdict after 12 months:", "12 个月后的结论："),
        "the_plan": ("The plan · 计划", "计划"),
        "scores": ("Product scores (0–5) · 产品评分", "产品评分（0–5）"),
        "outcomes": ("Outcomes after 12 months · 12个月后的结果", "12 个月后的结果"),
        "months": ("Month by month · 逐月", "逐月"),
        "death": ("The eight death causes · 八大死因", "八大死因"),
        "death_md": ("The eight death causes · 八大死因 (死亡指数 from [Huang 2017])",
                     "八大死因（死亡指数见 [Huang 2017]）"),
        "death_note": ("Death index (死亡指数) in stars as given in [Huang 2017].",
                       "死亡指数（星数）按 [Huang 2017] 的评定。"),
        "ethics": ("Ethics consensus checklist · 商业伦理共识", "商业伦理共识清单"),
        "legal": ("Legal flags · 法律红线", "法律红线"),
        "legal_md": ("Legal flags · 法律红线 (Art. 7 and the outside-buyer test)",
                     "法律红线（第七条和外部顾客标准）"),
        "defence": ("My defence of the plan · 我的论证", "我为计划所做的论证"),
        "method": ("How these numbers were made · 方法", "这些数字是怎么算出来的"),
        "sources": ("Sources · 来源", "来源"),
    }
    return {key: zh_text if zh else en for key, (en, zh_text) in pairs.items()}


def report_markdown(result: BusinessResult, notes: str = "",
                    plan_data: Mapping[str, Any] | None = None) -> str:
    """The report as Markdown (the charts become a monthly table), in the current language.

    Everything the student typed is escaped (:func:`md_text`). ``plan_data`` (the app's
    plan document) is embedded in an HTML comment as base64 JSON, so the capstone's
    "Load a saved plan" can read the export back (:func:`extract_plan_data`).
    """
    plan, terms, t, head = result.plan, load_terms(), _titles(), headers()
    monthly = result.monthly
    month_rows = [(str(i), f"{r.first_purchases:.1f}", f"{r.repeat_purchases:.1f}",
                   f"{r.trust_all:.2f}", f"{int(r.consumer_units):,}", f"{int(r.units_shipped):,}")
                  for i, r in zip(monthly.index, monthly.itertuples(), strict=True)]
    parts = [
        f"# {t['plan']}{md_text(plan.name)}",
        t["course"] + provenance(),
        f"**{t['verdict']}** {_verdict(result)}",
        f"## {t['the_plan']}", _md_table(head["plan"], plan_rows(result)),
        f"### {t['scores']}", _md_table(head["scores"], _scores_rows(result)),
        f"## {t['outcomes']}",
        _md_table(head["outcomes"], outcome_rows(result)),
        f"### {t['months']}", _md_table(head["months"], month_rows),
        f"## {t['death_md']}",
        _md_table(head["death"], death_rows(result)),
        f"## {t['ethics']}",
        _md_table(head["ethics"], ethics_rows(result, terms)),
        f"## {t['legal_md']}",
        _md_table(head["legal"], legal_rows(result)),
    ]
    if notes.strip():
        parts += [f"## {t['defence']}",
                  "\n".join(md_text(line) for line in notes.strip().splitlines())]
    parts += [f"## {t['method']}",
              _method_text(),
              f"### {t['sources']}", "\n".join(f"- {s}" for s in sources())]
    if plan_data is not None:
        parts.append(_md_payload(plan_data))
    return "\n\n".join(parts) + "\n"


def _method_text() -> str:
    zh = get_language() == "zh"
    rules = "\n".join(f"- **{cause}**: {rule}"
                      for cause, rule in (DEATH_RULES_ZH if zh else DEATH_RULES).items())
    links = "\n".join(f"- {name}: {source}"
                      for name, source in (LINK_SOURCES_ZH if zh else LINK_SOURCES).items())
    if zh:
        return ("产品评分器决定朋友们多容易下单、多久复购一次；信任衰减模型把发圈计划放进一个"
                "朋友圈里跑 365 天；层级模拟器按这个朋友圈推出的需求，把渠道（1.0 或 2.0）跑 "
                "52 周。\n\n" + links + "\n\n死因判定（课程的假设）：\n\n" + rules)
    return ("The product scorer sets how readily friends buy and how often they re-order; the "
            "trust-decay model plays the posting plan out in a circle of friends for 365 days; "
            "the tier simulator runs the channel (1.0 or 2.0) for 52 weeks on the demand that "
            "circle implies.\n\n" + links + "\n\nDeath-cause tests (the course's assumptions):\n\n"
            + rules)


# --------------------------------------------------------------------------- HTML

_CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",
Arial,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
table{border-collapse:collapse;margin:0.5em 0 1.2em;width:100%}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top;font-size:14px}
th{background:#f2f2f2}
.note{font-size:12px;color:#555}.verdict{border-left:4px solid #0072B2;padding:6px 12px;
background:#f7fbff}
"""


def figures_html(figures: list[go.Figure]) -> list[str]:
    """Each figure as an HTML fragment, in the course template whatever plotly's default is now;
    plotly.js is inlined in the first one only."""
    config = {"displaylogo": False, "responsive": True}
    template = course_template()
    return [go.Figure(fig).update_layout(template=template).to_html(
                include_plotlyjs=(i == 0), full_html=False, config=config, include_mathjax=False)
            for i, fig in enumerate(figures)]


def report_html(result: BusinessResult, notes: str = "",
                plan_data: Mapping[str, Any] | None = None) -> str:
    """The report as one self-contained HTML page with interactive charts, in the current
    language.

    ``plan_data`` is embedded as ``<script type="application/json">`` (not executed; ``<``,
    ``>`` and ``&`` escaped) for the capstone's "Load a saved plan".
    """
    plan, terms, t, head = result.plan, load_terms(), _titles(), headers()
    charts = figures_html(report_figures(result))
    chart_html = "".join(f'<div class="chart">{c}</div><p class="note">{html.escape(cap)}</p>'
                         for c, cap in zip(charts, figure_captions(), strict=True))
    h = html.escape
    sections = [
        f"<h1>{h(t['plan'])}{h(plan.name)}</h1>",
        f'<p class="note">{h(t["course"])}{h(provenance())}</p>',
        f'<p class="verdict"><b>{h(t["verdict"])}</b> {h(_verdict(result))}</p>',
        f"<h2>{h(t['the_plan'])}</h2>", marked_table_html(head["plan"], plan_rows(result)),
        f"<h3>{h(t['scores'])}</h3>",
        marked_table_html(head["scores"], _scores_rows(result)),
        f"<h2>{h(t['outcomes'])}</h2>",
        marked_table_html(head["outcomes"], outcome_rows(result)), chart_html,
        f"<h2>{h(t['death'])}</h2>",
        f'<p class="note">{h(t["death_note"])}</p>',
        marked_table_html(head["death"], death_rows(result)),
        f"<h2>{h(t['ethics'])}</h2>",
        marked_table_html(head["ethics"], ethics_rows(result, terms)),
        f"<h2>{h(t['legal'])}</h2>",
        marked_table_html(head["legal"], legal_rows(result)),
    ]
    if notes.strip():
        paragraphs = "".join(f"<p>{h(p)}</p>" for p in notes.strip().split("\n\n"))
        sections += [f"<h2>{h(t['defence'])}</h2>", paragraphs]
    method = _method_text().split("\n\n")
    sections += [f"<h2>{h(t['method'])}</h2>",
                 f"<p>{h(method[0])}</p>",
                 "<ul>" + "".join(f"<li>{h(line[2:])}</li>" for line in method[1].splitlines())
                 + "</ul>", f"<p>{h(method[2])}</p>",
                 "<ul>" + "".join(f"<li>{h(line[2:].replace('**', ''))}</li>"
                                  for line in method[3].splitlines()) + "</ul>",
                 f"<h3>{h(t['sources'])}</h3>",
                 "<ul>" + "".join(f"<li>{h(s)}</li>" for s in sources()) + "</ul>"]
    if plan_data is not None:
        sections.append(_html_payload(plan_data))
    lang = "zh-CN" if get_language() == "zh" else "en"
    return (f"<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">"
            f"<title>{h(plan.name)} · Social Selling Lab</title>"
            f"<style>{_CSS}</style></head><body>{''.join(sections)}</body></html>\n")


# --------------------------------------------------------------------------- self-containment

_URL_ATTRS = {"src", "href", "srcset", "data", "poster", "action", "background", "xlink:href"}
_REMOTE = re.compile(r"^\s*(https?:|//|ftp:)", re.IGNORECASE)
_CSS_REMOTE = re.compile(r"@import|url\(\s*['\"]?\s*(https?:|//)", re.IGNORECASE)


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            value = value or ""
            if name in _URL_ATTRS and (_REMOTE.match(value) or
                                       any(_REMOTE.match(v) for v in value.split(","))):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name == "style" and _CSS_REMOTE.search(value):
                self.found.append(f"<{tag} style={value!r}>")
        if tag == "link":
            self.found.append(f"<link {dict(attrs)!r}>")
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style and _CSS_REMOTE.search(data):
            self.found.append(f"<style> {(_CSS_REMOTE.search(data) or [''])[0]!r}")


def external_references(document: str) -> list[str]:
    """Everything in an HTML document that a browser would fetch from elsewhere.

    Remote ``src``/``href``/… attributes, any ``<link>``, and ``@import`` or remote ``url(…)``
    in ``<style>`` blocks or ``style`` attributes. Scripts' string contents are not markup and
    are not scanned (plotly.js mentions URLs it never loads for these charts).
    """
    scanner = _Scanner()
    scanner.feed(document)
    scanner.close()
    return scanner.found


# --------------------------------------------------------------------------- export

def render(result: BusinessResult, fmt: str, notes: str = "",
           plan_data: Mapping[str, Any] | None = None) -> str:
    """The report in ``fmt`` (``"html"`` or ``"md"``)."""
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {FORMATS}, got {fmt!r}")
    if fmt == "html":
        return report_html(result, notes, plan_data)
    return report_markdown(result, notes, plan_data)


# --------------------------------------------------------------------------- plan payload

PAYLOAD_ID = "social-selling-lab-plan"
_MD_PAYLOAD = re.compile(rf"<!-- {PAYLOAD_ID}: ([A-Za-z0-9+/=]+) -->")
_HTML_PAYLOAD = re.compile(
    rf'<script type="application/json" id="{PAYLOAD_ID}">(.*?)</script>', re.DOTALL)


def _payload_json(plan_data: Mapping[str, Any]) -> str:
    return json.dumps(dict(plan_data), ensure_ascii=True, sort_keys=True, allow_nan=False)


def _html_payload(plan_data: Mapping[str, Any]) -> str:
    text = (_payload_json(plan_data).replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("&", "\\u0026"))
    return f'<script type="application/json" id="{PAYLOAD_ID}">{text}</script>'


def _md_payload(plan_data: Mapping[str, Any]) -> str:
    encoded = base64.b64encode(_payload_json(plan_data).encode("ascii")).decode("ascii")
    return f"<!-- {PAYLOAD_ID}: {encoded} -->"


def extract_plan_data(text: str) -> dict[str, Any] | None:
    """The plan document embedded in an exported report (HTML or Markdown), or ``None``."""
    found = _HTML_PAYLOAD.search(text)
    try:
        if found:
            data = json.loads(found.group(1))
        else:
            found = _MD_PAYLOAD.search(text)
            if not found:
                return None
            data = json.loads(base64.b64decode(found.group(1), validate=True).decode("ascii"))
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def next_free_path(path: str | Path) -> Path:
    """``path`` itself if free, else ``name_2.ext``, ``name_3.ext`` … (the first free one)."""
    path = Path(path)
    if not path.exists():
        return path
    for number in range(2, 10_000):
        candidate = path.with_name(f"{path.stem}_{number}{path.suffix}")
        if not candidate.exists():
            return candidate
    raise ExportError(f"no free file name next to {path}")


def write_atomically(text: str, path: str | Path, *, overwrite: bool = False,
                     backup: bool = True) -> Path:
    """Write UTF-8 ``text`` to ``path`` via a temporary file and ``os.replace``.

    An existing file is never replaced silently: without ``overwrite=True`` this raises
    :class:`ExportError`; with it, the old file is kept as ``<name>.bak`` (unless
    ``backup=False``, for files under version control).
    """
    path = Path(path)
    if path.exists() and not overwrite:
        raise ExportError(f"{path} already exists; choose another name or pass "
                          f"overwrite=True (the old file is then kept as {path.name}.bak)")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as tmp:
            tmp.write(text)
            tmp.flush()
            os.fsync(tmp.fileno())
        if path.exists() and backup:
            os.replace(path, path.with_name(path.name + ".bak"))
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return path


def export_plan(result: BusinessResult, path: str | Path, *, fmt: str | None = None,
                overwrite: bool = False, notes: str = "",
                plan_data: Mapping[str, Any] | None = None) -> Path:
    """Render the report and write it to ``path`` (format from ``fmt`` or the file suffix).

    Written through the students' storage path (:func:`save_student_text`: lock, atomic
    write with a normal file mode, ``.bak`` of a replaced file, verified).
    """
    path = Path(path)
    fmt = fmt or path.suffix.lstrip(".").lower()
    if fmt == "markdown":
        fmt = "md"
    if fmt not in FORMATS:
        raise ExportError(f"cannot tell the format of {path.name}: use .html or .md "
                          f"(or pass fmt=)")
    text = render(result, fmt, notes, plan_data)
    try:
        return save_student_text(path, text, overwrite=overwrite)
    except StoreError as exc:
        raise ExportError(str(exc)) from exc


# --------------------------------------------------------------------------- rubric examples

BEGIN_MARK = "<!-- BEGIN GENERATED: worked examples (python -m widgets.report --update-rubric) -->"
END_MARK = "<!-- END GENERATED: worked examples -->"
RUBRIC_PATH = Path(__file__).resolve().parents[1] / "docs" / "CAPSTONE_RUBRIC.md"
_EXAMPLE_TITLES = {"failing_1_0": "Worked example A: a failing 1.0 plan",
                   "sound_2_0": "Worked example B: a sound 2.0 plan"}


def worked_examples_markdown(seed: int = 0) -> str:
    """The rubric's worked examples, every number computed now by the linked model (in
    English, whatever the course's language: the Chinese rubric is written by hand)."""
    language = get_language()
    if language == "zh":
        set_language("both", remember=False)
    try:
        return _worked_examples_markdown(seed)
    finally:
        if language == "zh":
            set_language(language, remember=False)


def _worked_examples_markdown(seed: int) -> str:
    from widgets.data import load_dataset
    from widgets.models.linked_business import example_plans, simulate_business

    parts = [f"_Generated by `python -m widgets.report --update-rubric` with seed {seed} "
             "(one random run of the tier simulator). Do not edit by hand: "
             "`tests/test_plan_export.py` checks that these numbers match the model._"]
    for key, plan in example_plans(load_dataset("products")).items():
        result = simulate_business(plan, seed=seed)
        parts += [f"### {_EXAMPLE_TITLES[key]} (`{key}`)", f"**{plan.name}.** {_verdict(result)}",
                  _md_table(("item", "value"), plan_rows(result)),
                  _md_table(("outcome", "value", "meaning"), outcome_rows(result)),
                  _md_table(("cause", "death index", "status", "why"), death_rows(result)),
                  _md_table(("law", "test", "status", "reason"), legal_rows(result))]
    return "\n\n".join(parts)


def _split_rubric(text: str) -> tuple[str, str, str]:
    if BEGIN_MARK not in text or END_MARK not in text:
        raise ExportError(f"the rubric lacks the markers {BEGIN_MARK!r} … {END_MARK!r}")
    head, rest = text.split(BEGIN_MARK, 1)
    body, tail = rest.split(END_MARK, 1)
    return head, body, tail


def rubric_is_current(path: str | Path = RUBRIC_PATH) -> bool:
    """True when the rubric's generated block equals a fresh run of the linked model."""
    _, body, _ = _split_rubric(Path(path).read_text(encoding="utf-8"))
    return body.strip() == worked_examples_markdown().strip()


def update_rubric(path: str | Path = RUBRIC_PATH) -> Path:
    """Regenerate the worked examples between the markers (atomic; keeps a .bak)."""
    path = Path(path)
    head, _, tail = _split_rubric(path.read_text(encoding="utf-8"))
    text = f"{head}{BEGIN_MARK}\n\n{worked_examples_markdown()}\n\n{END_MARK}{tail}"
    return write_atomically(text, path, overwrite=True, backup=False)


def main(argv: list[str] | None = None) -> int:
    """``python -m widgets.report --update-rubric [PATH]`` or ``--check-rubric [PATH]``."""
    import argparse

    parser = argparse.ArgumentParser(description="Regenerate or check the capstone rubric's "
                                                 "worked examples.")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--update-rubric", action="store_true")
    group.add_argument("--check-rubric", action="store_true")
    parser.add_argument("path", nargs="?", default=str(RUBRIC_PATH))
    args = parser.parse_args(argv)
    if args.update_rubric:
        print(update_rubric(args.path))
        return 0
    current = rubric_is_current(args.path)
    print("up to date" if current else "STALE: run python -m widgets.report --update-rubric")
    return 0 if current else 1


if __name__ == "__main__":
    raise SystemExit(main())
