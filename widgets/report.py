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
from widgets.apps.theme import course_template
from widgets.data.storage import StoreError, save_student_text
from widgets.models.linked_business import DEATH_RULES, LINK_SOURCES, BusinessResult
from widgets.models.product_scorer import CRITERIA, CRITERION_LABELS

FORMATS = ("html", "md")
PROVENANCE = ("Illustrative: every outcome is computed by the course's models from the "
              "plan's inputs and the models' stated assumptions; none is a forecast or a "
              "measurement.")
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


class ExportError(RuntimeError):
    """The report cannot be written (for example it would overwrite a file)."""


# --------------------------------------------------------------------------- content

def outcome_rows(result: BusinessResult) -> list[tuple[str, str, str]]:
    """(label, value, what it means) for the report's outcome table."""
    o = result.outcomes
    return [
        ("Product score · 产品得分", f"{o['product_score']:.2f} / 5",
         "weighted score on the eight criteria"),
        ("Purchases in your circle · 朋友圈购买", f"{o['circle_first_purchases']:,.0f} + "
         f"{o['circle_repeat_purchases']:,.0f} repeat",
         f"expected boxes bought by {result.trust_params.n_friends} friends in a year"),
        ("Mean trust after 12 months · 平均信任", f"{o['final_trust']:.2f}",
         "0 = none, 1 = full (beta trust)"),
        ("Reach on the last day · 最后一天触达", f"{o['final_reach']:,.0f}",
         "friends expected to see one of your posts that day"),
        ("Friends who muted or blocked you · 屏蔽/拉黑", percent(o["share_muted"]),
         "share of the circle no longer seeing your posts"),
        ("Boxes bought by consumers · 消费者购买", f"{o['consumer_units']:,}",
         f"in a market of {result.plan.market:,} people"),
        ("Boxes shipped by the brand · 品牌出货", f"{o['units_shipped']:,}",
         "includes stock stuck in the tiers"),
        ("Fake-performance ratio · 虚假业绩", ratio(o["fake_performance_ratio"]),
         "shipped ÷ bought by consumers (1 = no stock stuck)"),
        ("Revenue from outside buyers · 外部顾客收入占比", percent(o["outside_revenue_share"]),
         "FTC v. Vemma asks for more than half"),
        ("Agents losing money · 亏损代理", percent(o["share_losing_money"]),
         f"of {o['agents']:,} agents or prosumers"),
        ("Median agent profit · 代理利润中位数", f"{o['median_agent_profit']:,.0f} 元",
         "cash in − cash out over the year"),
        ("Brand revenue · 品牌收入", f"{o['brand_revenue']:,.0f} 元",
         "money received by the brand"),
        ("Unsold stock · 库存积压", f"{o['unsold_stock_value']:,.0f} 元",
         "what agents paid for boxes they still hold"),
    ]


def plan_rows(result: BusinessResult) -> list[tuple[str, str]]:
    """(item, value) describing the plan."""
    plan, p, t = result.plan, result.trust_params, result.tier_params
    posting = (f"preset {plan.posting_preset}; {p.ads_per_day:g} ads, {p.content_per_day:g} "
               f"content posts, {p.interactions_per_day:g} replies a day; "
               f"{p.new_friend_share:.0%} brand-new friends in the outer circle")
    if p.brag_day is not None:
        posting += f"; a brag on day {p.brag_day}"
    if p.fake_goods_day is not None:
        posting += f"; a fake batch on day {p.fake_goods_day}"
    ladder = " → ".join(f"{x:g}" for x in t.tier_prices)
    draws = ("floored-counter reference mode" if result.deterministic
             else "random draws")
    if plan.mode == "1.0":
        orders = " / ".join(str(u) for u in t.first_order_units)
        channel = (f"mode 1.0, {t.n_tiers} tiers, agent prices {ladder} 元, retail "
                   f"{t.retail_price:g} 元, first orders {orders} boxes, restock "
                   f"{t.restock_units} boxes every 4 weeks, recruiting bonus "
                   f"{t.recruit_bonus:.0%}, team commission {t.team_commission:.0%}")
    else:
        channel = (f"mode 2.0 (the brand ships to consumers; {t.n_tiers} tiers of prosumers "
                   f"hold no stock), retail {t.retail_price:g} 元, commission "
                   f"{t.sales_commission:.0%} of retail per box sold, no recruiting pay")
    channel += f"; {t.recruit_rate:g} recruits per member a week"
    return [
        ("Product · 产品", plan.product),
        ("Posting plan · 发圈计划", posting),
        ("Channel · 渠道", channel),
        ("Market · 市场", f"{plan.market:,} reachable people; circle of {p.n_friends} friends"),
        ("Derived · 推导", f"max purchase rate {result.max_purchase_rate:.4f}/friend/day, "
                           f"re-order rate {result.repeat_rate:.2f}/month, demand "
                           f"{result.demand_rate:.2f} boxes/week per 1,000 people"),
        ("Seed · 随机种子", f"{result.seed} ({draws} in the tier simulator)"),
    ]


