"""The strict book build, and what it publishes: no traceback, no request to anywhere else."""
import re
from html.parser import HTMLParser

from .conftest import ROOT, toc_pages


class Loads(HTMLParser):
    """Every URL a page makes the browser fetch by itself (not links a reader may follow)."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "img", "iframe", "audio", "video", "source", "embed") and a.get("src"):
            self.urls.append(a["src"])
        if tag == "link" and a.get("href") and set((a.get("rel") or "").split()) & {
                "stylesheet", "preload", "icon", "modulepreload", "prefetch", "manifest"}:
            self.urls.append(a["href"])
        if tag == "object" and a.get("data"):
            self.urls.append(a["data"])


def test_every_toc_page_is_built(built_book):
    for page in toc_pages():
        assert (built_book / f"{page}.html").exists(), page
    assert (built_book / "index.html").exists()


def test_only_toc_files_are_built(built_book):
    built = {p.relative_to(built_book).with_suffix("").as_posix() for p in built_book.rglob("*.html")
             if not p.relative_to(built_book).parts[0].startswith("_")}
    extra = built - set(toc_pages()) - {"index", "genindex", "search"}
    assert not extra, f"pages built that are not in _toc.yml: {sorted(extra)}"


def test_no_page_loads_anything_from_outside_the_book(built_book):
    offenders = {}
    for page in built_book.rglob("*.html"):
        parser = Loads()
        text = page.read_text(encoding="utf-8")
        parser.feed(text)
        external = [u for u in parser.urls if re.match(r"^(https?:)?//", u)]
        css_imports = re.findall(r"@import\s+url\(['\"]?(https?:)?//", text)
        if external or css_imports:
            offenders[page.name] = external + css_imports
    for css in built_book.rglob("*.css"):
        if re.search(r"@import\s+(url\()?['\"]?(https?:)?//", css.read_text(encoding="utf-8", errors="replace")):
            offenders[css.name] = ["@import of an external stylesheet"]
    assert not offenders, offenders


def test_no_traceback_or_error_output_is_published(built_book):
    for page in built_book.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for marker in ("Traceback (most recent call last)", 'class="output traceback', 'class="output stderr'):
            assert marker not in text, f"{page.name}: {marker}"


def test_chart_library_is_served_by_the_book(built_book):
    from hizones.analysis.charts import bundle_name

    bundle = built_book / "_static" / bundle_name()
    assert bundle.exists() and bundle.stat().st_size > 500_000
    economy = (built_book / "chapters" / "01_economy.html").read_text(encoding="utf-8")
    assert bundle_name() in economy and economy.count('class="hz-chart"') >= 3


def test_every_number_in_the_prose_is_glued(built_book):
    """No glue reference is left unresolved, and no figure is typed into a chapter's prose."""
    import json

    typed = re.compile(r"(?<![\w.{`/#-])\d+(?:\.\d+)?\s*(?:%|万亿|亿|万|家|个|项|件|trillion|billion|million|percent)")
    found = []
    for nb in sorted((ROOT / "chapters").glob("*.ipynb")):
        for i, cell in enumerate(json.loads(nb.read_text(encoding="utf-8"))["cells"]):
            if cell["cell_type"] != "markdown":
                continue
            text = "".join(cell["source"])
            text = re.sub(r"\{glue(:\w+)?\}`[^`]*`", "", text)
            text = re.sub(r"^>.*$", "", text, flags=re.M)
            found += [f"{nb.name} cell {i}: {m.group(0)}" for m in typed.finditer(text)]
    assert not found, found
    for page in (built_book / "chapters").glob("*.html"):
        assert "{glue" not in page.read_text(encoding="utf-8"), page.name


def test_unmarked_code_tokens_look_like_plain_code(built_book):
    """hizones.build.sphinx.assets drops the spans of names, punctuation and whitespace from highlighted
    code; that is invisible only while the styles colour them like the code block itself."""
    css = (built_book / "_static" / "pygments.css").read_text(encoding="utf-8")
    for theme in ("light", "dark"):
        base = re.search(rf'html\[data-theme="{theme}"\] \.highlight {{[^}}]*color: (#\w+)', css).group(1)
        for token in ("n", "p", "w"):
            m = re.search(rf'html\[data-theme="{theme}"\] \.highlight \.{token} {{ color: (#\w+)', css)
            assert m is None or m.group(1).lower() == base.lower(), (theme, token, m and m.group(1), base)
    page = (built_book / "chapters" / "01_economy.html").read_text(encoding="utf-8")
    assert '<span class="n">' not in page and '<span class="o">' in page


