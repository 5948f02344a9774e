"""Chapter 04 · Five characteristics of 微商 · 微商的五大特性.

Its bets, tables and exercise checks."""

from __future__ import annotations
