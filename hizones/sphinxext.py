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


def setup(app):
    app.connect("config-inited", _add_static)
    app.add_css_file("hizones.css")
    app.connect("build-finished", _write_bundle)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
