"""Derived figures that more than one chapter needs: computed once, here.

Each is a function of printed figures only, so every chapter that uses it shows the same
bounds, and a change in the data changes them everywhere.
"""
from __future__ import annotations

from .data import bounds
from .intervals import Bounds


def all_zone_revenue_2022(**tolerances) -> Bounds:
    """Total revenue of all 178 zones in 2022, implied by Zhongguancun's 8.7万亿元 being
    "约占全国178家高新区的1/6" (about one sixth). In yuan; 约 read with the book's tolerance
    unless ``about=`` is given. No official figure was found to check it against."""
    return bounds("zgc.revenue") / bounds("zgc.revenue_share_of_zones", **tolerances)
