"""``python -m hizones answers``: gather the answers the chapters' solutions recorded (their stored
outputs, which strict nbval keeps equal to a fresh execution) into ``chapters/answers.json``:
each exercise's kind, unit, precision, hint and salted hash, never the answer itself
(`hizones.analysis.answers`). ``make execute`` runs it after refreshing the outputs."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from ..analysis import answers
from ..analysis.checks import read_marks
from ..sources import paths

EXERCISE = re.compile(r"^```\{exercise\}.*?^:label: (\S+)", re.S | re.M)


def recorded(notebook: Path) -> list[dict]:
    """The answers a chapter's solutions recorded, in order, as stored in its outputs."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    found = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            text = "".join(out.get("data", {}).get("text/html", []))
            found += read_marks(text, answers.MARK)
    return found


def labels(notebook: Path) -> list[str]:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    return [m.group(1) for c in nb["cells"] if c["cell_type"] == "markdown"
            for m in EXERCISE.finditer("".join(c["source"]))]


def gather(chapters: list[Path]) -> dict:
    """Every exercise's entry for the store; raises if an exercise records no answer or two."""
    entries, problems = {}, []
    for nb in chapters:
        got = {r["exercise"]: r for r in recorded(nb)}
        for label in labels(nb):
            if label not in got:
                problems.append(f"{paths.rel(nb)}: exercise {label} records no answer (hz.answer in its solution)")
        for label, r in got.items():
            entries[label] = {k: r[k] for k in ("kind", "unit", "digits", "hint", "digest")}
            entries[label]["chapter"] = nb.stem
    if problems:
        raise LookupError("\n".join(problems))
    return dict(sorted(entries.items()))


def main(argv: list[str] | None = None) -> int:
    chapters = sorted((paths.ROOT / "chapters").glob("*.ipynb"))
    try:
        entries = gather(chapters)
    except LookupError as exc:
        print(exc, file=sys.stderr)
        return 1
    answers.STORE.write_text(json.dumps(entries, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(entries)} answers written to {paths.rel(answers.STORE)}")
    return 0
