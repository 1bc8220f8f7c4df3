"""Two repairs to the tools the book is built with, each wasting seconds of every build on work
whose result was already at hand. Neither changes a byte of the output (both editions' HTML
compared with and without them, ``diff -r``, when they were made; every build test builds with
them, and `make bench` measures the builds).

- `cached_settings`: myst-parser builds docutils' default settings afresh (an option parser of
  seventy options per component) for every document it makes, and makes one even when it is
  handed the document to fill; the Chinese build parses each of its 2,500 translated paragraphs
  as a document, so this was a quarter of its Sphinx time. The defaults are built once per parser
  class; each document still gets a copy of its own.
- `numref_doctrees`: Sphinx resolves each ``{numref}`` by unpickling the whole page the target
  is on (every chapter's figures, tables and charts) to read one node, 43 times a build. While a
  reference is resolved, a page is unpickled once and kept for as long as Sphinx keeps the same
  pickle of it.

(The two repairs that only the Chinese edition needs are in `languages`: `detach` and the
Chinese search.)
"""
from __future__ import annotations

import copy
import threading
from functools import wraps

_settings: dict[type, object] = {}
_doctrees: dict[str, tuple[bytes, object]] = {}
_resolving = threading.local()


def _make_document(source_path="notset", parser_cls=None):
    """myst-parser's ``make_document``, with the parser's default settings built once."""
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser
    from docutils.utils import new_document

    parser_cls = parser_cls or Parser
    if parser_cls not in _settings:
        _settings[parser_cls] = get_default_settings(parser_cls)
    return new_document(source_path, settings=copy.deepcopy(_settings[parser_cls]))


def cached_settings() -> None:
    from myst_parser.mdit_to_docutils import base

    base.make_document = _make_document


def _get_doctree(original):
    @wraps(original)
    def get_doctree(env, docname: str):
        if not getattr(_resolving, "on", False):
            return original(env, docname)
        pickled = env._pickled_doctree_cache.get(docname)
        kept = _doctrees.get(docname)
        if pickled is not None and kept is not None and kept[0] is pickled:
            return kept[1]          # the same pickle (the page was not read again since)
        doctree = original(env, docname)
        _doctrees[docname] = (env._pickled_doctree_cache[docname], doctree)
        return doctree
    return get_doctree


def _read_only(method):
    """``method`` with the pages it loads kept (it only reads them)."""
    @wraps(method)
    def resolve(*args, **kwargs):
        _resolving.on = True
        try:
            return method(*args, **kwargs)
        finally:
            _resolving.on = False
    return resolve


def numref_doctrees() -> None:
    from sphinx.domains.std import StandardDomain
    from sphinx.environment import BuildEnvironment

    if not hasattr(BuildEnvironment.get_doctree, "__wrapped__"):
        BuildEnvironment.get_doctree = _get_doctree(BuildEnvironment.get_doctree)
        StandardDomain._resolve_numref_xref = _read_only(StandardDomain._resolve_numref_xref)


def setup() -> None:
    cached_settings()
    numref_doctrees()
