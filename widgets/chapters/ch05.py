"""Chapter 05 · The 2017 shakeout · 2017年的洗牌.

Its bets, tables and exercise checks."""

from __future__ import annotations
