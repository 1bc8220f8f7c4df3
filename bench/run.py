"""`make bench`: how long the book takes to build and test, how heavy its pages are, how fast its
charts draw, each build figure against a bare Jupyter Book measured in the same run.

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
"""
from __future__ import annotations

import ast
import gzip
import json
import os
import platform
import re
import resource
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import closing, contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))
import baseline  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
#: The checkout measured (default: this one); results always go to this one's _build/bench.
SOURCE = Path(os.environ.get("BENCH_ROOT") or ROOT).resolve()
PY = Path(sys.executable)                     # .venv/bin/python (not resolved: the venv's own)
JB = PY.with_name("jupyter-book")
RUNS = max(1, int(os.environ.get("BENCH_RUNS", "3")))
SCALE_RUNS = max(1, int(os.environ.get("BENCH_SCALE_RUNS", str(RUNS))))
CHAPTER_RUNS = max(1, int(os.environ.get("BENCH_CHAPTER_RUNS", "1")))
TARGET_TIMEOUT = float(os.environ.get("BENCH_TARGET_TIMEOUT", "600"))  # make test / make pdf
SKIP = {s.strip() for s in os.environ.get("BENCH_SKIP", "").split(",") if s.strip()}
FLAGS = ["-W", "-n", "--keep-going"]          # the Makefile's
KB = 1000

TARGETS = {
    "clean_ratio": 1.0,          # clean build no slower than the bare baseline
    "nochange_of_clean": 0.3,    # rebuild with nothing changed, as a share of the clean build
    "page_own_kb": 150,          # a chapter page's HTML plus the assets only it loads, raw
    "render_ms": 500,            # every chart drawn, from navigation start
    "test_s": 180,               # make test
}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ----- copies and commands -------------------------------------------------------------------------
def repo_files() -> list[str]:
    try:
        out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                             cwd=SOURCE, capture_output=True, check=True).stdout
        return [f for f in out.decode().split("\0") if f and (SOURCE / f).is_file()]
    except (OSError, subprocess.CalledProcessError):
        skip = {".git", ".venv", "_build", "__pycache__", ".pytest_cache", ".jupyter_cache", ".ipynb_checkpoints"}
        return [p.relative_to(SOURCE).as_posix() for p in SOURCE.rglob("*")
                if p.is_file() and not skip & set(p.relative_to(SOURCE).parts)]


def make_copy(dest: Path) -> Path:
    for rel in repo_files():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(SOURCE / rel, target)
    venv = ROOT / ".venv"
    if venv.exists():
        (dest / ".venv").symlink_to(venv)
    return dest


