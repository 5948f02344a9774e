"""Chapter 6's user-portrait (用户画像) exercise: load the log, check the student's portraits.

The checks compare a student's table with the reference in
:mod:`widgets.models.user_portraits`, so no expected value is hard-coded here.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from pandas.io.formats.style import Styler

from widgets.apps.exercise import ExerciseCheck, Feedback, check_exercise
from widgets.apps.tables import captioned
from widgets.data import load_dataset, source_note
from widgets.models.user_portraits import (
    FEATURES,
    TAG_RULES,
    cocreation_segment,
    segment_summary,
    user_features,
    user_tags,
)

LOG_NAME = "synthetic_behaviour_log"
_NUMERIC = [f for f in FEATURES if f != "main_interest"]


def load_behaviour_log() -> pd.DataFrame:
    """The synthetic behaviour log (validated; ``.attrs['source']`` says it is synthetic)."""
    return load_dataset(LOG_NAME)


def preview_log(log: pd.DataFrame, rows: int = 8) -> Styler:
    """The first rows of the log, captioned with its source (synthetic: invented data)."""
    return captioned(log.head(rows), source_note(LOG_NAME) + " (invented data)")


def reference_portraits() -> pd.DataFrame:
    """The reference portraits (features + tags) for the committed log."""
    return user_tags(user_features(load_behaviour_log()))


def _as_user_table(frame: Any) -> pd.DataFrame | Feedback:
    if not isinstance(frame, pd.DataFrame):
        return Feedback(False, "my_portraits should be a pandas DataFrame with one row per "
                               f"user, got {type(frame).__name__}.")
    table = frame
    if "user_id" in table.columns:
        table = table.set_index("user_id")
    missing = [c for c in FEATURES if c not in table.columns]
    if missing:
        return Feedback(False, f"my_portraits lacks the column(s) {missing}.")
    return table


def portrait_feedback(my_portraits: Any) -> Feedback:
    """Mark a feature table against the reference: rows, each numeric feature, main interest."""
    table = _as_user_table(my_portraits)
    if isinstance(table, Feedback):
        return table
    reference = reference_portraits()
    if table.index.duplicated().any():
        return Feedback(False, "Some user_id appears twice: did you group by user_id?")
    if set(table.index) != set(reference.index):
        return Feedback(False, f"Expected one row for each of the {len(reference)} users, "
                               f"found {len(table)} rows with other ids.")
    table = table.loc[reference.index]
    for column in _NUMERIC:
        given = pd.to_numeric(table[column], errors="coerce").astype(float)
        wrong = int(((given - reference[column].astype(float)).abs() > 0.05).sum())
        if wrong:
            return Feedback(False, f"{column} differs from the log for {wrong} users.")
    agree = float((table["main_interest"].astype(str) == reference["main_interest"]).mean())
    if agree < 0.95:
        return Feedback(False, f"main_interest matches for only {agree:.0%} of users.")
    for tag, (column, comparison, threshold) in TAG_RULES.items():
        if tag in table.columns:
            wrong = int((table[tag].astype(bool) != reference[tag]).sum())
            if wrong:
                return Feedback(False, f"tag {tag} ({column} {comparison} {threshold:g}) is "
                                       f"wrong for {wrong} users.")
    return Feedback(True, f"All {len(reference)} portraits match the log ✔")


def check_portraits(my_portraits: Any) -> ExerciseCheck:
    """Check step 1 (feature values per user) with instant feedback and hints."""
    return check_exercise(portrait_feedback, my_portraits, chapter="ch06", hints_id="portraits")


def segment_feedback(my_segment: Any) -> Feedback:
    """Right when the student picks the segment the reference picks (most feedback per member)."""
    summary = segment_summary(reference_portraits())
    best = cocreation_segment(reference_portraits())
    if my_segment is None:
        return Feedback(False, f"Set my_segment to one of {sorted(summary.index)}.")
    if str(my_segment).strip().lower() == best:
        row = summary.loc[best]
        return Feedback(True, f"{best}: {row['feedback_per_member']:.1f} feedback events per "
                              f"member, {row['repeat_buyer_share']:.0%} repeat buyers ✔")
    if str(my_segment) not in summary.index:
        return Feedback(False, f"{my_segment!r} is not a segment; pick one of "
                               f"{sorted(summary.index)}.")
    biggest = str(summary["members"].idxmax())
    if str(my_segment) == biggest:
        return Feedback(False, f"{biggest} is the biggest segment, but size is not what "
                               "co-creation needs: who gives the most feedback per member?")
    return Feedback(False, f"{my_segment} gives "
                           f"{summary.loc[str(my_segment), 'feedback_per_member']:.1f} "
                           "feedback events per member; another segment gives more.")


def check_segment(my_segment: Any) -> ExerciseCheck:
    """Check step 2 (the segment to co-create the next product with)."""
    return check_exercise(segment_feedback, my_segment, chapter="ch06", hints_id="segment")
