"""Chapter 01 · Everyone sells: the social-selling thesis · 人人销售：社交化销售.

Its bets, tables and exercise checks."""

from __future__ import annotations

from typing import Any

import ipywidgets as w
import numpy as np
import pandas as pd

from widgets.apps.bet import Bet, build_bet
from widgets.apps.content import content_item
from widgets.apps.exercise import ExerciseCheck, Feedback, check_exercise
from widgets.apps.labels import prose
from widgets.apps.tables import table_html
from widgets.apps.tie_strength import load_contacts
from widgets.models import bass_diffusion as bass
from widgets.models import tie_strength as ts

__all__ = [
    "build_half_market_bet",
    "check_hazard",
    "check_real_friends",
    "describe_scenarios",
    "half_market_answer",
    "mark_hazard",
    "mark_real_friends",
    "real_friend_ids",
]


def real_friend_ids(contacts: pd.DataFrame | None = None,
                    threshold: float = ts.STRONG_THRESHOLD) -> set[str]:
    """contact_ids with S ≥ threshold, computed by the model from the data."""
    scored = ts.score_contacts(load_contacts() if contacts is None else contacts,
                               threshold=threshold)
    return set(scored.loc[scored["strong"], "contact_id"])


def _as_ids(answer: Any) -> set[str] | None:
    if isinstance(answer, pd.DataFrame):
        if "contact_id" not in answer.columns:
            return None
        return {str(v) for v in answer["contact_id"]}
    if isinstance(answer, pd.Series) and answer.dtype == bool:
        return None
    if isinstance(answer, (pd.Series, pd.Index, list, tuple, set, np.ndarray)):
        return {str(v) for v in answer}
    return None


def _unclipped_ids(contacts: pd.DataFrame) -> set[str]:
    """The common slip: forgetting to cap time and favours at 1."""
    strength = (contacts.hours_per_month / ts.HOURS_CAP + (contacts.emotional_intensity - 1) / 4
                + (contacts.intimacy - 1) / 4 + contacts.favours_per_year / ts.FAVOURS_CAP) / 4
    return set(contacts.loc[strength >= ts.STRONG_THRESHOLD, "contact_id"])


def mark_real_friends(answer: Any) -> Feedback:
    """Feedback for the real-friends exercise (no widget; used by :func:`check_real_friends`)."""
    if answer is None:
        return Feedback(False, prose(
            "Not yet: set answer to the contact_ids of the real friends "
            "(a list, a Series, or a DataFrame with a contact_id column).",
            "还没作答：把真朋友的 contact_id 赋给 answer"
            "（列表、Series，或带 contact_id 列的 DataFrame 都可以）。"))
    given = _as_ids(answer)
    if given is None:
        kind = type(answer).__name__
        return Feedback(False, prose(
            "answer should hold contact_ids (e.g. a Series such as "
            f"contacts.loc[mask, 'contact_id']), not {kind} of True/False values.",
            "answer 里应该是 contact_id（比如 contacts.loc[mask, 'contact_id'] 这样的 Series），"
            f"而不是由 True/False 组成的 {kind}。"))
    contacts = load_contacts()
    expected = real_friend_ids(contacts)
    if given == expected:
        return Feedback(True, prose(
            f"Right: {len(expected)} of {len(contacts)} contacts are real "
            "friends (强关系); the rest are name-only (名朋友). ✔",
            f"对了：{len(contacts)} 个联系人里有 {len(expected)} 个是真朋友（强关系），"
            "其余都是名朋友。✔"))
    if given == _unclipped_ids(contacts):
        return Feedback(False, prose(
            "Close: cap time and favours at 1 (.clip(upper=1)) so that "
            "a lot of one dimension cannot make up for the others.",
            "很接近了：把时间和互惠封顶在 1（.clip(upper=1)），"
            "免得某一项特别高就把其他几项都补上了。"))
    unknown = given - set(contacts["contact_id"])
    if unknown:
        return Feedback(False, prose(
            f"{len(unknown)} id(s) are not in the contact list, e.g. {sorted(unknown)[:3]}.",
            f"有 {len(unknown)} 个 id 不在通讯录里，比如 {sorted(unknown)[:3]}。"))
    missing, extra = expected - given, given - expected
    return Feedback(False, prose(
        f"{len(given)} contacts picked; {len(missing)} real friend(s) "
        f"missing and {len(extra)} that should not be there.",
        f"选了 {len(given)} 个联系人：漏了 {len(missing)} 个真朋友，"
        f"多了 {len(extra)} 个不该选的。"))


def check_real_friends(answer: Any) -> ExerciseCheck:
    """Exercise check: which contacts are real friends (S ≥ 0.5)? Shows hints after a miss."""
    return check_exercise(mark_real_friends, answer, chapter="ch01", hints_id="real_friends")


