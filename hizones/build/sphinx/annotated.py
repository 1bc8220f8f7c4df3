"""The annotated source page: the briefing as received, line by line, every figure marked with a
tip (id, English name, value, and a link to the section that analyses it), every correction of
``data/source/errata.csv`` shown as printed → meant, layout spaces struck out."""
from __future__ import annotations

import html
import json
import re
from itertools import count
from pathlib import Path

from docutils import nodes
from sphinx.util import logging

from ...analysis.figures import facts
from ...sources.i18n import _, chinese, translated
from ...sources.briefing import fact_spans, layout_spaces, line_errata, raw_text
from ...sources.locate import Span, lines

logger = logging.getLogger(__name__)
esc = html.escape


def group_errata(k: int, line: str) -> list[tuple[int, int, str, list[str], str]]:
    """Line ``k``'s corrections other than layout spaces, as (start, end, meant, ids, kind); rows
    with the same printed text are applied in order (高质量层区 → 高质量园区。)."""
    groups: dict[tuple[int, int], list] = {}
    for row in line_errata():
        if row["line"] != str(k + 1) or row["kind"] == "layout_space":
            continue
        i = line.find(row["as_printed"])
        if i < 0:
            raise LookupError(f"data/source/errata.csv, id {row['id']!r}, field 'as_printed': not on line {k + 1}")
        g = groups.setdefault((i, i + len(row["as_printed"])), [row["as_printed"], [], row["kind"]])
        g[0] = g[0].replace(row["as_printed"], row["meant"], 1) if row["as_printed"] in g[0] else row["meant"]
        g[1].append(row["id"])
    out = sorted((a, b, meant, ids, kind) for (a, b), (meant, ids, kind) in groups.items())
    for (_a1, b1, _m1, ids1, _k1), (a2, _b2, _m2, ids2, _k2) in zip(out, out[1:]):
        if a2 < b1:
            raise LookupError(f"data/source/errata.csv, ids {ids1} and {ids2}, field 'as_printed': "
                              f"the corrections overlap on line {k + 1}; merge them into one row")
    return out


def layout_space_offsets(k: int, line: str) -> set[int]:
    """Spaces deleted on line ``k``: by the whole-text rule, and by the line's own layout rows."""
    drop = set(layout_spaces(line))
    for row in line_errata():
        if row["line"] != str(k + 1) or row["kind"] != "layout_space":
            continue
        i = line.find(row["as_printed"])
        if i < 0:
            raise LookupError(f"data/source/errata.csv, id {row['id']!r}, field 'as_printed': not on line {k + 1}")
        drop |= {i + j for j, c in enumerate(row["as_printed"]) if c.isspace()}
    return drop


