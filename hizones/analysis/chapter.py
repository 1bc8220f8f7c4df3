"""One object per chapter: its figures, its checks, glue under its prefix, its coverage and its
closing summary, so a chapter names itself once::

    ch = hz.chapter("economy")     # set-up: validated data, chart and table ids, pandas display
    ch.claim(...), ch.agreement(...), ch.internal(...)   # checks (`hizones.analysis.checks`)
    ch.glue(gdp_bounds=...)        # eco.gdp_bounds, for {glue:text} in the prose
    ch.summary()                   # the chapter's checks, counts glued for the prose
    ch.coverage(set_aside={...})   # every figure used or set aside with a reason
"""
from __future__ import annotations

import pandas as pd
from IPython.display import display

from ..sources.i18n import N_, _, chinese, translated
from . import charts, figures, tables
from .checks import Checks
from .glue import glue
from .verdicts import VERDICTS


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
        self.claim, self.agreement = self.checks.claim, self.checks.agreement
        self.internal, self.note = self.checks.internal, self.checks.note
        charts.setup(name)
        tables.setup(name)
        pd.set_option("display.max_colwidth", 80)
        pd.set_option("display.width", 79)
        self.glue(n_figures=str(len(mine)))
        self.glue_printed(*mine.index)

    @property
    def facts(self) -> pd.DataFrame:
        """The chapter's figures, as rows of ``data/facts.csv`` with the figure as printed."""
        table = figures.facts()
        mine = table[table["chapter"] == self.name].copy()
        mine["as printed"] = [figures.printed(i, note=False) for i in mine.index]
        return mine

    def figures_table(self, columns=("as printed", "period")) -> tables.Collapsed:
        """Every figure of the chapter, as printed, in a dropdown: the reader's way into the data."""
        f = self.facts
        shown = f[list(columns)].copy()
        shown.insert(0, "indicator", f["indicator_zh"] if chinese() else f["indicator_en"] + " · " + f["indicator_zh"])
        shown["id"] = f.index
        summary = translated("All {n} figures of this answer, as printed", n=len(f)) if len(f) != 1 else \
            _("The figure of this answer, as printed")
        return tables.collapsed(tables.table(shown, ids="id", index=False), summary)

    def glue(self, values: dict[str, str] | None = None, **named: str) -> None:
        """Glue each value under ``<prefix>.<name>`` (``eco.gdp_bounds``) for the prose."""
        for key, text in {**(values or {}), **named}.items():
            glue(f"{self.prefix}.{key}", _(text) if isinstance(text, str) else text)

    @staticmethod
    def glue_printed(*ids: str) -> None:
        """Glue each figure as the source prints it (``超过13万亿元``), under its own id."""
        for fid in ids:
            glue(fid, figures.printed(fid, note=False))

    def summary(self) -> None:
        """The chapter's verdicts on the briefing, then its internal checks (folded); the number of
        verdicts (``n_checks``), of each outcome (``n_holds`` …) and of internal checks glued."""
        verdicts = pd.DataFrame(self.checks.verdicts(), columns=["number", "kind", "name", "derived", "claim",
                                                                  "phrase", "verdict"])
        counts = {f"n_{v}": str(int((verdicts["verdict"] == v).sum())) for v in VERDICTS}
        internals = pd.DataFrame(self.checks.internals(), columns=["number", "name", "derived", "claim"])
        self.glue(n_checks=str(len(verdicts)), n_internal=str(len(internals)), **counts)
        shown = verdicts.drop(columns="verdict").rename(columns={
            "number": "#", "name": "check", "derived": "derived from the briefing", "claim": "against",
            "phrase": "verdict"})
        if len(shown):
            display(tables.table(shown, verdict="verdict", index=False))
        else:
            display(tables.Note("No figure of this chapter can be tested against another figure or an "
                                "official statistic: the chapter makes no verdict on the briefing."))
        if len(internals):
            display(tables.collapsed(
                tables.table(internals.rename(columns={"number": "#", "name": "internal check",
                                                       "derived": "computed", "claim": "must be"}), index=False),
                translated(N_("{n} internal checks: identities and tests of the book's own data, not verdicts "
                              "on the briefing") if len(internals) != 1 else N_("{n} internal check: an identity "
                                                                                "or a test of the book's own data, "
                                                                                "not a verdict on the briefing"),
                           n=len(internals))))

    def coverage(self, set_aside: dict[str, str]) -> tables.Collapsed:
        """How the chapter uses each of its figures (`hizones.analysis.figures.coverage`), folded."""
        table = figures.coverage(self.name, set_aside)
        en, zh = table.pop("indicator_en"), table.pop("indicator_zh")
        table.insert(1, "indicator · 指标", zh if chinese() else en + " · " + zh)
        summary = translated("How each of the {n} figures is used", n=len(table)) if len(table) != 1 else \
            _("How the figure is used")
        return tables.collapsed(tables.table(table), summary)


def chapter(name: str) -> Chapter:
    """Set up chapter ``name`` (as in the ``chapter`` column of ``data/facts.csv``)."""
    return Chapter(name)
