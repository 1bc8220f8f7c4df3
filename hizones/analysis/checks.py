"""The checks a chapter makes, and the mark each leaves on the page.

Three kinds of check (the rules are in `hizones.analysis.verdicts`):

- ``claim``: does a claim of the briefing ("over a quarter", "about twice") hold for the values
  the printed figures allow? *holds*, *fails*, or *undecidable* at the printed precision;
- ``agreement``: do two estimates of one quantity (an implied national total and NBS's) agree?
  *agree* or *disagree*;
- ``internal``: an identity or a test of the book's own coding of the data. It must pass (the
  chapter stops otherwise), is shown as such, and is never counted as a verdict on the briefing.

A claim or an agreement carries its *finding*: one or two plain sentences, written where the
check is made, for each outcome the author has considered (``findings={"fails": "…"}``), with
``{derived}``, ``{claim}`` and ``{share}`` filled in from the figures. An outcome with no sentence
stops the chapter (`CheckChanged`): a corrected figure that turns a verdict round cannot publish
prose written for the other verdict.

Where a check is made it leaves a mark: an element whose ``data-hz-check`` attribute holds the
record as JSON. The book's Sphinx extension reads the marks back with :func:`read_marks`, the one
reader of the one format :func:`mark_html` writes, to build the findings page, each chapter's
"In short" box and the index of every check.
"""
from __future__ import annotations

import html
import json
from html.parser import HTMLParser

from IPython.display import display

from ..sources.i18n import _, translated
from . import figures
from .intervals import Bounds
from .verdicts import OUTCOMES, Verdict, verdict

SYMBOL = {"holds": "✓", "agree": "✓", "fails": "✗", "disagree": "✗", "undecidable": "?", "passes": "·"}
#: The attribute of a check's mark that holds the check as JSON.
MARK = "data-hz-check"


class CheckChanged(Exception):
    """A check came out with an outcome its author wrote no finding for."""


def anchor(chapter: str, number: int) -> str:
    """The HTML id of a chapter's check ``number``: the book's pages link here."""
    return f"check-{chapter}-{number}"


def mark_html(record: dict) -> str:
    """What a reader sees where a check is made; ``record`` is what `read_marks` returns."""
    v, data = record["verdict"], html.escape(json.dumps(record, ensure_ascii=False, sort_keys=True), quote=True)
    if record["kind"] == "note":
        return f'<div class="hz-note-mark" hidden {MARK}="{data}"></div>'
    if record["kind"] == "internal":
        return (f'<p class="hz-check hz-internal" id="{record["anchor"]}" {MARK}="{data}">'
                f'<span class="hz-verdict">{SYMBOL[v]} {_("internal check passes")}</span> '
                f'{html.escape(record["name"])}</p>')
    return (f'<div class="hz-check hz-{v}" id="{record["anchor"]}" {MARK}="{data}">'
            f'<p><span class="hz-verdict">{SYMBOL[v]} {html.escape(record["phrase"])}</span> '
            f'<span class="hz-check-kind">{_(record["kind"])} {record["number"]}</span> '
            f'{html.escape(record["name"])}</p>'
            f'<p class="hz-finding">{html.escape(record["finding"])}</p></div>')


class _Marks(HTMLParser):
    def __init__(self, attribute: str):
        super().__init__()
        self.attribute = attribute
        self.found: list[dict] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == self.attribute and value:
                self.found.append(json.loads(value))


def read_marks(text: str, attribute: str = MARK) -> list[dict]:
    """Every record marked in an HTML fragment, in order: the checks `mark_html` wrote, or (with
    ``attribute=hizones.analysis.answers.MARK``) the answers solutions recorded."""
    if attribute not in text:
        return []
    parser = _Marks(attribute)
    parser.feed(text)
    return parser.found


#: Order of findings in a chapter's "In short" box: what fails first, then what is open, then the rest.
PRIORITY = {"fails": 0, "disagree": 0, "undecidable": 1, "": 2, "agree": 3, "holds": 3}


def in_short(records: list[dict]) -> list[dict]:
    """A chapter's findings for its "In short" box: five at most, failures first, and no more than
    two of one verdict (variety over repetition); notes always count."""
    found = [r for r in records if r["kind"] in ("claim", "agreement", "note")]
    ranked = sorted(found, key=lambda r: (PRIORITY.get(r["verdict"], 2), r["number"] or 99))
    chosen, per_verdict = [], {}
    for r in ranked:
        per_verdict[r["verdict"]] = per_verdict.get(r["verdict"], 0) + 1
        if (per_verdict[r["verdict"]] <= 2 or r["kind"] == "note") and len(chosen) < 5:
            chosen.append(r)
    return chosen


