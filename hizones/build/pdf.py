"""The whole book as one PDF: print the single-page build in headless Chromium, charts drawn.

``python -m hizones pdf [SINGLEHTML_DIR] [OUT.pdf]`` serves the ``singlehtml`` build on 127.0.0.1
(nothing else is reachable: any other request is aborted and reported), opens every collapsed
block, waits until every font has loaded, and prints with print media to A4. Charts are SVG drawn
when the chapters executed, so the chart library is never needed.
``make pdf`` builds the single page first. Chromium is Debian's (``apt-get install chromium
fonts-noto-cjk``) or the one named by ``$CHROMIUM``.
"""
from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path

from ..sources import paths
from .browser import cjk_fonts, launched, record_outside, serve

SINGLE = paths.ROOT / "_build" / "singlehtml"
OUT = paths.ROOT / "_build" / "pdf" / "book.pdf"
FOOTER = ('<div style="font-size:8px;width:100%;text-align:center;color:#555">'
          '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')


def print_pdf(site: Path = SINGLE, out: Path = OUT, browser=None, page: str = "intro.html") -> Path:
    """Print ``page`` of ``site`` (by default the root of a singlehtml build) to ``out``. ``browser``:
    a Playwright browser to use (the tests pass theirs: one sync Playwright per process); by
    default one is started."""
    index = site / page    # intro.html is the root document; index.html only redirects to it
    if not index.exists():
        raise SystemExit(f"{paths.rel(index)} is missing: build the single page first (make pdf does)")
    if not cjk_fonts():
        raise SystemExit("no font for Chinese is installed, so the PDF would show empty boxes: "
                         "`sudo apt-get install fonts-noto-cjk`")
    out.parent.mkdir(parents=True, exist_ok=True)
    with serve(site) as base, (nullcontext(browser) if browser is not None else launched()) as b:
        n = _print(b, base, page, out)
    print(f"PDF written to {paths.rel(out)} ({n} charts)")
    return out


def _print(browser, base: str, name: str, out: Path) -> int:
    errors: list[str] = []
    outside: list[str] = []
    ctx = browser.new_context(viewport={"width": 1000, "height": 1400})
    try:
        page = ctx.new_page()
        page.add_init_script("window.hzCharts = {scan: function () {}, hydrate: function () {}};")  # print as drawn
        record_outside(page, base, outside)
        page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
        page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.goto(f"{base}/{name}", wait_until="load")
        page.emulate_media(media="print")
        # Charts are drawn at build time (SVG in the page): nothing to wait for but the fonts.
        n = page.eval_on_selector_all(".hz-chart > svg", "els => els.length")
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        page.evaluate("document.fonts.ready")
        if errors or outside:
            raise SystemExit("the PDF was not written; the page had problems:\n"
                             + "\n".join(errors + [f"request outside the book: {u}" for u in outside]))
        page.pdf(path=str(out), format="A4", print_background=True, prefer_css_page_size=False,
                 margin={"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"},
                 display_header_footer=True, header_template="<span></span>", footer_template=FOOTER)
    finally:
        ctx.close()
    return n


def main(argv: list[str]) -> int:
    """``[SITE] [OUT.pdf] [PAGE]``: by default the single-page book; ``make answers`` prints the
    answer sheet page of the HTML book."""
    site = Path(argv[0]) if argv else SINGLE
    out = Path(argv[1]) if len(argv) > 1 else OUT
    print_pdf(site, out, page=argv[2] if len(argv) > 2 else "intro.html")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
