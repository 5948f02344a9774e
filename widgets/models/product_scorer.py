"""Which products sell through friends: a weighted score on the eight criteria (史八条).

The 2014 essay on social selling [Social Selling 2014] distils eight criteria for products
that suit strong-tie selling,
"微商产品设计史八条". Each product gets a score ``x_ij`` in [0, 5] on criterion ``j``
(the course's reading of the sources: *illustrative*, not measurements). With
non-negative importance weights ``v_j`` (not all zero), normalised to
``w_j = v_j / Σ_k v_k``, the weighted score (multi-criteria weighted sum, see
docs/REFERENCES.md) is

    S_i = Σ_j w_j x_ij            (0 ≤ S_i ≤ 5),   contribution c_ij = w_j x_ij.

Default weights are equal (w_j = 1/8): the article ranks no criterion above
another, so equal weights are an *assumption*.

Rank stability. Weights are uncertain, so we sample them around the chosen ones
from a Dirichlet distribution, ``w̃ ~ Dirichlet(κ w)`` (mean ``w``; the
concentration κ is an *assumption*: larger κ = samples closer to ``w``), and
report for each product ``P(rank 1)`` and ``P(rank ≤ 3)`` over the samples.

Single-weight flip. Changing one weight ``v_j`` and renormalising scales the
other shares proportionally. With ``d = x_a − x_b`` for the leader ``a`` and the
runner-up ``b`` and current shares ``w``, the two tie when criterion ``j``'s raw
weight becomes ``w_j − (Σ_k w_k d_k) / d_j``; its share at the tie is
``w_j' = v_j' / (1 − w_j + v_j')``. The smallest ``|w_j' − w_j|`` over the
criteria is the flip distance.

Method dependence. TOPSIS ([Hwang & Yoon 1981] in docs/REFERENCES.md) ranks by closeness
to an ideal product instead of by a sum: ``r_ij = x_ij / ‖x_·j‖₂``,
``D_i^± = ‖w ∘ (r_i − r^±)‖₂`` with ``r^+ = max_i r_ij``, ``r^- = min_i r_ij``
(every criterion is a benefit), closeness ``C_i = D_i^- / (D_i^+ + D_i^-)``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from widgets.models.validation import (
    ParameterError,
    check_bool,
    check_choice,
    check_frame,
    check_int,
    check_range,
    check_text,
)

#: The eight criteria (史八条) of [Social Selling 2014], in the article's order.
CRITERIA: tuple[str, ...] = (
    "experiential",     # 体验性: repeat purchase
    "easy_to_satisfy",  # 易满足性: impulse purchase
    "content_depth",    # 内容深度: personal sharing, UGC
    "value_sensitive",  # 顾客对价值敏感: customers sensitive to value
    "good_value",       # 超值 / 性价比: visible value for money
    "random_choice",    # 随机可选性: variety, not one big SKU (大单品)
    "forms_circle",     # 形成圈子: customers form a circle that meets offline
    "persuasive",       # 深度说服性: deep persuasiveness
)
#: Each criterion's label, (English, 中文), for every app, table and report.
CRITERION_LABELS: dict[str, tuple[str, str]] = {
    "experiential": ("Experiential", "体验性"),
    "easy_to_satisfy": ("Easy to satisfy", "易满足性"),
    "content_depth": ("Content depth", "内容深度"),
    "value_sensitive": ("Value-sensitive", "顾客对价值敏感"),
    "good_value": ("Value for money", "超值（性价比）"),
    "random_choice": ("Random choice", "随机可选性"),
    "forms_circle": ("Forms a circle", "形成圈子"),
    "persuasive": ("Persuasive", "深度说服性"),
}
SCORE_MIN, SCORE_MAX = 0.0, 5.0
METHODS = ("weighted_sum", "topsis")
DEFAULT_CONCENTRATION = 50.0  # assumption: Dirichlet concentration κ
DEFAULT_SAMPLES = 10_000


@dataclass(frozen=True)
class ScoreResult:
    """Weighted scores: ``total`` (0–5), per-criterion ``contributions`` and ``rank`` (1 = best).

    ``contributions`` rows sum to ``total``; ties share the better rank.
    """

    total: pd.Series
    contributions: pd.DataFrame
    rank: pd.Series
    weights: pd.Series


@dataclass(frozen=True)
class StabilityResult:
    """How often each product ranks first / in the top three when weights are resampled."""

    p_first: pd.Series
    p_top3: pd.Series
    n_samples: int
    concentration: float
    method: str
    seed: int

    def table(self) -> pd.DataFrame:
        return pd.DataFrame({"p_first": self.p_first, "p_top3": self.p_top3})


@dataclass(frozen=True)
class FlipResult:
    """The smallest change of one weight that lets the runner-up catch the leader.

    At ``weight_at_flip`` (a share in [0, 1], the other shares rescaled
    proportionally) the two tie; any further change in the same direction swaps
    them. ``criterion`` is ``None`` when no single weight can do it.
    """

    leader: Any
    runner_up: Any
    criterion: str | None
    weight_before: float
    weight_at_flip: float
    weights_at_flip: pd.Series | None

    @property
    def change(self) -> float:
        """Signed change of the criterion's share (``nan`` if no flip is possible)."""
        if self.criterion is None:
            return math.nan
        return self.weight_at_flip - self.weight_before


