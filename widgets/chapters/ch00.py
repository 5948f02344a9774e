"""Chapter 00 · Start here · 从这里开始.

Its bets, tables and exercise checks."""

from __future__ import annotations
