"""The instructor's answer sheet (``{hz-answer-sheet}``), generated from the executed solutions:
for every exercise of every chapter, its answer as the solution recorded it (`hz.answer`) and the
solution's explanation, with the chapter's glued values written in. One chapter to a printed page
(``make answers``). Not in the student edition."""
from __future__ import annotations

import json
import re
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

from ...analysis import answers
from ...analysis.checks import read_marks
from ...sources.i18n import N_, _, chinese, translated
from ..students import citations, executed, glue_values, plain, solution_bounds
from .freshness import cache_path
from .languages import fixed, translate_markdown
from .nodes import chapter_docs, note_generated

EXERCISE = re.compile(r"^```\{exercise\}\s*(.*?)\n.*?^:label: (\S+)", re.S | re.M)


def _text(cell) -> str:
    return "".join(cell["source"])


def exercises(nb: dict, cite, translate=lambda text: text) -> list[dict]:
    """Each exercise of an executed chapter: label, title, recorded answer and explanation
    (``translate``: the chapter's Markdown in the edition's language)."""
    glue, cells, out = glue_values(nb), nb["cells"], []
    spans = solution_bounds(cells)
    for i, cell in enumerate(cells):
        m = EXERCISE.search(_text(cell)) if cell["cell_type"] == "markdown" else None
        if not m:
            continue
        start, end = next(((a, b) for a, b in spans if a > i), (i, i))
        inside = cells[start + 1:end]
        recorded = [r for c in inside for o in c.get("outputs", [])
                    for r in read_marks("".join(o.get("data", {}).get("text/html", [])), answers.MARK)]
        words = [plain(translate(_text(c)), glue, cite) for c in inside if c["cell_type"] == "markdown"]
        out.append({"label": m.group(2), "title": translate(m.group(1).strip()),
                    "answer": recorded[0] if recorded else None,
                    "explanation": "\n\n".join(w.strip() for w in words if w.strip())})
    return out


def shown(record: dict | None) -> str:
    if record is None:
        return _("(no answer recorded)")
    unit = f" {record['unit']}" if record.get("unit") and record["kind"] in ("number", "range") else ""
    answer = record["answer"].replace("|", ", ") if record["kind"] == "items" else record["answer"]
    # the answer as a student types it (hz.check takes the English words), the unit and kind translated
    unit = f" {_(unit.strip())}" if unit else ""
    kind = f"（{_(record['kind'])}）" if chinese() else f" ({record['kind']})"
    return f"`{answer}{unit}`{kind}"


#: The chapters' short names (the exercise index names them), for the catalogue.
CHAPTERS = [N_("economy"), N_("digitalisation"), N_("green"), N_("new productive forces"), N_("regional"),
            N_("zhongguancun"), N_("zhangjiang")]
#: The kinds of answer, for the catalogue.
KINDS = [N_("number"), N_("range"), N_("verdict"), N_("items"), N_("bool"), N_("text")]


class AnswerSheet(SphinxDirective):
    """Every exercise's answer and explanation, chapter by chapter, from the executed solutions."""

    def run(self):
        env = self.env
        note_generated(env, "answers")
        bib = Path(env.srcdir) / "references.bib"
        cite_of = citations(bib.read_text(encoding="utf-8")) if bib.exists() else {}
        sheet = nodes.container(classes=["hz-answer-sheet"])
        for doc in chapter_docs(env):
            nb = executed(Path(env.doc2path(doc)), cache_path(env.app))
            heading = next(_text(c) for c in nb["cells"] if c["cell_type"] == "markdown").split("\n")[0]
            chapter = nodes.container(classes=["hz-answer-chapter"])
            title = translate_markdown(env, doc, heading.lstrip("# ").strip())
            chapter += nodes.rubric(text=title, classes=["hz-answer-chapter-title"])
            colon = "：" if chinese() else ": "
            for ex in exercises(nb, lambda k: cite_of.get(k, k), lambda t, d=doc: translate_markdown(env, d, t)):
                lines = [f"**{ex['label']}{colon}{ex['title']}**", "",
                         translated("Answer: {answer}", answer=shown(ex["answer"])), "",
                         *ex["explanation"].split("\n"), ""]
                self.state.nested_parse(StringList(lines, source=env.doc2path(doc)), self.content_offset, chapter)
            sheet += chapter
        return [fixed(sheet)]


#: The levels of the exercises, as their classes name them, in teaching order.
LEVELS = [("level-reading", N_("Reading a chart")), ("level-pandas", N_("Writing the pandas")),
          ("level-altair", N_("Drawing with Altair")), ("level-bounds", N_("The arithmetic of bounds"))]
PROMPT = re.compile(r"^```\{exercise\}\s*(.*?)\n(.*?)^```", re.S | re.M)


def first_sentence(body: str) -> str:
    text = " ".join(line for line in body.split("\n") if not line.startswith(":")).strip()
    text = re.sub(r"\{[a-z:]+\}`[^`]*`", "…", text)
    return re.split(r"(?<=[.?!])\s|(?<=[。？！])", text, maxsplit=1)[0]


class ExerciseIndex(SphinxDirective):
    """Every exercise of the book by level: chapter, a link to it, and what it asks first."""

    def run(self):
        env = self.env
        note_generated(env, "exercises")
        rows = {level: [] for level, _ in LEVELS}
        for doc in chapter_docs(env):
            nb = json.loads(Path(env.doc2path(doc)).read_text(encoding="utf-8"))
            for cell in nb["cells"]:
                m = PROMPT.search(_text(cell)) if cell["cell_type"] == "markdown" else None
                level = re.search(r"^:class: (\S+)", m.group(2), re.M) if m else None
                label = re.search(r"^:label: (\S+)", m.group(2), re.M) if m else None
                if level and label and level.group(1) in rows:
                    chapter = _(doc.split("/")[-1].split("_", 1)[1].replace("_", " "))
                    body = "\n".join(line for line in m.group(2).split("\n") if not line.startswith(":"))
                    asks = first_sentence(translate_markdown(env, doc, body.strip())).replace("|", "/")
                    rows[level.group(1)].append(f"| {chapter} | {{ref}}`{label.group(1)}` | {asks} |")
        out = []
        for level, title in LEVELS:
            lines = [f"**{_(title)}**", "", f"| {_('chapter')} | {_('exercise')} | {_('it asks')} |",
                     "| --- | --- | --- |", *rows[level], ""]
            box = nodes.container(classes=["hz-exercise-index"])
            self.state.nested_parse(StringList(lines, source="the chapters' exercises"), self.content_offset, box)
            out.append(fixed(box))
        return out
