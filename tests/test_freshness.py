"""A corrected figure reaches the page: in a copy of the book, built once, a change to data/
re-executes the chapters and re-reads the pages generated from the data, in one `make book`; a
rebuild with nothing changed executes and reads nothing. (The first build is the session's own
English build, of a copy of the repository: `tests.conftest`.)"""
import os
import re
import shutil
from pathlib import Path

import pytest

from . import jobs
from .conftest import PLACES, build_book


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


@jobs.job("corrected", rank=3)
def _corrected():
    """The session's English build (of a copy of the repository) carried on in a folder of its
    own, once the builds that read the copy are done: NBS's Q1–Q3 GDP changed in
    data/context.csv and an indicator renamed in data/facts.csv, then one build."""
    built = jobs.result("built_book")
    if os.environ.get("HIZONES_TEST_HTML"):
        pytest.skip("HIZONES_TEST_HTML reuses a build made elsewhere; this needs the session's own")
    if jobs.JOBS["single_page"].state != "idle":
        jobs.result("single_page")          # it reads the copy too (so it ranks before this)
    book, out = PLACES["book"] / "src", PLACES["copy"]
    for kept in ("html", ".doctrees", ".jupyter_cache", "jupyter_execute"):
        shutil.copytree(built.parent / kept, out / "_build" / kept)
    replace_in(book / "data" / "context.csv", '"913,027",913027,', '"923,027",923027,')
    replace_in(book / "data" / "facts.csv", "eco.gdp,economy,1,吴家喜,国家高新区,national high-tech zones,园区生产总值(GDP),zone GDP,",
               "eco.gdp,economy,1,吴家喜,国家高新区,national high-tech zones,园区生产总值(GDP),gross product of the zones,")
    return book, out, build_book(book, out)


@pytest.fixture(scope="module")
def corrected():
    return jobs.result("corrected")


def test_a_corrected_context_value_reaches_the_chapter(corrected):
    book, out, log = corrected
    assert "execute: 7 of 7 notebooks to run" in log
    page = (out / "_build" / "html" / "chapters" / "01_economy.html").read_text(encoding="utf-8")
    assert "923,027" in page and "913,027" not in page   # no label keeps the old figure typed in


def test_a_renamed_indicator_reaches_the_annotated_source(corrected):
    book, out, _ = corrected
    page = (out / "_build" / "html" / "reference" / "source.html").read_text(encoding="utf-8")
    tip = re.search(r'id="fact-eco\.gdp".*?class="hz-tip-name" lang="en">([^<]*)<', page)
    assert tip and tip.group(1) == "national high-tech zones: gross product of the zones", tip


def test_a_rebuild_with_nothing_changed_executes_and_reads_nothing(corrected):
    book, out, _ = corrected
    log = build_book(book, out)
    assert "execute: all 7 notebooks are cached" in log
    assert "0 added, 0 changed, 0 removed" in log
    assert "Executing notebook" not in log and "reading sources... [" not in log
