"""Build figures: clean build, rebuild with nothing changed, rebuild after editing one chapter's
code, for the book (``make book``) and the bare baseline (``jupyter-book build``); the growth of
the clean build with the number of notebooks; ``make test`` and ``make pdf`` once each."""
from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import baseline
from common import (FLAGS, JB, RUNS, SCALE_RUNS, TARGET_TIMEOUT, edit_code, env_for, log, median, read_log,
                    run, summary)

#: What myst-nb logs when jupyter-book itself executes a notebook (the pre-executor's own lines,
#: now in the same log, never say this unless a chapter failed).
JB_EXECUTES = "Executing notebook using"
#: What the pre-executor (`hizones.build.execute`, run by the book's Sphinx extension) logs per notebook.
PRE_EXECUTED = re.compile(r"executed (\S+\.ipynb) in ([\d.]+) s")


class Ours:
    name = "ours"

    def __init__(self, copy: Path, logs: Path):
        self.dir, self.logs, self.env = copy, logs, env_for(copy)

    def clean(self):
        shutil.rmtree(self.dir / "_build", ignore_errors=True)

    def build(self, tag: str) -> dict:
        return run(["make", "-o", ".venv/.installed", "book"], self.dir, self.env, self.logs / f"ours-{tag}.log")


class Base:
    name = "baseline"

    def __init__(self, folder: Path, n: int, logs: Path):
        self.dir, self.logs, self.env = folder, logs, env_for(None)
        self.notebooks = baseline.generate(folder, n)
        self.n = n

    def clean(self):
        shutil.rmtree(self.dir / "_build", ignore_errors=True)

    def build(self, tag: str) -> dict:
        return run([JB, "build", ".", *FLAGS], self.dir, self.env, self.logs / f"base-{tag}.log")


# ----- jupyter-cache's records -----------------------------------------------------------------------
def _cache_db(build_root: Path) -> Path:
    return build_root / "_build" / ".jupyter_cache" / "global.db"


def cache_max_pk(build_root: Path) -> int:
    db = _cache_db(build_root)
    if not db.exists():
        return 0
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as con:
        return con.execute("SELECT COALESCE(MAX(pk), 0) FROM nbcache").fetchone()[0]


def cache_new_uris(build_root: Path, after_pk: int) -> list[str]:
    db = _cache_db(build_root)
    if not db.exists():
        return []
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as con:
        return [r[0] for r in con.execute("SELECT uri FROM nbcache WHERE pk > ?", (after_pk,))]


# ----- clean, nothing changed, one edit --------------------------------------------------------------
def edited_build(book, edit_target: Path, i: int) -> tuple[dict, dict]:
    """Rebuild after editing ``edit_target``'s code (put back afterwards); the build and what
    jupyter-cache and jupyter-book did about it."""
    pk = cache_max_pk(book.dir)
    original = edit_code(edit_target)
    try:
        log(f"  {book.name}: rebuild after editing {edit_target.name} {i + 1}/{RUNS}")
        res = book.build(f"edit{i}")
        log(f"    {res['wall']:.1f} s")
    finally:
        edit_target.write_bytes(original)
    new = cache_new_uris(book.dir, pk)
    return res, {"newly_cached": new, "executed_by_jupyter_book": read_log(res["log"]).count(JB_EXECUTES),
                 "only_the_edited_one": new == [str(edit_target)]}


def notebook_seconds(clean: list[dict]) -> dict:
    """What the pre-executor says of each notebook in the clean builds (ours only), median."""
    seen: dict[str, list] = {}
    for r in clean:
        for name, secs in PRE_EXECUTED.findall(read_log(r["log"])):
            seen.setdefault(Path(name).stem, []).append(float(secs))
    return {k: median(v) for k, v in seen.items()}


def build_figures(book, edit_target: Path) -> dict:
    clean, nochange, edit, checks = [], [], [], []
    for i in range(RUNS):
        book.clean()
        log(f"  {book.name}: clean build {i + 1}/{RUNS}")
        clean.append(book.build(f"clean{i}"))
        log(f"    {clean[-1]['wall']:.1f} s (cpu {clean[-1]['cpu']:.1f} s, rc {clean[-1]['rc']})")
        log(f"  {book.name}: rebuild, nothing changed {i + 1}/{RUNS}")
        nochange.append(book.build(f"nochange{i}"))
        log(f"    {nochange[-1]['wall']:.1f} s")
        res, check = edited_build(book, edit_target, i)
        edit.append(res)
        checks.append(check)
    return {"clean": summary(clean), "nochange": summary(nochange), "edit": summary(edit),
            "edit_checks": checks, "edited": str(edit_target),
            "notebook_seconds_in_clean_build": notebook_seconds(clean)}