# --------------------------------------------------------------------------- validation

def _check_keys(name: str, keys: Sequence[Any]) -> None:
    unknown = [k for k in keys if k not in CRITERIA]
    if unknown:
        raise ParameterError(f"{name} has unknown criterion {unknown[0]!r}; "
                             f"allowed criteria: {', '.join(CRITERIA)}")
    missing = [c for c in CRITERIA if c not in keys]
    if missing:
        raise ParameterError(f"{name} lacks criterion {missing[0]!r}; "
                             f"all eight are needed: {', '.join(CRITERIA)}")


def normalise_weights(weights: Mapping[str, float] | pd.Series | Sequence[float] | None
                      ) -> pd.Series:
    """Weights as shares summing to 1, in the order of :data:`CRITERIA`.

    ``None`` gives equal weights (*assumption*). A mapping needs all eight
    criteria; a plain sequence is read in ``CRITERIA`` order. Each weight must be
    finite and ≥ 0, and they must not all be zero.
    """
    if weights is None:
        return pd.Series(1.0 / len(CRITERIA), index=list(CRITERIA), name="weight")
    if isinstance(weights, Mapping | pd.Series):
        _check_keys("weights", list(weights.keys()))
        raw = [weights[c] for c in CRITERIA]
    else:
        if isinstance(weights, str | bytes) or not isinstance(weights, Iterable):
            raise ParameterError(f"weights must map each criterion to a weight ≥ 0 (or list "
                                 f"{len(CRITERIA)} weights), got {weights!r}")
        raw = list(weights)
        if len(raw) != len(CRITERIA):
            raise ParameterError(f"weights needs {len(CRITERIA)} values (one per criterion), "
                                 f"got {len(raw)}")
    values = np.array([check_range(f"weight of {c!r}", v, 0.0, math.inf)
                       for c, v in zip(CRITERIA, raw, strict=True)])
    if not np.isfinite(values).all():
        bad = CRITERIA[int(np.flatnonzero(~np.isfinite(values))[0])]
        raise ParameterError(f"weight of {bad!r} must be a finite number ≥ 0")
    total = values.sum()
    if total <= 0:
        raise ParameterError("weights must not all be zero: give at least one criterion "
                             "a weight > 0")
    return pd.Series(values / total, index=list(CRITERIA), name="weight")


def validate_scores(scores: pd.DataFrame, *, single: bool = False) -> pd.DataFrame:
    """A float copy of ``scores`` (rows = products, columns = :data:`CRITERIA` in order).

    Raises :class:`ParameterError` naming the product and criterion of the first
    score that is missing, NaN, not a number or outside [0, 5] (``single=True``: the
    frame holds one product given as a mapping, so the message names only the criterion).
    """
    check_bool("single", single)
    if not isinstance(scores, pd.DataFrame):
        raise ParameterError(f"scores must be a pandas DataFrame (rows = products, "
                             f"columns = criteria), got {type(scores).__name__}")
    if scores.empty or len(scores.index) == 0:
        raise ParameterError("scores needs at least one product (row)")
    _check_keys("scores", list(scores.columns))
    if scores.index.has_duplicates:
        dup = scores.index[scores.index.duplicated()][0]
        raise ParameterError(f"scores lists product {dup!r} twice; product names must be unique")
    frame = scores.loc[:, list(CRITERIA)]
    if all(pd.api.types.is_numeric_dtype(t) and not pd.api.types.is_bool_dtype(t)
           for t in frame.dtypes):
        numeric = frame.astype(float)
    else:
        numeric = frame.apply(pd.to_numeric, errors="coerce").astype(float)
    values = numeric.to_numpy()
    bad = np.isnan(values) | (values < SCORE_MIN) | (values > SCORE_MAX)
    if bad.any():
        row, col = (int(i) for i in np.argwhere(bad)[0])
        value = frame.iat[row, col]
        value = value.item() if isinstance(value, np.generic) else value
        where = (f"scores[{CRITERIA[col]!r}]" if single else
                 f"score of {frame.index[row]!r} on {CRITERIA[col]!r}")
        raise ParameterError(f"{where} must be a number in [{SCORE_MIN:g}, {SCORE_MAX:g}], "
                             f"got {value!r}")
    return numeric


