"""Self-checks: a student checks an answer to an exercise without seeing the solution.

A solution ends by recording its answer, with what kind of answer it is, its precision and a hint
for a student who is not there yet::

    hz.answer("ex-eco-2", revenue_per_zone, kind="number", unit="亿元", digits=0,
              hint="Divide the revenue in 亿元 by the number of zones; round to whole 亿元.")

``python -m hizones answers`` (run by ``make execute``) gathers the recorded answers from the
executed chapters into ``chapters/answers.json``, which holds for each exercise its kind, unit,
precision, hint and a salted hash of the answer at that precision, never the answer itself. In a
student's notebook, after each exercise, ``hz.check("ex-eco-2", my_answer)`` puts the student's
answer in the same form and compares the hashes. The hash keeps the answer from being read off the
file at a glance; it does not stop a determined student from trying numbers until one matches.

Kinds: ``number`` (a float, in ``unit``, rounded to ``digits``), ``range`` (a `Bounds`, shown in
``unit`` with ``digits`` as the book shows ranges), ``verdict`` (holds, fails, undecidable, agree,
disagree), ``items`` (a collection of names, order ignored), ``bool``, ``text`` (case and spaces
ignored).
"""
from __future__ import annotations

import hashlib
import html
import json
import numbers
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..sources import paths
from ..sources.i18n import N_, _, translated
from .intervals import Bounds
from .verdicts import VERDICTS

SALT = "hizones-self-check-1"
STORE = paths.ROOT / "chapters" / "answers.json"
#: The attribute of a recorded answer's mark (in a solution's output; the student edition has none).
MARK = "data-hz-answer"
KINDS = ("number", "range", "verdict", "items", "bool", "text")
#: What each kind of answer is, for a student who has not given one yet.
FORMS = {"number": N_("a number"), "range": N_("a hz.Bounds"), "verdict": N_("a verdict word"),
         "items": N_("a list of names"), "bool": N_("True or False"), "text": N_("a short text")}


@dataclass(frozen=True)
class Spec:
    exercise: str
    kind: str
    hint: str
    unit: str | None = None
    digits: int = 2


def _number(value, spec: Spec) -> str:
    if isinstance(value, Bounds):
        raise TypeError(f"{spec.exercise} asks for one number, not a range: take .mid, or the end the "
                        "exercise asks for (.lo, .hi)")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):   # numpy's numbers too
        raise TypeError(f"{spec.exercise} asks for a number, got {type(value).__name__}")
    step = Decimal(1).scaleb(-spec.digits)
    return str(Decimal(repr(float(value))).quantize(step, rounding=ROUND_HALF_UP))


def _range(value, spec: Spec) -> str:
    from .figures import base_unit, factor

    if not isinstance(value, Bounds):
        raise TypeError(f"{spec.exercise} asks for a range: a hz.Bounds (for example a figure from hz.bounds "
                        f"or hz.bounds_from, and the arithmetic on it), got {type(value).__name__}")
    if spec.unit and value.unit != base_unit(spec.unit):
        raise TypeError(f"{spec.exercise} asks for a range in {base_unit(spec.unit)!r} (shown in {spec.unit}); "
                        f"this one is in {value.unit!r}")
    scale = factor(spec.unit) if spec.unit else 1.0
    return value.fmt(digits=spec.digits, scale=scale)


def canonical(value, spec: Spec) -> str:
    """The answer in the one form its hash is taken of; TypeError or ValueError explain a wrong form."""
    if spec.kind == "number":
        return _number(value, spec)
    if spec.kind == "range":
        return _range(value, spec)
    if spec.kind == "verdict":
        if str(value).strip().lower() not in VERDICTS:
            raise ValueError(f"{spec.exercise} asks for a verdict: one of {', '.join(VERDICTS)}")
        return str(value).strip().lower()
    if spec.kind == "items":
        if isinstance(value, str) or not hasattr(value, "__iter__"):
            raise TypeError(f"{spec.exercise} asks for several items: a list or a set")
        return "|".join(sorted({str(v).strip() for v in value}))
    if spec.kind == "bool":
        if not isinstance(value, bool):
            raise TypeError(f"{spec.exercise} asks for True or False")
        return str(value)
    return " ".join(str(value).casefold().split())


def digest(exercise: str, canon: str) -> str:
    return hashlib.sha256(f"{SALT}|{exercise}|{canon}".encode("utf-8")).hexdigest()


def answer(exercise: str, value, *, kind: str, hint: str, unit: str | None = None, digits: int = 2) -> None:
    """In a solution: record its answer (shown in the solution, gathered into the store)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; one of {KINDS}")
    from IPython.display import display

    spec = Spec(exercise, kind, hint, unit, digits)
    canon = canonical(value, spec)
    record = {**asdict(spec), "digest": digest(exercise, canon), "answer": canon}
    data = html.escape(json.dumps(record, ensure_ascii=False, sort_keys=True), quote=True)
    shown = f"{canon}{' ' + _(unit) if unit and kind == 'number' else ''}"
    label = translated("Answer to {exercise}:", exercise=exercise)
    _(hint)     # for the catalogue: a student working in Chinese reads it translated (`check`)
    display({"text/plain": f"{label} {shown}",
             "text/html": f'<p class="hz-answer" {MARK}="{data}">{label} <b>{html.escape(shown)}</b></p>'},
            raw=True)


def store() -> dict:
    """The recorded answers' specs and hashes, by exercise."""
    if not STORE.exists():
        raise FileNotFoundError(f"{paths.rel(STORE)} is missing: run `make execute` (or python -m hizones answers)")
    return json.loads(STORE.read_text(encoding="utf-8"))


class Result:
    """What `check` says: right, or not yet with a hint (or why the answer's form is wrong)."""

    def __init__(self, exercise: str, right: bool, message: str):
        self.exercise, self.right, self.message = exercise, right, message

    def __bool__(self) -> bool:
        return self.right

    def _repr_html_(self) -> str:
        cls = "hz-self-right" if self.right else "hz-self-wrong"
        return f'<p class="hz-self-check {cls}">{html.escape(repr(self))}</p>'

    def __repr__(self) -> str:
        return f"{'✓' if self.right else '✗'} {self.exercise}: {self.message}"


def check(exercise: str, value) -> Result:
    """Is ``value`` the answer to ``exercise``, at the precision the exercise asks for?"""
    entries = store()
    if exercise not in entries:
        raise KeyError(f"no exercise {exercise!r}; the exercises are {', '.join(sorted(entries))}")
    e = entries[exercise]
    spec = Spec(exercise, e["kind"], e["hint"], e.get("unit"), e.get("digits", 2))
    if value is None:
        return Result(exercise, False, translated("no answer yet: set `answer` to {form}, as the exercise says.",
                                                  form=_(FORMS[spec.kind])))
    try:
        canon = canonical(value, spec)
    except (TypeError, ValueError) as exc:
        return Result(exercise, False, translated("not in the form asked for. {why}", why=str(exc)))
    if digest(exercise, canon) == e["digest"]:
        return Result(exercise, True, _("right."))
    return Result(exercise, False, translated("not yet. Hint: {hint}", hint=_(spec.hint)))
