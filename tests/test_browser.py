"""The built book in a real browser (Debian's Chromium), at desktop and phone width: pages load
cleanly; every chart is in the page as SVG before any script runs, then becomes interactive in
place (its tooltip shows Chinese and English names) without moving; nothing scrolls sideways
(code, tables, the page on a phone); charts fill the column with text at a readable size;
charts and images have accessible names; no request leaves 127.0.0.1 and none asks for a file the
site lacks or leaves a file of the site unused. Every test on ``visits`` runs on both editions,
English and Chinese. Screenshots of every page are written to _build/screenshots/ (the Chinese
edition's with a ``zh__`` prefix) for review."""
import re

import pytest

from .conftest import SCREENSHOTS, record_outside, serve, toc_pages

PHONE = {"width": 390, "height": 844}
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]{3,}")

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


def _hydrate(pg) -> dict[str, list[float]]:
    """Scroll to each chart and wait until the chart library has taken it over; chart id -> how far
    its box moved or changed size (px) between the SVG drawn at build time and the live chart."""
    shifts = {}
    for cid in pg.eval_on_selector_all(".hz-chart", "els => els.map(e => e.id)"):
        chart = pg.locator(f"#{cid}")
        before = chart.evaluate(BOX)
        chart.scroll_into_view_if_needed()
        pg.wait_for_function(f"() => document.getElementById('{cid}').dataset.hzState === 'live'", timeout=15000)
        after = chart.evaluate(BOX)
        shifts[cid] = max(abs(a - b) for a, b in zip(before, after))
    return shifts


def _tooltips(pg) -> dict[str, str]:
    """Hover marks of every chart until its tooltip shows; chart id -> tooltip text ('' if none)."""
    out = {}
    for cid in pg.eval_on_selector_all(".hz-chart", "els => els.map(e => e.id)"):
        chart = pg.locator(f"#{cid}")
        chart.scroll_into_view_if_needed()
        text = ""
        candidates = [chart.locator(sel).nth(i) for sel in MARKS for i in range(min(chart.locator(sel).count(), 4))]
        for mark in candidates:
            box = mark.bounding_box()
            if not box or (box["width"] < 1 and box["height"] < 1):
                continue
            mark.hover(force=True)
            try:
                pg.wait_for_selector("#vg-tooltip-element.visible", timeout=1000)
            except Exception:
                continue
            text = pg.inner_text("#vg-tooltip-element")
            pg.mouse.move(0, 0)
            break
        out[cid] = text
    return out


@pytest.fixture(scope="module", params=["en", "zh"])
def edition(request):
    return request.param


@pytest.fixture(scope="module")
def edition_html(edition, request):
    """The built site of the edition under test."""
    return request.getfixturevalue("built_book" if edition == "en" else "zh_book")


@pytest.fixture(scope="module")
def edition_site(edition, edition_html, request):
    if edition == "en":
        yield request.getfixturevalue("site")
        return
    with serve(edition_html) as base:
        yield base


WIDTHS = {"desktop": {"viewport": {"width": 1280, "height": 900}},
          "phone": {"viewport": PHONE, "is_mobile": True, "has_touch": True}}


def _visit(pg, url: str, query: bool, shot) -> None:
    """Load a page as a reader would see it, wait for its charts and fonts, and screenshot it."""
    pg.goto(url, wait_until="load")
    if query:
        pg.wait_for_selector("#search-results li", timeout=15000)   # results drawn, icons fetched
    if pg.eval_on_selector_all(".hz-chart", "els => els.length"):
        pg.wait_for_function(ALL_DRAWN, timeout=15000)
    pg.evaluate("document.fonts.ready")
    # JPEG: half the time of a PNG for a page 30,000 px tall, and as good for reviewing a layout;
    # PNG for a page taller than JPEG can hold (65,535 px: the instructor page on a phone)
    if pg.evaluate("document.documentElement.scrollHeight") > 65000:
        shot = shot.with_suffix(".png")
    shot.with_suffix(".png" if shot.suffix == ".jpg" else ".jpg").unlink(missing_ok=True)  # an earlier run's
    pg.screenshot(path=str(shot), full_page=True, **({"type": "jpeg", "quality": 80} if shot.suffix == ".jpg" else {}))


