"""The checks a chapter makes, and the mark each leaves on the page.

A check compares a figure derived from the briefing (with the bounds its printed precision
allows) with a claim: another printed figure, or an official one. `hizones.analysis.intervals.verdict`
decides: consistent, inconsistent, or undecidable at the printed precision.

Where a check is made, it leaves a mark in the chapter's output: a paragraph whose
``data-hz-check`` attribute holds the check as JSON. The book's Sphinx extension reads the
marks back with :func:`read_marks`, the one reader of the one format :func:`mark_html` writes,
to build the index of every check.
"""
from __future__ import annotations

import html
import json
from html.parser import HTMLParser

import pandas as pd
from IPython.display import display

from .figures import show
from .intervals import VERDICTS, Bounds, verdict

SYMBOL = {"consistent": "✓", "inconsistent": "✗", "undecidable": "?"}
#: The attribute of a check's mark that holds the check as JSON.
MARK = "data-hz-check"
COLUMNS = ["#", "check", "derived (bounds)", "claim", "verdict", "arithmetic"]


def anchor(chapter: str, number: int) -> str:
    """The HTML id of a chapter's check ``number``: the book's check index links here."""
    return f"check-{chapter}-{number}"


def mark_html(record: dict) -> str:
    """The paragraph that shows a check where it is made; ``record`` is what `read_marks` returns."""
    v = record["verdict"]
    data = html.escape(json.dumps(record, ensure_ascii=False, sort_keys=True), quote=True)
    return (f'<p class="hz-check hz-{v}" id="{record["anchor"]}" {MARK}="{data}">'
            f'<span class="hz-verdict">{SYMBOL[v]} {v}</span> '
            f'Check {record["number"]}: {html.escape(record["check"])}</p>')


class _Marks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[dict] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == MARK and value:
                self.found.append(json.loads(value))


def read_marks(text: str) -> list[dict]:
    """Every check marked in an HTML fragment, in order (the records `mark_html` wrote)."""
    parser = _Marks()
    parser.feed(text)
    return parser.found


class Checks:
    """Collects a chapter's checks; ``table()`` shows them, one row each."""

    def __init__(self, chapter: str):
        self.chapter = chapter
        self.rows: list[dict] = []

    def add(self, check: str, derived: Bounds, claim: Bounds, unit: str, how: str,
            digits: int = 2, claim_label: str = "") -> str:
        """Record one check, show its mark, and return its verdict."""
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
        record = {"chapter": self.chapter, "number": number, "anchor": anchor(self.chapter, number),
                  "check": check, "verdict": v}
        display({"text/plain": f"Check {number} ({self.chapter}): {v}. {check}",
                  "text/html": mark_html(record)}, raw=True)
        return v

    def table(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=COLUMNS).set_index("#")

    def counts(self) -> dict:
        t = self.table()
        return {v: int((t["verdict"] == v).sum()) for v in VERDICTS}
