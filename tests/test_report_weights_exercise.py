"""Chapter 0's model-changing exercise: a student's provenance weights run over the reports."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pandas as pd
import pytest

from tests.exercise_code import exercise_function
from widgets.apps.exercise import ExerciseCheck
from widgets.chapters.ch00 import (
    check_report_rule,
    market_reports,
    report_rule_checker,
    weighed_reports_table,
)
from widgets.models.market_reports import PROVENANCE_FIELDS, report_weights, weigh_reports
from widgets.models.validation import ParameterError

CHAPTER = Path(__file__).resolve().parents[1] / "chapters" / "00_start_here.ipynb"
KIND = {"actual": 1.0, "estimate": 0.5, "forecast": 0.25}


def by_kind(report: dict) -> float:
    return KIND[report["kind"]] * (0.5 if report["approx"] else 1.0)


def test_the_estimate_is_the_weighted_mean_of_the_years_reports() -> None:
    reports = market_reports()
    table = weigh_reports(reports, by_kind)
    for year, rows in reports.groupby("year"):
        weights = [KIND[k] * (0.5 if a else 1.0) for k, a in zip(rows["kind"], rows["approx"],
                                                                 strict=True)]
        expected = sum(w * v for w, v in zip(weights, rows["value"], strict=True)) / sum(weights)
        assert table.loc[year, "estimate"] == pytest.approx(expected)
        assert table.loc[year, "naive"] == pytest.approx(rows["value"].mean())
        assert table.loc[year, "reports"] == len(rows)
    years = list(table.index)
    for before, after in itertools.pairwise(years):
        assert table.loc[after, "growth"] == pytest.approx(
            table.loc[after, "estimate"] / table.loc[before, "estimate"] - 1)


def test_equal_weights_give_the_naive_mean_and_scale_does_not_matter() -> None:
    reports = market_reports()
    table = weigh_reports(reports, lambda r: 3.0)
    assert (table["estimate"] - table["naive"]).abs().max() < 1e-9
    scaled = weigh_reports(reports, lambda r: 7.0 * by_kind(r))
    assert (scaled["estimate"] - weigh_reports(reports, by_kind)["estimate"]).abs().max() < 1e-9


def test_the_rule_sees_the_provenance_and_never_the_value() -> None:
    seen: list[dict] = []
    report_weights(market_reports(), lambda r: seen.append(r) or 1.0)
    assert seen and all(set(r) == set(PROVENANCE_FIELDS) for r in seen)
    assert any(r["publication_year"] is None for r in seen)  # an undated report


@pytest.mark.parametrize("rule", [lambda r: -1.0, lambda r: math.nan, lambda r: True,
                                  lambda r: "1", lambda r: None, lambda r: 1e9, "weights"])
def test_bad_weights_are_refused_naming_the_rule(rule) -> None:
    with pytest.raises(ParameterError, match="rule"):
        weigh_reports(market_reports(), rule)


def test_a_year_with_no_trusted_report_has_no_estimate() -> None:
    with pytest.raises(ParameterError, match="rule gives every report for 2017 weight 0"):
        weigh_reports(market_reports(), lambda r: 0.0 if r["year"] == 2017 else 1.0)


def test_the_chapters_starter_fails_and_its_solution_passes() -> None:
    starter = report_rule_checker(exercise_function(CHAPTER, "my_weight", solution=False))
    assert not starter.correct and "forecast" in starter.message
    solution = exercise_function(CHAPTER, "my_weight", solution=True)
    passed = report_rule_checker(solution)
    assert passed.correct
    table = weigh_reports(market_reports(), solution)
    last = int(table.index[-1])
    for year in table.index:  # the message quotes the model's numbers
        assert f"{year}: {table.loc[year, 'estimate']:,.0f} 亿元" in passed.message
    assert f"{table.loc[last, 'growth']:+.0%}" in passed.message


def test_each_part_of_the_check_can_fail() -> None:
    forecast_as_actual = report_rule_checker(lambda r: 0.5 if r["approx"] else 1.0)
    assert not forecast_as_actual.correct and "forecast" in forecast_as_actual.message
    approx_as_actual = report_rule_checker(
        lambda r: 0.2 if r["kind"] == "forecast" else 1.0)
    assert not approx_as_actual.correct and "approximate" in approx_as_actual.message
    no_2017 = report_rule_checker(lambda r: 0.0 if r["kind"] == "forecast" else 1.0)
    assert not no_2017.correct and "weight 0" in no_2017.message
    assert "ZeroDivisionError" in report_rule_checker(lambda r: 1 / 0).message
    assert not report_rule_checker("my_weight").correct
    assert "weight from 0" in report_rule_checker(lambda r: -1).message


def test_any_rule_that_respects_provenance_passes() -> None:
    """Not only the solution: a rule keyed on other fields passes when it keeps the order."""
    def by_year(report: dict) -> float:
        base = 2.0 if report["kind"] == "actual" and not report["approx"] else 1.0
        return base / (1 + (report["publication_year"] is None))
    assert report_rule_checker(by_year).correct


def test_check_cell_and_table() -> None:
    assert isinstance(check_report_rule(by_kind), ExerciseCheck)
    table = weighed_reports_table(by_kind).data
    assert isinstance(table, pd.DataFrame) and len(table) == len(market_reports())
    assert list(table["weight"]) == [by_kind({"kind": k, "approx": a})
                                     for k, a in zip(table["kind"], table["approx"], strict=True)]


def test_feedback_and_table_are_chinese_in_zh_mode() -> None:
    from tools.zh_scan import english_prose
    from widgets.apps import labels

    rules = [None, lambda r: 1.0, lambda r: 0.5 if r["approx"] else 1.0,
             lambda r: 0.2 if r["kind"] == "forecast" else 1.0, by_kind]
    before = labels.get_language()
    labels.set_language("zh", remember=False)
    try:
        messages = [report_rule_checker(rule).message for rule in rules]
        caption = weighed_reports_table(by_kind).caption or ""
    finally:
        labels.set_language(before, remember=False)
    assert not {m: english_prose(m) for m in messages if english_prose(m)}
    assert not english_prose(caption), english_prose(caption)