def scores_from_table(table: pd.DataFrame, index: str = "product_id") -> pd.DataFrame:
    """The score matrix of a products table (e.g. ``load_dataset("products")``)."""
    check_frame("table", table)
    check_text("index", index)
    if index not in table.columns:
        raise ParameterError(f"table has no column {index!r} to name the products")
    return validate_scores(table.set_index(index).loc[:, list(CRITERIA)])


# --------------------------------------------------------------------------- scoring

def _rank(values: np.ndarray, index: pd.Index) -> pd.Series:
    """1 = highest; ties share the better rank."""
    return pd.Series(values, index=index).rank(ascending=False, method="min").astype(int)


def _weighted_sum(values: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Contributions ``w_j x_ij`` and totals ``S_i``, computed one way for every caller.

    Row sums (not ``values @ w``): a matrix product may round identical rows
    differently, and then two tied products swap places between functions.
    """
    contributions = values * w
    return contributions, contributions.sum(axis=1)


def _score_result(matrix: pd.DataFrame, w: pd.Series) -> ScoreResult:
    contributions, totals = _weighted_sum(matrix.to_numpy(), w.to_numpy())
    return ScoreResult(
        total=pd.Series(totals, index=matrix.index, name="score"),
        contributions=pd.DataFrame(contributions, index=matrix.index, columns=list(CRITERIA)),
        rank=_rank(totals, matrix.index).rename("rank"), weights=w)


def score_products(scores: pd.DataFrame, weights: Mapping[str, float] | None = None
                   ) -> ScoreResult:
    """Weighted score ``S_i = Σ_j w_j x_ij`` of every product, its contributions and rank."""
    return _score_result(validate_scores(scores), normalise_weights(weights))


def product_score(scores: Mapping[str, float], weights: Mapping[str, float] | None = None
                  ) -> float:
    """The 0–5 weighted score of one product given as ``{criterion: score}``."""
    if not isinstance(scores, Mapping | pd.Series):
        raise ParameterError(f"scores must map each criterion to a 0–5 score, "
                             f"got {type(scores).__name__}")
    _check_keys("scores", list(scores.keys()))
    frame = validate_scores(pd.DataFrame([{c: scores[c] for c in CRITERIA}], index=["product"]),
                            single=True)
    return float(score_products(frame, weights).total.iloc[0])


def _topsis_parts(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vector-normalised matrix ``r`` and squared gaps to the ideal and anti-ideal."""
    norms = np.sqrt((matrix ** 2).sum(axis=0))
    r = np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)
    gap_best = (r - r.max(axis=0)) ** 2
    gap_worst = (r - r.min(axis=0)) ** 2
    return r, gap_best, gap_worst


def _closeness(d_best: np.ndarray, d_worst: np.ndarray) -> np.ndarray:
    """``D⁻/(D⁺+D⁻)``; 0.5 where a product is at both (every product identical)."""
    denom = d_best + d_worst
    return np.divide(d_worst, denom, out=np.full_like(denom, 0.5), where=denom > 0)


def topsis(scores: pd.DataFrame, weights: Mapping[str, float] | None = None) -> pd.Series:
    """TOPSIS closeness ``C_i`` in [0, 1] (1 = the ideal product) of every product."""
    matrix = validate_scores(scores)
    w = normalise_weights(weights).to_numpy()
    _, gap_best, gap_worst = _topsis_parts(matrix.to_numpy())
    w2 = w ** 2
    closeness = _closeness(np.sqrt(gap_best @ w2), np.sqrt(gap_worst @ w2))
    return pd.Series(closeness, index=matrix.index, name="closeness")


def compare_methods(scores: pd.DataFrame, weights: Mapping[str, float] | None = None
                    ) -> pd.DataFrame:
    """Weighted-sum and TOPSIS results side by side, with each product's rank change."""
    result = score_products(scores, weights)
    closeness = topsis(scores, weights)
    frame = pd.DataFrame({
        "weighted_sum": result.total,
        "weighted_sum_rank": result.rank,
        "topsis": closeness,
        "topsis_rank": _rank(closeness.to_numpy(), closeness.index),
    })
    frame["rank_change"] = frame["weighted_sum_rank"] - frame["topsis_rank"]
    return frame


