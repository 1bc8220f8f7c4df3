"""Where each figure sits in the briefing as received: the spans the annotated source page marks.

Every fact of ``data/facts.csv`` is located on its line of ``data/source/briefing-zh.txt``: its
quote first (the print layout put spaces inside sentences, so any whitespace may separate two
characters), then its printed value inside the quote. Every number in the text must be covered
by a fact's value or by a row of ``data/source/non_figures.csv`` (dates, ordinals, labels);
:func:`uncovered_in` lists those that are not (`hizones.sources.briefing.uncovered` for the
book's own data), and validation requires it to be empty. Plain functions of a text and rows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# A number as printed: Arabic digits with decimals, thousands separators or a fraction bar, and
# the Chinese multipliers that follow them, also after 多 or a layout space (12.33万亿, 200多亿,
# 8.7 万亿); or a run of Chinese numerals (三成, 两倍, 第一). The 百 of 百分点 (percentage point)
# is a unit, not a number.
NUMBER = re.compile(r"[0-9][0-9.,/]*(?:多?\s*[十百千万亿]+)?|(?:[一二三四五六七八九十两半千万亿]|百(?!分))+")
_TURN = re.compile(r"^\s*(?:\*\*)?([^:\s*]{2,4})(?:\*\*)?:")


def _loose(text: str) -> re.Pattern:
    """``text`` with any whitespace allowed between two of its characters."""
    return re.compile(r"\s*".join(re.escape(c) for c in re.sub(r"\s+", "", text)))


@dataclass
class Span:
    line: int                     # 1-based line of the source text
    start: int                    # character offsets in that line
    end: int
    facts: list[str] = field(default_factory=list)


def lines(text: str) -> list[str]:
    return text.split("\n")


def _questions(text: str) -> list[int]:
    """The question (1–8) each line belongs to; 0 before the first question."""
    q, out = 0, []
    for ln in lines(text):
        m = _TURN.match(ln)
        if m and m.group(1) == "记者":
            q += 1
        out.append(q)
    return out


def _line_of(text: str, offset: int) -> tuple[int, int]:
    """0-based line and column of a character offset."""
    before = text[:offset]
    return before.count("\n"), offset - (before.rfind("\n") + 1)


def locate(fid: str, row, text: str, questions: list[int] | None = None) -> Span:
    """The span of fact ``fid``'s printed value, inside its quote, in its question's lines.

    A quote may run over a line break (a page break in print). Raises ``LookupError`` naming the
    fact and field when the quote or the value cannot be placed unambiguously: an annotation must
    never point at the wrong number."""
    questions = questions if questions is not None else _questions(text)
    q = int(row["question"]) if str(row.get("question", "")).strip().isdigit() else None
    hits = [m for m in _loose(row["quote"]).finditer(text)
            if q is None or questions[_line_of(text, m.start())[0]] == q]
    where = f"id {fid!r}"
    if not hits:
        raise LookupError(f"{where}, field 'quote': not found in the text of question {q}")
    if len(hits) > 1:
        raise LookupError(f"{where}, field 'quote': occurs {len(hits)} times in question {q}; "
                          "quote more of the sentence")
    m = hits[0]
    values = [v for v in _loose(str(row["value_printed"])).finditer(text, m.start(), m.end())
              if not _inside_larger_number(text, v.start(), v.end())]
    if len(values) != 1:
        raise LookupError(f"{where}, field 'value_printed': {row['value_printed']!r} occurs "
                          f"{len(values)} times as a number in the quote")
    k, col = _line_of(text, values[0].start())
    return Span(k + 1, col, col + values[0].end() - values[0].start(), [fid])


def _inside_larger_number(line: str, start: int, end: int) -> bool:
    before = line[start - 1] if start else ""
    after = line[end] if end < len(line) else ""
    return bool(re.match(r"[0-9.]", before) or re.match(r"[0-9]", after)
                or (after == "." and re.match(r"\.[0-9]", line[end:end + 2])))


def spans_of(text: str, fact_rows) -> list[Span]:
    """One span per printed value, from ``(id, row)`` pairs; facts reading the same number share it."""
    questions = _questions(text)
    merged: dict[tuple, Span] = {}
    for fid, row in fact_rows:
        s = locate(fid, row, text, questions)
        key = (s.line, s.start, s.end)
        if key in merged:
            merged[key].facts.append(fid)
        else:
            merged[key] = s
    return sorted(merged.values(), key=lambda s: (s.line, s.start))


def non_figure_spans_of(text: str, rows) -> list[Span]:
    """Spans of ``(row number, line, text)`` entries of non_figures.csv (every occurrence on the line)."""
    text_lines, out = lines(text), []
    for n, line, words in rows:
        k = int(line) - 1
        found = list(_loose(words).finditer(text_lines[k])) if 0 <= k < len(text_lines) else []
        if not found:
            raise LookupError(f"row {n}, field 'text': {words!r} does not occur on line {line}")
        out += [Span(k + 1, m.start(), m.end()) for m in found]
    return out


def numbers(text: str) -> list[Span]:
    """Every number printed in the text, with its line and offsets."""
    return [Span(k + 1, m.start(), m.end()) for k, ln in enumerate(lines(text)) for m in NUMBER.finditer(ln)]


def uncovered_in(text: str, covering: list[Span]) -> list[tuple[int, str]]:
    """Numbers in ``text`` that no span of ``covering`` overlaps, as (line, number)."""
    by_line: dict[int, list[Span]] = {}
    for s in covering:
        by_line.setdefault(s.line, []).append(s)
    text_lines = lines(text)
    return [(n.line, text_lines[n.line - 1][n.start:n.end]) for n in numbers(text)
            if not any(c.start < n.end and n.start < c.end for c in by_line.get(n.line, []))]
