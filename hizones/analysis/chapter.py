"""One object per chapter: its figures, its checks, glue under its prefix, its coverage and its
closing summary, so a chapter names itself once::

    ch = hz.chapter("economy")     # set-up: validated data, chart ids, pandas display
    ...
    ch.summary()                   # the table of checks, counts glued for the prose
    ch.coverage(set_aside={...})   # every figure used or set aside with a reason
"""
from __future__ import annotations

import pandas as pd

from . import charts, figures
from .checks import Checks
from .glue import glue


class Chapter:
    def __init__(self, name: str):
        table = figures.facts()
        mine = table[table["chapter"] == name]
        if mine.empty:
            raise KeyError(f"no figure of data/facts.csv belongs to chapter {name!r}")
        prefixes = {i.split(".", 1)[0] for i in mine.index}
        if len(prefixes) != 1:
            raise ValueError(f"the ids of chapter {name!r} do not share one prefix: {sorted(prefixes)}")
        self.name = name
        self.prefix = prefixes.pop()
        self.checks = Checks(name)
        charts.setup(name)
        pd.set_option("display.max_colwidth", 80)
        pd.set_option("display.width", 120)
        self.glue(n_figures=str(len(mine)))
        self.glue_printed(*mine.index)

    @property
    def facts(self) -> pd.DataFrame:
        """The chapter's figures, as rows of ``data/facts.csv`` with the figure as printed."""
        table = figures.facts()
        mine = table[table["chapter"] == self.name].copy()
        mine["as printed"] = [figures.printed(i) for i in mine.index]
        return mine

    def glue(self, values: dict[str, str] | None = None, **named: str) -> None:
        """Glue each value under ``<prefix>.<name>`` (``eco.gdp_bounds``) for the prose."""
        for key, text in {**(values or {}), **named}.items():
            glue(f"{self.prefix}.{key}", text)

    @staticmethod
    def glue_printed(*ids: str) -> None:
        """Glue each figure as the source prints it (``超过13万亿元``), under its own id."""
        for fid in ids:
            glue(fid, figures.printed(fid))

    def summary(self) -> pd.DataFrame:
        """The chapter's table of checks; the number of checks and of each verdict glued as
        ``n_checks``, ``n_consistent`` …"""
        table = self.checks.table()
        counts = {f"n_{v}": str(n) for v, n in self.checks.counts().items()}
        self.glue(n_checks=str(len(table)), **counts)
        return table

    def coverage(self, set_aside: dict[str, str]) -> pd.DataFrame:
        """How the chapter uses each of its figures (`hizones.analysis.figures.coverage`)."""
        return figures.coverage(self.name, set_aside)


def chapter(name: str) -> Chapter:
    """Set up chapter ``name`` (as in the ``chapter`` column of ``data/facts.csv``)."""
    return Chapter(name)
