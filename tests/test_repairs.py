"""The repairs to myst-parser and Sphinx (`hizones.build.sphinx.repairs`) save work without
sharing what must not be shared. (That the pages come out the same is what every build test
checks: they build with the repairs.)"""
from hizones.build.sphinx import repairs


def test_each_document_gets_its_own_copy_of_the_default_settings():
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser
    from myst_parser.mdit_to_docutils import base

    repairs.setup()
    one, two = base.make_document(), base.make_document("b.md")
    assert base.make_document is repairs._make_document
    assert one.settings is not two.settings
    one.settings.env = "a build environment"
    assert not hasattr(two.settings, "env") and not hasattr(base.make_document().settings, "env")
    plain = lambda s: {k: v for k, v in vars(s).items() if k != "record_dependencies"}  # noqa: E731
    assert plain(two.settings) == plain(get_default_settings(Parser))
    assert one.settings.record_dependencies is not two.settings.record_dependencies   # one each
    assert two["source"] == "b.md"


class Env:
    """What `get_doctree` reads of Sphinx's environment: the pickles it keeps, by page."""

    def __init__(self):
        self._pickled_doctree_cache = {}
        self.loaded = []

    def get_doctree(self, docname):
        self._pickled_doctree_cache.setdefault(docname, bytes(f"pickle of {docname}", "utf-8"))
        self.loaded.append(docname)
        return object()


def test_a_page_is_unpickled_once_while_references_are_resolved_and_its_pickle_is_the_same():
    env = Env()
    get = repairs._get_doctree(Env.get_doctree)
    resolve = repairs._read_only(lambda docname: get(env, docname))
    first = resolve("chapters/01_economy")
    assert resolve("chapters/01_economy") is first and env.loaded == ["chapters/01_economy"]
    env._pickled_doctree_cache["chapters/01_economy"] = b"the page, read again"
    assert resolve("chapters/01_economy") is not first and len(env.loaded) == 2
    # elsewhere (a page about to be written, which Sphinx changes) every call unpickles anew
    assert get(env, "chapters/01_economy") is not get(env, "chapters/01_economy")
    assert len(env.loaded) == 4
