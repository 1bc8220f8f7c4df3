"""`make bench`: how long the book takes to build and test, how heavy its pages are, how soon
its charts are visible and interactive, against a bare Jupyter Book measured in the same run.

Everything runs on copies in a temporary folder: the repository's files (``git ls-files``, with
untracked files that are not ignored, as a fresh clone would have them once committed) with a
link to its ``.venv``, and a generated baseline (`bench/baseline.py`) with as many notebooks as
``_toc.yml`` lists. The repository's own ``_build`` is never touched, except that results go to
``_build/bench/bench.json``. Kernels import the copy's ``hizones`` (PYTHONPATH).

Environment: ``BENCH_RUNS`` (default 3) runs per build figure, medians reported;
``BENCH_SCALE_RUNS`` (default: BENCH_RUNS) runs per point of the growth line;
``BENCH_CHAPTER_RUNS`` (default 1) runs of each chapter on its own; ``BENCH_TARGET_TIMEOUT``
(default 600) seconds after which ``make test`` or ``make pdf`` is stopped and reported as such; ``BENCH_SKIP`` a comma list
of parts to leave out (``test``, ``pdf``, ``scale``, ``chapters``, ``browser``); ``BENCH_KEEP=1``
keeps the temporary folder; ``BENCH_ROOT`` another checkout to measure (with its own files but
this environment); ``CHROMIUM`` the browser (default: chromium on PATH).

The machine may be shared: every build figure is reported as wall-clock time (what the targets
are about) and as CPU time of the build and its children, with the load average seen before it.

This file runs the parts in order; each is a module of its own: `common` (paths, settings, the
copy, timing a command), `builds` (build figures, growth, ``make test``/``make pdf``), `chapters`
(each chapter alone), `pages` (the site in Chromium, served by `hizones.build.browser`), `charts`
(when a chapter's charts are visible and interactive), `report` (the table).
"""
from __future__ import annotations

import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from builds import Base, Ours, build_figures, growth, make_target  # noqa: E402
from chapters import chapter_runs  # noqa: E402
from common import KEEP, OUT_DIR, ROOT, RUNS, SCALE_RUNS, SKIP, log, make_copy, toc_notebooks  # noqa: E402
from pages import browser_figures  # noqa: E402
from report import report  # noqa: E402


def site(ours: Ours, dest: Path, res: dict) -> None:
    """Build the book once more (the edited chapter is back as it was: its old cache entry serves)
    and keep its HTML in ``dest`` for the browser."""
    built = ours.build("site")
    res["site_build"] = built
    if (ours.dir / "_build" / "html").is_dir():
        shutil.copytree(ours.dir / "_build" / "html", dest)
    else:
        SKIP.add("browser")
        res["browser"] = {"available": False, "why": f"the book did not build (see {built['log']})"}


def measure(tmp: Path, logs: Path, res: dict) -> None:
    copy = make_copy(tmp / "book")
    notebooks = toc_notebooks(copy)
    n = len(notebooks)
    res["notebooks"] = n
    res["chapter_pages"] = [p.relative_to(copy).with_suffix(".html").as_posix() for p in notebooks]
    log(f"bench: copy in {copy}, {n} notebooks in _toc.yml, {RUNS} run(s) per figure")
    ours = Ours(copy, logs)
    base = Base(tmp / "baseline", n, logs)

    log("bench: build figures")
    res["builds"] = {"ours": build_figures(ours, notebooks[0]),
                     "baseline": build_figures(base, base.notebooks[0])}
    site(ours, tmp / "site", res)
    bare = (tmp / "baseline-site", base.notebooks[-1].with_suffix(".html").name)  # not the edited one
    if (base.dir / "_build" / "html").is_dir():   # the baseline's last build, kept before growth rebuilds it
        shutil.copytree(base.dir / "_build" / "html", bare[0])
    if "scale" not in SKIP:
        log("bench: growth with the number of notebooks")
        res["scaling"] = growth(ours, base, n, res["builds"])
    if "chapters" not in SKIP:
        log("bench: chapters one at a time")
        res["chapters"] = chapter_runs(copy, notebooks)
    if "browser" not in SKIP:
        log("bench: pages in headless Chromium")
        res["browser"] = browser_figures(tmp / "site", res["chapter_pages"], bare)
    if "test" not in SKIP:
        log("bench: make test")
        res["make_test"] = make_target(copy, "test", logs, {"PYTEST_ADDOPTS": "--durations=8"})
    if "pdf" not in SKIP:
        log("bench: make pdf")
        res["make_pdf"] = make_target(copy, "pdf", logs)


def main() -> int:
    started = time.perf_counter()
    logs = OUT_DIR / "logs"
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="hizones-bench-"))
    res: dict = {"machine": {"cores": os.cpu_count(), "load_start": round(os.getloadavg()[0], 2),
                             "python": platform.python_version(), "platform": platform.platform()},
                 "runs": RUNS, "scale_runs": SCALE_RUNS, "started": time.strftime("%Y-%m-%dT%H:%M:%S")}
    try:
        measure(tmp, logs, res)
    finally:
        if KEEP:
            log(f"bench: kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    res["bench_seconds"] = round(time.perf_counter() - started, 1)
    text = report(res)
    res["table"] = text
    (OUT_DIR / "bench.json").write_text(json.dumps(res, indent=1, ensure_ascii=False), encoding="utf-8")
    (OUT_DIR / "bench.txt").write_text(text + "\n", encoding="utf-8")
    print(text)
    print(f"\n(bench took {res['bench_seconds']:.0f} s; results in {OUT_DIR.relative_to(ROOT)}/bench.json, "
          f"logs in {logs.relative_to(ROOT)}/)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