def source_of(fid: str) -> str:
    """Whose figure ``fid`` is: ``briefing``, ``official`` (official statistics) or ``other``."""
    ctx = figures.context()
    if fid not in ctx.index:
        return "briefing"
    return "official" if ctx.loc[fid, "source_kind"] == "official_statistics" else "other"


def _side(value, unit: str, digits: int, label: str | None) -> tuple[Bounds, str, str]:
    """A claim or reference given as a figure's id or as bounds: its bounds, label and source."""
    if isinstance(value, str):
        return figures.bounds(value), _(label) if label else figures.printed(value), source_of(value)
    return value, _(label) if label else figures.show(value, unit, digits), "briefing"


class Checks:
    """A chapter's checks, in the order they are made."""

    def __init__(self, chapter: str):
        self.chapter = chapter
        self.records: list[dict] = []

    def _record(self, kind: str, name: str, v: Verdict, derived: str, claim: str, how: str,
                against: str, finding: str) -> dict:
        name, how = _(name), _(how)
        if any(r["name"] == name for r in self.records):
            raise ValueError(f"check {name!r} is already recorded")
        number = sum(r["kind"] != "note" for r in self.records) + 1
        record = {"chapter": self.chapter, "number": number, "anchor": anchor(self.chapter, number),
                  "kind": kind, "name": name, "verdict": str(v), "phrase": v.phrase, "share": v.share,
                  "derived": derived, "claim": claim, "how": how, "against": against, "finding": finding}
        self.records.append(record)
        display({"text/plain": f"{kind} {number}: {v.phrase}. {name}", "text/html": mark_html(record)}, raw=True)
        return record

    def _verdict_check(self, kind, name, derived, other, unit, how, findings, digits, label) -> Verdict:
        bounds, shown, against = _side(other, unit, digits, label)
        v = verdict(derived, bounds, kind)
        unknown = set(findings) - set(OUTCOMES[kind])
        if unknown:
            raise ValueError(f"check {name!r}: findings for outcomes a {kind} cannot have: {sorted(unknown)}")
        if v not in findings:
            raise CheckChanged(f"check {name!r} came out {v.phrase!r}, but its finding was written for "
                               f"{sorted(findings)}: review the chapter's prose, then write the finding")
        values = {"derived": figures.show(derived, unit, digits), "claim": shown,
                  "share": f"{v.share:.0%}" if v.share is not None else "some"}
        self._record(kind, name, v, values["derived"], shown, how, against, translated(findings[v], **values))
        return v

    def claim(self, name: str, derived: Bounds, claim: Bounds | str, *, unit: str, how: str,
              findings: dict[str, str], digits: int = 2, label: str | None = None) -> Verdict:
        """Does the claim (a figure's id, or the bounds it allows, with ``label``) hold for
        ``derived``? Returns the verdict: holds, fails or undecidable."""
        return self._verdict_check("claim", name, derived, claim, unit, how, findings, digits, label)

    def agreement(self, name: str, derived: Bounds, reference: Bounds | str, *, unit: str, how: str,
                  findings: dict[str, str], digits: int = 2, label: str | None = None) -> Verdict:
        """Do ``derived`` and a second estimate of the same quantity (a figure's id, or bounds with
        ``label``) agree at the printed precision? Returns agree or disagree."""
        return self._verdict_check("agreement", name, derived, reference, unit, how, findings, digits, label)

    def internal(self, name: str, derived: Bounds, expected: Bounds | str, *, unit: str, how: str,
                 digits: int = 0, label: str | None = None) -> Verdict:
        """An identity or a test of the book's own data, shown as such; raises if it fails."""
        bounds, shown, against = _side(expected, unit, digits, label)
        v = verdict(derived, bounds, "internal")
        self._record("internal", name, v, figures.show(derived, unit, digits), shown, how, against, "")
        return v

    def note(self, finding: str, **values: str) -> None:
        """A finding of the chapter that is not a check (a count, a ranking): for its "In short" box.
        Figures go in as ``values`` of the template ``finding`` (``"… {share} …", share=…``), so that
        the sentence is translated once and the figures are filled in."""
        finding = translated(finding, **{k: _(v) if isinstance(v, str) else v for k, v in values.items()})
        self.records.append({"chapter": self.chapter, "number": 0, "anchor": "", "kind": "note", "name": "",
                             "verdict": "", "phrase": "", "share": None, "derived": "", "claim": "", "how": "",
                             "against": "", "finding": finding})
        display({"text/plain": "", "text/html": mark_html(self.records[-1])}, raw=True)

    def verdicts(self) -> list[dict]:
        """The claims and agreements: the checks that are verdicts on the briefing."""
        return [r for r in self.records if r["kind"] in ("claim", "agreement")]

    def internals(self) -> list[dict]:
        return [r for r in self.records if r["kind"] == "internal"]
