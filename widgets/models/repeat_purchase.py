"""Repeat purchase (复购): what a customer is worth under a retention rate, and deep vs new.

Customer lifetime value with a constant margin and retention (Gupta & Lehmann,
"Customers as Assets", Journal of Interactive Marketing 17(1), 2003; Gupta et
al., "Modeling Customer Lifetime Value", Journal of Service Research 8(2),
2006). A customer buys this period, and each later period is still buying with
probability r^t; money t periods away is discounted by (1 + d)^t:

.. math::

    CLV_T = m \\sum_{t=0}^{T-1} \\left(\\frac{r}{1+d}\\right)^t
          = m\\,\\frac{1 - x^T}{1 - x},\\quad x = \\frac{r}{1+d}
    \\qquad CLV_\\infty = m\\,\\frac{1+d}{1+d-r}

- ``m`` margin per active customer per period, in 元 (*assumption*).
- ``r`` retention: the share of this period's buyers who buy again next period
  (复购率); the lever of deep marketing (深度营销) (*assumption*, no sourced
  微商 figure).
- ``d`` discount rate per period (*assumption*, e.g. 1 % a month).
- ``T`` horizon in periods (``None`` = no end). The first period's purchase is
  counted, so this is Gupta & Lehmann's m·r/(1+d−r) plus one margin m.

A shop that wins ``n`` new customers every period for ``T`` periods is worth
the sum over cohorts, cohort ``s`` counted for the ``T − s`` periods left:

.. math::

    V = n\\,m \\sum_{s=0}^{T-1} (1+d)^{-s}\\,\\frac{1 - x^{T-s}}{1 - x}

Only this simple "retention" model is implemented. The BG/NBD model (Fader,
Hardie & Lee, Marketing Science 24(2), 2005) instead lets each customer buy at
their own Poisson rate and drop out after any purchase; the chapter explains it
in words only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from widgets.models.validation import (
    check_array_range,
    check_int,
    check_range,
)

RETENTION_MAX = 0.99  # below 1 so an endless horizon stays finite


def _check_common(margin: float, discount: float) -> tuple[float, float]:
    m = check_range("margin", margin, 0.0, 1_000_000.0)
    d = check_range("discount", discount, 0.0, 1.0)
    return m, d


def clv(retention: object, *, margin: float, discount: float = 0.01,
        horizon: int | None = None) -> np.ndarray:
    """Lifetime value per customer, in 元 (vectorised over ``retention``)."""
    m, d = _check_common(margin, discount)
    r = check_array_range("retention", retention, 0.0, RETENTION_MAX)
    x = r / (1.0 + d)
    if horizon is None:
        return m / (1.0 - x)
    periods = check_int("horizon", horizon, 1, 10_000)
    return m * (1.0 - x ** periods) / (1.0 - x)


def active_customers(new_per_period: float, retention: float, horizon: int) -> np.ndarray:
    """Customers buying in each period 0 … T−1 when ``n`` join every period.

    A_t = n (1 − r^{t+1}) / (1 − r): this period's joiners plus the survivors.
    """
    n = check_range("new_per_period", new_per_period, 0.0, 1e9)
    r = check_range("retention", retention, 0.0, RETENTION_MAX)
    periods = check_int("horizon", horizon, 1, 10_000)
    t = np.arange(periods)
    return n * (1.0 - r ** (t + 1)) / (1.0 - r)


def base_value(new_per_period: object, retention: object, *, margin: float,
               discount: float = 0.01, horizon: int = 24) -> np.ndarray:
    """V: discounted profit (元) from ``n`` new customers every period over ``T`` periods.

    Vectorised: ``new_per_period`` and ``retention`` broadcast together.
    """
    m, d = _check_common(margin, discount)
    n = check_array_range("new_per_period", new_per_period, 0.0, 1e9)
    r = check_array_range("retention", retention, 0.0, RETENTION_MAX)
    periods = check_int("horizon", horizon, 1, 10_000)
    x = (r / (1.0 + d))[..., np.newaxis]
    s = np.arange(periods)
    remaining = periods - s
    cohort = (1.0 - x ** remaining) / (1.0 - x) / (1.0 + d) ** s
    return n * m * cohort.sum(axis=-1)


def acquisition_cost(extra_new_per_period: float, cost_per_new: float, *,
                     discount: float = 0.01, horizon: int = 24) -> float:
    """Discounted cost (元) of winning ``extra`` more customers every period for ``T`` periods.

    C = extra · CAC · Σ_{s=0}^{T−1} (1 + d)^{−s}; CAC, the cost per new customer, is an
    *assumption* (no sourced 微商 figure).
    """
    extra = check_range("extra_new_per_period", extra_new_per_period, 0.0, 1e9)
    cac = check_range("cost_per_new", cost_per_new, 0.0, 1e6)
    d = check_range("discount", discount, 0.0, 1.0)
    periods = check_int("horizon", horizon, 1, 10_000)
    return float(extra * cac * np.sum((1.0 + d) ** -np.arange(periods)))


@dataclass(frozen=True)
class LeverComparison:
    """Deep vs new: the value of the base, and of each lever, over the horizon (元)."""

    baseline: float
    more_retention: float  # value with retention + retention_gain
    more_new: float  # value with new customers × (1 + acquisition_gain)
    retention_gain: float
    acquisition_gain: float

    @property
    def retention_wins(self) -> bool:
        return self.more_retention > self.more_new

    @property
    def retention_uplift(self) -> float:
        return self.more_retention - self.baseline

    @property
    def acquisition_uplift(self) -> float:
        return self.more_new - self.baseline


def compare_levers(*, new_per_period: float, retention: float, margin: float,
                   discount: float = 0.01, horizon: int = 24, retention_gain: float = 0.10,
                   acquisition_gain: float = 0.50) -> LeverComparison:
    """Compare +``retention_gain`` retention (points) with +``acquisition_gain`` new customers.

    Retention after the gain is capped at 0.99.
    """
    r = check_range("retention", retention, 0.0, RETENTION_MAX)
    gain_r = check_range("retention_gain", retention_gain, 0.0, 1.0)
    gain_n = check_range("acquisition_gain", acquisition_gain, 0.0, 100.0)
    n = check_range("new_per_period", new_per_period, 0.0, 1e9)
    kwargs = {"margin": margin, "discount": discount, "horizon": horizon}
    values = base_value([n, n, n * (1.0 + gain_n)],
                        [r, min(r + gain_r, RETENTION_MAX), r], **kwargs)
    return LeverComparison(float(values[0]), float(values[1]), float(values[2]),
                           gain_r, gain_n)


def break_even_retention(*, retention_gain: float = 0.10, acquisition_gain: float = 0.50,
                         margin: float = 30.0, discount: float = 0.01, horizon: int = 24,
                         grid: int = 981) -> float:
    """The lowest starting retention at which +gain retention beats +gain new customers.

    Found on a grid of starting retentions in [0, 0.98]; returns ``nan`` if none wins
    (e.g. a one-period horizon, where retention has no future to pay off in).
    (Independent of ``n`` and ``m``, which scale both sides alike.)
    """
    retention_gain = check_range("retention_gain", retention_gain, 0.0, 1.0, low_open=True)
    acquisition_gain = check_range("acquisition_gain", acquisition_gain, 0.0, 100.0)
    check_int("horizon", horizon, 1, 10_000)
    _check_common(margin, discount)
    points = check_int("grid", grid, 2, 100_000)
    start = np.linspace(0.0, RETENTION_MAX - 0.01, points)
    deep = base_value(1.0, np.minimum(start + retention_gain, RETENTION_MAX), margin=margin,
                      discount=discount, horizon=horizon)
    new = base_value(1.0 + acquisition_gain, start, margin=margin, discount=discount,
                     horizon=horizon)
    wins = np.nonzero(deep > new)[0]
    return float(start[wins[0]]) if wins.size else float("nan")
