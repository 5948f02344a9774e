"""Trust decay in a friend circle: the living room (客厅) that became a street stall (摆地摊).

A seller has ``N`` friends in Dunbar layers (≈5 / 15 / 50 / 150 / the rest; Zhou,
Sornette, Hill & Dunbar 2005; Dunbar 2016). Friend ``i`` holds a beta trust in the
seller (Jøsang & Ismail 2002) with a forgetting factor ``λ`` that discounts old
evidence every day (``memory ≈ 1/(1 − λ)`` days). On day ``t``:

.. math::

    \\alpha_{i,t} = \\lambda\\,\\alpha_{i,t-1} + r_{i,t}\\,g_{k}, \\qquad
    \\beta_{i,t} = \\lambda\\,\\beta_{i,t-1} + \\ell_{k,t}, \\qquad
    T_{i,t} = \\frac{\\alpha_{i,t}}{\\alpha_{i,t} + \\beta_{i,t}}

    g_k = a_k\\,w_c\\,(1 - q)\\,C + w_r\\,R\\,\\frac{a_k}{\\sum_j a_j}, \\qquad
    \\ell_{k,t} = a_k\\,w_a\\,\\big(\\kappa\\,(A + qC) + b\\,\\max(0,\\ A + C - P_0)\\big)
                 + \\text{event jumps}

    h^{mute}_{i,t} = e_k\\,\\sigma\\big(c_m + s_T(1 - T_{i,t}) + s_A (A + qC) - \\tau\\,w_k\\big),
    \\qquad
    h^{block}_{i,t} = e_k\\,\\sigma\\big(c_b + s^{b}_T(1 - T_{i,t}) + s^{b}_A (A + qC)
                      - \\tau\\,w_k\\big),
    \\qquad e_k = 1 - e^{-a_k (A + C)}

where ``k`` is friend ``i``'s type (Dunbar layer, brand-new friend or not, buyer of
the fake batch or not) and

- ``a_k``: the layer's attention, the share of the seller's posts the friend sees;
- ``A``, ``C``, ``R``: the plan's ads, content posts and interactions per day;
- ``q``: the share of content posts that are junk (垃圾内容: copied, clickbait, filler).
  A junk post gains no trust and costs trust like an ad ([Huang 2017], cause 1, warns that
  junk content kills; the size of the effect is an assumption);
- ``w_k``: the tie strength of layer ``k`` (1 for the support clique down to 0 for the
  outer circle) and ``τ`` how much a strong tie lowers the mute and block hazards:
  closer, reciprocal ties are cut less often (Kwak, Chun & Moon 2011; the size is an
  assumption);
- ``w_c``, ``w_r``, ``w_a``: evidence per content post seen, per reply received
  and per ad seen; replies are spread over the circle in proportion to attention;
- ``κ``: the asymmetry multiplier, bad weighing more than good (Slovic 1993);
- ``b``, ``P_0``: the burst penalty — every post of any kind beyond ``P_0`` a day
  annoys like ``b`` ads (Kwak, Chun & Moon 2011: bursts; Sibona 2011: posting
  too often);
- ``σ``: the logistic function; ``e_k``: the chance the friend sees at least one
  post that day (*assumption*: nobody mutes a seller whose posts they never see);
- ``r_{i,t}``: 1 while friend ``i`` still reads the seller (has neither muted,
  屏蔽, nor blocked, 拉黑), else 0;
- priors ``α_0 = T_0 n_0`` and ``β_0 = (1 − T_0) n_0`` from the layer; brand-new
  friends start from a low ``T_0`` (selling to new friends, [Huang 2017]).

Events add a one-day jump to ``β``: a brag found false (``brag_jump · a_k`` for
every friend) and a fake-goods incident (``fake_goods_jump`` for the friends who
bought the batch, ``fake_goods_spill · fake_goods_jump · a_k`` for the others).

Mute and block are discrete-time hazards, decided by friends who still read the
seller, with common random numbers: each friend draws one exponential clock for
each (``E ~ Exp(1)``) and mutes on the first day the cumulative hazard
``Σ −log(1 − h)`` reaches it. Blocking also hides the seller's posts; the output
``share_muted`` counts every friend who no longer sees them (muted or blocked) and
``share_blocked`` the blockers among them.

**Negative evidence reaches muted friends too** (*assumption*): a mute hides the
feed, not the seller — the hard selling still shows in group chats, private
messages and what mutual friends say, and a scandal (a brag found false, fake
goods) spreads by word of mouth. Muted friends stop *gaining*: content and
interactions no longer reach them, and their good evidence only fades through
forgetting. This makes the model monotone by construction: with everything else
equal, more ads never raise any friend's trust on any day and never lower the
share muted (same seed, same clocks). The alternative — freezing a muted friend
completely — lets friends who mute early escape all later ads, so a heavier ad
plan could end with *higher* mean trust; the model does not do that.

Expected purchases per day sum, over friends who still read the seller,
``p_max · u(n) · T^γ · (1 − exp(−a_k (A + s (1 − q) C)))``: a friend buys at most ``p_max``
times a day, trust matters more than linearly (``γ``), more offers seen saturate
(``s`` = share of a content post that also sells, e.g. a product shown in use), and the
product range matters through

.. math::  u(n) = \\frac{1 - e^{-n/n_0}}{1 - e^{-36/n_0}},

``n`` being the number of products the seller offers over a year: a friend who has what
they need of a thin range stops buying, so a range of 36 (the 12 months × 3 products of
[Huang 2017], cause 2) gives ``u = 1`` and one product far less (``n_0`` an assumption).

Every parameter's source is in :data:`PARAMETER_SOURCES`; all numerical values are
the course's assumptions unless stated there.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

import numpy as np
import pandas as pd

from widgets.models.validation import ParameterError, check_choice, check_int, check_range

# --- The circle: Dunbar layers ------------------------------------------------------------------
LAYERS = ("support_5", "sympathy_15", "affinity_50", "active_150", "outer")
LAYER_LABELS = {
    "support_5": ("Support clique (≈5)", "核心圈（约5人）"),
    "sympathy_15": ("Sympathy group (≈15)", "同情圈（约15人）"),
    "affinity_50": ("Affinity group (≈50)", "亲近圈（约50人）"),
    "active_150": ("Active network (≈150)", "活跃圈（约150人）"),
    "outer": ("Outer circle (acquaintances)", "外圈（熟人、新朋友）"),
}
#: Cumulative layer sizes 5, 15, 50, 150 (Zhou, Sornette, Hill & Dunbar 2005; Dunbar 2016).
LAYER_CUMULATIVE = (5, 15, 50, 150)
#: Prior mean trust per layer (assumption: closer layers trust more — Granovetter 1973's tie
#: strength — but the numbers are the course's).
LAYER_PRIOR_TRUST = (0.85, 0.80, 0.72, 0.65, 0.55)
#: Prior strength α₀ + β₀ (pseudo-observations) per layer (assumption).
LAYER_PRIOR_STRENGTH = (20.0, 15.0, 10.0, 6.0, 4.0)
#: Share of the seller's posts a friend sees, per layer (assumption, ordered as Dunbar's contact
#: frequency falls from the inner to the outer layers).
LAYER_ATTENTION = (0.90, 0.70, 0.50, 0.30, 0.15)
#: Tie strength w_k per layer, 1 (support clique) to 0 (outer circle): the layer's rank, an
#: assumption ordered as Dunbar's emotional closeness falls outwards.
TIE_STRENGTH = (1.0, 0.75, 0.5, 0.25, 0.0)
#: A year-round range: 12 months × 3 products ([Huang 2017], cause 2).
FULL_RANGE = 36
#: Prior strength of a brand-new friend (assumption: they barely know the seller).
NEW_FRIEND_STRENGTH = 2.0

MIN_FRIENDS, MAX_FRIENDS = 200, 10_000
_BLOCK_ROWS = 256  # stopped-friend rows per block (keeps each block in cache)
MAX_DAYS = 3 * 365

PARAMETER_SOURCES: dict[str, str] = {
    "n_friends": "assumption (a typical 2017 WeChat circle of a few hundred); layers ≈5/15/50/150 "
                 "from Zhou, Sornette, Hill & Dunbar 2005 and Dunbar 2016",
    "days": "assumption (the horizon you choose)",
    "ads_per_day": "your posting plan (the street stall, 摆地摊, cause in [Huang 2017])",
    "content_per_day": "your posting plan (content worth reading keeps the living room)",
    "junk_share": "your posting plan: the share of content that is junk (垃圾内容, [Huang 2017] "
                  "cause 1); junk costs trust like an ad (the size is an assumption)",
    "products_in_range": "your product range ([Huang 2017] cause 2: a year-round range, 12 months "
                         "× 3 products, and a steady line of hit products 爆款单品)",
    "range_scale": "assumption (products at which ~63 % of a full range's sales are reached)",
    "tie_protection": "[Kwak et al. 2011] (closer, reciprocal ties are broken less often); "
                      "the size is an assumption",
    "interactions_per_day": "your posting plan; replies lower unfollowing (Kwak, Moon & Lee 2012)",
    "content_gain": "assumption (evidence per content post seen)",
    "interaction_gain": "assumption (evidence per reply or like received)",
    "ad_loss": "assumption (evidence per ad seen, before the asymmetry)",
    "asymmetry": "Slovic 1993 (bad weighs more than good); the multiplier is an assumption — "
                 "no published ratio",
    "burst_free_posts": "Kwak, Chun & Moon 2011 (bursts of posts drive unfollows) and Sibona "
                        "2011 (too-frequent posts); the threshold is an assumption",
    "burst_penalty": "Kwak, Chun & Moon 2011 (bursts); the size is an assumption",
    "forgetting": "Jøsang & Ismail 2002 (forgetting factor λ); the value is an assumption",
    "new_friend_share": "[Huang 2017] (selling to brand-new friends); the share is an assumption",
    "new_friend_prior": "assumption (a stranger's trust in a seller)",
    "mute_intercept": "assumption (logistic form; Sibona 2011 and Kwak et al. 2011 give reasons, "
                      "not rates)",
    "mute_trust_slope": "assumption",
    "mute_ads_slope": "Sibona 2011, Sprout Social 2016 and 羊城晚报 2014 (too many promotional "
                      "posts is the top reason to unfollow); the size is an assumption",
    "block_intercept": "assumption (blocking, 拉黑, needs lower trust than muting, 屏蔽)",
    "block_trust_slope": "assumption",
    "block_ads_slope": "assumption",
    "brag_day": "[Huang 2017] (bragging, 吹牛, overdraws trust); the day is yours to pick",
    "brag_jump": "assumption (negative evidence when a brag is found false)",
    "fake_goods_day": "[Huang 2017] (fake goods, 虚假商品); the day is yours to pick",
    "fake_goods_jump": "assumption (negative evidence for a friend who bought the fake batch)",
    "fake_goods_buyer_share": "assumption (share of friends who bought the batch)",
    "fake_goods_spill": "assumption (share of the jump that reaches the others by word of mouth)",
    "max_purchase_rate": "assumption (purchases per friend per day at full trust and attention)",
    "trust_power": "assumption (trust matters more than linearly for buying)",
    "soft_sell": "assumption (share of a content post that also works as an offer)",
}


@dataclass(frozen=True)
class TrustParams:
    """Inputs of :func:`simulate_trust`; see :data:`PARAMETER_SOURCES` for each one's source.

    Rates are per day; evidence is in pseudo-observations of the beta trust.
    """

    # the circle
    n_friends: int = 500            # friends in the circle (assumption)
    days: int = 365                 # horizon (assumption)
    new_friend_share: float = 0.2   # share of the outer circle added recently (assumption)
    new_friend_prior: float = 0.4   # a brand-new friend's prior trust (assumption)
    # the posting plan
    ads_per_day: float = 1.0        # hard-sell ads a day
    content_per_day: float = 1.0    # content or life posts a day
    interactions_per_day: float = 10.0  # replies and likes given a day
    junk_share: float = 0.0         # q, share of content posts that are junk (垃圾内容)
    products_in_range: int = 36     # n, products offered over a year (12 months × 3, [Huang 2017])
    range_scale: float = 6.0        # n₀, products for ~63 % of a full range's sales (assumption)
    # trust updating (Jøsang & Ismail 2002; Slovic 1993; Kwak et al. 2011)
    content_gain: float = 0.10      # α per content post seen (assumption)
    interaction_gain: float = 1.0   # α per reply or like received (assumption)
    ad_loss: float = 0.05           # β per ad seen before the asymmetry (assumption)
    asymmetry: float = 3.0          # loss/gain multiplier (Slovic 1993; value assumption)
    burst_free_posts: float = 3.0   # posts a day (ads + content) before bursts annoy (assumption)
    burst_penalty: float = 3.0      # each post above that annoys like this many ads (assumption)
    forgetting: float = 0.98        # λ, memory ≈ 50 days (Jøsang & Ismail 2002; value assumption)
    tie_protection: float = 1.5     # τ, strong ties lower the mute/block logit (Kwak et al. 2011)
    # hazards (logistic in 1 − trust and in ads a day; all assumptions)
    mute_intercept: float = -13.0
    mute_trust_slope: float = 12.0
    mute_ads_slope: float = 0.5
    block_intercept: float = -16.0
    block_trust_slope: float = 14.0
    block_ads_slope: float = 0.3
    # events (day 1..days, or None for no event)
    brag_day: int | None = None
    brag_jump: float = 4.0          # β for a friend paying full attention (assumption)
    fake_goods_day: int | None = None
    fake_goods_jump: float = 8.0    # β for a friend who bought the batch (assumption)
    fake_goods_buyer_share: float = 0.1
    fake_goods_spill: float = 0.25  # share of the jump reaching others, × attention (assumption)
    # purchases
    max_purchase_rate: float = 0.01  # purchases per friend per day at most (assumption)
    trust_power: float = 2.0
    soft_sell: float = 0.3

    def __post_init__(self) -> None:
        check_int("n_friends", self.n_friends, MIN_FRIENDS, MAX_FRIENDS)
        check_int("days", self.days, 1, MAX_DAYS)
        check_range("new_friend_share", self.new_friend_share, 0.0, 0.9)
        check_range("new_friend_prior", self.new_friend_prior, 0.01, 0.99)
        check_range("ads_per_day", self.ads_per_day, 0.0, 20.0)
        check_range("content_per_day", self.content_per_day, 0.0, 20.0)
        check_range("interactions_per_day", self.interactions_per_day, 0.0, 500.0)
        check_range("junk_share", self.junk_share, 0.0, 1.0)
        check_int("products_in_range", self.products_in_range, 1, 200)
        check_range("range_scale", self.range_scale, 0.1, 200.0)
        check_range("tie_protection", self.tie_protection, 0.0, 10.0)
        check_range("content_gain", self.content_gain, 0.0, 5.0)
        check_range("interaction_gain", self.interaction_gain, 0.0, 20.0)
        check_range("ad_loss", self.ad_loss, 0.0, 5.0)
        check_range("asymmetry", self.asymmetry, 1.0, 10.0)
        check_range("burst_free_posts", self.burst_free_posts, 0.0, 40.0)
        check_range("burst_penalty", self.burst_penalty, 0.0, 10.0)
        check_range("forgetting", self.forgetting, 0.5, 1.0)
        check_range("mute_intercept", self.mute_intercept, -30.0, 5.0)
        check_range("mute_trust_slope", self.mute_trust_slope, 0.0, 30.0)
        check_range("mute_ads_slope", self.mute_ads_slope, 0.0, 5.0)
        check_range("block_intercept", self.block_intercept, -30.0, 5.0)
        check_range("block_trust_slope", self.block_trust_slope, 0.0, 30.0)
        check_range("block_ads_slope", self.block_ads_slope, 0.0, 5.0)
        for name in ("brag_day", "fake_goods_day"):
            value = getattr(self, name)
            if value is not None:
                check_int(name, value, 1, int(self.days))
        check_range("brag_jump", self.brag_jump, 0.0, 50.0)
        check_range("fake_goods_jump", self.fake_goods_jump, 0.0, 50.0)
        check_range("fake_goods_buyer_share", self.fake_goods_buyer_share, 0.0, 1.0)
        check_range("fake_goods_spill", self.fake_goods_spill, 0.0, 1.0)
        check_range("max_purchase_rate", self.max_purchase_rate, 0.0, 1.0)
        check_range("trust_power", self.trust_power, 0.5, 5.0)
        check_range("soft_sell", self.soft_sell, 0.0, 1.0)

    def with_changes(self, **changes: Any) -> TrustParams:
        """A copy with some fields changed (validated again)."""
        unknown = set(changes) - {f.name for f in fields(self)}
        if unknown:
            raise ParameterError(f"unknown TrustParams field(s): {sorted(unknown)}")
        return replace(self, **changes)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


#: The two plans of chapter 05 (assumption: illustrative plans, not measured sellers).
PRESETS: dict[str, TrustParams] = {
    # a living room (客厅): little hard selling, life and product-in-use posts, many replies
    "living_room": TrustParams(ads_per_day=0.3, content_per_day=2.0, interactions_per_day=30.0,
                               new_friend_share=0.05),
    # a street stall (摆地摊): ads all day, nothing else, strangers added, a brag and a fake batch
    "street_stall": TrustParams(ads_per_day=5.0, content_per_day=0.0, interactions_per_day=0.0,
                                new_friend_share=0.4, brag_day=45, fake_goods_day=120),
}


@dataclass(frozen=True)
class TrustResult:
    """The daily table (indexed by day 1..days) and a summary of the run."""

    params: TrustParams
    daily: pd.DataFrame
    summary: dict[str, Any]


def trust_column(layer: str) -> str:
    """The ``daily`` column holding a layer's mean trust, e.g. ``trust_active_150``."""
    check_choice("layer", layer, LAYERS)
    return f"trust_{layer}"


