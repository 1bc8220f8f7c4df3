"""What the browser tests see: every page of an edition loaded in Chromium at desktop and phone
width, as a reader would see it (the job ``visits-en``/``visits-zh`` of `tests.jobs`, run in the
background while other tests run; `tests.test_browser` checks what it recorded)."""
import base64
from pathlib import Path

from hizones.build.browser import record_outside

from .conftest import SCREENSHOTS, toc_pages

PHONE = {"width": 390, "height": 844}

# Marks that can carry a tooltip (legends and axes are not marks), areas before thin lines.
MARKS = ("g.role-mark.mark-rect path", "g.role-mark.mark-symbol path", "g.role-mark.mark-area path",
         "g.role-mark.mark-text text", "g.role-mark.mark-line path", "g.role-mark.mark-rule line")
ALL_DRAWN = "() => [...document.querySelectorAll('.hz-chart')].every(e => e.querySelector('svg.marks'))"

# Every chart and image, and whether assistive technology gets a name for it.
UNNAMED = """() => {
  const name = e => (e.getAttribute('aria-label') || e.getAttribute('alt') || e.getAttribute('title') || '').trim();
  const bad = [];
  document.querySelectorAll('.hz-chart').forEach(c => {
    if (c.getAttribute('role') !== 'figure' || !name(c)) bad.push('chart ' + c.id + ' has no role=figure name');
    const svg = c.querySelector('svg.marks');
    if (!svg || !name(svg)) bad.push('chart ' + c.id + ': its SVG has no aria-label');
  });
  document.querySelectorAll('img').forEach(i => { if (!name(i) && i.getAttribute('role') !== 'presentation')
    bad.push('img ' + i.getAttribute('src') + ' has no alt text'); });
  document.querySelectorAll('svg').forEach(s => { if (!s.closest('.hz-chart') && !name(s) && s.getAttribute('aria-hidden') !== 'true'
    && !s.closest('[aria-label],[aria-hidden="true"],button,a')) bad.push('svg icon without a name: ' + s.outerHTML.slice(0, 80)); });
  return bad;
}"""


# At 1280 px: boxes that scroll sideways, and each chart's width against the text column, its
# smallest text on screen (font size times the SVG's scale) and any label cut short.
LAYOUT = """() => {
  const a = document.querySelector('article.bd-article');
  if (!a) return {column: 0, scrolling: [], charts: []};
  const cs = getComputedStyle(a);
  const column = a.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
  const scrolling = [...document.querySelectorAll('article pre, article table, article .output.text_html, article .hz-details')]
    .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.tagName + ': ' + (e.textContent || '').trim().slice(0, 50));
  const charts = [...document.querySelectorAll('.hz-chart')].map(c => {
    const svg = c.querySelector('svg'); const r = svg.getBoundingClientRect();
    const scale = r.width / (svg.viewBox.baseVal.width || r.width);
    const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim());
    return {id: c.id, share: r.width / column,
            smallest: Math.min(...texts.map(t => parseFloat(getComputedStyle(t).fontSize) * scale)),
            // the chart's own title is its largest title text (facet panels have titles too)
            titles: Math.max(...texts.filter(t => t.closest('.role-title-text')).map(t => parseFloat(getComputedStyle(t).fontSize) * scale)),
            cut: texts.filter(t => t.textContent.trim().endsWith('…')).map(t => t.textContent)};
  });
  return {column, scrolling, charts};
}"""
#: Pages visited with a query: the search page with a search that finds pages, in each edition.
QUERY = {"en": {"search": "?q=zones"}, "zh": {"search": "?q=%E4%B8%AD%E5%85%B3%E6%9D%91"}}   # 中关村
BOX = "el => { const r = el.getBoundingClientRect(); return [r.left, r.top + window.scrollY, r.width, r.height]; }"


