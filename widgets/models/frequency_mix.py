"""Frequency mix (组合拳): why a friend-circle seller combines high- and low-frequency products.

Seed 001 (黄刚, 2017) argues that high-frequency products (高频) pull users in
at a thin margin, low-frequency ones (低频, e.g. bird's nest) raise the basket
value at a high margin, and a seasonal farm-produce seller needs a year-round
range of about 12 months × 3 products. This model plays that out for one year.

Each product ``p`` has a purchase frequency ``f_p`` (purchases per active
customer per month while in season), an average basket ``P_p`` (元 per
purchase), a gross margin rate ``g_p`` and a season ``a_pm ∈ {0, 1}`` for month
``m`` (all *illustrative*, see ``datasets/product_frequency.csv``). Starting from
``N_1`` active customers:

    c_m     = Σ_p f_p a_pm                          purchase occasions per customer
    R_pm    = N_m f_p a_pm P_p                      revenue (元)
    G_pm    = g_p R_pm                              gross margin (元)
    N_{m+1} = N_m [1 − (1 − ρ) e^{−c_m}]            active customers

A customer who buys in a month stays active; with Poisson purchases
``e^{−c_m}`` is the chance of not buying, and such an idle customer stays with
probability ``ρ`` (*assumption*, default 0.8): high-frequency products keep the
relationship alive, which is the "pull users" half of the argument. No new
customers join (*assumption*: the friend circle is given).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from widgets.models.validation import (
    ParameterError,
    check_array_range,
    check_instance,
    check_int,
    check_range,
    check_same_shape,
)

MONTHS = tuple(range(1, 13))
REQUIRED_COLUMNS = ("purchases_per_month", "basket_yuan", "margin_rate",
                    "season_start", "season_end")
DEFAULT_CUSTOMERS = 200      # assumption: buyers in one seller's friend circle
DEFAULT_IDLE_RETENTION = 0.8  # assumption: ρ, monthly stay rate of a customer who did not buy
RANGE_TARGET = 3             # seed 001: about 3 products in every month (12 months × 3)


@dataclass(frozen=True)
class FrequencyMixResult:
    """A year of a portfolio: monthly totals, per-product revenue and margin, summary."""

    monthly: pd.DataFrame       # index month 1–12: customers, occasions, revenue, margin, products
    revenue: pd.DataFrame       # products × months, 元
    margin: pd.DataFrame        # products × months, 元
    summary: dict[str, float]


def season_mask(start: Sequence[int], end: Sequence[int]) -> np.ndarray:
    """``products × 12`` 0/1 availability; a season may wrap the new year (11 → 2)."""
    first = check_array_range("start", start, 1, 12, ndim=1)
    last = check_array_range("end", end, 1, 12, ndim=1)
    check_same_shape(("start", "end"), (first, last))
    for name, values in (("start", first), ("end", last)):
        if not np.all(values == np.round(values)):
            raise ParameterError(f"{name} entries must be whole months in [1, 12]")
    if first.shape != last.shape:
        raise ParameterError(f"start and end need one month per product each, got "
                             f"{first.size} and {last.size}")
    start_arr = first.astype(int)[:, None]
    end_arr = last.astype(int)[:, None]
    months = np.arange(1, 13)[None, :]
    inside = (months >= start_arr) & (months <= end_arr)
    wrapped = (months >= start_arr) | (months <= end_arr)
    return np.where(start_arr <= end_arr, inside, wrapped).astype(float)


def _validate(products: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(products, pd.DataFrame):
        raise ParameterError(f"products must be a pandas DataFrame, got {type(products).__name__}")
    missing = [c for c in REQUIRED_COLUMNS if c not in products.columns]
    if missing:
        raise ParameterError(f"products lacks column {missing[0]!r}; needed: "
                             f"{', '.join(REQUIRED_COLUMNS)}")
    if products.index.has_duplicates:
        raise ParameterError("products lists a product twice; the index must be unique")
    frame = products.loc[:, list(REQUIRED_COLUMNS)].apply(pd.to_numeric, errors="coerce")
    check_array_range("purchases_per_month", frame["purchases_per_month"], 0.0, 30.0)
    check_array_range("basket_yuan", frame["basket_yuan"], 0.0, 100_000.0)
    check_array_range("margin_rate", frame["margin_rate"], 0.0, 1.0)
    for column in ("season_start", "season_end"):
        values = check_array_range(column, frame[column], 1, 12)
        if not np.all(values == np.round(values)):
            raise ParameterError(f"{column} entries must be whole months in [1, 12]")
    return frame.astype(float)


def frequency_mix(products: pd.DataFrame, portfolio: Sequence[str] | None = None, *,
                  customers: int = DEFAULT_CUSTOMERS,
                  idle_retention: float = DEFAULT_IDLE_RETENTION,
                  frequency_class: pd.Series | None = None) -> FrequencyMixResult:
    """Monthly revenue, margin and active customers of a portfolio over one year.

    ``products`` is indexed by product id with the columns of
    :data:`REQUIRED_COLUMNS`; ``portfolio`` picks ids (default: all; an empty
    portfolio sells nothing). ``frequency_class`` ("high"/"low" per product)
    lets the summary split the margin by class.
    """
    table = _validate(products)
    if portfolio is not None:
        check_instance("portfolio", portfolio, (list, tuple, pd.Index, pd.Series, np.ndarray),
                       "a list of product ids")
    if frequency_class is not None:
        check_instance("frequency_class", frequency_class, pd.Series,
                       "a pandas Series of 'high'/'low' per product")
    ids = list(table.index) if portfolio is None else list(portfolio)
    unknown = [p for p in ids if not isinstance(p, str | int) or p not in table.index]
    if unknown:
        raise ParameterError(f"portfolio has unknown product {unknown[0]!r}; "
                             f"known: {', '.join(map(str, table.index))}")
    if len(set(ids)) != len(ids):
        raise ParameterError("portfolio lists a product twice")
    n0 = check_int("customers", customers, 1, 1_000_000)
    rho = check_range("idle_retention", idle_retention, 0.0, 1.0)
    chosen = table.loc[ids]
    freq = chosen["purchases_per_month"].to_numpy()
    basket = chosen["basket_yuan"].to_numpy()
    margin_rate = chosen["margin_rate"].to_numpy()
    season = season_mask(chosen["season_start"], chosen["season_end"]).reshape(len(ids), 12)
    rate = freq[:, None] * season                       # f_p a_pm
    occasions = rate.sum(axis=0)                        # c_m
    stay = 1.0 - (1.0 - rho) * np.exp(-occasions)       # N_{m+1}/N_m
    active = n0 * np.concatenate([[1.0], np.cumprod(stay)[:-1]])
    revenue = active[None, :] * rate * basket[:, None]
    margin = revenue * margin_rate[:, None]
    months = pd.Index(MONTHS, name="month")
    revenue_frame = pd.DataFrame(revenue, index=pd.Index(ids, name="product_id"), columns=months)
    margin_frame = pd.DataFrame(margin, index=revenue_frame.index, columns=months)
    on_offer = season.sum(axis=0).astype(int)
    monthly = pd.DataFrame({"customers": active, "occasions": occasions,
                            "revenue": revenue.sum(axis=0), "margin": margin.sum(axis=0),
                            "products": on_offer}, index=months)
    total_margin = float(margin.sum())
    low_share = float("nan")
    if frequency_class is not None and total_margin > 0:
        classes = frequency_class.reindex(ids)
        low_share = float(margin_frame[classes.eq("low").to_numpy()].to_numpy().sum()
                          / total_margin)
    summary = {
        "revenue": float(revenue.sum()),
        "margin": total_margin,
        "customers_end": float(active[-1] * stay[-1]),
        "empty_months": int((on_offer == 0).sum()),
        "thin_months": int((on_offer < RANGE_TARGET).sum()),
        "low_frequency_margin_share": low_share,
    }
    return FrequencyMixResult(monthly=monthly, revenue=revenue_frame, margin=margin_frame,
                              summary=summary)
