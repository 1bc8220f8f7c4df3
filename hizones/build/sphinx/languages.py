"""Two editions, one book: the Chinese edition is the English one translated through Sphinx's
gettext catalogues (`hizones.build.catalogues`, `hizones.build.editions`).

- `switch`: every page links to the same page in the other language (and says so to search
  engines with ``<link rel="alternate" hreflang>``).
- `Untranslated`: in the Chinese edition, a paragraph, heading or list item still in English
  (its English changed after it was translated, or it is new) is a warning naming the page and
  the paragraph, so the strict build fails: the editions cannot drift apart.
- `fixed`: what the book generates in the edition's language (through the package's catalogue)
  is marked so that gettext neither extracts nor translates it again.
- `translate_markdown`: a chapter's Markdown in the edition's language, paragraph by paragraph
  from the chapter's catalogue, for the pages that quote a chapter (the answer sheet).
- `detach` and `Chinese`: two repairs to Sphinx 7.4 that cost the Chinese build half its time
  (`make bench` measures the build).
"""
from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx.util.i18n import docname_to_domain
from sphinx.util.nodes import extract_messages

from ...sources.i18n import CHINESE, ENGLISH, _, catalogue
from ...sources.i18n import needs_translation as i18n_needs_translation
from ..catalogues import CODE
from ..editions import base_of, output

logger = logging.getLogger(__name__)
NAMES = {ENGLISH: "English", CHINESE: "中文"}
HREFLANG = {ENGLISH: "en", CHINESE: "zh-CN"}


def language(app) -> str:
    return CHINESE if (app.config.language or "en").startswith("zh") else ENGLISH


def other(app) -> str:
    return ENGLISH if language(app) == CHINESE else CHINESE


def _edition_root(app, lang: str) -> Path:
    """The other edition's site, beside this one (as `hizones.build.editions.output` places them)."""
    student = app.config.hizones_edition == "student"
    return output(base_of(Path(app.outdir), language(app), "html", student), lang, "html", student)


def report_missing(app) -> None:
    """In the Sphinx process, a text the package's catalogue lacks is a warning (so an error)."""
    from ...sources import i18n

    def warn(message: str) -> None:
        logger.warning("%s (make catalogues, then translate)", message, type="hizones", subtype="untranslated")
    i18n.REPORTERS[:] = [warn]


def switch(app, pagename, templatename, context, doctree):
    """A link to this page in the other edition, at the top of the article."""
    if app.builder.name != "html":
        return
    lang, to = language(app), other(app)
    here = Path(app.outdir) / pagename
    target = _edition_root(app, to) / f"{pagename}.html"
    href = os.path.relpath(target, here.parent).replace(os.sep, "/")
    label = "Read this page in English" if to == ENGLISH else "阅读本页中文版"
    context["body"] = (f'<nav class="hz-lang" aria-label="{"语言" if lang == CHINESE else "Language"}">'
                       f'<a href="{href}" hreflang="{HREFLANG[to]}" lang="{HREFLANG[to]}">'
                       f'{NAMES[to]}</a><span class="hz-lang-hint" lang="{HREFLANG[to]}"> · {label}</span>'
                       f'</nav>\n' + context.get("body", ""))
    context["metatags"] = context.get("metatags", "") + (
        f'\n<link rel="alternate" hreflang="{HREFLANG[to]}" href="{href}">')


def needs_translation(message: str) -> bool:
    """Whether a page's message has English outside its code, roles and links (the package's rule,
    `hizones.sources.i18n.needs_translation`)."""
    return i18n_needs_translation(CODE.sub(" ", message))


class Untranslated(SphinxTransform):
    """After Sphinx's own translation (priority 20): English left in a Chinese page is an error."""

    default_priority = 25

    def apply(self):
        if language(self.app) != CHINESE or self.app.builder.name == "gettext":
            return
        _exercise_titles(self.document)
        for node, message in untranslated(self.document):
            logger.warning("untranslated: %r (run `make catalogues`, then translate locales/zh_CN/"
                           "LC_MESSAGES/%s.po)", message[:120], self.env.docname,
                           location=node, type="hizones", subtype="untranslated")


def detach(app, doctree) -> None:
    """Nodes Sphinx parsed from a translation still point at the throw-away document it parsed
    them in, whose settings carry the whole build environment: every page saved the environment
    again, with the pages read before it (a Chinese page's doctree grew from 0.6 to 3.7 MB, and
    each cross-reference loads one). Point them at their own page, once it is read."""
    for node in doctree.findall():
        if node.document is not doctree:
            node.document = doctree


def search_language(app, config) -> None:
    """In the Chinese edition, `Chinese` indexes the pages for search in place of Sphinx's own
    (imported only there: jieba takes 0.15 s to load)."""
    if (config.language or "en").startswith("zh"):
        app.add_search_language(_chinese_search())


def _chinese_search():
    from sphinx.search import zh

    class Chinese(zh.SearchChinese):
        """Sphinx's Chinese search with its Latin words in a set: Sphinx keeps them in a list
        shared by every page and looks each word up in it, so indexing grew with the square of
        the book (8 of the Chinese build's seconds). The index is the same."""

        def init(self, options) -> None:
            super().init(options)
            self.latin_terms = set()

        def split(self, input: str) -> list[str]:
            chinese = list(zh.jieba.cut_for_search(input)) if zh.JIEBA else []
            latin = [term.strip() for term in self.latin1_letters.findall(input)]
            self.latin_terms.update(latin)
            return chinese + latin
    return Chinese


