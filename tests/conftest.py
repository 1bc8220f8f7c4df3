"""Shared test set-up: chapters are executed in the book's chart mode, as the build does."""
import os
import shutil
import socket
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

# Set before any kernel starts: nbval's kernels inherit it, so stored outputs reproduce.
os.environ["HIZONES_OUTPUT"] = "book"

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def built_book(tmp_path_factory):
    """The whole book, built strictly (-W) from a copy of the repository into a fresh folder."""
    out = tmp_path_factory.mktemp("book")
    run = subprocess.run(
        [str(Path(sys.executable).with_name("jupyter-book")), "build", str(ROOT), "-W", "-n",
         "--keep-going", "--path-output", str(out)],
        capture_output=True, text=True, cwd=ROOT)
    log = out / "build.log"
    log.write_text(run.stdout + run.stderr, encoding="utf-8")
    assert run.returncode == 0, f"strict book build failed (log: {log}):\n{run.stdout[-4000:]}{run.stderr[-4000:]}"
    return out / "_build" / "html"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site(built_book):
    """The built book served on 127.0.0.1 by the tests themselves."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(built_book)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        pytest.skip("browser tests need Chromium: `sudo apt-get install chromium fonts-noto-cjk` "
                    "(or set CHROMIUM=/path/to/chromium); .ci/run installs both")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"])
        yield b
        b.close()
