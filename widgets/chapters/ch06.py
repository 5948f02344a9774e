"""Chapter 06 · 微商 2.0 · 微商2.0.

Its bets, tables and exercise checks."""

from __future__ import annotations
