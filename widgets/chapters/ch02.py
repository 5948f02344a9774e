"""Chapter 02 · Which products sell through friends · 什么产品适合朋友圈.

Its bets, tables and exercise checks."""

from __future__ import annotations