@pytest.fixture(scope="module")
def visits(edition_site, browser, edition):
    """Load every page once at desktop width and once at phone width, recording errors, outside
    requests, chart marks, tooltips, accessible names and horizontal overflow; screenshot each.
    Pages of one width share a browser window, as a reader's do: its cache fetches each file once."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    site, query, prefix = edition_site, QUERY[edition], "" if edition == "en" else "zh__"
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
            shot = SCREENSHOTS / f"{prefix}{page.replace('/', '__')}.{width}.jpg"
            _visit(pg, f"{site}/{page}.html{query.get(page, '')}", page in query, shot)
            rec[f"{width}_shot"] = shot if shot.exists() else shot.with_suffix(".png")
            this = {key: found[start[key]:] for key, found in seen.items()}
            rec[f"{width}_errors"], rec[f"{width}_outside"], rec[f"{width}_missing"] = (
                this["errors"], this["outside"], this["missing"])
            rec[f"{width}_requested"] = {u.removeprefix(site + "/") for u in this["requested"] if u.startswith(site)}
            if width == "desktop":
                # open every solution, so that its code, tables and charts are checked as well
                pg.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; });"
                            "document.querySelectorAll('.toggle-hidden').forEach(e => e.classList.remove('toggle-hidden'))")
                rec["layout"] = pg.evaluate(LAYOUT)
                rec["shifts"] = _hydrate(pg)
                rec["marks"] = pg.eval_on_selector_all(
                    ".hz-chart", "els => els.map(e => e.querySelectorAll('svg g.mark-rect path, svg g.mark-rule line,"
                                 " svg g.mark-symbol path, svg g.mark-line path, svg g.mark-area path, svg g.mark-text text').length)")
                rec["unnamed"] = pg.evaluate(UNNAMED)
                rec["fonts"] = pg.eval_on_selector_all(
                    ".hz-chart svg.marks text", "els => [...new Set(els.map(e => e.getAttribute('font-family')"
                                                " || getComputedStyle(e).fontFamily))]")
                rec["tooltips"] = _tooltips(pg)
            else:
                rec["overflow"] = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
                rec["wide_charts"] = pg.eval_on_selector_all(
                    ".hz-chart", "els => els.filter(e => { const s = e.querySelector('svg.marks');"
                                 " return s && s.getBoundingClientRect().width > e.getBoundingClientRect().width + 1; })"
                                 ".map(e => e.id)")
        ctx.close()
    return out


def test_pages_load_without_errors(visits):
    bad = {p: v["desktop_errors"] + v["phone_errors"] for p, v in visits.items()
           if v["desktop_errors"] or v["phone_errors"]}
    assert not bad, bad


def test_no_page_requests_a_missing_file(visits):
    missing = {p: v["desktop_missing"] + v["phone_missing"] for p, v in visits.items()
               if v["desktop_missing"] or v["phone_missing"]}
    assert not missing, missing


def test_every_file_in_static_is_requested_by_a_page(visits, edition_html):
    """The site serves what its pages use: every file in _static is fetched by some page at some
    width. Exceptions: a minified script's licence notice (the script names it for readers)."""
    built_book = edition_html
    requested = set().union(*(v["desktop_requested"] | v["phone_requested"] for v in visits.values()))
    unused = sorted(p.relative_to(built_book).as_posix() for p in (built_book / "_static").rglob("*")
                    if p.is_file() and p.relative_to(built_book).as_posix() not in requested
                    and not p.name.endswith(".LICENSE.txt"))
    assert not unused, unused


def test_no_request_leaves_the_machine(visits):
    bad = {p: v["desktop_outside"] + v["phone_outside"] for p, v in visits.items()
           if v["desktop_outside"] or v["phone_outside"]}
    assert not bad, bad


def test_nothing_scrolls_sideways_at_desktop_width(visits):
    """No code block, table or output box is wider than its container at 1280 px."""
    bad = {p: v["layout"]["scrolling"] for p, v in visits.items() if v["layout"]["scrolling"]}
    assert not bad, bad


def test_charts_fill_the_column_with_readable_text(visits):
    charts = [c for v in visits.values() for c in v["layout"]["charts"]]
    assert len(charts) >= 20
    narrow = {c["id"]: round(c["share"], 2) for c in charts if c["share"] < 0.9}
    assert not narrow, f"charts narrower than 90% of the text column: {narrow}"
    small = {c["id"]: round(c["smallest"], 1) for c in charts if c["smallest"] < 11}
    assert not small, f"chart text under 11 px on screen: {small}"
    titles = {c["id"]: round(c["titles"], 1) for c in charts if c["titles"] < 13}
    assert not titles, f"chart titles under 13 px on screen: {titles}"
    cut = {c["id"]: c["cut"] for c in charts if c["cut"]}
    assert not cut, f"chart labels cut short: {cut}"


