"""The parallel pre-executor (`python -m hizones execute`): it fills the cache Jupyter Book reads,
under the keys myst-nb looks up, runs each notebook in its own folder in book mode, re-runs only
what changed, and fails naming the notebook and the cell. Small books in temporary folders."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from .conftest import ROOT
JB = Path(sys.executable).with_name("jupyter-book")

CONFIG = """title: tiny
author: tests
only_build_toc_files: true
execute:
  execute_notebooks: cache
  timeout: 60
"""


def notebook(*codes: str, title: str = "A notebook") -> str:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {title}")] + [nbformat.v4.new_code_cell(c) for c in codes]
    return nbformat.writes(nb)


def book(tmp: Path, notebooks: dict[str, str]) -> Path:
    (tmp / "chapters").mkdir(parents=True)
    (tmp / "_config.yml").write_text(CONFIG, encoding="utf-8")
    (tmp / "intro.md").write_text("# Tiny\n", encoding="utf-8")
    toc = ["format: jb-book", "root: intro", "chapters:"] + [f"  - file: chapters/{n}" for n in notebooks]
    (tmp / "_toc.yml").write_text("\n".join(toc) + "\n", encoding="utf-8")
    for name, text in notebooks.items():
        (tmp / "chapters" / f"{name}.ipynb").write_text(text, encoding="utf-8")
    return tmp


def execute(folder: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ if env is None else env)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    return subprocess.run([sys.executable, "-m", "hizones", "execute", str(folder), *args],
                          capture_output=True, text=True, cwd=folder, env=env)


def cache_of(folder: Path):
    from jupyter_cache import get_cache

    return get_cache(str(folder / "_build" / ".jupyter_cache"))


WHERE = "import os, pathlib; print(pathlib.Path.cwd().name, os.environ.get('HIZONES_OUTPUT'))"


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """A book of two notebooks, pre-executed once, by a caller that did not set HIZONES_OUTPUT."""
    folder = book(tmp_path_factory.mktemp("two") / "book",
                  {"one": notebook(WHERE, "1 + 1"), "two": notebook("x = 2", "print(x * 21)")})
    run = execute(folder, "-j", "2", env={k: v for k, v in os.environ.items() if k != "HIZONES_OUTPUT"})
    return folder, run


def test_jupyter_book_finds_every_notebook_cached(executed):
    two, run = executed
    assert run.returncode == 0, run.stderr
    assert "2 of 2 notebooks to run" in run.stdout
    cache = cache_of(two)
    for name in ("one", "two"):
        path = two / "chapters" / f"{name}.ipynb"
        # what myst-nb does in cache mode: read the source notebook, match it in the cache
        record = cache.match_cache_notebook(nbformat.read(path, as_version=4))
        assert record.uri == str(path.resolve())
    _, merged = cache.merge_match_into_notebook(nbformat.read(two / "chapters" / "one.ipynb", as_version=4))
    # run in the notebook's own folder, in the book's chart mode even when the caller did not set it
    assert merged.cells[1].outputs[0]["text"] == "chapters book\n"

    built = subprocess.run([str(JB), "build", str(two), "-W", "-n", "--keep-going"],
                           capture_output=True, text=True, cwd=two)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    assert built.stdout.count("Using cached notebook") == 2
    assert "Executing notebook" not in built.stdout


def test_only_changed_notebooks_run_again(executed, tmp_path):
    two = tmp_path / "copy"
    shutil.copytree(executed[0], two)  # the cache matches by content, wherever the book is
    again = execute(two)
    assert again.returncode == 0 and "all 2 notebooks are cached" in again.stdout

    path = two / "chapters" / "two.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].source += "\n\nProse changes; the code does not."
    nbformat.write(nb, path)
    prose = execute(two)
    assert prose.returncode == 0 and "all 2 notebooks are cached" in prose.stdout

    nb.cells[2].source += "  # a comment is a change of code"
    nbformat.write(nb, path)
    code = execute(two)
    assert code.returncode == 0, code.stderr
    assert "1 of 2 notebooks to run" in code.stdout and "two.ipynb" in code.stdout


def test_a_changed_input_runs_every_notebook_again(executed, tmp_path):
    """jupyter-cache keys a notebook on its code only; a chapter also reads data/ (and hizones and
    the pinned environment): a change there re-executes every notebook, once."""
    two = tmp_path / "copy"
    shutil.copytree(executed[0], two)
    (two / "data").mkdir()
    (two / "data" / "figures.csv").write_text("id,value\na,1\n", encoding="utf-8")
    changed = execute(two)
    assert changed.returncode == 0 and "2 of 2 notebooks to run" in changed.stdout, changed.stdout
    again = execute(two)
    assert again.returncode == 0 and "all 2 notebooks are cached" in again.stdout
    (two / "data" / "figures.csv").write_text("id,value\na,2\n", encoding="utf-8")
    assert "2 of 2 notebooks to run" in execute(two).stdout


def test_a_failing_cell_fails_naming_notebook_and_cell(tmp_path):
    folder = book(tmp_path / "book", {"fine": notebook("print('ok')"),
                                      "broken": notebook("x = 1", "x / 0", "print('never')")})
    run = execute(folder)
    assert run.returncode == 1
    assert "chapters/broken.ipynb" in run.stderr
    assert "cell 3 (code cell 2, In [2])" in run.stderr  # the markdown title is cell 1
    assert "ZeroDivisionError" in run.stderr
    # the other notebook still ran and is cached; the broken one is not
    cache = cache_of(folder)
    cache.match_cache_notebook(nbformat.read(folder / "chapters" / "fine.ipynb", as_version=4))
    with pytest.raises(KeyError):
        cache.match_cache_notebook(nbformat.read(folder / "chapters" / "broken.ipynb", as_version=4))


def test_other_execution_modes_are_left_to_jupyter_book(tmp_path):
    folder = book(tmp_path / "book", {"one": notebook("1")})
    (folder / "_config.yml").write_text(CONFIG.replace("execute_notebooks: cache", "execute_notebooks: force"))
    run = execute(folder)
    assert run.returncode == 0 and "not cache" in run.stdout
    assert not (folder / "_build").exists()


def test_the_books_notebooks_are_those_of_the_toc():
    from hizones.build.execute import toc_notebooks

    found = toc_notebooks(ROOT)
    assert found and all(p.suffix == ".ipynb" and p.is_file() for p in found)
    listed = [line.split("file:")[1].strip() for line in (ROOT / "_toc.yml").read_text(encoding="utf-8").splitlines()
              if "file:" in line]
    assert [p.relative_to(ROOT).with_suffix("").as_posix() for p in found] == \
        [f for f in listed if (ROOT / f"{f}.ipynb").is_file()]


def test_importing_hizones_loads_neither_pandas_nor_altair():
    code = ("import sys, hizones as hz; heavy = {'pandas', 'altair', 'IPython', 'jieba'} & set(sys.modules); "
            "print(sorted(heavy)); hz.facts; print('pandas' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["[]", "True"]
    import hizones

    # every public name resolves, and the names chapters use are public
    assert {name: getattr(hizones, name) for name in hizones.__all__}
    for name in ("chapter", "bounds", "show", "printed", "facts", "charts", "Bounds", "verdict"):
        assert name in hizones.__all__ and name in dir(hizones), name
