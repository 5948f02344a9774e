"""Bass diffusion: how word of mouth (口碑) and bought traffic (流量批发) spread a product.

Bass (1969) splits adoption into two forces acting on the people who have not
adopted yet. With ``F(t)`` the share of the market that has adopted by time ``t``:

.. math::

    \\frac{dF}{dt} = \\bigl(p + q\\,F(t)\\bigr)\\,\\bigl(1 - F(t)\\bigr), \\qquad F(0) = 0

    F(t) = \\frac{1 - e^{-(p+q)t}}{1 + \\frac{q}{p}\\, e^{-(p+q)t}}

- ``p`` — coefficient of *external* influence (ads, big-V accounts, bought
  traffic): the chance per period that a non-adopter adopts on their own.
  Cited range p ≈ 0.01–0.03 (Bass model as implemented in pymc-marketing; see
  ``../shared/REFERENCES.md``). Values above 0.03 stand for heavy traffic
  buying and are an *assumption*.
- ``q`` — coefficient of *internal* influence (word of mouth from people who
  already adopted). Cited range q ≈ 0.3–0.5 (same reference).
- ``market_size`` ``m`` — the people who could ever adopt (*assumption*).

Closed forms used here (derived from the equation above, r = q/p):

- adoption rate f(t) = (p+q)² / p · e^{-(p+q)t} / (1 + r e^{-(p+q)t})²;
- time to reach share s: t = ln((1 + r s) / (1 − s)) / (p + q);
- time of the adoption peak: t* = ln(q/p) / (p + q) when q > p, else 0;
- adopters won by external influence up to t (∫ p m (1 − F) dt):
  m · (p/q) · ln((1 + r) / (1 + r e^{-(p+q)t})), which tends to m F(t) as
  q → 0; the rest of the adopters came by word of mouth.

The time unit is one *period*: the cited p and q were estimated per year for
durable goods; reading a period as a month for a fast-moving product is an
*assumption*.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from widgets.models.validation import (
    check_array_range,
    check_instance,
    check_int,
    check_range,
    check_text,
)

P_CITED = (0.01, 0.03)  # REFERENCES.md: Bass diffusion (pymc-marketing)
Q_CITED = (0.3, 0.5)  # REFERENCES.md: Bass diffusion (pymc-marketing)
P_MAX = 1.0
Q_MAX = 2.0
T_MAX = 10_000.0


@dataclass(frozen=True)
class Scenario:
    """A named pair of Bass coefficients with where each number comes from."""

    key: str
    name_en: str
    name_zh: str
    p: float
    q: float
    source: str

    def __post_init__(self) -> None:
        for name in ("key", "name_en", "name_zh", "source"):
            check_text(name, getattr(self, name))
        check_range("p", self.p, 0.0, P_MAX, low_open=True)
        check_range("q", self.q, 0.0, Q_MAX)


#: The chapter's two strategies. 口碑 sits inside the cited ranges; 流量批发's
#: p above 0.03 and q below 0.3 are the course's assumption for "buy traffic,
#: neglect word of mouth".
SCENARIOS: dict[str, Scenario] = {
    "wholesale": Scenario("wholesale", "Wholesale traffic", "流量批发", p=0.06, q=0.05,
                          source="assumption: p above and q below the cited ranges"),
    "word_of_mouth": Scenario("word_of_mouth", "Word of mouth", "口碑", p=0.01, q=0.5,
                              source="cited: p≈0.01–0.03, q≈0.3–0.5 (REFERENCES.md, Bass)"),
}


def _check_pq(p: float, q: float) -> tuple[float, float]:
    p = check_range("p", p, 0.0, P_MAX, low_open=True)
    q = check_range("q", q, 0.0, Q_MAX)
    return p, q


def _times(t: object) -> np.ndarray:
    return check_array_range("t", t, 0.0, T_MAX)


def cumulative_share(t: object, p: float, q: float) -> np.ndarray:
    """F(t): share of the market that has adopted by time ``t`` (vectorised over ``t``)."""
    p, q = _check_pq(p, q)
    times = _times(t)
    decay = np.exp(-(p + q) * times)
    return (1.0 - decay) / (1.0 + (q / p) * decay)


def adoption_rate(t: object, p: float, q: float) -> np.ndarray:
    """f(t) = dF/dt: share of the market adopting per period at time ``t``."""
    p, q = _check_pq(p, q)
    times = _times(t)
    decay = np.exp(-(p + q) * times)
    return (p + q) ** 2 / p * decay / (1.0 + (q / p) * decay) ** 2


def time_to_share(share: float, p: float, q: float) -> float:
    """Time at which F(t) reaches ``share`` (0 ≤ share < 1), e.g. 0.5 for half the market."""
    p, q = _check_pq(p, q)
    share = check_range("share", share, 0.0, 1.0, high_open=True)
    return float(np.log((1.0 + (q / p) * share) / (1.0 - share)) / (p + q))


def peak_time(p: float, q: float) -> float:
    """Time of the highest adoption rate: ln(q/p)/(p+q) if q > p, else 0 (it starts at its peak)."""
    p, q = _check_pq(p, q)
    return float(np.log(q / p) / (p + q)) if q > p else 0.0


def external_share(t: object, p: float, q: float) -> np.ndarray:
    """Share of the market won by external influence (bought traffic) up to time ``t``."""
    p, q = _check_pq(p, q)
    return _external(_times(t), p, q)


def _external(times: np.ndarray, p: float, q: float) -> np.ndarray:
    """:func:`external_share` on checked inputs (any t ≥ 0, however late)."""
    ratio = q / p
    if ratio < 1e-9:  # no word of mouth to speak of: every adopter is bought (error ~ q/p)
        decay = np.exp(-(p + q) * times)
        return (1.0 - decay) / (1.0 + ratio * decay)
    decay = np.exp(-(p + q) * times)
    return (np.log1p(ratio) - np.log1p(ratio * decay)) / ratio


def adoption_table(p: float, q: float, *, market_size: int = 10_000,
                   periods: int = 40, steps_per_period: int = 4) -> pd.DataFrame:
    """Adoption over time for a market of ``market_size`` people.

    Columns: ``t`` (periods), ``cumulative`` (people), ``rate`` (people per
    period), ``from_bought_traffic`` and ``from_word_of_mouth`` (cumulative
    people by channel; they add up to ``cumulative``).
    """
    market = check_int("market_size", market_size, 1, 10**9)
    periods = check_int("periods", periods, 1, 1_000)
    steps = check_int("steps_per_period", steps_per_period, 1, 100)
    t = np.linspace(0.0, float(periods), periods * steps + 1)
    cumulative = market * cumulative_share(t, p, q)
    external = market * external_share(t, p, q)
    return pd.DataFrame({
        "t": t,
        "cumulative": cumulative,
        "rate": market * adoption_rate(t, p, q),
        "from_bought_traffic": external,
        "from_word_of_mouth": cumulative - external,
    })


@dataclass(frozen=True)
class Summary:
    """The numbers the app shows for one strategy."""

    p: float
    q: float
    time_to_half: float  # periods
    peak_time: float  # periods
    bought_share_at_half: float  # of the adopters at the half-market point, share bought
    bought_cost_to_half: float  # yuan
    cost_per_adopter_to_half: float  # yuan per adopter


def summarise(p: float, q: float, *, market_size: int = 10_000,
              cost_per_bought_adopter: float = 30.0) -> Summary:
    """Time to half the market, time to the peak, and the bought-traffic bill to get there.

    ``cost_per_bought_adopter`` (元 per adopter won by external influence) is an
    *assumption*: the course found no sourced figure for 微商 traffic prices.
    """
    market = check_int("market_size", market_size, 1, 10**9)
    cost = check_range("cost_per_bought_adopter", cost_per_bought_adopter, 0.0, 10_000.0)
    p, q = _check_pq(p, q)
    half = time_to_share(0.5, p, q)  # may lie beyond T_MAX when p and q are tiny: still exact
    bought = float(_external(np.asarray(half), p, q)[()])
    bill = bought * market * cost
    return Summary(p=float(p), q=float(q), time_to_half=half, peak_time=peak_time(p, q),
                   bought_share_at_half=bought / 0.5, bought_cost_to_half=bill,
                   cost_per_adopter_to_half=bill / (0.5 * market))


def faster_to_half(first: Scenario, second: Scenario) -> Scenario:
    """The scenario that reaches half the market sooner (ties go to ``first``)."""
    check_instance("first", first, Scenario, "a Scenario")
    check_instance("second", second, Scenario, "a Scenario")
    t1 = time_to_share(0.5, first.p, first.q)
    t2 = time_to_share(0.5, second.p, second.q)
    return first if t1 <= t2 else second