def test_charts_become_interactive_without_moving(visits):
    shifts = {cid: s for v in visits.values() for cid, s in v["shifts"].items()}
    assert len(shifts) >= 20
    moved = {cid: round(s, 1) for cid, s in shifts.items() if s > 2}
    assert not moved, f"charts whose box moved more than 2 px when they became interactive: {moved}"


def test_every_chart_renders_its_marks(visits):
    assert len(visits["chapters/01_economy"]["marks"]) >= 3
    empty = {p: v["marks"] for p, v in visits.items() if any(m == 0 for m in v["marks"])}
    assert not empty, empty


def test_hovering_a_mark_shows_chinese_and_english_names(visits, edition):
    """A tooltip names what it shows in Chinese and (in the English edition) in English."""
    tips = {cid: t for v in visits.values() for cid, t in v["tooltips"].items()}
    assert len(tips) >= 20, tips
    missing = {cid: t for cid, t in tips.items() if not (CJK.search(t) and (LATIN.search(t) or edition == "zh"))}
    assert not missing, missing


def test_chart_text_is_set_in_the_cjk_font(visits):
    """Titles, labels and legends all use the theme's CJK font stack (set once, as config.font)."""
    from hizones.analysis.charts import FONT

    fonts = {f for v in visits.values() for f in v.get("fonts", [])}
    first = FONT.split(",")[0].strip().strip('"')
    assert fonts and all(f.split(",")[0].strip().strip('"') == first for f in fonts), fonts


def test_phone_width_has_no_horizontal_scroll_and_charts_fit(visits):
    scroll = {p: v["overflow"] for p, v in visits.items() if v["overflow"] > 0}
    assert not scroll, f"pages wider than {PHONE['width']}px: {scroll}"
    wide = {p: v["wide_charts"] for p, v in visits.items() if v["wide_charts"]}
    assert not wide, f"charts wider than their column at {PHONE['width']}px: {wide}"


def test_every_chart_and_image_has_an_accessible_name(visits):
    bad = {p: v["unnamed"] for p, v in visits.items() if v["unnamed"]}
    assert not bad, bad


def test_a_screenshot_of_every_page_is_kept_for_review(visits):
    for page, rec in visits.items():
        for width in ("desktop", "phone"):
            shot = rec[f"{width}_shot"]
            assert shot.exists() and shot.stat().st_size > 5000, shot


@pytest.mark.parametrize("page", [p for p in toc_pages() if p.startswith("chapters/")])
def test_charts_show_with_javascript_off(site, browser, page):
    """A reader with scripts blocked (or a feed reader, a search engine) still sees every chart:
    the SVG drawn when the chapter executed, with its marks, and nothing is fetched from outside."""
    ctx = browser.new_context(java_script_enabled=False)
    outside = []
    record_outside(ctx, site, outside)
    pg = ctx.new_page()
    pg.goto(f"{site}/{page}.html", wait_until="load")
    marks = pg.eval_on_selector_all(".hz-chart", "els => els.map(e => e.querySelectorAll("
                                    "'svg.marks g.role-mark > *, svg.marks g.role-mark path').length)")
    ctx.close()
    assert marks and all(m > 0 for m in marks), marks
    assert not outside, outside


def test_annotated_source_tips_show_the_fact_and_link_to_its_section(site, browser):
    """Hover (desktop) or tap (phone) a marked figure: its tip names the fact in English and
    links to the chapter section that analyses it; every link lands on an existing anchor."""
    from hizones import facts

    ctx = browser.new_context()
    pg = ctx.new_page()
    pg.goto(f"{site}/reference/source.html", wait_until="load")
    marks = pg.locator(".hz-fact")
    assert marks.count() == len(facts())
    first = pg.locator("#fact-eco\\.gdp")
    first.hover()
    tip = first.locator(".hz-tip")
    assert tip.is_visible()
    text = tip.inner_text()
    assert "eco.gdp" in text and "zone GDP" in text and "12.33" in text, text
    links = pg.eval_on_selector_all(".hz-fact .hz-tip-link", "els => els.map(e => e.href)")
    assert len(links) == len(facts())
    anchors = {}
    for href in links:
        page, _, anchor = href.partition("#")
        assert anchor, href
        if page not in anchors:
            other = ctx.new_page()
            other.goto(page)
            anchors[page] = set(other.eval_on_selector_all("[id]", "els => els.map(e => e.id)"))
            other.close()
        assert anchor in anchors[page], href
    ctx.close()
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    pg = phone.new_page()
    pg.goto(f"{site}/reference/source.html", wait_until="load")
    mark = pg.locator("#fact-zgc\\.revenue")
    mark.scroll_into_view_if_needed()
    mark.tap()
    assert mark.locator(".hz-tip").is_visible()
    assert "Zhongguancun" in mark.locator(".hz-tip").inner_text()
    phone.close()


