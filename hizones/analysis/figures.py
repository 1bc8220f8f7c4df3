"""The book's one loader: validated tables as pandas, and printed figures as `Bounds`.

Nothing is read before the whole data package passes validation
(`hizones.sources.validate.ensure_valid`), so a chapter can never chart a figure from a corrupt
file.
"""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from ..sources import paths
from ..sources.schema import printed_number
from ..sources.validate import ensure_valid
from .intervals import Bounds

# Qualifier words that follow the number ("200多", "60%以上") rather than precede it ("约50%").
_AFTER = {"多", "以上", "余", "左右"}


def read(name: str, index: str) -> pd.DataFrame:
    """``data/<name>`` (validated) as strings, ``value`` as float, indexed by ``index``."""
    ensure_valid()
    df = pd.read_csv(paths.DATA / name, dtype=str, keep_default_na=False, encoding="utf-8")
    if "value" in df:
        df["value"] = df["value"].astype(float)
    return df.set_index(index, drop=False).rename_axis(None)


@lru_cache(maxsize=None)
def _facts() -> pd.DataFrame:
    df = read("facts.csv", "id")
    df["question"] = df["question"].astype(int)
    return df


def facts() -> pd.DataFrame:
    """Every figure in the briefing, one row each, indexed by id (a fresh copy)."""
    return _facts().copy()


@lru_cache(maxsize=None)
def _units() -> pd.DataFrame:
    df = read("units.csv", "unit")
    df["factor"] = df["factor"].astype(float)
    return df


def units() -> pd.DataFrame:
    return _units().copy()


@lru_cache(maxsize=None)
def _context() -> pd.DataFrame:
    return read("context.csv", "id")


def context() -> pd.DataFrame:
    """Official figures used for cross-checks, with publisher, title and date."""
    return _context().copy()


@lru_cache(maxsize=None)
def _glossary() -> pd.DataFrame:
    t = read("text/glossary.csv", "term_zh").reset_index(drop=True)
    return t[["term_zh", "term_en", "kind", "definition"]]


def glossary_table() -> pd.DataFrame:
    """The glossary as a table: term_zh, term_en, kind and a one-line definition ('' for plain
    vocabulary). The glossary page shows the defined terms; chapters link to them at first use."""
    return _glossary().copy()


def glossary() -> pd.Series:
    """English glosses of the briefing's terms (``data/text/glossary.csv``), indexed by term."""
    return _glossary().set_index("term_zh")["term_en"].rename_axis(None)


#: Ids of the figures a chapter has used (through `bounds` or `printed`), for `coverage`.
used: set[str] = set()


def row(fid: str, note: bool = True) -> pd.Series:
    """The row of a figure of ``data/facts.csv`` or ``data/context.csv``, noted as used by the
    chapter unless ``note`` is false (listing or gluing a figure as printed is not using it)."""
    for table in (_facts(), _context()):
        if fid in table.index:
            if note:
                used.add(fid)
            return table.loc[fid]
    raise KeyError(f"no figure with id {fid!r} in data/facts.csv or data/context.csv")


def factor(unit: str) -> float:
    """Size of one ``unit`` in its base unit (万亿元 → 1e12 yuan)."""
    try:
        return float(_units().loc[unit, "factor"])
    except KeyError:
        raise KeyError(f"unknown unit {unit!r}: not in data/units.csv") from None


def base_unit(unit: str) -> str:
    return str(_units().loc[unit, "base_unit"])


def bounds(fid: str, **tolerances) -> Bounds:
    """The interval a printed figure allows, in its base unit (yuan, firms, ratio …).

    ``tolerances`` (``about=``, ``nearly=``) override the book's default readings of 约 and 近,
    for sensitivity analysis.
    """
    r = row(fid)
    u = _units().loc[r["unit"]]
    b = Bounds.printed(
        r["value_printed"],
        r["value"],
        r.get("qualifier", "exact") or "exact",
        unit=r["unit"],
        rounds=u["rounds"] == "yes",
        **tolerances,
    )
    return b.scaled(float(u["factor"]), u["base_unit"])


