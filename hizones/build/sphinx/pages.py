"""The reference pages generated at build time from the validated data and the chapters: the
annotated source, the index of every check, and the data dictionary with downloads. Each is a
placeholder directive until every chapter has been read, then filled in at
``doctree-resolved``."""
from __future__ import annotations

import html
import json
import posixpath

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ...analysis.checks import read_marks
from ...analysis.intervals import VERDICTS
from ...sources import paths
from . import annotated
from .assets import DOWNLOADS
from .nodes import hz_generated

logger = logging.getLogger(__name__)
CHAPTERS = "chapters/"
esc = html.escape


class Placeholder(SphinxDirective):
    """``{hz-annotated-source}``, ``{hz-checks}``, ``{hz-data-dictionary}``: a generated page."""

    KINDS = {"hz-annotated-source": "source", "hz-checks": "checks", "hz-data-dictionary": "data"}

    def run(self):
        kind = self.KINDS[self.name]
        pages = getattr(self.env, "hz_generated_pages", {})
        pages[self.env.docname] = kind
        self.env.hz_generated_pages = pages
        return [hz_generated(kind=kind)]


def chapter_docs(env) -> list[str]:
    return sorted(d for d in env.found_docs if d.startswith(CHAPTERS))


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


def render_source(app, docname: str) -> str:
    sections = annotated.fact_sections(app.env, lambda c: chapter_doc(app.env, c))

    def link(fid):
        if fid not in sections:
            return "#", "Analysis not found"
        doc, anchor, label = sections[fid]
        return uri(app, docname, doc, anchor), f"Analysed in: {label}"

    return annotated.render_html(link)


def chapter_checks(env) -> list[tuple[str, dict, str]]:
    """Every check marked in any chapter, as (chapter doc, record, title of its section)."""
    rows = []
    for doc in chapter_docs(env):
        for raw in env.get_doctree(doc).findall(nodes.raw):
            for record in read_marks(raw.astext()):
                section = annotated.section_of(raw)
                rows.append((doc, record, section.next_node(nodes.title).astext() if section else ""))
    return rows


def render_checks(app, docname: str) -> str:
    env = app.env
    rows = chapter_checks(env)
    if not rows:
        logger.warning("no check found in any chapter: hizones.analysis.checks marks each check",
                       location=docname)
    counts = {v: sum(r["verdict"] == v for _, r, _ in rows) for v in VERDICTS}
    head = (f'<p class="hz-checks-summary">{len(rows)} checks in {len({d for d, _, _ in rows})} chapters: '
            + ", ".join(f"{n} {v}" for v, n in counts.items()) + ".</p>")
    body = "".join(
        f'<tr class="hz-{r["verdict"]}"><td>{esc(env.titles[doc].astext())}</td>'
        f'<td>{esc(r["check"])}</td><td class="hz-verdict">{r["verdict"]}</td>'
        f'<td><a href="{esc(uri(app, docname, doc, r["anchor"]))}">{esc(where)}</a></td></tr>'
        for doc, r, where in rows)
    return (head + '<table class="table hz-checks-index"><caption>Every cross-check in the book</caption>'
            '<thead><tr><th scope="col">chapter</th><th scope="col">check</th><th scope="col">verdict</th>'
            f'<th scope="col">where it is made</th></tr></thead><tbody>{body}</tbody></table>')


def _constraints(field: dict) -> str:
    c = field.get("constraints", {})
    notes = []
    if "enum" in c:
        notes.append("one of " + ", ".join(f"<code>{esc(str(v))}</code>" for v in c["enum"]))
    if "pattern" in c:
        notes.append(f"pattern <code>{esc(c['pattern'])}</code>")
    if c.get("unique"):
        notes.append("unique")
    if "minimum" in c or "maximum" in c:
        notes.append(f"from {c.get('minimum', '…')} to {c.get('maximum', '…')}")
    if field.get("inSource"):
        notes.append("must occur in the source text")
    return f'<br><small>{"; ".join(notes)}</small>' if notes else ""


def _resource(app, docname: str, res: dict) -> str:
    href = esc(file_uri(app, docname, f"{DOWNLOADS}/{res['path']}"))
    out = [f'<section class="hz-resource" id="resource-{esc(res["name"])}">'
           f'<h3>{esc(res["name"])}: <a href="{href}" download>{esc(res["path"])}</a></h3>'
           f'<p>{esc(res.get("title", ""))}. {esc(res.get("description", ""))}</p>']
    fields = res.get("schema", {}).get("fields", [])
    if fields:
        rows = "".join(
            f'<tr><td><code>{esc(f["name"])}</code></td><td>{esc(f.get("type", "string"))}</td>'
            f'<td>{"yes" if f.get("constraints", {}).get("required") else ""}</td>'
            f'<td>{esc(f.get("description", ""))}{_constraints(f)}</td></tr>' for f in fields)
        out.append('<table class="table hz-data-dictionary"><thead><tr><th scope="col">field</th>'
                   '<th scope="col">type</th><th scope="col">required</th><th scope="col">description'
                   f'</th></tr></thead><tbody>{rows}</tbody></table>')
    elif res.get("hash"):
        out.append(f'<p>Text file, checked by its {esc(res["hash"].split(":")[0].upper())} hash: '
                   f'<code>{esc(res["hash"].split(":")[-1])}</code></p>')
    return "".join(out) + "</section>"


def render_data(app, docname: str) -> str:
    package = json.loads(paths.PACKAGE.read_text(encoding="utf-8"))
    zipped = esc(file_uri(app, docname, DOWNLOADS + "/hizones-data.zip"))
    descriptor = esc(file_uri(app, docname, DOWNLOADS + "/datapackage.json"))
    head = (f'<p class="hz-downloads">Download: <a href="{zipped}">the whole data package (zip)</a> · '
            f'<a href="{descriptor}">datapackage.json</a></p>')
    return "\n".join([head] + [_resource(app, docname, res) for res in package["resources"]])


RENDER = {"source": render_source, "checks": render_checks, "data": render_data}


def fill(app, doctree, docname):
    for node in list(doctree.findall(hz_generated)):
        if app.builder.format != "html":
            node.replace_self(nodes.paragraph(text="(This page is generated for the HTML book.)"))
            continue
        node.replace_self(nodes.raw("", RENDER[node["kind"]](app, docname), format="html"))
