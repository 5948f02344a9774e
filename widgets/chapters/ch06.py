"""Chapter 06 · 微商 2.0 · 微商2.0.

Its bets, tables and exercise checks."""

from __future__ import annotations

from typing import Any

import pandas as pd

from widgets.apps.exercise import ExerciseCheck, Feedback, check_exercise
from widgets.apps.labels import prose
from widgets.models.atomisation_funnel import BASELINE
from widgets.models.funnel_mechanisms import feedback_alone, feedback_gain_by_community
from widgets.models.user_portraits import FEATURES, user_tags

# ------------------------------------------------- bet: does the loop gain from the community?

LOOP_COMMUNITY_OPTIONS = ("More with the community", "About the same", "Less with the community")


def loop_community_answer(months: int = 24, margin: float = 0.05) -> str:
    """Bet answer: the repeat buyers the co-creation loop adds to the baseline seller, with
    the community mechanism on against off (within ``margin`` of the larger gain is "about
    the same")."""
    gains = feedback_gain_by_community(months)
    with_c, without_c = gains["with_community"], gains["without_community"]
    if abs(with_c - without_c) <= margin * max(abs(with_c), abs(without_c), 1e-9):
        return LOOP_COMMUNITY_OPTIONS[1]
    return LOOP_COMMUNITY_OPTIONS[0] if with_c > without_c else LOOP_COMMUNITY_OPTIONS[2]


# ----------------------------------------- portraits → the funnel's ladder (drill, step 3)

def ladder_counts(portraits: pd.DataFrame) -> dict[str, float]:
    """Followers on each rung of 顾客 → 用户 → 粉丝, the geeks among the fans and their share
    γ = geeks ÷ fans, from a portrait table's features. The course's reading (assumptions,
    on the portrait tags): a customer bought at least once, a user is a ``repeat_buyer``, a
    fan a user who is also a ``sharer``, a geek a fan who is also a ``co_creator``."""
    tagged = user_tags(portraits[list(FEATURES)])
    bought = tagged["n_purchases"] >= 1
    users = tagged["repeat_buyer"]
    fans = users & tagged["sharer"]
    geeks = fans & tagged["co_creator"]
    n_fans = int(fans.sum())
    return {"customers": int(bought.sum()), "users": int(users.sum()), "fans": n_fans,
            "geeks": int(geeks.sum()), "geek_share": float(geeks.sum() / n_fans) if n_fans else 0.0}


def ladder_feedback(my_portraits: Any) -> Feedback:
    """Step 3: once the portraits are right, put the followers on the ladder and run the
    funnel's co-creation loop with the geek share measured in the log."""
    from widgets.apps.user_portraits import portrait_feedback

    checked = portrait_feedback(my_portraits)
    if not checked.correct:
        return Feedback(False, prose("Finish step 1 first: ", "先完成第 1 步：")
                        + checked.message)
    table = my_portraits.set_index("user_id") if "user_id" in my_portraits.columns \
        else my_portraits
    ladder = ladder_counts(table)
    share = ladder["geek_share"]
    assumed, measured = feedback_alone(), feedback_alone(geek_share=share)
    gain_assumed = assumed["with_feedback"] - assumed["without_feedback"]
    gain_measured = measured["with_feedback"] - measured["without_feedback"]
    return Feedback(True, prose(
        f"{ladder['customers']} followers bought, {ladder['users']} came back (users), "
        f"{ladder['fans']} of those also share (fans), and {ladder['geeks']} fans talk back "
        f"(geeks): γ = {share:.0%} of the fans, against the funnel's assumed "
        f"{BASELINE.geek_share:.0%}. With the measured γ the co-creation loop adds "
        f"{gain_measured:,.0f} repeat buyers to the 2.0 seller instead of {gain_assumed:,.0f}.",
        f"{ladder['customers']} 个关注者买过（顾客），{ladder['users']} 个回购过（用户），其中 "
        f"{ladder['fans']} 个还会转发（粉丝），{ladder['geeks']} 个粉丝经常反馈（极客）："
        f"γ = 粉丝的 {share:.0%}，漏斗假设的是 {BASELINE.geek_share:.0%}。换成实测的 γ，共创"
        f"反馈给 2.0 卖家多带来 {gain_measured:,.0f} 个回头客，而不是 {gain_assumed:,.0f} 个。"))


def check_ladder(my_portraits: Any) -> ExerciseCheck:
    """Exercise check for step 3 of chapter 6's portrait drill (hints after each miss)."""
    return check_exercise(ladder_feedback, my_portraits, chapter="ch06", hints_id="ladder")
