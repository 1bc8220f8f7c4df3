"""Sphinx extension: the book's own pages and its offline, self-contained site.

- writes the Vega bundle into ``_static/`` (only for HTML-type builders) and adds ``hizones.css``;
- the reference pages, generated from the validated data at build time: the annotated source
  (``{hz-annotated-source}``), the glossary (``{hz-glossary}``), the data dictionary with
  downloads (``{hz-data-dictionary}``) and the index of every cross-check (``{hz-checks}``);
- links the first use of each glossary term in every chapter to its entry;
- the student edition (``HIZONES_EDITION=student``): solutions removed, also from the
  notebooks offered for download.
"""
from __future__ import annotations

import html
import json
import os
import posixpath
import re
import shutil
import zipfile
from functools import lru_cache
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.domains.std import Glossary
from sphinx.transforms import SphinxTransform
from sphinx.util.docutils import SphinxDirective

STATIC = Path(__file__).parent / "static"
CHAPTERS = "chapters/"
DOWNLOADS = "data"          # folder of the built site holding the data files for download
EDITION = os.environ.get("HIZONES_EDITION", "") or "book"   # "student": no solutions


# --- assets -----------------------------------------------------------------------------------

def _no_search_index(app, exception):
    """The theme's layout always loads searchindex.js, which the single-page build (printed to
    PDF) does not write: an empty one keeps that page free of 404s."""
    if exception is None and app.builder.name == "singlehtml":
        (Path(app.outdir) / "searchindex.js").write_text("/* the single page has no search */\n")


def _prune_static(app, exception):
    """Drop from ``_static`` what no page can load: the themes ship translation catalogues,
    build-time templates, icons of launch services the book does not offer, and source maps.
    A file stays if any page, stylesheet or script of the site names it."""
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    static = out / "_static"
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in out.rglob("*")
             if p.suffix in (".html", ".css", ".js") and p.is_file()]
    named = "\n".join(texts)
    for path in sorted(static.rglob("*"), reverse=True):
        if path.is_file() and (path.suffix == ".map" or path.name not in named):
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


_VERBATIM = re.compile(r"(<pre\b.*?</pre>|<script\b.*?</script>|<style\b.*?</style>|<textarea\b.*?</textarea>)",
                       re.S | re.I)


def _strip_indentation(app, exception):
    """Drop the indentation of every line of every page, outside pre, script, style and textarea:
    a browser collapses a newline and the spaces after it into one space anyway, so pages look
    the same and weigh a few kilobytes less."""
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        parts = _VERBATIM.split(text)
        lean = "".join(p if i % 2 else re.sub(r"\n[ \t]+", "\n", p) for i, p in enumerate(parts))
        if lean != text:
            page.write_text(lean, encoding="utf-8")


def _add_static(app, config):
    config.html_static_path.append(str(STATIC))
    if EDITION not in ("book", "student"):
        raise ValueError(f"HIZONES_EDITION={EDITION!r}: use 'student', or leave it unset for the book")
    config.hizones_edition = EDITION


