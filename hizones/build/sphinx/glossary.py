"""The glossary page, generated from ``data/text/glossary.csv``, and the links from each
chapter's first use of a defined term to its entry."""
from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.domains.std import Glossary
from sphinx.transforms import SphinxTransform

from ...analysis.figures import glossary_table
from ...sources.i18n import _
from .languages import fixed
from .nodes import note_generated

CHAPTERS = "chapters/"


def _row(cells):
    row = nodes.row()
    for c in cells:
        entry = nodes.entry()
        entry += nodes.paragraph(text=c)
        row += entry
    return row


def vocabulary_section(vocab) -> nodes.section:
    table = nodes.table(classes=["hz-vocabulary"])
    group = nodes.tgroup(cols=2)
    group += [nodes.colspec(colwidth=1), nodes.colspec(colwidth=3)]
    head, body = nodes.thead(), nodes.tbody()
    head += _row([_("Chinese"), _("English")])
    body += [_row([t.term_zh, t.term_en]) for t in vocab.itertuples()]
    group += [head, body]
    table += group
    section = nodes.section(ids=["vocabulary"], names=["vocabulary"])
    section += nodes.title(text=_("Word list of the text analysis"))
    section += nodes.paragraph(text=_("Words of the briefing that need a translation but no definition; "
                                      "the text-analysis chapter uses them to label its charts."))
    section += table
    return fixed(section)


class HzGlossary(Glossary):
    """Sphinx's glossary, its entries generated from data/text/glossary.csv (defined terms)."""

    required_arguments = 0
    has_content = False

    def run(self):
        terms = glossary_table()
        defined = terms[terms["definition"] != ""]
        lines = []
        for t in defined.itertuples():
            lines += [t.term_zh, f"   *{t.term_en}* ({t.kind}). {t.definition}", ""]
        self.content = StringList(lines, source="data/text/glossary.csv")
        self.env.note_dependency(str(Path(self.env.srcdir) / "data" / "text" / "glossary.csv"))
        note_generated(self.env, "glossary")
        return super().run() + [vocabulary_section(terms[terms["definition"] == ""])]


def _ancestors(node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


class LinkTerms(SphinxTransform):
    """In every chapter, the first use of each defined glossary term links to its entry."""

    default_priority = 500
    SKIP = (nodes.literal, nodes.literal_block, nodes.reference, nodes.title, nodes.raw,
            addnodes.pending_xref, nodes.term, nodes.FixedTextElement, nodes.caption)
    PARENTS = (nodes.paragraph, nodes.list_item, nodes.emphasis, nodes.strong, nodes.inline, nodes.entry)

    def apply(self):
        if not self.env.docname.startswith(CHAPTERS):
            return
        terms = glossary_table()
        words = sorted(terms.loc[terms["definition"] != "", "term_zh"], key=len, reverse=True)
        if not words:
            return
        pattern = re.compile("|".join(map(re.escape, words)))
        done: set[str] = set()
        for text in list(self.document.findall(nodes.Text)):
            if any(isinstance(a, self.SKIP) for a in _ancestors(text)):
                continue
            if isinstance(text.parent, self.PARENTS):
                self.link(text, pattern, done)

    def link(self, text, pattern, done):
        s = str(text)
        parts, i = [], 0
        for m in pattern.finditer(s):
            if m.group() in done:
                continue
            done.add(m.group())
            parts.append(nodes.Text(s[i:m.start()]))
            ref = addnodes.pending_xref("", refdomain="std", reftype="term", reftarget=m.group(),
                                        refexplicit=False, refwarn=True, refdoc=self.env.docname)
            ref += nodes.inline(m.group(), m.group(), classes=["hz-term"])
            parts.append(ref)
            i = m.end()
        if parts:
            parts.append(nodes.Text(s[i:]))
            text.parent.replace(text, [p for p in parts if not (isinstance(p, nodes.Text) and not str(p))])
