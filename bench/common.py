"""What every part of the benchmark shares: where things are, the settings read from the
environment (see `bench/run.py`), the copy of the repository it works on, and running a command
with its wall-clock and CPU time."""
from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(1, str(ROOT))  # this checkout's `hizones`, whatever the environment points at

#: The checkout measured (default: this one); results always go to this one's _build/bench.
SOURCE = Path(os.environ.get("BENCH_ROOT") or ROOT).resolve()
PY = Path(sys.executable)                     # .venv/bin/python (not resolved: the venv's own)
JB = PY.with_name("jupyter-book")
RUNS = max(1, int(os.environ.get("BENCH_RUNS", "3")))
SCALE_RUNS = max(1, int(os.environ.get("BENCH_SCALE_RUNS", str(RUNS))))
CHAPTER_RUNS = max(1, int(os.environ.get("BENCH_CHAPTER_RUNS", "1")))
TARGET_TIMEOUT = float(os.environ.get("BENCH_TARGET_TIMEOUT", "600"))  # make test / make pdf
SKIP = {s.strip() for s in os.environ.get("BENCH_SKIP", "").split(",") if s.strip()}
KEEP = os.environ.get("BENCH_KEEP") == "1"
FLAGS = ["-W", "-n", "--keep-going"]          # the Makefile's
OUT_DIR = ROOT / "_build" / "bench"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ----- the copy ------------------------------------------------------------------------------------
def repo_files() -> list[str]:
    from hizones.build.inputs import repository_files

    return repository_files(SOURCE)


def make_copy(dest: Path) -> Path:
    for rel in repo_files():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(SOURCE / rel, target)
    venv = ROOT / ".venv"
    if venv.exists():
        (dest / ".venv").symlink_to(venv)
    return dest


def toc_notebooks(book: Path) -> list[Path]:
    """The notebooks ``book/_toc.yml`` lists, in its order (the package reads the table of contents)."""
    from hizones.build.execute import toc_notebooks as listed

    return listed(book)


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


# ----- running and timing --------------------------------------------------------------------------
def env_for(copy: Path | None) -> dict:
    """The environment of a build: kernels import the copy's ``hizones`` (none for the baseline)."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    env["HIZONES_OUTPUT"] = "book"
    env["HIZONES_DRAWINGS"] = "off"     # every chart drawn, as in a fresh environment (none kept)
    if copy is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(copy)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    return env


@contextmanager
def environ(values: dict):
    """``os.environ`` with ``values`` set, as it was afterwards (for kernels started from here)."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


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


def read_log(logfile: str) -> str:
    return Path(logfile).read_text(encoding="utf-8", errors="replace")


def median(xs):
    xs = [x for x in xs if x is not None]
    return round(statistics.median(xs), 3) if xs else None


def summary(samples: list[dict]) -> dict:
    return {"wall": median([s["wall"] for s in samples]), "cpu": median([s["cpu"] for s in samples]),
            "rc": max(s["rc"] for s in samples), "runs": samples}