def test_data_appendix_offers_every_file_and_the_package(built_book):
    import json
    import zipfile

    page = built_book / "reference" / "data.html"
    html = page.read_text(encoding="utf-8")
    links = set(re.findall(r'href="(\.\./data/[^"#]+)"', html))
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    wanted = {f"../data/{r['path']}" for r in package["resources"]} | {"../data/datapackage.json",
                                                                       "../data/hizones-data.zip"}
    assert wanted <= links, wanted - links
    for link in links:
        target = (page.parent / link).resolve()
        assert target.exists(), link
        if target.suffix in (".csv", ".txt", ".json"):
            assert target.read_bytes() == (ROOT / "data" / link.removeprefix("../data/")).read_bytes(), link
    names = zipfile.ZipFile(built_book / "data" / "hizones-data.zip").namelist()
    assert {f"hizones-data/{r['path']}" for r in package["resources"]} <= set(names)
    # the index of checks links every check (claims, agreements, internal) to where it is made
    from hizones.analysis.checks import read_marks

    marked = [r for page in (built_book / "chapters").glob("*.html")
              for r in read_marks(page.read_text(encoding="utf-8")) if r["kind"] != "note"]
    anchors = re.findall(r'href="\.\./chapters/([^"#]+)#(check-[^"]+)"', html)
    assert len(marked) >= 20 and len(anchors) == len(marked)
    for chapter, anchor in anchors:
        assert f'id="{anchor}"' in (built_book / "chapters" / chapter).read_text(encoding="utf-8"), anchor


def test_chapters_link_glossary_terms_once_at_first_use(built_book):
    glossary = (built_book / "reference" / "glossary.html").read_text(encoding="utf-8")
    defined = set(re.findall(r'<dt id="(term-[^"]+)"', glossary))
    assert len(defined) >= 60
    for page in toc_pages():
        if not page.startswith("chapters/"):
            continue
        html = (built_book / f"{page}.html").read_text(encoding="utf-8")
        targets = re.findall(r'href="\.\./reference/glossary\.html#(term-[^"]+)"', html)
        assert targets, f"{page}: no glossary link"
        assert len(targets) == len(set(targets)), f"{page}: a term linked twice"
        assert set(targets) <= defined


def test_findings_are_generated_from_the_checks_and_every_link_lands(built_book):
    """The findings page and the introduction's key findings list the chapters' own findings, each
    linking to the check where the arithmetic is shown; every link lands on an existing anchor, and
    the counts match the marks in the chapters."""
    from hizones.analysis.checks import read_marks

    records = [r for page in (built_book / "chapters").glob("*.html")
               for r in read_marks(page.read_text(encoding="utf-8")) if r["kind"] in ("claim", "agreement")]
    assert len(records) >= 20
    for name in ("findings.html", "intro.html"):
        html = (built_book / name).read_text(encoding="utf-8")
        links = re.findall(r'href="(chapters/[^"#]+)#(check-[^"]+)"', html)
        assert links, name
        for page, anchor in links:
            assert f'id="{anchor}"' in (built_book / page).read_text(encoding="utf-8"), (name, page, anchor)
    findings = (built_book / "findings.html").read_text(encoding="utf-8")
    assert len(re.findall(r'href="chapters/[^"#]+#check-', findings)) == len(records)
    for r in records:
        assert html_escape(r["finding"]) in findings, r["finding"]
    assert f"{len(records)} verdicts on the briefing" in findings


def html_escape(text):
    import html

    return html.escape(text)


def test_every_chapter_opens_with_its_findings(built_book):
    for page in (built_book / "chapters").glob("*.html"):
        html = page.read_text(encoding="utf-8")
        box = re.search(r'<aside class="hz-in-short".*?</aside>', html, re.S)
        assert box, page.name
        items = re.findall(r"<li", box.group(0))
        assert 3 <= len(items) <= 5, (page.name, len(items))
        assert html.index("hz-in-short") < html.index('class="hz-chart"') if 'class="hz-chart"' in html else True
