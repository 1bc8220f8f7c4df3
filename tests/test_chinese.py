"""The Chinese edition (中文版): built from the same notebooks and data as the English one, through
the catalogues in locales/zh_CN, it cannot drift from the English.

- every catalogue entry is translated and none is fuzzy, and no translation types a number or
  drops a glued value (checked without a build, so the failure names the file and the entry);
- every page is Chinese (``lang="zh-CN"``, and the prose of the chapters mostly Chinese
  characters), with Chinese chart titles, and no Markdown left unrendered;
- the same glued numbers on every page of both editions;
- a language switch on every page of both editions, to the same page in the other;
- Chinese search finds the briefing's terms.
The browser tests (tests/test_browser.py) run on both editions."""
import json
import re
from collections import Counter
from html.parser import HTMLParser

import pytest

from hizones.build import catalogues
from hizones.sources.i18n import catalogue_path

from .conftest import toc_pages

CJK = re.compile(r"[\u3400-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")


def test_every_catalogue_entry_is_translated_and_none_is_fuzzy():
    wrong = catalogues.problems()
    assert not wrong, f"{len(wrong)} catalogue entries (make catalogues, then translate):\n" + "\n".join(wrong[:40])


def test_the_catalogue_check_catches_what_it_must():
    """An untranslated, a fuzzy, a glue-dropping and a number-typing entry are each refused."""
    glue = "GDP was {glue:text}`eco.gdp` in 2023."
    assert catalogues.entry_problems(glue, "", False) == "untranslated"
    assert "fuzzy" in catalogues.entry_problems(glue, "2023年GDP为{glue:text}`eco.gdp`。", True)
    assert "glued values differ" in catalogues.entry_problems(glue, "2023年GDP为12.33万亿元。", False)
    assert "typed numbers" in catalogue_problem(glue, "2023年GDP为{glue:text}`eco.gdp`，增长7.11%。")
    assert catalogues.entry_problems(glue, "2023年园区生产总值为{glue:text}`eco.gdp`。", False) is None


def catalogue_problem(msgid, msgstr):
    return catalogues.entry_problems(msgid, msgstr, False) or ""


def test_the_package_catalogue_exists_and_has_the_verdicts():
    from hizones.sources.i18n import catalogue

    cat = catalogue()
    assert catalogue_path().exists()
    assert {cat.get(w) for w in ("holds", "fails", "undecidable", "agree", "disagree")} == {
        "成立", "不成立", "无法判定", "一致", "不一致"}


class _Text(HTMLParser):
    """Text of an HTML page by where it sits: prose (outside code cells and their outputs, the
    navigation and the annotated source), glued values, chart specs, the page's language."""

    SKIP = ("cell_input", "cell_output", "highlight", "hz-chart", "bd-sidebar", "bd-header", "hz-lang",
            "prev-next", "bd-footer", "headerlink", "hz-source", "hz-tip", "toctree")

    def __init__(self):
        super().__init__()
        self.stack, self.prose, self.glued, self.specs, self.lang = [], [], [], [], ""
        self._glue, self._spec = None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "html":
            self.lang = a.get("lang", "")
        if tag in ("br", "img", "meta", "link", "input", "hr", "wbr"):
            return
        skip = any(c in self.SKIP for c in classes) or tag in ("script", "style", "code", "pre", "nav")
        self.stack.append((tag, skip))
        if "pasted-text" in classes:
            self._glue = []
        if tag == "script" and a.get("type") == "application/json" and (a.get("id") or "").endswith("-spec"):
            self._spec = []

    def handle_endtag(self, tag):
        while self.stack:
            t, _ = self.stack.pop()
            if t == tag:
                break
        if self._glue is not None and tag == "span":
            self.glued.append("".join(self._glue))
            self._glue = None
        if tag == "script" and self._spec is not None:
            self.specs.append(json.loads("".join(self._spec).replace("<\\/", "</")))
            self._spec = None

    def handle_data(self, data):
        if self._glue is not None:
            self._glue.append(data)
        if self._spec is not None:
            self._spec.append(data)
        if not any(skip for _, skip in self.stack):
            self.prose.append(data)


def read_page(path) -> _Text:
    p = _Text()
    p.feed(path.read_text(encoding="utf-8"))
    return p


PAGES = toc_pages()
CHAPTERS = [p for p in PAGES if p.startswith("chapters/")]


def test_every_page_is_chinese(zh_book):
    for page in PAGES + ["search", "genindex"]:
        assert read_page(zh_book / f"{page}.html").lang == "zh-CN", page


@pytest.mark.parametrize("page", CHAPTERS)
def test_chapter_prose_is_mostly_chinese(zh_book, page):
    """In the paragraphs outside code cells, at least 60% of the letters are Chinese characters."""
    text = "".join(read_page(zh_book / f"{page}.html").prose)
    cjk, latin = len(CJK.findall(text)), len(LATIN.findall(text))
    assert cjk / (cjk + latin) >= 0.6, f"{page}: {cjk} Chinese characters, {latin} Latin letters"


@pytest.mark.parametrize("page", PAGES)
def test_no_markdown_is_left_unrendered(zh_book, page):
    """Emphasis next to Chinese punctuation is easy to break (CommonMark's flanking rules): no
    ``**`` may be left in the text, nor a role or a directive."""
    text = "".join(read_page(zh_book / f"{page}.html").prose)
    for left in ("**", "{glue", "{ref}", "{term}", "```"):
        assert left not in text, f"{page}: {left!r} left in the text: …{text[max(0, text.find(left) - 60):text.find(left) + 60]}…"


