"""The session's long work, started at once and run in the background while quicker tests run:
the two editions' builds, the browser's visits of every page, the PDF, the student edition and
the freshness copies. On two cores the suite takes half the time it takes one thing after
another, with the same work and the same tests.

A job is a function registered under a name, with a rank (lower first). When the session starts,
the jobs its tests need are queued in rank order and run by ``HIZONES_TEST_JOBS`` background
threads (default 2); a job may wait for another (the visits wait for their build). A test waits
for a job through its fixture (`result`); if no thread has taken the job yet, it starts then
(in a thread of its own). A job that fails fails every test that needs it, with its error.

Tests are then ordered (`order`) so that those needing no job run first, then those needing the
first job to finish, and so on: nothing sits waiting while there is work it could do.
"""
from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from typing import Callable


@dataclass
class Job:
    name: str
    rank: int
    run: Callable[[], object]
    state: str = "idle"          # idle, queued, running, done
    thread: str = ""             # which thread ran it
    times: tuple[float, float] = (0.0, 0.0)
    value: object = None
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)


JOBS: dict[str, Job] = {}
_lock = threading.Lock()
T0 = time.perf_counter()


def job(name: str, rank: int):
    """Register the decorated function as the job ``name``."""
    def register(fn):
        JOBS[name] = Job(name, rank, fn)
        return fn
    return register


def _claim(j: Job) -> bool:
    with _lock:
        if j.state in ("idle", "queued"):
            j.state = "running"
            return True
        return False


def _run(j: Job) -> None:
    began = time.perf_counter()
    j.thread = threading.current_thread().name
    try:
        j.value = j.run()
    except BaseException as exc:      # noqa: BLE001 (a skip or a failure, given to every test that needs it)
        j.error = exc
    finally:
        j.times = (began - T0, time.perf_counter() - T0)
        j.state = "done"
        j.done.set()


def result(name: str):
    """The job's value, once done (run now if no thread has taken it yet); its error if it failed.
    A job run now runs in a thread of its own all the same: the test's thread may be driving a
    browser already, and a job that starts one (the PDF, the visits) cannot share its thread."""
    j = JOBS[name]
    if _claim(j):
        threading.Thread(target=_run, args=(j,), daemon=True, name=f"for a test ({name})").start()
    j.done.wait()
    if j.error is not None:
        raise j.error
    return j.value


def start(names: set[str], threads: int | None = None) -> None:
    """Queue the jobs ``names`` in rank order and start the threads that take them."""
    global T0
    T0 = time.perf_counter()
    queue = sorted((JOBS[n] for n in names if JOBS[n].state == "idle"), key=lambda j: j.rank)
    for j in queue:
        j.state = "queued"

    def worker():
        for j in queue:
            if _claim(j):
                _run(j)
    count = threads or int(os.environ.get("HIZONES_TEST_JOBS", "2"))
    for n in range(min(count, len(queue))):
        threading.Thread(target=worker, daemon=True, name=f"background {n + 1}").start()


def timeline() -> list[str]:
    """When each job ran (seconds since the session's jobs started) and in which thread."""
    ran = sorted((j for j in JOBS.values() if j.state == "done"), key=lambda j: j.times)
    return [f"{j.name:<14} {j.times[0]:6.1f} – {j.times[1]:6.1f} s  ({j.thread})" for j in ran]


_processes: list[subprocess.Popen] = []


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    """``subprocess.run(cmd, capture_output=True, text=True, **kwargs)`` for a job: in a process
    group of its own, which `stop` ends if the session ends first (a failure with ``-x``)."""
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          start_new_session=True, **kwargs) as proc:
        _processes.append(proc)
        out, err = proc.communicate()
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def stop() -> None:
    """End what jobs still run (their processes), when the session ends before they do."""
    for proc in _processes:
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass


def order(items: list, needs: Callable[[object], set[str]]) -> None:
    """Sort ``items`` in place (stably) by the last-ranked job each needs; none first."""
    def key(item):
        return max((JOBS[n].rank + 1 for n in needs(item)), default=0)
    items.sort(key=key)