# --------------------------------------------------------------------------- stability

def sample_weights(weights: Mapping[str, float] | None = None, *,
                   concentration: float = DEFAULT_CONCENTRATION,
                   n_samples: int = DEFAULT_SAMPLES, seed: int = 0) -> np.ndarray:
    """``n_samples × 8`` weight shares drawn from ``Dirichlet(κ w)`` (mean ``w``).

    Drawn as normalised Gamma(κ w_j) variables, so a criterion with weight 0
    keeps weight 0 in every sample.
    """
    w = normalise_weights(weights).to_numpy()
    kappa = check_range("concentration", concentration, 0.0, 1e6, low_open=True)
    n = check_int("n_samples", n_samples, 1, 1_000_000)
    rng = np.random.default_rng(check_int("seed", seed, 0, 2**63 - 1))
    draws = rng.standard_gamma(kappa * w, size=(n, w.size))
    sums = draws.sum(axis=1, keepdims=True)
    # A row can underflow to all zeros only when κ·w_j is tiny; fall back to the mean.
    empty = sums[:, 0] <= 0
    if empty.any():
        draws[empty] = w
        sums[empty] = 1.0
    return draws / sums


def _sample_scores(matrix: np.ndarray, samples: np.ndarray, method: str) -> np.ndarray:
    """Scores of every product (columns) under every weight sample (rows)."""
    if method == "topsis":
        _, gap_best, gap_worst = _topsis_parts(matrix)
        w2 = samples ** 2
        return _closeness(np.sqrt(w2 @ gap_best.T), np.sqrt(w2 @ gap_worst.T))
    return samples @ matrix.T


def rank_stability(scores: pd.DataFrame, weights: Mapping[str, float] | None = None, *,
                   concentration: float = DEFAULT_CONCENTRATION,
                   n_samples: int = DEFAULT_SAMPLES, method: str = "weighted_sum",
                   seed: int = 0) -> StabilityResult:
    """``P(rank 1)`` and ``P(rank ≤ 3)`` of each product under Dirichlet-resampled weights.

    Exact ties go to the product listed first. ``p_first`` sums to 1 and
    ``p_top3`` to ``min(3, n_products)``.
    """
    check_choice("method", method, METHODS)
    matrix = validate_scores(scores)
    samples = sample_weights(weights, concentration=concentration, n_samples=n_samples,
                             seed=seed)
    return _stability(matrix.index, _sample_scores(matrix.to_numpy(), samples, method), method,
                      concentration, seed)


def _stability(index: pd.Index, values: np.ndarray, method: str, concentration: float,
               seed: int) -> StabilityResult:
    """First-place and top-three shares from a samples × products score array.

    The top three are found by three arg-max passes (ties go to the product
    listed first), which is faster than a partial sort for a few dozen products.
    """
    n, n_products = values.shape
    rows = np.arange(n)
    work = values.copy()
    first = None
    top3 = np.zeros(n_products)
    for _ in range(min(3, n_products)):
        best = work.argmax(axis=1)
        counts = np.bincount(best, minlength=n_products)
        if first is None:
            first = counts / n
        top3 += counts
        work[rows, best] = -np.inf
    return StabilityResult(
        p_first=pd.Series(first, index=index, name="p_first"),
        p_top3=pd.Series(top3 / n, index=index, name="p_top3"),
        n_samples=n, concentration=float(concentration), method=method, seed=int(seed))


def _flip(matrix: np.ndarray, w: np.ndarray, totals: np.ndarray
          ) -> tuple[int, int, int | None, float, np.ndarray | None]:
    """Core of :func:`flip_top_two` on arrays: (leader, runner-up, j, share at tie, weights)."""
    order = np.argsort(-totals, kind="stable")
    a, b = int(order[0]), int(order[1])
    d = matrix[a] - matrix[b]
    gap = float(w @ d)
    if gap <= 1e-12:  # already tied: no change needed
        return a, b, 0, float(w[0]), w.copy()
    # d may be 0 (no change can help) or tiny (overflow to ±inf): both are filtered below
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        raw_new = w - gap / d                      # raw weight of j at the tie
        share_new = raw_new / (1.0 - w + raw_new)  # its share after renormalising
    feasible = (d != 0) & (raw_new > 1e-12) & np.isfinite(share_new)
    if not feasible.any():
        return a, b, None, math.nan, None
    j = int(np.argmin(np.where(feasible, np.abs(share_new - w), np.inf)))
    new = w * (1.0 - share_new[j]) / (1.0 - w[j])  # w_j < 1 here, else raw_new_j = 0
    new[j] = share_new[j]
    return a, b, j, float(share_new[j]), new


