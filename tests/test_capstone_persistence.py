"""The capstone keeps the student's plan: my_plan.json on every change, restored on restart.

A restart is building the app again in the same folder (a new kernel does exactly that).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pandas as pd
import pytest

from widgets.apps.capstone import CUSTOM, MINE, build_capstone
from widgets.apps.capstone_plan_file import PLAN_FILE
from widgets.data import save_student_document, update_student_table
from widgets.data.storage import corrupt_copies
from widgets.models.linked_business import ETHICS_IDS
from widgets.models.product_scorer import CRITERIA

PAYLOADS = ['<script>alert("x")</script>', "<img src=x onerror=alert(1)>",
            "<body onload=alert(2)>", "[click](javascript:alert(3))", "</textarea><svg/onload=1>"]


def set_everything(app) -> dict:
    """Move every control away from its default; return the document the app then holds."""
    app.product.value = "facial_mask"
    app.scores["persuasive"].value = 1.5
    app.posting_preset.value = "street_stall"
    app.ads_per_day.value = 2.5
    app.content_per_day.value = 4.0
    app.interactions_per_day.value = 12.0
    app.new_friend_share.value = 0.35
    app.brag.value = True
    app.fake_goods.value = False
    app.mode.value = "1.0"
    app.n_tiers.value = 4
    app.recruit_rate.value = 0.6
    app.market.value = 25_000
    app.ethics_checklist.answer(no_fakes=True, no_pyramid=False)
    app.notes.value = "My defence 我的论证: co-create with the circle."
    app.format.value = "md"
    return app.plan_document()


def test_every_control_is_restored_after_a_restart(tmp_path: Path) -> None:
    first = build_capstone(folder=tmp_path)
    expected = set_everything(first)
    saved = json.loads((tmp_path / PLAN_FILE).read_text(encoding="utf-8"))
    assert saved == expected
    second = build_capstone(folder=tmp_path)
    assert second.plan_document() == expected
    assert second.result.plan == first.result.plan
    assert "Restored your plan" in second.plan_status.value


def test_the_last_change_always_lands(tmp_path: Path) -> None:
    app = build_capstone(folder=tmp_path)
    for value in (0.5, 1.0, 1.5, 2.0, 6.5):
        app.ads_per_day.value = value
    app.notes.value = "draft"
    app.notes.value = "final words"
    again = build_capstone(folder=tmp_path)
    assert again.ads_per_day.value == 6.5 and again.notes.value == "final words"


def test_worked_examples_never_touch_my_plan(tmp_path: Path) -> None:
    mine = build_capstone(folder=tmp_path)
    mine.notes.value = "mine"
    before = (tmp_path / PLAN_FILE).read_bytes()
    example = build_capstone("failing_1_0", folder=tmp_path)
    example.notes.value = "changed in the example"
    example.mode.value = "2.0"
    assert (tmp_path / PLAN_FILE).read_bytes() == before
    assert build_capstone(folder=tmp_path).notes.value == "mine"


def test_my_own_products_from_chapter_02_are_offered(tmp_path: Path) -> None:
    row = pd.DataFrame([["Green tea", *[4.0] * 7, 1.0]], columns=["name", *CRITERIA])
    update_student_table(tmp_path / "my_products.csv", row, ["name", *CRITERIA], key="name")
    app = build_capstone(folder=tmp_path)
    values = [v for _, v in app.product.options]
    assert MINE + "Green tea" in values and values[-1] == CUSTOM
    app.product.value = MINE + "Green tea"
    assert app.scores["experiential"].value == 4.0 and app.scores[CRITERIA[-1]].value == 1.0
    assert app.result.plan.product == "Green tea"
    again = build_capstone(folder=tmp_path)
    assert again.product.value == MINE + "Green tea"


def test_a_saved_plan_loads_back_from_each_export_format(tmp_path: Path) -> None:
    app = build_capstone(folder=tmp_path)
    expected = set_everything(app)
    for name in ("my_plan.html", "my_plan.md"):
        app.file_name.value = name
        app.format.value = name.rsplit(".", 1)[1]
        assert app.export() is not None, app.export_status.value
    expected = app.plan_document()
    (tmp_path / "copy.json").write_text(json.dumps(expected), encoding="utf-8")
    for name in ("my_plan.html", "my_plan.md", "copy.json"):
        other = build_capstone("sound_2_0", folder=tmp_path)
        assert other.plan_document() != expected
        assert other.load_saved_plan(name), other.load_status.value
        loaded = other.plan_document()
        assert {k: v for k, v in loaded.items() if k not in ("file_name", "format_choice")} == {
            k: v for k, v in expected.items() if k not in ("file_name", "format_choice")}
        assert "Loaded the plan" in other.load_status.value


def test_loading_a_file_without_a_plan_says_so(tmp_path: Path) -> None:
    app = build_capstone("sound_2_0", folder=tmp_path)
    (tmp_path / "old.html").write_text("<html><body>an old export</body></html>",
                                       encoding="utf-8")
    assert not app.load_saved_plan("old.html")
    assert "holds no saved plan" in app.load_status.value
    assert not app.load_saved_plan("missing.json")
    assert "no file missing.json" in app.load_status.value


def test_unusable_values_in_a_plan_are_skipped_and_named(tmp_path: Path) -> None:
    save_student_document(tmp_path / PLAN_FILE, {
        "mode": "3.0", "ads_per_day": "lots", "market": 12_000, "brag": "yes",
        "scores": {"experiential": float("1e308"), "persuasive": None},
        "pledges": {"no_fakes": True, "made_up": True}, "notes": "kept"})
    app = build_capstone(folder=tmp_path)
    status = app.plan_status.value
    for key in ("mode", "ads_per_day", "brag", "scores.persuasive", "pledges.made_up"):
        assert key in status
    assert app.market.value == 12_000 and app.notes.value == "kept"
    assert app.ethics_checklist.answers()["no_fakes"] is True


def test_a_damaged_plan_restores_the_backup_and_keeps_the_damage(tmp_path: Path) -> None:
    app = build_capstone(folder=tmp_path)
    app.notes.value = "version one"
    app.notes.value = "version two"  # the .bak now holds "version one"
    (tmp_path / PLAN_FILE).write_bytes(b'{"notes": "version thr')
    again = build_capstone(folder=tmp_path)
    assert again.notes.value == "version one"
    assert "Restored the last good version" in again.plan_status.value
    kept = corrupt_copies(tmp_path / PLAN_FILE)
    assert len(kept) == 1 and kept[0].name in again.plan_status.value


@pytest.mark.parametrize("fault", [
    OSError(5, "Input/output error"), PermissionError(13, "Permission denied"),
    NotADirectoryError(20, "Not a directory")])
def test_file_system_errors_show_a_message_in_the_app(tmp_path: Path, monkeypatch, fault) -> None:
    app = build_capstone(folder=tmp_path)

    def fail(*_args, **_kwargs):
        raise fault

    monkeypatch.setattr(os, "replace", fail)
    app.notes.value = "autosave fails"
    assert "Could not save your plan to" in app.plan_status.value
    assert "What to do" in app.plan_status.value
    app.file_name.value = "report.html"
    assert app.export() is None
    assert "Could not export your plan to" in app.export_status.value
    assert "Traceback" not in app.export_status.value
    assert not (tmp_path / "report.html").exists()


def test_a_folder_that_is_a_file_gives_a_message(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("x", encoding="utf-8")
    app = build_capstone("sound_2_0", folder=blocker)
    assert app.export() is None and "not a folder" in app.export_status.value


def test_a_lone_surrogate_in_the_notes_gives_a_message_and_is_still_autosaved(
        tmp_path: Path) -> None:
    app = build_capstone(folder=tmp_path)
    app.notes.value = "half an emoji \ud83d here"
    assert "Saved" in app.plan_status.value  # my_plan.json escapes it
    assert build_capstone(folder=tmp_path).notes.value == "half an emoji \ud83d here"
    for fmt in ("html", "md"):
        app.format.value = fmt
        assert app.export() is None
        assert "cannot be stored" in app.export_status.value
        assert not list(tmp_path.glob(f"my_plan*.{fmt}"))


def test_both_exports_escape_everything_the_student_typed(tmp_path: Path) -> None:
    name = " ".join(PAYLOADS)
    row = pd.DataFrame([[name, *[3.0] * 8]], columns=["name", *CRITERIA])
    update_student_table(tmp_path / "my_products.csv", row, ["name", *CRITERIA], key="name")
    app = build_capstone(folder=tmp_path)
    app.product.value = MINE + name
    app.notes.value = "\n\n".join(PAYLOADS)
    app.ethics_checklist.answer(**dict.fromkeys(ETHICS_IDS, True))
    for fmt in ("html", "md"):
        app.format.value = fmt
        path = app.export()
        assert path is not None, app.export_status.value
        text = path.read_text(encoding="utf-8")
        for payload in PAYLOADS:  # markup stays text; a Markdown link stays text in HTML
            assert payload not in text or (fmt == "html" and "<" not in payload)
        for raw in ('<script>alert("x")', "<img", "<body onload", "<svg/onload", "</textarea><"):
            assert raw not in text
        if fmt == "md":
            assert "<script" not in text and "onerror=" not in text and "onload=" not in text
            assert not re.search(r"(?<!\\)\]\(javascript:", text)  # only escaped brackets
        else:
            assert text.count("<script") == text.count("</script>")
            assert "&lt;img src=x onerror=alert(1)&gt;" in text
        assert build_capstone("sound_2_0", folder=tmp_path).load_saved_plan(path.name)


def test_the_previous_version_loads_from_the_backup(tmp_path: Path) -> None:
    app = build_capstone(folder=tmp_path)
    app.notes.value = "older"
    app.notes.value = "newer"
    assert app.load_saved_plan("my_plan.json.bak")
    assert app.notes.value == "older"


def test_exports_and_the_plan_file_are_normal_readable_files(tmp_path: Path) -> None:
    import stat

    app = build_capstone(folder=tmp_path)
    app.notes.value = "readable"
    path = app.export()
    assert path is not None
    for saved in (path, tmp_path / PLAN_FILE):
        assert stat.S_IMODE(saved.stat().st_mode) == 0o644  # not mkstemp's private 0600
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
