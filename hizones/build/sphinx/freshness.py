"""A corrected figure always reaches the page, and a rebuild with nothing changed reads nothing.

- Before reading (``builder-inited``), the chapters are executed in parallel into the cache
  myst-nb reads (`hizones.build.execute`, keyed on the notebook *and* everything it reads), so
  ``jupyter-book build`` alone is enough and never shows a stale output.
- A chapter whose cached outputs changed since it was last read is read again
  (``env-get-outdated``), although its notebook file did not change.
- The generated pages are read again when the data or the code that renders them changed
  (`hizones.build.inputs.page_digest`), or when any chapter is read again (they gather the
  chapters' checks and sections). Nothing else is.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sphinx.errors import ExtensionError
from sphinx.util import logging

from ..inputs import page_digest
from ..stamps import Stamps

logger = logging.getLogger(__name__)
CHAPTERS = "chapters/"


def cache_path(app) -> Path:
    """Where myst-nb reads executed notebooks (set by myst-nb at builder-inited)."""
    config = getattr(app.env, "mystnb_config", None)
    path = getattr(config, "execution_cache_path", "") if config else ""
    return Path(path or Path(app.outdir).parent / ".jupyter_cache").resolve()


def pre_execute(app):
    if app.config.nb_execution_mode != "cache":
        return
    cmd = [sys.executable, "-m", "hizones", "execute", str(app.srcdir), "--cache", str(cache_path(app))]
    run = subprocess.run(cmd, capture_output=True, text=True)
    for line in (run.stdout + run.stderr).splitlines():
        logger.info(line)
    if run.returncode != 0:
        raise ExtensionError("executing the chapters failed (python -m hizones execute):\n"
                             + run.stderr[-6000:])


def _version(app, docname: str) -> list:
    stamps = Stamps(cache_path(app), Path(app.srcdir))
    return list(stamps.version(Path(app.env.doc2path(docname))))


def note_version(app, doctree):
    """Remember which execution of a chapter its doctree was read from."""
    docname = app.env.docname
    if docname.startswith(CHAPTERS):
        versions = getattr(app.env, "hz_versions", {})
        versions[docname] = _version(app, docname)
        app.env.hz_versions = versions


def outdated(app, env, added, changed, removed):
    versions = getattr(env, "hz_versions", {})
    stale = {d for d in env.all_docs if d.startswith(CHAPTERS) and d not in changed
             and versions.get(d) != _version(app, d)}
    generated = set(getattr(env, "hz_generated_pages", {}))
    digest = page_digest(Path(app.srcdir))
    reread = set(stale)
    if stale or added or changed or removed or getattr(env, "hz_page_digest", None) != digest:
        reread |= generated
    env.hz_page_digest = digest
    return sorted(reread - set(changed))


def purge(app, env, docname):
    for attr in ("hz_versions", "hz_generated_pages"):
        getattr(env, attr, {}).pop(docname, None)


def merge(app, env, docnames, other):
    for attr in ("hz_versions", "hz_generated_pages"):
        mine = getattr(env, attr, {})
        mine.update({d: v for d, v in getattr(other, attr, {}).items() if d in docnames})
        setattr(env, attr, mine)
