"""The briefing text: as received, and with the errata of ``data/source/errata.csv`` applied."""
from __future__ import annotations

import re
from functools import lru_cache

from . import locate, paths
from .tables import rows
from .validate import ensure_valid

# Spaces the print layout left inside running Chinese text (errata rule with line "all"):
# between two CJK characters, or after CJK punctuation before the next character.
_CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_LAYOUT_SPACE = re.compile(rf"(?<=[{_CJK},;:!?]) +(?=[{_CJK}A-Za-z0-9])")
# Where a space between two Chinese halves is deliberate: headings, the byline, and the two
# titles quoted in running text (the press conference's and the Shanghai document's).
_KEEP_LINES = re.compile(r"^(#|本报记者)")
_KEEP_PHRASES = ("作用 加快推进新型工业化", "改革创新发展 建设世界领先")


def layout_spaces(line: str) -> list[int]:
    """Offsets of the spaces the whole-text layout rule (errata E01) deletes from ``line``."""
    if _KEEP_LINES.search(line):
        return []
    out, offset = [], 0
    for part in re.split("(" + "|".join(map(re.escape, _KEEP_PHRASES)) + ")", line):
        if part not in _KEEP_PHRASES:
            out += [offset + i for m in _LAYOUT_SPACE.finditer(part) for i in range(m.start(), m.end())]
        offset += len(part)
    return out


def remove_layout_spaces(line: str) -> str:
    drop = set(layout_spaces(line))
    return "".join(c for i, c in enumerate(line) if i not in drop)


def raw_text() -> str:
    """The briefing exactly as received."""
    return paths.SOURCE_TEXT.read_text(encoding="utf-8")


def errata() -> list[dict]:
    """The rows of ``data/source/errata.csv`` (validated), in file order."""
    ensure_valid()
    return rows(paths.ERRATA)


@lru_cache(maxsize=None)
def corrected_text() -> str:
    """The briefing with every erratum applied, in the order listed: line-specific rows first,
    then the whole-text layout rule. The received text itself is never changed."""
    lines = raw_text().split("\n")
    table = errata()
    for e in table:
        if e["line"] == "all":
            continue
        k = int(e["line"]) - 1
        if e["as_printed"] not in lines[k]:
            raise ValueError(f"data/source/errata.csv, id {e['id']}: {e['as_printed']!r} "
                             f"no longer occurs on line {k + 1} after earlier errata")
        lines[k] = lines[k].replace(e["as_printed"], e["meant"], 1)
    if any(e["kind"] == "layout_space" and e["line"] == "all" for e in table):
        lines = [remove_layout_spaces(ln) for ln in lines]
    return "\n".join(lines)


# ----- the book's own figures, placed in the text -----------------------------------------------

def fact_rows() -> list[dict]:
    """The rows of ``data/facts.csv`` (validated), in file order."""
    ensure_valid()
    return rows(paths.DATA / "facts.csv")


@lru_cache(maxsize=None)
def fact_spans() -> tuple[locate.Span, ...]:
    """Where each fact's printed value sits in the briefing as received."""
    return tuple(locate.spans_of(raw_text(), ((r["id"], r) for r in fact_rows())))


def non_figure_spans() -> list[locate.Span]:
    ensure_valid()
    table = rows(paths.DATA / "source" / "non_figures.csv")
    return locate.non_figure_spans_of(raw_text(), [(n, r["line"], r["text"]) for n, r in enumerate(table, 1)])


def uncovered(spans: tuple[locate.Span, ...] | None = None) -> list[tuple[int, str]]:
    """Numbers in the text that neither a fact's value nor a listed non-figure covers."""
    covering = list(spans if spans is not None else fact_spans()) + non_figure_spans()
    return locate.uncovered_in(raw_text(), covering)


def line_errata() -> list[dict]:
    """Errata tied to one line (the whole-text layout rule is described, not marked)."""
    return [e for e in errata() if e["line"] != "all"]
