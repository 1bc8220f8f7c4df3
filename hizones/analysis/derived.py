"""Derived figures that more than one chapter needs: computed once, here.

Each is a function of printed figures only, so every chapter that uses it shows the same
bounds, and a change in the data changes them everywhere.
"""
from __future__ import annotations

import math

from .figures import bounds
from .intervals import Bounds


def all_zone_revenue_2022(**tolerances) -> Bounds:
    """Total revenue of all 178 zones in 2022, implied by Zhongguancun's 8.7万亿元 being
    "约占全国178家高新区的1/6" (about one sixth). In yuan; 约 read with the book's tolerance
    unless ``about=`` is given. No official figure was found to check it against."""
    return bounds("zgc.revenue") / bounds("zgc.revenue_share_of_zones", **tolerances)


def zones_with(share: Bounds) -> Bounds:
    """The whole number of zones that a share of all zones allows: the share's bounds times the
    number of zones (178), lower bound rounded up and upper bound down, and never more than all
    of them (an unbounded share such as 超过60% stops at 178). In zones ("entity")."""
    n = bounds("eco.zones")
    z = share * n
    hi = min(z.hi, n.hi)
    return Bounds(math.ceil(z.lo - 1e-9), math.floor(hi + 1e-9), z.unit)


def beijing_industrial_output_jan_oct_2023() -> Bounds:
    """Beijing's gross industrial output in January–October 2023, implied by Zhongguancun's
    9169.6亿元 being "占全市47.8%" (47.8% of the city's). In yuan. Used by the Zhongguancun and
    Zhangjiang chapters; no official figure is in data/context.csv to check it against."""
    return bounds("zgc.industrial_output") / bounds("zgc.industrial_output_share")
