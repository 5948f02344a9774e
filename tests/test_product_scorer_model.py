"""Unit and property tests for the product scorer model (史八条 score, stability, TOPSIS)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from widgets import load_dataset
from widgets.models.product_scorer import (
    CRITERIA,
    analyse,
    compare_methods,
    flip_top_two,
    normalise_weights,
    product_score,
    rank_stability,
    sample_weights,
    score_products,
    scores_from_table,
    topsis,
)
from widgets.models.validation import ParameterError

PROPS = settings(max_examples=40, deadline=None)
score_value = st.floats(0, 5, allow_nan=False)
weight_value = st.floats(0, 10, allow_nan=False)
score_row = st.lists(score_value, min_size=8, max_size=8)
weight_list = st.lists(weight_value, min_size=8, max_size=8).filter(lambda w: sum(w) > 1e-3)


def frame(rows: list[list[float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(CRITERIA), index=[f"p{i}" for i in range(len(rows))])


def weights_dict(values: list[float]) -> dict[str, float]:
    return dict(zip(CRITERIA, values, strict=True))


@pytest.fixture(scope="module")
def course_scores() -> pd.DataFrame:
    return scores_from_table(load_dataset("products"))


# ------------------------------------------------------------------ criteria and data

def test_criteria_match_the_criteria_dataset_in_order():
    table = load_dataset("product_criteria")
    ids = table.sort_values("order")["criterion_id"].tolist()
    assert tuple(ids) == CRITERIA


def test_products_dataset_covers_the_sources_products(course_scores):
    table = load_dataset("products")
    assert len(table) >= 10
    for product in ("facial_mask", "handbag", "sanitary_pads", "buddhist_beads", "farm_produce",
                    "bird_nest", "xiaomi_phone", "cosmetics"):
        assert product in set(table["product_id"])
    assert table["rationale"].str.len().min() > 20
    assert table.attrs["provenance"] == "illustrative"
    assert list(course_scores.columns) == list(CRITERIA)


def test_mask_beats_handbag_and_sanitary_pads_as_the_article_says(course_scores):
    total = score_products(course_scores).total
    assert total["facial_mask"] > total["handbag"]
    assert total["facial_mask"] > total["sanitary_pads"]


# ------------------------------------------------------------------ weighted score

def test_total_is_the_weighted_sum_written_out_by_hand():
    scores = frame([[5, 4, 3, 2, 1, 0, 5, 5], [1, 1, 1, 1, 1, 1, 1, 1]])
    raw = [2, 1, 1, 0, 0, 0, 0, 4]
    result = score_products(scores, weights_dict(raw))
    expected_first = (2 * 5 + 1 * 4 + 1 * 3 + 4 * 5) / 8
    assert result.total["p0"] == pytest.approx(expected_first)
    assert result.total["p1"] == pytest.approx(1.0)
    assert result.rank.to_dict() == {"p0": 1, "p1": 2}
    assert result.weights.sum() == pytest.approx(1.0)


def test_default_weights_are_equal_so_the_score_is_the_mean():
    row = [5, 0, 3, 2, 4, 1, 5, 0]
    assert product_score(weights_dict(row)) == pytest.approx(np.mean(row))


def test_ties_share_the_better_rank():
    result = score_products(frame([[3] * 8, [3] * 8, [1] * 8]))
    assert result.rank.tolist() == [1, 1, 3]


@PROPS
@given(rows=st.lists(score_row, min_size=1, max_size=6), raw=weight_list)
def test_contributions_sum_to_total_and_total_stays_in_range(rows, raw):
    result = score_products(frame(rows), weights_dict(raw))
    np.testing.assert_allclose(result.contributions.sum(axis=1), result.total, atol=1e-12)
    assert ((result.total >= -1e-12) & (result.total <= 5 + 1e-12)).all()
    assert (result.total >= np.min(rows, axis=1) - 1e-9).all()
    assert (result.total <= np.max(rows, axis=1) + 1e-9).all()


@PROPS
@given(rows=st.lists(score_row, min_size=2, max_size=6), raw=weight_list,
       which=st.integers(0, 7), bump=st.floats(0, 5))
def test_raising_one_score_never_lowers_the_total_or_the_rank(rows, raw, which, bump):
    before = score_products(frame(rows), weights_dict(raw))
    raised = [list(r) for r in rows]
    raised[0][which] = min(5.0, raised[0][which] + bump)
    after = score_products(frame(raised), weights_dict(raw))
    assert after.total["p0"] >= before.total["p0"] - 1e-12
    assert after.rank["p0"] <= before.rank["p0"]


@PROPS
@given(rows=st.lists(score_row, min_size=1, max_size=6), raw=weight_list,
       factor=st.floats(0.01, 1000))
def test_scaling_all_weights_changes_nothing(rows, raw, factor):
    base = score_products(frame(rows), weights_dict(raw))
    scaled = score_products(frame(rows), weights_dict([factor * v for v in raw]))
    np.testing.assert_allclose(scaled.total, base.total, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(topsis(frame(rows), weights_dict([factor * v for v in raw])),
                               topsis(frame(rows), weights_dict(raw)), rtol=1e-9, atol=1e-12)


# ------------------------------------------------------------------ validation

GOOD = [3.0] * 8


@pytest.mark.parametrize(("bad", "fragment"), [
    (6.0, "[0, 5]"), (-0.5, "[0, 5]"), (math.nan, "[0, 5]"), ("lots", "[0, 5]"),
])
def test_a_bad_score_names_the_product_criterion_and_range(bad, fragment):
    rows = frame([GOOD, GOOD])
    rows = rows.astype(object)
    rows.loc["p1", "content_depth"] = bad
    with pytest.raises(ParameterError, match="p1") as info:
        score_products(rows)
    assert "content_depth" in str(info.value) and fragment in str(info.value)


def test_unknown_and_missing_criteria_are_rejected():
    with pytest.raises(ParameterError, match="unknown criterion 'price'"):
        product_score({**weights_dict(GOOD), "price": 3})
    partial = weights_dict(GOOD)
    del partial["persuasive"]
    with pytest.raises(ParameterError, match="lacks criterion 'persuasive'"):
        product_score(partial)
    with pytest.raises(ParameterError, match="unknown criterion"):
        score_products(frame([GOOD]).rename(columns={"experiential": "fun"}))


@pytest.mark.parametrize(("raw", "fragment"), [
    ([-1, 1, 1, 1, 1, 1, 1, 1], "weight of 'experiential'"),
    ([0] * 8, "must not all be zero"),
    ([1, 1, math.nan, 1, 1, 1, 1, 1], "weight of 'content_depth'"),
    ([1, 1, 1, math.inf, 1, 1, 1, 1], "weight of 'value_sensitive'"),
])
def test_bad_weights_are_rejected_with_a_clear_message(raw, fragment):
    with pytest.raises(ParameterError, match=fragment.replace("(", r"\(")):
        score_products(frame([GOOD]), weights_dict(raw))


def test_other_malformed_inputs():
    with pytest.raises(ParameterError, match="at least one product"):
        score_products(frame([]))
    with pytest.raises(ParameterError, match="twice"):
        score_products(pd.DataFrame([GOOD, GOOD], columns=list(CRITERIA), index=["a", "a"]))
    with pytest.raises(ParameterError, match="8 values"):
        normalise_weights([1, 2, 3])
    with pytest.raises(ParameterError, match="unknown criterion 'price'"):
        score_products(frame([GOOD]), {**weights_dict(GOOD), "price": 1})
    with pytest.raises(ParameterError, match="DataFrame"):
        score_products([GOOD])  # type: ignore[arg-type]


# ------------------------------------------------------------------ rank stability

@PROPS
@given(rows=st.lists(score_row, min_size=1, max_size=8), raw=weight_list,
       concentration=st.floats(1, 500), seed=st.integers(0, 1000))
def test_stability_probabilities_sum_to_one_and_to_the_top_three(rows, raw, concentration, seed):
    result = rank_stability(frame(rows), weights_dict(raw), concentration=concentration,
                            n_samples=500, seed=seed)
    assert result.p_first.sum() == pytest.approx(1.0)
    assert result.p_top3.sum() == pytest.approx(min(3, len(rows)))
    assert (result.p_top3 >= result.p_first - 1e-12).all()
    topsis_result = rank_stability(frame(rows), weights_dict(raw), n_samples=200, seed=seed,
                                   method="topsis")
    assert topsis_result.p_first.sum() == pytest.approx(1.0)


def test_stability_is_seeded(course_scores):
    a = rank_stability(course_scores, n_samples=2000, seed=7).table()
    b = rank_stability(course_scores, n_samples=2000, seed=7).table()
    c = rank_stability(course_scores, n_samples=2000, seed=8).table()
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)


def test_a_dominant_product_always_ranks_first():
    result = rank_stability(frame([[4] * 8, [5] * 8, [0] * 8, [2] * 8]), n_samples=300)
    assert result.p_first["p1"] == 1.0
    assert result.p_top3["p2"] == 0.0


def test_concentration_controls_how_far_samples_stray(course_scores):
    loose = rank_stability(course_scores, concentration=2, n_samples=4000, seed=1)
    tight = rank_stability(course_scores, concentration=5000, n_samples=4000, seed=1)
    leader = score_products(course_scores).total.idxmax()
    assert tight.p_first[leader] > loose.p_first[leader]
    assert tight.p_first[leader] > 0.99


def test_dirichlet_samples_average_to_the_weights_and_keep_zeros_at_zero():
    raw = weights_dict([3, 1, 0, 1, 1, 1, 1, 0])
    samples = sample_weights(raw, concentration=20, n_samples=20_000, seed=3)
    np.testing.assert_allclose(samples.sum(axis=1), 1.0)
    np.testing.assert_allclose(samples.mean(axis=0), normalise_weights(raw), atol=5e-3)
    assert (samples[:, [2, 7]] == 0).all()


def test_stability_validates_its_parameters(course_scores):
    with pytest.raises(ParameterError, match="concentration"):
        rank_stability(course_scores, concentration=0)
    with pytest.raises(ParameterError, match="n_samples"):
        rank_stability(course_scores, n_samples=0)
    with pytest.raises(ParameterError, match="method"):
        rank_stability(course_scores, method="vote")


# ------------------------------------------------------------------ single-weight flip

def _gap(scores: pd.DataFrame, weights: pd.Series, a: str, b: str) -> float:
    total = score_products(scores, weights.to_dict()).total
    return float(total[a] - total[b])


@PROPS
@given(rows=st.lists(score_row, min_size=2, max_size=5), raw=weight_list)
def test_the_flip_point_ties_the_top_two_and_going_beyond_swaps_them(rows, raw):
    scores = frame(rows)
    flip = flip_top_two(scores, weights_dict(raw))
    if flip.criterion is None or flip.change == 0:
        return
    assert _gap(scores, flip.weights_at_flip, flip.leader, flip.runner_up) == pytest.approx(
        0, abs=1e-9)
    # move the criterion's raw weight a little further in the same direction
    j = CRITERIA.index(flip.criterion)
    w = normalise_weights(weights_dict(raw)).to_numpy()
    beyond = flip.weights_at_flip.to_numpy().copy()
    beyond[j] = min(1.0, max(0.0, beyond[j] + 0.05 * np.sign(flip.change)))
    if beyond.sum() <= 0 or np.allclose(beyond, w):
        return
    assert _gap(scores, pd.Series(beyond, index=list(CRITERIA)), flip.leader,
                flip.runner_up) < 1e-12


def test_the_flip_is_the_smallest_single_weight_change(course_scores):
    flip = flip_top_two(course_scores)
    base = normalise_weights(None).to_numpy()
    d = (course_scores.loc[flip.leader] - course_scores.loc[flip.runner_up]).to_numpy()
    shares = np.linspace(0, 0.999, 4000)
    best = math.inf
    for j in range(len(CRITERIA)):  # brute force: every share of criterion j on a grid
        grid = np.outer(1 - shares, base / (1 - base[j]))
        grid[:, j] = shares
        flipped = grid @ d < 0
        if flipped.any():
            best = min(best, float(np.abs(shares[flipped] - base[j]).min()))
    assert abs(flip.change) <= best + 1e-9
    assert abs(flip.change) >= best - 1e-3


def test_no_flip_when_the_leader_is_at_least_as_good_everywhere():
    flip = flip_top_two(frame([[5, 5, 4, 4, 3, 3, 2, 2], [4, 4, 4, 3, 3, 2, 2, 1]]))
    assert flip.criterion is None and math.isnan(flip.change)


def test_flip_needs_two_products():
    with pytest.raises(ParameterError, match="two products"):
        flip_top_two(frame([GOOD]))


# ------------------------------------------------------------------ TOPSIS

def test_topsis_ideal_and_anti_ideal_products():
    closeness = topsis(frame([[5] * 8, [0] * 8, [2.5] * 8]))
    assert closeness["p0"] == pytest.approx(1.0)
    assert closeness["p1"] == pytest.approx(0.0)
    assert closeness["p2"] == pytest.approx(0.5)


def test_topsis_by_hand_on_two_criteria_with_weight():
    # only experiential (weight 1) counts: r = x / ||x||, closeness = (r - min)/(max - min)
    rows = [[4] + [1] * 7, [2] + [1] * 7, [1] + [1] * 7]
    closeness = topsis(frame(rows), weights_dict([1, 0, 0, 0, 0, 0, 0, 0]))
    np.testing.assert_allclose(closeness, [1.0, 1 / 3, 0.0])


def test_methods_can_disagree_on_the_course_products(course_scores):
    table = compare_methods(course_scores)
    assert (table["rank_change"] != 0).any()
    assert table["topsis"].between(0, 1).all()


def test_single_product_errors_name_the_criterion_and_value():
    with pytest.raises(ParameterError, match=r"scores\['experiential'\] must be a number in "
                                             r"\[0, 5\], got 7$"):
        product_score(dict.fromkeys(CRITERIA, 3) | {"experiential": 7})


@PROPS
@given(rows=st.lists(score_row, min_size=2, max_size=6), raw=weight_list,
       method=st.sampled_from(["weighted_sum", "topsis"]), seed=st.integers(0, 100))
# two identical products: a matrix product once ranked them differently from the row sums
@example(rows=[[0.0] * 8] * 3 + [[0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0]] * 2,
         raw=[0.0, 7.0, 0.0, 0.0, 0.0, 2.439453125, 4.0, 6.5], method="weighted_sum", seed=0)
def test_one_pass_analysis_agrees_with_the_separate_functions(rows, raw, method, seed):
    scores, weights = frame(rows), weights_dict(raw)
    result = analyse(scores, weights, method=method, n_samples=300, seed=seed)
    separate = score_products(scores, weights)
    pd.testing.assert_series_equal(result.result.total, separate.total)
    pd.testing.assert_series_equal(result.result.rank, separate.rank)
    pd.testing.assert_series_equal(result.closeness, topsis(scores, weights))
    stability = rank_stability(scores, weights, n_samples=300, seed=seed, method=method)
    pd.testing.assert_frame_equal(result.stability.table(), stability.table())
    flip = flip_top_two(scores, weights)
    assert (result.flip.leader, result.flip.runner_up, result.flip.criterion) == (
        flip.leader, flip.runner_up, flip.criterion)
    expected_change = compare_methods(scores, weights)["rank_change"]
    assert result.rank_change.tolist() == expected_change.tolist()