def test_charts_print(site, browser, tmp_path):
    """In print media the charts stay drawn (as SVG) and the action menu is hidden; the PDF that
    Chromium prints carries the charts' text."""
    from pypdf import PdfReader

    pg = browser.new_page()
    pg.goto(f"{site}/chapters/01_economy.html", wait_until="load")
    pg.wait_for_function("() => [...document.querySelectorAll('.hz-chart')].every(e => e.querySelector('svg'))")
    pg.emulate_media(media="print")
    sizes = pg.eval_on_selector_all(".hz-chart svg.marks", "els => els.map(e => e.getBoundingClientRect().height)")
    assert sizes and all(h > 100 for h in sizes), sizes
    assert pg.eval_on_selector_all(".vega-embed details", "els => els.every(e => getComputedStyle(e).display === 'none')")
    pdf = tmp_path / "economy.pdf"
    pg.pdf(path=str(pdf), format="A4", print_background=True)
    pg.close()
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "NBS published" in text and "zone GDP" in text  # a chart title and an axis label


def test_chapter_reexecuted_in_jupyter_renders_offline(browser, tmp_path):
    """A reader's re-execution (no HIZONES_OUTPUT): outputs carry the chart library themselves,
    so the charts draw in a bare page with no book around them and no network."""
    import os
    from pathlib import Path

    import nbformat
    from nbclient import NotebookClient

    root = Path(__file__).resolve().parent.parent
    nb = nbformat.read(root / "chapters" / "01_economy.ipynb", as_version=4)
    env = os.environ.pop("HIZONES_OUTPUT", None)
    try:
        NotebookClient(nb, timeout=120, kernel_name="python3",
                       resources={"metadata": {"path": str(root / "chapters")}}).execute()
    finally:
        if env is not None:
            os.environ["HIZONES_OUTPUT"] = env
    html = [o["data"]["text/html"] for c in nb.cells if c.cell_type == "code"
            for o in c.get("outputs", []) if "text/html" in o.get("data", {}) and "hz-chart" in o["data"]["text/html"]]
    assert len(html) >= 3 and "window.vegaEmbed" in html[0] and "window.vegaEmbed=" not in html[1]
    page = tmp_path / "lab.html"
    page.write_text("<!doctype html><meta charset=utf-8><body>" + "\n".join(html), encoding="utf-8")
    ctx = browser.new_context()
    outside = []
    record_outside(ctx, "file://", outside)
    pg = ctx.new_page()
    errors = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(page.as_uri())
    pg.wait_for_function("() => [...document.querySelectorAll('.hz-chart')].every(e => e.querySelector('svg'))",
                         timeout=15000)
    ctx.close()
    assert not errors and not outside, (errors, outside)


def test_a_request_for_another_host_is_recorded_and_goes_nowhere(browser, tmp_path):
    """What the tests count as leaving the machine: requests to other hosts, named or numeric,
    are recorded, and the browser's flags let none of them through."""
    urls = ["https://cdn.jsdelivr.net/npm/vega@5/build/vega.min.js", "http://93.184.216.34/logo.png"]
    page = tmp_path / "outside.html"
    page.write_text(f'<!doctype html><script src="{urls[0]}"></script><img src="{urls[1]}" alt="">', encoding="utf-8")
    ctx = browser.new_context()
    outside, failed, answered = [], [], []
    record_outside(ctx, "file://", outside)
    pg = ctx.new_page()
    pg.on("requestfailed", lambda r: failed.append(r.url))
    pg.on("response", lambda r: answered.append(r.url))
    pg.goto(page.as_uri(), wait_until="load")
    ctx.close()
    assert sorted(outside) == sorted(failed) == sorted(urls), (outside, failed)
    assert answered == [page.as_uri()], answered
