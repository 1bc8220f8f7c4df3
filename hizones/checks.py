"""The table of cross-checks every chapter ends with.

A check compares a figure derived from the briefing (with the bounds its printed precision
allows) with a claim: another printed figure, or an official one. `hizones.bounds.verdict`
decides: consistent, inconsistent, or undecidable at the printed precision.
"""
from __future__ import annotations

import pandas as pd

from .intervals import Bounds, verdict
from .data import show


class Checks:
    """Collects a chapter's checks; ``table()`` shows them, one row each."""

    def __init__(self, chapter: str):
        self.chapter = chapter
        self.rows: list[dict] = []

    def add(self, check: str, derived: Bounds, claim: Bounds, unit: str, how: str,
            digits: int = 2, claim_label: str = "") -> str:
        """Record one check and return its verdict."""
        if any(r["check"] == check for r in self.rows):
            raise ValueError(f"check {check!r} is already recorded")
        v = verdict(derived, claim)
        self.rows.append({
            "check": check,
            "derived (bounds)": show(derived, unit, digits),
            "claim": claim_label or show(claim, unit, digits),
            "verdict": v,
            "arithmetic": how,
        })
        return v

    def table(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=["check", "derived (bounds)", "claim", "verdict", "arithmetic"])

    def counts(self) -> dict:
        t = self.table()
        return {v: int((t["verdict"] == v).sum()) for v in ("consistent", "inconsistent", "undecidable")}
