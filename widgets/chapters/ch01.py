"""Chapter 01 · Everyone sells: the social-selling thesis · 人人销售：社交化销售.

Its bets, tables and exercise checks."""

from __future__ import annotations