@pytest.mark.parametrize("page", CHAPTERS + ["findings"])
def test_charts_have_chinese_titles_and_sources(zh_book, page):
    specs = read_page(zh_book / f"{page}.html").specs
    assert specs, f"{page} has no chart"
    for s in specs:
        title = s["spec"]["title"]["text"]
        title = "".join(title) if isinstance(title, list) else title
        subtitle = s["spec"]["title"]["subtitle"]
        assert CJK.search(title) and not re.search(r"[A-Za-z]{4,}", title), f"{page}: chart title {title!r}"
        assert any(line.startswith("资料来源") for line in subtitle), f"{page}: {title!r} has no Chinese source line"


@pytest.mark.parametrize("page", PAGES)
def test_the_same_glued_numbers_on_both_editions(built_book, zh_book, page):
    """Each page glues as many values in both editions, and every value of the English page that
    is a number with its unit (no word to translate) is glued, the same, into the Chinese page:
    the editions show the same computations. (A glued word, such as a period, is translated.)"""
    en = read_page(built_book / f"{page}.html").glued
    zh = read_page(zh_book / f"{page}.html").glued
    assert len(en) == len(zh), f"{page}: {len(en)} glued values in English, {len(zh)} in Chinese"
    missing = Counter(v for v in en if not LATIN.search(v)) - Counter(zh)
    assert not missing, f"{page}: glued in English but not in Chinese: {sorted(missing)[:10]}"


SWITCH = re.compile(r'<nav class="hz-lang"[^>]*><a href="([^"]+)" hreflang="([^"]+)"')


@pytest.mark.parametrize("edition", ["en", "zh"])
def test_every_page_links_to_itself_in_the_other_edition(built_book, zh_book, edition):
    here, there, lang = (built_book, zh_book, "zh-CN") if edition == "en" else (zh_book, built_book, "en")
    for page in PAGES:
        html = (here / f"{page}.html").read_text(encoding="utf-8")
        m = SWITCH.search(html)
        assert m, f"{edition} {page}: no language switch"
        assert m.group(2) == lang
        target = ((here / page).parent / m.group(1)).resolve()
        assert target == (there / f"{page}.html").resolve() and target.exists(), f"{edition} {page} → {target}"


def test_chinese_search_finds_the_briefings_terms(zh_book):
    text = (zh_book / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1:text.rindex(")")])
    terms = index["terms"]
    for word in ("中关村", "新质生产力", "贡献率", "高新区"):
        assert word in terms, f"search finds no {word}"
    assert index["titles"] and any(CJK.search(t) for t in index["titles"])


def test_english_left_on_a_chinese_page_is_found():
    """The rule behind the Chinese build's error for a paragraph still in English (an English
    paragraph changed after it was translated, or a new one): found unless Sphinx translated it,
    the book generated it in Chinese, or it has no word to translate."""
    from docutils import nodes
    from docutils.utils import new_document

    from hizones.build.sphinx.languages import fixed, untranslated

    doc = new_document("chapters/01_economy.ipynb")
    texts = {"changed": "The zones' GDP was {glue:text}`eco.gdp`.", "translated": "高新区园区生产总值为12.33万亿元。",
             "quote": "国家高新区园区生产总值(GDP)达到12.33万亿元", "code": "`hz.bounds`",
             "generated": "Answer: 1.5"}
    for name, text in texts.items():
        p = nodes.paragraph(text, text)
        p.source, p.line = "chapters/01_economy.ipynb", 1
        if name == "translated":
            p["translated"] = True
        doc += fixed(p) if name == "generated" else p
    assert [message for _, message in untranslated(doc)] == [texts["changed"]]


def test_chinese_pages_are_saved_without_the_build_environment(zh_book):
    """Sphinx parses each translation in a throw-away document whose settings carry the whole
    build environment; a node left pointing at it saves the environment with the page (the
    Chinese doctrees grew page by page to 3.7 MB and the build took twice as long)."""
    import pickle

    doctrees = zh_book.parent / ".doctrees-html"
    for page in toc_pages():
        doc = pickle.loads((doctrees / f"{page}.doctree").read_bytes())
        strays = [n for n in doc.findall() if n.document is not doc]
        assert not strays, f"{page}: {len(strays)} nodes belong to another document, e.g. {strays[0]!r:.80}"


def test_the_chinese_search_indexes_as_sphinx_does():
    """The book's Chinese search language (Latin words kept in a set, not a list that grows with
    the book) splits and stems every word as Sphinx's own."""
    from sphinx.search.zh import SearchChinese

    from hizones.build.sphinx.languages import _chinese_search

    text = "国家高新区 GDP 12.33万亿元, R&D intensity of the zones: ICT 新质生产力 ai AI"
    ours, sphinx = _chinese_search()({}), SearchChinese({})
    words = ours.split(text)
    assert words == sphinx.split(text) and {"高新区", "GDP", "ICT"} <= set(words)
    assert [ours.stem(w) for w in words] == [sphinx.stem(w) for w in words]
    assert isinstance(ours.latin_terms, set)
