"""Shared test set-up and helpers: the repository's root, the pages of the table of contents,
private copies of the data to corrupt, the built book and its editions, and the browser.
Chapters are executed in the book's chart mode, as the build does.

The builds, the browser's visits, the PDF and the student edition are jobs (`tests.jobs`): they
start when the session does, in the background, and tests that need none of them run first."""
import csv
import io
import os
import shutil
import sys
from pathlib import Path

import pytest
import yaml

from hizones.build.browser import CHROMIUM_ARGS, SCRIPTED, find_chromium, record_outside, serve
from hizones.sources import paths

from . import jobs

# Set before any kernel starts: the kernels the tests start inherit it, as the build's do.
os.environ["HIZONES_OUTPUT"] = "book"
# The tests' builds run beside each other and beside the tests (tests/jobs.py): one chapter at a
# time each, rather than one per core each, keeps the cores busy without crowding them.
os.environ.setdefault("HIZONES_EXECUTE_JOBS", "1")

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = find_chromium()
SCREENSHOTS = ROOT / "_build" / "screenshots"

__all__ = ["PLACES", "ROOT", "SCREENSHOTS", "build_book", "record_outside", "rows", "toc_pages", "write"]


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


def build_book(source, out, *args, env=None) -> str:
    """A strict ``jupyter-book build`` of the book at ``source`` into ``out`` (its stdout), with
    the package of ``source`` (a copy of the repository brings its own, reading its own data)."""
    run = jobs.run(
        [str(Path(sys.executable).with_name("jupyter-book")), "build", str(source), "-W", "-n",
         "--keep-going", "--path-output", str(out), *args],
        cwd=source, env={**os.environ, "PYTHONPATH": str(source), "HIZONES_OUTPUT": "book", **(env or {})})
    log = out / "build.log"
    log.write_text(run.stdout + run.stderr, encoding="utf-8")
    assert run.returncode == 0, f"strict book build failed (log: {log}):\n{run.stdout[-4000:]}{run.stderr[-4000:]}"
    return run.stdout


# ----- the session's long work, in the background (tests/jobs.py) ---------------------------------
#: Where the jobs write: the session's temporary folders, made before any job starts.
PLACES: dict[str, Path] = {}


@jobs.job("built_book", rank=0)
def _english():
    """The whole book, built strictly (-W) from a copy of the repository as a fresh clone would
    hold it (``PLACES["book"]/src``) into a fresh folder; the freshness test corrects the copy's
    data after every other build has read it (`tests.test_freshness`).
    HIZONES_TEST_HTML=<folder> reuses an HTML build instead (for working on the browser tests)."""
    reuse = os.environ.get("HIZONES_TEST_HTML")
    if reuse:
        return Path(reuse)
    from hizones.build.inputs import repository_files

    source = PLACES["book"] / "src"
    for f in repository_files(ROOT):
        (source / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / f, source / f)
    build_book(source, PLACES["book"])   # the book's extension executes the chapters in parallel first
    return PLACES["book"] / "_build" / "html"


@jobs.job("zh_book", rank=1)
def _chinese():
    """The Chinese edition, built as `make book-zh` builds it, beside the English build (so that
    each page's language switch leads to a file that exists).
    HIZONES_TEST_ZH_HTML=<folder> reuses a build instead."""
    reuse = os.environ.get("HIZONES_TEST_ZH_HTML")
    if reuse:
        return Path(reuse)
    book = PLACES["book"]
    run = jobs.run([sys.executable, "-m", "hizones", "build", "zh_CN", "--path-output", str(book)], cwd=ROOT)
    log = book / "build-zh.log"
    log.write_text(run.stdout + run.stderr, encoding="utf-8")
    assert run.returncode == 0, f"strict Chinese build failed (log: {log}):\n{(run.stdout + run.stderr)[-6000:]}"
    return book / "_build" / "zh" / "html"


def _visits(edition: str, html: Path):
    from hizones.build.browser import launched

    from .visits import visit

    _require_chromium()
    with serve(html) as site, launched(CHROMIUM_ARGS + SCRIPTED) as browser:
        return visit(site, browser, edition)


