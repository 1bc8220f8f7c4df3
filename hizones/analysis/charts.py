"""One chart style and one renderer for the whole book.

Every chart is drawn twice from one Vega-Lite spec. When the chapter executes, vl-convert renders
it to SVG (text stays text, set in the theme's CJK font stack), and that SVG is in the page: it
shows at first paint, with JavaScript off, in a feed reader and in print. In the browser the
chart library then takes each chart over as it nears the viewport (``hydrate.js``:
IntersectionObserver, then vega-embed into a detached element, swapped in once drawn, at the same
size), for tooltips. Nothing is ever fetched from a CDN. Two output modes:

- ``book`` (``HIZONES_OUTPUT=book``; the Makefile and the tests set it): the page loads
  ``_static/hz-charts.js`` (the hydrator) itself, deferred; the chart library
  ``_static/<bundle>`` is fetched only when a chart first needs it. The book's Sphinx extension
  (`hizones.build.sphinx`) writes both into the site.
- ``standalone`` (the default, for a reader in JupyterLab or Jupyter Notebook): the first chart
  of a kernel session carries the hydrator and the chart library; later charts reuse them.

Element ids are ``hz-<chapter>-<n>``: the same on every run, so stored outputs reproduce.
"""
from __future__ import annotations

import html
import json
import os
import re
from functools import lru_cache
from pathlib import Path

import altair as alt

from ..sources.i18n import N_, Translated, _, chinese, translated
from . import drawing, figures, language
from .wrapping import wrap

#: CJK-capable font stack: Noto Sans CJK (Linux, and what the PDF build installs), then the
#: system fonts of macOS and Windows, then any sans-serif.
FONT = ('"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", '
        '"Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif')
#: A chart's width in px: the text column of a chapter page at 1280 px, so chart text is shown
#: at its own size there (and scales with the column below that).
WIDTH = 680

#: Okabe–Ito: distinguishable under the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
#: The colours chapters use, by what they mean (no chapter names a colour itself).
REPORTED = PALETTE[0]     # a figure of the briefing, and what is derived from it
ACCENT = PALETTE[3]       # the one figure a chart is about: a claim, a threshold
SECOND = PALETTE[1]       # a second series beside the first
OFFICIAL = "#000000"      # official statistics, reference lines
MUTED = "#767676"         # context: grid-like guides, secondary labels
BACKGROUND = "white"      # gaps between stacked marks

#: How reported and derived figures differ in every chart: derived ones are a pale fill inside a
#: solid outline of the same colour (crisp at any size, and in print); official figures are black.
KINDS = ["reported", "derived", "official", "other source"]
PALE = "#BFDCEC"          # REPORTED at a quarter of its strength on white
KIND_COLOURS = alt.Scale(domain=KINDS, range=[REPORTED, PALE, OFFICIAL, SECOND])
KIND_OPACITY = alt.Scale(type="ordinal", domain=KINDS, range=[1.0, 0.25, 1.0, 0.6])

SOURCE_BRIEFING = N_("Source: MIIT press conference on national high-tech zones, 12 Dec 2023, "
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
            "font": FONT,   # every text's default, stated once (tests/test_browser.py checks it)
            "background": "white",
            "padding": 8,
            "autosize": {"type": "fit-x", "contains": "padding"},
            "view": {"stroke": None, "continuousWidth": WIDTH, "continuousHeight": 300},
            "title": {"fontSize": 16, "fontWeight": 600, "anchor": "start",
                      "subtitleFontSize": 12, "subtitleColor": "#555555", "offset": 12},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 0, "titleLimit": 0,
                     "gridColor": "#e6e6e6", "domainColor": "#888888", "tickColor": "#888888"},
            "header": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 0},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 0, "orient": "bottom",
                       "direction": "horizontal", "columns": 3},
            "text": {"fontSize": 12},
            "range": {"category": PALETTE},
            "bar": {"color": REPORTED},
            "point": {"color": REPORTED, "filled": True, "size": 70},
        }
    }


def source(*ids: str, derived: bool = False) -> str:
    """The source line of a chart, in the edition's language: the briefing, each outside source by
    publisher, title and date (from ``data/context.csv``), and whether the book derived figures
    from them."""
    ctx = figures.context()
    comma, cited = ("，" if chinese() else ", "), []
    for fid in ids:
        row = ctx.loc[fid]
        parts = [publisher(row["publisher"]), row["title"], row["date"] or _("undated")]
        cited.append(comma.join(p for p in parts if p))
    parts = [_(SOURCE_BRIEFING)] + list(dict.fromkeys(cited)) + ([_("derived in this book")] if derived else [])
    return Translated(("；" if chinese() else "; ").join(parts))


def publisher(name: str) -> str:
    """A publisher as ``data/context.csv`` names it (``National Bureau of Statistics (国家统计局)``),
    in the edition's language: the English name, or the Chinese one in brackets."""
    zh = re.findall(r"\(([^)]*[\u4e00-\u9fff][^)]*)\)", name)
    if chinese() and zh:
        return "、".join(zh)
    return _(re.sub(r" \([^)]*\)", "", name))


