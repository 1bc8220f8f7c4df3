"""Shared code of the book: load and validate the data, rounding-aware arithmetic, charts, glue.

A chapter starts with::

    import hizones as hz
    hz.start("economy")

Names that need pandas, IPython or altair (``facts``, ``glue``, ``Checks``, ``charts`` …) are
imported on first use, so ``python -m hizones validate`` and ``python -m hizones execute`` do
not pay for libraries they never touch. ``hz.start`` loads the chart module (and with it the
book's altair theme and renderer) before a chapter draws anything.
"""
from importlib import import_module

from .intervals import ABOUT_TOLERANCE, NEARLY_TOLERANCE, Bounds, corner_bounds, verdict
from .validate import DataError

#: name -> (module, attribute); attribute None means the module itself.
_LAZY = {
    "charts": (".charts", None),
    "glue": (".book", "glue"),
    "Checks": (".checks", "Checks"),
    "all_zone_revenue_2022": (".derived", "all_zone_revenue_2022"),
    **{name: (".data", name) for name in
       ("bounds", "context", "coverage", "factor", "facts", "printed", "show", "units")},
}

__all__ = ["charts", "glue", "Bounds", "corner_bounds", "verdict", "ABOUT_TOLERANCE", "NEARLY_TOLERANCE", "Checks",
           "all_zone_revenue_2022", "bounds", "context", "coverage", "glue_printed", "factor", "facts", "printed", "show", "units", "DataError", "start"]


def __getattr__(name: str):
    try:
        module, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    obj = import_module(module, __name__)
    if attr is not None:
        obj = getattr(obj, attr)
    globals()[name] = obj  # later look-ups skip this function
    return obj


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


def glue_printed(*ids: str) -> None:
    """Glue each figure as the source prints it (``超过13万亿元``), under its id."""
    from .book import glue
    from .data import printed

    for fid in ids:
        glue(fid, printed(fid))


def start(chapter: str) -> None:
    """Set up a chapter: validated data, chart ids ``hz-<chapter>-n``, tidy pandas output."""
    import pandas as pd

    from . import charts
    from .data import _checked

    _checked()
    charts.setup(chapter)
    pd.set_option("display.max_colwidth", 80)
    pd.set_option("display.width", 120)
