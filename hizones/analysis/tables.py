"""One table style for the whole book, for people rather than for pandas.

`table` displays a DataFrame whose cells stay numbers (or `Bounds`) until shown, so a reader can
still sort and compute on the frame itself: every value with its unit, numbers right-aligned with
thousands separators, a range as ``a–b``, verdicts coloured like the checks, figure ids (if
shown) in a muted column, no ``dtype`` line. `collapsed` folds a long table into a dropdown.
Both render the same in the book, in JupyterLab and in print (`hizones.css`).
"""
from __future__ import annotations

import html
import numbers
import re

import pandas as pd
from pandas.io.formats.style import Styler

from ..sources.i18n import _
from . import language
from .figures import show
from .intervals import Bounds

_state = {"prefix": "hz", "count": 0}
_VERBOSE = re.compile(r"(?<=class=\")data |(?<=[\" ])(?:row\d+|level0) ?|^ +", re.M)


def setup(chapter: str) -> None:
    """Tables of a chapter are numbered ``hz-<chapter>-t1`` …: the same on every run."""
    _state.update(prefix=f"hz-{chapter}", count=0)


def _formatter(unit: str | None, digits: int):
    def fmt(x) -> str:
        if isinstance(x, Bounds):
            if unit is None:
                raise ValueError("a column of Bounds needs its unit: table(..., units={column: unit})")
            return show(x, unit, digits)
        if isinstance(x, bool) or not isinstance(x, numbers.Number):
            return "" if x is None else str(x)
        if pd.isna(x):
            return "–"
        return f"{x:,.{digits}f}" + (unit or "")
    return fmt


def _is_integer(series: pd.Series) -> bool:
    return all(isinstance(x, numbers.Integral) and not isinstance(x, bool) for x in series.dropna())


def _is_number(series: pd.Series) -> bool:
    return all(isinstance(x, (Bounds, numbers.Number)) and not isinstance(x, bool) for x in series.dropna())


class Table:
    """A table as shown: HTML in the book and in JupyterLab, the same cells as text elsewhere (and
    in stored outputs, which must not hold a memory address). ``frame`` is the data, untouched."""

    def __init__(self, style: Styler, frame: pd.DataFrame):
        self.style, self.frame = style, frame

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_html(self) -> str:
        # Styler names every cell's row and level in its classes; the book's styles use only the
        # column (for alignment), so the rest goes: tables are a large part of a chapter's weight.
        return _VERBOSE.sub("", self.style.to_html())

    def __repr__(self) -> str:
        return self.style.to_string(delimiter="  ")


class Note:
    """A sentence where a table would be, when there is nothing to tabulate."""

    def __init__(self, text: str):
        self.text = _(text)

    def _repr_html_(self) -> str:
        return f'<p class="hz-table-note">{html.escape(self.text)}</p>'

    def __repr__(self) -> str:
        return self.text


def table(df: pd.DataFrame, *, units: dict[str, str] | None = None, digits: dict[str, int] | None = None,
          ids: str | None = None, verdict: str | None = None, index: bool = True,
          caption: str | None = None) -> Table:
    """The book's table style for ``df``. ``units``: column → printed unit (``"亿元"``, ``"%"``; a
    column of `Bounds` needs one); ``digits``: column → decimals (default 0 for counts in 家 or
    个, else 2); ``ids``: a column of figure ids, shown muted; ``verdict``: a column of verdicts,
    coloured; ``index=False`` hides the row labels."""
    df, units, digits = language.frame(df), language.keys(units), language.keys(digits)
    ids, verdict = (_(c) if isinstance(c, str) else c for c in (ids, verdict))
    caption = _(caption) if caption else caption
    _state["count"] += 1
    numeric = [c for c in df.columns if _is_number(df[c])]
    classes = pd.DataFrame("", index=df.index, columns=df.columns)
    for c in numeric:
        classes[c] = "hz-num"
    if ids is not None:
        classes[ids] = "hz-id"
    if verdict is not None:
        classes[verdict] = [f"hz-v hz-{language.outcome(v)}" if language.outcome(v) else "hz-v"
                            for v in df[verdict]]
    style = Styler(df, uuid=f"{_state['prefix']}-t{_state['count']}", cell_ids=False, caption=caption)
    counts = ("家", "个", "项", "件")
    formats = {c: _formatter(units.get(c), digits.get(c, 0 if units.get(c) in counts or _is_integer(df[c]) else 2))
               for c in numeric}
    style = style.format(formats).set_td_classes(classes).set_table_attributes('class="hz-table"')
    style = style.set_table_styles({c: [{"selector": "", "props": "text-align: right"}] for c in numeric},
                                   overwrite=False)
    style = style.hide(axis="index") if not index else style.hide(axis="index", names=True)
    return Table(style, df)


class Collapsed:
    """Anything displayable, folded under a summary line (``<details>``); open in print."""

    def __init__(self, content, summary: str):
        self.content, self.summary = content, _(summary)

    def _repr_html_(self) -> str:
        inner = self.content._repr_html_() if hasattr(self.content, "_repr_html_") else \
            f"<pre>{html.escape(str(self.content))}</pre>"
        return (f'<details class="hz-details"><summary>{html.escape(self.summary)}</summary>'
                f"{inner}</details>")

    def __repr__(self) -> str:
        return self.summary


def collapsed(content, summary: str) -> Collapsed:
    """``content`` (a table, a chart) in a dropdown headed by ``summary``."""
    return Collapsed(content, summary)
