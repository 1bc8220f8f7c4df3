"""Execute a book's notebooks in parallel into the cache that Jupyter Book reads.

``python -m hizones execute [BOOK] [--jobs N] [--path-output DIR]`` runs every notebook of
``BOOK/_toc.yml`` (default: the current folder) that has no up-to-date entry in
``DIR/_build/.jupyter_cache`` (``DIR`` defaults to ``BOOK``: where ``jupyter-book build`` looks),
``N`` at a time (default: the number of cores). ``jupyter-book build`` afterwards finds every
notebook cached and executes none, so a clean build's execution takes about as long as its
slowest share of the notebooks rather than their sum.

Every notebook is executed exactly as myst-nb's ``execute_notebooks: cache`` mode would execute
it (``myst_nb/core/execute/cache.py``): read as nbformat 4, run by jupyter-cache's
``single_nb_execution`` with the book's ``timeout`` and ``allow_errors``, in the notebook's own
folder (or a temporary one with ``run_in_temp``), then stored with ``cache_notebook_bundle``
under the key ``match_cache_notebook`` computes from its code and kernelspec. A notebook whose
code did not change is matched and not run again. Kernels inherit the environment, with
``HIZONES_OUTPUT=book`` unless it is set.

A cell error or time-out stops nothing else: the other notebooks finish and are cached, then the
command prints each failure with its notebook, cell number and traceback and exits with 1.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import sqlite3
import sys
import tempfile
import time
from contextlib import closing
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Settings:
    """What ``_config.yml`` says about execution, with Jupyter Book's defaults."""
    mode: str = "auto"
    timeout: int = 30
    allow_errors: bool = False
    in_temp: bool = False
    cache: str = ""
    exclude: list = field(default_factory=list)


def read_settings(book: Path) -> Settings:
    import yaml

    conf = yaml.safe_load((book / "_config.yml").read_text(encoding="utf-8")) or {}
    ex = conf.get("execute") or {}
    mode = ex.get("execute_notebooks", "auto")
    return Settings(mode="off" if mode is False else str(mode), timeout=int(ex.get("timeout", 30)),
                    allow_errors=bool(ex.get("allow_errors", False)), in_temp=bool(ex.get("run_in_temp", False)),
                    cache=str(ex.get("cache", "") or ""), exclude=list(ex.get("exclude_patterns", []) or []))


def toc_notebooks(book: Path, toc: Path | None = None) -> list[Path]:
    """The ``.ipynb`` files that ``_toc.yml`` lists, in its order."""
    from sphinx_external_toc.parsing import parse_toc_yaml

    site = parse_toc_yaml(toc or book / "_toc.yml")
    found = []
    for docname in site:
        path = book / docname
        for candidate in (path, path.with_name(path.name + ".ipynb")):
            if candidate.suffix == ".ipynb" and candidate.is_file():
                found.append(candidate.resolve())
                break
    return found


def cache_dir(book: Path, path_output: Path | None, settings: Settings) -> Path:
    """Where myst-nb keeps the cache: ``execute.cache`` if set, else ``<output>/_build/.jupyter_cache``
    (myst_nb.sphinx_ext: the parent of the html output folder)."""
    if settings.cache:
        return Path(settings.cache).resolve()
    return ((path_output or book) / "_build" / ".jupyter_cache").resolve()


def _excluded(path: Path, book: Path, patterns: list) -> bool:
    from fnmatch import fnmatch

    rel = path.relative_to(book.resolve()).as_posix()
    return any(fnmatch(rel, p) for p in patterns)


@dataclass
class Outcome:
    path: str
    sha256: str            # of the file as read for execution
    notebook: str          # the executed notebook, nbformat JSON
    seconds: float
    error: str | None      # exception class name
    traceback: str | None
    where: str | None      # "cell N (code cell K, In [E])" of the failing cell


