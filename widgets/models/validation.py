"""Input checks shared by every model: each error names the parameter and its allowed range."""

from __future__ import annotations

import math
from typing import Any

import numpy as np


class ParameterError(ValueError):
    """A model parameter is outside its allowed range.

    In Jupyter it shows as a short message (the parameter, its range, what to do), not a
    traceback: IPython prints ``_render_traceback_()`` instead of the stack. The error is
    still an error (``ename``/``evalue`` reach nbval and the notebook unchanged).
    """

    def _render_traceback_(self) -> list[str]:
        """The lines Jupyter shows for this error: a short, friendly box."""
        return [f"\x1b[1m⚠ Not allowed · 参数超出范围:\x1b[0m {self}",
                "Change that value to one inside its range and run the cell again. "
                "请把它改到允许的范围内，再运行一次。"]


def check_range(name: str, value: Any, low: float, high: float, *,
                low_open: bool = False, high_open: bool = False) -> float:
    """Return ``float(value)`` if it lies in the range, else raise naming ``name`` and the range."""
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise ParameterError(f"{name} must be a number, got {value!r}") from exc
    left, right = ("(" if low_open else "["), (")" if high_open else "]")
    allowed = f"{left}{low:g}, {high:g}{right}"
    bad = (math.isnan(number) or number < low or number > high
           or (low_open and number == low) or (high_open and number == high))
    if bad:
        raise ParameterError(f"{name} must be in {allowed}, got {value!r}")
    return number


def check_int(name: str, value: Any, low: int, high: int) -> int:
    """Return ``int(value)`` if it is a whole number in [low, high], else raise."""
    if isinstance(value, bool) or not float(value if _is_number(value) else "nan").is_integer():
        raise ParameterError(f"{name} must be a whole number in [{low}, {high}], got {value!r}")
    number = int(value)
    if not low <= number <= high:
        raise ParameterError(f"{name} must be a whole number in [{low}, {high}], got {value!r}")
    return number


def check_probability(name: str, value: Any) -> float:
    """A probability or share in [0, 1]."""
    return check_range(name, value, 0.0, 1.0)


def check_array_range(name: str, values: Any, low: float, high: float) -> np.ndarray:
    """A float array with every entry finite and in [low, high]."""
    array = np.asarray(values, dtype=float)
    if array.size and (np.isnan(array).any() or (array < low).any() or (array > high).any()):
        bad = array[np.isnan(array) | (array < low) | (array > high)][0]
        raise ParameterError(f"{name} entries must be in [{low:g}, {high:g}], found {bad!r}")
    return array


def _is_number(value: Any) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True
