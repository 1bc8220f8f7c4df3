"""The book on paper and for students: the PDF `make pdf` prints, and the student edition
`make student` builds, without solutions."""
import json
import re
import subprocess

import yaml

from .conftest import ROOT, toc_pages


def _pdf_text(pdf):
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def _titles():
    """Every page's title as the toc lists it (first heading of each file)."""
    out = {}
    for page in toc_pages():
        path = next(p for p in (ROOT / f"{page}.md", ROOT / f"{page}.ipynb") if p.exists())
        if path.suffix == ".md":
            text = path.read_text(encoding="utf-8")
        else:
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            text = "".join(next(c["source"] for c in cells if c["cell_type"] == "markdown"))
        out[page] = re.search(r"^# (.+)$", text, re.M).group(1).strip()
    return out


def test_pdf_has_every_chapter_and_no_error_text(book_pdf):
    pages = subprocess.run(["pdfinfo", str(book_pdf)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", pages, re.M).group(1))
    assert count >= 50, count
    text = re.sub(r"\s+", " ", _pdf_text(book_pdf))
    for page, title in _titles().items():
        # a long title may wrap; its first words are enough to find it
        words = " ".join(title.split()[:4])
        assert words in text, f"{page}: title {title!r} not in the PDF"
    for bad in ("Error loading script", "Traceback", "Chart failed to render", "NameError"):
        assert bad not in text, bad


def test_pdf_carries_chinese_text_and_chart_text(book_pdf):
    text = _pdf_text(book_pdf)
    assert text.count("国家高新区") > 50
    assert "\ufffd" not in text, "a replacement character: some glyph is missing"
    # chart titles are drawn as SVG text, so they come through as text
    assert "The zones' shares imply the national totals NBS published" in re.sub(r"\s+", " ", text).replace("’", "'")
    from hizones.build.browser import cjk_fonts

    # Chromium embeds the CJK glyphs it drew; a font for Chinese must have been there to draw them
    assert any("CJK" in f for f in cjk_fonts()), cjk_fonts()
    fonts = subprocess.run(["pdffonts", str(book_pdf)], capture_output=True, text=True, check=True).stdout
    assert len(fonts.splitlines()) > 3, fonts


def test_student_edition_has_exercises_but_no_solutions(student_book, built_book):
    for page in toc_pages():
        if not page.startswith("chapters/"):
            continue
        full = (built_book / f"{page}.html").read_text(encoding="utf-8")
        student = (student_book / f"{page}.html").read_text(encoding="utf-8")
        n = len(re.findall(r'class="[^"]*\bexercise\b', student))
        assert n >= 3, f"{page}: {n} exercises in the student edition"
        assert len(re.findall(r'class="[^"]*\bsolution\b', full)) >= 3, f"{page}: solutions missing from the book"
        assert not re.search(r'class="[^"]*\bsolution\b', student), f"{page}: a solution in the student edition"


def _solution_code_cells(page):
    """Code cells between solution-start and solution-end in a chapter notebook."""
    cells = json.loads((ROOT / f"{page}.ipynb").read_text(encoding="utf-8"))["cells"]
    n, inside = 0, False
    for c in cells:
        src = "".join(c["source"])
        if c["cell_type"] == "markdown" and "{solution-start}" in src:
            inside = True
        elif c["cell_type"] == "markdown" and "{solution-end}" in src:
            inside = False
        elif c["cell_type"] == "code" and inside:
            n += 1
    return n


def test_student_edition_drops_the_solution_code_and_nothing_else(student_book, built_book):
    """Every code cell of a solution is gone from the student pages, and no other cell is."""
    cell = 'class="cell docutils container'
    for page in toc_pages():
        if not page.startswith("chapters/"):
            continue
        full = (built_book / f"{page}.html").read_text(encoding="utf-8").count(cell)
        student = (student_book / f"{page}.html").read_text(encoding="utf-8").count(cell)
        solutions = _solution_code_cells(page)
        assert solutions >= 3, page
        assert full - student == solutions, (page, full, student, solutions)


def test_student_notebooks_read_without_myst_and_check_answers(student_book):
    """The notebooks a student downloads (and `make student` leaves in notebooks/): no solution, no
    MyST left to render (glued values written in, exercises as headings), and after each exercise
    an empty cell for the work and a self-check cell; no answer recorded anywhere."""
    shelf = student_book.parent.parent / "notebooks"
    downloads = sorted((student_book / "_sources" / "chapters").glob("*.ipynb"))
    assert len(downloads) == 7 and sorted(p.name for p in shelf.glob("*.ipynb")) == [p.name for p in downloads]
    for nb in downloads:
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        prose = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        for left in ("{solution-start}", "{solution-end}", "{glue", "{exercise}", "{cite", "{hz-in-short}", ":::{"):
            assert left not in prose, (nb.name, left)
        exercises = re.findall(r"^#### Exercise (\S+):", prose, re.M)
        checks = [m for c in cells if c["cell_type"] == "code"
                  for m in re.findall(r'hz\.check\("([^"]+)", answer\)', "".join(c["source"]))]
        assert len(exercises) >= 4 and checks == exercises, nb.name
        assert "data-hz-answer" not in nb.read_text(encoding="utf-8"), nb.name


def test_student_edition_has_no_teaching_pages_and_no_answers(student_book):
    assert not (student_book / "teaching").exists()
    for page in student_book.rglob("*.html"):
        assert "data-hz-answer" not in page.read_text(encoding="utf-8"), page.name
    assert "teaching/" not in (student_book / "intro.html").read_text(encoding="utf-8")


def test_the_answer_sheet_has_every_answer(built_book):
    page = (built_book / "teaching" / "answers.html").read_text(encoding="utf-8")
    from hizones.analysis.answers import store

    labels = sorted(store())
    assert len(labels) >= 30
    for label in labels:
        assert f"{label}:" in page, label
    assert "no answer recorded" not in page


def test_solutions_are_collapsed_in_the_book(built_book):
    html = (built_book / "chapters" / "01_economy.html").read_text(encoding="utf-8")
    # sphinx-exercise renders a :class: dropdown solution as a collapsed toggle
    assert re.search(r'class="[^"]*\bsolution\b[^"]*\bdropdown\b|class="[^"]*\bdropdown\b[^"]*\bsolution\b', html)


def test_make_targets_exist():
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("book", "test", "pdf", "student", "lab", "answers", "format"):
        assert re.search(rf"^{target}:", make, re.M), target
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make book" in readme and "make test" in readme
    assert yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))["root"] == "intro"