def _scores_rows(result: BusinessResult) -> list[tuple[str, str]]:
    return [(f"{c} · {CRITERION_LABELS[c][1]}", f"{float(result.plan.scores[c]):g}")
            for c in CRITERIA]


_DEATH_MARKS = {"at risk": "⚠ at risk", "avoided": "✔ avoided", "not scored": "— not scored"}


def _death_rows(result: BusinessResult) -> list[tuple[str, str, str, str]]:
    return [(f"{r.cause_en} · {r.cause_zh}", "★" * int(r.death_index),
             _DEATH_MARKS[r.status], r.reason)
            for r in result.death_causes.itertuples()]


def _ethics_rows(result: BusinessResult, terms: pd.DataFrame | None) -> list[tuple[str, ...]]:
    names = {}
    if terms is not None:
        names = {r.commitment_id: f"{r.term_zh} · {r.term_en}" for r in terms.itertuples()}
    marks = {"kept": "✔ kept", "broken": "✘ broken", "not pledged": "— not pledged",
             "pledge only": "✔ pledged (not checkable)"}
    return [(names.get(r.commitment_id, r.commitment_id), "yes" if r.pledged else "no",
             marks[r.status], r.evidence) for r in result.ethics.itertuples()]


def _legal_rows(result: BusinessResult) -> list[tuple[str, str, str, str]]:
    return [(f["law"], f["test"], "⚠ triggered" if f["triggered"] else "✔ clear", f["reason"])
            for f in result.legal_flags]


def _verdict(result: BusinessResult) -> str:
    o = result.outcomes
    parts = [f"{o['causes_at_risk']} of 8 death causes at risk "
             f"({o['stars_at_risk']} death-index stars, {o['death_risk']:.0%} of all stars)",
             f"{o['ethics_broken']} ethics commitments broken",
             f"{o['art7_triggered']} of 3 Art. 7 tests triggered"]
    return "; ".join(parts) + "."


def _load_terms() -> pd.DataFrame | None:
    try:
        from widgets.data import load_dataset
        return load_dataset("ethics_commitments")
    except Exception:  # the report still renders without the dataset's names
        return None


# --------------------------------------------------------------------------- figures

