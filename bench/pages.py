"""Pages, served on 127.0.0.1 and loaded in headless Chromium with every other host unreachable
(`hizones.build.browser` serves them and finds the browser): bytes of each page's HTML (its
charts' SVG included) and of the assets only it loads, the shared assets once, raw and gzip;
files no page loads or links to; how often the chart library crosses the wire; and, from
`charts`, when each chapter's charts are visible and interactive, against a bare Jupyter Book's
page. "Loads" means: in a window tall enough that every chart hydrates (`charts.TALL`), i.e.
what a reader scrolling through the page would fetch."""
from __future__ import annotations

import gzip
import os
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlparse

from charts import VIEWPORT, VISIBLE, WATCH, chart_times, settle, visible_ms, visits
from common import log, median

def recorder():
    """A request handler class of its own whose ``served`` lists (path, status) of every response."""
    from hizones.build.browser import QuietHandler

    class Recorder(QuietHandler):
        served: list = []

        def log_request(self, code="-", size="-"):
            type(self).served.append((urlparse(self.path).path, int(code) if str(code).isdigit() else code))

    return Recorder


# ----- sizes ----------------------------------------------------------------------------------------
def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def sizer(html: Path):
    """``size(rel)``: raw and gzip bytes of a file of the site (0, 0 if it is not there)."""
    @lru_cache(maxsize=None)
    def size(rel: str) -> tuple[int, int]:
        f = html / rel
        if not f.is_file():
            return 0, 0
        data = f.read_bytes()
        return len(data), gz(data)
    return size


def site_pages(html: Path) -> list[str]:
    return sorted(p.relative_to(html).as_posix() for p in html.rglob("*.html")
                  if not p.relative_to(html).parts[0].startswith("_"))


CHART_SVG = re.compile(r'<div [^>]*\bclass="hz-chart"[^>]*>\s*(<svg\b.*?</svg>)', re.S)
CHART_SPEC = re.compile(r'<script type="application/json" id="[^"]*-spec">.*?</script>', re.S)
CODE_INPUT = re.compile(r'<div class="cell_input[^"]*".*?</div>\s*</div>\s*</div>', re.S)


def page_breakdown(page: Path) -> dict:
    """What a page's HTML is made of: the charts' SVG (drawn at build time), their specs (for the
    hydrator), code inputs, everything else (bytes)."""
    text = page.read_text(encoding="utf-8")
    parts = {"chart_svgs": sum(len(m.group(1).encode()) for m in CHART_SVG.finditer(text)),
             "chart_specs": sum(len(m.group(0).encode()) for m in CHART_SPEC.finditer(text)),
             "code_inputs": sum(len(m.group(0).encode()) for m in CODE_INPUT.finditer(text))}
    return {**parts, "rest": len(text.encode()) - sum(parts.values())}


# ----- what each page loads -------------------------------------------------------------------------
def loaded_by(browser, base: str, page_path: str, outside: list) -> set[str]:
    """The site's files the page loads (fresh context: nothing cached); requests to anywhere else
    go to ``outside``."""
    ctx = browser.new_context()
    page = ctx.new_page()
    urls = []
    page.on("request", lambda r: urls.append(r.url))
    page.add_init_script(WATCH)
    settle(page, f"{base}/{page_path}")
    ctx.close()
    local = set()
    for u in urls:
        parsed = urlparse(u)
        if parsed.scheme in ("data", "blob", "about"):
            continue
        if parsed.hostname != "127.0.0.1":
            outside.append({"page": page_path, "url": u})
            continue
        rel = unquote(parsed.path).lstrip("/")
        if rel != page_path:
            local.add(rel)
    return local


def users_of(requested: dict[str, set]) -> dict[str, list]:
    """For each file loaded, the pages that load it."""
    users: dict[str, list] = {}
    for page_path, assets in requested.items():
        for a in assets:
            users.setdefault(a, []).append(page_path)
    return users


def weights(html: Path, requested: dict[str, set], users: dict[str, list], size) -> dict:
    """Each page: its HTML and the assets only it loads, raw and gzip."""
    out = {}
    for page_path, assets in requested.items():
        raw, zipped = size(page_path)
        own = [a for a in assets if len(users[a]) == 1]
        own_raw = sum(size(a)[0] for a in own)
        own_gz = sum(size(a)[1] for a in own)
        out[page_path] = {"html_raw": raw, "html_gzip": zipped, "own_assets": sorted(own),
                          "own_raw": own_raw, "own_gzip": own_gz,
                          "total_own_raw": raw + own_raw, "total_own_gzip": zipped + own_gz,
                          "shared_assets_loaded": len(assets) - len(own),
                          "breakdown": page_breakdown(html / page_path)}
    return out


def shared_assets(users: dict[str, list], size) -> dict:
    shared = sorted(a for a, us in users.items() if len(us) > 1)
    return {"files": len(shared), "raw": sum(size(a)[0] for a in shared),
            "gzip": sum(size(a)[1] for a in shared),
            "largest": sorted(((a, size(a)[0]) for a in shared), key=lambda x: -x[1])[:6]}


