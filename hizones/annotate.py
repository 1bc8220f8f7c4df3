"""Where each figure sits in the briefing as received: the spans the annotated source page marks.

Every fact of ``data/facts.csv`` is located on its line of ``data/source/briefing-zh.txt``: its
quote first (the print layout put spaces inside sentences, so any whitespace may separate two
characters), then its printed value inside the quote. Every number in the text must be covered
by a fact's value or by a row of ``data/source/non_figures.csv`` (dates, ordinals, labels);
:func:`uncovered` lists those that are not, and the tests require it to be empty.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from . import paths
from .data import _checked, facts
from .source import errata, raw_text

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


def lines(text: str | None = None) -> list[str]:
    return (raw_text() if text is None else text).split("\n")


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


# The book's own data (validated).

@lru_cache(maxsize=None)
def fact_spans() -> tuple[Span, ...]:
    _checked()
    return tuple(spans_of(raw_text(), facts().iterrows()))


def non_figures() -> pd.DataFrame:
    _checked()
    return pd.read_csv(paths.DATA / "source" / "non_figures.csv", dtype=str, keep_default_na=False)


def non_figure_spans() -> list[Span]:
    return non_figure_spans_of(raw_text(), [(n, r.line, r.text) for n, r in
                                            enumerate(non_figures().itertuples(), start=1)])


def uncovered(spans: tuple[Span, ...] | None = None) -> list[tuple[int, str]]:
    """Numbers in the text that neither a fact's value nor a listed non-figure covers."""
    return uncovered_in(raw_text(), list(spans if spans is not None else fact_spans()) + non_figure_spans())


@lru_cache(maxsize=None)
def line_errata() -> pd.DataFrame:
    """Errata tied to one line (the whole-text layout rule is described, not marked)."""
    e = errata()
    return e[e["line"] != "all"]


# ---------------------------------------------------------------------------------------------
# The annotated page: the text as received, figures marked, corrections visible.

def _group_errata(k: int, line: str) -> list[tuple[int, int, str, list[str], str]]:
    """Line ``k``'s corrections other than layout spaces, as (start, end, meant, ids, kind); rows
    with the same printed text are applied in order (高质量层区 → 高质量园区。)."""
    groups: dict[tuple[int, int], list] = {}
    e = line_errata()
    for _, row in e[(e["line"] == str(k + 1)) & (e["kind"] != "layout_space")].iterrows():
        i = line.find(row["as_printed"])
        if i < 0:
            raise LookupError(f"data/source/errata.csv, id {row['id']!r}, field 'as_printed': "
                              f"not on line {k + 1}")
        g = groups.setdefault((i, i + len(row["as_printed"])), [row["as_printed"], [], row["kind"]])
        g[0] = g[0].replace(row["as_printed"], row["meant"], 1) if row["as_printed"] in g[0] else row["meant"]
        g[1].append(row["id"])
    out = sorted((a, b, meant, ids, kind) for (a, b), (meant, ids, kind) in groups.items())
    for (_, b1, _, ids1, _), (a2, _, _, ids2, _) in zip(out, out[1:]):
        if a2 < b1:
            raise LookupError(f"data/source/errata.csv, ids {ids1} and {ids2}, field 'as_printed': "
                              f"the corrections overlap on line {k + 1}; merge them into one row")
    return out


def _layout_space_offsets(k: int, line: str) -> set[int]:
    """Spaces deleted on line ``k``: by the whole-text rule, and by the line's own layout rows."""
    from .source import layout_spaces

    drop = set(layout_spaces(line))
    e = line_errata()
    for _, row in e[(e["line"] == str(k + 1)) & (e["kind"] == "layout_space")].iterrows():
        i = line.find(row["as_printed"])
        if i < 0:
            raise LookupError(f"data/source/errata.csv, id {row['id']!r}, field 'as_printed': "
                              f"not on line {k + 1}")
        drop |= {i + j for j, c in enumerate(row["as_printed"]) if c.isspace()}
    return drop


