"""The node a generated page leaves in the doctree until every chapter has been read, and which
documents are chapters."""
from docutils import nodes


class hz_generated(nodes.General, nodes.Element):
    """Placeholder filled in when the page is resolved (``kind``: source, checks, data)."""


def skip(self, node):
    raise nodes.SkipNode


CHAPTERS = "chapters/"


def chapter_docs(env) -> list[str]:
    """The chapters' docnames, in order."""
    return sorted(d for d in env.found_docs if d.startswith(CHAPTERS))


def note_generated(env, kind: str) -> None:
    """Remember that the page being read is generated at build time (``kind``), so that it is read
    again whenever the data or a chapter changes (`hizones.build.sphinx.freshness`)."""
    pages = getattr(env, "hz_generated_pages", {})
    pages[env.docname] = kind
    env.hz_generated_pages = pages
