"""Chapter 01 · Everyone sells: the social-selling thesis · 人人销售：社交化销售.

Its bets, tables and exercise checks."""

from __future__ import annotations

from typing import Any

import ipywidgets as w
import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from widgets.apps.controls import note
from widgets.apps.labels import prose
from widgets.apps.tables import captioned
from widgets.apps.tie_strength import load_contacts
from widgets.models import bass_diffusion as bass

# --------------------------------------------- step: do your real friends carry word of mouth?

#: How contacts added in bulk are marked in the synthetic list (``met_via``).
MASS_ADDED = "mass_added"


def _contact_ids(answer: Any) -> set[str] | None:
    """The contact_ids in ``answer`` (list, Series, Index, set, array, or a frame's column)."""
    if isinstance(answer, pd.DataFrame):
        return {str(v) for v in answer["contact_id"]} if "contact_id" in answer else None
    if isinstance(answer, pd.Series) and answer.dtype == bool:
        return None
    if isinstance(answer, pd.Series | pd.Index | list | tuple | set | np.ndarray):
        return {str(v) for v in answer}
    return None


def half_time_with_share(share: float) -> float:
    """Periods for word of mouth to reach half the market when only a ``share`` of ties can
    carry a recommendation: the chapter's 口碑 scenario with ``q = q_口碑 · share``
    (the course's illustrative assumption), ``t½ = ln(2 + q/p)/(p + q)``."""
    wom = bass.SCENARIOS["word_of_mouth"]
    return bass.time_to_share(0.5, wom.p, wom.q * share)


def break_even_share(tolerance: float = 1e-6) -> float:
    """The share of real friends at which word of mouth reaches half the market as soon as
    bought traffic (bisection on :func:`half_time_with_share`, which falls as the share rises)."""
    bought = bass.SCENARIOS["wholesale"]
    target = bass.time_to_share(0.5, bought.p, bought.q)
    low, high = 0.0, 1.0
    while high - low > tolerance:
        middle = (low + high) / 2
        low, high = (middle, high) if half_time_with_share(middle) > target else (low, middle)
    return high


def word_of_mouth_through_ties(answer: Any) -> Styler | w.HTML:
    """Feed your real friends into the Bass model: if a recommendation only works along a
    strong tie, word of mouth's ``q`` shrinks with the share of real friends in your list."""
    contacts = load_contacts()
    given = _contact_ids(answer)
    if not given:
        return note(prose("Set answer to your real friends' contact_ids first (the exercise "
                          "above); this step feeds them into the Bass model.",
                          "先完成上面的练习，把真朋友的 contact_id 赋给 answer；"
                          "这一步要把它们放进 Bass 模型。"))
    friends = given & set(contacts["contact_id"])
    named = contacts[contacts["met_via"] != MASS_ADDED]
    bought, wom = bass.SCENARIOS["wholesale"], bass.SCENARIOS["word_of_mouth"]
    shares = {
        prose("every contact a real friend", "联系人个个是真朋友"): 1.0,
        prose(f"your list: {len(friends)} of {len(contacts)}",
              f"你的名单：{len(contacts)} 人里 {len(friends)} 个"): len(friends) / len(contacts),
        prose(f"without the mass-added: {len(friends & set(named['contact_id']))} of "
              f"{len(named)}",
              f"去掉批量加的人：{len(named)} 人里 {len(friends & set(named['contact_id']))} 个"):
            len(friends & set(named["contact_id"])) / len(named),
    }
    seller, share_col = prose("seller", "卖家"), prose("real-friend share", "真朋友比例")
    half = prose("periods to half", "拿下一半市场的期数")
    rows = [{seller: prose(f"{bought.name_zh} · {bought.name_en}", bought.name_zh),
             share_col: "—", "p": bought.p, "q": bought.q,
             half: bass.time_to_share(0.5, bought.p, bought.q)}]
    rows += [{seller: f"{wom.name_zh} · {label}", share_col: f"{share:.0%}", "p": wom.p,
              "q": wom.q * share, half: half_time_with_share(share)}
             for label, share in shares.items()]
    return captioned(pd.DataFrame(rows), prose(
        f"Illustrative: assumes a recommendation works only along a strong tie, so 口碑's q "
        f"({wom.q:g}) is scaled by the share of real friends. Word of mouth catches bought "
        f"traffic only from a share of about {break_even_share():.0%}.",
        f"示意：假设推荐只沿着强关系起作用，所以口碑的 q（{wom.q:g}）要乘上真朋友所占的比例。"
        f"这个比例要到大约 {break_even_share():.0%}，口碑才追得上买来的流量。"))
