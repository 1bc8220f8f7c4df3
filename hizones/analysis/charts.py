"""One chart style and one renderer for the whole book.

The renderer draws every chart with vega-embed from the book's own files, so charts work with
no network at all (no CDN is ever asked). Two output modes:

- ``book`` (set ``HIZONES_OUTPUT=book``; the Makefile and the tests do): each chart is a small
  ``<div>`` plus a script that loads ``_static/<bundle>`` once per page, on pages that have
  charts. The book's Sphinx extension (`hizones.build.sphinx`) writes that bundle into the built site.
- ``standalone`` (the default, for a reader in JupyterLab or Jupyter Notebook): the first chart
  of a kernel session carries the Vega bundle itself; later charts reuse it.

Element ids are ``hz-<chapter>-<n>``: the same on every run, so stored outputs reproduce.
"""
from __future__ import annotations

import html
import json
import os
from functools import lru_cache
from pathlib import Path

import altair as alt

#: CJK-capable font stack: Noto Sans CJK (Linux, and what the PDF build installs), then the
#: system fonts of macOS and Windows, then any sans-serif.
FONT = ('"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", '
        '"Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif')

#: Okabe–Ito: distinguishable under the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]

#: How reported and derived figures differ in every chart: derived ones are pale and dashed.
KINDS = ["reported", "derived", "official"]
KIND_OPACITY = alt.Scale(domain=KINDS, range=[1.0, 0.45, 1.0])
KIND_DASH = alt.Scale(domain=KINDS, range=[[1, 0], [4, 3], [1, 0]])

SOURCE_BRIEFING = ("Source: MIIT press conference on national high-tech zones, 12 Dec 2023, "
                   "as reported by 中国电子报")
#: The source line of a chart whose figures the book derived from the briefing's.
SOURCE_DERIVED = SOURCE_BRIEFING + "; derived in this book"

EMBED_OPTIONS = {
    "renderer": "svg",  # crisp in print and PDF; text stays selectable
    "actions": {"export": True, "source": False, "compiled": False, "editor": False},
}


@alt.theme.register("hizones", enable=True)
def theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": FONT,
            "background": "white",
            "padding": 8,
            "view": {"stroke": None, "continuousWidth": 520, "continuousHeight": 300},
            # "font" above is every text's default (marks, titles, labels, legends): stated once,
            # since each chart carries its config. tests/test_browser.py checks the SVG's text.
            "title": {"fontSize": 15, "fontWeight": 600, "anchor": "start",
                      "subtitleFontSize": 11, "subtitleColor": "#555555", "offset": 12},
            "axis": {"labelFontSize": 11, "titleFontSize": 12,
                     "gridColor": "#e6e6e6", "labelLimit": 260, "domainColor": "#888888", "tickColor": "#888888"},
            "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "bottom", "direction": "horizontal"},
            "range": {"category": PALETTE},
            "bar": {"color": PALETTE[0]},
            "point": {"color": PALETTE[0], "filled": True, "size": 70},
        }
    }


def titled(chart, title: str, subtitle: str = "", source: str = SOURCE_BRIEFING):
    """Give a chart its title, an optional subtitle and the source line every chart carries."""
    lines = ([subtitle] if subtitle else []) + [source]
    return chart.properties(title=alt.Title(title, subtitle=lines), description=f"{title}. {subtitle}")


def kind_encodings(field: str = "kind") -> dict:
    """Opacity and stroke dash that set derived figures apart from reported ones."""
    return {
        "opacity": alt.Opacity(f"{field}:N", scale=KIND_OPACITY, sort=KINDS, title="figure"),
        "strokeDash": alt.StrokeDash(f"{field}:N", scale=KIND_DASH, sort=KINDS, title="figure"),
    }


# ----- the renderer ------------------------------------------------------------------------------
_state = {"chapter": "chart", "count": 0, "bundle_sent": False}


def setup(chapter: str) -> None:
    """Start a chapter: chart ids restart at ``hz-<chapter>-1``."""
    _state.update(chapter=chapter, count=0)


def mode() -> str:
    return "book" if os.environ.get("HIZONES_OUTPUT") == "book" else "standalone"


