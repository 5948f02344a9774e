"""Headless tests of the product scorer app: controls drive the figures; saving is safe."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import pytest

from widgets import load_dataset
from widgets.apps.product_scorer import (
    CRITERION_LABELS,
    SAVE_COLUMNS,
    build_product_scorer,
    load_my_products,
)
from widgets.chapters.ch02 import (
    build_mask_bet,
    check_raise_answer,
    flip_sentence,
    product_feedback,
    raise_one_point_answer,
    show_methods,
    show_product_table,
    show_stability,
)
from widgets.models.product_scorer import (
    CRITERIA,
    flip_top_two,
    score_products,
    scores_from_table,
    topsis,
)


@pytest.fixture
def app(tmp_path):
    return build_product_scorer(tmp_path / "my_products.csv")


@pytest.fixture(scope="module")
def course_scores() -> pd.DataFrame:
    return scores_from_table(load_dataset("products"))


def rank_labels(app) -> list[str]:
    return list(app.fig_rank.data[0].y)


def label_of(app, pid: str) -> str:
    return app.names[pid]


def test_opening_view_matches_the_model(app, course_scores):
    closeness_trace = app.fig_rank.data[len(CRITERIA)]
    assert len(closeness_trace.x) == 0 and len(closeness_trace.y) == 0
    totals = score_products(course_scores).total.sort_values(ascending=False, kind="stable")
    assert rank_labels(app) == [label_of(app, p) for p in totals.index]
    stacked = sum(np.asarray(app.fig_rank.data[i].x) for i in range(len(CRITERIA)))
    np.testing.assert_allclose(stacked, totals.to_numpy())
    assert "Facial mask" in app.kpis.value
    assert len(app.fig_radar.data) == 3  # the product being edited is also on the radar
    for fig in (app.fig_radar, app.fig_rank, app.fig_stability):
        assert fig.layout.title.text


def test_moving_a_weight_slider_changes_the_figures_and_can_flip_the_leader(app,
                                                                            course_scores):
    before_x = np.asarray(app.fig_rank.data[CRITERIA.index("forms_circle")].x).copy()
    before_p = np.asarray(app.fig_stability.data[0].x).copy()
    app.weight_sliders["forms_circle"].value = 5.0
    weights = {c: 1.0 for c in CRITERIA} | {"forms_circle": 5.0}
    expected = score_products(course_scores, weights).total.idxmax()
    assert expected != "facial_mask"  # the flip the chapter talks about
    assert rank_labels(app)[0] == label_of(app, expected)
    assert not np.allclose(np.sort(app.fig_rank.data[CRITERIA.index("forms_circle")].x),
                           np.sort(before_x))
    assert not np.allclose(np.sort(app.fig_stability.data[0].x), np.sort(before_p))
    assert app.analysis.flip.leader == expected


def test_moving_a_score_slider_changes_radar_and_ranking(app):
    app.product.value = "handbag"
    assert app.score_sliders["experiential"].value == 1.0  # loaded from the dataset
    radar_before = list(app.fig_radar.data[0].r)
    app.score_sliders["experiential"].value = 5.0
    assert list(app.fig_radar.data[0].r) != radar_before
    assert app.fig_radar.data[0].r[0] == 5.0
    position = rank_labels(app).index(label_of(app, "handbag"))
    total = sum(app.fig_rank.data[i].x[position] for i in range(len(CRITERIA)))
    assert total == pytest.approx((5 + 2 + 3 + 2 + 2 + 4 + 2 + 2) / 8)
    assert "edited" in app.rationale_note.value


def test_method_toggle_switches_to_topsis(app, course_scores):
    app.method.value = "topsis"
    closeness = topsis(course_scores).sort_values(ascending=False, kind="stable")
    bar = app.fig_rank.data[len(CRITERIA)]
    np.testing.assert_allclose(bar.x, closeness.to_numpy())
    assert list(bar.y) == [label_of(app, p) for p in closeness.index]
    assert bar.showlegend is True
    for trace in app.fig_rank.data[: len(CRITERIA)]:  # emptied, so nothing else is drawn
        assert len(trace.x) == 0 and len(trace.y) == 0 and trace.showlegend is False
    assert "TOPSIS" in app.fig_rank.layout.xaxis.title.text
    app.weight_sliders["persuasive"].value = 4.0  # stays in TOPSIS mode
    assert len(app.fig_rank.data[0].x) == 0
    app.method.value = "weighted_sum"
    assert len(app.fig_rank.data[0].x) == len(course_scores)
    assert len(app.fig_rank.data[0].y) == len(course_scores)
    assert len(bar.x) == 0 and len(bar.y) == 0 and bar.showlegend is False


def test_concentration_changes_the_stability_bars(app):
    before = np.asarray(app.fig_stability.data[0].x).copy()
    app.concentration.value = 5.0
    after = np.asarray(app.fig_stability.data[0].x)
    assert not np.allclose(before, after)
    assert after.sum() == pytest.approx(1.0)


def test_all_zero_weights_give_a_message_not_a_crash(app):
    for slider in app.weight_sliders.values():
        slider.value = 0.0
    assert "all zero" in app.kpis.value


def test_compare_picker_sets_the_radar_products(app):
    app.compare.value = ("bird_nest", "xiaomi_phone", "cosmetics", "handbag")
    names = [trace.name for trace in app.fig_radar.data]
    assert names[0] == label_of(app, app.product.value)
    assert label_of(app, "bird_nest") in names and len(names) == 5


# ------------------------------------------------------------------ saving

def test_my_product_is_saved_and_reloaded_after_a_restart(tmp_path):
    path = tmp_path / "my_products.csv"
    first = build_product_scorer(path)
    first.score_sliders["experiential"].value = 4.5
    first.name.value = "Green tea"
    message = first.add_my_product()
    assert "Saved" in message and path.exists()
    assert first.product.value == "Green tea"
    second = build_product_scorer(path)  # a new kernel builds the app again
    assert second.own_ids == ["Green tea"]
    assert second.scores.loc["Green tea", "experiential"] == 4.5
    assert "Loaded" in second.save_status.value


def test_two_apps_on_one_file_merge_instead_of_overwriting(tmp_path):
    path = tmp_path / "my_products.csv"
    a, b = build_product_scorer(path), build_product_scorer(path)
    a.add_my_product("Tea")
    b.add_my_product("Soap")
    saved, _ = load_my_products(path)
    assert sorted(saved["name"]) == ["Soap", "Tea"]
    b.score_sliders["persuasive"].value = 0.5
    b.add_my_product("Soap")  # updating keeps one row per name and a backup
    saved, _ = load_my_products(path)
    assert len(saved) == 2
    assert saved.set_index("name").loc["Soap", "persuasive"] == 0.5
    assert path.with_name(path.name + ".bak").exists()


def test_bad_names_are_refused_without_writing(tmp_path):
    path = tmp_path / "my_products.csv"
    app = build_product_scorer(path)
    assert "name" in app.add_my_product("   ")
    assert "course" in app.add_my_product("facial_mask")
    assert "course" in app.add_my_product("Handbag")
    assert not path.exists()


def test_a_corrupt_file_is_kept_aside_with_a_message(tmp_path):
    path = tmp_path / "my_products.csv"
    path.write_text("name,experiential\nTea,banana\n", encoding="utf-8")
    app = build_product_scorer(path)
    assert "could not be read" in app.save_status.value
    kept = list(tmp_path.glob("my_products.csv.corrupt-*"))
    assert len(kept) == 1 and "banana" in kept[0].read_text(encoding="utf-8")
    assert app.own_ids == []
    assert "Saved" in app.add_my_product("Tea")


def test_out_of_range_scores_on_disk_count_as_corrupt(tmp_path):
    path = tmp_path / "my_products.csv"
    row = {"name": "Tea", **{c: 3 for c in CRITERIA}} | {"content_depth": 9}
    pd.DataFrame([row], columns=list(SAVE_COLUMNS)).to_csv(path, index=False)
    app = build_product_scorer(path)
    assert "content_depth" in app.save_status.value
    assert list(tmp_path.glob("my_products.csv.corrupt-*"))


# ------------------------------------------------------------------ chapter helpers

def test_labels_use_the_criteria_dataset_terms():
    table = load_dataset("product_criteria")
    for row in table.itertuples():
        assert row.term_zh in CRITERION_LABELS[row.criterion_id][1]


def test_bet_reveals_the_models_answer():
    bet = build_mask_bet()
    bet.commit("Handbag · 女包")
    result = bet.reveal()
    totals = score_products(scores_from_table(load_dataset("products")).loc[
        ["facial_mask", "handbag", "sanitary_pads"]]).total
    assert result.answer.startswith({"facial_mask": "Facial mask", "handbag": "Handbag",
                                     "sanitary_pads": "Sanitary pads"}[totals.idxmax()])
    assert result.answer in bet.guess.options
    assert result.correct is False


def test_product_feedback_explains_a_good_answer_and_names_a_bad_one():
    good = {"name": "Tea", **{c: 3 for c in CRITERIA}}
    feedback = product_feedback(good)
    assert feedback.correct and "3.00 / 5" in feedback.message and "rank" in feedback.message
    weak = good | {"forms_circle": 1}
    assert "forms_circle" in product_feedback(weak).message
    assert not product_feedback(good | {"content_depth": 7}).correct
    assert not product_feedback(good | {"content_depth": None}).correct
    assert not product_feedback(good | {"name": ""}).correct
    assert not product_feedback(good | {"price": 3}).correct
    assert not product_feedback([3] * 8).correct


def test_raise_exercise_answer_and_check():
    assert raise_one_point_answer() == pytest.approx(1 / 8)
    wrong = check_raise_answer(1.0)
    assert not wrong.last.correct and "Hint 1" in wrong.output.value
    again = check_raise_answer(2.0)  # each new miss reveals one more hint
    assert "Hint 2" in again.output.value
    assert check_raise_answer(0.125).last.correct


def test_chapter_tables_carry_a_caption():
    for widget in (show_product_table(), show_stability(), show_methods()):
        assert 'class="ssl-table"' in widget.value and "<caption>" in widget.value
        caption = widget.value.split("<caption>")[1].split("</caption>")[0]
        assert "illustrative" in caption.lower() or "assumption" in caption
    flip = flip_top_two(scores_from_table(load_dataset("products")))
    assert CRITERION_LABELS[flip.criterion][0] in flip_sentence().value


def test_the_first_view_starts_from_the_full_figure(app):
    """A figure in a VBox must not depend on edit events sent before it is shown."""
    for fig in (app.fig_radar, app.fig_rank, app.fig_stability):
        assert len(fig._widget_data) == len(fig.data)
        assert fig._widget_layout.get("title", {}).get("text") == fig.layout.title.text
    assert [t["type"] for t in app.fig_radar._widget_data] == ["scatterpolar"] * 3


def test_every_control_is_on_screen(app):
    """Each control the docstring promises is a descendant of the app, not just an attribute."""
    def descendants(widget):
        for child in getattr(widget, "children", ()):
            yield child
            yield from descendants(child)
    shown = {id(w) for w in descendants(app)}
    controls = [app.product, app.compare, app.method, app.concentration, app.name,
                app.add_button, *app.score_sliders.values(), *app.weight_sliders.values()]
    assert all(id(control) in shown for control in controls)


def test_columns_the_student_added_survive_a_save(tmp_path):
    path = tmp_path / "my_products.csv"
    rows = [{"name": "Tea", **dict.fromkeys(CRITERIA, 3), "note": "from my aunt's farm"},
            {"name": "Soap", **dict.fromkeys(CRITERIA, 2), "note": "handmade"}]
    pd.DataFrame(rows).to_csv(path, index=False)
    app = build_product_scorer(path)
    assert sorted(app.own_ids) == ["Soap", "Tea"]
    app.score_sliders["persuasive"].value = 5.0
    app.add_my_product("Tea")
    app.add_my_product("Honey")
    saved = pd.read_csv(path).set_index("name")
    assert saved.loc["Tea", "note"] == "from my aunt's farm"
    assert saved.loc["Soap", "note"] == "handmade"
    assert saved.loc["Tea", "persuasive"] == 5.0
    assert list(saved.index) == ["Tea", "Soap", "Honey"]


def test_chapter_quizzes_load_and_mark_answers():
    from widgets.apps import build_quiz
    from widgets.apps.content import chapter_content

    elements = build_quiz("ch02", "mask_elements")
    right = [i for i, o in enumerate(elements.options) if o["correct"]]
    wrong = [i for i, o in enumerate(elements.options) if not o["correct"]]
    elements.select(wrong[0])
    assert not elements.check().correct
    elements.select(*right)
    assert elements.check().correct
    roles = build_quiz("ch02", "frequency_roles")
    items = chapter_content("ch02")["quizzes"]["frequency_roles"]["items"]
    roles.answer(*[roles.pickers[0].options[1]] * len(items))
    assert not roles.check().correct
    roles.answer(*[item["answer"] for item in items])
    assert roles.check().correct


# ------------------------------------------------------------------ faults and damaged files

@pytest.mark.parametrize("fault", [
    OSError(5, "Input/output error"), PermissionError(13, "Permission denied"),
    NotADirectoryError(20, "Not a directory"),
    UnicodeEncodeError("utf-8", "tea \ud83d", 4, 5, "surrogates not allowed")])
def test_file_system_errors_while_saving_show_a_short_message(tmp_path, monkeypatch, fault):
    import os

    path = tmp_path / "my_products.csv"
    app = build_product_scorer(path)
    app.add_my_product("Tea")
    before = path.read_bytes()

    def fail(*_args, **_kwargs):
        raise fault

    monkeypatch.setattr(os, "replace", fail)
    message = app.add_my_product("Soap")
    assert message.startswith(f"Could not save your product to {path}")
    assert "What to do" in message and "Traceback" not in message
    assert "Saved" not in message and path.read_bytes() == before
    assert html.escape(message) == app.save_status.value


def test_a_folder_that_is_a_file_gives_a_message_not_a_traceback(tmp_path):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("x", encoding="utf-8")
    app = build_product_scorer(blocker / "my_products.csv")
    message = app.add_my_product("Tea")
    assert message.startswith("Could not save your product to") and "What to do" in message
    assert "not a folder" in message


def test_an_excel_gbk_file_loads_and_names_its_encoding(tmp_path):
    path = tmp_path / "my_products.csv"
    row = ",".join(["绿茶", *["3"] * len(CRITERIA)])
    path.write_bytes((",".join(SAVE_COLUMNS) + "\r\n" + row + "\r\n").encode("gbk"))
    app = build_product_scorer(path)
    assert app.own_ids == ["绿茶"] and "GB18030/GBK" in app.save_status.value


def test_a_damaged_file_keeps_intact_rows_and_names_the_bad_lines(tmp_path):
    path = tmp_path / "my_products.csv"
    good = ",".join(["Tea", *["3"] * len(CRITERIA)])
    bad = ",".join(["Soap", *["9"] * len(CRITERIA)])
    cut = ",".join(["Honey", "3", "4"])
    path.write_text(",".join(SAVE_COLUMNS) + f"\n{good}\n{bad}\n{cut}", encoding="utf-8")
    app = build_product_scorer(path)
    assert app.own_ids == ["Tea"]
    status = app.save_status.value
    assert "line 3 (" in status and "line 4 (" in status and "cut off" in status
    kept = list(tmp_path.glob("my_products.csv.corrupt-*"))
    assert len(kept) == 1 and kept[0].name in status


def test_a_name_with_half_an_emoji_is_refused_with_a_message(tmp_path):
    path = tmp_path / "my_products.csv"
    app = build_product_scorer(path)
    app.add_my_product("Tea")
    before = path.read_bytes()
    message = app.add_my_product("Soap \ud83d")
    assert message.startswith("Could not save your product to") and "cannot be stored" in message
    assert path.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
def test_flip_kpi_names_no_criterion_when_the_top_two_are_already_tied() -> None:
    import pandas as pd

    from widgets.apps.product_scorer import CRITERION_LABELS, flip_kpi
    from widgets.models.product_scorer import CRITERIA, flip_top_two

    tied = pd.DataFrame([[3] * len(CRITERIA)] * 2, index=["a", "b"], columns=list(CRITERIA))
    flip = flip_top_two(tied)
    assert flip.change == 0 and flip.criterion is not None   # the model picks one anyway
    value, text = flip_kpi(flip, {"a": "Tea", "b": "Soap"})
    assert value == "already tied"
    shown = value + text
    assert not [en for en, _ in CRITERION_LABELS.values() if en in shown], shown
    apart = pd.DataFrame([[4] * len(CRITERIA), [3] * len(CRITERIA)], index=["a", "b"],
                         columns=list(CRITERIA))
    apart.iloc[1, 0] = 5
    value, _ = flip_kpi(flip_top_two(apart), {"a": "Tea", "b": "Soap"})
    assert value.startswith(("raise", "lower")) or value == "none"
