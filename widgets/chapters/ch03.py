"""Chapter 03 · Four stages of 微商 · 微商的四个阶段.

Its bets, tables and exercise checks."""

from __future__ import annotations
