"""Headless tests of the capstone plan builder."""

from __future__ import annotations

import re

import pytest

from widgets.apps.capstone import CUSTOM, build_capstone
from widgets.chapters.ch07 import (
    build_causes_at_risk_bet,
    build_channel_revenue_bet,
    channel_revenue_direction,
    check_plan,
    plan_feedback,
)
from widgets.models.linked_business import simulate_business


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return build_capstone("sound_2_0", folder=tmp_path_factory.mktemp("plans"))


def test_example_loads_into_the_controls(app):
    assert app.mode.value == "2.0"
    assert app.ads_per_day.value == pytest.approx(0.3)
    assert all(app.ethics_checklist.answers().values())
    assert app.result.outcomes["causes_at_risk"] == 0
    assert "avoided" in app.death_html.value and "⚠" not in app.death_html.value


def test_switching_to_1_0_triggers_art7_flags_and_redraws(app):
    app.mode.value = "1.0"
    try:
        assert app.result.outcomes["art7_triggered"] == 3
        assert "triggered" in app.legal_html.value
        assert "3 / 3" in app.kpis.value
        shipped = sum(app.fig_channel.data[1].y)
        bought = sum(app.fig_channel.data[0].y)
        assert shipped > bought
    finally:
        app.mode.value = "2.0"


def test_figures_match_the_linked_model(app):
    expected = simulate_business(app.plan(), seed=app.seed)
    assert list(app.fig_circle.data[0].y) == pytest.approx(
        expected.monthly["first_purchases"].round(1).tolist())
    assert list(app.fig_channel.data[0].y) == expected.monthly["consumer_units"].tolist()
    for fig in (app.fig_circle, app.fig_channel):
        assert fig.layout.title.text and fig.layout.xaxis.title.text


def test_choosing_a_product_loads_its_scores(app):
    app.product.value = "handbag"
    try:
        row = app.products.loc["handbag"]
        assert app.scores["experiential"].value == pytest.approx(row["experiential"])
        assert app.result.plan.scores["experiential"] == pytest.approx(row["experiential"])
    finally:
        app.product.value = CUSTOM


def test_street_stall_posting_puts_the_living_room_at_risk(app):
    app.posting_preset.value = "street_stall"
    try:
        assert app.ads_per_day.value == pytest.approx(5.0)
        assert app.brag.value and app.fake_goods.value
        status = app.result.death_causes.set_index("cause_id")["status"]
        assert status["street_stall"] == "at risk"
    finally:
        app.posting_preset.value = "living_room"


def test_export_writes_then_refuses_to_overwrite(app):
    app.file_name.value = "my_plan.html"
    app.notes.value = "Co-creation with the skin-care circle."
    path = app.export()
    assert path is not None and path.is_file()
    assert "Co-creation with the skin-care circle." in path.read_text(encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    assert app.export() is None
    assert "already exists" in app.export_status.value
    assert app.file_name.value == "my_plan_2.html"
    assert path.read_text(encoding="utf-8") == before
    app.format.value = "md"
    assert app.file_name.value == "my_plan_2.md"
    md = app.export()
    assert md is not None and md.read_text(encoding="utf-8").startswith("# Business plan")


def test_bet_answer_comes_from_the_linked_model():
    assert build_channel_revenue_bet().answer() == channel_revenue_direction()


def test_unknown_example_is_refused():
    with pytest.raises(ValueError, match="example"):
        build_capstone("perfect_plan")


def test_plan_check_passes_the_sound_example_and_fails_the_failing_one():
    sound = build_capstone("sound_2_0")
    failing = build_capstone("failing_1_0")
    assert plan_feedback(sound.result).correct
    feedback = plan_feedback(failing.result)
    assert not feedback.correct and "Art. 7" in feedback.message
    sound.ethics_checklist.answer(no_fakes=False)
    assert "not pledged" in plan_feedback(sound.result).message
    assert check_plan(failing).last.correct is False


def test_causes_bet_answer_is_the_models():
    bet = build_causes_at_risk_bet()
    count = build_capstone("failing_1_0").result.outcomes["causes_at_risk"]
    assert bet.answer() == bet.guess.options[0 if count >= 6 else 1 if count >= 3 else 2]


def test_circle_chart_titles_each_axis_with_what_it_plots(app):
    layout = app.fig_circle.layout
    assert "trust" in layout.yaxis2.title.text.lower() and "盒" not in layout.yaxis2.title.text
    assert "Boxes" in layout.yaxis.title.text
    assert app.fig_circle.data[2].yaxis == "y2"


def test_app_draws_the_reports_figures(app):
    """One place draws the capstone's charts: widgets.report's figure functions."""
    from widgets.report import report_figures

    for shown, drawn in zip((app.fig_circle, app.fig_channel), report_figures(app.result),
                            strict=True):
        assert shown.layout.title.text == drawn.layout.title.text
        assert [t.name for t in shown.data] == [t.name for t in drawn.data]
        assert [list(t.y) for t in shown.data] == [list(t.y) for t in drawn.data]


def test_circle_chart_leaves_room_for_its_right_axis(app):
    """The template's 20 px right margin cut the trust axis's ticks off (seen at 1280×720)."""
    from widgets.apps.theme import course_template

    assert course_template().layout.margin.r < 40
    assert app.fig_circle.layout.yaxis2.side == "right"
    assert app.fig_circle.layout.margin.r >= 60


def test_capstone_and_its_export_are_chinese_in_zh_mode(tmp_path):
    from tools.zh_scan import english_prose, prose_runs
    from widgets.apps import labels

    before = labels.get_language()
    labels.set_language("zh", remember=False)
    try:
        app = build_capstone("failing_1_0", folder=tmp_path)
        assert not prose_runs(app), prose_runs(app)
        app.notes.value = "我的论证"
        for fmt in ("html", "md"):
            app.format.value = fmt
            path = app.export()
            assert path is not None, app.export_status.value
            text = path.read_text(encoding="utf-8")
            # plotly.js, the plan payload and the stylesheet are no prose; the course's name is
            shown = re.sub(r"<(script|style).*?</\1>", " ", text, flags=re.DOTALL)
            shown = shown.replace("Social Selling Lab", "")
            assert not english_prose(shown), english_prose(shown)[:10]
            assert "八大死因" in text and "虚假业绩" in text
    finally:
        labels.set_language(before, remember=False)


def test_a_change_redraws_only_what_changed_never_the_template(tmp_path, monkeypatch) -> None:
    """Re-validating plotly's whole template on every control change made a capstone redraw
    cost ~0.7 s; a redraw sends only the layout keys that changed."""
    from widgets.apps.figure import CourseFigure

    monkeypatch.chdir(tmp_path)
    app = build_capstone("sound_2_0")
    sent: list[set[str]] = []
    original = CourseFigure.update_layout
    monkeypatch.setattr(CourseFigure, "update_layout",
                        lambda self, *a, **k: sent.append(set(a[0] if a else k)) or
                        original(self, *a, **k))
    app.mode.value = "1.0" if app.mode.value != "1.0" else "2.0"
    assert all("template" not in keys for keys in sent), sent