def _failing_cell(nb) -> str | None:
    """The cell that raised (it has an error output), else the last one that started."""
    last = None
    k = 0
    for i, cell in enumerate(nb.cells, 1):
        if cell.cell_type != "code":
            continue
        k += 1
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return f"cell {i} (code cell {k}, In [{cell.get('execution_count')}])"
        if cell.get("execution_count") is not None:
            last = f"cell {i} (code cell {k}, In [{cell.get('execution_count')}])"
    return last


def _run_one(path: str, timeout: int, allow_errors: bool, in_temp: bool) -> Outcome:
    """Worker: execute one notebook as myst-nb's cache mode does; return it as JSON."""
    import nbformat
    from jupyter_cache.executors.utils import single_nb_execution

    data = Path(path).read_bytes()  # myst-nb: nbformat.reads(text, as_version=4)
    sha256 = hashlib.sha256(data).hexdigest()
    nb = nbformat.reads(data.decode("utf-8"), as_version=4)
    start = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory(prefix="hizones-exec-") as tmp:
            cwd = tmp if in_temp else str(Path(path).parent)
            result = single_nb_execution(
                nb, cwd=os.path.abspath(cwd), timeout=timeout, allow_errors=allow_errors,
                meta_override=True,
                # Every output has arrived once the last cell's reply is in; a graceful shutdown
                # only waits for the kernel process to tear itself down.
                shutdown_kernel="immediate",
            )
    except Exception as exc:  # a dead kernel, a kernel that would not start: not a cell error
        import traceback

        return Outcome(path, sha256, "", time.perf_counter() - start, type(exc).__name__,
                       traceback.format_exc(), _failing_cell(nb) or "starting the kernel")
    err = result.err
    return Outcome(path, sha256, nbformat.writes(nb), result.time, type(err).__name__ if err else None,
                   result.exc_string, _failing_cell(nb) if err else None)


def _previous_seconds(cache, path: Path) -> float:
    """How long the notebook took last time (0 if never): the longest run first."""
    best = 0.0
    for rec in cache.list_cache_records():
        if rec.uri == str(path):
            best = max(best, float((rec.data or {}).get("execution_seconds") or 0.0))
    return best


