"""Shared code of the book: load and validate the data, rounding-aware arithmetic, charts, glue.

A chapter starts with::

    import hizones as hz
    hz.start("economy")
"""
from . import charts
from .book import glue
from .intervals import ABOUT_TOLERANCE, NEARLY_TOLERANCE, Bounds, verdict
from .checks import Checks
from .data import bounds, context, coverage, factor, facts, printed, show, units
from .derived import all_zone_revenue_2022
from .validate import DataError

__all__ = ["charts", "glue", "Bounds", "verdict", "ABOUT_TOLERANCE", "NEARLY_TOLERANCE", "Checks",
           "all_zone_revenue_2022", "bounds", "context", "coverage", "glue_printed", "factor", "facts", "printed", "show", "units", "DataError", "start"]


def glue_printed(*ids: str) -> None:
    """Glue each figure as the source prints it (``超过13万亿元``), under its id."""
    for fid in ids:
        glue(fid, printed(fid))


def start(chapter: str) -> None:
    """Set up a chapter: validated data, chart ids ``hz-<chapter>-n``, tidy pandas output."""
    import pandas as pd

    from .data import _checked

    _checked()
    charts.setup(chapter)
    pd.set_option("display.max_colwidth", 80)
    pd.set_option("display.width", 120)
