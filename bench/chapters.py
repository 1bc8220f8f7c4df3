"""Chapters one at a time: kernel start, first cell (the imports), all cells, the imports alone
under ``python -X importtime``, and the heavy packages each chapter ends up loading."""
from __future__ import annotations

import ast
import json
import re
import subprocess
import time
from pathlib import Path

from common import CHAPTER_RUNS, PY, RUNS, env_for, environ, log, median

HEAVY = ["altair", "pandas", "numpy", "jsonschema", "rfc3987_syntax", "lark", "vl_convert", "jieba",
         "frictionless", "matplotlib", "scipy", "IPython"]

#: Appended to each chapter: which top-level packages its kernel has loaded by the end.
PROBE = ("import sys as _bench_sys\n"
         "print(sorted({m.split('.')[0] for m in _bench_sys.modules}))")


def chapter_imports(path: Path) -> str:
    """Every import statement of the chapter's code cells, once each, in order."""
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


def run_alone(path: Path) -> tuple[dict, list[str]]:
    """One execution of the chapter in a kernel of its own: the timings, and the top-level
    packages loaded by the end."""
    import nbformat
    from nbclient import NotebookClient

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
    return ({"kernel_start": t1 - t0, "first_cell": cells[0] if cells else 0.0,
             "cells": sum(cells[:-1]), "total": t2 - t0}, loaded)


def chapter_row(path: Path, env: dict) -> dict:
    timings, loaded = [], []
    for _ in range(CHAPTER_RUNS):
        t, loaded = run_alone(path)
        timings.append(t)
    imports = chapter_imports(path)
    imp = [import_time(imports, path.parent, env) for _ in range(RUNS)]
    best = sorted(imp, key=lambda r: r["seconds"])[len(imp) // 2]
    return {
        "chapter": path.stem,
        "kernel_start": median([t["kernel_start"] for t in timings]),
        "first_cell": median([t["first_cell"] for t in timings]),
        "cells": median([t["cells"] for t in timings]),
        "total_with_kernel": median([t["total"] for t in timings]),
        "imports": imports.splitlines(),
        "import_seconds": best["seconds"],
        "import_by_package": best["by_package"],
        "heavy_loaded": [m for m in HEAVY if m in loaded],
    }


def chapter_runs(copy: Path, notebooks: list[Path]) -> list[dict]:
    """Each chapter executed alone (one at a time, nothing else running from here): kernel start,
    first cell (its imports), all cells, and which heavy packages it ended up loading."""
    env = env_for(copy)
    rows = []
    with environ({k: env[k] for k in ("PYTHONPATH", "HIZONES_OUTPUT")}):  # the kernels' environment
        for path in notebooks:
            rows.append(chapter_row(path, env))
            log(f"  {path.stem}: cells {rows[-1]['cells']:.2f} s, imports {rows[-1]['import_seconds']:.2f} s")
    return rows
