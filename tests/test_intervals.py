"""The rounding-aware arithmetic every derived figure in the book rests on."""
import math

import pytest

from hizones.analysis.intervals import ABOUT_TOLERANCE, INF, NEARLY_TOLERANCE, RATIO, Bounds, UnitError
from hizones.analysis.verdicts import verdict


def approx(b: Bounds, lo, hi):
    return b.lo == pytest.approx(lo) and b.hi == pytest.approx(hi)


# ----- from printed figures ---------------------------------------------------------------------
def test_decimal_is_good_to_half_its_last_digit():
    assert approx(Bounds.printed("12.33", 12.33, unit=RATIO), 12.325, 12.335)
    assert approx(Bounds.printed("8.7", 8.7, unit=RATIO), 8.65, 8.75)
    assert approx(Bounds.printed("58.10", 58.10, unit=RATIO), 58.095, 58.105)  # a trailing zero is precision


def test_integer_rounds_only_in_units_that_round():
    assert approx(Bounds.printed("22", 22, rounds=True, unit=RATIO), 21.5, 22.5)
    assert Bounds.printed("178", 178, rounds=False, unit=RATIO) == Bounds(178, 178)


def test_more_than_and_at_least_have_no_upper_bound():
    b = Bounds.printed("13", 13, "more_than", unit=RATIO)
    assert b.lo == 13 and b.hi == INF and not b.bounded
    assert Bounds.printed("60", 60, "at_least", unit=RATIO) == Bounds(60, INF)


def test_about_widens_rounding_by_the_stated_tolerance():
    b = Bounds.printed("80", 80, "about", unit=RATIO)
    assert approx(b, 79.5 * (1 - ABOUT_TOLERANCE), 80.5 * (1 + ABOUT_TOLERANCE))
    wide = Bounds.printed("80", 80, "about", about=0.10, unit=RATIO)
    assert wide.lo < b.lo and wide.hi > b.hi


def test_nearly_is_at_most_the_value():
    b = Bounds.printed("三成", 3, "nearly", unit=RATIO)
    assert approx(b, 3 * (1 - NEARLY_TOLERANCE), 3)


def test_fraction_words_carry_no_rounding_of_their_own():
    assert Bounds.printed("1/4", 0.25, unit=RATIO) == Bounds(0.25, 0.25)


def test_unknown_qualifier_is_refused():
    with pytest.raises(ValueError, match="unknown qualifier"):
        Bounds.printed("1", 1, "roughly", unit=RATIO)


def test_inverted_or_nan_bounds_are_refused():
    with pytest.raises(ValueError):
        Bounds(2, 1)
    with pytest.raises(ValueError):
        Bounds(math.nan, 1)


# ----- arithmetic ------------------------------------------------------------------------------
def test_add_and_subtract():
    a, b = Bounds(1, 2, "yuan"), Bounds(10, 20, "yuan")
    assert a + b == Bounds(11, 22, "yuan")
    assert b - a == Bounds(8, 19, "yuan")  # widest difference: lo - hi, hi - lo
    assert 1 + Bounds(0.1, 0.2) == Bounds(1.1, 1.2)


def test_units_must_agree_for_sums():
    with pytest.raises(UnitError):
        Bounds(1, 2, "yuan") + Bounds(1, 2, "firm")
    with pytest.raises(UnitError):
        Bounds(1, 2, "yuan").overlaps(Bounds(1, 2, "ratio"))


def test_multiply_takes_extremes_over_signs():
    assert Bounds(-1, 2) * Bounds(-3, 4) == Bounds(-6, 8)
    product = Bounds(2, 3, "yuan") * Bounds(0.1, 0.2)
    assert product.unit == "yuan" and approx(product, 0.2, 0.6)


def test_zero_times_unbounded_is_zero():
    assert Bounds(0, 1) * Bounds(2, INF) == Bounds(0, INF)


def test_division_and_units():
    r = Bounds(12.325, 12.335, "yuan") / Bounds(1.07105, 1.07115)
    assert r.unit == "yuan" and r.lo == pytest.approx(12.325 / 1.07115) and r.hi == pytest.approx(12.335 / 1.07105)
    share = Bounds(7, 8, "yuan") / Bounds(10, 20, "yuan")
    assert share.unit == "ratio" and approx(share, 0.35, 0.8)
    assert (Bounds(6, 6, "yuan") / Bounds(2, 3, "firm")).unit == "yuan/firm"


def test_divisor_containing_zero_is_unbounded():
    assert Bounds(1, 2) / Bounds(-1, 1) == Bounds(-INF, INF)
    assert Bounds(1, 2) / Bounds(0, 4) == Bounds(0.25, INF)
    assert Bounds(1, 2) / Bounds(-4, 0) == Bounds(-INF, -0.25)
    with pytest.raises(ZeroDivisionError):
        Bounds(1, 2) / Bounds(0, 0)


def test_ratio_of_two_lower_bounds_says_nothing():
    # "over 13 trillion" / "over 37 trillion": anything from 0 up is possible.
    r = Bounds(13, INF, "yuan") / Bounds(37, INF, "yuan")
    assert r == Bounds(0, INF)
    assert verdict(r, Bounds(0.25, INF)) == "undecidable"


def test_lower_bound_over_a_bounded_divisor_keeps_a_lower_bound():
    r = Bounds(13, INF, "yuan") / Bounds(37.655, 37.665, "yuan")
    assert r.lo == pytest.approx(13 / 37.665) and r.hi == INF


