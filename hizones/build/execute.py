"""Execute a book's notebooks in parallel into the cache that Jupyter Book reads.

``python -m hizones execute [BOOK] [--jobs N] [--path-output DIR | --cache DIR]`` runs every
notebook of ``BOOK/_toc.yml`` (default: the current folder) that has no up-to-date entry in the
cache (``DIR/_build/.jupyter_cache``, where ``jupyter-book build --path-output DIR`` looks;
``DIR`` defaults to ``BOOK``), ``N`` at a time (default: ``HIZONES_EXECUTE_JOBS``, or the number
of cores). The book's
Sphinx extension runs it before every build, so ``jupyter-book build`` finds every notebook
cached and executes none.

Up to date means: the same notebook code *and* the same inputs. jupyter-cache keys a notebook on
its code and kernel only; a chapter also reads ``data/``, the ``hizones`` package and the pinned
environment (`hizones.build.inputs`). Each notebook's stamp (beside the cache) records the digest
of those inputs it was executed with; when the digest changes, every notebook runs again and its
cache entry is replaced, so a corrected figure always reaches the page.

Every notebook is executed exactly as myst-nb's ``execute_notebooks: cache`` mode would execute
it (``myst_nb/core/execute/cache.py``): read as nbformat 4, run by jupyter-cache's
``single_nb_execution`` with the book's ``timeout`` and ``allow_errors``, in the notebook's own
folder (or a temporary one with ``run_in_temp``), then stored with ``cache_notebook_bundle``
under the key ``match_cache_notebook`` computes. Kernels inherit the environment, with
``HIZONES_OUTPUT=book`` unless it is set.

A cell error or time-out stops nothing else: the other notebooks finish and are cached, then the
command prints each failure with its notebook, cell number and traceback and exits with 1.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from . import inputs
from .notebooks import Settings, cache_dir, excluded, read_settings, toc_notebooks
from .runner import Outcome, run_one
from .stamps import Stamps

__all__ = ["Settings", "cache_dir", "execute", "executed", "main", "read_settings", "toc_notebooks"]


def _plan(paths: list[Path], cpath: Path, stamps: Stamps, digest: str) -> list[Path]:
    """The notebooks to run: those whose stamp is not up to date and that jupyter-cache cannot
    match under the same inputs."""
    unsure = [p for p in paths if not stamps.current(p, digest)]
    if not unsure:
        return []
    import nbformat
    from jupyter_cache import get_cache

    cache = get_cache(str(cpath))
    todo = []
    for p in unsure:
        if not stamps.same_inputs(p, digest):
            todo.append(p)       # the data or the code changed: a cached run would be stale
            continue
        try:
            record = cache.match_cache_notebook(nbformat.read(p, as_version=4))
        except KeyError:
            todo.append(p)
        else:
            stamps.record(p, record.hashkey, digest)
    stamps.save()
    # longest first (as last time; never run: the largest file first), so no core idles at the end
    return sorted(todo, key=lambda p: (-stamps.seconds(p), -p.stat().st_size))


def executed(path: Path, cache: Path):
    """The notebook at ``path`` as ``cache`` holds it executed: what myst-nb puts on the page
    (found as myst-nb finds it). KeyError if the cache has no execution of this code."""
    import nbformat
    from jupyter_cache import get_cache

    store = get_cache(str(cache))
    record = store.match_cache_notebook(nbformat.read(path, as_version=4))
    return store.get_cache_bundle(record.pk).nb


def _store(cache, out: Outcome, stamps: Stamps, digest: str) -> None:
    """Put one finished run into the cache (or its traceback, if it failed) and stamp it."""
    import nbformat
    from jupyter_cache.base import CacheBundleIn
    from jupyter_cache.cache.db import NbProjectRecord

    record = cache.add_nb_to_project(out.path)
    if out.error:
        NbProjectRecord.set_traceback(record.uri, out.traceback, cache.db)
        return
    NbProjectRecord.remove_tracebacks([record.pk], cache.db)
    cached = cache.cache_notebook_bundle(
        CacheBundleIn(nbformat.reads(out.notebook, as_version=4), out.path,
                      data={"execution_seconds": out.seconds}),
        check_validity=False, overwrite=True)
    stamps.record(Path(out.path), cached.hashkey, digest, out.sha256, out.seconds)
    stamps.save()


def _run(todo: list[Path], cpath: Path, settings: Settings, stamps: Stamps, digest: str,
         jobs: int, say) -> list[Outcome]:
    from jupyter_cache import get_cache

    import multiprocessing

    cache = get_cache(str(cpath))
    failures = []
    ctx = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
        futures = {pool.submit(run_one, str(p), settings.timeout, settings.allow_errors, settings.in_temp): p
                   for p in todo}
        for fut in as_completed(futures):
            try:
                out = fut.result()
            except Exception as exc:  # the worker process itself died
                out = Outcome(str(futures[fut]), "", "", 0.0, type(exc).__name__, repr(exc), "its worker process")
            _store(cache, out, stamps, digest)
            shown = os.path.relpath(out.path)
            if out.error:
                failures.append(out)
                say(f"  FAILED {shown}: {out.where}: {out.error} ({out.seconds:.1f} s)")
            else:
                say(f"  executed {shown} in {out.seconds:.1f} s")
    return failures


def execute(book: Path, path_output: Path | None = None, jobs: int | None = None,
            notebooks: list[Path] | None = None, quiet: bool = False, cache: Path | None = None) -> int:
    """Pre-execute the book's notebooks into its cache; 0 if all succeeded (or were cached)."""
    say = (lambda msg: None) if quiet else (lambda msg: print(msg, flush=True))
    book = book.resolve()
    settings = read_settings(book)
    if settings.mode != "cache":
        say(f"execute: _config.yml sets execute_notebooks: {settings.mode}, not cache; "
            "jupyter-book executes the notebooks itself")
        return 0
    os.environ.setdefault("HIZONES_OUTPUT", "book")
    paths = [p.resolve() for p in (notebooks if notebooks is not None else toc_notebooks(book))]
    paths = [p for p in paths if not excluded(p, book, settings.exclude)]
    cpath = Path(cache).resolve() if cache else cache_dir(book, path_output, settings)
    digest = inputs.execution_digest(book)
    stamps = Stamps(cpath, book)
    todo = _plan(paths, cpath, stamps, digest)
    if not todo:
        say(f"execute: all {len(paths)} notebooks are cached in {os.path.relpath(cpath)}")
        return 0
    jobs = max(1, min(jobs or int(os.environ.get("HIZONES_EXECUTE_JOBS", 0)) or os.cpu_count() or 1, len(todo)))
    say(f"execute: {len(todo)} of {len(paths)} notebooks to run, {jobs} at a time "
        f"(cache {os.path.relpath(cpath)})")
    start = time.perf_counter()
    failures = _run(todo, cpath, settings, stamps, digest, jobs, say)
    say(f"execute: {len(todo) - len(failures)} notebooks executed and cached in "
        f"{time.perf_counter() - start:.1f} s")
    for out in failures:
        print(f"\nExecuting notebook failed: {os.path.relpath(out.path)}, {out.where}: {out.error}\n"
              f"{out.traceback}", file=sys.stderr)
    if failures:
        print(f"execute: {len(failures)} notebook(s) failed: "
              + ", ".join(f"{os.path.relpath(o.path)} ({o.where})" for o in failures), file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m hizones execute", description=__doc__.split("\n\n")[0])
    ap.add_argument("book", nargs="?", default=".", type=Path, help="the book's folder (default: .)")
    ap.add_argument("-j", "--jobs", type=int, default=None, help="notebooks run at once (default: cores)")
    where = ap.add_mutually_exclusive_group()
    where.add_argument("--path-output", type=Path, default=None,
                       help="as for jupyter-book build: the cache is DIR/_build/.jupyter_cache")
    where.add_argument("--cache", type=Path, default=None, help="the jupyter-cache folder itself")
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args(argv)
    return execute(args.book, args.path_output, args.jobs, quiet=args.quiet, cache=args.cache)
