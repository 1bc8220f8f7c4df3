"""The node a generated page leaves in the doctree until every chapter has been read."""
from docutils import nodes


class hz_generated(nodes.General, nodes.Element):
    """Placeholder filled in when the page is resolved (``kind``: source, checks, data)."""


def skip(self, node):
    raise nodes.SkipNode
