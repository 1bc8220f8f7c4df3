"""The book in a classroom: every exercise has a self-check that the executed solution passes and a
wrong answer fails, without the answer being readable anywhere a student looks; prompts use only
names their chapter has shown; every solution explains itself; each chapter shows and explains one
chart's Altair code and has an Altair exercise; the student notebooks read without MyST."""
import json
import re

import pytest

from hizones.analysis import answers
from hizones.build.answers import gather, labels, recorded
from hizones.build.students import solution_bounds

from .conftest import ROOT

CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
RECORDS = {r["exercise"]: r for nb in CHAPTERS for r in recorded(nb)}


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def src(cell):
    return "".join(cell["source"])


def test_every_exercise_records_its_answer_and_the_store_is_current():
    everyone = [label for nb in CHAPTERS for label in labels(nb)]
    assert len(everyone) >= 30 and set(everyone) == set(RECORDS)
    assert answers.store() == gather(CHAPTERS), "chapters/answers.json is stale: run make execute"


def test_the_store_never_holds_an_answer():
    for label, entry in answers.store().items():
        assert set(entry) == {"kind", "unit", "digits", "hint", "digest", "chapter"}, label
        assert RECORDS[label]["answer"] not in json.dumps(entry, ensure_ascii=False), label


def wrong(record):
    """An answer in the right form that is not the recorded one."""
    canon, kind = record["answer"], record["kind"]
    if kind == "number":
        step = 10 ** -record["digits"]
        return f"{float(canon) + step:.{record['digits']}f}"
    if kind == "range":
        return canon + "0"
    if kind == "verdict":
        return "fails" if canon != "fails" else "holds"
    if kind == "bool":
        return str(canon != "True")
    if kind == "items":
        return "|".join(canon.split("|")[1:]) or "nothing"
    return canon + " not"


@pytest.mark.parametrize("label", sorted(RECORDS))
def test_the_solution_passes_its_self_check_and_a_wrong_answer_fails(label):
    entry, record = answers.store()[label], RECORDS[label]
    assert answers.digest(label, record["answer"]) == entry["digest"]
    assert answers.digest(label, wrong(record)) != entry["digest"]
    assert entry["hint"] and record["answer"] not in entry["hint"], label


def test_check_puts_a_students_answer_in_form_and_says_why_not():
    from hizones import Bounds

    spec = answers.Spec("ex-demo", "number", "Divide by the zones.", "亿元", 1)
    assert answers.canonical(2115.73, spec) == "2115.7"
    with pytest.raises(TypeError, match="one number, not a range"):
        answers.canonical(Bounds(1, 2), spec)
    rng = answers.Spec("ex-demo", "range", "", "万亿元", 2)
    assert answers.canonical(Bounds(1.1506e13, 1.1517e13, "yuan"), rng) == "11.50–11.52"
    with pytest.raises(TypeError, match="a range"):
        answers.canonical(11.5, rng)
    with pytest.raises(TypeError, match="in 'yuan'"):
        answers.canonical(Bounds(0.1, 0.2), rng)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_solution_explains_itself_after_its_code(path):
    cs = cells(path)
    for start, end in solution_bounds(cs):
        inside = cs[start + 1:end]
        last_code = max((i for i, c in enumerate(inside) if c["cell_type"] == "code"), default=None)
        assert last_code is not None, src(cs[start])
        after = " ".join(src(c) for c in inside[last_code + 1:] if c["cell_type"] == "markdown")
        assert re.search(r"[A-Za-z].*[.?!]", after), f"{path.stem}: {src(cs[start])!r} ends in code"
        assert "hz.answer(" in src(inside[last_code]), f"{path.stem}: {src(cs[start])!r} records no answer last"


NAME = re.compile(r"`([^`]*)`")
CALL = re.compile(r"\b((?:hz\.)?[A-Za-z_][\w.]*)\s*\(")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_exercise_prompts_use_only_names_their_chapter_has_shown(path):
    """A function a prompt names has been called in a cell a student sees before the exercise."""
    cs, shown, missing = cells(path), "", []
    inside = {i for a, b in solution_bounds(cs) for i in range(a, b + 1)}
    for i, cell in enumerate(cs):
        text = src(cell)
        if cell["cell_type"] == "code" and i not in inside:
            shown += text + "\n"
        if cell["cell_type"] == "markdown" and text.lstrip().startswith("```{exercise}"):
            prompt = "\n".join(line for line in text.split("\n") if not line.startswith("```"))
            for code in NAME.findall(prompt):
                for name in CALL.findall(code):
                    last = name.split(".")[-1]
                    if not re.search(rf"\b{re.escape(last)}\s*\(", shown):
                        missing.append(f"{text.split(chr(10))[0]}: {name}")
    assert not missing, missing


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_each_chapter_teaches_altair_in_the_open(path):
    cs = cells(path)
    inside = {i for a, b in solution_bounds(cs) for i in range(a, b + 1)}
    visible = [i for i, c in enumerate(cs) if c["cell_type"] == "code" and i not in inside
               and "alt.Chart(" in src(c) and not {"hide-input", "remove-input", "remove-cell"}
               & set(c.get("metadata", {}).get("tags", []))]
    assert visible, f"{path.stem}: no chart's code is shown"
    around = src(cs[visible[0] - 1]) + src(cs[visible[0] + 1])
    assert re.search(r"encod", around) and re.search(r"\bmark", around), "the shown chart is not explained"
    altair = [src(c) for c in cs if c["cell_type"] == "markdown" and "level-altair" in src(c)]
    assert altair, f"{path.stem}: no exercise asks for a chart (class level-altair)"
