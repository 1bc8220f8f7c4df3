"""The briefing text: as received, and with the errata of ``data/source/errata.csv`` applied."""
from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from . import paths
from .data import _checked

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


def _remove_layout_spaces(line: str) -> str:
    drop = set(layout_spaces(line))
    return "".join(c for i, c in enumerate(line) if i not in drop)


def raw_text() -> str:
    """The briefing exactly as received."""
    return paths.SOURCE_TEXT.read_text(encoding="utf-8")


def errata() -> pd.DataFrame:
    _checked()
    return pd.read_csv(paths.ERRATA, dtype=str, keep_default_na=False)


@lru_cache(maxsize=None)
def corrected_text() -> str:
    """The briefing with every erratum applied, in the order listed: line-specific rows first,
    then the whole-text layout rule. The received text itself is never changed."""
    lines = raw_text().split("\n")
    table = errata()
    for _, e in table[table["line"] != "all"].iterrows():
        k = int(e["line"]) - 1
        if e["as_printed"] not in lines[k]:
            raise ValueError(f"data/source/errata.csv, id {e['id']}: {e['as_printed']!r} "
                             f"no longer occurs on line {k + 1} after earlier errata")
        lines[k] = lines[k].replace(e["as_printed"], e["meant"], 1)
    if (table["kind"] == "layout_space").any() and (table["line"] == "all").any():
        lines = [_remove_layout_spaces(ln) for ln in lines]
    return "\n".join(lines)