def range_factor(products: int, scale: float = 6.0) -> float:
    """u(n) = (1 − e^(−n/n₀)) / (1 − e^(−36/n₀)): sales from a range of ``n`` products
    relative to a full year-round range of :data:`FULL_RANGE` (can exceed 1 above 36)."""
    products = check_int("products_in_range", products, 1, 200)
    scale = check_range("range_scale", scale, 0.1, 200.0)
    return float(-math.expm1(-products / scale) / -math.expm1(-FULL_RANGE / scale))


def _geometric(lam: float, steps: np.ndarray) -> np.ndarray:
    """G(m) = 1 + λ + … + λ^(m−1): evidence kept from one unit a day for m days."""
    steps = np.asarray(steps, dtype=float)
    if lam == 1.0:
        return steps
    return -np.expm1(steps * math.log(lam)) / (1.0 - lam)


def _trust(alpha: np.ndarray, beta: np.ndarray) -> np.ndarray:
    """E[trust] = α / (α + β), written as 1 / (1 + β/α) so it is monotone under rounding."""
    with np.errstate(divide="ignore", over="ignore"):
        return 1.0 / (1.0 + beta / np.maximum(alpha, np.finfo(float).tiny))


def _hazard_increment(z: np.ndarray, exposure: np.ndarray) -> np.ndarray:
    """−log(1 − e·σ(z)): the cumulative-hazard increment of the daily hazard e·σ(z).

    Written with operations that are monotone under floating-point rounding, so a
    larger ``z`` or ``e`` never gives a smaller increment.
    """
    hazard = exposure[:, None] / (1.0 + np.exp(-z))
    return -np.log1p(-hazard)


