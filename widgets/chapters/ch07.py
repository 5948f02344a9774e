"""Chapter 07 · Capstone: design a 2.0 business · 综合项目：设计一个2.0生意.

Its bets, tables and exercise checks."""

from __future__ import annotations