def _write_bundle(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    from .charts import bundle_file

    target = Path(app.outdir) / "_static" / bundle_file().name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(bundle_file(), target)


def _drop_unused_scripts(app, pagename, templatename, context, doctree):
    """Scripts a page would load for nothing, or from a CDN:

    - sphinx-thebe's configuration script: the book does not use thebe (launch_buttons.thebe is
      false), but it is still added, twice, which is a page error ('THEBE_JS_URL has already been
      declared') and names a CDN;
    - MathJax (from a CDN) when no page has any math: the single-page build adds it to its one
      page regardless;
    """
    files = context.get("script_files")
    if not files:
        return
    no_math = not any(app.env.get_domain("math").data.get("has_equations", {}).values())

    def unused(js) -> bool:
        name = str(getattr(js, "filename", js))
        body = getattr(js, "attributes", {}).get("body", "") or ""
        return ("THEBE_JS_URL" in body or name.endswith("sphinx-thebe.js")
                or (no_math and "mathjax" in name.lower()))

    context["script_files"] = [js for js in files if not unused(js)]


# --- generated pages --------------------------------------------------------------------------

class hz_generated(nodes.General, nodes.Element):
    """Placeholder filled in when the page is resolved, once every chapter has been read."""


def _skip(self, node):
    raise nodes.SkipNode


class _Placeholder(SphinxDirective):
    kind = ""

    def run(self):
        if self.kind == "checks":
            self.env.hz_check_pages = getattr(self.env, "hz_check_pages", set()) | {self.env.docname}
        if self.kind == "source":
            self.env.hz_source_pages = getattr(self.env, "hz_source_pages", set()) | {self.env.docname}
        return [hz_generated(kind=self.kind)]


class AnnotatedSource(_Placeholder):
    kind = "source"


class ChecksIndex(_Placeholder):
    kind = "checks"


class DataDictionary(_Placeholder):
    kind = "data"


def _chapter_docs(env) -> list[str]:
    return sorted(d for d in env.found_docs if d.startswith(CHAPTERS))


def _chapter_doc(env, chapter: str) -> str:
    for d in _chapter_docs(env):
        if d.split("/", 1)[1].split("_", 1)[1] == chapter:
            return d
    raise LookupError(f"no chapter notebook for chapter {chapter!r} (facts.csv names it)")


def _uri(app, fromdoc: str, todoc: str, anchor: str = "") -> str:
    if app.builder.name == "singlehtml":
        return f"#{anchor}" if anchor else f"#document-{todoc}"
    uri = app.builder.get_relative_uri(fromdoc, todoc)
    return f"{uri}#{anchor}" if anchor else uri


def _file_uri(app, fromdoc: str, path: str) -> str:
    here = posixpath.dirname(app.builder.get_target_uri(fromdoc)) if app.builder.name != "singlehtml" else ""
    return posixpath.relpath(path, here or ".")


def _fact_sections(app) -> dict[str, tuple[str, str, str]]:
    """fact id -> (chapter doc, section id, label): the section holding the first code cell that
    names the fact (or, if that cell is removed from the page, the next cell shown)."""
    from . import facts

    env = app.env
    out = {}
    table = facts()
    for chapter, ids in table.groupby("chapter").groups.items():
        doc = _chapter_doc(env, chapter)
        nb = json.loads(Path(env.doc2path(doc)).read_text(encoding="utf-8"))
        sources = ["".join(c["source"]) if c["cell_type"] == "code" else "" for c in nb["cells"]]
        tree = env.get_doctree(doc)
        cells = [(n["cell_index"], n) for n in tree.findall(nodes.container)
                 if n.get("nb_element") == "cell_code"]
        for fid in ids:
            pattern = re.compile(r"[\"']" + re.escape(fid) + r"[\"']")
            first = next((i for i, s in enumerate(sources) if pattern.search(s)), None)
            if first is None:
                raise LookupError(f"data/facts.csv, id {fid!r}, field 'chapter': no code cell of {doc} uses it")
            shown = next((n for i, n in cells if i >= first), None)
            section = _section_of(shown) if shown is not None else None
            if section is None:
                raise LookupError(f"data/facts.csv, id {fid!r}: no section of {doc} shows its analysis")
            title = section.next_node(nodes.title).astext()
            out[fid] = (doc, section["ids"][0], f"{env.titles[doc].astext()} › {title}")
    return out


def _section_of(node):
    while node is not None and not isinstance(node, nodes.section):
        node = node.parent
    return node


def _render_source(app, docname: str) -> str:
    from .annotate import render_html

    sections = _fact_sections(app)

    def link(fid):
        doc, anchor, label = sections[fid]
        return _uri(app, docname, doc, anchor), f"Analysed in: {label}"

    return render_html(link)


def _render_checks(app, docname: str) -> str:
    env = app.env
    rows = []
    for doc in _chapter_docs(env):
        tree = env.get_doctree(doc)
        for raw in tree.findall(nodes.raw):
            for m in re.finditer(r'<p class="hz-check[^"]*" id="([^"]+)" data-verdict="([a-z]+)" '
                                 r'data-check="([^"]*)"', raw.astext()):
                section = _section_of(raw)
                where = section.next_node(nodes.title).astext() if section is not None else ""
                rows.append((doc, m.group(1), m.group(2), html.unescape(m.group(3)), where))
    if not rows:
        raise LookupError("no check found in any chapter: hizones.Checks.add marks each check")
    counts = {v: sum(r[2] == v for r in rows) for v in ("consistent", "inconsistent", "undecidable")}
    head = (f'<p class="hz-checks-summary">{len(rows)} checks in {len({r[0] for r in rows})} chapters: '
            + ", ".join(f"{n} {v}" for v, n in counts.items()) + ".</p>")
    body = "".join(
        f'<tr class="hz-{v}"><td>{html.escape(env.titles[doc].astext())}</td>'
        f'<td>{html.escape(check)}</td><td class="hz-verdict">{v}</td>'
        f'<td><a href="{html.escape(_uri(app, docname, doc, anchor))}">{html.escape(where)}</a></td></tr>'
        for doc, anchor, v, check, where in rows)
    return (head + '<table class="table hz-checks-index"><caption>Every cross-check in the book</caption>'
            '<thead><tr><th scope="col">chapter</th><th scope="col">check</th><th scope="col">verdict</th>'
            f'<th scope="col">where it is made</th></tr></thead><tbody>{body}</tbody></table>')


def _render_data(app, docname: str) -> str:
    from . import paths

    package = json.loads(paths.PACKAGE.read_text(encoding="utf-8"))
    esc = html.escape
    out = [f'<p class="hz-downloads">Download: <a href="{esc(_file_uri(app, docname, DOWNLOADS + "/hizones-data.zip"))}">'
           'the whole data package (zip)</a> · <a href="'
           f'{esc(_file_uri(app, docname, DOWNLOADS + "/datapackage.json"))}">datapackage.json</a></p>']
    for res in package["resources"]:
        href = esc(_file_uri(app, docname, f"{DOWNLOADS}/{res['path']}"))
        out.append(f'<section class="hz-resource" id="resource-{esc(res["name"])}">'
                   f'<h3>{esc(res["name"])}: <a href="{href}" download>{esc(res["path"])}</a></h3>'
                   f'<p>{esc(res.get("title", ""))}. {esc(res.get("description", ""))}</p>')
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
        out.append("</section>")
    return "\n".join(out)


def _constraints(field: dict) -> str:
    c = field.get("constraints", {})
    notes = []
    if "enum" in c:
        notes.append("one of " + ", ".join(f"<code>{html.escape(str(v))}</code>" for v in c["enum"]))
    if "pattern" in c:
        notes.append(f"pattern <code>{html.escape(c['pattern'])}</code>")
    if c.get("unique"):
        notes.append("unique")
    if "minimum" in c or "maximum" in c:
        notes.append(f"from {c.get('minimum', '…')} to {c.get('maximum', '…')}")
    if field.get("inSource"):
        notes.append("must occur in the source text")
    return f'<br><small>{"; ".join(notes)}</small>' if notes else ""


_RENDER = {"source": _render_source, "checks": _render_checks, "data": _render_data}


def _fill(app, doctree, docname):
    for node in list(doctree.findall(hz_generated)):
        if app.builder.format != "html":
            node.replace_self(nodes.paragraph(text="(This page is generated for the HTML book.)"))
            continue
        node.replace_self(nodes.raw("", _RENDER[node["kind"]](app, docname), format="html"))


def _outdated(app, env, added, changed, removed):
    """The generated pages read every chapter: rebuild them whenever anything changes."""
    if not (added or changed or removed):
        return []
    return sorted(getattr(env, "hz_check_pages", set()) | getattr(env, "hz_source_pages", set()))


def _merge(app, env, docnames, other):
    for attr in ("hz_check_pages", "hz_source_pages"):
        setattr(env, attr, getattr(env, attr, set()) | getattr(other, attr, set()))


def _copy_downloads(app, exception):
    """The data files, the package descriptor and a zip of them, for the data appendix's links."""
    if exception is not None or app.builder.format != "html":
        return
    from . import paths

    package = json.loads(paths.PACKAGE.read_text(encoding="utf-8"))
    target = Path(app.outdir) / DOWNLOADS
    files = [paths.PACKAGE] + [paths.DATA / r["path"] for r in package["resources"]]
    for f in files:
        dest = target / f.relative_to(paths.DATA)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, dest)
    with zipfile.ZipFile(target / "hizones-data.zip", "w", zipfile.ZIP_DEFLATED) as z:
        for f in files + [paths.DATA / "README.md", paths.DATA / "source" / "CITATION.md"]:
            info = zipfile.ZipInfo(f"hizones-data/{f.relative_to(paths.DATA).as_posix()}", (2023, 12, 12, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, f.read_bytes())


# --- glossary ---------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _terms():
    from .text import glossary_table

    return glossary_table()


class HzGlossary(Glossary):
    """Sphinx's glossary, its entries generated from data/text/glossary.csv (defined terms)."""

    required_arguments = 0
    has_content = False

    def run(self):
        terms = _terms()
        defined = terms[terms["definition"] != ""]
        lines = []
        for t in defined.itertuples():
            lines += [t.term_zh, f"   *{t.term_en}* ({t.kind}). {t.definition}", ""]
        self.content = StringList(lines, source="data/text/glossary.csv")
        self.env.note_dependency(str(Path(self.env.srcdir) / "data" / "text" / "glossary.csv"))
        result = super().run()
        vocab = terms[terms["definition"] == ""]
        table = nodes.table(classes=["hz-vocabulary"])
        group = nodes.tgroup(cols=2)
        group += [nodes.colspec(colwidth=1), nodes.colspec(colwidth=3)]
        head = nodes.thead()
        head += _row(["Chinese", "English"])
        body = nodes.tbody()
        body += [_row([t.term_zh, t.term_en]) for t in vocab.itertuples()]
        group += [head, body]
        table += group
        section = nodes.section(ids=["vocabulary"], names=["vocabulary"])
        section += nodes.title(text="Word list of the text analysis")
        section += nodes.paragraph(text="Words of the briefing that need a translation but no definition; "
                                        "the text-analysis chapter uses them to label its charts.")
        section += table
        return result + [section]


def _row(cells):
    row = nodes.row()
    for c in cells:
        entry = nodes.entry()
        entry += nodes.paragraph(text=c)
        row += entry
    return row


class LinkTerms(SphinxTransform):
    """In every chapter, the first use of each defined glossary term links to its entry."""

    default_priority = 500
    SKIP = (nodes.literal, nodes.literal_block, nodes.reference, nodes.title, nodes.raw,
            addnodes.pending_xref, nodes.term, nodes.FixedTextElement, nodes.caption)

    def apply(self):
        if not self.env.docname.startswith(CHAPTERS):
            return
        terms = _terms()
        words = sorted(terms.loc[terms["definition"] != "", "term_zh"], key=len, reverse=True)
        if not words:
            return
        pattern = re.compile("|".join(map(re.escape, words)))
        done: set[str] = set()
        for text in list(self.document.findall(nodes.Text)):
            if any(isinstance(a, self.SKIP) for a in _ancestors(text)):
                continue
            if not isinstance(text.parent, (nodes.paragraph, nodes.list_item, nodes.emphasis,
                                            nodes.strong, nodes.inline, nodes.entry)):
                continue
            self._link(text, pattern, done)

    def _link(self, text, pattern, done):
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


def _ancestors(node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


# --- student edition --------------------------------------------------------------------------

class RemoveSolutions(SphinxTransform):
    """Student edition: drop every solution, with what it holds. Gated solutions (the code cells
    between solution-start and solution-end) are first merged into one solution node by
    sphinx-exercise; its own ``hide_solutions`` would drop only the start marker and leave the
    code, so it is not used."""

    default_priority = 20     # after sphinx-exercise's MergeGatedSolutions (10)

    def apply(self):
        if self.config.hizones_edition != "student":
            return
        from sphinx_exercise.nodes import solution_end_node, solution_node, solution_start_node

        for cls in (solution_node, solution_start_node, solution_end_node):
            for node in list(self.document.findall(cls)):
                node.parent.remove(node)


def strip_solutions(nb: dict) -> dict:
    """A notebook without the cells between ``solution-start`` and ``solution-end``, inclusive."""
    cells, inside = [], False
    for cell in nb["cells"]:
        src = "".join(cell["source"]) if cell["cell_type"] == "markdown" else ""
        if re.search(r"^```\{solution-start\}", src, re.M):
            inside = True
        if not inside:
            cells.append(cell)
        if re.search(r"^```\{solution-end\}", src, re.M):
            inside = False
    return {**nb, "cells": cells}


def _strip_downloads(app, exception):
    if exception is not None or app.config.hizones_edition != "student" or app.builder.format != "html":
        return
    for path in (Path(app.outdir) / "_sources").rglob("*.ipynb"):
        nb = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(strip_solutions(nb), ensure_ascii=False, indent=1), encoding="utf-8")


def _print_hidden_code(app):
    """In the single page printed to PDF, code a chapter hides behind a toggle is left out.
    (sphinx-exercise registers handlers for the singlehtml builder by name, so Sphinx no longer
    falls back to myst-nb's html handlers for this node there.)"""
    from myst_nb.sphinx_ import HideCodeCellNode

    app.add_node(HideCodeCellNode, override=True, singlehtml=(_skip, None))


def _lean_highlighting():
    """Pygments' HTML without spans for the tokens the book's light and dark styles colour like
    plain code (names, punctuation, whitespace; tests/test_book.py checks that they do): the same
    look at half the markup, which is most of a chapter page's weight."""
    from pygments.formatters import HtmlFormatter
    from pygments.token import Name, Punctuation, Text
    from sphinx.highlighting import PygmentsBridge

    class LeanHtmlFormatter(HtmlFormatter):
        PLAIN = (Name, Punctuation, Text, Text.Whitespace)

        def _get_css_class(self, ttype):
            return "" if ttype in self.PLAIN else super()._get_css_class(ttype)

    PygmentsBridge.html_formatter = LeanHtmlFormatter


def setup(app):
    _lean_highlighting()
    app.setup_extension("sphinx_exercise")
    _print_hidden_code(app)
    app.connect("html-page-context", _drop_unused_scripts)
    app.connect("config-inited", _add_static)
    app.add_css_file("hizones.css")
    app.connect("build-finished", _write_bundle)
    app.connect("build-finished", _copy_downloads)
    app.connect("build-finished", _no_search_index)
    app.connect("build-finished", _strip_indentation, priority=890)
    app.connect("build-finished", _prune_static, priority=900)   # after everything else is written
    app.connect("build-finished", _strip_downloads)
    app.add_config_value("hizones_edition", "book", "env")
    app.add_node(hz_generated, html=(_skip, None), latex=(_skip, None), text=(_skip, None))
    app.add_directive("hz-annotated-source", AnnotatedSource)
    app.add_directive("hz-checks", ChecksIndex)
    app.add_directive("hz-data-dictionary", DataDictionary)
    app.add_directive("hz-glossary", HzGlossary)
    app.add_transform(LinkTerms)
    app.add_transform(RemoveSolutions)
    app.connect("doctree-resolved", _fill)
    app.connect("env-get-outdated", _outdated)
    app.connect("env-merge-info", _merge)
    return {"version": "2", "parallel_read_safe": True, "parallel_write_safe": True}
