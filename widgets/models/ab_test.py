"""Direct response (直复营销) is measurable: compare two posts' response rates with a CI.

Post A reaches ``n_A`` friends and ``x_A`` respond; post B reaches ``n_B`` and
``x_B`` respond. The difference in response rates and its confidence interval:

.. math::

    \\hat p_i = \\frac{x_i}{n_i}, \\qquad \\Delta = \\hat p_B - \\hat p_A

    \\Delta \\pm z_{1-\\alpha/2}\\,
      \\sqrt{\\frac{\\tilde p_A(1-\\tilde p_A)}{n_A + 2}
             + \\frac{\\tilde p_B(1-\\tilde p_B)}{n_B + 2}},
    \\qquad \\tilde p_i = \\frac{x_i + 1}{n_i + 2}

This is the Agresti–Caffo interval (Agresti & Caffo, "Simple and effective
confidence intervals for proportions and differences of proportions result
from adding two successes and two failures", The American Statistician 54(4),
2000): add one success and one failure to each post, then use the normal
approximation; it is centred on p̃_B − p̃_A. ``method="wald"`` gives the plain
textbook interval without the added counts (less reliable for small counts).

- ``confidence`` 1 − α, e.g. 0.95 (a convention, not a law: *assumption*).
- If the interval excludes 0, the difference is unlikely to be chance alone at
  that confidence; if it includes 0, the data cannot tell the posts apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd

from widgets.models.validation import (
    ParameterError,
    check_choice,
    check_frame,
    check_int,
    check_range,
    check_seed,
    check_text,
)

METHODS = ("agresti-caffo", "wald")


@dataclass(frozen=True)
class DiffResult:
    """Rates of A and B, their difference B − A, and its confidence interval."""

    rate_a: float
    rate_b: float
    diff: float  # observed p̂_B − p̂_A
    low: float
    high: float
    confidence: float
    method: str

    @property
    def excludes_zero(self) -> bool:
        return self.low > 0.0 or self.high < 0.0

    @property
    def verdict(self) -> str:
        """``"real"`` if the CI excludes 0, else ``"could be chance"``."""
        return "real" if self.excludes_zero else "could be chance"


def diff_ci(successes_a: int, n_a: int, successes_b: int, n_b: int, *,
            confidence: float = 0.95, method: str = "agresti-caffo") -> DiffResult:
    """Difference in response rates B − A with a confidence interval (see module docstring)."""
    n_a = check_int("n_a", n_a, 1, 10**9)
    n_b = check_int("n_b", n_b, 1, 10**9)
    x_a = check_int("successes_a", successes_a, 0, n_a)
    x_b = check_int("successes_b", successes_b, 0, n_b)
    level = check_range("confidence", confidence, 0.5, 0.999)
    check_choice("method", method, METHODS)
    z = NormalDist().inv_cdf(0.5 + level / 2.0)
    rate_a, rate_b = x_a / n_a, x_b / n_b
    if method == "wald":
        centre = rate_b - rate_a
        se = np.sqrt(rate_a * (1 - rate_a) / n_a + rate_b * (1 - rate_b) / n_b)
    else:
        pa, pb = (x_a + 1) / (n_a + 2), (x_b + 1) / (n_b + 2)
        centre = pb - pa
        se = np.sqrt(pa * (1 - pa) / (n_a + 2) + pb * (1 - pb) / (n_b + 2))
    low, high = max(centre - z * se, -1.0), min(centre + z * se, 1.0)
    return DiffResult(rate_a, rate_b, rate_b - rate_a, float(low), float(high), level, method)


def simulate_posts(rate_a: float, rate_b: float, n_per_post: int, *, seed: int) -> pd.DataFrame:
    """One row per recipient: ``post`` (A/B) and ``responded`` drawn with the given true rates."""
    pa = check_range("rate_a", rate_a, 0.0, 1.0)
    pb = check_range("rate_b", rate_b, 0.0, 1.0)
    n = check_int("n_per_post", n_per_post, 1, 10**7)
    rng = np.random.default_rng(check_seed("seed", seed))
    responded = np.concatenate([rng.random(n) < pa, rng.random(n) < pb])
    return pd.DataFrame({"post": np.repeat(["A", "B"], n), "responded": responded})


def compare_posts(frame: pd.DataFrame, outcome: str, *, post_column: str = "post",
                  confidence: float = 0.95, method: str = "agresti-caffo") -> DiffResult:
    """:func:`diff_ci` from a per-recipient table with a 0/1 (or bool) ``outcome`` column."""
    check_text("outcome", outcome)
    check_text("post_column", post_column)
    check_frame("frame", frame, (post_column, outcome))
    posts = sorted(map(str, frame[post_column].unique()))
    if posts != ["A", "B"]:
        raise ParameterError(f"frame[{post_column!r}] must hold exactly the posts 'A' and 'B', "
                             f"got {posts}")
    values = frame[outcome]
    if not (pd.api.types.is_bool_dtype(values) or values.isin([0, 1]).all()):
        raise ParameterError(f"frame[{outcome!r}] (the outcome) must be 0/1 or True/False")
    counts = frame.groupby(post_column)[outcome].agg(["sum", "count"])
    return diff_ci(int(counts.loc["A", "sum"]), int(counts.loc["A", "count"]),
                   int(counts.loc["B", "sum"]), int(counts.loc["B", "count"]),
                   confidence=confidence, method=method)
