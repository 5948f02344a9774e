"""Chapter 6's user-portrait (用户画像) exercise: load the log, check the student's portraits.

The checks compare a student's table with the reference in
:mod:`widgets.models.user_portraits`, so no expected value is hard-coded here.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from pandas.io.formats.style import Styler

from widgets.apps.exercise import ExerciseCheck, Feedback, check_exercise
from widgets.apps.labels import prose
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
        kind = type(frame).__name__
        return Feedback(False, prose(
            f"my_portraits should be a pandas DataFrame with one row per user, got {kind}.",
            f"my_portraits 应该是每个用户一行的 pandas DataFrame，现在是 {kind}。"))
    table = frame
    if "user_id" in table.columns:
        table = table.set_index("user_id")
    missing = [c for c in FEATURES if c not in table.columns]
    if missing:
        return Feedback(False, prose(f"my_portraits lacks the column(s) {missing}.",
                                     f"my_portraits 缺少这些列：{missing}。"))
    return table


def portrait_feedback(my_portraits: Any) -> Feedback:
    """Mark a feature table against the reference: rows, each numeric feature, main interest."""
    table = _as_user_table(my_portraits)
    if isinstance(table, Feedback):
        return table
    reference = reference_portraits()
    if table.index.duplicated().any():
        return Feedback(False, prose("Some user_id appears twice: did you group by user_id?",
                                     "有的 user_id 出现了两次：你按 user_id 分组了吗？"))
    if set(table.index) != set(reference.index):
        return Feedback(False, prose(
            f"Expected one row for each of the {len(reference)} users, "
            f"found {len(table)} rows with other ids.",
            f"应该是 {len(reference)} 个用户各一行，现在有 {len(table)} 行，id 对不上。"))
    table = table.loc[reference.index]
    for column in _NUMERIC:
        given = pd.to_numeric(table[column], errors="coerce").astype(float)
        wrong = int(((given - reference[column].astype(float)).abs() > 0.05).sum())
        if wrong:
            return Feedback(False, prose(f"{column} differs from the log for {wrong} users.",
                                         f"有 {wrong} 个用户的 {column} 和日志对不上。"))
    agree = float((table["main_interest"].astype(str) == reference["main_interest"]).mean())
    if agree < 0.95:
        return Feedback(False, prose(f"main_interest matches for only {agree:.0%} of users.",
                                     f"main_interest 只对上了 {agree:.0%} 的用户。"))
    for tag, (column, comparison, threshold) in TAG_RULES.items():
        if tag in table.columns:
            wrong = int((table[tag].astype(bool) != reference[tag]).sum())
            if wrong:
                rule = f"{column} {comparison} {threshold:g}"
                return Feedback(False, prose(f"tag {tag} ({rule}) is wrong for {wrong} users.",
                                             f"标签 {tag}（{rule}）有 {wrong} 个用户标错了。"))
    return Feedback(True, prose(f"All {len(reference)} portraits match the log ✔",
                                f"{len(reference)} 幅画像全部和日志对上了 ✔"))


def check_portraits(my_portraits: Any) -> ExerciseCheck:
    """Check step 1 (feature values per user) with instant feedback and hints."""
    return check_exercise(portrait_feedback, my_portraits, chapter="ch06", hints_id="portraits")


def segment_feedback(my_segment: Any) -> Feedback:
    """Right when the student picks the segment the reference picks (most feedback per member)."""
    summary = segment_summary(reference_portraits())
    best = cocreation_segment(reference_portraits())
    if my_segment is None:
        return Feedback(False, prose(f"Set my_segment to one of {sorted(summary.index)}.",
                                     f"把 my_segment 设为 {sorted(summary.index)} 之一。"))
    if str(my_segment).strip().lower() == best:
        row = summary.loc[best]
        per, repeat = row["feedback_per_member"], row["repeat_buyer_share"]
        return Feedback(True, prose(
            f"{best}: {per:.1f} feedback events per member, {repeat:.0%} repeat buyers ✔",
            f"{best}：人均 {per:.1f} 次反馈，{repeat:.0%} 是回头客 ✔"))
    if str(my_segment) not in summary.index:
        return Feedback(False, prose(
            f"{my_segment!r} is not a segment; pick one of {sorted(summary.index)}.",
            f"{my_segment!r} 不是一个人群；请从 {sorted(summary.index)} 里选。"))
    biggest = str(summary["members"].idxmax())
    if str(my_segment) == biggest:
        return Feedback(False, prose(
            f"{biggest} is the biggest segment, but size is not what "
            "co-creation needs: who gives the most feedback per member?",
            f"{biggest} 是人数最多的人群，可共创要的不是人多：谁的人均反馈最多？"))
    per = summary.loc[str(my_segment), "feedback_per_member"]
    return Feedback(False, prose(
        f"{my_segment} gives {per:.1f} feedback events per member; another segment gives more.",
        f"{my_segment} 人均 {per:.1f} 次反馈；还有别的人群更多。"))


def check_segment(my_segment: Any) -> ExerciseCheck:
    """Check step 2 (the segment to co-create the next product with)."""
    return check_exercise(segment_feedback, my_segment, chapter="ch06", hints_id="segment")