# ----- fast path: a rebuild with nothing changed need not load nbformat or jupyter-cache ---------
#: Beside the cache: notebook path -> sha256 of the file and the cache key it was matched to.
STAMPS = "hizones-execute.json"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _load_stamps(cpath: Path) -> dict:
    try:
        return json.loads((cpath / STAMPS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _known_cached(cpath: Path, stamps: dict, path: Path) -> bool:
    """True if this exact file was matched to a cache entry that still exists. Byte-for-byte: any
    edit, even to markdown, sends the notebook to jupyter-cache's own match."""
    stamp = stamps.get(str(path))
    if not stamp or stamp.get("sha256") != _sha256(path):
        return False
    key = stamp.get("hashkey", "")
    if not (cpath / "executed" / key / "base.ipynb").is_file():
        return False
    try:
        with closing(sqlite3.connect(f"file:{cpath / 'global.db'}?mode=ro", uri=True)) as db:
            return db.execute("SELECT 1 FROM nbcache WHERE hashkey = ?", (key,)).fetchone() is not None
    except sqlite3.Error:
        return False


def _save_stamps(cpath: Path, stamps: dict) -> None:
    tmp = cpath / (STAMPS + ".tmp")
    tmp.write_text(json.dumps(stamps, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, cpath / STAMPS)


def execute(book: Path, path_output: Path | None = None, jobs: int | None = None,
            notebooks: list[Path] | None = None, quiet: bool = False) -> int:
    """Pre-execute the book's notebooks into its cache; 0 if all succeeded (or were cached)."""

    def say(msg: str) -> None:
        if not quiet:
            print(msg, flush=True)

    book = book.resolve()
    settings = read_settings(book)
    if settings.mode != "cache":
        say(f"execute: _config.yml sets execute_notebooks: {settings.mode}, not cache; "
            "jupyter-book executes the notebooks itself")
        return 0
    os.environ.setdefault("HIZONES_OUTPUT", "book")
    paths = [p.resolve() for p in (notebooks if notebooks is not None else toc_notebooks(book))]
    paths = [p for p in paths if not _excluded(p, book, settings.exclude)]
    cpath = cache_dir(book, path_output, settings)
    shown = {p: os.path.relpath(p) for p in paths}
    stamps = _load_stamps(cpath)
    unsure = [p for p in paths if not _known_cached(cpath, stamps, p)]
    if not unsure:
        say(f"execute: all {len(paths)} notebooks are cached in {os.path.relpath(cpath)}")
        return 0

    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn
    from jupyter_cache.cache.db import NbProjectRecord

    cache = get_cache(str(cpath))
    todo = []
    for p in unsure:
        try:
            record = cache.match_cache_notebook(nbformat.read(p, as_version=4))
        except KeyError:
            todo.append(p)
        else:
            stamps[str(p)] = {"sha256": _sha256(p), "hashkey": record.hashkey}
    _save_stamps(cpath, stamps)
    if not todo:
        say(f"execute: all {len(paths)} notebooks are cached in {os.path.relpath(cpath)}")
        return 0
    # longest first (as last time; never run: the largest file first), so no core idles at the end
    todo.sort(key=lambda p: (-_previous_seconds(cache, p), -p.stat().st_size))
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    say(f"execute: {len(todo)} of {len(paths)} notebooks to run, {jobs} at a time "
        f"(cache {os.path.relpath(cpath)})")

    start = time.perf_counter()
    failures: list[Outcome] = []
    ctx = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
        futures = {pool.submit(_run_one, str(p), settings.timeout, settings.allow_errors, settings.in_temp): p
                   for p in todo}
        for fut in as_completed(futures):
            try:
                out: Outcome = fut.result()
            except Exception as exc:  # the worker process itself died
                out = Outcome(str(futures[fut]), "", "", 0.0, type(exc).__name__, repr(exc), "its worker process")
            path = Path(out.path)
            record = cache.add_nb_to_project(str(path))
            if out.error:
                NbProjectRecord.set_traceback(record.uri, out.traceback, cache.db)
                failures.append(out)
                say(f"  FAILED {shown[path]}: {out.where}: {out.error} ({out.seconds:.1f} s)")
                continue
            NbProjectRecord.remove_tracebacks([record.pk], cache.db)
            cached = cache.cache_notebook_bundle(
                CacheBundleIn(nbformat.reads(out.notebook, as_version=4), str(path),
                              data={"execution_seconds": out.seconds}),
                check_validity=False, overwrite=True)
            stamps[str(path)] = {"sha256": out.sha256, "hashkey": cached.hashkey}
            _save_stamps(cpath, stamps)
            say(f"  executed {shown[path]} in {out.seconds:.1f} s")
    say(f"execute: {len(todo) - len(failures)} notebooks executed and cached in "
        f"{time.perf_counter() - start:.1f} s")
    for out in failures:
        print(f"\nExecuting notebook failed: {shown[Path(out.path)]}, {out.where}: {out.error}\n"
              f"{out.traceback}", file=sys.stderr)
    if failures:
        print(f"execute: {len(failures)} notebook(s) failed: "
              + ", ".join(f"{shown[Path(o.path)]} ({o.where})" for o in failures), file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m hizones execute", description=__doc__.split("\n\n")[0])
    ap.add_argument("book", nargs="?", default=".", type=Path, help="the book's folder (default: .)")
    ap.add_argument("-j", "--jobs", type=int, default=None, help="notebooks run at once (default: cores)")
    ap.add_argument("--path-output", type=Path, default=None,
                    help="as for jupyter-book build: the cache is DIR/_build/.jupyter_cache")
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args(argv)
    return execute(args.book, args.path_output, args.jobs, quiet=args.quiet)
