"""When a chapter's charts are visible and when they are interactive, in headless Chromium, ms
from navigation start, on a first visit (new browser context: nothing cached) and a second one.

Charts arrive as SVG in the page's HTML (drawn when the chapter executed); the deferred
``_static/hz-charts.js`` makes each one interactive when it nears the viewport (it fetches the
chart library on first need, draws with vega-embed and swaps the result in, then sets
``data-hz-state="live"``; ``"static"`` if it could not).

- **visible**: max(first-contentful-paint, the moment every ``.hz-chart`` holds its ``svg``), in
  an ordinary window (`VIEWPORT`);
- **interactive**: the moment every chart is ``live``, in a window tall enough (`TALL`) that every
  chart intersects the hydrator's observer at once, so all of them hydrate without scrolling.
"""
from __future__ import annotations

import os

from common import RUNS, log, median

VIEWPORT = {"width": 1280, "height": 720}     # Playwright's default window, named
TALL = {"width": 1280, "height": 30000}       # every chart of a chapter within the viewport
MARGIN = 400                                  # the hydrator's rootMargin (px)
WAIT_MS = 20_000

# Installed before any page script. window.__hz: ``svg`` the moment every .hz-chart first held
# an svg (each chart's moment is taken at the first mutation check that sees it, i.e. as the
# parser inserts it), ``settled`` the moment no chart is unhydrated or loading any more, with
# how many ended ``live``; ``charts`` once parsing is over.
WATCH = """(() => {
  const t = window.__hz = {charts: null, svg: null, settled: null, live: 0, static: 0};
  const seen = new Map();
  const check = () => {
    const now = performance.now();
    const charts = [...document.querySelectorAll('.hz-chart')];
    for (const c of charts) if (!seen.has(c) && c.querySelector('svg')) seen.set(c, now);
    if (document.readyState === 'loading') return;
    t.charts = charts.length;
    if (t.svg === null && charts.every(c => seen.has(c)))
      t.svg = charts.reduce((m, c) => Math.max(m, seen.get(c)), 0);
    const states = charts.map(c => c.dataset.hzState);
    if (t.settled === null && states.every(s => s === 'live' || s === 'static')) {
      t.settled = now; t.live = states.filter(s => s === 'live').length; t.static = charts.length - t.live;
    }
  };
  new MutationObserver(check).observe(document, {subtree: true, childList: true, attributes: true,
                                                  attributeFilter: ['data-hz-state']});
  document.addEventListener('DOMContentLoaded', check);
  window.addEventListener('load', check);
})();"""
FCP = "(performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime"
VISIBLE = f"window.__hz && window.__hz.svg !== null && {FCP} !== undefined"
SETTLED = "window.__hz && window.__hz.settled !== null"

# A load's other moments: DOMContentLoaded, first contentful paint, the chart library's arrival,
# bytes fetched; and charts out of reach of the observer (below the window and its margin).
MARKS = """(() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource');
  const lib = res.filter(e => /vega-bundle[^/]*\\.js$/.test(e.name))[0];
  const bytes = res.reduce((n, e) => n + (e.encodedBodySize || 0), nav ? nav.encodedBodySize : 0);
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  const reach = innerHeight + MARGIN;
  return {dom_content_loaded_ms: nav ? nav.domContentLoadedEventEnd : null, fcp_ms: fcp ? fcp.startTime : null,
          library_loaded_ms: lib ? lib.responseEnd : null, transfer_kb: bytes / 1000,
          out_of_reach: [...document.querySelectorAll('.hz-chart')]
                          .filter(c => c.getBoundingClientRect().top > reach).length};
})()""".replace("MARGIN", str(MARGIN))


