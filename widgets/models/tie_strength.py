"""Tie strength: how strong is a tie (强关系 or 弱关系), from Granovetter's four dimensions.

Granovetter ("The Strength of Weak Ties", AJS 78(6), 1973) defines the strength
of a tie as a "(probably linear) combination" of four things: the amount of
**time**, the **emotional intensity**, the **intimacy** (mutual confiding) and
the **reciprocal services** that characterise it. This module scores each
dimension on 0–1 and combines them linearly:

.. math::

    S = \\sum_{j=1}^{4} w_j\\, x_j, \\qquad \\sum_j w_j = 1, \\qquad x_j \\in [0, 1]

    x_{time} = \\min(h / H, 1), \\quad x_{emotion} = (e - 1)/4, \\quad
    x_{intimacy} = (c - 1)/4, \\quad x_{services} = \\min(v / V, 1)

- ``h`` hours spent together per month; ``H`` = 20 h is the cap that counts as
  "a lot of time" (*assumption*).
- ``e`` emotional intensity and ``c`` intimacy (how much you confide in each
  other), each rated 1–5 (*assumption*: the rating scales are the course's).
- ``v`` favours exchanged per year; ``V`` = 12 (about one a month) is the cap
  (*assumption*).
- ``w`` equal weights ¼ by default: Granovetter names the dimensions but gives
  no weights (*assumption*).
- A tie with S ≥ 0.5 is called strong (强关系), a "real friend" (真朋友) in the
  chapter; below it weak (弱关系) or "name-only" (名朋友) (*assumption*: the cut-off
  is the course's).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from widgets.models.validation import (
    ParameterError,
    check_array_range,
    check_frame,
    check_mapping,
    check_range,
    check_same_shape,
)

DIMENSIONS = ("time", "emotion", "intimacy", "services")
HOURS_CAP = 20.0  # hours per month that count as full "time" (assumption)
FAVOURS_CAP = 12.0  # favours per year that count as full "reciprocal services" (assumption)
STRONG_THRESHOLD = 0.5  # S at or above which a tie is strong (assumption)
EQUAL_WEIGHTS = (0.25, 0.25, 0.25, 0.25)  # Granovetter gives no weights (assumption)


def dimension_scores(hours_per_month: object, emotional_intensity: object, intimacy: object,
                     favours_per_year: object) -> dict[str, np.ndarray]:
    """The four dimensions (keys ``time``, ``emotion``, ``intimacy``, ``services``) on 0–1.

    Vectorised: each argument may be an array (they broadcast together).
    """
    hours = check_array_range("hours_per_month", hours_per_month, 0.0, 744.0)
    emotion = check_array_range("emotional_intensity", emotional_intensity, 1.0, 5.0)
    confiding = check_array_range("intimacy", intimacy, 1.0, 5.0)
    favours = check_array_range("favours_per_year", favours_per_year, 0.0, 10_000.0)
    shape = check_same_shape(("hours_per_month", "emotional_intensity", "intimacy",
                              "favours_per_year"), (hours, emotion, confiding, favours))
    hours, emotion, confiding, favours = (np.broadcast_to(a, shape)
                                          for a in (hours, emotion, confiding, favours))
    return {
        "time": np.minimum(hours / HOURS_CAP, 1.0),
        "emotion": (emotion - 1.0) / 4.0,
        "intimacy": (confiding - 1.0) / 4.0,
        "services": np.minimum(favours / FAVOURS_CAP, 1.0),
    }


def check_weights(weights: object = None) -> np.ndarray:
    """Four non-negative weights summing to 1 (default: equal weights)."""
    if weights is None:
        return np.asarray(EQUAL_WEIGHTS)
    array = check_array_range("weights", weights, 0.0, 1.0)
    if array.shape != (4,):
        raise ParameterError(f"weights must hold 4 numbers (one per dimension), got {array.shape}")
    if not np.isclose(array.sum(), 1.0, atol=1e-9):
        raise ParameterError(f"weights must sum to 1 (each in [0, 1]), got sum {array.sum():.4g}")
    return array


def combine(scores: dict[str, np.ndarray], weights: object = None) -> np.ndarray:
    """S = Σ w_j x_j over the four 0–1 dimension scores."""
    w = check_weights(weights)
    check_mapping("scores", scores)
    missing = [d for d in DIMENSIONS if d not in scores]
    if missing:
        raise ParameterError(f"scores lack the dimension(s) {missing}")
    arrays = [check_array_range(f"scores[{d!r}]", scores[d], 0.0, 1.0) for d in DIMENSIONS]
    shape = check_same_shape([f"scores[{d!r}]" for d in DIMENSIONS], arrays)
    stacked = np.stack([np.broadcast_to(a, shape) for a in arrays])
    return np.tensordot(w, stacked, axes=1)


def tie_strength(hours_per_month: object, emotional_intensity: object, intimacy: object,
                 favours_per_year: object, weights: object = None) -> np.ndarray:
    """Tie strength S in [0, 1] from raw measures (see the module docstring)."""
    scores = dimension_scores(hours_per_month, emotional_intensity, intimacy, favours_per_year)
    return combine(scores, weights)


def is_strong(strength: object, threshold: float = STRONG_THRESHOLD) -> np.ndarray:
    """True where S ≥ threshold (a strong tie, 强关系)."""
    cut = check_range("threshold", threshold, 0.0, 1.0)
    return check_array_range("strength", strength, 0.0, 1.0) >= cut


CONTACT_COLUMNS = ("hours_per_month", "emotional_intensity", "intimacy", "favours_per_year")


def score_contacts(contacts: pd.DataFrame, weights: object = None,
                   threshold: float = STRONG_THRESHOLD) -> pd.DataFrame:
    """The contacts plus ``time_score`` … ``services_score`` (0–1), ``strength``, ``strong``."""
    check_frame("contacts", contacts, CONTACT_COLUMNS)
    try:
        scores = dimension_scores(*(contacts[c].to_numpy() for c in CONTACT_COLUMNS))
    except ParameterError as exc:
        raise ParameterError(f"contacts: {exc}") from exc
    scored = contacts.copy()
    for name in DIMENSIONS:
        scored[f"{name}_score"] = scores[name]
    scored["strength"] = combine(scores, weights)
    scored["strong"] = is_strong(scored["strength"].to_numpy(), threshold)
    return scored