def report_figures(result: BusinessResult) -> list[go.Figure]:
    """The report's charts: the circle's purchases and trust, and where the boxes went."""
    m = result.monthly
    months = list(m.index)
    circle = go.Figure(layout={"template": course_template()})
    circle.add_bar(x=months, y=m["first_purchases"].round(1).tolist(),
                   name="first purchases · 首次购买")
    circle.add_bar(x=months, y=m["repeat_purchases"].round(1).tolist(),
                   name="repeat purchases · 复购")
    circle.add_scatter(x=months, y=m["trust_all"].round(3).tolist(), name="mean trust · 平均信任",
                       yaxis="y2", mode="lines+markers")
    circle.update_layout(
        title="Your circle: purchases a month and mean trust · 朋友圈购买与信任",
        barmode="stack", xaxis_title="Month · 月", yaxis_title="Boxes a month · 盒/月",
        yaxis2={"title": "Mean trust (0–1) · 平均信任", "overlaying": "y", "side": "right",
                "tickmode": "linear", "dtick": 0.2,
                "range": [0, 1]}, height=380)
    channel = go.Figure(layout={"template": course_template()})
    channel.add_scatter(x=months, y=m["consumer_units"].tolist(), mode="lines+markers",
                        name="bought by consumers · 消费者购买")
    channel.add_scatter(x=months, y=m["units_shipped"].tolist(), mode="lines+markers",
                        name="shipped by the brand · 品牌出货")
    channel.update_layout(
        title="The channel: boxes shipped vs boxes consumers bought · 出货与真实购买",
        xaxis_title="Month · 月", yaxis_title="Boxes a month · 盒/月", height=360)
    return [circle, channel]


FIGURE_CAPTIONS = (
    "Expected purchases in a circle of friends under your posting plan, and their mean trust. "
    + PROVENANCE,
    "Boxes the brand shipped against boxes consumers bought in the whole market; the gap is "
    "stock stuck with agents. " + PROVENANCE,
)


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


def report_markdown(result: BusinessResult, notes: str = "",
                    plan_data: Mapping[str, Any] | None = None) -> str:
    """The report as Markdown (the charts become a monthly table).

    Everything the student typed is escaped (:func:`md_text`). ``plan_data`` (the app's
    plan document) is embedded in an HTML comment as base64 JSON, so the capstone's
    "Load a saved plan" can read the export back (:func:`extract_plan_data`).
    """
    plan, terms = result.plan, _load_terms()
    monthly = result.monthly
    month_rows = [(str(i), f"{r.first_purchases:.1f}", f"{r.repeat_purchases:.1f}",
                   f"{r.trust_all:.2f}", f"{int(r.consumer_units):,}", f"{int(r.units_shipped):,}")
                  for i, r in zip(monthly.index, monthly.itertuples(), strict=True)]
    parts = [
        f"# Business plan: {md_text(plan.name)}",
        "Social Selling Lab · capstone (chapter 7). " + PROVENANCE,
        f"**Verdict after 12 months:** {_verdict(result)}",
        "## The plan · 计划", _md_table(("item", "value"), plan_rows(result)),
        "### Product scores (0–5) · 产品评分", _md_table(("criterion", "score"),
                                                   _scores_rows(result)),
        "## Outcomes after 12 months · 12个月后的结果",
        _md_table(("outcome", "value", "meaning"), outcome_rows(result)),
        "### Month by month · 逐月", _md_table(
            ("month", "first purchases (circle)", "repeat purchases (circle)", "mean trust",
             "boxes bought (market)", "boxes shipped (market)"), month_rows),
        "## The eight death causes · 八大死因 (死亡指数 from [Huang 2017])",
        _md_table(("cause", "death index", "status", "why"), _death_rows(result)),
        "## Ethics consensus checklist · 商业伦理共识",
        _md_table(("commitment", "pledged", "status", "evidence"),
                  _ethics_rows(result, terms)),
        "## Legal flags · 法律红线 (Art. 7 and the outside-buyer test)",
        _md_table(("law", "test", "status", "reason"), _legal_rows(result)),
    ]
    if notes.strip():
        parts += ["## My defence of the plan · 我的论证",
                  "\n".join(md_text(line) for line in notes.strip().splitlines())]
    parts += ["## How these numbers were made · 方法",
              _method_text(),
              "### Sources · 来源", "\n".join(f"- {s}" for s in SOURCES)]
    if plan_data is not None:
        parts.append(_md_payload(plan_data))
    return "\n\n".join(parts) + "\n"


