"""The book's Sphinx extension, split by job (after sphinx-exercise's layout):

- `assets`: the chart library and stylesheet in ``_static``, downloads, nothing unused;
- `nodes`, `pages`, `findings`: what is generated from the data and the chapters (the annotated
  source via `annotated`, the data dictionary; the findings page, each chapter's "In short"
  box, the index of checks, the rules of the verdicts);
- `glossary`: the glossary page and the links from each chapter's first use of a term;
- `student`: the student edition, without solutions;
- `freshness`: chapters executed before reading, and re-read whenever what they read changed;
- `languages`: the switch between the English and Chinese editions, and the check that no
  English is left in the Chinese one;
- `repairs`: two repairs to myst-parser and Sphinx that save seconds of every build.
"""
from __future__ import annotations

import os

from . import answers, assets, findings, freshness, glossary, languages, pages, repairs, student
from .nodes import hz_generated, skip


def _print_hidden_code(app):
    """In the single page printed to PDF, code a chapter hides behind a toggle is left out.
    (sphinx-exercise registers handlers for the singlehtml builder by name, so Sphinx no longer
    falls back to myst-nb's html handlers for this node there.)"""
    from myst_nb.sphinx_ import HideCodeCellNode

    app.add_node(HideCodeCellNode, override=True, singlehtml=(skip, None))


def setup(app):
    # The chart the findings page draws in this process loads the chart library as the chapters'
    # charts do, whether the build was started by the Makefile (which sets this) or not.
    os.environ.setdefault("HIZONES_OUTPUT", "book")
    assets.lean_highlighting()
    repairs.setup()
    app.setup_extension("sphinx_exercise")
    _print_hidden_code(app)
    app.add_config_value("hizones_edition", "book", "env")
    app.connect("config-inited", assets.add_static)
    app.connect("config-inited", student.set_edition)
    app.connect("config-inited", languages.search_language)
    app.connect("builder-inited", languages.report_missing)
    app.add_css_file("hizones.css")
    app.connect("builder-inited", freshness.pre_execute, priority=600)   # after myst-nb's config
    app.connect("builder-inited", findings.forget)
    app.connect("env-updated", findings.forget)
    app.connect("doctree-read", freshness.note_version)
    app.connect("doctree-read", languages.toctree_captions, priority=900)   # after sphinx-external-toc
    app.connect("doctree-read", languages.detach, priority=990)
    app.connect("env-get-outdated", freshness.outdated)
    app.connect("env-purge-doc", freshness.purge)
    app.connect("env-merge-info", freshness.merge)
    app.connect("html-page-context", assets.drop_unused_scripts)
    app.connect("html-page-context", assets.load_hydrator)
    app.connect("html-page-context", languages.switch)
    for handler in (assets.write_bundle, assets.copy_downloads, assets.no_search_index, student.student_downloads):
        app.connect("build-finished", handler)
    app.connect("build-finished", assets.drop_icon_script, priority=880)
    app.connect("build-finished", assets.strip_indentation, priority=890)
    app.connect("build-finished", assets.prune_static, priority=900)   # after everything else is written
    app.add_node(hz_generated, html=(skip, None), latex=(skip, None), text=(skip, None))
    for name in pages.Placeholder.KINDS:
        app.add_directive(name, pages.Placeholder)
    app.add_directive("hz-glossary", glossary.HzGlossary)
    app.add_directive("hz-answer-sheet", answers.AnswerSheet)
    app.add_directive("hz-exercise-index", answers.ExerciseIndex)
    app.add_transform(glossary.LinkTerms)
    app.add_transform(student.RemoveSolutions)
    app.add_transform(languages.Untranslated)
    app.add_post_transform(student.OnlyFirst)
    app.connect("doctree-resolved", pages.fill)
    return {"version": "3", "parallel_read_safe": True, "parallel_write_safe": True}