@lru_cache(maxsize=None)
def bundle_name() -> str:
    import vl_convert as vlc

    vl = alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]
    return f"vega-bundle-vl{vl}-embed{vlc.get_vega_embed_version()}.js"


def bundle_file() -> Path:
    """The chart library as a file, made once per environment and kept in it (it depends only
    on the installed vl-convert): making it takes a second or two, and every build needs it."""
    import sys
    import tempfile

    import vl_convert as vlc

    target = Path(sys.prefix) / "share" / "hizones" / bundle_name()
    if not os.access(target.parent if target.parent.exists() else sys.prefix, os.W_OK) and not target.exists():
        target = Path(tempfile.gettempdir()) / "hizones" / bundle_name()   # a read-only environment
    if not target.exists():
        # Wrapped in a function: the bundle's top-level names (``_``, ``t`` …) would otherwise
        # clash with the page's own scripts (Sphinx defines ``_``) and with a second copy of itself.
        js = vlc.javascript_bundle(vl_version=alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0])
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=target.parent, delete=False) as f:
            f.write("(function () {\n" + js + "\n})();\n")
        os.replace(f.name, target)      # whole or not at all, even with builds running side by side
    return target


@lru_cache(maxsize=None)
def bundle() -> str:
    """vega, vega-lite and vega-embed in one script that defines ``window.vegaEmbed``."""
    return bundle_file().read_text(encoding="utf-8")


def _check_spec(spec: dict) -> None:
    title = spec.get("title")
    if not isinstance(title, dict) or not title.get("text"):
        raise ValueError("every chart needs a title: wrap it in hizones.analysis.charts.titled(...)")
    sub = title.get("subtitle") or []
    sub = [sub] if isinstance(sub, str) else sub
    if not any(str(s).startswith("Source") for s in sub):
        raise ValueError("every chart needs a source line: wrap it in hizones.analysis.charts.titled(...)")
    if '"tooltip"' not in json.dumps(spec):
        raise ValueError(f"chart {title['text']!r} has no tooltip")


_LOADER = """(function () {
  var el = document.getElementById(%(id)s), spec = %(spec)s, opt = %(opt)s;
  function draw() {
    vegaEmbed(el, spec, opt).then(function () {
      var svg = el.querySelector("svg.marks");
      if (svg) { svg.setAttribute("role", "img"); svg.setAttribute("aria-label", el.getAttribute("aria-label")); }
    }).catch(function (e) { el.textContent = "Chart failed to render: " + e; });
  }
  if (window.vegaEmbed) { draw(); return; }
  var queue = window.__hzCharts = window.__hzCharts || [];
  queue.push(draw);
  if (window.__hzLoading) return;
  window.__hzLoading = true;
  var s = document.createElement("script");
  s.src = (document.documentElement.dataset.content_root || "") + "_static/%(bundle)s";
  s.onload = function () { while (queue.length) queue.shift()(); };
  document.head.appendChild(s);
})();"""


def render(spec: dict, **_) -> dict:
    """Altair renderer: a mimebundle with a deterministic ``<div>`` and its embed script."""
    _check_spec(spec)
    _state["count"] += 1
    cid = f"hz-{_state['chapter']}-{_state['count']}"
    title = spec["title"]["text"]
    label = html.escape(f"Chart: {title}", quote=True)
    js = _LOADER % {
        "id": json.dumps(cid),
        "spec": json.dumps(spec, ensure_ascii=False, separators=(",", ":"), sort_keys=True),
        "opt": json.dumps(EMBED_OPTIONS, sort_keys=True),
        "bundle": bundle_name(),
    }
    pre = ""
    if mode() == "standalone" and not _state["bundle_sent"]:
        # Wrapped in a function: its top-level declarations must not collide on re-execution.
        pre = "<script>if (!window.vegaEmbed) {\n" + bundle() + "}</script>\n"
        _state["bundle_sent"] = True
    body = (f'<div id="{cid}" class="hz-chart" role="figure" aria-label="{label}"></div>\n'
            f"<script>{js}</script>")
    return {"text/html": pre + body, "text/plain": f"<chart {cid}: {title}>"}


alt.renderers.register("hizones", render)
alt.renderers.enable("hizones")
