"""Headless Chromium on the book served from 127.0.0.1, with nothing else reachable: one place
for the browser, its flags and the local server, used by the PDF printer, the tests and the
benchmark."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

#: Nothing leaves the machine: every host but the loopback is unresolvable, and every other
#: request goes to a closed local port. (Not a Playwright route: intercepting requests turns the
#: browser's cache off and sends each request through Python, a third of a page's load time.)
LOCAL_ONLY = ["--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
              "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=127.0.0.1;localhost"]
#: Without the background-networking flags Chromium keeps trying to reach Google's hosts.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                 *LOCAL_ONLY]
#: Added for pages a script drives (the tests): scrolling is instant and nothing animates on
#: another thread, so a hover lands where the mark is at once (not after a missed try).
SCRIPTED = ["--disable-smooth-scrolling", "--disable-threaded-animation", "--disable-threaded-scrolling"]


def find_chromium() -> str | None:
    """Debian's Chromium (or the one named by ``$CHROMIUM``); None if there is none."""
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def chromium() -> str:
    found = find_chromium()
    if not found:
        raise SystemExit("this needs Chromium: `sudo apt-get install chromium fonts-noto-cjk` "
                         "(or set CHROMIUM=/path/to/chromium)")
    return found


def cjk_fonts() -> list[str]:
    """Font families installed for Chinese; without one, Chinese prints as empty boxes."""
    if not shutil.which("fc-list"):
        return []
    out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    return sorted({f.strip() for line in out.splitlines() for f in line.split(",") if f.strip()})


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)  # a browser that stops reading is fine


@contextmanager
def serve(directory: Path, handler=QuietHandler):
    """``directory`` over HTTP on 127.0.0.1; yields the base URL. ``handler``: a subclass of
    `QuietHandler` to record or time what is served."""
    server = LocalServer(("127.0.0.1", 0), partial(handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def record_outside(target, prefix: str, outside: list[str]) -> None:
    """Record in ``outside`` every request a page (or a browser context) ``target`` makes that is
    not under ``prefix``: the browser's flags (`LOCAL_ONLY`) let none of them through."""
    def seen(request):
        if not request.url.startswith((prefix, "data:", "blob:")):
            outside.append(request.url)
    target.on("request", seen)


@contextmanager
def launched(args: list[str] = CHROMIUM_ARGS):
    """A Playwright Chromium of its own, started with ``args`` (one per thread)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=args)
        try:
            yield browser
        finally:
            browser.close()