def _method_text() -> str:
    rules = "\n".join(f"- **{cause}**: {rule}" for cause, rule in DEATH_RULES.items())
    links = "\n".join(f"- {name}: {source}" for name, source in LINK_SOURCES.items())
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
th{background:#f2f2f2}.risk{color:#D55E00;font-weight:600}.ok{color:#009E73;font-weight:600}
.note{font-size:12px;color:#555}.verdict{border-left:4px solid #0072B2;padding:6px 12px;
background:#f7fbff}
"""


def _html_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    def cell(value: str) -> str:
        text = html.escape(str(value))
        if text.startswith(("⚠", "✘")):
            return f'<td class="risk">{text}</td>'
        if text.startswith("✔"):
            return f'<td class="ok">{text}</td>'
        return f"<td>{text}</td>"
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(cell(v) for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def figures_html(figures: list[go.Figure]) -> list[str]:
    """Each figure as an HTML fragment; plotly.js is inlined in the first one only."""
    config = {"displaylogo": False, "responsive": True}
    return [fig.to_html(include_plotlyjs=(i == 0), full_html=False, config=config,
                        include_mathjax=False)
            for i, fig in enumerate(figures)]


def report_html(result: BusinessResult, notes: str = "",
                plan_data: Mapping[str, Any] | None = None) -> str:
    """The report as one self-contained HTML page with interactive charts.

    ``plan_data`` is embedded as ``<script type="application/json">`` (not executed; ``<``,
    ``>`` and ``&`` escaped) for the capstone's "Load a saved plan".
    """
    plan, terms = result.plan, _load_terms()
    charts = figures_html(report_figures(result))
    chart_html = "".join(f'<div class="chart">{c}</div><p class="note">{html.escape(cap)}</p>'
                         for c, cap in zip(charts, FIGURE_CAPTIONS, strict=True))
    h = html.escape
    sections = [
        f"<h1>Business plan: {h(plan.name)}</h1>",
        f'<p class="note">Social Selling Lab · capstone (chapter 7). {h(PROVENANCE)}</p>',
        f'<p class="verdict"><b>Verdict after 12 months:</b> {h(_verdict(result))}</p>',
        "<h2>The plan · 计划</h2>", _html_table(("item", "value"), plan_rows(result)),
        "<h3>Product scores (0–5) · 产品评分</h3>",
        _html_table(("criterion", "score"), _scores_rows(result)),
        "<h2>Outcomes after 12 months · 12个月后的结果</h2>",
        _html_table(("outcome", "value", "meaning"), outcome_rows(result)), chart_html,
        "<h2>The eight death causes · 八大死因</h2>",
        '<p class="note">Death index (死亡指数) in stars as given in [Huang 2017].</p>',
        _html_table(("cause", "death index", "status", "why"), _death_rows(result)),
        "<h2>Ethics consensus checklist · 商业伦理共识</h2>",
        _html_table(("commitment", "pledged", "status", "evidence"),
                    _ethics_rows(result, terms)),
        "<h2>Legal flags · 法律红线</h2>",
        _html_table(("law", "test", "status", "reason"), _legal_rows(result)),
    ]
    if notes.strip():
        paragraphs = "".join(f"<p>{h(p)}</p>" for p in notes.strip().split("\n\n"))
        sections += ["<h2>My defence of the plan · 我的论证</h2>", paragraphs]
    method = _method_text().split("\n\n")
    sections += ["<h2>How these numbers were made · 方法</h2>",
                 f"<p>{h(method[0])}</p>",
                 "<ul>" + "".join(f"<li>{h(line[2:])}</li>" for line in method[1].splitlines())
                 + "</ul>", f"<p>{h(method[2])}</p>",
                 "<ul>" + "".join(f"<li>{h(line[2:].replace('**', ''))}</li>"
                                  for line in method[3].splitlines()) + "</ul>",
                 "<h3>Sources · 来源</h3>",
                 "<ul>" + "".join(f"<li>{h(s)}</li>" for s in SOURCES) + "</ul>"]
    if plan_data is not None:
        sections.append(_html_payload(plan_data))
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
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
    """The rubric's worked examples, every number computed now by the linked model."""
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
                  _md_table(("cause", "death index", "status", "why"), _death_rows(result)),
                  _md_table(("law", "test", "status", "reason"), _legal_rows(result))]
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
