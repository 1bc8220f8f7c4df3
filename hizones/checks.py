"""The table of cross-checks every chapter ends with.

A check compares a figure derived from the briefing (with the bounds its printed precision
allows) with a claim: another printed figure, or an official one. `hizones.bounds.verdict`
decides: consistent, inconsistent, or undecidable at the printed precision.
"""
from __future__ import annotations

import html

import pandas as pd
from IPython.display import display

from .intervals import Bounds, verdict
from .data import show


SYMBOL = {"consistent": "✓", "inconsistent": "✗", "undecidable": "?"}


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
        number = len(self.rows) + 1
        self.rows.append({
            "#": number,
            "check": check,
            "derived (bounds)": show(derived, unit, digits),
            "claim": claim_label or show(claim, unit, digits),
            "verdict": v,
            "arithmetic": how,
        })
        self._mark(number, check, v)
        return v

    def anchor(self, number: int) -> str:
        """The HTML id of check ``number``: the book's check index links here."""
        return f"check-{self.chapter}-{number}"

    def _mark(self, number: int, check: str, v: str) -> None:
        """Show the verdict where the check is made, under an id the data appendix links to."""
        label = f"Check {number} ({self.chapter}): {v}. {check}"
        display({
            "text/plain": label,
            "text/html": (f'<p class="hz-check hz-{v}" id="{self.anchor(number)}" data-verdict="{v}"'
                          f' data-check="{html.escape(check)}">'
                          f'<span class="hz-verdict">{SYMBOL[v]} {v}</span> '
                          f'Check {number}: {html.escape(check)}</p>'),
        }, raw=True)

    def table(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=["#", "check", "derived (bounds)", "claim", "verdict", "arithmetic"]
                            ).set_index("#")

    def counts(self) -> dict:
        t = self.table()
        return {v: int((t["verdict"] == v).sum()) for v in ("consistent", "inconsistent", "undecidable")}
