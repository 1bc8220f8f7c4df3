"""What the built site loads, and nothing more: the chart library and the book's stylesheet in
``_static``, the data files for download, no script a page does not need, no file no page names,
and pages without indentation or spans for plainly coloured code tokens."""
from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

from ...analysis.charts import bundle_file
from ...sources import paths

STATIC = Path(__file__).parent / "static"
DOWNLOADS = "data"          # folder of the built site holding the data files for download


def add_static(app, config):
    config.html_static_path.append(str(STATIC))


def no_search_index(app, exception):
    """The theme's layout always loads searchindex.js, which the single-page build (printed to
    PDF) does not write: an empty one keeps that page free of 404s."""
    if exception is None and app.builder.name == "singlehtml":
        (Path(app.outdir) / "searchindex.js").write_text("/* the single page has no search */\n")


def prune_static(app, exception):
    """Drop from ``_static`` what no page can load: the themes ship translation catalogues,
    build-time templates, icons of launch services the book does not offer, and source maps.
    A file stays if any page, stylesheet or script of the site names it."""
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    named = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in out.rglob("*")
                      if p.suffix in (".html", ".css", ".js") and p.is_file())
    for path in sorted((out / "_static").rglob("*"), reverse=True):
        if path.is_file() and (path.suffix == ".map" or path.name not in named):
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


_VERBATIM = re.compile(r"(<pre\b.*?</pre>|<script\b.*?</script>|<style\b.*?</style>|<textarea\b.*?</textarea>)",
                       re.S | re.I)


def strip_indentation(app, exception):
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


def write_bundle(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / bundle_file().name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(bundle_file(), target)


def drop_unused_scripts(app, pagename, templatename, context, doctree):
    """Scripts a page would load for nothing, or from a CDN: sphinx-thebe's configuration script
    (the book does not use thebe, but it is still added, twice, which is a page error and names a
    CDN), and MathJax (from a CDN) when no page has any math."""
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


def copy_downloads(app, exception):
    """The data files, the package descriptor and a zip of them, for the data appendix's links."""
    if exception is not None or app.builder.format != "html":
        return
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


def lean_highlighting():
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
