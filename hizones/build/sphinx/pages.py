"""The pages and boxes generated at build time from the validated data and the chapters: the
annotated source, the data dictionary with downloads, and (`findings`) the findings page, each
chapter's "In short" box, the index of every check and the rules of the verdicts. Each is a
placeholder directive until every chapter has been read, then filled in at
``doctree-resolved``."""
from __future__ import annotations

import html
import json
import posixpath

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ...sources import paths
from ...sources.i18n import N_, _, chinese, translated
from . import annotated, findings
from .assets import DOWNLOADS
from .nodes import chapter_docs, hz_generated, note_generated

logger = logging.getLogger(__name__)
esc = html.escape


class Placeholder(SphinxDirective):
    """``{hz-annotated-source}``, ``{hz-checks}``, ``{hz-data-dictionary}``: a generated page."""

    KINDS = {"hz-annotated-source": "source", "hz-checks": "checks", "hz-data-dictionary": "data",
             "hz-findings": "findings", "hz-rules": "rules", "hz-in-short": "in-short",
             "hz-key-findings": "key-findings"}

    def run(self):
        kind = self.KINDS[self.name]
        if kind != "in-short":      # a chapter's own box is made from the chapter itself
            note_generated(self.env, kind)
        return [hz_generated(kind=kind)]


def chapter_doc(env, chapter: str) -> str | None:
    """``chapters/01_economy`` for ``economy``; None if no notebook has that name."""
    return next((d for d in chapter_docs(env) if d.split("/", 1)[1].split("_", 1)[1] == chapter), None)


def uri(app, fromdoc: str, todoc: str, anchor: str = "") -> str:
    if app.builder.name == "singlehtml":
        return f"#{anchor}" if anchor else f"#document-{todoc}"
    target = app.builder.get_relative_uri(fromdoc, todoc)
    return f"{target}#{anchor}" if anchor else target


def file_uri(app, fromdoc: str, path: str) -> str:
    here = posixpath.dirname(app.builder.get_target_uri(fromdoc)) if app.builder.name != "singlehtml" else ""
    return posixpath.relpath(path, here or ".")


def render_source(app, docname: str, doctree=None) -> str:
    sections = annotated.fact_sections(app.env, lambda c: chapter_doc(app.env, c))

    def link(fid):
        if fid not in sections:
            return "#", _("Analysis not found")
        doc, anchor, label = sections[fid]         # the section's title, already translated
        return uri(app, docname, doc, anchor), translated("Analysed in: {section}", section=label)

    return annotated.render_html(link)


def _constraints(field: dict) -> str:
    c = field.get("constraints", {})
    notes = []
    if "enum" in c:
        notes.append(translated("one of {values}", values=", ".join(f"<code>{esc(str(v))}</code>"
                                                                   for v in c["enum"])))
    if "pattern" in c:
        notes.append(translated("pattern {pattern}", pattern=f"<code>{esc(c['pattern'])}</code>"))
    if c.get("unique"):
        notes.append(_("unique"))
    if "minimum" in c or "maximum" in c:
        notes.append(translated("from {minimum} to {maximum}", minimum=str(c.get("minimum", "…")),
                                maximum=str(c.get("maximum", "…"))))
    if field.get("inSource"):
        notes.append(_("must occur in the source text"))
    return f'<br><small>{("；" if chinese() else "; ").join(notes)}</small>' if notes else ""


def _resource(app, docname: str, res: dict) -> str:
    href = esc(file_uri(app, docname, f"{DOWNLOADS}/{res['path']}"))
    out = [f'<section class="hz-resource" id="resource-{esc(res["name"])}">'
           f'<h3>{esc(res["name"])}: <a href="{href}" download>{esc(res["path"])}</a></h3>'
           f'<p>{esc(_(res.get("title", "")))}{"。" if chinese() else ". "}{esc(_(res.get("description", "")))}</p>']
    fields = res.get("schema", {}).get("fields", [])
    if fields:
        rows = "".join(
            f'<tr><td><code>{esc(f["name"])}</code></td><td>{esc(f.get("type", "string"))}</td>'
            f'<td>{_("yes") if f.get("constraints", {}).get("required") else ""}</td>'
            f'<td>{esc(_(f.get("description", "")))}{_constraints(f)}</td></tr>' for f in fields)
        out.append('<table class="table hz-data-dictionary">' + findings.table_head(N_("field"), N_("type"), N_("required"),
                                                                             N_("description"))
                   + f'<tbody>{rows}</tbody></table>')
    elif res.get("hash"):
        out.append("<p>" + translated("Text file, checked by its {algorithm} hash: {digest}",
                                      algorithm=esc(res["hash"].split(":")[0].upper()),
                                      digest=f'<code>{esc(res["hash"].split(":")[-1])}</code>') + "</p>")
    return "".join(out) + "</section>"


def render_data(app, docname: str, doctree=None) -> str:
    package = json.loads(paths.PACKAGE.read_text(encoding="utf-8"))
    zipped = esc(file_uri(app, docname, DOWNLOADS + "/hizones-data.zip"))
    descriptor = esc(file_uri(app, docname, DOWNLOADS + "/datapackage.json"))
    head = (f'<p class="hz-downloads">{_("Download:")} <a href="{zipped}">{_("the whole data package (zip)")}</a>'
            f' · <a href="{descriptor}">datapackage.json</a></p>')
    return "\n".join([head] + [_resource(app, docname, res) for res in package["resources"]])


RENDER = {
    "source": render_source,
    "data": render_data,
    "checks": lambda app, doc, tree: findings.render_checks(app, doc, uri),
    "findings": lambda app, doc, tree: findings.render_findings(app, doc, uri),
    "rules": lambda app, doc, tree: findings.render_rules(app, doc, uri),
    "key-findings": lambda app, doc, tree: findings.render_key_findings(app, doc, uri),
    "in-short": lambda app, doc, tree: findings.render_in_short(app, doc, tree),
}


def fill(app, doctree, docname):
    for node in list(doctree.findall(hz_generated)):
        if app.builder.format != "html":
            node.replace_self(nodes.paragraph(text=_("(This page is generated for the HTML book.)")))
            continue
        node.replace_self(nodes.raw("", RENDER[node["kind"]](app, docname, doctree), format="html"))