def render_html(link) -> str:
    """The whole text as HTML. ``link(fid)`` returns ``(href, label)`` of the section that
    analyses fact ``fid``. Each figure is a focusable mark whose tip shows id, English name,
    value and that link; each correction shows what is printed and what is meant."""
    import html

    rows = facts()
    spans: dict[int, list[Span]] = {}
    for s in fact_spans():
        spans.setdefault(s.line - 1, []).append(s)
    esc = html.escape

    def tip(s: Span) -> str:
        parts = []
        for fid in s.facts:
            r = rows.loc[fid]
            qual = r["qualifier_printed"] if isinstance(r["qualifier_printed"], str) else ""
            href, label = link(fid)
            parts.append(
                f'<span class="hz-tip-id">{esc(fid)}</span> '
                f'<span class="hz-tip-name" lang="en">{esc(r["subject_en"])}: {esc(r["indicator_en"])}</span> '
                f'<span class="hz-tip-value">{esc(qual + str(r["value_printed"]))} {esc(str(r["unit"]))}'
                f' ({esc(str(r["period"]))})</span> '
                f'<a class="hz-tip-link" href="{esc(href)}">{esc(label)}</a>')
        return "<br>".join(parts)

    def figure(text: str, s: Span, n: int) -> str:
        return (f'<span class="hz-fact" tabindex="0" id="fact-{esc(s.facts[0])}" '
                f'aria-describedby="hz-tip-{n}" data-facts="{esc(" ".join(s.facts))}">{text}'
                f'<span class="hz-tip" role="tooltip" id="hz-tip-{n}">{tip(s)}</span></span>')

    counter = iter(range(1, 10_000))

    def plain(line: str, a: int, b: int, k: int, drop: set[int]) -> str:
        """line[a:b] with its figures marked and its layout spaces shown struck out."""
        out, i = [], a
        for s in sorted(spans.get(k, []), key=lambda s: s.start):
            if s.end <= a or s.start >= b:
                continue
            if s.start < a or s.end > b:
                raise LookupError(f"data/facts.csv, id {s.facts[0]!r}: its printed value straddles a "
                                  f"correction on line {k + 1}")
            out.append(chars(line, i, s.start, drop))
            out.append(figure(chars(line, s.start, s.end, drop), s, next(counter)))
            i = s.end
        out.append(chars(line, i, b, drop))
        return "".join(out)

    def chars(line: str, a: int, b: int, drop: set[int]) -> str:
        return "".join('<del class="hz-space" title="layout space, deleted (errata)">&#x2423;</del>'
                       if j in drop else esc(line[j]) for j in range(a, b))

    body = []
    for k, line in enumerate(lines()):
        if not line.strip():
            continue
        drop = _layout_space_offsets(k, line)
        out, i = [], 0
        for a, b, meant, ids, kind in _group_errata(k, line):
            out.append(plain(line, i, a, k, drop))
            printed = line[a:b]
            note = f'<sup class="hz-erratum-id">{esc(", ".join(ids))}</sup>'
            if meant.startswith(printed):
                out.append(f'<span class="hz-erratum" title="{esc(kind)}: as printed, then what is meant">'
                           f'{plain(line, a, b, k, drop)}<ins>{esc(meant[len(printed):])}</ins>{note}</span>')
            else:
                meant_html = f'<ins>{esc(meant)}</ins>' if meant else ""
                out.append(f'<span class="hz-erratum" title="{esc(kind)}: as printed &#x2192; what is meant">'
                           f'<del>{plain(line, a, b, k, set())}</del>{meant_html}{note}</span>')
            i = b
        out.append(plain(line, i, len(line), k, drop))
        cls = "hz-line hz-heading" if line.lstrip().startswith("#") else "hz-line"
        body.append(f'<p class="{cls}" id="line-{k + 1}"><a class="hz-lineno" href="#line-{k + 1}" '
                    f'aria-label="line {k + 1}">{k + 1}</a> {"".join(out)}</p>')
    return '<div class="hz-source" lang="zh-Hans">\n' + "\n".join(body) + "\n</div>"
