"""The plan report: self-contained HTML, Markdown, atomic writes that never overwrite silently."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from widgets.models.linked_business import BusinessPlan, simulate_business
from widgets.report import (
    BEGIN_MARK,
    END_MARK,
    RUBRIC_PATH,
    ExportError,
    export_plan,
    external_references,
    main,
    next_free_path,
    report_html,
    report_markdown,
    rubric_is_current,
    update_rubric,
)


@pytest.fixture(scope="module")
def failing():
    return simulate_business(BusinessPlan(name="Test <plan>", posting_preset="street_stall",
                                          mode="1.0", n_tiers=3))


@pytest.fixture(scope="module")
def page(failing):
    return report_html(failing, notes="I would <b>not</b> run this.\n\nSecond paragraph.")


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.styles: list[str] = []
        self._style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._style = tag == "style"

    def handle_data(self, data):
        if self._style:
            self.styles.append(data)

    def handle_endtag(self, tag):
        self._style = False


def test_html_loads_nothing_from_the_network(page):
    assert external_references(page) == []
    parser = _Tags()
    parser.feed(page)
    remote = re.compile(r"^\s*(https?:)?//", re.I)
    for tag, attrs in parser.tags:
        assert tag != "link", f"<link> would load {attrs}"
        for name in ("src", "href", "srcset", "data", "poster", "action"):
            assert not remote.match(attrs.get(name) or ""), f"<{tag} {name}={attrs[name]!r}>"
        assert not (tag == "script" and attrs.get("src")), "scripts must be inline"
    for css in parser.styles:
        assert "@import" not in css
        assert not re.search(r"url\(\s*['\"]?\s*(https?:)?//", css)
    # outside <script> blocks, no http(s) URL appears at all (no CDN, fonts or images)
    markup = re.sub(r"<script\b.*?</script>", "", page, flags=re.S | re.I)
    assert not re.search(r"https?://", markup)


def test_plotly_is_inlined_once_and_charts_stay_interactive(page):
    assert page.count("<script") >= 3
    assert page.count("Plotly.newPlot") == 2
    bundle_marker = "plotly.js v"
    assert page.count(bundle_marker) >= 1
    assert not re.search(r"<script[^>]+src=", page, re.I)


def test_scanner_catches_remote_resources():
    bad = ('<html><head><link rel="stylesheet" href="https://cdn.example/x.css">'
           '<style>@import url("https://fonts.example/f.css");</style></head>'
           '<body><script src="https://cdn.plot.ly/plotly.min.js"></script>'
           '<img src="//images.example/a.png"><div style="background:url(http://x/y.png)">'
           "</div></body></html>")
    found = external_references(bad)
    assert len(found) >= 5
    assert external_references('<img src="data:image/png;base64,AAAA">') == []


def test_report_holds_every_section_and_escapes_text(page, failing):
    for heading in ("The eight death causes", "Ethics consensus", "Legal flags",
                    "Outcomes after 12 months", "My defence"):
        assert heading in page
    assert "Test &lt;plan&gt;" in page and "<b>not</b>" not in page
    for row in failing.death_causes.itertuples():
        assert row.cause_zh in page
    assert page.count("at risk") >= int((failing.death_causes["status"] == "at risk").sum())
    assert "拉人头" in page


def test_markdown_report(failing):
    text = report_markdown(failing)
    assert text.startswith("# Business plan: Test &lt;plan&gt;") and "<plan>" not in text
    assert text.count("| ") > 40
    assert "⚠ at risk" in text
    assert not re.search(r"https?://", text)
    for flag in failing.legal_flags:
        assert flag["test"] in text


def test_export_refuses_to_overwrite_and_keeps_a_backup(tmp_path, failing):
    target = tmp_path / "my_plan.html"
    path = export_plan(failing, target)
    first = path.read_text(encoding="utf-8")
    assert first.startswith("<!DOCTYPE html>")
    with pytest.raises(ExportError, match="already exists"):
        export_plan(failing, target, notes="changed")
    assert target.read_text(encoding="utf-8") == first
    assert next_free_path(target).name == "my_plan_2.html"
    export_plan(failing, target, overwrite=True, notes="changed")
    assert (tmp_path / "my_plan.html.bak").read_text(encoding="utf-8") == first
    assert "changed" in target.read_text(encoding="utf-8")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_export_markdown_by_suffix_and_rejects_unknown_formats(tmp_path, failing):
    path = export_plan(failing, tmp_path / "my_plan.md")
    assert path.read_text(encoding="utf-8").startswith("# Business plan")
    with pytest.raises(ExportError, match="format"):
        export_plan(failing, tmp_path / "my_plan.pdf")


def test_rubric_worked_examples_match_the_linked_model():
    assert rubric_is_current(RUBRIC_PATH), (
        "docs/CAPSTONE_RUBRIC.md is stale: run python -m widgets.report --update-rubric")
    text = RUBRIC_PATH.read_text(encoding="utf-8")
    assert "failing_1_0" in text and "sound_2_0" in text


def test_update_rubric_rewrites_only_the_generated_block(tmp_path):
    original = RUBRIC_PATH.read_text(encoding="utf-8")
    head, _, tail = original.partition(BEGIN_MARK)
    stale = tmp_path / "rubric.md"
    stale.write_text(head + BEGIN_MARK + "\n| outcome | 123 |\n" + END_MARK
                     + tail.partition(END_MARK)[2], encoding="utf-8")
    assert not rubric_is_current(stale)
    assert main(["--check-rubric", str(stale)]) == 1
    update_rubric(stale)
    assert rubric_is_current(stale)
    assert stale.read_text(encoding="utf-8") == original
    assert not (tmp_path / "rubric.md.bak").exists()
