"""Chapter 6 helpers (微商 2.0): bet answers computed by the models, and the chapter's tables.

Each answer is computed by a model at reveal time, never written down, so the bet stays
true if a model's assumptions change.
"""

from __future__ import annotations

from pandas.io.formats.style import Styler

from widgets.apps.bet import Bet, build_bet
from widgets.apps.tables import captioned
from widgets.data import load_dataset, source_note
from widgets.models.atomisation_funnel import compare_sellers
from widgets.models.tier_simulator import compare_modes

AGENT, PROSUMER, SAME = "The 1.0 agent", "The 2.0 prosumer", "About the same"


def funnel_customer_ratio(months: int = 24) -> float:
    """2.0 seller's customers ÷ 1.0 seller's customers after ``months`` (funnel presets)."""
    runs = compare_sellers(months=months)
    return runs["2.0"].summary["customers"] / max(runs["1.0"].summary["customers"], 1e-9)


def median_profits(seed: int = 0) -> dict[str, float]:
    """Median one-year cash profit (元) of a 1.0 agent and a 2.0 prosumer on the same market."""
    runs = compare_modes(seed=seed, deterministic=True)
    return {mode: float(runs[mode].summary["median_agent_profit"]) for mode in ("1.0", "2.0")}


def agent_or_prosumer(seed: int = 0, margin: float = 0.05) -> str:
    """Who earns more after a year (median): the option text of ``agent_vs_prosumer``.

    Within ``margin`` (relative to the larger absolute median) counts as "about the same".
    """
    profits = median_profits(seed)
    gap = profits["2.0"] - profits["1.0"]
    scale = max(abs(profits["1.0"]), abs(profits["2.0"]), 1.0)
    if abs(gap) <= margin * scale:
        return SAME
    return PROSUMER if gap > 0 else AGENT


def build_funnel_ratio_bet() -> Bet:
    """The chapter's first bet, answered by the funnel model."""
    return build_bet("ch06", "funnel_ratio", answer=funnel_customer_ratio)


def build_agent_or_prosumer_bet() -> Bet:
    """The side-by-side bet, answered by the tier simulator (1.0 vs 2.0, deterministic)."""
    return build_bet("ch06", "agent_vs_prosumer", answer=agent_or_prosumer)


def symptoms_table() -> Styler:
    """The six symptoms of 微商 1.0 (dataset ``symptoms_1_0``), captioned with its source."""
    data = load_dataset("symptoms_1_0").sort_values("order")
    table = data[["order", "symptom_zh", "symptom_en", "explanation_en"]].set_index("order")
    return captioned(table, source_note("symptoms_1_0"))


def links_table() -> Styler:
    """The five links of customer atomisation with their data and organisation forms."""
    data = load_dataset("atomisation").sort_values("order")
    table = data[["link_en", "link_zh", "data_en", "data_zh", "organisation_en",
                  "organisation_zh"]].set_index(data["order"])
    return captioned(table, source_note("atomisation"))
