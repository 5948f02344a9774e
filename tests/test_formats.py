"""One formatter for shares and ratios (widgets.apps.formats), used by every app and the report."""

from __future__ import annotations

import math
import re

import pytest

from widgets.apps.formats import MISSING, percent, ratio, ratio_tone


@pytest.mark.parametrize(("value", "text"), [(0.5, "50%"), (0.997, "99.7%"), (0.002, "0.2%"),
                                             (1.0, "100%"), (0.0, "0%"), (math.nan, MISSING)])
def test_percent_never_rounds_a_few_cases_away(value: float, text: str) -> None:
    assert percent(value) == text


@pytest.mark.parametrize(("value", "text", "tone"), [
    (1.0, "1.0×", "good"), (3360.31, "3,360.3×", "bad"), (math.inf, "∞", "bad"),
    (math.nan, MISSING, "neutral")])
def test_ratio_and_its_tone(value: float, text: str, tone: str) -> None:
    assert ratio(value) == text
    assert ratio_tone(value, 1.5) == tone


def _fake_card(html: str) -> str:
    cards = re.findall(r'<div class="ssl-kpi".*?</div></div>', html, flags=re.DOTALL)
    (card,) = [c for c in cards if "Fake performance" in c]
    return card


def test_capstone_kpi_shows_no_nan_in_green_when_every_score_is_zero() -> None:
    from widgets.apps.capstone import build_capstone

    app = build_capstone()
    for slider in app.scores.values():
        slider.value = 0
    result = app.recompute()
    assert math.isnan(result.outcomes["fake_performance_ratio"]), "0 ÷ 0: nothing sold at all"
    card = _fake_card(app.kpis.value)
    assert "nan" not in card.lower() and MISSING in card
    assert "#009E73" not in card, "a missing ratio is not shown as good (green)"


def test_the_same_ratio_reads_the_same_in_app_and_report() -> None:
    from widgets.apps.capstone import build_capstone
    from widgets.report import outcome_rows

    app = build_capstone()
    result = app.recompute()
    fake = ratio(result.outcomes["fake_performance_ratio"])
    assert fake in _fake_card(app.kpis.value)
    assert any(value == fake for _, value, _ in outcome_rows(result))