jobs.job("visits_en", rank=6)(lambda: _visits("en", jobs.result("built_book")))
jobs.job("visits_zh", rank=7)(lambda: _visits("zh", jobs.result("zh_book")))


def _reuse_cache(built_book, out):
    """Start another build of the same notebooks from the executions the HTML build cached."""
    cache = built_book.parent / ".jupyter_cache"
    if cache.exists():
        shutil.copytree(cache, out / "_build" / ".jupyter_cache", dirs_exist_ok=True)


@jobs.job("single_page", rank=2)
def _single_page():
    """The single-page build that `make pdf` prints, next to the HTML build (same executions)."""
    jobs.result("built_book")
    copy = PLACES["book"] / "src"
    build_book(copy if copy.exists() else ROOT, PLACES["book"], "--builder", "singlehtml")
    return PLACES["book"] / "_build" / "singlehtml"


@jobs.job("book_pdf", rank=5)
def _pdf():
    """The book's PDF, printed as `make pdf` prints it."""
    from hizones.build.pdf import print_pdf

    _require_chromium()
    return print_pdf(jobs.result("single_page"), PLACES["pdf"] / "book.pdf")


@jobs.job("student_book", rank=4)
def _student():
    """The student edition, built as `make student` builds it."""
    from hizones.build.notebooks import student_toc

    out = PLACES["student"]
    _reuse_cache(jobs.result("built_book"), out)
    toc = student_toc(ROOT, out / "_toc.yml")
    build_book(ROOT, out, "--toc", str(toc), env={"HIZONES_EDITION": "student"})
    return out / "_build" / "html"


#: What each job needs first (so that asking for a job asks for them too).
NEEDS = {"visits_en": {"built_book"}, "visits_zh": {"zh_book"}, "single_page": {"built_book"},
         "book_pdf": {"single_page"}, "student_book": {"built_book"}, "corrected": {"built_book"}}


def needs(item) -> set[str]:
    """The jobs a test waits for: the fixtures it uses that are jobs, and for the browser's and
    the editions' tests, those of the edition it is run on."""
    names = set(getattr(item, "fixturenames", ()))
    found = names & set(jobs.JOBS)
    edition = getattr(item, "callspec", None) and item.callspec.params.get("edition")
    if edition:
        found.add("built_book" if edition == "en" else "zh_book")
        if "visits" in names:
            found.add(f"visits_{edition}")
    while True:
        more = set().union(*(NEEDS.get(n, set()) for n in found)) - found
        if not more:
            return found
        found |= more


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items):
    jobs.order(items, needs)


@pytest.fixture(scope="session", autouse=True)
def _background(request, tmp_path_factory):
    """Start the jobs this session's tests need, as soon as it starts."""
    for place in ("book", "pdf", "student", "copy"):
        PLACES[place] = tmp_path_factory.mktemp(place)
    jobs.start(set().union(*(needs(item) for item in request.session.items)))
    yield
    jobs.stop()


def _job_fixture(name: str):
    """A session fixture ``name`` whose value is the job's (`tests.jobs.result`)."""
    return pytest.fixture(scope="session", name=name)(lambda: jobs.result(name))


for _name in ("built_book", "zh_book", "visits_en", "visits_zh", "single_page", "book_pdf", "student_book"):
    globals()[f"_fixture_{_name}"] = _job_fixture(_name)


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
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + SCRIPTED)
        yield b
        b.close()


def pytest_terminal_summary(terminalreporter):
    """When each background job ran; and say plainly when the browser and PDF tests did not run,
    and how to enable them."""
    if jobs.timeline():
        terminalreporter.write_sep("-", "background jobs (tests/jobs.py)")
        for line in jobs.timeline():
            terminalreporter.write_line(line)
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if "Chromium" in str(r.longrepr)]
    if skipped:
        terminalreporter.write_sep("!", f"{len(skipped)} browser/PDF tests SKIPPED", yellow=True)
        terminalreporter.write_line(ENABLE)
        for r in skipped:
            terminalreporter.write_line(f"  skipped: {r.nodeid}")
