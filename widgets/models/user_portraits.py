"""Demand bit-ification (需求比特化): from a behaviour log to feature values, tags and portraits.

Seed 004 asks the 2.0 seller to turn customers' behaviour into feature values (特征值) and
judgements about customers into tags (标签), building a user portrait (用户画像) per person.
This module is the reference solution of chapter 6's pandas exercise. Its thresholds are the
course's **assumptions**, stated in ``TAG_RULES``.

Per user ``u`` with events ``e`` in the log:

.. math::

    \\text{n\\_views}_u = \\#\\{e: \\text{view}\\},\\quad
    \\text{n\\_purchases}_u = \\#\\{e: \\text{purchase}\\},\\quad
    \\text{spend}_u = \\sum_{e:\\,\\text{purchase}} \\text{amount}_e\\\\
    \\text{n\\_feedback}_u = \\#\\{e: \\text{review or suggestion}\\},\\quad
    \\text{n\\_shares}_u = \\#\\{e: \\text{share}\\},\\quad
    \\text{main\\_interest}_u = \\arg\\max_c \\#\\{e: \\text{category } c\\}

(ties broken alphabetically). The segment to co-create with is the main-interest group with
the most feedback events per member (ties: the higher repeat-buyer share).
"""

from __future__ import annotations

import pandas as pd

from widgets.models.validation import ParameterError, check_frame

FEATURES = ("n_views", "n_purchases", "spend_yuan", "n_feedback", "n_shares", "main_interest")
FEEDBACK_EVENTS = ("review", "suggestion")
# tag -> (feature, comparison, threshold); all thresholds are assumptions.
TAG_RULES: dict[str, tuple[str, str, float]] = {
    "repeat_buyer": ("n_purchases", ">=", 2),
    "co_creator": ("n_feedback", ">=", 2),
    "sharer": ("n_shares", ">=", 2),
    "lurker": ("n_purchases", "==", 0),
}
LOG_COLUMNS = ("user_id", "event", "category", "amount_yuan")


def user_features(log: pd.DataFrame) -> pd.DataFrame:
    """One row per user_id (sorted) with the FEATURES columns."""
    check_frame("log", log, LOG_COLUMNS)
    counts = pd.crosstab(log["user_id"], log["event"])
    for event in ("view", "purchase", "share", *FEEDBACK_EVENTS):
        if event not in counts.columns:
            counts[event] = 0
    spend = log[log["event"] == "purchase"].groupby("user_id")["amount_yuan"].sum()
    by_category = pd.crosstab(log["user_id"], log["category"])
    by_category = by_category[sorted(by_category.columns)]
    features = pd.DataFrame({
        "n_views": counts["view"],
        "n_purchases": counts["purchase"],
        "spend_yuan": spend.reindex(counts.index, fill_value=0.0).round(2),
        "n_feedback": counts[list(FEEDBACK_EVENTS)].sum(axis=1),
        "n_shares": counts["share"],
        "main_interest": by_category.idxmax(axis=1),
    })
    features.index.name = "user_id"
    return features.sort_index()


def user_tags(features: pd.DataFrame) -> pd.DataFrame:
    """Boolean tag columns (TAG_RULES) beside the features: the user portraits."""
    check_frame("features", features, {column for column, _, _ in TAG_RULES.values()})
    portraits = features.copy()
    for tag, (column, comparison, threshold) in TAG_RULES.items():
        values = portraits[column]
        portraits[tag] = values >= threshold if comparison == ">=" else values == threshold
    return portraits


def segment_summary(portraits: pd.DataFrame) -> pd.DataFrame:
    """Per main-interest segment: members, feedback per member, repeat-buyer share, spend."""
    check_frame("portraits", portraits, FEATURES)
    try:
        tagged = portraits if "repeat_buyer" in portraits else user_tags(portraits)
    except ParameterError as exc:
        raise ParameterError(f"portraits: {exc}") from exc
    summary = tagged.groupby("main_interest").agg(
        members=("n_views", "size"),
        feedback_per_member=("n_feedback", "mean"),
        repeat_buyer_share=("repeat_buyer", "mean"),
        shares_per_member=("n_shares", "mean"),
        spend_per_member=("spend_yuan", "mean"),
    )
    return summary.sort_values(["feedback_per_member", "repeat_buyer_share"], ascending=False)


def cocreation_segment(portraits: pd.DataFrame) -> str:
    """The main-interest segment to co-create the next product with."""
    summary = segment_summary(portraits)
    if summary.empty:
        raise ParameterError("portraits holds no users, so there is no segment to pick")
    return str(summary.index[0])
