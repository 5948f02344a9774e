"""Input checks shared by every model: each error names the parameter and its allowed range.

One validation path for every public entry point of :mod:`widgets.models`: numbers arrive
as real numbers (``int``, ``float`` or numpy numbers — never text, ``bool``, ``None``, NaN
or infinity unless a range says so), arrays as real arrays of the expected shape, and
anything else is rejected with a :class:`ParameterError` naming the parameter.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd


class ParameterError(ValueError):
    """A model parameter is outside its allowed range (or of the wrong kind).

    In Jupyter it shows as a short message (the parameter, its range, what to do), not a
    traceback: IPython prints ``_render_traceback_()`` instead of the stack. The error is
    still an error (``ename``/``evalue`` reach nbval and the notebook unchanged).
    """

    def _render_traceback_(self) -> list[str]:
        """The lines Jupyter shows for this error: a short, friendly box."""
        return [f"\x1b[1m⚠ Not allowed · 参数超出范围:\x1b[0m {self}",
                "Change that value to one inside its range and run the cell again. "
                "请把它改到允许的范围内，再运行一次。"]


def _describe(value: Any) -> str:
    """``'3' (text)`` — the value as given, with its kind when that is the problem."""
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    if isinstance(value, str):
        return f"{text} (text)"
    if isinstance(value, bool | np.bool_):
        return f"{text} (a yes/no value)"
    if value is None or isinstance(value, numbers.Real):
        return text
    return f"{text} (a {type(value).__name__})"


def _real(value: Any) -> float | None:
    """``float(value)`` for a real number (not bool, not text), else ``None``."""
    if isinstance(value, bool | np.bool_ | str | bytes):
        return None
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        value = value.item()
    if not isinstance(value, numbers.Real):
        return None
    try:
        return float(value)
    except (OverflowError, TypeError, ValueError):  # a huge int
        return math.copysign(math.inf, value) if isinstance(value, numbers.Integral) else None


def _interval(low: float, high: float, low_open: bool = False, high_open: bool = False) -> str:
    return f"{'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"


def check_range(name: str, value: Any, low: float, high: float, *,
                low_open: bool = False, high_open: bool = False) -> float:
    """Return ``float(value)`` if it is a real number in the range, else raise naming ``name``.

    NaN is never allowed; ±infinity only when the range itself is unbounded on that side.
    """
    allowed = _interval(low, high, low_open, high_open)
    number = _real(value)
    if number is None:
        raise ParameterError(f"{name} must be a number in {allowed}, got {_describe(value)}")
    bad = (math.isnan(number) or number < low or number > high
           or (low_open and number == low) or (high_open and number == high))
    if bad:
        raise ParameterError(f"{name} must be in {allowed}, got {_describe(value)}")
    return number


def check_int(name: str, value: Any, low: int, high: int) -> int:
    """Return ``int(value)`` if it is a whole number (``3`` or ``3.0``) in [low, high]."""
    number = _real(value)
    if number is None or not math.isfinite(number) or not number.is_integer():
        raise ParameterError(f"{name} must be a whole number in [{low}, {high}], "
                             f"got {_describe(value)}")
    whole = int(value) if isinstance(value, numbers.Integral) else int(number)
    if not low <= whole <= high:
        raise ParameterError(f"{name} must be a whole number in [{low}, {high}], "
                             f"got {_describe(value)}")
    return whole


def check_probability(name: str, value: Any) -> float:
    """A probability or share in [0, 1]."""
    return check_range(name, value, 0.0, 1.0)


def check_seed(name: str, value: Any) -> int:
    """A random seed: a whole number in [0, 2⁶³ − 1] (not a list, not NaN)."""
    return check_int(name, value, 0, 2**63 - 1)


def check_bool(name: str, value: Any) -> bool:
    """A yes/no flag: ``True`` or ``False`` (not 0/1, not text)."""
    if not isinstance(value, bool | np.bool_):
        raise ParameterError(f"{name} must be True or False, got {_describe(value)}")
    return bool(value)


def check_text(name: str, value: Any, *, allow_none: bool = False) -> str | None:
    """A piece of text (``str``)."""
    if value is None and allow_none:
        return None
    if not isinstance(value, str):
        raise ParameterError(f"{name} must be text, got {_describe(value)}")
    return value


def check_choice(name: str, value: Any, options: Sequence[Any]) -> Any:
    """One of ``options``."""
    try:
        known = any(type(value) is type(o) and value == o for o in options)
    except (TypeError, ValueError):
        known = False
    if not known:
        raise ParameterError(f"{name} must be one of {tuple(options)}, got {_describe(value)}")
    return value


def check_instance(name: str, value: Any, kind: type | tuple[type, ...], what: str) -> Any:
    """``value`` if it is a ``kind`` (``what`` says it in words), else raise."""
    if not isinstance(value, kind):
        raise ParameterError(f"{name} must be {what}, got {_describe(value)}")
    return value


def check_frame(name: str, value: Any, columns: Iterable[str] = ()) -> pd.DataFrame:
    """A pandas DataFrame holding ``columns``."""
    check_instance(name, value, pd.DataFrame, "a pandas DataFrame")
    missing = [c for c in columns if c not in value.columns]
    if missing:
        raise ParameterError(f"{name} lacks the column(s) {missing}")
    return value


def check_mapping(name: str, value: Any) -> Mapping:
    """A mapping (``dict``-like)."""
    return check_instance(name, value, Mapping, "a mapping such as a dict")


def check_array_range(name: str, values: Any, low: float, high: float, *,
                      ndim: int | None = None, size: int | None = None) -> np.ndarray:
    """A float array of real numbers, each in [low, high] (NaN never; ±inf only if unbounded).

    ``ndim``/``size`` pin the shape (e.g. ``ndim=1, size=4`` for four weights).
    """
    allowed = _interval(low, high)
    if values is None or isinstance(values, str | bytes | bool | np.bool_ | Mapping):
        raise ParameterError(f"{name} must be a number or a list of numbers in {allowed}, "
                             f"got {_describe(values)}")
    try:
        raw = np.asarray(values)
    except (ValueError, TypeError) as exc:  # ragged nested lists
        raise ParameterError(f"{name} must be a number or an evenly shaped list of numbers, "
                             f"got {_describe(values)}") from exc
    numeric = raw.dtype.kind in "iuf" or raw.size == 0 or (
        raw.dtype.kind == "O" and all(_real(v) is not None for v in raw.ravel()))
    if not numeric:
        raise ParameterError(f"{name} entries must be numbers in {allowed}, "
                             f"got {_describe(values)}")
    try:
        array = raw.astype(float)
    except (ValueError, TypeError, OverflowError) as exc:
        raise ParameterError(f"{name} entries must be numbers in {allowed}, "
                             f"got {_describe(values)}") from exc
    if ndim is not None and array.ndim != ndim:
        raise ParameterError(f"{name} must be {'a single number' if ndim == 0 else 'a list'} "
                             f"with {ndim} dimension(s), got shape {array.shape}")
    if size is not None and array.size != size:
        raise ParameterError(f"{name} needs {size} numbers, got {array.size}")
    bad = np.isnan(array) | (array < low) | (array > high)
    if array.size and bad.any():
        raise ParameterError(f"{name} entries must be in {allowed}, found "
                             f"{array[bad].ravel()[0]!r}")
    return array


def check_same_shape(names: Sequence[str], arrays: Sequence[np.ndarray]) -> tuple[int, ...]:
    """The common (broadcast) shape of ``arrays``, or an error naming the parameters."""
    try:
        return np.broadcast_shapes(*(a.shape for a in arrays))
    except ValueError as exc:
        shapes = ", ".join(f"{n} {a.shape}" for n, a in zip(names, arrays, strict=True))
        raise ParameterError(f"{', '.join(names)} must have matching lengths (or be single "
                             f"numbers), got {shapes}") from exc


def unknown_names(name: str, given: Iterable[str], known: Iterable[str]) -> None:
    """Raise naming ``name`` if ``given`` holds keys that are not in ``known``."""
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise ParameterError(f"{name} has unknown field(s) {unknown}; known: {sorted(known)}")


def check_names(name: str, value: Any, known: Iterable[str] | None = None, *,
                min_count: int = 0, max_count: int, what: str = "names") -> tuple[str, ...]:
    """``value`` (a list, tuple or set of text) as a tuple of ``min_count`` to ``max_count``
    distinct names, each in ``known`` when given; ``what`` says what they name."""
    check_instance(name, value, (list, tuple, set, frozenset), f"a list of {what} (text)")
    names = tuple(value)
    for i, item in enumerate(names):
        check_text(f"{name}[{i}] (one of the {what})", item)
    if not min_count <= len(names) <= max_count:
        raise ParameterError(f"{name} must list {min_count} to {max_count} {what}, "
                             f"got {len(names)}")
    if len(set(names)) != len(names):
        raise ParameterError(f"{name} must list distinct {what}, got {list(names)!r}")
    if known is not None:
        known = tuple(known)
        unknown = sorted(set(names) - set(known))
        if unknown:
            raise ParameterError(f"{name} must list {what} among {known}, got unknown {unknown}")
    return names
