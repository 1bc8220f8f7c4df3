"""The student edition (``HIZONES_EDITION=student``): every solution removed, from the pages and
from the notebooks offered for download."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

from sphinx.errors import ConfigError
from sphinx.transforms import SphinxTransform


def edition() -> str:
    return os.environ.get("HIZONES_EDITION", "") or "book"


def set_edition(app, config):
    value = edition()
    if value not in ("book", "student"):
        raise ConfigError(f"HIZONES_EDITION={value!r}: use 'student', or leave it unset for the book")
    config.hizones_edition = value


class RemoveSolutions(SphinxTransform):
    """Drop every solution, with what it holds. Gated solutions (the code cells between
    solution-start and solution-end) are first merged into one solution node by sphinx-exercise;
    its own ``hide_solutions`` would drop only the start marker and leave the code, so it is not
    used."""

    default_priority = 20     # after sphinx-exercise's MergeGatedSolutions (10)

    def apply(self):
        if self.config.hizones_edition != "student":
            return
        from sphinx_exercise.nodes import solution_end_node, solution_node, solution_start_node

        for cls in (solution_node, solution_start_node, solution_end_node):
            for node in list(self.document.findall(cls)):
                node.parent.remove(node)


def strip_solutions(nb: dict) -> dict:
    """A notebook without the cells between ``solution-start`` and ``solution-end``, inclusive."""
    cells, inside = [], False
    for cell in nb["cells"]:
        src = "".join(cell["source"]) if cell["cell_type"] == "markdown" else ""
        if re.search(r"^```\{solution-start\}", src, re.M):
            inside = True
        if not inside:
            cells.append(cell)
        if re.search(r"^```\{solution-end\}", src, re.M):
            inside = False
    return {**nb, "cells": cells}


def strip_downloads(app, exception):
    if exception is not None or app.config.hizones_edition != "student" or app.builder.format != "html":
        return
    for path in (Path(app.outdir) / "_sources").rglob("*.ipynb"):
        nb = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(strip_solutions(nb), ensure_ascii=False, indent=1), encoding="utf-8")
