"""Shared test set-up and helpers: the repository's root, the pages of the table of contents,
private copies of the data to corrupt, the built book and its editions, and the browser.
Chapters are executed in the book's chart mode, as the build does."""
import csv
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from hizones.build.browser import CHROMIUM_ARGS, find_chromium, record_outside, serve
from hizones.sources import paths

# Set before any kernel starts: nbval's kernels inherit it, so stored outputs reproduce.
os.environ["HIZONES_OUTPUT"] = "book"

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = find_chromium()
SCREENSHOTS = ROOT / "_build" / "screenshots"

__all__ = ["ROOT", "SCREENSHOTS", "record_outside", "rows", "toc_pages", "write"]


def toc_pages() -> list[str]:
    """Every page of _toc.yml, in order (docnames, without suffix)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]
    for part in toc.get("parts", []):
        pages += [c["file"] for c in part["chapters"]]
    return pages


def rows(path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def write(path, table) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(table)
    path.write_text(buf.getvalue(), encoding="utf-8")


@pytest.fixture
def data(tmp_path):
    """A private copy of data/ to corrupt."""
    target = tmp_path / "data"
    shutil.copytree(paths.DATA, target)
    return target


def _build(source, out, *args, env=None):
    run = subprocess.run(
        [str(Path(sys.executable).with_name("jupyter-book")), "build", str(source), "-W", "-n",
         "--keep-going", "--path-output", str(out), *args],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, **(env or {})})
    log = out / "build.log"
    log.write_text(run.stdout + run.stderr, encoding="utf-8")
    assert run.returncode == 0, f"strict book build failed (log: {log}):\n{run.stdout[-4000:]}{run.stderr[-4000:]}"


@pytest.fixture(scope="session")
def book_root(tmp_path_factory):
    return tmp_path_factory.mktemp("book")


def _zh_command(book_root):
    return [sys.executable, "-m", "hizones", "build", "zh_CN", "--path-output", str(book_root)]


@pytest.fixture(scope="session")
def _zh_started(request, book_root):
    """The Chinese build, started in the background as soon as the English one when the session
    has tests that need it: it overlaps the English build and the browser's waiting (2 cores)."""
    wanted = any("zh_book" in item.fixturenames or "edition" in item.fixturenames for item in request.session.items)
    if not wanted or os.environ.get("HIZONES_TEST_ZH_HTML"):
        yield None
        return
    log = (book_root / "build-zh.log").open("w", encoding="utf-8")
    proc = subprocess.Popen(_zh_command(book_root), stdout=log, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
    yield proc
    if proc.poll() is None:
        proc.kill()
    log.close()


@pytest.fixture(scope="session")
def built_book(book_root, _zh_started):
    """The whole book, built strictly (-W) from the repository into a fresh folder.

    HIZONES_TEST_HTML=<folder> reuses an HTML build instead (for working on the browser tests)."""
    reuse = os.environ.get("HIZONES_TEST_HTML")
    if reuse:
        return Path(reuse)
    _build(ROOT, book_root)   # the book's extension executes the chapters in parallel first
    return book_root / "_build" / "html"


def _reuse_cache(built_book, out):
    """Start another build of the same notebooks from the executions the HTML build cached."""
    cache = built_book.parent / ".jupyter_cache"
    if cache.exists():
        shutil.copytree(cache, out / "_build" / ".jupyter_cache", dirs_exist_ok=True)


@pytest.fixture(scope="session")
def single_page(built_book, book_root):
    """The single-page build that `make pdf` prints, next to the HTML build (same executions)."""
    _build(ROOT, book_root, "--builder", "singlehtml")
    return book_root / "_build" / "singlehtml"


@pytest.fixture(scope="session")
def book_pdf(single_page, browser, tmp_path_factory):
    """The book's PDF, printed as `make pdf` prints it (in the tests' own browser)."""
    from hizones.build.pdf import print_pdf

    return print_pdf(single_page, tmp_path_factory.mktemp("pdf") / "book.pdf", browser=browser)


@pytest.fixture(scope="session")
def student_book(built_book, tmp_path_factory):
    """The student edition, built as `make student` builds it."""
    from hizones.build.notebooks import student_toc

    out = tmp_path_factory.mktemp("student")
    _reuse_cache(built_book, out)
    toc = student_toc(ROOT, out / "_toc.yml")
    _build(ROOT, out, "--toc", str(toc), env={"HIZONES_EDITION": "student"})
    return out / "_build" / "html"


@pytest.fixture(scope="session")
def zh_book(built_book, book_root, _zh_started):
    """The Chinese edition, built as `make book-zh` builds it, beside the English build (so that
    each page's language switch leads to a file that exists).

    HIZONES_TEST_ZH_HTML=<folder> reuses a build instead."""
    reuse = os.environ.get("HIZONES_TEST_ZH_HTML")
    if reuse:
        return Path(reuse)
    log = book_root / "build-zh.log"
    if _zh_started is None:
        run = subprocess.run(_zh_command(book_root), capture_output=True, text=True, cwd=ROOT)
        log.write_text(run.stdout + run.stderr, encoding="utf-8")
        code = run.returncode
    else:
        code = _zh_started.wait()
    text = log.read_text(encoding="utf-8")
    assert code == 0, f"strict Chinese build failed (log: {log}):\n{text[-6000:]}"
    return book_root / "_build" / "zh" / "html"


@pytest.fixture(scope="session")
def site(built_book):
    """The built book served on 127.0.0.1 by the tests themselves."""
    with serve(built_book) as base:
        yield base


ENABLE = ("browser and PDF tests need Chromium, the CJK fonts and poppler: `sudo apt-get install chromium "
          "fonts-noto-cjk poppler-utils` (or set CHROMIUM=/path/to/chromium); .ci/run installs them")


def _require_chromium():
    missing = [what for what, ok in (("chromium", CHROMIUM), ("pdftotext", shutil.which("pdftotext")))
               if not ok]
    if missing:
        if os.environ.get("HIZONES_REQUIRE_BROWSER"):
            pytest.fail(f"missing {', '.join(missing)} (HIZONES_REQUIRE_BROWSER is set): {ENABLE}")
        pytest.skip(f"missing {', '.join(missing)}: {ENABLE}")


@pytest.fixture(scope="session")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def pytest_terminal_summary(terminalreporter):
    """Say plainly when the browser and PDF tests did not run, and how to enable them."""
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if "Chromium" in str(r.longrepr)]
    if skipped:
        terminalreporter.write_sep("!", f"{len(skipped)} browser/PDF tests SKIPPED", yellow=True)
        terminalreporter.write_line(ENABLE)
        for r in skipped:
            terminalreporter.write_line(f"  skipped: {r.nodeid}")
