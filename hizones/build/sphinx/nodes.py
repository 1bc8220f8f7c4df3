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
