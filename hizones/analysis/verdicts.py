"""What a check finds at the printed precision: the rule for each kind of check.

Every figure of the briefing is an interval (`hizones.analysis.intervals`), so a derived figure
is a range, and a check asks how that range sits against what is claimed.
"""
from __future__ import annotations

from ..sources.i18n import _, translated
from .intervals import Bounds

#: What a check can find, by its kind.
#: - a *claim* ("over a quarter", "about twice") holds for every value the printed figures allow,
#:   fails for every one, or is undecidable at the printed precision (holds for some, not others);
#: - an *agreement*: two estimates of one quantity (an implied national total and NBS's) agree
#:   when some value is allowed by both, and disagree when none is;
#: - an *internal* check tests the book's own coding of the data or an identity; it must pass.
OUTCOMES = {"claim": ("holds", "fails", "undecidable"), "agreement": ("agree", "disagree"),
            "internal": ("passes",)}
#: The outcomes that count as a verdict on the briefing (internal checks are not verdicts).
VERDICTS = OUTCOMES["claim"] + OUTCOMES["agreement"]


class Verdict(str):
    """The outcome of a check, as its word (``"holds"``, ``"undecidable"`` …), with its ``kind``
    and, for an undecidable claim over a bounded range, the ``share`` of that range for which
    the claim holds."""

    kind: str
    share: float | None

    def __new__(cls, outcome: str, kind: str, share: float | None = None):
        if outcome not in OUTCOMES.get(kind, ()):
            raise ValueError(f"{outcome!r} is not an outcome of a {kind!r} check: {OUTCOMES.get(kind)}")
        v = super().__new__(cls, outcome)
        v.kind, v.share = kind, share
        return v

    @property
    def phrase(self) -> str:
        """The outcome in words, in the edition's language:
        ``undecidable (holds for 28% of the allowed range)``."""
        if self == "undecidable" and self.share is not None:
            return translated("undecidable (holds for {share} of the allowed range)", share=f"{self.share:.0%}")
        return _(str(self))


def holding_share(derived: Bounds, claim: Bounds) -> float | None:
    """The share of ``derived``'s range that lies inside ``claim`` (None if ``derived`` is
    unbounded or a point): how much of what the printed figures allow satisfies the claim."""
    if not derived.bounded or derived.width == 0:
        return None
    inside = max(0.0, min(derived.hi, claim.hi) - max(derived.lo, claim.lo))
    return inside / derived.width


def verdict(derived: Bounds, claim: Bounds, kind: str = "claim") -> Verdict:
    """What a derived figure says about a claim, or about a second estimate, at the printed precision.

    ``kind="claim"`` (``claim`` is the range the claim allows, e.g. ``[0.25, inf)`` for "over a
    quarter"): *holds* if every value ``derived`` allows lies in it, *fails* if none does,
    *undecidable* otherwise, with the share of ``derived``'s range that satisfies it.
    ``kind="agreement"`` (``claim`` is another estimate of the same quantity): *agree* if the two
    ranges share a value, *disagree* if they do not. ``kind="internal"``: *passes* only if every
    value lies in ``claim`` (an internal check that does not raises ``ValueError``).
    """
    overlap = derived.overlaps(claim)
    if kind == "agreement":
        return Verdict("agree" if overlap else "disagree", kind)
    if kind == "internal":
        if not derived.within(claim):
            raise ValueError(f"internal check failed: {derived} is not within {claim}")
        return Verdict("passes", kind)
    if derived.within(claim):
        return Verdict("holds", kind)
    if not overlap:
        return Verdict("fails", kind)
    return Verdict("undecidable", kind, holding_share(derived, claim))
