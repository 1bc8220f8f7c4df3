"""The whole book as one PDF: print the single-page build in headless Chromium, charts drawn.

``python -m hizones.pdf [SINGLEHTML_DIR] [OUT.pdf]`` serves the ``singlehtml`` build on 127.0.0.1
(nothing else is reachable: any other request is aborted and reported), waits until every chart
has drawn its SVG and every font has loaded, and prints with print media to A4.
``make pdf`` builds the single page first. Chromium is Debian's (``apt-get install chromium
fonts-noto-cjk``) or the one named by ``$CHROMIUM``.
"""
from __future__ import annotations

import os
import shutil
import sys
import threading
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from . import paths

SINGLE = paths.ROOT / "_build" / "singlehtml"
OUT = paths.ROOT / "_build" / "pdf" / "book.pdf"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def find_chromium() -> str | None:
    """Debian's Chromium (or the one named by ``$CHROMIUM``); None if there is none."""
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def chromium() -> str:
    found = find_chromium()
    if not found:
        raise SystemExit("make pdf needs Chromium: `sudo apt-get install chromium fonts-noto-cjk` "
                         "(or set CHROMIUM=/path/to/chromium)")
    return found


def cjk_fonts() -> list[str]:
    """Font families installed for Chinese; without one, Chinese prints as empty boxes."""
    import subprocess

    if not shutil.which("fc-list"):
        return []
    out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    return sorted({f.strip() for line in out.splitlines() for f in line.split(",") if f.strip()})


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def serve(directory: Path):
    """``directory`` over HTTP on 127.0.0.1; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def keep_local(prefix: str, outside: list[str]):
    """A Playwright route handler: requests under ``prefix`` go through, others are recorded and aborted."""
    def handle(route, request):
        if request.url.startswith(prefix) or request.url.startswith("data:"):
            route.continue_()
        else:
            outside.append(request.url)
            route.abort()
    return handle


def print_pdf(site: Path = SINGLE, out: Path = OUT, browser=None) -> Path:
    """Print ``site`` (a singlehtml build) to ``out``. ``browser``: a Playwright browser to use
    (the tests pass theirs: one sync Playwright per process); by default one is started."""
    index = site / "intro.html"    # the root document; index.html only redirects to it
    if not index.exists():
        raise SystemExit(f"{paths.rel(index)} is missing: build the single page first (make pdf does)")
    if not cjk_fonts():
        raise SystemExit("no font for Chinese is installed, so the PDF would show empty boxes: "
                         "`sudo apt-get install fonts-noto-cjk`")
    out.parent.mkdir(parents=True, exist_ok=True)
    if browser is not None:
        with serve(site) as base:
            n = _print(browser, base, index.name, out)
    else:
        from playwright.sync_api import sync_playwright

        with serve(site) as base, sync_playwright() as p:
            own = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
            try:
                n = _print(own, base, index.name, out)
            finally:
                own.close()
    print(f"PDF written to {paths.rel(out)} ({n} charts)")
    return out


def _print(browser, base: str, name: str, out: Path) -> int:
    errors: list[str] = []
    outside: list[str] = []
    ctx = browser.new_context(viewport={"width": 1000, "height": 1400})
    try:
        page = ctx.new_page()
        page.route("**/*", keep_local(base, outside))
        page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
        page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.goto(f"{base}/{name}", wait_until="load")
        page.emulate_media(media="print")
        n = page.eval_on_selector_all(".hz-chart", "els => els.length")
        page.wait_for_function(
            "() => [...document.querySelectorAll('.hz-chart')].every(e => e.querySelector('svg.marks'))",
            timeout=60_000)
        page.evaluate("document.fonts.ready")
        if errors or outside:
            raise SystemExit("the PDF was not written; the page had problems:\n"
                             + "\n".join(errors + [f"request outside the book: {u}" for u in outside]))
        page.pdf(path=str(out), format="A4", print_background=True, prefer_css_page_size=False,
                 margin={"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"},
                 display_header_footer=True, header_template="<span></span>",
                 footer_template='<div style="font-size:8px;width:100%;text-align:center;color:#555">'
                                 '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')
    finally:
        ctx.close()
    return n


def main(argv: list[str]) -> int:
    site = Path(argv[0]) if argv else SINGLE
    out = Path(argv[1]) if len(argv) > 1 else OUT
    print_pdf(site, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
