"""Check every data file against ``data/datapackage.json`` and against the source text.

    python -m hizones validate          # exit 1, one line per problem, if anything is wrong

Each problem names the file, the row, the id and the field, so a reader can go straight to it.
The schema (columns, types, allowed values, keys) is read from the data package; the checks
that need the source text (is the quote really in the briefing? does it contain the printed
value?) are made here.
"""
from __future__ import annotations

import csv
import hashlib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from . import paths

_WS = re.compile(r"\s+")


def squeeze(text: str) -> str:
    """Text with all whitespace removed: the print layout put spaces inside sentences."""
    return _WS.sub("", text)


@dataclass(frozen=True)
class Problem:
    file: str
    message: str
    row: int | None = None  # 1-based data row (the header is not counted)
    line: int | None = None  # line in the file where the row starts
    id: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            rid = f", id {self.id!r}" if self.id else ""
            where.append(f"row {self.row} (line {self.line}{rid})")
        if self.field:
            where.append(f"field {self.field!r}")
        return ", ".join(where) + f": {self.message}"


class DataError(Exception):
    """Raised when data fail validation; the message lists every problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        head = f"{len(problems)} data problem{'s' if len(problems) != 1 else ''}:"
        super().__init__("\n".join([head] + [f"  {p}" for p in problems]))


@dataclass
class Table:
    path: Path
    header: list[str]
    rows: list[tuple[int, dict]]  # (line number, row)

    @property
    def name(self) -> str:
        return paths.rel(self.path)


def read_table(path: Path, problems: list[Problem]) -> Table | None:
    name = paths.rel(path)
    if not path.exists():
        problems.append(Problem(name, "file is missing"))
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(name, f"is not valid UTF-8 ({exc.reason} at byte {exc.start})"))
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        problems.append(Problem(name, "file is empty (no header row)"))
        return None
    except csv.Error as exc:
        problems.append(Problem(name, f"header cannot be parsed as CSV: {exc}"))
        return None
    rows = []
    line = reader.line_num + 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            why = ("the file ends inside a quoted field (is it incomplete?)"
                   if "unexpected end of data" in str(exc) else f"cannot be parsed as CSV: {exc}")
            problems.append(Problem(name, why, len(rows) + 1, line))
            return None
        n = len(rows) + 1
        if len(values) != len(header):
            problems.append(
                Problem(name, f"has {len(values)} fields, the header has {len(header)}", n, line,
                        values[0] if values else None)
            )
        rows.append((line, dict(zip(header, values + [""] * (len(header) - len(values))))))
        line = reader.line_num + 1
    if not rows:
        problems.append(Problem(name, "has a header but no data rows"))
    return Table(path, header, rows)


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def check_schema(table: Table, schema: dict, problems: list[Problem]) -> None:
    """Columns, types, required values, allowed values, patterns, ranges, uniqueness."""
    fields = {f["name"]: f for f in schema["fields"]}
    expected = [f["name"] for f in schema["fields"]]
    for col in expected:
        if col not in table.header:
            problems.append(Problem(table.name, "missing column", field=col))
    for col in table.header:
        if col not in fields:
            problems.append(Problem(table.name, "unexpected column (not in datapackage.json)", field=col))
    if table.header != expected and set(table.header) == set(expected):
        problems.append(Problem(table.name, f"columns are out of order; expected {expected}"))
    key = schema.get("primaryKey", [None])[0]
    seen: dict[tuple, int] = {}
    for n, (line, row) in enumerate(table.rows, start=1):
        rid = row.get(key) if key else None
        for name, spec in fields.items():
            if name not in row:
                continue
            value = row[name]
            c = spec.get("constraints", {})

            def bad(msg, name=name):
                problems.append(Problem(table.name, msg, n, line, rid, name))

            if value.strip() != value:
                bad(f"has leading or trailing whitespace: {value!r}")
            if value == "":
                if c.get("required"):
                    bad("is required but empty")
                continue
            if spec["type"] == "integer" and not re.fullmatch(r"-?\d+", value):
                bad(f"is not an integer: {value!r}")
                continue
            if spec["type"] == "number":
                num = _number(value)
                if num is None or num != num or num in (float("inf"), float("-inf")):
                    bad(f"is not a number: {value!r}")
                    continue
            if "enum" in c and value not in c["enum"]:
                bad(f"unknown value {value!r}; allowed: {', '.join(repr(x) for x in c['enum'])}")
            if "pattern" in c and not re.fullmatch(c["pattern"], value):
                bad(f"{value!r} does not match the pattern {c['pattern']}")
            if "minLength" in c and len(value) < c["minLength"]:
                bad(f"is shorter than {c['minLength']} characters")
            if "maxLength" in c and len(value) > c["maxLength"]:
                bad(f"is longer than {c['maxLength']} characters")
            if spec["type"] in ("integer", "number"):
                num = float(value)
                if "minimum" in c and num < c["minimum"]:
                    bad(f"{value} is below the minimum {c['minimum']}")
                if "maximum" in c and num > c["maximum"]:
                    bad(f"{value} is above the maximum {c['maximum']}")
            if c.get("unique") or name == key:
                if (name, value) in seen:
                    bad(f"duplicate {name} {value!r} (first on row {seen[(name, value)]})")
                else:
                    seen[(name, value)] = n


def check_foreign_keys(table: Table, schema: dict, tables: dict[str, Table], problems) -> None:
    key = schema.get("primaryKey", [None])[0]
    for fk in schema.get("foreignKeys", []):
        col = fk["fields"][0]
        ref = tables.get(fk["reference"]["resource"])
        if ref is None:
            continue
        ref_col = fk["reference"]["fields"][0]
        allowed = {r[ref_col] for _, r in ref.rows}
        for n, (line, row) in enumerate(table.rows, start=1):
            if row.get(col) and row[col] not in allowed:
                problems.append(Problem(
                    table.name, f"unknown {col} {row[col]!r}: not in {ref.name}", n, line, row.get(key), col))


def printed_number(printed: str) -> float | None:
    """The numeric value of a printed figure, where it can be read mechanically."""
    p = printed.replace(",", "")
    if re.fullmatch(r"\d+(\.\d+)?", p):
        return float(p)
    m = re.fullmatch(r"(\d+)/(\d+)", p)
    if m and int(m.group(2)):
        return int(m.group(1)) / int(m.group(2))
    return None


def check_facts(table: Table, source: str, problems: list[Problem]) -> None:
    text = squeeze(source)
    for n, (line, row) in enumerate(table.rows, start=1):
        rid = row.get("id")

        def bad(field, msg):
            problems.append(Problem(table.name, msg, n, line, rid, field))

        quote = squeeze(row.get("quote", ""))
        if quote and quote not in text:
            bad("quote", "quote does not occur in the source text data/source/briefing-zh.txt "
                         "(compared with all whitespace removed)")
        printed = squeeze(row.get("value_printed", ""))
        if printed and quote and printed not in quote:
            bad("value_printed", f"the printed value {row['value_printed']!r} does not occur in the quote")
        qp = row.get("qualifier_printed", "")
        if qp and quote and qp not in quote:
            bad("qualifier_printed", f"the qualifier {qp!r} does not occur in the quote")
        qual = row.get("qualifier", "")
        if qual == "exact" and qp:
            bad("qualifier", f"is 'exact' but a qualifier word {qp!r} is printed")
        if qual and qual != "exact" and not qp:
            bad("qualifier_printed", f"qualifier is {qual!r} but no qualifier word is given")
        value = _number(row.get("value", ""))
        expected = printed_number(row.get("value_printed", ""))
        if value is not None and expected is not None and abs(value - expected) > 1e-9 * max(1, abs(expected)):
            bad("value", f"{row['value']} does not match the printed value {row['value_printed']!r}")
        if row.get("measure") in ("share", "multiple", "contribution_rate") and not row.get("share_of"):
            bad("share_of", f"a {row['measure']} must say what it is a share or multiple of")


def check_in_source(table: Table, schema: dict, source: str, problems: list[Problem]) -> None:
    """Fields marked ``"inSource": true`` in the schema hold text of the source (whitespace aside)."""
    cols = [f["name"] for f in schema["fields"] if f.get("inSource")]
    text = squeeze(source)
    key = schema.get("primaryKey", [None])[0]
    for n, (line, row) in enumerate(table.rows, start=1):
        for col in cols:
            if row.get(col) and squeeze(row[col]) not in text:
                problems.append(Problem(table.name, "does not occur in the source text data/source/briefing-zh.txt "
                                        "(compared with all whitespace removed)", n, line, row.get(key), col))


def check_context(table: Table, problems: list[Problem]) -> None:
    for n, (line, row) in enumerate(table.rows, start=1):
        value = _number(row.get("value", ""))
        expected = printed_number(row.get("value_printed", ""))
        if value is not None and expected is not None and abs(value - expected) > 1e-9 * max(1, abs(expected)):
            problems.append(Problem(table.name, f"{row['value']} does not match the printed value "
                                    f"{row['value_printed']!r}", n, line, row.get("id"), "value"))


def check_errata(table: Table, source: str, problems: list[Problem]) -> None:
    lines = source.split("\n")
    for n, (line, row) in enumerate(table.rows, start=1):
        where = row.get("line", "")
        if not where.isdigit():
            continue
        k = int(where)
        if not 1 <= k <= len(lines):
            problems.append(Problem(table.name, f"line {k} is outside the source (1–{len(lines)})",
                                    n, line, row.get("id"), "line"))
        elif row.get("as_printed") and row["as_printed"] not in lines[k - 1]:
            problems.append(Problem(table.name, f"{row['as_printed']!r} does not occur on line {k} "
                                    "of data/source/briefing-zh.txt", n, line, row.get("id"), "as_printed"))


#: Longest glossary definition, in words (one sentence; see datapackage.json).
DEFINITION_WORDS = 30


def check_glossary(table: Table, problems: list[Problem]) -> None:
    """A definition for every term but plain vocabulary, none for vocabulary; rows in order."""
    previous = None
    for n, (line, row) in enumerate(table.rows, start=1):
        term, kind, definition = row.get("term_zh", ""), row.get("kind", ""), row.get("definition", "")

        def bad(field, msg):
            problems.append(Problem(table.name, msg, n, line, term, field))

        if kind and kind != "vocabulary" and not definition:
            bad("definition", f"is required when kind is {kind!r} (only 'vocabulary' rows have no definition)")
        if kind == "vocabulary" and definition:
            bad("kind", "is 'vocabulary' but a definition is given; give the kind of term it defines")
        if len(definition.split()) > DEFINITION_WORDS:
            bad("definition", f"has {len(definition.split())} words; at most {DEFINITION_WORDS}")
        if previous is not None and term and term < previous:
            bad("term_zh", f"{term!r} is out of order: rows are sorted by term_zh in code-point order "
                           f"and it comes after {previous!r}")
        previous = term or previous


def validate(data_dir: Path = paths.DATA) -> list[Problem]:
    """Every problem in the data package at ``data_dir``; an empty list means all is well."""
    problems: list[Problem] = []
    pkg_path = data_dir / "datapackage.json"
    try:
        package = json.loads(pkg_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [Problem(paths.rel(pkg_path), f"cannot be read: {exc}")]
    source = ""
    tables: dict[str, Table] = {}
    schemas: dict[str, dict] = {}
    for res in package["resources"]:
        path = data_dir / res["path"]
        if "schema" not in res:  # a text file (the briefing, the segmenter's word lists)
            if not path.exists():
                problems.append(Problem(paths.rel(path), "file is missing"))
                continue
            raw = path.read_bytes()
            want = res.get("hash", "").removeprefix("sha256:")
            got = hashlib.sha256(raw).hexdigest()
            if not want:
                problems.append(Problem(paths.rel(path), "has no SHA-256 in datapackage.json"))
            elif got != want:
                problems.append(Problem(paths.rel(path), f"has changed: SHA-256 {got} is not the "
                                        f"{want} recorded in datapackage.json"))
            if res["name"] == "briefing":
                source = raw.decode("utf-8", errors="replace")
            continue
        table = read_table(path, problems)
        if table is None:
            continue
        tables[res["name"]] = table
        schemas[res["name"]] = res["schema"]
        check_schema(table, res["schema"], problems)
    for name, table in tables.items():
        check_foreign_keys(table, schemas[name], tables, problems)
        check_in_source(table, schemas[name], source, problems)
    if "facts" in tables:
        check_facts(tables["facts"], source, problems)
    if "context" in tables:
        check_context(tables["context"], problems)
    if "errata" in tables:
        check_errata(tables["errata"], source, problems)
    if "glossary" in tables:
        check_glossary(tables["glossary"], problems)
    if source and "facts" in tables and "non_figures" in tables and not problems:
        check_numbers_accounted(source, tables["facts"], tables["non_figures"], problems)
    return problems


def check_numbers_accounted(source: str, facts: Table, non_figures: Table, problems: list[Problem]) -> None:
    """Two-way coverage: every fact's printed value is placed in the text, and every number in
    the text is a fact's printed value or a listed non-figure (hizones.annotate)."""
    from . import annotate

    spans = []
    for n, (line, row) in enumerate(facts.rows, start=1):
        try:
            spans.append(annotate.locate(row["id"], row, source))
        except LookupError as exc:
            field = "value_printed" if "value_printed" in str(exc) else "quote"
            problems.append(Problem(facts.name, f"cannot be placed in the text: {exc}", n, line, row["id"], field))
    try:
        spans += annotate.non_figure_spans_of(source, [(n, row["line"], row["text"]) for n, (_, row)
                                                       in enumerate(non_figures.rows, start=1)])
    except LookupError as exc:
        problems.append(Problem(non_figures.name, str(exc)))
        return
    for k, number in annotate.uncovered_in(source, spans):
        problems.append(Problem(paths.rel(paths.SOURCE_TEXT),
                                f"line {k}: the number {number!r} is neither the printed value of a fact "
                                f"(data/facts.csv) nor listed in data/source/non_figures.csv", field="text"))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    data_dir = Path(argv[0]) if argv else paths.DATA
    problems = validate(data_dir)
    if problems:
        print(DataError(problems), file=sys.stderr)
        return 1
    print(f"data OK: {paths.rel(data_dir)} passes every check")
    return 0


if __name__ == "__main__":
    sys.exit(main())