# The printable width of an A4 page with the margins `make pdf` prints with (14 mm each side), in CSS px.
A4_TEXT_PX = round((210 - 2 * 14) / 25.4 * 96)


def test_print_layout_cuts_nothing(single_page, browser):
    """Paper cannot scroll: under print media at the printable width of A4, no code block, table or
    output box is wider than its container, and every chart fits."""
    from hizones.build.browser import serve

    with serve(single_page) as base:
        pg = browser.new_page(viewport={"width": A4_TEXT_PX, "height": 1000})
        pg.emulate_media(media="print")
        pg.goto(f"{base}/intro.html", wait_until="load")
        pg.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        cut = pg.evaluate("""() => [...document.querySelectorAll(
              'pre, table, .output.text_html, .hz-details, .hz-chart, div.highlight')]
            .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
            .map(e => e.tagName + ': ' + (e.textContent || '').trim().slice(0, 60))""")
        pg.close()
    assert not cut, cut


def test_pdf_keeps_the_end_of_every_code_line(book_pdf):
    """Every line of every code cell the book shows is in the PDF to its last character (wrapped
    lines join up once whitespace is ignored)."""
    # -raw: in drawing order, so a line that mixes a Latin and a CJK font stays in one piece
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", "-raw", str(book_pdf), "-"], capture_output=True,
                                             text=True, check=True).stdout)
    missing = []
    for page in toc_pages():
        if not page.startswith("chapters/"):
            continue
        for cell in json.loads((ROOT / f"{page}.ipynb").read_text(encoding="utf-8"))["cells"]:
            tags = set(cell.get("metadata", {}).get("tags", []))
            if cell["cell_type"] != "code" or tags & {"hide-input", "remove-input", "remove-cell"}:
                continue
            for line in "".join(cell["source"]).split("\n"):
                squeezed = re.sub(r"\s+", "", line)
                if squeezed and squeezed not in text:
                    missing.append(f"{page}: {line.strip()[:70]}")
    assert not missing, missing[:20]
