"""Rounding-aware figures.

A printed figure is a statement about an interval, not a number: ``12.33`` means
"somewhere in [12.325, 12.335]", ``超过13`` means "above 13, no upper bound". `Bounds`
carries that interval (and a unit) through +, -, x and /, so every derived figure in the book
shows how much the printed precision allows; `hizones.analysis.verdicts` says what that means
for a claim.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

INF = math.inf

#: 约 x ("about x") is read as: within ±5 % of x, on top of x's own rounding.
ABOUT_TOLERANCE = 0.05
#: 近 x ("nearly x") is read as: at most x, and no more than 10 % below it.
NEARLY_TOLERANCE = 0.10

#: The dimensionless base unit (percentages, fractions, ratios of like quantities).
RATIO = "ratio"

QUALIFIERS = ("exact", "about", "more_than", "at_least", "nearly")

_ARABIC = re.compile(r"^\d+(?:\.(\d+))?$")


class UnitError(ValueError):
    """Two figures in different units were added, subtracted or compared."""


def _mul(a: float, b: float) -> float:
    # Interval convention: 0 x inf = 0 (a bound of zero stays zero however wide the other is).
    if a == 0 or b == 0:
        return 0.0
    return a * b


def _combine_units(a: str, b: str, op: str) -> str:
    if op == "*":
        if a == RATIO:
            return b
        if b == RATIO:
            return a
        return f"{a}*{b}"
    if a == b:
        return RATIO
    if b == RATIO:
        return a
    return f"{a}/{b}"


@dataclass(frozen=True)
class Bounds:
    """A closed interval [lo, hi] in one unit; lo may be -inf and hi may be inf."""

    lo: float
    hi: float
    unit: str = RATIO

    def __post_init__(self):
        if math.isnan(self.lo) or math.isnan(self.hi):
            raise ValueError("bounds must not be NaN")
        if self.lo > self.hi:
            raise ValueError(f"lower bound {self.lo} is above upper bound {self.hi}")

    # ----- construction -------------------------------------------------------------------
    @classmethod
    def point(cls, x: float, unit: str = RATIO) -> "Bounds":
        return cls(float(x), float(x), unit)

    @classmethod
    def printed(
        cls,
        printed: str,
        value: float,
        qualifier: str = "exact",
        *,
        unit: str,
        rounds: bool = True,
        about: float = ABOUT_TOLERANCE,
        nearly: float = NEARLY_TOLERANCE,
    ) -> "Bounds":
        """Bounds of a figure as printed.

        ``printed`` is the number's text (``"12.33"``, ``"178"``, ``"1/4"``, ``"三成"``);
        ``value`` its numeric value in the printed unit, and the interval comes back in that unit,
        labelled ``unit`` ("%", "万亿元"): it cannot mix with figures in base units until it is
        ``.scaled`` there (`hz.bounds_from` does both steps). A decimal is good to half its last
        digit; an integer too when ``rounds`` (percentages, money) and exactly otherwise
        (counts of zones or firms); fractions and number words carry no rounding of their own.
        """
        if qualifier not in QUALIFIERS:
            raise ValueError(f"unknown qualifier {qualifier!r}; expected one of {QUALIFIERS}")
        v = float(value)
        m = _ARABIC.match(printed.strip().replace(",", ""))
        if m and abs(float(m.group(0)) - v) > 1e-9 * max(1.0, abs(v)):
            raise ValueError(f"the value {value!r} is not the printed {printed!r}: give the value in the unit it is "
                             f"printed in (for 20.2% that is 20.2, not 0.202), then convert with .scaled(); or use "
                             f"hz.bounds_from({printed!r}, unit), which does both")
        if m and m.group(1):
            half = 0.5 * 10 ** -len(m.group(1))
        elif m and rounds:
            half = 0.5
        else:
            half = 0.0
        if qualifier == "exact":
            return cls(v - half, v + half, unit)
        if qualifier == "about":
            return cls((v - half) * (1 - about), (v + half) * (1 + about), unit)
        if qualifier in ("more_than", "at_least"):
            return cls(v, INF, unit)
        return cls(v * (1 - nearly), v, unit)  # nearly

    # ----- properties -----------------------------------------------------------------------
    @property
    def bounded(self) -> bool:
        return math.isfinite(self.lo) and math.isfinite(self.hi)

    @property
    def mid(self) -> float:
        if not self.bounded:
            raise ValueError(f"an unbounded interval has no midpoint: {self}")
        return (self.lo + self.hi) / 2

    @property
    def width(self) -> float:
        return self.hi - self.lo

    def contains(self, x: float) -> bool:
        return self.lo <= x <= self.hi

    def overlaps(self, other: "Bounds") -> bool:
        self._same_unit(other)
        return self.lo <= other.hi and other.lo <= self.hi

    def within(self, other: "Bounds") -> bool:
        self._same_unit(other)
        return other.lo <= self.lo and self.hi <= other.hi

    # ----- arithmetic -----------------------------------------------------------------------
    def _same_unit(self, other: "Bounds") -> None:
        if self.unit != other.unit:
            raise UnitError(f"cannot combine {self.unit!r} with {other.unit!r}")

    @staticmethod
    def _lift(x) -> "Bounds":
        return x if isinstance(x, Bounds) else Bounds.point(x)

    def __add__(self, other):
        o = self._lift(other)
        if isinstance(other, Bounds):
            self._same_unit(o)
        return Bounds(self.lo + o.lo, self.hi + o.hi, self.unit)

    __radd__ = __add__

    def __neg__(self):
        return Bounds(-self.hi, -self.lo, self.unit)

    def __sub__(self, other):
        return self + (-self._lift(other) if isinstance(other, Bounds) else -other)

    def __rsub__(self, other):
        return (-self) + other

    def __mul__(self, other):
        o = self._lift(other)
        products = [_mul(a, b) for a in (self.lo, self.hi) for b in (o.lo, o.hi)]
        return Bounds(min(products), max(products), _combine_units(self.unit, o.unit, "*"))

    __rmul__ = __mul__

    def reciprocal(self) -> "Bounds":
        """1 / self. A divisor interval that contains zero gives an unbounded result."""
        lo, hi = self.lo, self.hi
        unit = RATIO if self.unit == RATIO else f"1/{self.unit}"
        if lo == 0 and hi == 0:
            raise ZeroDivisionError("division by an interval that is exactly zero")
        if lo > 0 or hi < 0:
            return Bounds(1 / hi if math.isfinite(hi) else 0.0, 1 / lo if math.isfinite(lo) else 0.0, unit)
        if lo == 0:
            return Bounds(1 / hi if math.isfinite(hi) else 0.0, INF, unit)
        if hi == 0:
            return Bounds(-INF, 1 / lo if math.isfinite(lo) else 0.0, unit)
        return Bounds(-INF, INF, unit)  # zero strictly inside: any value is possible

    def __truediv__(self, other):
        o = self._lift(other)
        r = o.reciprocal()
        out = self * Bounds(r.lo, r.hi, RATIO)
        return Bounds(out.lo, out.hi, _combine_units(self.unit, o.unit, "/"))

    def __rtruediv__(self, other):
        return self._lift(other) / self

    def monotone(self, f) -> "Bounds":
        """``f`` applied to the interval, for an ``f`` that increases over it.

        Writing ``g / (1 + g)`` with interval arithmetic counts ``g`` twice and widens the
        result (the dependency problem); mapping the end points of ``g`` does not.
        """
        return Bounds(f(self.lo), f(self.hi), self.unit)

    # ----- units --------------------------------------------------------------------------------
    def scaled(self, factor: float, unit: str) -> "Bounds":
        """The same interval expressed in another unit (``factor`` = size of old unit in new)."""
        return Bounds(_mul(self.lo, factor), _mul(self.hi, factor), unit)

    # ----- display --------------------------------------------------------------------------
    def fmt(self, digits: int = 2, scale: float = 1.0, suffix: str = "") -> str:
        """Human form: ``12.33`` for a point, ``12.33–12.34`` for an interval, ``≥ 13``."""

        def f(x: float, outward: int = 0) -> str:
            # Round bounds outward (lower down, upper up) so the shown range contains the true one;
            # the tolerance keeps 12.325 stored as 12.32499… from being pushed a digit too far.
            v = x / scale * 10**digits
            if outward < 0:
                v = math.floor(v + 1e-6)
            elif outward > 0:
                v = math.ceil(v - 1e-6)
            else:
                v = round(v)
            return f"{v / 10**digits:,.{digits}f}".replace("-", "\u2212")   # a minus sign, not a hyphen

        if self.lo == self.hi:
            body = f(self.lo)
        elif self.hi == INF and self.lo == -INF:
            body = "any value"
        elif self.hi == INF:
            body = f"≥ {f(self.lo, -1)}"
        elif self.lo == -INF:
            body = f"≤ {f(self.hi, 1)}"
        elif f(self.lo) == f(self.hi):
            body = f"≈ {f(self.lo)}"
        else:
            body = f"{f(self.lo, -1)}–{f(self.hi, 1)}"
        return body + suffix

    def __str__(self) -> str:
        return f"[{self.lo:.6g}, {self.hi:.6g}] {self.unit}"


def corner_bounds(f, *inputs: Bounds, unit: str = RATIO) -> tuple[Bounds, int]:
    """Exact bounds of ``f(*inputs)`` over the box of its inputs, and the number of corners tried.

    Plain interval arithmetic counts an input that appears twice in a formula (in a numerator
    and a denominator, say) as two independent inputs, and widens the result. When ``f`` is
    monotone in each input separately over the box, its extremes are at the corners of the box,
    so evaluating it at every corner gives the exact range. A ratio of sums each linear in every
    input is such a function, as long as its denominator keeps one sign over the box: check
    that first, or the corners say nothing about what lies between them.
    """
    import itertools

    for x in inputs:
        if not x.bounded:
            raise ValueError(f"corner_bounds needs bounded inputs, got {x}")
    values = [f(*c) for c in itertools.product(*[(x.lo, x.hi) for x in inputs])]
    return Bounds(min(values), max(values), unit), len(values)
