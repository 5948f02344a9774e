#!/usr/bin/env python3
"""Generate chapter 6's synthetic behaviour log (seeded, so every run is identical).

Writes ``synthetic_behaviour_log.csv`` next to this script: one row per event of 200
invented followers of one 微商 2.0 seller over 90 days (views, likes, comments, shares,
purchases, reviews and product suggestions), for the user-portrait (用户画像) exercise.

Nothing here is measured. Each follower belongs to a hidden behaviour type and has one main
interest; both, and every rate below, are the course's assumptions, chosen so the exercise
has a clear answer that only the data reveals (the biggest interest group is not the one that
gives the most feedback). The hidden type is not written to the CSV. Usage::

    python datasets/make_synthetic_behaviour_log.py            # write the CSV here
    python datasets/make_synthetic_behaviour_log.py --out DIR  # write it elsewhere
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
FILE_NAME = "synthetic_behaviour_log.csv"
SEED = 4004  # chapter 6, article 004 [Weishang 2.0 n.d.]
DAYS = 90
EVENTS = ("view", "like", "comment", "share", "purchase", "review", "suggestion")
CATEGORIES = ("skin_care", "tea", "snacks", "home")
# Share of a follower's events in their main interest; the rest spread over the others.
MAIN_INTEREST_SHARE = 0.8

# Hidden behaviour types: (name, followers, expected events per 90 days in EVENTS order,
# order value in 元 (mean, sd), probabilities of each main interest in CATEGORIES order).
# All assumptions.
TYPES = (
    ("co_creator", 26, (40, 15, 10, 6, 4, 3, 3), (120.0, 30.0), (0.15, 0.6, 0.1, 0.15)),
    ("bargain_hunter", 54, (30, 4, 1, 1, 2.5, 0.3, 0.1), (50.0, 15.0), (0.5, 0.1, 0.3, 0.1)),
    ("gift_buyer", 40, (8, 1, 0.5, 0.5, 1.2, 0.2, 0.05), (300.0, 80.0), (0.4, 0.3, 0.1, 0.2)),
    ("lurker", 80, (12, 2, 0.3, 0.2, 0.1, 0.0, 0.0), (80.0, 20.0), (0.45, 0.1, 0.3, 0.15)),
)


def make_behaviour_log(seed: int = SEED) -> pd.DataFrame:
    """One row per event: event_id, user_id, day, event, category, amount_yuan."""
    rng = np.random.default_rng(seed)
    n_users = sum(t[1] for t in TYPES)
    order = rng.permutation(n_users)  # user ids do not reveal the hidden type
    parts, first = [], 0
    for _name, count, rates, (price_mean, price_sd), interests in TYPES:
        ids = order[first:first + count]
        first += count
        main = rng.choice(len(CATEGORIES), size=count, p=interests)
        counts = rng.poisson(np.asarray(rates, dtype=float), size=(count, len(EVENTS)))
        per_user = counts.sum(axis=1)
        user = np.repeat(ids, per_user)
        event = np.concatenate([np.repeat(np.arange(len(EVENTS)), row) for row in counts])
        own = rng.random(user.size) < MAIN_INTEREST_SHARE
        other = rng.integers(0, len(CATEGORIES), size=user.size)
        category = np.where(own, np.repeat(main, per_user), other)
        price = np.clip(rng.normal(price_mean, price_sd, size=user.size), 9.9, None)
        amount = np.where(event == EVENTS.index("purchase"), np.round(price, 1), 0.0)
        parts.append(pd.DataFrame({
            "user_id": [f"U{i + 1:03d}" for i in user],
            "day": rng.integers(1, DAYS + 1, size=user.size),
            "event": np.asarray(EVENTS)[event],
            "category": np.asarray(CATEGORIES)[category],
            "amount_yuan": amount,
        }))
    log = pd.concat(parts, ignore_index=True)
    log = log.sort_values(["day", "user_id", "event", "category", "amount_yuan"],
                          kind="mergesort").reset_index(drop=True)
    log.insert(0, "event_id", [f"E{i:05d}" for i in range(1, len(log) + 1)])
    return log


def write(folder: Path = HERE) -> Path:
    """Write the CSV into ``folder`` and return its path."""
    path = Path(folder) / FILE_NAME
    make_behaviour_log().to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write the CSV into")
    print(write(parser.parse_args().out))
