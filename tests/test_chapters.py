"""The chapters as source: code that fits the page (formatted, at most 79 characters a line),
colours only from the chart theme, no number typed into a check, a chart's title or a glued
string, stored outputs a reader would want to see, and the same frame in every chapter."""
import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
MAX_LINE = 79
#: CSS colour words a chart could be given instead of a theme colour.
COLOUR_WORDS = {"black", "white", "gray", "grey", "red", "blue", "green", "orange", "purple", "yellow",
                "steelblue", "lightgray", "lightgrey", "darkgray", "darkgrey", "silver", "navy", "teal"}
HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")
DIGIT = re.compile(r"[0-9]")
#: The constant of an algebraic formula is not a figure: Δ = L·g/(1+g).
FORMULA = re.compile(r"\(1 ?\+ ?g\)")
#: Calls whose text a reader sees: (function name, positions of text arguments, text keywords).
READER_TEXT = {"claim": ((0,), ("label", "how", "findings")), "agreement": ((0,), ("label", "how", "findings")),
               "internal": ((0,), ("label", "how")), "note": ((0,), ()),
               "titled": ((1, 2), ("title", "subtitle", "source")), "glue": ((), ())}


def cells(path: Path, kind: str = "code"):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [(i, "".join(c["source"]), c) for i, c in enumerate(nb["cells"]) if c["cell_type"] == kind]


def ids(path):
    return path.stem


@pytest.mark.parametrize("path", CHAPTERS, ids=ids)
def test_code_lines_fit_the_column(path):
    long = [(i, len(line), line) for i, src, _ in cells(path) for line in src.split("\n") if len(line) > MAX_LINE]
    assert not long, long


def test_chapters_are_formatted():
    run = subprocess.run([str(Path(sys.executable).with_name("ruff")), "format", "--check", "--diff",
                          *map(str, CHAPTERS)], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]


def literal_pieces(node):
    """The parts of an expression's text that are typed, not computed: string constants and the
    literal parts of f-strings (not their format specs), through ``+`` and implicit joins; the
    values of a dict of texts."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.JoinedStr):
        for v in node.values:
            if isinstance(v, ast.Constant):
                yield v.value
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        yield from literal_pieces(node.left)
        yield from literal_pieces(node.right)
    elif isinstance(node, ast.Dict):
        for v in node.values:
            yield from literal_pieces(v)


def reader_texts(tree):
    """(call, text) of every typed text that ends up in a check, a chart title or the prose."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if name not in READER_TEXT:
            continue
        positions, keywords = READER_TEXT[name]
        args = [a for k, a in enumerate(node.args) if k in positions]
        if name == "glue":    # every value glued: hz.glue(name, text), ch.glue(key=…), ch.glue({…})
            args = node.args[1:] if len(node.args) == 2 else list(node.args)
            keywords = tuple(k.arg for k in node.keywords if k.arg)
        args += [k.value for k in node.keywords if k.arg in keywords]
        for a in args:
            for text in literal_pieces(a):
                yield name, text


def test_the_scan_finds_typed_numbers():
    """The scan below would pass on code it cannot read: show it a typed number in each place."""
    code = ('ch.claim("58.10% read as", x, y, how="7.16 ÷ 12.33", findings={"holds": "1/3"})\n'
            'titled(c, f"Rise of {x} in 2023")\nch.glue(third="1/3")\nhz.glue("eco.x", "5")\n')
    found = {name for name, text in reader_texts(ast.parse(code)) if DIGIT.search(text)}
    assert found == {"claim", "titled", "glue"}


@pytest.mark.parametrize("path", CHAPTERS, ids=ids)
def test_no_number_is_typed_into_what_a_reader_sees(path):
    typed = [(i, name, text) for i, src, _ in cells(path)
             for name, text in reader_texts(ast.parse(src))
             if DIGIT.search(FORMULA.sub("", text))]
    assert not typed, typed


@pytest.mark.parametrize("path", CHAPTERS, ids=ids)
def test_colours_come_from_the_chart_theme(path):
    found = []
    for i, src, _ in cells(path):
        tree = ast.parse(src)
        names = {id(a) for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "attr", "") == "chapter"
                 for a in n.args}     # hz.chapter("green") names a chapter, not a colour
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in names:
                if HEX.match(node.value) or node.value.lower() in COLOUR_WORDS:
                    found.append((i, node.value))
    assert not found, found


def _visible(cell) -> bool:
    tags = cell.get("metadata", {}).get("tags", [])
    return not {"remove-cell", "remove-output"} & set(tags)


@pytest.mark.parametrize("path", CHAPTERS, ids=ids)
def test_outputs_are_for_readers(path):
    """No cell shows only a quoted string, and no output carries a pandas dtype line."""
    bad = []
    for i, _, cell in cells(path):
        if not _visible(cell):
            continue
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            plain = "".join(data.get("text/plain", [])) if "text/html" not in data else ""
            if out.get("output_type") == "execute_result" and re.fullmatch(r"""\s*(['"]).*\1\s*""", plain, re.S):
                bad.append((i, "a quoted string", plain[:60]))
            text = "".join(out.get("text", [])) + plain
            if re.search(r"^(Name: .*, )?dtype: \w+$", text, re.M):
                bad.append((i, "a dtype line", text[-60:]))
    assert not bad, bad


@pytest.mark.parametrize("path", CHAPTERS, ids=ids)
def test_every_chapter_has_the_same_frame(path):
    code = "\n".join(src for _, src, _ in cells(path))
    first = cells(path, "markdown")[0][1]
    assert code.count("hz.chapter(") == 1
    assert "ch.summary()" in code and "ch.coverage(" in code
    assert "```{hz-in-short}" in first, "the chapter's first cell opens with its In short box"