def bounds_from(printed: str, unit: str, qualifier: str = "exact", **tolerances) -> Bounds:
    """A figure you type, read as the book reads a printed one, in its base unit:
    ``hz.bounds_from("20.2", "%")`` is every value that rounds to 20.2%, the ratio [0.2015, 0.2025];
    ``hz.bounds_from("8.7", "万亿元")`` is [8.65, 8.75] × 10^12 yuan. ``printed`` is the number as
    printed, as text (its decimals say how it was rounded); ``unit`` a unit of ``data/units.csv``;
    ``qualifier`` one of exact, about (约), more_than (超过), at_least (以上), nearly (近)."""
    if not isinstance(printed, str):
        raise TypeError(f"give the figure as it is printed, as text: hz.bounds_from({str(printed)!r}, {unit!r}); "
                        "its decimals say how it was rounded")
    if not isinstance(unit, str) or unit not in _units().index:
        raise KeyError(f"unknown unit {unit!r}; the units are {', '.join(_units().index)}")
    value = printed_number(printed)
    if value is None:
        raise ValueError(f"{printed!r} is not a number as printed (digits, a decimal point, thousands commas or a "
                         "fraction like 1/4); for a number in words use hz.Bounds.printed(text, value, unit=...)")
    u = _units().loc[unit]
    b = Bounds.printed(printed, value, qualifier, unit=unit, rounds=u["rounds"] == "yes", **tolerances)
    return b.scaled(float(u["factor"]), u["base_unit"])


def printed(fid: str, note: bool = True) -> str:
    """The figure as the source prints it: ``超过13万亿元``, ``200多家``, ``60%以上``."""
    r = row(fid, note)
    q = r.get("qualifier_printed", "")
    num, unit = r["value_printed"], r["unit"]
    if unit in ("分数", "成", "倍", "名"):  # the printed words carry these units themselves
        unit = ""
    if q in _AFTER:
        return f"{num}多{unit}" if q == "多" else f"{num}{unit}{q}"
    return f"{q}{num}{unit}"


def show(b: Bounds, unit: str, digits: int = 2) -> str:
    """A bounded figure in a printed unit: ``12.33万亿元``, ``11.51–11.52万亿元``, ``≥ 13万亿元``."""
    if b.unit != base_unit(unit):
        fits = [u for u in _units().index if base_unit(u) == b.unit]
        raise ValueError(f"cannot show a figure in {b.unit!r} as {unit!r} (a unit of {base_unit(unit)!r}); "
                         + (f"show it in one of {', '.join(fits)}" if fits else
                            f"no printed unit is in {b.unit!r}: show its ends (.lo, .hi) or .mid yourself"))
    return b.fmt(digits=digits, scale=factor(unit), suffix=unit)


def coverage(chapter: str, set_aside: dict[str, str]) -> pd.DataFrame:
    """How the chapter uses each of its figures: computed with, or set aside and why.

    Raises if a figure of the chapter is neither used nor set aside with a reason, or if a
    figure is set aside that is not the chapter's: every figure must be accounted for.
    """
    mine = _facts()[_facts()["chapter"] == chapter]
    seen = set(used)
    unknown = sorted(set(set_aside) - set(mine.index))
    if unknown:
        raise KeyError(f"set aside but not figures of chapter {chapter!r}: {unknown}")
    out = mine[["indicator_en", "indicator_zh"]].copy()
    out.insert(0, "printed", [printed(i, note=False) for i in mine.index])
    out["use"] = ["set aside: " + set_aside[i] if i in set_aside else "computed with"
                  if i in seen else "" for i in mine.index]
    missing = out.index[out["use"] == ""].tolist()
    if missing:
        raise AssertionError(f"figures of chapter {chapter!r} neither used nor set aside: {missing}")
    return out
