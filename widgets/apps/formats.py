"""How the course writes a share, a ratio and their KPI tone: one formatter for every app
and the capstone report, so the same number reads the same everywhere."""

from __future__ import annotations

import math

__all__ = ["MISSING", "percent", "ratio", "ratio_tone"]

MISSING = "—"   # a value that cannot be computed (e.g. 0 ÷ 0), never "nan"


def percent(value: float) -> str:
    """A share as a percentage that never rounds a few cases away (99.7 % is not "100%",
    0.2 % is not "0%"); ``—`` when it cannot be computed."""
    if value is None or math.isnan(value):
        return MISSING
    text = f"{value:.0%}"
    if (text == "100%" and value < 1) or (text == "0%" and value > 0):
        text = f"{value:.1%}"
    return text


def ratio(value: float) -> str:
    """A ratio such as shipped ÷ bought: ``2.3×``, ``∞`` when the divisor is 0, ``—`` for 0 ÷ 0."""
    if value is None or math.isnan(value):
        return MISSING
    return "∞" if math.isinf(value) else f"{value:,.1f}×"


def ratio_tone(value: float, bad_above: float) -> str:
    """KPI tone of a ratio where more is worse: ``bad`` above ``bad_above``, ``good`` at or
    below it, ``neutral`` when it cannot be computed (no colour claims a missing number)."""
    if value is None or math.isnan(value):
        return "neutral"
    return "bad" if value > bad_above else "good"