def _flip_result(index: pd.Index, w: np.ndarray, core: tuple) -> FlipResult:
    a, b, j, share, new = core
    if j is None:
        return FlipResult(index[a], index[b], None, math.nan, math.nan, None)
    return FlipResult(index[a], index[b], CRITERIA[j], float(w[j]), share,
                      pd.Series(new, index=list(CRITERIA), name="weight"))


def flip_top_two(scores: pd.DataFrame, weights: Mapping[str, float] | None = None
                 ) -> FlipResult:
    """The smallest change of a single weight share that makes the top two (weighted sum) tie.

    The other shares are rescaled proportionally, as when one importance slider
    moves and the weights are renormalised. If the two already tie the change is 0.
    """
    matrix = validate_scores(scores)
    if len(matrix) < 2:
        raise ParameterError("flip_top_two needs at least two products")
    w = normalise_weights(weights).to_numpy()
    values = matrix.to_numpy()
    return _flip_result(matrix.index, w, _flip(values, w, _weighted_sum(values, w)[1]))


@dataclass(frozen=True)
class Analysis:
    """Everything the scorer app shows, computed from one validation of the inputs."""

    result: ScoreResult
    closeness: pd.Series
    ranking: pd.Series          # the chosen method's score (weighted sum or closeness)
    stability: StabilityResult
    flip: FlipResult | None     # None with fewer than two products
    rank_change: pd.Series      # weighted-sum rank − TOPSIS rank


def analyse(scores: pd.DataFrame, weights: Mapping[str, float] | None = None, *,
            method: str = "weighted_sum", concentration: float = DEFAULT_CONCENTRATION,
            n_samples: int = DEFAULT_SAMPLES, seed: int = 0) -> Analysis:
    """Score, TOPSIS, rank stability and the single-weight flip in one pass (for the app)."""
    check_choice("method", method, METHODS)
    matrix = validate_scores(scores)
    w_series = normalise_weights(weights)
    w = w_series.to_numpy()
    values = matrix.to_numpy()
    index = matrix.index
    result = _score_result(matrix, w_series)
    totals = result.total.to_numpy()
    _, gap_best, gap_worst = _topsis_parts(values)
    closeness = _closeness(np.sqrt(gap_best @ w ** 2), np.sqrt(gap_worst @ w ** 2))
    samples = sample_weights(w_series.to_dict(), concentration=concentration,
                             n_samples=n_samples, seed=seed)
    stability = _stability(index, _sample_scores(values, samples, method), method,
                           concentration, seed)
    flip = _flip_result(index, w, _flip(values, w, totals)) if len(index) > 1 else None
    topsis_rank = _rank(closeness, index)
    return Analysis(
        result=result, closeness=pd.Series(closeness, index=index, name="closeness"),
        ranking=(pd.Series(closeness, index=index, name="closeness") if method == "topsis"
                 else result.total),
        stability=stability, flip=flip,
        rank_change=(result.rank - topsis_rank).rename("rank_change"))


# --------------------------------------------------------------------------- your own rule


def score_with_rule(scores: pd.DataFrame, rule: Any) -> pd.Series:
    """Each product's score under a student's rule ``rule(criteria) -> score``, where
    ``criteria`` maps the eight names of :data:`CRITERIA` to the product's 0–5 scores; the
    rule must return a number in [0, 5]. The equal-weights rule is
    ``lambda c: sum(c.values()) / 8``, i.e. ``S_i = Σ_j x_ij / 8``."""
    if not callable(rule):
        raise ParameterError(f"rule must be a function (criteria dict) -> score, got {rule!r}")
    matrix = validate_scores(scores)
    out = {}
    for product, row in matrix.iterrows():
        criteria = {c: float(row[c]) for c in CRITERIA}
        try:
            value = float(rule(criteria))
        except (TypeError, ValueError) as exc:
            raise ParameterError(f"rule must return a number, got an error for {product!r}: "
                                 f"{exc}") from exc
        if not SCORE_MIN <= value <= SCORE_MAX:
            raise ParameterError(f"rule must return a score in [{SCORE_MIN:g}, {SCORE_MAX:g}], "
                                 f"got {value!r} for {product!r}")
        out[product] = value
    return pd.Series(out, name="score").rename_axis(matrix.index.name)
