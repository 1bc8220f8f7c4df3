"""Glue: every number in the prose comes from a computation, through myst-nb's ``glue``."""
from __future__ import annotations

from IPython.display import display

# The same record myst_nb.glue writes (key prefix and metadata), without importing Sphinx.
PREFIX = "application/papermill.record/"


def glue(name: str, text: str) -> str:
    """Store ``text`` under ``name`` for ``{glue:text}`name``` in the chapter's prose."""
    if not isinstance(text, str):
        raise TypeError(f"glue {name!r}: format the value to text first (got {type(text).__name__})")
    display({PREFIX + "text/plain": repr(text)}, raw=True,
            metadata={"scrapbook": {"name": name, "mime_prefix": PREFIX}})
    return text
