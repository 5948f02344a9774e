#!/usr/bin/env python3
"""Generate the synthetic tables of chapters 1 and 4 (seeded, so every run is identical).

Writes three CSVs next to this script:

- ``synthetic_contacts.csv`` — one seller's WeChat contact list, with the raw
  measures of Granovetter's four tie-strength dimensions (chapter 1);
- ``synthetic_community.csv`` — members of a seller's community, by circle
  (圈层), with last year's orders and spend (chapter 4);
- ``synthetic_ab_posts.csv`` — who replied to / ordered from two friend-circle
  posts A and B (直复营销, chapter 4).

Nothing here is measured: the distributions are the course's assumptions,
chosen to make the exercises instructive. Usage::

    python datasets/make_synthetic_ch01_ch04.py            # write the CSVs here
    python datasets/make_synthetic_ch01_ch04.py --out DIR  # write them elsewhere
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
SEED_CONTACTS = 2014  # chapter 1's source year
SEED_COMMUNITY = 2015
SEED_POSTS = 2016

# Contact groups: (met_via, count, hours/month range, emotion 1–5 range, intimacy 1–5 range,
# favours/year range). All assumptions.
CONTACT_GROUPS = (
    ("family", 8, (6.0, 30.0), (4, 5), (3, 5), (6, 24)),
    ("close_friend", 12, (4.0, 20.0), (3, 5), (3, 5), (4, 18)),
    ("colleague", 30, (2.0, 40.0), (1, 3), (1, 3), (1, 10)),
    ("classmate", 30, (0.0, 3.0), (1, 4), (1, 3), (0, 4)),
    ("hobby_group", 20, (0.5, 8.0), (2, 4), (1, 4), (0, 8)),
    ("mass_added", 50, (0.0, 0.3), (1, 1), (1, 1), (0, 0)),
)

# Circles: (circle, circle_zh, members, orders/year mean, average order 元 (mean, sd),
# referrals/year mean). All assumptions.
CIRCLES = (
    ("office_workers", "白领", 300, 3.0, (85.0, 25.0), 0.4),
    ("new_mothers", "宝妈", 70, 5.5, (120.0, 30.0), 1.2),
    ("students", "学生", 120, 2.5, (45.0, 12.0), 0.6),
    ("fitness_fans", "健身", 50, 4.0, (95.0, 25.0), 0.8),
    ("skin_care_fans", "护肤达人", 40, 4.5, (110.0, 30.0), 1.0),
)

# Posts: true response rates (assumptions). A = photo + price list; B = own-use story.
POSTS = {"A": {"replied": 0.06, "ordered": 0.025}, "B": {"replied": 0.12, "ordered": 0.035}}
RECIPIENTS_PER_POST = 600


def make_contacts(seed: int = SEED_CONTACTS) -> pd.DataFrame:
    """One row per contact: how they were met and the four tie-strength measures."""
    rng = np.random.default_rng(seed)
    parts = []
    for met_via, count, hours, emotion, intimacy, favours in CONTACT_GROUPS:
        parts.append(pd.DataFrame({
            "met_via": met_via,
            "hours_per_month": np.round(rng.uniform(*hours, size=count), 1),
            "emotional_intensity": rng.integers(emotion[0], emotion[1] + 1, size=count),
            "intimacy": rng.integers(intimacy[0], intimacy[1] + 1, size=count),
            "favours_per_year": rng.integers(favours[0], favours[1] + 1, size=count),
        }))
    contacts = pd.concat(parts, ignore_index=True)
    contacts = contacts.iloc[rng.permutation(len(contacts))].reset_index(drop=True)
    contacts.insert(0, "contact_id", [f"C{i:03d}" for i in range(1, len(contacts) + 1)])
    return contacts


def make_community(seed: int = SEED_COMMUNITY) -> pd.DataFrame:
    """One row per community member: circle, orders, average order value, referrals."""
    rng = np.random.default_rng(seed)
    parts = []
    for circle, circle_zh, members, orders, (mean, sd), referrals in CIRCLES:
        parts.append(pd.DataFrame({
            "circle": circle,
            "circle_zh": circle_zh,
            "orders_last_year": rng.poisson(orders, size=members),
            "avg_order_yuan": np.round(np.clip(rng.normal(mean, sd, size=members), 10.0, None), 1),
            "referrals_last_year": rng.poisson(referrals, size=members),
        }))
    community = pd.concat(parts, ignore_index=True)
    community = community.iloc[rng.permutation(len(community))].reset_index(drop=True)
    community.insert(0, "member_id", [f"M{i:03d}" for i in range(1, len(community) + 1)])
    return community


def make_ab_posts(seed: int = SEED_POSTS) -> pd.DataFrame:
    """One row per friend shown a post: which post, and whether they replied / ordered.

    An order implies a reply in this table (you ask before you buy).
    """
    rng = np.random.default_rng(seed)
    parts = []
    for post, rates in POSTS.items():
        ordered = rng.random(RECIPIENTS_PER_POST) < rates["ordered"]
        # P(reply | no order) chosen so that the overall reply rate matches rates["replied"]
        extra = (rates["replied"] - rates["ordered"]) / (1.0 - rates["ordered"])
        replied = ordered | (rng.random(RECIPIENTS_PER_POST) < extra)
        parts.append(pd.DataFrame({"post": post, "replied": replied, "ordered": ordered}))
    posts = pd.concat(parts, ignore_index=True)
    posts = posts.iloc[rng.permutation(len(posts))].reset_index(drop=True)
    posts.insert(0, "recipient_id", [f"R{i:04d}" for i in range(1, len(posts) + 1)])
    return posts


TABLES = {
    "synthetic_contacts.csv": make_contacts,
    "synthetic_community.csv": make_community,
    "synthetic_ab_posts.csv": make_ab_posts,
}


def write_all(out: Path = HERE) -> list[Path]:
    """Write every table as UTF-8 CSV (LF line ends) into ``out``; return the paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, make in TABLES.items():
        path = out / name
        make().to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write the CSVs into")
    for path in write_all(parser.parse_args().out):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
