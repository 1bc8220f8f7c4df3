"""One notebook executed as myst-nb's cache mode would execute it, in a worker process."""
from __future__ import annotations

import hashlib
import os
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Outcome:
    path: str
    sha256: str            # of the file as read for execution
    notebook: str          # the executed notebook, nbformat JSON
    seconds: float
    error: str | None      # exception class name
    traceback: str | None
    where: str | None      # "cell N (code cell K, In [E])" of the failing cell


def failing_cell(nb) -> str | None:
    """The cell that raised (it has an error output), else the last one that started."""
    last = None
    k = 0
    for i, cell in enumerate(nb.cells, 1):
        if cell.cell_type != "code":
            continue
        k += 1
        where = f"cell {i} (code cell {k}, In [{cell.get('execution_count')}])"
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return where
        if cell.get("execution_count") is not None:
            last = where
    return last


def run_one(path: str, timeout: int, allow_errors: bool, in_temp: bool) -> Outcome:
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
        return Outcome(path, sha256, "", time.perf_counter() - start, type(exc).__name__,
                       traceback.format_exc(), failing_cell(nb) or "starting the kernel")
    err = result.err
    return Outcome(path, sha256, nbformat.writes(nb), result.time, type(err).__name__ if err else None,
                   result.exc_string, failing_cell(nb) if err else None)