def unused_files(html: Path, pages: list[str], users: dict[str, list]) -> dict:
    """Files in the site that no page loads and no page links to, grouped by folder. A minified
    script's licence notice counts as linked: the script names it in its banner comment."""
    linked = {f.relative_to(html).as_posix() for f in html.rglob("*.LICENSE.txt")
              if (f.parent / f.name.removesuffix(".LICENSE.txt")).exists()}
    for page_path in pages:
        for href in re.findall(r'(?:href|src)="([^"#?]+)', (html / page_path).read_text(encoding="utf-8")):
            target = (html / page_path).parent / unquote(href)
            try:
                linked.add(target.resolve().relative_to(html.resolve()).as_posix())
            except ValueError:
                pass
    unused = []
    for f in html.rglob("*"):
        rel = f.relative_to(html).as_posix()
        if f.is_file() and not rel.endswith(".html") and rel not in users and rel not in linked \
                and not rel.startswith(".") and "/." not in rel:
            unused.append((rel, f.stat().st_size))
    groups: dict[str, list] = {}
    for rel, n in unused:
        key = "/".join(rel.split("/")[:2]) if rel.startswith("_static/") else rel.split("/")[0]
        g = groups.setdefault(key, [0, 0])
        g[0] += 1
        g[1] += n
    return {"files": len(unused), "raw": sum(n for _, n in unused),
            "groups": sorted(([k, *v] for k, v in groups.items()), key=lambda g: -g[2])}


# ----- the chart library ------------------------------------------------------------------------------
def chart_library(browser, base: str, chapter_pages: list[str], served: list, users: dict, size) -> dict:
    """One visit of every chapter in one browser context: how often the chart library crosses
    the wire (``served``: what the server sent meanwhile)."""
    served.clear()
    ctx = browser.new_context()
    page = ctx.new_page()
    page.add_init_script(WATCH)
    for page_path in chapter_pages:
        settle(page, f"{base}/{page_path}")
    ctx.close()
    bundles = sorted({a for a in users if re.search(r"_static/vega-bundle[^/]*\.js$", a)})
    hits = [(path, code) for path, code in served if any(path.endswith(b) for b in bundles)]
    return {
        "files": bundles, "raw": sum(size(b)[0] for b in bundles), "gzip": sum(size(b)[1] for b in bundles),
        "pages_visited": len(chapter_pages),
        "full_downloads": sum(1 for _, c in hits if c == 200),
        "revalidations_304": sum(1 for _, c in hits if c == 304),
        "from_cache_without_request": len(chapter_pages) - len(hits),
        "same_url_on_every_page": len(bundles) == 1,
    }


# ----- the bare book's page, and all of it -----------------------------------------------------------
def bare_page(browser, html: Path, page_path: str) -> dict:
    """A page of the bare Jupyter Book (no charts, so visible = first contentful paint), loaded
    as the chapters are: its HTML's weight, visible cold and warm, DOMContentLoaded cold."""
    from hizones.build.browser import serve

    with serve(html) as base:
        pairs = visits(browser, f"{base}/{page_path}", VIEWPORT, VISIBLE)
    raw, zipped = sizer(html)(page_path)
    return {"page": page_path, "html_raw": raw, "html_gzip": zipped, "load": round(os.getloadavg()[0], 2),
            "visible_cold_ms": median([visible_ms(p[0]) for p in pairs]),
            "visible_warm_ms": median([visible_ms(p[1]) for p in pairs]),
            "dom_content_loaded_ms": median([p[0]["dom_content_loaded_ms"] for p in pairs])}


def browser_figures(html: Path, chapter_pages: list[str], bare: tuple[Path, str] | None = None) -> dict:
    """Everything this module and `charts` measure; ``bare``: the bare book's HTML folder and the
    page of it to measure beside the chapters."""
    from hizones.build.browser import CHROMIUM_ARGS, find_chromium, serve

    chromium = find_chromium()
    if not chromium:
        return {"available": False, "why": "no Chromium (set CHROMIUM or install chromium)"}
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"available": False, "why": "playwright is not installed"}

    pages, size, handler = site_pages(html), sizer(html), recorder()
    result = {"available": True, "pages": {}, "charts": {}, "outside_requests": []}
    with serve(html, handler) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            requested = {pg: loaded_by(browser, base, pg, result["outside_requests"]) for pg in pages}
            users = users_of(requested)
            result["pages"] = weights(html, requested, users, size)
            result["shared"] = shared_assets(users, size)
            result["unused"] = unused_files(html, pages, users)
            result["charts"] = {pg: chart_times(browser, base, pg) for pg in chapter_pages}
            result["chart_library"] = chart_library(browser, base, chapter_pages, handler.served, users, size)
            if bare and (bare[0] / bare[1]).is_file():
                result["bare"] = bare_page(browser, *bare)
                log(f"  bare book's {bare[1]}: visible {result['bare']['visible_cold_ms']} ms cold")
        finally:
            browser.close()
    return result