def half_market_answer() -> str:
    """The bet option naming the strategy that reaches half the market sooner (by the model)."""
    options = content_item("ch01", "bets", "half_market")["options"]
    winner = bass.faster_to_half(bass.SCENARIOS["wholesale"], bass.SCENARIOS["word_of_mouth"])
    return options[list(bass.SCENARIOS).index(winner.key)]


def build_half_market_bet() -> Bet:
    """Bet: which strategy reaches half the market sooner?"""
    return build_bet("ch01", "half_market", answer=half_market_answer)


#: Where the two strategies' p and q come from, for ``zh`` mode.
SCENARIO_SOURCES_ZH = {
    "wholesale": "假设：p 高于、q 低于文献给出的区间",
    "word_of_mouth": "文献：p≈0.01–0.03，q≈0.3–0.5（[Sultan et al. 1990]，docs/REFERENCES.md）",
}


def describe_scenarios() -> w.HTML:
    """A small table of the two strategies' p and q with where each number comes from."""
    table = pd.DataFrame([(f"{s.name_zh} · {s.name_en}", s.p, s.q, s.source)
                          for s in bass.SCENARIOS.values()],
                         columns=["Strategy", "p", "q", "Source"])
    if prose("en", "zh") == "zh":
        table = table.assign(Strategy=[s.name_zh for s in bass.SCENARIOS.values()],
                             Source=[SCENARIO_SOURCES_ZH[key] for key in bass.SCENARIOS]).rename(
            columns={"Strategy": "策略", "Source": "来源"})
    return w.HTML(table_html(table, prose("Where each number comes from: the Source column.",
                                          "每个数字的出处见「来源」一栏。")))


# ---------------------------------------------------------------------- exercise: your hazard
HALF_WITHIN = 24  # periods


def mark_hazard(hazard: object) -> Feedback:
    """Passes when a student's hazard is word of mouth (it grows as more people adopt) and
    reaches half the market within :data:`HALF_WITHIN` periods; reports the half-way period
    next to the two scenarios' (the same discrete-time model)."""
    if not callable(hazard):
        return Feedback(False, prose("Define my_hazard(adopted_share) returning a probability "
                                     "and pass the function itself.",
                                     "先定义 my_hazard(adopted_share)，让它返回一个概率，"
                                     "再把这个函数本身传进来。"))
    try:
        shares = bass.simulate_adoption(hazard, periods=120)
        grows = float(hazard(0.5)) > float(hazard(0.0))
    except bass.ParameterError as exc:
        return Feedback(False, str(exc))
    except Exception as exc:  # the student's code raised: show it as feedback
        return Feedback(False, prose(f"Your hazard raised {type(exc).__name__}: {exc}",
                                     f"你的规则出错了：{type(exc).__name__}: {exc}"))
    half = int(np.argmax(shares >= 0.5)) if (shares >= 0.5).any() else None
    if not grows:
        return Feedback(False, prose("Your hazard does not grow as people adopt: that is bought "
                                     "traffic, not word of mouth. Let adopters bring in others.",
                                     "你的概率不随用户增多而上升：这是买流量，不是口碑。"
                                     "让用上的人把别人也带进来。"))
    if shares[1] == 0.0:
        return Feedback(False, prose("Nobody ever adopts: with no adopters yet, someone has to "
                                     "start (your hazard at 0 must be above 0).",
                                     "永远没人入手：一个用户都没有时，总得有人先开始"
                                     "（adopted_share 为 0 时概率必须大于 0）。"))
    if half is None or half > HALF_WITHIN:
        return Feedback(False, prose(
            f"Too slow: half the market is reached "
            f"{'after 120 periods' if half is None else f'in period {half}'}"
            f" (target: within {HALF_WITHIN}).",
            f"太慢了：{'120 期之后' if half is None else f'第 {half} 期'}才拿下一半市场"
            f"（目标：{HALF_WITHIN} 期以内）。"))
    refs = {prose(s.name_en, s.name_zh):
            int(np.argmax(bass.simulate_adoption(bass.bass_hazard(s.p, s.q), periods=120) >= 0.5))
            for s in bass.SCENARIOS.values()}
    ref_text = prose(", ", "，").join(prose(f"{name}: period {t}", f"{name}：第 {t} 期")
                                        for name, t in refs.items())
    return Feedback(True, prose(f"Passed ✔ Your hazard reaches half the market in period {half} "
                                f"({ref_text}). Now defend your q in writing.",
                                f"通过 ✔ 你的规则在第 {half} 期拿下一半市场（{ref_text}）。"
                                "现在把你选的 q 和理由写下来。"))


def check_hazard(hazard: object) -> ExerciseCheck:
    """Exercise check for chapter 1's hazard exercise (hints after each miss)."""
    return check_exercise(mark_hazard, hazard, chapter="ch01", hints_id="hazard")
