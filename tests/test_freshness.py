"""A corrected figure reaches the page: in a copy of the book, a change to data/ re-executes the
chapters and re-reads the pages generated from the data, in one `make book`; a rebuild with
nothing changed executes and reads nothing."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

JB = Path(sys.executable).with_name("jupyter-book")


def repo_files() -> list[str]:
    """What a fresh clone would hold once committed: tracked files and untracked, unignored ones
    (outside a git checkout, as the benchmark's copy is: every file but builds and environments)."""
    run = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                         capture_output=True, text=True, cwd=ROOT)
    if run.returncode == 0:
        return [f for f in run.stdout.splitlines() if (ROOT / f).is_file()]
    skip = {"_build", ".venv", ".git", "__pycache__"}
    return [p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*")
            if p.is_file() and not skip & set(p.relative_to(ROOT).parts)]


def build(book: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(book), "HIZONES_OUTPUT": "book"}
    run = subprocess.run([str(JB), "build", str(book), "-W", "-n", "--keep-going"],
                         capture_output=True, text=True, cwd=book, env=env)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    return run.stdout


@pytest.fixture(scope="module")
def copy(built_book, tmp_path_factory):
    """A copy of the book, built once from the executions the test build cached."""
    book = tmp_path_factory.mktemp("copy") / "book"
    for f in repo_files():
        (book / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / f, book / f)
    shutil.copytree(built_book.parent / ".jupyter_cache", book / "_build" / ".jupyter_cache")
    first = build(book)
    assert "execute: all 7 notebooks are cached" in first, first[:3000]
    return book


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def corrected(copy):
    """NBS's Q1–Q3 GDP changed in data/context.csv and an indicator renamed in data/facts.csv,
    then one build."""
    replace_in(copy / "data" / "context.csv", '"913,027",913027,', '"923,027",923027,')
    replace_in(copy / "data" / "facts.csv", "eco.gdp,economy,1,吴家喜,国家高新区,national high-tech zones,园区生产总值(GDP),zone GDP,",
               "eco.gdp,economy,1,吴家喜,国家高新区,national high-tech zones,园区生产总值(GDP),gross product of the zones,")
    return copy, build(copy)


def test_a_corrected_context_value_reaches_the_chapter(corrected):
    book, log = corrected
    assert "execute: 7 of 7 notebooks to run" in log
    page = (book / "_build" / "html" / "chapters" / "01_economy.html").read_text(encoding="utf-8")
    assert "923,027" in page and "913,027" not in page   # no label keeps the old figure typed in


def test_a_renamed_indicator_reaches_the_annotated_source(corrected):
    book, _ = corrected
    page = (book / "_build" / "html" / "reference" / "source.html").read_text(encoding="utf-8")
    tip = re.search(r'id="fact-eco\.gdp".*?class="hz-tip-name" lang="en">([^<]*)<', page)
    assert tip and tip.group(1) == "national high-tech zones: gross product of the zones", tip


def test_a_rebuild_with_nothing_changed_executes_and_reads_nothing(corrected):
    book, _ = corrected
    log = build(book)
    assert "execute: all 7 notebooks are cached" in log
    assert "0 added, 0 changed, 0 removed" in log
    assert "Executing notebook" not in log and "reading sources... [" not in log