def toctree_captions(app, doctree) -> None:
    """The captions of the parts (from ``_toc.yml``, inserted after Sphinx has translated the page)
    as the root page's catalogue translates them."""
    from sphinx import addnodes

    if language(app) != CHINESE:
        return
    lookup = translator(app.env, app.env.docname)
    for toc in doctree.findall(addnodes.toctree):
        caption = toc.get("rawcaption") or toc.get("caption")
        if caption:
            found = lookup(caption)
            if found is None:
                logger.warning("untranslated part caption: %r", caption, location=toc, type="hizones",
                               subtype="untranslated")
            toc["caption"] = found or caption


def untranslated(document) -> list[tuple[nodes.Node, str]]:
    """The messages of a translated page still in English: neither translated by Sphinx, nor
    generated in Chinese (`fixed`), nor without words to translate (code, a Chinese quote)."""
    return [(node, message) for node, message in extract_messages(document)
            if not node.get("translated") and not node.get("hz_fixed") and needs_translation(message)]


def _exercise_titles(document) -> None:
    """sphinx-exercise makes the titles of exercises and solutions itself (gettext never sees
    them): their words come from the package's catalogue, which gathers every exercise title
    from the chapters (`hizones.build.catalogues`)."""
    from sphinx_exercise.nodes import exercise_title, solution_node, solution_title

    for node in document.findall(solution_node):       # its title is made again from this, later
        if needs_translation(node.get("title", "")):
            node["title"] = _(node["title"])
    for title in [*document.findall(exercise_title), *document.findall(solution_title)]:
        for text in list(title.findall(nodes.Text)):
            if needs_translation(text.astext()):
                text.parent.replace(text, nodes.Text(_(text.astext())))
        fixed(title)


def fixed(node: nodes.Node) -> nodes.Node:
    """Mark generated text as already in the edition's language (gettext leaves it alone)."""
    for n in node.findall(nodes.TextElement):
        if isinstance(n, nodes.Inline):       # Sphinx unwraps inline nodes that say whether they translate
            continue
        n["translatable"] = False
        n["hz_fixed"] = True
    return node


@lru_cache(maxsize=None)
def _catalogue(locale_dir: str, domain: str):
    import gettext

    mo = Path(locale_dir) / CHINESE / "LC_MESSAGES" / f"{domain}.mo"
    if not mo.exists():
        return None
    with mo.open("rb") as f:
        return gettext.GNUTranslations(f)


FENCE = re.compile(r"^(\s*(?:```+|:::+)\{[\w:-]+\}\s*)(.*)$")
HEADING = re.compile(r"^(#+\s+)(.*)$")
ITEM = re.compile(r"^(\s*(?:[-*+]|\d+[.)])\s+)(.*)$")
QUOTE = re.compile(r"^(>\s?)(.*)$")


def translator(env, docname: str):
    """``message → translation or None`` from the chapter's catalogue (None: not translated)."""
    domain = docname_to_domain(docname, env.config.gettext_compact)
    cats = [c for d in env.config.locale_dirs if (c := _catalogue(str(Path(env.srcdir, d)), domain))]

    def lookup(message: str) -> str | None:
        found = next((c.gettext(message) for c in cats if c.gettext(message) != message), None)
        return found if found is not None else catalogue().get(message)     # an exercise's title
    return lookup


def _block(lines: list[str], lookup) -> list[str] | None:
    """One block of Markdown (no blank line inside) translated, or None where a message is
    missing. Headings, list items, quotes and directive titles are messages of their own, as
    Sphinx extracts them; options and fences stay as they are."""
    out, item, missing = [], None, []

    def flush():
        if item is not None:
            prefix, words = item
            message = " ".join(w.strip() for w in words)
            found = lookup(message)
            if found is None and needs_translation(message):
                missing.append(message)
            out.append(prefix + (found or message))

    plain = [ln for ln in lines if not (FENCE.match(ln) or ln.lstrip().startswith(":") or ln.strip() in ("```", ":::")
                                        or HEADING.match(ln) or ITEM.match(ln))]
    if len(plain) == len(lines):                       # a paragraph (or a quote)
        q = [QUOTE.match(ln) for ln in lines]
        prefix = "> " if all(q) else ""
        words = [m.group(2) for m in q] if all(q) else lines
        item = (prefix, words)
        flush()
        return None if missing else out
    for ln in lines:
        fence, heading, entry = FENCE.match(ln), HEADING.match(ln), ITEM.match(ln)
        if fence or heading or entry or ln.lstrip().startswith(":") or ln.strip() in ("```", ":::"):
            flush()
            item = None
            if fence and fence.group(2).strip():
                item = (fence.group(1), [fence.group(2)])
                flush()
                item = None
            elif heading or entry:
                m = heading or entry
                item = (m.group(1), [m.group(2)])
            else:
                out.append(ln)
        elif item is not None:
            item[1].append(ln)                           # a continued list item or paragraph
        else:
            item = ("", [ln])                            # a paragraph inside a directive
    flush()
    return None if missing else out


def translate_markdown(env, docname: str, text: str) -> str:
    """``text`` (Markdown from chapter ``docname``) in the edition's language, message by message
    from the chapter's catalogue; a message it does not have is a warning."""
    if language(env.app) != CHINESE:
        return text
    lookup, out = translator(env, docname), []
    for block in re.split(r"\n\s*\n", text):
        lines = block.strip("\n").split("\n")
        done = _block(lines, lookup)
        if done is None:
            logger.warning("untranslated (from %s): %r", docname, block.strip()[:120], type="hizones",
                           subtype="untranslated")
        out.append("\n".join(done if done is not None else lines))
    return "\n\n".join(out)