def titled(chart, title: str, subtitle: str = "", source: str = SOURCE_BRIEFING):
    """Give a chart its title, an optional subtitle and the source line every chart carries,
    wrapped to the chart's width; a single or layered chart is also made as wide as the text
    column."""
    title, subtitle = _(title), _(subtitle)
    if not isinstance(source, Translated):           # a constant: the briefing, then each other source
        source = ("；" if chinese() else "; ").join(_(part) for part in source.split("; "))
    lines = (wrap(subtitle) if subtitle else []) + wrap(source)
    heading = wrap(title, size=16, latin=0.6)
    props = {"title": alt.Title(heading if len(heading) > 1 else title, subtitle=lines),
             "description": f"{title}{'。' if chinese() else '. '}{subtitle}"}
    if isinstance(chart, (alt.Chart, alt.LayerChart)):
        props["width"] = WIDTH
        # the unwrapped lines, for hydrate.js to wrap again when it draws a narrower chart (phones)
        props["usermeta"] = {"hz": {"title": title, "subtitle": subtitle, "source": source}}
    else:
        props["autosize"] = "pad"   # fit-x does not apply to facets and concatenations (they would draw empty)
    return chart.properties(**props)


def kind_fill(field: str = "kind", kinds=("reported", "derived")) -> dict:
    """The fill that sets derived figures (pale) apart from reported ones (solid), with a legend
    of the ``kinds`` the chart shows; give the mark ``stroke=REPORTED`` so a derived mark keeps
    a solid outline."""
    return {"fill": alt.Fill(f"{field}:N", scale=KIND_COLOURS, sort=KINDS, title="figure",
                             legend=alt.Legend(values=list(kinds)))}


def kind_opacity(field: str = "kind") -> dict:
    """For a chart whose colour already means something else (an industry, a region): derived
    marks at a quarter of the fill, outline kept; say so in the subtitle (no legend is drawn)."""
    return {"fillOpacity": alt.FillOpacity(f"{field}:N", scale=KIND_OPACITY, sort=KINDS, legend=None)}


# ----- the renderer ------------------------------------------------------------------------------
_state = {"chapter": "chart", "count": 0, "hydrator_sent": False}
HYDRATOR = Path(__file__).with_name("hydrate.js")


def setup(chapter: str) -> None:
    """Start a chapter: chart ids restart at ``hz-<chapter>-1``."""
    _state.update(chapter=chapter, count=0)


def mode() -> str:
    return "book" if os.environ.get("HIZONES_OUTPUT") == "book" else "standalone"


def vega_lite_version() -> str:
    return alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]


@lru_cache(maxsize=None)
def bundle_name() -> str:
    import vl_convert as vlc

    return f"vega-bundle-vl{vega_lite_version()}-embed{vlc.get_vega_embed_version()}.js"


def bundle_file() -> Path:
    """The chart library as a file, made once per environment and kept in it (it depends only
    on the installed vl-convert): making it takes a second or two, and every build needs it."""
    import sys

    import vl_convert as vlc

    target = Path(sys.prefix) / "share" / "hizones" / bundle_name()
    if not target.exists():
        target = drawing.folder() / bundle_name()
    if not target.exists():
        # Wrapped in a function: the bundle's top-level names (``_``, ``t`` …) would otherwise
        # clash with the page's own scripts (Sphinx defines ``_``) and with a second copy of itself.
        js = vlc.javascript_bundle(vl_version=vega_lite_version())
        drawing.keep(target, "(function () {\n" + js + "\n})();\n")
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
    if not any(str(s).startswith(_("Source")) for s in sub):
        raise ValueError("every chart needs a source line: wrap it in hizones.analysis.charts.titled(...)")
    if '"tooltip"' not in json.dumps(spec):
        raise ValueError(f"chart {title['text']!r} has no tooltip")


def static_svg(spec: dict, label: str) -> str:
    """The chart drawn by vl-convert (`drawing`), as an accessible SVG sized by its viewBox."""
    svg = drawing.draw(spec, vega_lite_version())
    # Every text repeats the theme's font stack; said once on the root, texts inherit it (a
    # chart's page weight is mostly these repetitions).
    font = f' font-family="{html.escape(FONT, quote=True)}"'
    svg = svg.replace(font, "")
    # The drawing is one image with one name (role="img"): assistive technology ignores the roles
    # and labels Vega gives each mark inside it, so the static copy leaves them out (the live chart
    # that replaces it keeps them), a third of its weight.
    svg = _MARK_ARIA.sub("", svg)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}"{font} ', 1)


_MARK_ARIA = re.compile(r' (?:aria-label|aria-roledescription|aria-hidden|role)="[^"]*"')


def render(spec: dict, **_) -> dict:
    """Altair renderer: a deterministic ``<div>`` holding the chart's SVG, and its spec for the
    hydrator."""
    spec = language.chart_spec(spec)
    _check_spec(spec)
    _state["count"] += 1
    cid = f"hz-{_state['chapter']}-{_state['count']}"
    title = spec["title"]["text"]
    title = ("" if chinese() else " ").join(title) if isinstance(title, list) else title
    label = html.escape(translated("Chart: {title}", title=title), quote=True)
    data = json.dumps({"spec": spec, "options": EMBED_OPTIONS}, ensure_ascii=False, separators=(",", ":"),
                      sort_keys=True).replace("</", "<\\/")
    body = (f'<div id="{cid}" class="hz-chart" role="figure" aria-label="{label}" '
            f'data-hz-bundle="{bundle_name()}">{static_svg(spec, label)}</div>\n'
            f'<script type="application/json" id="{cid}-spec">{data}</script>')
    if mode() == "standalone":
        pre = ""
        if not _state["hydrator_sent"]:
            # Wrapped in a function: its top-level declarations must not collide on re-execution.
            pre = ("<script>if (!window.vegaEmbed) {\n" + bundle() + "}</script>\n"
                   f"<script>{HYDRATOR.read_text(encoding='utf-8')}</script>\n")
            _state["hydrator_sent"] = True
        body = pre + body + "\n<script>window.hzCharts && window.hzCharts.scan();</script>"
    return {"text/html": body, "text/plain": f"<chart {cid}: {title}>"}


alt.renderers.register("hizones", render)
alt.renderers.enable("hizones")