def test_scaled_converts_units_once():
    b = Bounds.printed("12.33", 12.33, unit=RATIO).scaled(1e12, "yuan")
    assert b.unit == "yuan" and b.lo == pytest.approx(12.325e12)


# ----- verdicts --------------------------------------------------------------------------------
def test_a_claim_holds_only_for_every_allowed_value():
    assert verdict(Bounds(1, 2), Bounds(0, 5)) == "holds"
    assert verdict(Bounds(0.3, INF), Bounds(0.25, INF)) == "holds"
    assert verdict(Bounds(1.5, 1.5), Bounds(1, 2)) == "holds"


def test_a_claim_fails_only_for_every_allowed_value():
    assert verdict(Bounds(1, 2), Bounds(3, 4)) == "fails"
    assert verdict(Bounds(1.44, 1.56), Bounds(1.9, 2.1)) == "fails"


def test_a_claim_that_holds_for_some_values_is_undecidable_with_its_share():
    # Zhongguancun's case: a derived 2.5–25.0 against a claim of at most 8.7
    v = verdict(Bounds(2.5, 25.0), Bounds(-INF, 8.7))
    assert v == "undecidable" and v.kind == "claim"
    assert v.share == pytest.approx((8.7 - 2.5) / (25.0 - 2.5))
    assert "28% of the allowed range" in v.phrase
    assert verdict(Bounds(-0.4, 0.6), Bounds(0, INF)).share == pytest.approx(0.6)   # grew, or shrank
    # overlapping bounded ranges are no longer "consistent": only part of the range satisfies the claim
    assert verdict(Bounds(1, 3), Bounds(2, 4)) == "undecidable"
    # an unbounded derived range has no share to give
    assert verdict(Bounds(0.2, INF), Bounds(0.25, INF)).share is None


def test_two_estimates_agree_when_their_ranges_share_a_value():
    assert verdict(Bounds(1, 3), Bounds(2, 4), "agreement") == "agree"
    assert verdict(Bounds(1, 2), Bounds(1.5, 1.5), "agreement") == "agree"
    assert verdict(Bounds(1, 2), Bounds(2.1, 3), "agreement") == "disagree"


def test_an_internal_check_must_pass():
    assert verdict(Bounds(1, 2), Bounds(0, 5), "internal") == "passes"
    with pytest.raises(ValueError, match="internal check failed"):
        verdict(Bounds(1, 3), Bounds(2, 4), "internal")


def test_a_verdict_belongs_to_its_kind():
    from hizones.analysis.verdicts import Verdict

    with pytest.raises(ValueError):
        Verdict("agree", "claim")
    with pytest.raises(ValueError):
        Verdict("holds", "agreement")


def test_fmt():
    assert Bounds(12.33, 12.33).fmt() == "12.33"
    assert Bounds(11.5063, 11.5167).fmt() == "11.50–11.52"
    assert Bounds(11.5063, 11.5087).fmt() == "≈ 11.51"
    assert Bounds(13, INF).fmt(0) == "≥ 13"
    assert Bounds(-INF, INF).fmt() == "any value"
    assert Bounds(0.5e12, 0.6e12, "yuan").fmt(1, scale=1e12, suffix="万亿元") == "0.5–0.6万亿元"


def test_monotone_avoids_the_dependency_problem():
    g = Bounds(0.07105, 0.07115)
    naive = g / (1 + g)
    exact = g.monotone(lambda x: x / (1 + x))
    assert exact.within(naive) and exact.width < naive.width
    assert exact.lo == pytest.approx(0.07105 / 1.07105)


def test_fmt_rounds_bounds_outward():
    assert Bounds(0.225, 0.255).fmt(2) == "0.22–0.26"  # the shown range contains the true one
    assert Bounds(12.325, 12.335).fmt(2) == "12.32–12.34"
    assert Bounds(0.96, INF).fmt(2) == "≥ 0.96"


def test_corner_bounds_are_exact_where_interval_arithmetic_is_not():
    from hizones import corner_bounds

    x = Bounds(1.0, 2.0)
    y = Bounds(3.0, 4.0)
    naive = x / (x + y)                       # x counted twice: wider than the truth
    exact, n = corner_bounds(lambda a, b: a / (a + b), x, y)
    assert n == 4
    assert exact.lo == pytest.approx(1 / 5) and exact.hi == pytest.approx(2 / 5)
    assert naive.lo < exact.lo and naive.hi > exact.hi
    assert exact.within(naive)


def test_corner_bounds_refuse_unbounded_inputs():
    from hizones import corner_bounds

    with pytest.raises(ValueError, match="bounded"):
        corner_bounds(lambda a: a, Bounds(1.0, math.inf))


def test_a_percentage_typed_as_printed_cannot_pass_for_a_ratio():
    """The old trap: 20.2 read as printed is in percent and says so; divided into a level in yuan it
    gives yuan per percent, which no printed unit can show, instead of a total 100 times too small."""
    import hizones as hz

    share = Bounds.printed("20.2", 20.2, unit="%")
    assert share.unit == "%"
    with pytest.raises(ValueError, match="cannot show"):
        hz.show(hz.bounds("eco.secondary_va") / share, "亿元")
    with pytest.raises(ValueError, match="is not the printed"):
        Bounds.printed("20.2", 0.202, unit="%")
    assert approx(hz.bounds_from("20.2", "%"), 0.2015, 0.2025) and hz.bounds_from("20.2", "%").unit == RATIO
