"""The built book in a real browser (Debian's Chromium): pages load cleanly, every chart
draws its marks, and no request leaves 127.0.0.1."""
import pytest

from .test_book import toc_pages


@pytest.fixture(scope="module")
def visits(site, browser):
    """Load every page once, recording errors, outside requests and chart marks."""
    out = {}
    for page in toc_pages():
        ctx = browser.new_context()
        outside, errors = [], []

        def route(r, outside=outside):
            if r.request.url.startswith(site):
                r.continue_()
            else:
                outside.append(r.request.url)
                r.abort()

        ctx.route("**/*", route)
        pg = ctx.new_page()
        pg.on("pageerror", lambda e, errors=errors: errors.append(f"page error: {e}"))
        pg.on("console", lambda m, errors=errors: errors.append(f"console {m.type}: {m.text}")
              if m.type == "error" else None)
        pg.goto(f"{site}/{page}.html", wait_until="load")
        n = pg.eval_on_selector_all(".hz-chart", "els => els.length")
        if n:
            pg.wait_for_function(
                "() => [...document.querySelectorAll('.hz-chart')].every(e => e.querySelector('svg'))",
                timeout=15000)
        marks = pg.eval_on_selector_all(
            ".hz-chart", "els => els.map(e => e.querySelectorAll('svg g.mark-rect path, svg g.mark-rule line,"
                         " svg g.mark-symbol path, svg g.mark-line path, svg g.mark-area path, svg g.mark-text text').length)")
        out[page] = {"errors": errors, "outside": outside, "marks": marks}
        ctx.close()
    return out


def test_pages_load_without_errors(visits):
    bad = {p: v["errors"] for p, v in visits.items() if v["errors"]}
    assert not bad, bad


def test_no_request_leaves_the_machine(visits):
    bad = {p: v["outside"] for p, v in visits.items() if v["outside"]}
    assert not bad, bad


def test_every_chart_renders_its_marks(visits):
    assert len(visits["chapters/01_economy"]["marks"]) >= 3
    empty = {p: v["marks"] for p, v in visits.items() if any(m == 0 for m in v["marks"])}
    assert not empty, empty
