"""The built book in a real browser (Debian's Chromium), at desktop and phone width: pages load
cleanly; every chart is in the page as SVG before any script runs, then becomes interactive in
place (its tooltip shows Chinese and English names) without moving; nothing scrolls sideways
(code, tables, the page on a phone); charts fill the column with text at a readable size;
charts and images have accessible names; no request leaves 127.0.0.1 and none asks for a file the
site lacks or leaves a file of the site unused. Every test on ``visits`` runs on both editions,
English and Chinese. Screenshots of every page are written to _build/screenshots/ (the Chinese
edition's with a ``zh__`` prefix) for review: each page's first screen; `make screenshots` takes
whole pages and every chart."""
import re

import pytest

from .conftest import record_outside, toc_pages
from .visits import PHONE

CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]{3,}")


@pytest.fixture(scope="module", params=["en", "zh"])
def edition(request):
    return request.param


@pytest.fixture(scope="module")
def edition_html(edition, request):
    """The built site of the edition under test."""
    return request.getfixturevalue("built_book" if edition == "en" else "zh_book")


@pytest.fixture(scope="module")
def visits(edition, request):
    """What the browser recorded on every page of the edition (`tests.visits`)."""
    return request.getfixturevalue(f"visits_{edition}")


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
    """The first screen of every page at both widths, as PNG in _build/screenshots, as a reader
    arriving sees it (`make screenshots` adds whole pages and every chart)."""
    for page, rec in visits.items():
        for width in ("desktop", "phone"):
            shot = rec[f"{width}_shot"]
            assert shot.suffix == ".png" and shot.exists() and shot.stat().st_size > 5000, shot


@pytest.fixture(scope="module")
def no_script(site, browser):
    """A window with scripts blocked, and the requests it makes to other hosts."""
    ctx = browser.new_context(java_script_enabled=False)
    outside = []
    record_outside(ctx, site, outside)
    yield ctx.new_page(), outside
    ctx.close()


@pytest.mark.parametrize("page", [p for p in toc_pages() if p.startswith("chapters/")])
def test_charts_show_with_javascript_off(site, no_script, page):
    """A reader with scripts blocked (or a feed reader, a search engine) still sees every chart:
    the SVG drawn when the chapter executed, with its marks, and nothing is fetched from outside."""
    pg, outside = no_script
    pg.goto(f"{site}/{page}.html", wait_until="load")
    marks = pg.eval_on_selector_all(".hz-chart", "els => els.map(e => e.querySelectorAll("
                                    "'svg.marks g.role-mark > *, svg.marks g.role-mark path').length)")
    assert marks and all(m > 0 for m in marks), marks
    assert not outside, outside


def test_annotated_source_tips_show_the_fact_and_link_to_its_section(site, built_book, browser):
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
        assert anchor and page.startswith(site + "/"), href
        if page not in anchors:
            html = (built_book / page.removeprefix(site + "/")).read_text(encoding="utf-8")
            anchors[page] = set(re.findall(r'\bid="([^"]+)"', html))
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


def test_charts_print(site, browser):
    """In print media the charts stay drawn, as SVG with their text, and the action menu is hidden.
    (The PDF Chromium prints carries the charts' text: tests/test_editions.py, on the book's.)"""
    pg = browser.new_page()
    pg.goto(f"{site}/chapters/01_economy.html", wait_until="load")
    pg.wait_for_function("() => [...document.querySelectorAll('.hz-chart')].every(e => e.querySelector('svg'))")
    pg.emulate_media(media="print")
    sizes = pg.eval_on_selector_all(".hz-chart svg.marks", "els => els.map(e => e.getBoundingClientRect().height)")
    assert sizes and all(h > 100 for h in sizes), sizes
    titles = pg.eval_on_selector_all(".hz-chart svg.marks .role-title-text text", "els => els.map(e => e.textContent)")
    assert any("NBS published" in t for t in titles), titles
    axes = pg.eval_on_selector_all(".hz-chart svg.marks .role-axis-title text", "els => els.map(e => e.textContent)")
    assert "万亿元 (trillion yuan)" in axes, axes     # the axes keep their titles, CJK included
    assert pg.eval_on_selector_all(".vega-embed details", "els => els.every(e => getComputedStyle(e).display === 'none')")
    pg.close()


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
