"""The book's code, in three layers whose imports run one way (build → analysis → sources):

- `hizones.sources`: the files as received: read, validate, locate each figure in the text;
- `hizones.analysis`: what chapters import: figures as bounds, checks, derived figures,
  glue, tables, charts, text analysis;
- `hizones.build`: making the book: parallel execution, the Sphinx extension, the PDF.

A chapter starts with::

    import hizones as hz
    ch = hz.chapter("economy")

This module is the chapters' namespace (``hz.bounds``, ``hz.show``, ``hz.charts`` …). Names
that need pandas, IPython or altair are imported on first use, so ``python -m hizones validate``
and ``python -m hizones execute`` do not pay for libraries they never touch.
"""
from importlib import import_module

from .analysis.intervals import ABOUT_TOLERANCE, NEARLY_TOLERANCE, Bounds, UnitError, corner_bounds
from .analysis.verdicts import Verdict, verdict
from .sources.validate import DataError

#: name -> (module, attribute); attribute None means the module itself.
_LAZY = {
    "charts": (".analysis.charts", None),
    "text": (".analysis.text", None),
    "policy": (".analysis.policy", None),
    "chapter": (".analysis.chapter", "chapter"),
    "glue": (".analysis.glue", "glue"),
    "Checks": (".analysis.checks", "Checks"),
    "table": (".analysis.tables", "table"),
    "answer": (".analysis.answers", "answer"),
    "check": (".analysis.answers", "check"),
    "collapsed": (".analysis.tables", "collapsed"),
    "corrected_text": (".sources.briefing", "corrected_text"),
    **{name: (".analysis.derived", name) for name in
       ("all_zone_revenue_2022", "zones_with", "beijing_industrial_output_jan_oct_2023")},
    **{name: (".analysis.figures", name) for name in
       ("bounds", "bounds_from", "context", "factor", "facts", "glossary", "printed", "show", "units")},
}

__all__ = ["ABOUT_TOLERANCE", "NEARLY_TOLERANCE", "Bounds", "DataError", "UnitError", "Verdict", "corner_bounds",
           "verdict", *_LAZY]


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
