"""The student edition (``HIZONES_EDITION=student``): every solution removed from the pages, and
the notebooks offered for download made for students (`hizones.build.students`)."""
from __future__ import annotations

import json
import os
from pathlib import Path

from sphinx.errors import ConfigError
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.nodes import process_only_nodes

from ..students import citations, executed, student_notebook
from ...sources.i18n import CHINESE
from .languages import language, translate_markdown
from .freshness import cache_path


def edition() -> str:
    return os.environ.get("HIZONES_EDITION", "") or "book"


def set_edition(app, config):
    value = edition()
    if value not in ("book", "student"):
        raise ConfigError(f"HIZONES_EDITION={value!r}: use 'student', or leave it unset for the book")
    config.hizones_edition = value
    app.tags.add(value)       # {only} book / {only} student in the pages


class OnlyFirst(SphinxPostTransform):
    """``{only} book`` blocks leave the student edition before references are resolved, so a link
    to a page that edition leaves out (the teaching pages) is not reported as broken."""

    default_priority = 5          # before ReferencesResolver (10); Sphinx's own only-pass is at 50

    def run(self, **kwargs):
        process_only_nodes(self.document, self.app.tags)


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


def student_downloads(app, exception):
    """The notebooks the student edition offers for download, and a copy of them in ``notebooks/``
    next to the build: each chapter as a student opens it in JupyterLab (`hizones.build.students`)."""
    if exception is not None or app.config.hizones_edition != "student" or app.builder.format != "html":
        return
    cite = citations((Path(app.srcdir) / "references.bib").read_text(encoding="utf-8"))
    # _build/student/notebooks beside the English edition, _build/student/zh/notebooks the Chinese one
    shelf = Path(app.outdir).parent / "notebooks" if language(app) == CHINESE else \
        Path(app.outdir).parent.parent / "notebooks"
    shelf.mkdir(parents=True, exist_ok=True)
    for path in (Path(app.outdir) / "_sources").rglob("*.ipynb"):
        source = Path(app.srcdir) / path.relative_to(Path(app.outdir) / "_sources")
        doc = app.env.path2doc(str(source))
        nb = student_notebook(executed(source, cache_path(app)), cite=lambda k: cite.get(k, k),
                              translate=lambda text, d=doc: translate_markdown(app.env, d, text))
        text = json.dumps(nb, ensure_ascii=False, indent=1)
        path.write_text(text, encoding="utf-8")
        (shelf / path.name).write_text(text, encoding="utf-8")