def _charts(pg) -> tuple[dict[str, float], dict[str, str]]:
    """Scroll to each chart as a reader would, wait until the chart library has taken it over,
    then hover its marks until its tooltip shows. Chart id -> how far its box moved or changed
    size (px) between the SVG drawn at build time and the live chart; chart id -> the tooltip's
    text ('' if none showed)."""
    shifts, tips = {}, {}
    for cid in pg.eval_on_selector_all(".hz-chart", "els => els.map(e => e.id)"):
        chart = pg.locator(f"#{cid}")
        before = chart.evaluate(BOX)
        chart.scroll_into_view_if_needed()
        pg.wait_for_function(f"() => document.getElementById('{cid}').dataset.hzState === 'live'", timeout=15000)
        after = chart.evaluate(BOX)
        shifts[cid] = max(abs(a - b) for a, b in zip(before, after))
        tips[cid] = _tooltip(pg, chart)
    return shifts, tips


def _tooltip(pg, chart) -> str:
    """Hover the chart's marks, a few of each kind, until a tooltip shows: its text, or ''."""
    for sel in MARKS:
        marks = chart.locator(sel)
        for i in range(min(marks.count(), 4)):
            box = marks.nth(i).bounding_box()
            if not box or (box["width"] < 1 and box["height"] < 1):
                continue
            marks.nth(i).hover(force=True)
            try:
                pg.wait_for_selector("#vg-tooltip-element.visible", timeout=2000)
            except Exception:
                continue
            text = pg.inner_text("#vg-tooltip-element")
            pg.mouse.move(0, 0)
            return text
    return ""


WIDTHS = {"desktop": {"viewport": {"width": 1280, "height": 900}},
          "phone": {"viewport": PHONE, "is_mobile": True, "has_touch": True}}


def _screenshot(pg, shot: Path, full: bool) -> Path:
    """The page as ``shot`` + ``.png``: its first screen, as a reader arriving sees it; with
    ``full``, the whole page (``.jpg``, or ``.png`` when taller than a JPEG can be)."""
    for suffix in (".jpg", ".png"):
        shot.with_name(shot.name + suffix).unlink(missing_ok=True)     # an earlier run's, in either format
    cdp = pg.context.new_cdp_session(pg)
    try:
        if not full:    # encoded for speed (a file a fifth larger), as Chromium offers
            shot = shot.with_name(shot.name + ".png")
            data = cdp.send("Page.captureScreenshot", {"format": "png", "optimizeForSpeed": True})["data"]
        else:
            width, height = pg.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
            jpeg = height <= 65000
            shot = shot.with_name(shot.name + (".jpg" if jpeg else ".png"))
            data = cdp.send("Page.captureScreenshot", {
                "format": "jpeg" if jpeg else "png", **({"quality": 80} if jpeg else {}), "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}})["data"]
    finally:
        cdp.detach()
    shot.write_bytes(base64.b64decode(data))
    return shot


def _visit(pg, url: str, query: bool) -> None:
    """Load a page as a reader would see it, and wait for its charts and fonts."""
    pg.goto(url, wait_until="load")
    if query:
        pg.wait_for_selector("#search-results li", timeout=15000)   # results drawn, icons fetched
    if pg.eval_on_selector_all(".hz-chart", "els => els.length"):
        pg.wait_for_function(ALL_DRAWN, timeout=15000)
    pg.evaluate("document.fonts.ready")


def visit(site: str, browser, edition: str, full: bool = False) -> dict:
    """Load every page once at desktop width and once at phone width, recording errors, outside
    requests, chart marks, tooltips, accessible names and horizontal overflow; screenshot each
    page's first screen (``full``: each whole page and each chart, as `main` does).
    Pages of one width share a browser window, as a reader's do: its cache fetches each file once."""
    (SCREENSHOTS / "charts").mkdir(parents=True, exist_ok=True)
    query, prefix = QUERY[edition], "" if edition == "en" else "zh__"
    out = {page: {} for page in toc_pages() + ["search", "genindex"]}
    for width, options in WIDTHS.items():
        ctx = browser.new_context(**options)
        pg = ctx.new_page()
        seen = {"errors": [], "outside": [], "requested": [], "missing": []}   # in the order of the pages
        record_outside(pg, site, seen["outside"])
        pg.on("request", lambda r: seen["requested"].append(r.url.split("?")[0].split("#")[0]))
        pg.on("response", lambda r: seen["missing"].append(r.url) if r.status >= 400 else None)
        pg.on("pageerror", lambda e: seen["errors"].append(f"page error: {e}"))
        pg.on("console", lambda m: seen["errors"].append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        for page, rec in out.items():
            start = {key: len(found) for key, found in seen.items()}
            _visit(pg, f"{site}/{page}.html{query.get(page, '')}", page in query)
            rec[f"{width}_shot"] = _screenshot(pg, SCREENSHOTS / f"{prefix}{page.replace('/', '__')}.{width}", full)
            this = {key: found[start[key]:] for key, found in seen.items()}
            rec[f"{width}_errors"], rec[f"{width}_outside"], rec[f"{width}_missing"] = (
                this["errors"], this["outside"], this["missing"])
            rec[f"{width}_requested"] = {u.removeprefix(site + "/") for u in this["requested"] if u.startswith(site)}
            if width == "desktop":
                # open every solution, so that its code, tables and charts are checked as well
                pg.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; });"
                            "document.querySelectorAll('.toggle-hidden').forEach(e => e.classList.remove('toggle-hidden'))")
                rec["layout"] = pg.evaluate(LAYOUT)
                rec["shifts"], rec["tooltips"] = _charts(pg)
                rec["marks"] = pg.eval_on_selector_all(
                    ".hz-chart", "els => els.map(e => e.querySelectorAll('svg g.mark-rect path, svg g.mark-rule line,"
                                 " svg g.mark-symbol path, svg g.mark-line path, svg g.mark-area path, svg g.mark-text text').length)")
                rec["unnamed"] = pg.evaluate(UNNAMED)
                rec["fonts"] = pg.eval_on_selector_all(
                    ".hz-chart svg.marks text", "els => [...new Set(els.map(e => e.getAttribute('font-family')"
                                                " || getComputedStyle(e).fontFamily))]")
                if full:
                    _chart_shots(pg, SCREENSHOTS / "charts", prefix)
            else:
                rec["overflow"] = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
                rec["wide_charts"] = pg.eval_on_selector_all(
                    ".hz-chart", "els => els.filter(e => { const s = e.querySelector('svg.marks');"
                                 " return s && s.getBoundingClientRect().width > e.getBoundingClientRect().width + 1; })"
                                 ".map(e => e.id)")
        ctx.close()
    return out