def visit(page, url: str, until: str) -> dict:
    """Load ``url`` in ``page`` and wait for ``until`` (or `WAIT_MS`); what window.__hz holds then,
    with the load's `MARKS` and whether the wait ended in time."""
    from playwright.sync_api import TimeoutError as Timeout

    page.goto(url, wait_until="commit")
    try:
        page.wait_for_function(until, timeout=WAIT_MS)
        in_time = True
    except Timeout:
        in_time = False
    hz = {"charts": None, "svg": None, "settled": None, "live": 0, "static": 0,
          **page.evaluate("({...window.__hz})")}    # the defaults: a page that never got that far
    return {**hz, **page.evaluate(MARKS), "in_time": in_time}


def visible_ms(v: dict) -> float | None:
    """max(first contentful paint, every chart holding its svg)."""
    if not v["in_time"] or v["fcp_ms"] is None or v["svg"] is None:
        return None
    return round(max(v["fcp_ms"], v["svg"]), 1)


def interactive_ms(v: dict) -> float | None:
    """Every chart live (None if any stayed static, the wait ran out, or the page has no chart)."""
    if not v["charts"] or not v["in_time"] or v["settled"] is None or v["static"]:
        return None
    return round(v["settled"], 1)


def visits(browser, url: str, viewport: dict, until: str) -> list[tuple[dict, dict]]:
    """`RUNS` pairs (first visit, second visit), each pair in a new browser context."""
    pairs = []
    for _ in range(RUNS):
        ctx = browser.new_context(viewport=viewport)
        try:
            page = ctx.new_page()
            page.add_init_script(WATCH)
            pairs.append((visit(page, url, until), visit(page, url, until)))
        finally:
            ctx.close()
    return pairs


def chart_times(browser, base: str, page_path: str) -> dict:
    """Visible and interactive, first visit (cold) and second (warm), medians of `RUNS`; the cold
    loads' DOMContentLoaded, first contentful paint, bytes fetched (ordinary window), and the chart
    library's arrival and first contentful paint in the tall window (painting 30000 px is slower:
    the interactive figure includes that)."""
    url = f"{base}/{page_path}"
    seen = visits(browser, url, VIEWPORT, VISIBLE)
    live = visits(browser, url, TALL, SETTLED)
    vis = {k: [visible_ms(p[i]) for p in seen] for i, k in enumerate(("cold", "warm"))}
    act = {k: [interactive_ms(p[i]) for p in live] for i, k in enumerate(("cold", "warm"))}
    last = live[-1][0]
    out = {"load": round(os.getloadavg()[0], 2), "charts": last["charts"],
           "visible_cold_ms": median(vis["cold"]), "visible_warm_ms": median(vis["warm"]),
           "interactive_cold_ms": median(act["cold"]), "interactive_warm_ms": median(act["warm"]),
           "visible_runs": vis, "interactive_runs": act,
           "svg_cold_ms": median([p[0]["svg"] for p in seen]),
           "library_loaded_ms": median([p[0]["library_loaded_ms"] for p in live]),
           "tall_fcp_ms": median([p[0]["fcp_ms"] for p in live]),
           "not_live": {"static": max(v["static"] for p in live for v in p),
                        "out_of_reach": max(v["out_of_reach"] for p in live for v in p),
                        "runs_not_all_live": sum(x is None for xs in act.values() for x in xs)
                        if last["charts"] else 0}}
    for k in ("dom_content_loaded_ms", "fcp_ms", "transfer_kb"):
        out[k] = median([p[0][k] for p in seen])
    log(f"  {page_path}: {out['charts']} charts, visible {out['visible_cold_ms']} / {out['visible_warm_ms']} ms, "
        f"interactive {out['interactive_cold_ms']} / {out['interactive_warm_ms']} ms (cold / warm)")
    return out


def settle(page, url: str) -> None:
    """Load ``url`` in a tall window until every chart is live or static (or `WAIT_MS`), then until
    the network is idle: everything the page would load as a reader scrolls through it."""
    page.set_viewport_size(TALL)
    visit(page, url, SETTLED)
    page.wait_for_load_state("networkidle")
