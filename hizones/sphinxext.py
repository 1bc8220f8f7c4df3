"""Sphinx extension: serve the chart library and the book's stylesheet from the book itself.

Writes the Vega bundle into ``_static/`` of the built site (once per build, only for HTML-type
builders), so no page ever asks a CDN for it, and adds ``hizones.css``.
"""
from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).parent / "static"


def _add_static(app, config):
    config.html_static_path.append(str(STATIC))


def _write_bundle(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    from .charts import bundle, bundle_name

    target = Path(app.outdir) / "_static" / bundle_name()
    target.parent.mkdir(parents=True, exist_ok=True)
    text = bundle()
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")


def _drop_thebe(app, pagename, templatename, context, doctree):
    """The book does not use thebe (launch_buttons.thebe is false), but sphinx-thebe still adds
    its configuration script, twice, which is a page error ('THEBE_JS_URL has already been
    declared') and names a CDN. Remove it from every page."""
    files = context.get("script_files")
    if not files:
        return

    def is_thebe(js) -> bool:
        body = getattr(js, "attributes", {}).get("body", "") or ""
        return "THEBE_JS_URL" in body or str(getattr(js, "filename", js)).endswith("sphinx-thebe.js")

    context["script_files"] = [js for js in files if not is_thebe(js)]


def setup(app):
    app.connect("html-page-context", _drop_thebe)
    app.connect("config-inited", _add_static)
    app.add_css_file("hizones.css")
    app.connect("build-finished", _write_bundle)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