def _chart_shots(pg, folder: Path, prefix: str) -> list[Path]:
    """Each chart of the page as the reader sees it once it is interactive: ``folder/ID.png``."""
    shots = []
    for cid in pg.eval_on_selector_all(".hz-chart", "els => els.map(e => e.id)"):
        shots.append(folder / f"{prefix}{cid}.png")
        pg.locator(f"#{cid}").screenshot(path=str(shots[-1]))
    return shots


def main(argv: list[str] | None = None) -> int:
    """``python -m tests.visits [en|zh ...]``: whole-page screenshots of every page of the built
    editions (`make book`'s ``_build/html`` and ``_build/zh/html``) at both widths, and of each
    chart once interactive (``charts/``), in _build/screenshots; pages with errors are named."""
    import sys

    from hizones.build.browser import CHROMIUM_ARGS, SCRIPTED, launched, serve

    from .conftest import ROOT

    editions = (argv if argv is not None else sys.argv[1:]) or ["en", "zh"]
    sites = {"en": ROOT / "_build" / "html", "zh": ROOT / "_build" / "zh" / "html"}
    with launched(CHROMIUM_ARGS + SCRIPTED) as browser:
        for edition in editions:
            if not (sites[edition] / "index.html").exists():
                raise SystemExit(f"{sites[edition]} is not built: run `make book` first")
            with serve(sites[edition]) as site:
                found = visit(site, browser, edition, full=True)
            bad = {page: [e for w in ("desktop", "phone") for e in rec[f"{w}_errors"] + rec[f"{w}_missing"]]
                   for page, rec in found.items()}
            for page, problems in bad.items():
                if problems:
                    print(f"{edition} {page}: {problems}")
            print(f"{edition}: {2 * len(found)} whole-page screenshots and the charts' in {SCREENSHOTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