def env_for(copy: Path | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    env["HIZONES_OUTPUT"] = "book"
    if copy is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(copy)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    return env


def run(cmd: list, cwd: Path, env: dict, logfile: Path, timeout: float | None = None) -> dict:
    """Run a command; wall-clock and CPU seconds (itself and every child it waited for). After
    ``timeout`` seconds its whole process group is killed and it counts as timed out."""
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    timed_out = False
    with open(logfile, "w", encoding="utf-8") as fh:
        proc = subprocess.Popen([str(c) for c in cmd], cwd=cwd, env=env, stdout=fh, stderr=subprocess.STDOUT,
                                start_new_session=timeout is not None)
        try:
            rc = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            os.killpg(proc.pid, signal.SIGKILL)
            rc = proc.wait()
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    out = {"wall": round(wall, 3), "cpu": round(cpu, 3), "rc": rc, "load": round(load, 2), "log": str(logfile)}
    if timed_out:
        out["timed_out"] = True
    return out


def median(xs):
    xs = [x for x in xs if x is not None]
    return round(statistics.median(xs), 3) if xs else None


def summary(samples: list[dict]) -> dict:
    return {"wall": median([s["wall"] for s in samples]), "cpu": median([s["cpu"] for s in samples]),
            "rc": max(s["rc"] for s in samples), "runs": samples}


def cache_max_pk(build_root: Path) -> int:
    db = build_root / "_build" / ".jupyter_cache" / "global.db"
    if not db.exists():
        return 0
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as con:
        return con.execute("SELECT COALESCE(MAX(pk), 0) FROM nbcache").fetchone()[0]


def cache_new_uris(build_root: Path, after_pk: int) -> list[str]:
    db = build_root / "_build" / ".jupyter_cache" / "global.db"
    if not db.exists():
        return []
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as con:
        return [r[0] for r in con.execute("SELECT uri FROM nbcache WHERE pk > ?", (after_pk,))]


def count_in(logfile: str, needle: str) -> int:
    return Path(logfile).read_text(encoding="utf-8", errors="replace").count(needle)


def toc_notebooks(book: Path) -> list[Path]:
    sys.path.insert(0, str(book))
    try:
        from hizones.execute import toc_notebooks as tn
    finally:
        sys.path.pop(0)
    return tn(book)


def edit_code(path: Path) -> bytes:
    """Append a comment to the notebook's last code cell (its code hash changes, its output does
    not); return the original bytes."""
    original = path.read_bytes()
    nb = json.loads(original)
    cell = [c for c in nb["cells"] if c["cell_type"] == "code"][-1]
    src = cell["source"] if isinstance(cell["source"], list) else [cell["source"]]
    if src and not src[-1].endswith("\n"):
        src[-1] += "\n"
    cell["source"] = src + [f"# edited by make bench at {time.time():.0f}"]
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return original


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


# ----- build figures -----------------------------------------------------------------------------
class Ours:
    name = "ours"

    def __init__(self, copy: Path, logs: Path):
        self.dir, self.logs, self.env = copy, logs, env_for(copy)

    def clean(self):
        shutil.rmtree(self.dir / "_build", ignore_errors=True)

    def build(self, tag: str) -> dict:
        return run(["make", "-o", ".venv/.installed", "book"], self.dir, self.env, self.logs / f"ours-{tag}.log")

    def executed_by_jb(self, res: dict) -> int:
        return count_in(res["log"], "Executing notebook")


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

    def executed_by_jb(self, res: dict) -> int:
        return count_in(res["log"], "Executing notebook")


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
        pk = cache_max_pk(book.dir)
        original = edit_code(edit_target)
        try:
            log(f"  {book.name}: rebuild after editing {edit_target.name} {i + 1}/{RUNS}")
            edit.append(book.build(f"edit{i}"))
            log(f"    {edit[-1]['wall']:.1f} s")
        finally:
            edit_target.write_bytes(original)
        new = cache_new_uris(book.dir, pk)
        checks.append({"newly_cached": new, "executed_by_jupyter_book": book.executed_by_jb(edit[-1]),
                       "only_the_edited_one": new == [str(edit_target)]})
    parallel: dict[str, list] = {}
    for r in clean:  # what the pre-executor says of each notebook in the clean builds (ours only)
        for name, secs in re.findall(r"executed (\S+\.ipynb) in ([\d.]+) s",
                                     Path(r["log"]).read_text(encoding="utf-8", errors="replace")):
            parallel.setdefault(Path(name).stem, []).append(float(secs))
    return {"clean": summary(clean), "nochange": summary(nochange), "edit": summary(edit),
            "edit_checks": checks, "edited": str(edit_target),
            "notebook_seconds_in_clean_build": {k: median(v) for k, v in parallel.items()}}


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


def make_target(copy: Path, target: str, logs: Path, extra_env: dict | None = None) -> dict:
    env = {**env_for(copy), **(extra_env or {})}
    probe = subprocess.run(["make", "-n", "-o", ".venv/.installed", target], cwd=copy, env=env,
                           capture_output=True, text=True)
    if probe.returncode != 0:
        return {"available": False, "why": (probe.stderr.strip().splitlines() or ["make -n failed"])[-1]}
    res = run(["make", "-o", ".venv/.installed", target], copy, env, logs / f"make-{target}.log",
              timeout=TARGET_TIMEOUT)
    tail = Path(res["log"]).read_text(encoding="utf-8", errors="replace").strip().splitlines()
    summary_line = next((ln for ln in reversed(tail) if re.search(r"\b(passed|failed|error)", ln)), "")
    slowest = [re.sub(r"\s+", " ", ln.strip()) for ln in tail
               if re.match(r"^\d+\.\d+s (call|setup|teardown) ", ln.strip())][:8]
    return {"available": True, **res, "summary": re.sub(r"\x1b\[[0-9;]*m", "", summary_line).strip("= "),
            "slowest": slowest}


# ----- chapters: execution and import time ---------------------------------------------------------
HEAVY = ["altair", "pandas", "numpy", "jsonschema", "rfc3987_syntax", "lark", "vl_convert", "jieba",
         "frictionless", "matplotlib", "scipy", "IPython"]


def chapter_imports(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    lines = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        src = "".join(cell["source"])
        try:
            tree = ast.parse("\n".join(ln for ln in src.splitlines() if not ln.lstrip().startswith(("%", "!"))))
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                lines.append(ast.unparse(node))
    return "\n".join(dict.fromkeys(lines))


def import_time(code: str, cwd: Path, env: dict) -> dict:
    """python -X importtime: total and per top-level package, in seconds."""
    t0 = time.perf_counter()
    run_ = subprocess.run([PY, "-X", "importtime", "-c", code], cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    per = {}
    for line in run_.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m:
            name, depth = m.group(4), len(m.group(3))
            top = name.split(".")[0]
            per.setdefault(top, 0)
            per[top] = max(per[top], int(m.group(2)))
            if depth == 1:
                per.setdefault("__total__", 0)
                per["__total__"] += int(m.group(2))
    total = per.pop("__total__", 0) / 1e6
    return {"seconds": round(total, 3), "process_wall": round(wall, 3), "rc": run_.returncode,
            "by_package": {k: round(v / 1e6, 3) for k, v in sorted(per.items(), key=lambda kv: -kv[1])[:8]}}


PROBE = ("import sys as _bench_sys\n"
         "print(sorted({m.split('.')[0] for m in _bench_sys.modules}))")


def chapter_runs(copy: Path, notebooks: list[Path]) -> list[dict]:
    """Each chapter executed alone (one at a time, nothing else running from here): kernel start,
    first cell (its imports), all cells, and which heavy packages it ended up loading."""
    import nbformat
    from nbclient import NotebookClient

    env = env_for(copy)
    saved = {k: os.environ.get(k) for k in ("PYTHONPATH", "HIZONES_OUTPUT")}
    os.environ.update({k: env[k] for k in saved})
    rows = []
    try:
        for path in notebooks:
            timings = []
            loaded = []
            for _ in range(CHAPTER_RUNS):
                nb = nbformat.read(path, as_version=4)
                nb.cells.append(nbformat.v4.new_code_cell(PROBE))
                client = NotebookClient(nb, timeout=600, kernel_name="python3",
                                        resources={"metadata": {"path": str(path.parent)}})
                t0 = time.perf_counter()
                cells = []
                with client.setup_kernel():
                    t1 = time.perf_counter()
                    for i, cell in enumerate(nb.cells):
                        if cell.cell_type == "code":
                            s = time.perf_counter()
                            client.execute_cell(cell, i)
                            cells.append(time.perf_counter() - s)
                t2 = time.perf_counter()
                out = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.get("output_type") == "stream")
                loaded = ast.literal_eval(out.strip()) if out.strip() else []
                timings.append({"kernel_start": t1 - t0, "first_cell": cells[0] if cells else 0.0,
                                "cells": sum(cells[:-1]), "total": t2 - t0})
            imports = chapter_imports(path)
            imp = [import_time(imports, path.parent, env) for _ in range(RUNS)]
            best = sorted(imp, key=lambda r: r["seconds"])[len(imp) // 2]
            rows.append({
                "chapter": path.stem,
                "kernel_start": median([t["kernel_start"] for t in timings]),
                "first_cell": median([t["first_cell"] for t in timings]),
                "cells": median([t["cells"] for t in timings]),
                "total_with_kernel": median([t["total"] for t in timings]),
                "imports": imports.splitlines(),
                "import_seconds": best["seconds"],
                "import_by_package": best["by_package"],
                "heavy_loaded": [m for m in HEAVY if m in loaded],
            })
            log(f"  {path.stem}: cells {rows[-1]['cells']:.2f} s, imports {best['seconds']:.2f} s")
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return rows


# ----- the built site in Chromium ----------------------------------------------------------------
class _Handler(SimpleHTTPRequestHandler):
    served: list = []

    def log_message(self, *args):
        pass

    def log_request(self, code="-", size="-"):
        type(self).served.append((urlparse(self.path).path, int(code) if str(code).isdigit() else code))


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)  # a browser that stops reading is fine


@contextmanager
def serve(folder: Path):
    handler = type("H", (_Handler,), {"served": []})
    server = _Server(("127.0.0.1", 0), partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()


# Installed before any page script: records performance.now() (ms since navigation start) when
# every .hz-chart holds a drawn vega svg.
WATCH = """(() => {
  const check = () => {
    if (window.__benchDone !== undefined) return true;
    if (document.readyState === 'loading') return false;
    const charts = document.querySelectorAll('.hz-chart');
    if (!charts.length) { window.__benchDone = null; window.__benchCount = 0; return true; }
    for (const c of charts) if (!c.querySelector('svg.marks')) return false;
    window.__benchDone = performance.now(); window.__benchCount = charts.length; return true;
  };
  const obs = new MutationObserver(() => { if (check()) obs.disconnect(); });
  obs.observe(document, {subtree: true, childList: true, attributes: false});
  document.addEventListener('DOMContentLoaded', () => { if (check()) obs.disconnect(); });
  window.addEventListener('load', () => { if (check()) obs.disconnect(); });
})();"""

# Where the time of a cold load goes: DOMContentLoaded, the chart library's arrival, bytes fetched.
MARKS = """(() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource');
  const lib = res.filter(e => /vega-bundle[^/]*\\.js$/.test(e.name))[0];
  const bytes = res.reduce((n, e) => n + (e.encodedBodySize || 0), nav ? nav.encodedBodySize : 0);
  return {dom_content_loaded_ms: nav ? nav.domContentLoadedEventEnd : null,
          library_loaded_ms: lib ? lib.responseEnd : null, transfer_kb: bytes / 1000};
})()"""

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", "--disable-quic",
               # nothing leaves the machine: every host but the loopback is unresolvable, and
               # every non-loopback request goes to a closed local port
               "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
               "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=127.0.0.1"]


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def site_pages(html: Path) -> list[str]:
    return sorted(p.relative_to(html).as_posix() for p in html.rglob("*.html")
                  if not p.relative_to(html).parts[0].startswith("_"))


def browser_figures(html: Path, chapter_pages: list[str]) -> dict:
    from hizones.pdf import find_chromium

    chromium = find_chromium()
    if not chromium:
        return {"available": False, "why": "no Chromium (set CHROMIUM or install chromium)"}
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"available": False, "why": "playwright is not installed"}

    pages = site_pages(html)
    result = {"available": True, "pages": {}, "render": {}, "outside_requests": []}
    with serve(html) as (base, handler), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=LAUNCH_ARGS)
        try:
            # 1. what each page loads (fresh context per page: nothing cached)
            requested: dict[str, set] = {}
            for page_path in pages:
                ctx = browser.new_context()
                page = ctx.new_page()
                urls = []
                page.on("request", lambda r, urls=urls: urls.append(r.url))
                page.add_init_script(WATCH)
                page.goto(f"{base}/{page_path}", wait_until="load")
                page.wait_for_function("window.__benchDone !== undefined", timeout=20_000)
                page.wait_for_load_state("networkidle")
                ctx.close()
                local = set()
                for u in urls:
                    parsed = urlparse(u)
                    if parsed.scheme in ("data", "blob", "about"):
                        continue
                    if parsed.hostname != "127.0.0.1":
                        result["outside_requests"].append({"page": page_path, "url": u})
                        continue
                    rel = unquote(parsed.path).lstrip("/")
                    if rel != page_path:
                        local.add(rel)
                requested[page_path] = local
            users: dict[str, list] = {}
            for page_path, assets in requested.items():
                for a in assets:
                    users.setdefault(a, []).append(page_path)

            def size(rel: str) -> tuple[int, int]:
                f = html / rel
                if not f.is_file():
                    return 0, 0
                data = f.read_bytes()
                return len(data), gz(data)

            for page_path in pages:
                raw, zipped = size(page_path)
                own = [a for a in requested[page_path] if len(users[a]) == 1]
                own_raw = sum(size(a)[0] for a in own)
                own_gz = sum(size(a)[1] for a in own)
                result["pages"][page_path] = {"html_raw": raw, "html_gzip": zipped, "own_assets": sorted(own),
                                              "own_raw": own_raw, "own_gzip": own_gz,
                                              "total_own_raw": raw + own_raw, "total_own_gzip": zipped + own_gz,
                                              "shared_assets_loaded": len(requested[page_path]) - len(own),
                                              "breakdown": page_breakdown(html / page_path)}
            shared = sorted(a for a, us in users.items() if len(us) > 1)
            result["shared"] = {"files": len(shared), "raw": sum(size(a)[0] for a in shared),
                                "gzip": sum(size(a)[1] for a in shared),
                                "largest": sorted(((a, size(a)[0]) for a in shared), key=lambda x: -x[1])[:6]}
            # files in the site that no page loads and no page links to
            linked = set()
            for page_path in pages:
                for href in re.findall(r'(?:href|src)="([^"#?]+)', (html / page_path).read_text(encoding="utf-8")):
                    target = (html / page_path).parent / unquote(href)
                    try:
                        linked.add(target.resolve().relative_to(html.resolve()).as_posix())
                    except ValueError:
                        pass
            unused = []
            for f in html.rglob("*"):
                rel = f.relative_to(html).as_posix()
                if f.is_file() and not rel.endswith(".html") and rel not in users and rel not in linked \
                        and not rel.startswith(".") and "/." not in rel:
                    unused.append((rel, f.stat().st_size))
            groups: dict[str, list] = {}
            for rel, n in unused:
                key = "/".join(rel.split("/")[:2]) if rel.startswith("_static/") else rel.split("/")[0]
                g = groups.setdefault(key, [0, 0])
                g[0] += 1
                g[1] += n
            result["unused"] = {"files": len(unused), "raw": sum(n for _, n in unused),
                                "groups": sorted(([k, *v] for k, v in groups.items()), key=lambda g: -g[2])}

            # 2. chart rendering, from navigation start: cold (new context) and warm (second visit)
            for page_path in chapter_pages:
                cold, warm, marks, count = [], [], [], 0
                for _ in range(RUNS):
                    ctx = browser.new_context()
                    page = ctx.new_page()
                    page.add_init_script(WATCH)
                    for sink in (cold, warm):
                        page.goto(f"{base}/{page_path}", wait_until="commit")
                        page.wait_for_function("window.__benchDone !== undefined", timeout=20_000)
                        sink.append(page.evaluate("window.__benchDone"))
                        count = page.evaluate("window.__benchCount")
                        if sink is cold:
                            marks.append(page.evaluate(MARKS))
                    ctx.close()
                result["render"][page_path] = {
                    "charts": count, "cold_ms": median(cold), "warm_ms": median(warm), "cold_runs": cold,
                    "warm_runs": warm,
                    **{k: median([m[k] for m in marks]) for k in ("dom_content_loaded_ms", "library_loaded_ms",
                                                                   "transfer_kb")}}
                log(f"  {page_path}: {count} charts, cold {median(cold)} ms, warm {median(warm)} ms")

            # 3. one visit of every chapter in one browser context: how often the chart library
            #    crosses the wire
            handler.served.clear()
            ctx = browser.new_context()
            page = ctx.new_page()
            page.add_init_script(WATCH)
            for page_path in chapter_pages:
                page.goto(f"{base}/{page_path}", wait_until="load")
                page.wait_for_function("window.__benchDone !== undefined", timeout=20_000)
            ctx.close()
            bundles = sorted({a for a in users if re.search(r"_static/vega-bundle[^/]*\.js$", a)})
            hits = [(path, code) for path, code in handler.served if any(path.endswith(b) for b in bundles)]
            result["chart_library"] = {
                "files": bundles, "raw": sum(size(b)[0] for b in bundles), "gzip": sum(size(b)[1] for b in bundles),
                "pages_visited": len(chapter_pages),
                "full_downloads": sum(1 for _, c in hits if c == 200),
                "revalidations_304": sum(1 for _, c in hits if c == 304),
                "from_cache_without_request": len(chapter_pages) - len(hits),
                "same_url_on_every_page": len(bundles) == 1,
            }
        finally:
            browser.close()
    return result