# ----- growth with the number of notebooks ----------------------------------------------------------
def trim_toc(toc: dict, book: Path, keep: int) -> dict:
    """The table of contents with only its first ``keep`` notebooks (other pages stay)."""
    seen = [0]

    def is_nb(entry) -> bool:
        f = entry.get("file") if isinstance(entry, dict) else None
        return bool(f) and ((book / f).suffix == ".ipynb" or (book / (f + ".ipynb")).is_file())

    def walk(node):
        if isinstance(node, list):
            out = []
            for entry in node:
                if is_nb(entry):
                    seen[0] += 1
                    if seen[0] > keep:
                        continue
                out.append(walk(entry))
            return [e for e in out if not (isinstance(e, dict) and e.get("chapters") == [] and "caption" in e)]
        if isinstance(node, dict):
            return {k: walk(v) for k, v in node.items()}
        return node

    return walk(toc)


def fit(points: list[tuple[int, float]]) -> dict:
    n = len(points)
    if n < 2:
        return {"slope": None, "intercept": None}
    mx = sum(k for k, _ in points) / n
    my = sum(t for _, t in points) / n
    sxx = sum((k - mx) ** 2 for k, _ in points)
    slope = sum((k - mx) * (t - my) for k, t in points) / sxx if sxx else None
    return {"slope": round(slope, 3) if slope is not None else None,
            "intercept": round(my - slope * mx, 3) if slope is not None else None}


def scaling(book, points: list[int], set_k, full: dict, n: int) -> dict:
    """Clean builds of the first k notebooks of the table of contents (same command and flags as
    the clean build; k = all of them is the clean build itself), and the line through them."""
    rows = []
    for k in points:
        if k == n:
            rows.append({"notebooks": k, "wall": full["wall"], "cpu": full["cpu"], "rc": full["rc"],
                         "runs": "the clean build"})
            continue
        set_k(k)
        samples = []
        try:
            for i in range(SCALE_RUNS):
                book.clean()
                samples.append(book.build(f"scale{k}-{i}"))
        finally:
            set_k(None)
        rows.append({"notebooks": k, **summary(samples)})
        log(f"  {book.name}: {k} notebooks: {rows[-1]['wall']:.1f} s")
    return {"points": rows, **fit([(r["notebooks"], r["wall"]) for r in rows])}


def growth(ours: Ours, base: Base, n: int, builds: dict) -> dict:
    """`scaling` of both books, at 1, about half and all of the ``n`` notebooks."""
    import yaml

    points = sorted({1, (n + 1) // 2, n}) if n > 2 else list(range(1, n + 1))
    toc_path = ours.dir / "_toc.yml"
    toc_text = toc_path.read_text(encoding="utf-8")

    def set_ours(k):
        if k is None:
            toc_path.write_text(toc_text, encoding="utf-8")
        else:
            toc_path.write_text(yaml.safe_dump(trim_toc(yaml.safe_load(toc_text), ours.dir, k),
                                               allow_unicode=True, sort_keys=False), encoding="utf-8")

    def set_base(k):
        baseline.write_toc(base.dir, n if k is None else k)

    return {"ours": scaling(ours, points, set_ours, builds["ours"]["clean"], n),
            "baseline": scaling(base, points, set_base, builds["baseline"]["clean"], n)}


# ----- make test, make pdf ---------------------------------------------------------------------------
def make_target(copy: Path, target: str, logs: Path, extra_env: dict | None = None) -> dict:
    env = {**env_for(copy), **(extra_env or {})}
    probe = subprocess.run(["make", "-n", "-o", ".venv/.installed", target], cwd=copy, env=env,
                           capture_output=True, text=True)
    if probe.returncode != 0:
        return {"available": False, "why": (probe.stderr.strip().splitlines() or ["make -n failed"])[-1]}
    res = run(["make", "-o", ".venv/.installed", target], copy, env, logs / f"make-{target}.log",
              timeout=TARGET_TIMEOUT)
    tail = read_log(res["log"]).strip().splitlines()
    summary_line = next((ln for ln in reversed(tail) if re.search(r"\b(passed|failed|error)", ln)), "")
    slowest = [re.sub(r"\s+", " ", ln.strip()) for ln in tail
               if re.match(r"^\d+\.\d+s (call|setup|teardown) ", ln.strip())][:8]
    return {"available": True, **res, "summary": re.sub(r"\x1b\[[0-9;]*m", "", summary_line).strip("= "),
            "slowest": slowest}
