"""The built book in a real browser (Debian's Chromium): pages load cleanly, every chart
draws its marks, and no request leaves 127.0.0.1."""
import pytest

from .test_book import toc_pages


def _keep_local(prefix, outside):
    """A route handler: requests under ``prefix`` go through; any other is recorded and aborted."""
    def handle(route, request):
        if request.url.startswith(prefix):
            route.continue_()
        else:
            outside.append(request.url)
            route.abort()
    return handle


@pytest.fixture(scope="module")
def visits(site, browser):
    """Load every page once, recording errors, outside requests and chart marks."""
    out = {}
    for page in toc_pages():
        ctx = browser.new_context()
        outside, errors = [], []

        ctx.route("**/*", _keep_local(site, outside))
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
    ctx.route("**/*", _keep_local("file://", outside))
    pg = ctx.new_page()
    errors = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(page.as_uri())
    pg.wait_for_function("() => [...document.querySelectorAll('.hz-chart')].every(e => e.querySelector('svg'))",
                         timeout=15000)
    ctx.close()
    assert not errors and not outside, (errors, outside)