def _friend_types(p: TrustParams, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """Layer, new-friend flag and fake-batch-buyer flag of every friend."""
    n = int(p.n_friends)
    sizes = np.diff(np.r_[0, LAYER_CUMULATIVE, n])
    layer = np.repeat(np.arange(len(LAYERS)), sizes)
    n_outer = int(sizes[-1])
    n_new = round(p.new_friend_share * n_outer)
    new = np.zeros(n, dtype=bool)
    new[n - n_new:] = True                     # the most recently added outer friends
    buyer = rng.random(n) < p.fake_goods_buyer_share if p.fake_goods_day else np.zeros(n, bool)
    return layer, new, buyer


#: An evidence rule: (ads, good content posts, junk posts, replies a fully attentive friend
#: receives) per day -> (good, bad) evidence per day for a friend who sees every post.
EvidenceRule = Callable[[float, float, float, float], tuple[float, float]]


def standard_evidence(params: TrustParams) -> EvidenceRule:
    """The model's own update: ``good = w_c C_good + w_r R_each`` and
    ``bad = w_a (κ (A + qC) + b max(0, A + C − P₀))``."""
    p = params

    def evidence(ads: float, content: float, junk: float, replies: float) -> tuple[float, float]:
        excess = max(0.0, ads + content + junk - p.burst_free_posts)
        good = p.content_gain * content + p.interaction_gain * replies
        bad = p.ad_loss * (p.asymmetry * (ads + junk) + p.burst_penalty * excess)
        return good, bad
    return evidence


def _evidence(rule: EvidenceRule, ads: float, content: float, junk: float,
              replies: float) -> tuple[float, float]:
    """Call an evidence rule and check its answer: two finite numbers, each ≥ 0."""
    try:
        good, bad = rule(ads, content, junk, replies)
        good, bad = float(good), float(bad)
    except (TypeError, ValueError) as exc:
        raise ParameterError(f"evidence_rule must return two numbers (good, bad), got an "
                             f"error: {exc}") from exc
    if not (math.isfinite(good) and math.isfinite(bad) and good >= 0 and bad >= 0):
        raise ParameterError(f"evidence_rule must return two finite numbers in [0, inf), got "
                             f"({good!r}, {bad!r})")
    return good, bad


def simulate_trust(params: TrustParams, seed: int = 0,
                   evidence_rule: EvidenceRule | None = None) -> TrustResult:
    """Run the trust-decay model (see the module docstring for the equations).

    ``evidence_rule(ads, content, junk, replies) -> (good, bad)`` replaces the daily trust
    update for a friend who sees every post (a friend with attention ``a_k`` gets ``a_k``
    times both); ``replies`` is what such a friend receives, ``R / Σ_j a_j``. The default is
    :func:`standard_evidence`.

    Vectorised: friends of one type share a path until they mute, so the model
    computes ≤ 20 type paths in closed form, draws one exponential clock per
    friend and hazard, finds each friend's stopping day with ``searchsorted`` and
    then the trust after stopping, which depends only on the type and that day.
    """
    if not isinstance(params, TrustParams):
        raise ParameterError(f"params must be a TrustParams, got {type(params).__name__}")
    p = params
    seed = check_int("seed", seed, 0, 2**63 - 1)
    rng = np.random.default_rng(seed)
    n, days, lam = int(p.n_friends), int(p.days), float(p.forgetting)
    mute_clock = rng.exponential(size=n)
    block_clock = rng.exponential(size=n)
    layer, new, buyer = _friend_types(p, rng)

    # friend types: (layer, new, buyer) -> index
    code = layer * 4 + new * 2 + buyer
    type_codes, type_of = np.unique(code, return_inverse=True)
    t_layer, t_new, t_buyer = type_codes // 4, (type_codes // 2) % 2 == 1, type_codes % 2 == 1
    attention = np.asarray(LAYER_ATTENTION)[t_layer]
    prior = np.where(t_new, p.new_friend_prior, np.asarray(LAYER_PRIOR_TRUST)[t_layer])
    strength = np.where(t_new, NEW_FRIEND_STRENGTH, np.asarray(LAYER_PRIOR_STRENGTH)[t_layer])
    alpha0, beta0 = prior * strength, (1.0 - prior) * strength

    # daily gain and loss per type
    total_attention = float(np.asarray(LAYER_ATTENTION)[layer].sum())
    good_content = (1.0 - p.junk_share) * p.content_per_day
    hard = p.ads_per_day + p.junk_share * p.content_per_day     # ads and junk: A + qC
    if evidence_rule is None:
        gain = (attention * p.content_gain * good_content
                + p.interaction_gain * p.interactions_per_day * attention / total_attention)
        excess_posts = max(0.0, p.ads_per_day + p.content_per_day - p.burst_free_posts)
        loss = attention * p.ad_loss * (p.asymmetry * hard + p.burst_penalty * excess_posts)
    else:
        if not callable(evidence_rule):
            raise ParameterError(f"evidence_rule must be a function (ads, content, junk, "
                                 f"replies) -> (good, bad), got {evidence_rule!r}")
        good, bad = _evidence(evidence_rule, p.ads_per_day, good_content,
                              p.junk_share * p.content_per_day,
                              p.interactions_per_day / total_attention)
        gain, loss = attention * good, attention * bad
    tie = np.asarray(TIE_STRENGTH)[t_layer]                       # w_k

    t = np.arange(1, days + 1, dtype=float)                      # days 1..D
    decay = lam ** t                                              # λ^t
    kept = _geometric(lam, t)                                     # G(t)
    alpha = alpha0[:, None] * decay + gain[:, None] * kept       # full-reading path, K × D
    beta = beta0[:, None] * decay + loss[:, None] * kept
    for day, jump in ((p.brag_day, p.brag_jump * attention),
                      (p.fake_goods_day, np.where(t_buyer, p.fake_goods_jump,
                                                  p.fake_goods_jump * p.fake_goods_spill
                                                  * attention))):
        if day is not None:
            after = t >= day
            beta[:, after] += np.asarray(jump)[:, None] * lam ** (t[after] - day)
    trust_path = _trust(alpha, beta)                              # T while still reading

    # hazards along the reading path, cumulative, and each friend's stopping day
    distrust = 1.0 - trust_path
    exposure = -np.expm1(-attention * (p.ads_per_day + p.content_per_day))
    shield = (p.tie_protection * tie)[:, None]                    # τ w_k
    mute_cum = np.cumsum(_hazard_increment(p.mute_intercept + p.mute_trust_slope * distrust
                                           + p.mute_ads_slope * hard - shield, exposure), axis=1)
    block_cum = np.cumsum(_hazard_increment(p.block_intercept + p.block_trust_slope * distrust
                                            + p.block_ads_slope * hard - shield, exposure), axis=1)
    mute_day = np.full(n, days + 1)
    block_day = np.full(n, days + 1)
    for k in range(len(type_codes)):
        members = type_of == k
        mute_day[members] = np.searchsorted(mute_cum[k], mute_clock[members], side="left") + 1
        block_day[members] = np.searchsorted(block_cum[k], block_clock[members], side="left") + 1
    stop_day = np.minimum(mute_day, block_day)                   # stops reading (days + 1: never)
    blocked_flag = block_day <= mute_day

    # who still reads (readers hold their type's path), reach and purchases
    n_types = len(type_codes)
    stops_by_day = np.zeros((n_types, days + 2))
    np.add.at(stops_by_day, (type_of, stop_day), 1.0)
    type_size = np.bincount(type_of, minlength=n_types).astype(float)
    stopped = np.cumsum(stops_by_day, axis=1)                     # stopped by the end of day j
    readers = type_size[:, None] - stopped[:, 1:days + 1]         # K × D, at the end of each day
    readers_today = type_size[:, None] - stopped[:, 0:days]       # read today, may stop tonight
    offers = attention * (p.ads_per_day + p.soft_sell * good_content)
    buy_rate = (p.max_purchase_rate * range_factor(p.products_in_range, p.range_scale)
                * trust_path ** p.trust_power * -np.expm1(-offers)[:, None])
    purchases = (readers_today * buy_rate).sum(axis=0)
    reach = (readers_today * attention[:, None]).sum(axis=0)
    blocked_by_day = np.bincount(stop_day[blocked_flag], minlength=days + 2)[1:days + 1]

    # mean trust per layer = readers on their type's path + friends who stopped reading
    layer_of_type = np.zeros((len(LAYERS), n_types))
    layer_of_type[t_layer, np.arange(n_types)] = 1.0
    layer_sum = layer_of_type @ (readers * trust_path)
    layer_sum += _stopped_trust_sums(alpha, beta, lam, type_of, stop_day, t_layer)
    layer_size = np.bincount(layer, minlength=len(LAYERS)).astype(float)
    layer_trust = np.clip(layer_sum / layer_size[:, None], 0.0, 1.0)   # 5 × D

    share_muted = 1.0 - readers.sum(axis=0) / n
    columns = {trust_column(name): layer_trust[j] for j, name in enumerate(LAYERS)}
    columns.update(trust_all=layer_sum.sum(axis=0) / n, share_muted=share_muted,
                   share_blocked=np.cumsum(blocked_by_day) / n, reach=reach,
                   expected_purchases=purchases, cumulative_purchases=np.cumsum(purchases))
    daily = pd.DataFrame(np.column_stack(list(columns.values())), columns=list(columns),
                         index=pd.RangeIndex(1, days + 1, name="day"))
    return TrustResult(p, daily, _summary(p, daily))


def _stopped_trust_sums(alpha: np.ndarray, beta: np.ndarray, lam: float, type_of: np.ndarray,
                        stop_day: np.ndarray, t_layer: np.ndarray) -> np.ndarray:
    """Σ trust per layer and day over friends who stopped reading (5 × D).

    After stopping on day τ, α only forgets: α_t = α_τ λ^(t−τ), while β follows the
    type's path, so logit T_t = log α_τ − τ log λ − (log β_t − t log λ). Friends of one
    type who stopped on the same day share a row.
    """
    days = alpha.shape[1]
    gone = stop_day <= days
    groups, counts = np.unique(type_of[gone] * (days + 1) + stop_day[gone], return_counts=True)
    g_type, g_stop = groups // (days + 1), groups % (days + 1)
    log_lam = math.log(lam)
    tiny = np.finfo(float).tiny
    t = np.arange(1, days + 1)
    start = np.log(np.maximum(alpha[g_type, g_stop - 1], tiny)) - g_stop * log_lam
    against = np.log(np.maximum(beta, tiny)) - t * log_lam        # K × D
    weights = np.zeros((len(LAYERS), len(groups)))
    weights[t_layer[g_type], np.arange(len(groups))] = counts
    sums = np.zeros((len(LAYERS), days))
    order = np.argsort(g_stop, kind="stable")
    for block in np.array_split(order, max(1, len(order) // _BLOCK_ROWS)):
        if not len(block):
            continue
        first = int(g_stop[block].min()) - 1                     # no stops before this column
        with np.errstate(over="ignore"):
            trust = 1.0 / (1.0 + np.exp(against[g_type[block], first:]
                                        - start[block, None]))    # rows × (D − first)
        trust *= t[None, first:] >= g_stop[block, None]           # before τ they were readers
        sums[:, first:] += weights[:, block] @ trust
    return sums


def _summary(p: TrustParams, daily: pd.DataFrame) -> dict[str, Any]:
    muted = daily["share_muted"].to_numpy()
    half = np.flatnonzero(muted >= 0.5)
    last = dict(zip(daily.columns, daily.to_numpy()[-1].tolist(), strict=True))
    return {
        "final_trust": {name: last[trust_column(name)] for name in LAYERS},
        "final_trust_all": last["trust_all"],
        "min_trust": {name: float(daily[trust_column(name)].to_numpy().min()) for name in LAYERS},
        "day_half_muted": int(half[0]) + 1 if len(half) else None,
        "final_share_muted": last["share_muted"],
        "final_share_blocked": last["share_blocked"],
        "final_reach": last["reach"],
        "total_expected_purchases": last["cumulative_purchases"],
        "days": int(p.days),
        "n_friends": int(p.n_friends),
    }


def day_half_muted(ads_per_day: float = 5.0, seed: int = 0, **overrides: Any) -> int | None:
    """The first day half the circle has muted the seller, for ads only (nothing else).

    Used by chapter 05's bet: "at 5 ads a day and nothing else, after how many
    days have half your friends muted you?" (``None`` if it never happens).
    """
    unknown = sorted(set(overrides) - {f.name for f in fields(TrustParams)})
    if unknown:
        raise ParameterError(f"overrides has unknown TrustParams field(s) {unknown}")
    plan = {"ads_per_day": ads_per_day, "content_per_day": 0.0, "interactions_per_day": 0.0}
    plan.update(overrides)
    return simulate_trust(TrustParams(**plan), seed=seed).summary["day_half_muted"]