class Renderer:
    """The whole text as HTML. ``link(fid)`` returns ``(href, label)`` of the section that
    analyses fact ``fid``."""

    def __init__(self, link):
        self.link = link
        self.rows = facts()
        self.spans: dict[int, list[Span]] = {}
        for s in fact_spans():
            self.spans.setdefault(s.line - 1, []).append(s)
        self.counter = count(1)

    def tip(self, s: Span) -> str:
        parts = []
        for fid in s.facts:
            r = self.rows.loc[fid]
            href, label = self.link(fid)
            name = (f'<span class="hz-tip-name">{esc(r["subject_zh"])}：{esc(r["indicator_zh"])}</span> ' if chinese()
                    else f'<span class="hz-tip-name" lang="en">{esc(r["subject_en"])}: {esc(r["indicator_en"])}</span> ')
            parts.append(
                f'<span class="hz-tip-id">{esc(fid)}</span> ' + name +
                f'<span class="hz-tip-value">{esc(r["qualifier_printed"] + str(r["value_printed"]))} '
                f'{esc(str(r["unit"]))} ({esc(_(str(r["period"])))})</span> '
                f'<a class="hz-tip-link" href="{esc(href)}">{esc(label)}</a>')
        return "<br>".join(parts)

    def figure(self, text: str, s: Span) -> str:
        n = next(self.counter)
        return (f'<span class="hz-fact" tabindex="0" id="fact-{esc(s.facts[0])}" '
                f'aria-describedby="hz-tip-{n}" data-facts="{esc(" ".join(s.facts))}">{text}'
                f'<span class="hz-tip" role="tooltip" id="hz-tip-{n}">{self.tip(s)}</span></span>')

    @staticmethod
    def chars(line: str, a: int, b: int, drop: set[int]) -> str:
        return "".join(f'<del class="hz-space" title="{_("layout space, deleted (errata)")}">&#x2423;</del>'
                       if j in drop else esc(line[j]) for j in range(a, b))

    def plain(self, line: str, a: int, b: int, k: int, drop: set[int]) -> str:
        """line[a:b] with its figures marked and its layout spaces shown struck out."""
        out, i = [], a
        for s in sorted(self.spans.get(k, []), key=lambda s: s.start):
            if s.end <= a or s.start >= b:
                continue
            if s.start < a or s.end > b:
                raise LookupError(f"data/facts.csv, id {s.facts[0]!r}: its printed value straddles a "
                                  f"correction on line {k + 1}")
            out.append(self.chars(line, i, s.start, drop))
            out.append(self.figure(self.chars(line, s.start, s.end, drop), s))
            i = s.end
        out.append(self.chars(line, i, b, drop))
        return "".join(out)

    def erratum(self, line: str, a: int, b: int, k: int, drop: set[int], meant: str, ids, kind) -> str:
        printed = line[a:b]
        note = f'<sup class="hz-erratum-id">{esc(", ".join(ids))}</sup>'
        if meant.startswith(printed):
            return (f'<span class="hz-erratum" title="{esc(translated("{kind}: as printed, then what is meant", kind=_(kind)))}">'
                    f'{self.plain(line, a, b, k, drop)}<ins>{esc(meant[len(printed):])}</ins>{note}</span>')
        meant_html = f'<ins>{esc(meant)}</ins>' if meant else ""
        return (f'<span class="hz-erratum" title="{esc(translated("{kind}: as printed → what is meant", kind=_(kind)))}">'
                f'<del>{self.plain(line, a, b, k, set())}</del>{meant_html}{note}</span>')

    def line(self, k: int, line: str) -> str:
        drop = layout_space_offsets(k, line)
        out, i = [], 0
        for a, b, meant, ids, kind in group_errata(k, line):
            out += [self.plain(line, i, a, k, drop), self.erratum(line, a, b, k, drop, meant, ids, kind)]
            i = b
        out.append(self.plain(line, i, len(line), k, drop))
        cls = "hz-line hz-heading" if line.lstrip().startswith("#") else "hz-line"
        return (f'<p class="{cls}" id="line-{k + 1}"><a class="hz-lineno" href="#line-{k + 1}" '
                f'aria-label="{translated("line {n}", n=k + 1)}">{k + 1}</a> {"".join(out)}</p>')

    def render(self) -> str:
        body = [self.line(k, ln) for k, ln in enumerate(lines(raw_text())) if ln.strip()]
        return '<div class="hz-source" lang="zh-Hans">\n' + "\n".join(body) + "\n</div>"


def render_html(link) -> str:
    return Renderer(link).render()


def section_of(node):
    while node is not None and not isinstance(node, nodes.section):
        node = node.parent
    return node


def fact_sections(env, chapter_doc) -> dict[str, tuple[str, str, str]]:
    """fact id -> (chapter doc, section id, label): the section holding the first code cell that
    names the fact (or, if that cell is removed from the page, the next cell shown). A fact whose
    analysis cannot be found is warned about, at its chapter."""
    out = {}
    for chapter, ids in facts().groupby("chapter").groups.items():
        doc = chapter_doc(chapter)
        if doc is None:
            logger.warning(f"data/facts.csv names chapter {chapter!r}, which has no notebook",
                           location="data/facts.csv")
            continue
        nb = json.loads(Path(env.doc2path(doc)).read_text(encoding="utf-8"))
        sources = ["".join(c["source"]) if c["cell_type"] == "code" else "" for c in nb["cells"]]
        cells = [(n["cell_index"], n) for n in env.get_doctree(doc).findall(nodes.container)
                 if n.get("nb_element") == "cell_code"]
        for fid in ids:
            pattern = re.compile(r"[\"']" + re.escape(fid) + r"[\"']")
            first = next((i for i, s in enumerate(sources) if pattern.search(s)), None)
            shown = next((n for i, n in cells if first is not None and i >= first), None)
            section = section_of(shown)
            if section is None:
                logger.warning(f"data/facts.csv, id {fid!r}: no code cell of {doc} shows its analysis",
                               location=doc)
                continue
            title = section.next_node(nodes.title).astext()
            out[fid] = (doc, section["ids"][0], f"{env.titles[doc].astext()} › {title}")
    return out
