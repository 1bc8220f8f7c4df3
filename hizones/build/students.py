"""Student notebooks: a chapter as a student opens it in JupyterLab or Jupyter Notebook, where MyST
roles and directives are not rendered. From the executed chapter:

- solutions are removed (the cells from ``solution-start`` to ``solution-end``);
- every glued value is written into the prose (``{glue:text}`eco.gdp``` → **12.33万亿元**);
- citations, cross-references, the learning-objectives box, the "In short" box and each exercise
  become plain Markdown;
- after each exercise come an empty cell for the student's work and a self-check cell
  (``hz.check("ex-eco-2", answer)``, `hizones.analysis.answers`).

The same conversion gives the answer sheet its explanations (`hizones.build.sphinx.answers`).
"""
from __future__ import annotations

import ast
import copy
import re

from ..analysis.checks import in_short, read_marks
from ..sources.i18n import _, chinese, translated

GLUE = re.compile(r"\{glue(?::text)?\}`(?:[^`:]*\.ipynb::)?([^`:]+)(?::[^`]*)?`")
CITE = re.compile(r"\{cite:[pt]\}`([^`]+)`")
REF = re.compile(r"\{(?:ref|doc|numref)\}`([^`<]*?)(?:\s*<([^>]+)>)?`")
EXERCISE = re.compile(r"^```\{exercise\}\s*(.*?)\n(.*?)^```\s*$", re.S | re.M)
ADMONITION = re.compile(r"^:::\{admonition\}\s*(.*?)\n(.*?)^:::\s*$", re.S | re.M)
NOTE = re.compile(r"^```\{note\}\s*\n(.*?)^```\s*$", re.S | re.M)
IN_SHORT = re.compile(r"^```\{hz-in-short\}\s*\n```\s*$", re.M)
OPTION = re.compile(r"^:(\w+):\s*(.*)$", re.M)


def glue_values(nb: dict) -> dict[str, str]:
    """What an executed notebook glued, by key (the text glued, as the prose shows it)."""
    out = {}
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            meta = o.get("metadata", {}).get("scrapbook", {})
            if "name" in meta:
                raw = "".join(o["data"].get(meta.get("mime_prefix", "") + "text/plain", ""))
                out[meta["name"]] = ast.literal_eval(raw) if raw else ""
    return out


def solution_bounds(cells: list[dict]) -> list[tuple[int, int]]:
    """(first, last) cell index of each solution, markers included."""
    spans, start = [], None
    for i, cell in enumerate(cells):
        src = "".join(cell["source"]) if cell["cell_type"] == "markdown" else ""
        if re.search(r"^```\{solution-start\}", src, re.M):
            start = i
        if re.search(r"^```\{solution-end\}", src, re.M) and start is not None:
            spans.append((start, i))
            start = None
    return spans


def strip_solutions(nb: dict) -> dict:
    """A notebook without the cells between ``solution-start`` and ``solution-end``, inclusive."""
    drop = {i for a, b in solution_bounds(nb["cells"]) for i in range(a, b + 1)}
    return {**nb, "cells": [c for i, c in enumerate(nb["cells"]) if i not in drop]}


def _exercise(m: re.Match) -> str:
    options = dict(OPTION.findall(m.group(2)))
    body = OPTION.sub("", m.group(2)).strip()
    label = options.get("label", "")
    return f"#### {translated('Exercise {label}: {title}', label=label, title=m.group(1).strip())}\n\n{body}\n"


def plain(text: str, glue: dict[str, str], cite=lambda key: key, findings: list[str] = ()) -> str:
    """MyST markup as plain Markdown, with glued values written in."""
    def glued(m):
        if m.group(1) not in glue:
            raise KeyError(f"nothing is glued under {m.group(1)!r}")
        # bold marks a written-in value; not next to Chinese, where CommonMark's flanking rules
        # would leave the asterisks on the page (…比重**68.8%**只…)
        return glue[m.group(1)] if chinese() else f"**{glue[m.group(1)]}**"

    text = GLUE.sub(glued, text)
    text = CITE.sub(lambda m: f"({'; '.join(cite(k.strip()) for k in m.group(1).split(','))})", text)
    text = REF.sub(lambda m: (m.group(1).strip() or m.group(2) or "").strip() or m.group(0), text)
    text = EXERCISE.sub(_exercise, text)
    text = ADMONITION.sub(lambda m: f"**{m.group(1).strip()}**\n\n{m.group(2).strip()}\n", text)
    text = NOTE.sub(lambda m: f"> **{_('Note.')}** {m.group(1).strip()}\n", text)
    box = f"**{_('In short')}**\n\n" + "\n".join(f"- {f}" for f in findings) + "\n" if findings else ""
    return IN_SHORT.sub(box, text)


def citations(bib: str) -> dict[str, str]:
    """BibTeX key → "Author (year)" for the entries of a .bib file's text, as a reader would cite them."""
    out = {}
    for m in re.finditer(r"@\w+\{([^,]+),(.*?)\n\}", bib, re.S):
        fields = dict(re.findall(r"(\w+)\s*=\s*\{(.*?)\},?\s*$", m.group(2), re.M))
        raw = fields.get("author", "{" + fields.get("title", m.group(1)) + "}")
        # {Organisation} in braces is one name, whatever it contains; people are "Last, First and …"
        names = re.findall(r"\{([^{}]*)\}", raw) or [n.split(",")[0].strip() for n in raw.split(" and ")]
        first = names[0] if len(names) < 3 else names[0] + " et al."
        shown = f"{first} and {names[1]}" if len(names) == 2 else first
        out[m.group(1).strip()] = f"{shown}, {fields.get('year', 'n.d.')}"
    return out


def _code(text: str, tags=()) -> dict:
    return {"cell_type": "code", "execution_count": None, "metadata": {"tags": list(tags)} if tags else {},
            "outputs": [], "source": text.splitlines(keepends=True)}


def answer_cells(label: str) -> list[dict]:
    return [_code(f"# {_('Your work on this exercise. Put your answer in `answer`.')}\nanswer = None\n"),
            _code(f'hz.check("{label}", answer)\n', tags=["self-check"])]


def executed(path, cache) -> dict:
    """A chapter as executed for the book: its cached outputs merged into the notebook (jupyter-cache),
    or its stored outputs if the cache has none."""
    import json

    import nbformat
    from jupyter_cache import get_cache

    nb = nbformat.read(str(path), as_version=4)
    try:
        _, nb = get_cache(str(cache)).merge_match_into_notebook(nb)
    except KeyError:
        pass
    return json.loads(nbformat.writes(nb))


def student_notebook(executed: dict, cite=lambda key: key, translate=lambda text: text) -> dict:
    """The student's copy of an executed chapter (see the module's docstring); ``translate``: its
    Markdown in the edition's language."""
    nb = strip_solutions(copy.deepcopy(executed))
    glue = glue_values(executed)
    records = [r for c in executed["cells"] for o in c.get("outputs", [])
               for r in read_marks("".join(o.get("data", {}).get("text/html", [])))]
    findings = [r["finding"] for r in in_short(records)]
    cells = []
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "markdown":
            cells.append(cell)
            continue
        text = "".join(cell["source"])
        cells.append({**cell, "source": plain(translate(text), glue, cite, findings).splitlines(keepends=True)})
        if text.lstrip().startswith("```{exercise}"):
            for m in re.finditer(r"^:label: (\S+)", text, re.M):
                cells += answer_cells(m.group(1))
    for cell in cells:
        cell.pop("id", None)
    return {**nb, "cells": cells, "nbformat": 4, "nbformat_minor": 4}
