"""What the built site loads, and nothing more: the chart library and the book's stylesheet in
``_static``, the data files for download, no script a page does not need, no file no page names,
and pages without indentation or spans for plainly coloured code tokens."""
from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

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


#: Icon-font styles and the classes that draw with them.
ICON_STYLES = {"fa-solid-900": re.compile(r'class="[^"]*\b(fa-solid|fas)\b'),
               "fa-regular-400": re.compile(r'class="[^"]*\b(fa-regular|far)\b'),
               "fa-brands-400": re.compile(r'class="[^"]*\b(fa-brands|fab)\b')}


def unused_by_pages(out: Path, pages: str) -> list[Path]:
    """Files a browser never fetches although a stylesheet or script names them: TrueType copies of
    the icon fonts (every browser the book supports takes the WOFF2 first), icon-font styles no
    page draws, the toggler images of Sphinx's base theme when no page has a toggler and its
    search-hit icon (the theme draws search results without it), the icon
    script once no page loads it, and the cross-reference inventory of other Sphinx projects."""
    fonts = out / "_static" / "vendor" / "fontawesome" / "webfonts"
    drop = [f for f in fonts.glob("*.ttf") if f.with_suffix(".woff2").exists()]
    drop += [fonts / f"{name}.woff2" for name, used in ICON_STYLES.items() if not used.search(pages)]
    if 'class="toggler' not in pages:
        drop += [out / "_static" / "plus.png", out / "_static" / "minus.png"]
    drop.append(out / "_static" / "file.png")   # basic.css's icon for search hits, which the theme restyles
    if "fontawesome.js" not in pages:     # see drop_icon_script; it names itself in its licence comment
        drop += list((out / "_static" / "scripts").glob("fontawesome.js*"))
    return [f for f in drop + [out / "objects.inv"] if f.exists()]


def prune_static(app, exception):
    """Drop from ``_static`` what no page can load: the themes ship translation catalogues,
    build-time templates, icons of launch services the book does not offer, and source maps; a
    file stays if any page, stylesheet or script of the site names it, unless it is one of the
    files named but never fetched (`unused_by_pages`)."""
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    pages = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in out.rglob("*.html"))
    named = pages + "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in out.rglob("*")
                              if p.suffix in (".css", ".js") and p.is_file())
    for path in unused_by_pages(out, pages):
        path.unlink()
    for path in sorted((out / "_static").rglob("*"), reverse=True):
        if path.is_file() and (path.suffix == ".map" or path.name not in named):
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


_VERBATIM = re.compile(r"(<pre\b.*?</pre>|<script\b.*?</script>|<style\b.*?</style>|<textarea\b.*?</textarea>)",
                       re.S | re.I)


_ICON_SCRIPT = re.compile(r'<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>\n?')


def drop_icon_script(app, exception):
    """The theme's layout loads Font Awesome's script (1.5 MB, the largest file of every page) to
    redraw its dozen icons as SVG; the theme's stylesheet draws the same icons with the icon font,
    with no script, so pages leave it out and show their text sooner."""
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        lean = _ICON_SCRIPT.sub("", text)
        if lean != text:
            page.write_text(lean, encoding="utf-8")


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


HYDRATOR_NAME = "hz-charts.js"


def write_bundle(app, exception):
    """The chart library and the hydrator that loads it when a chart first needs it."""
    if exception is not None or app.builder.format != "html":
        return
    # imported here, not with the extension: altair costs most of a second, and only this last
    # step of a build needs it
    from ...analysis.charts import HYDRATOR, bundle_file

    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    if not (static / bundle_file().name).exists():
        shutil.copyfile(bundle_file(), static / bundle_file().name)
    shutil.copyfile(HYDRATOR, static / HYDRATOR_NAME)


def load_hydrator(app, pagename, templatename, context, doctree):
    """Pages with charts load the hydrator, deferred: the charts are already drawn (SVG), so
    nothing waits for it."""
    if 'class="hz-chart"' in (context.get("body") or ""):
        app.add_js_file(HYDRATOR_NAME, loading_method="defer")


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

    files[:] = [js for js in files if not unused(js)]   # in place: per-page additions go to this list


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