def page_breakdown(page: Path) -> dict:
    """What a page's HTML is made of: chart specs, code inputs, everything else (bytes)."""
    text = page.read_text(encoding="utf-8")
    specs = sum(len(m.encode()) for m in re.findall(r"<script>\(function \(\) \{\s*var el = document.getElementById.*?</script>",
                                                       text, flags=re.S))
    inputs = sum(len(m.encode()) for m in re.findall(r'<div class="cell_input[^"]*".*?</div>\s*</div>\s*</div>',
                                                        text, flags=re.S))
    return {"chart_specs": specs, "code_inputs": inputs, "rest": len(text.encode()) - specs - inputs}


# ----- the report --------------------------------------------------------------------------------
def fmt_s(x):
    return "—" if x is None else f"{x:.1f} s"


def status(ok, missed: str) -> str:
    if ok is None:
        return "n/a"
    return "met" if ok else f"MISSED by {missed}"


def table(rows: list[list[str]]) -> str:
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    out = []
    for j, r in enumerate(rows):
        out.append("  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip())
        if j == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def report(res: dict) -> str:
    o, b = res["builds"]["ours"], res["builds"]["baseline"]
    lines = [f"make bench: {res['machine']['cores']} cores, load average {res['machine']['load_start']} at start, "
             f"{res['runs']} run(s) per build figure (median), {res['notebooks']} notebooks "
             f"(baseline: {res['notebooks']} notebooks that print a number)", ""]
    rows = [["figure", "ours", "baseline", "ratio", "target", "status"]]
    notes = []

    def build_row(label, key, target_text, ok, missed):
        ow, bw = o[key]["wall"], b[key]["wall"]
        rows.append([label, f"{fmt_s(ow)} (cpu {o[key]['cpu']:.1f})", f"{fmt_s(bw)} (cpu {b[key]['cpu']:.1f})",
                     f"{ow / bw:.2f}" if ow and bw else "—", target_text, status(ok, missed)])

    ratio = o["clean"]["wall"] / b["clean"]["wall"]
    build_row("clean build (cache emptied)", "clean", "ratio ≤ 1.0", ratio <= TARGETS["clean_ratio"],
              f"{ratio - 1:.2f} ({o['clean']['wall'] - b['clean']['wall']:.1f} s)")
    share = o["nochange"]["wall"] / o["clean"]["wall"]
    build_row("rebuild, nothing changed", "nochange", f"≤ 0.3 × clean (is {share:.2f})",
              share <= TARGETS["nochange_of_clean"], f"{share - 0.3:.2f} of clean")
    checks = o["edit_checks"]
    one = all(c["only_the_edited_one"] and c["executed_by_jupyter_book"] == 0 for c in checks)
    build_row(f"rebuild after editing {Path(o['edited']).name}", "edit",
              "only that chapter re-executed", one,
              "; ".join(f"{len(c['newly_cached'])} newly cached, {c['executed_by_jupyter_book']} by jupyter-book"
                        for c in checks))
    notes.append("rebuild after an edit: " + ("verified in every run that jupyter-cache gained exactly the edited "
                 "notebook and jupyter-book executed none" if one else "NOT only the edited notebook: see edit_checks "
                 "in bench.json"))
    if any(o[k]["rc"] for k in ("clean", "nochange", "edit")) or any(b[k]["rc"] for k in ("clean", "nochange", "edit")):
        notes.append("a build exited non-zero: see _build/bench/logs")
    t = res.get("make_test")
    if t and t.get("available"):
        rows.append(["make test", fmt_s(t["wall"]) + f" (cpu {t['cpu']:.1f})", "—", "—", "< 180 s",
                     status(t["wall"] < TARGETS["test_s"], f"{t['wall'] - 180:.0f} s")])
        notes.append(f"make test {'TIMED OUT, ' if t.get('timed_out') else ''}exit {t['rc']}: {t.get('summary', '')}; slowest: "
                     + "; ".join(t.get("slowest", [])[:5]))
    elif t is not None:
        rows.append(["make test", "not available", "—", "—", "< 180 s", t.get("why", "")])
    pdf = res.get("make_pdf")
    if pdf and pdf.get("available"):
        rows.append(["make pdf (after make book: chapters cached)",
                     fmt_s(pdf["wall"]) + f" (cpu {pdf['cpu']:.1f})" + ("" if pdf["rc"] == 0 else f" exit {pdf['rc']}"),
                     "—", "—", "(none)", "measured"])
    elif pdf is not None:
        rows.append(["make pdf", "not available", "—", "—", "(none)", pdf.get("why", "")[:60]])
    sc = res.get("scaling")
    if sc:
        so, sb = sc["ours"]["slope"], sc["baseline"]["slope"]
        rows.append(["build time per added notebook (slope)", fmt_s(so), fmt_s(sb),
                     f"{so / sb:.1f}" if so and sb else "—", "(none)",
                     "points " + ", ".join(f"{p['notebooks']}:{p['wall']:.1f}/{q['wall']:.1f}"
                                           for p, q in zip(sc["ours"]["points"], sc["baseline"]["points"]))])
    lines.append(table(rows))
    lines += [f"- {n}" for n in notes]

    if res.get("chapters"):
        lines += ["", "Chapters, each executed alone (median): seconds"]
        par = o.get("notebook_seconds_in_clean_build", {})
        crow = [["chapter", "kernel start", "first cell", "all cells", "in clean build*", "imports alone",
                 "largest imports (cumulative)", "heavy packages loaded"]]
        for c in res["chapters"]:
            top = ", ".join(f"{k} {v:.2f}" for k, v in list(c["import_by_package"].items())[:3])
            p = par.get(c["chapter"])
            crow.append([c["chapter"], f"{c['kernel_start']:.2f}", f"{c['first_cell']:.2f}", f"{c['cells']:.2f}",
                         "—" if p is None else f"{p:.2f}", f"{c['import_seconds']:.2f}", top,
                         ", ".join(c["heavy_loaded"])])
        lines.append(table(crow))
        lines.append("* kernel start to shutdown, as the pre-executor timed it with the other notebooks running "
                     "beside it (median of the clean builds)")

    br = res.get("browser")
    if br and br.get("available"):
        lines += ["", "Pages: own weight = HTML + assets only that page loads (KB = 1000 bytes)"]
        prow = [["page", "HTML raw", "HTML gzip", "own assets raw", "own total raw", "own total gzip",
                 "of which chart specs / code inputs", "target (chapters)"]]
        for page, w in br["pages"].items():
            is_ch = page in res["chapter_pages"]
            kb = w["total_own_raw"] / KB
            prow.append([page, f"{w['html_raw'] / KB:.0f}", f"{w['html_gzip'] / KB:.0f}", f"{w['own_raw'] / KB:.0f}",
                         f"{kb:.0f}", f"{w['total_own_gzip'] / KB:.0f}",
                         f"{w['breakdown']['chart_specs'] / KB:.0f} / {w['breakdown']['code_inputs'] / KB:.0f}",
                         status(kb <= TARGETS["page_own_kb"], f"{kb - 150:.0f} KB") if is_ch else ""])
        lines.append(table(prow))
        sh = br["shared"]
        lines.append(f"shared assets, once: {sh['files']} files, {sh['raw'] / KB:.0f} KB raw, {sh['gzip'] / KB:.0f} KB gzip; "
                     "largest: " + ", ".join(f"{Path(a).name} {n / KB:.0f} KB" for a, n in sh["largest"][:4]))
        cl = br["chart_library"]
        once = cl["full_downloads"] <= 1 and cl["same_url_on_every_page"]
        lines.append(f"chart library {', '.join(Path(f).name for f in cl['files'])} ({cl['raw'] / KB:.0f} KB raw, "
                     f"{cl['gzip'] / KB:.0f} KB gzip): visiting {cl['pages_visited']} chapters in one browser, "
                     f"downloaded {cl['full_downloads']}×, revalidated (304) {cl['revalidations_304']}×, "
                     f"from cache {cl['from_cache_without_request']}× — target once per visit and cacheable: "
                     f"{'met' if once else 'MISSED'}")
        un = br["unused"]
        lines.append(f"files no page loads or links to: {un['files']} ({un['raw'] / KB:.0f} KB) — target none: "
                     + ("met" if not un["files"] else "MISSED: " + ", ".join(f"{g} {n} files {s / KB:.0f} KB"
                                                                              for g, n, s in un["groups"][:6])))
        if br["outside_requests"]:
            lines.append(f"requests to anywhere but 127.0.0.1 (aborted): {len(br['outside_requests'])}")
        lines += ["", "Charts drawn (every .hz-chart has its svg), ms from navigation start, headless Chromium"]
        rrow = [["page", "charts", "cold (nothing cached)", "warm (second visit)", "cold: DOMContentLoaded",
                 "cold: chart library in", "cold: KB fetched", "target ≤ 500 ms"]]
        for page, r in br["render"].items():
            worst = r["cold_ms"]
            f0 = lambda x: "—" if x is None else f"{x:.0f}"  # noqa: E731
            rrow.append([page, r["charts"], f0(r["cold_ms"]), f0(r["warm_ms"]), f0(r.get("dom_content_loaded_ms")),
                         f0(r.get("library_loaded_ms")), f0(r.get("transfer_kb")),
                         status(worst <= TARGETS["render_ms"], f"{worst - 500:.0f} ms")])
        lines.append(table(rrow))
    elif br is not None:
        lines += ["", f"browser figures: not available ({br.get('why')})"]
    return "\n".join(lines)


def main() -> int:
    started = time.perf_counter()
    out_dir = ROOT / "_build" / "bench"
    logs = out_dir / "logs"
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="hizones-bench-"))
    res: dict = {"machine": {"cores": os.cpu_count(), "load_start": round(os.getloadavg()[0], 2),
                             "python": platform.python_version(), "platform": platform.platform()},
                 "runs": RUNS, "scale_runs": SCALE_RUNS, "started": time.strftime("%Y-%m-%dT%H:%M:%S")}
    try:
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
        site = tmp / "site"
        built = ours.build("site")  # the edited chapter is back as it was: its old cache entry serves
        res["site_build"] = built
        if (copy / "_build" / "html").is_dir():
            shutil.copytree(copy / "_build" / "html", site)
        else:
            SKIP.add("browser")
            res["browser"] = {"available": False, "why": f"the book did not build (see {built['log']})"}

        if "scale" not in SKIP:
            log("bench: growth with the number of notebooks")
            points = sorted({1, (n + 1) // 2, n}) if n > 2 else list(range(1, n + 1))
            toc_path = copy / "_toc.yml"
            toc_text = toc_path.read_text(encoding="utf-8")
            import yaml

            def set_ours(k):
                if k is None:
                    toc_path.write_text(toc_text, encoding="utf-8")
                else:
                    toc_path.write_text(yaml.safe_dump(trim_toc(yaml.safe_load(toc_text), copy, k),
                                                       allow_unicode=True, sort_keys=False), encoding="utf-8")

            def set_base(k):
                baseline.write_toc(base.dir, n if k is None else k)

            res["scaling"] = {"ours": scaling(ours, points, set_ours, res["builds"]["ours"]["clean"], n),
                              "baseline": scaling(base, points, set_base, res["builds"]["baseline"]["clean"], n)}
        if "chapters" not in SKIP:
            log("bench: chapters one at a time")
            res["chapters"] = chapter_runs(copy, notebooks)
        if "browser" not in SKIP:
            log("bench: pages in headless Chromium")
            res["browser"] = browser_figures(site, res["chapter_pages"])
        if "test" not in SKIP:
            log("bench: make test")
            res["make_test"] = make_target(copy, "test", logs, {"PYTEST_ADDOPTS": "--durations=8"})
        if "pdf" not in SKIP:
            log("bench: make pdf")
            res["make_pdf"] = make_target(copy, "pdf", logs)
    finally:
        if os.environ.get("BENCH_KEEP") != "1":
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            log(f"bench: kept {tmp}")
    res["bench_seconds"] = round(time.perf_counter() - started, 1)
    text = report(res)
    res["table"] = text
    (out_dir / "bench.json").write_text(json.dumps(res, indent=1, ensure_ascii=False), encoding="utf-8")
    (out_dir / "bench.txt").write_text(text + "\n", encoding="utf-8")
    print(text)
    print(f"\n(bench took {res['bench_seconds']:.0f} s; results in {out_dir.relative_to(ROOT)}/bench.json, "
          f"logs in {logs.relative_to(ROOT)}/)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
