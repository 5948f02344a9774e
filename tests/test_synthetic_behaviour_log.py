"""The synthetic behaviour log: reproducible, valid, and the portrait exercise marks fairly."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from widgets import dataset_info, load_dataset
from widgets.chapters.ch06 import portrait_feedback, reference_portraits, segment_feedback
from widgets.models.user_portraits import (
    cocreation_segment,
    segment_summary,
    user_features,
    user_tags,
)

ROOT = Path(__file__).resolve().parents[1]


def _generator():
    spec = importlib.util.spec_from_file_location(
        "make_synthetic_behaviour_log", ROOT / "datasets" / "make_synthetic_behaviour_log.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_csv_equals_a_fresh_run(tmp_path):
    path = _generator().write(tmp_path)
    assert path.read_bytes() == (ROOT / "datasets" / path.name).read_bytes()


def test_log_is_labelled_synthetic_and_validates():
    log = load_dataset("synthetic_behaviour_log")
    assert dataset_info("synthetic_behaviour_log")["provenance"] == "synthetic"
    assert log["user_id"].nunique() == 200
    assert (log.loc[log["event"] != "purchase", "amount_yuan"] == 0).all()
    assert (log.loc[log["event"] == "purchase", "amount_yuan"] > 0).all()


def test_features_count_the_events_of_one_user():
    log = pd.DataFrame({
        "user_id": ["a", "a", "a", "a", "b"],
        "event": ["view", "purchase", "review", "purchase", "suggestion"],
        "category": ["tea", "tea", "home", "tea", "home"],
        "amount_yuan": [0.0, 10.0, 0.0, 5.5, 0.0],
    })
    features = user_tags(user_features(log))
    assert features.loc["a", "n_purchases"] == 2
    assert features.loc["a", "spend_yuan"] == pytest.approx(15.5)
    assert features.loc["a", "n_feedback"] == 1
    assert features.loc["a", "main_interest"] == "tea"
    assert features.loc["b", "spend_yuan"] == 0
    assert bool(features.loc["a", "repeat_buyer"]) and bool(features.loc["b", "lurker"])


def test_the_biggest_segment_is_not_the_cocreation_segment():
    portraits = reference_portraits()
    summary = segment_summary(portraits)
    best = cocreation_segment(portraits)
    assert summary.loc[best, "feedback_per_member"] == summary["feedback_per_member"].max()
    assert summary["members"].idxmax() != best


def test_checker_accepts_the_reference_and_rejects_a_wrong_column():
    good = reference_portraits().reset_index()
    assert portrait_feedback(good).correct
    bad = good.copy()
    bad.loc[0, "n_feedback"] += 1
    feedback = portrait_feedback(bad)
    assert not feedback.correct and "n_feedback" in feedback.message
    assert not portrait_feedback(None).correct
    assert not portrait_feedback(good.drop(columns="main_interest")).correct


def test_segment_checker():
    best = cocreation_segment(reference_portraits())
    assert segment_feedback(best).correct
    others = set(segment_summary(reference_portraits()).index) - {best}
    assert not any(segment_feedback(s).correct for s in others)
    assert not segment_feedback(None).correct


def test_preview_says_the_log_is_synthetic():
    from widgets.chapters.ch06 import load_behaviour_log, preview_log

    preview = preview_log(load_behaviour_log(), rows=3)
    assert "synthetic" in preview.caption and len(preview.data) == 3


def test_check_shows_one_more_hint_per_miss_and_resets_when_right():
    from widgets.chapters.ch06 import check_portraits

    assert check_portraits(reference_portraits()).last.correct  # resets the attempt count
    first = check_portraits(None)
    second = check_portraits(None)
    assert (first.attempts, second.attempts) == (1, 2)
    assert second.output.value.count("Hint") > first.output.value.count("Hint")
    assert check_portraits(reference_portraits()).last.correct
    assert check_portraits(None).attempts == 1
