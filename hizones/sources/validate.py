"""Check every data file against ``data/datapackage.json`` and against the source text.

    python -m hizones validate          # exit 1, one line per problem, if anything is wrong

Each problem names the file, the row, the id and the field, so a reader can go straight to it.
The schema (columns, types, allowed values, keys) is read from the data package
(`hizones.sources.schema`); the checks that need the source text (is the quote really in the
briefing? does it contain the printed value? is every number of the text accounted for?) are
made here.
"""
from __future__ import annotations

import hashlib
import json
import sys
from functools import lru_cache
from pathlib import Path

from . import locate, paths
from .schema import check_foreign_keys, check_in_source, check_schema, squeeze, value_mismatch
from .tables import DataError, Problem, Table, read_table

__all__ = ["DataError", "Problem", "ensure_valid", "main", "validate"]


def check_facts(table: Table, source: str, problems: list[Problem]) -> None:
    text = squeeze(source)
    for n, line, row in table.numbered():
        def bad(field, msg, n=n, line=line, rid=row.get("id")):
            problems.append(Problem(table.name, msg, n, line, rid, field))

        quote = squeeze(row.get("quote", ""))
        if quote and quote not in text:
            bad("quote", "quote does not occur in the source text data/source/briefing-zh.txt "
                         "(compared with all whitespace removed)")
        printed = squeeze(row.get("value_printed", ""))
        if printed and quote and printed not in quote:
            bad("value_printed", f"the printed value {row['value_printed']!r} does not occur in the quote")
        qp, qual = row.get("qualifier_printed", ""), row.get("qualifier", "")
        if qp and quote and qp not in quote:
            bad("qualifier_printed", f"the qualifier {qp!r} does not occur in the quote")
        if qual == "exact" and qp:
            bad("qualifier", f"is 'exact' but a qualifier word {qp!r} is printed")
        if qual and qual != "exact" and not qp:
            bad("qualifier_printed", f"qualifier is {qual!r} but no qualifier word is given")
        if why := value_mismatch(row):
            bad("value", why)
        if row.get("measure") in ("share", "multiple", "contribution_rate") and not row.get("share_of"):
            bad("share_of", f"a {row['measure']} must say what it is a share or multiple of")


#: What each kind of outside source must name (the book cites it by publisher, title and date).
SOURCE_NEEDS = {"official_statistics": ("publisher", "title", "date"), "research_report": ("publisher", "title", "date"),
                "index_report": ("publisher", "title", "date"), "official_remarks": ("publisher", "date"),
                "press_coverage": ("publisher",)}


def check_context(table: Table, problems: list[Problem]) -> None:
    for n, line, row in table.numbered():
        if why := value_mismatch(row):
            problems.append(Problem(table.name, why, n, line, row.get("id"), "value"))
        kind = row.get("source_kind", "")
        for field in SOURCE_NEEDS.get(kind, ()):
            if not row.get(field):
                problems.append(Problem(table.name, f"is required for a source of kind {kind!r}",
                                        n, line, row.get("id"), field))


def check_errata(table: Table, source: str, problems: list[Problem]) -> None:
    lines = source.split("\n")
    for n, line, row in table.numbered():
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
    for n, line, row in table.numbered():
        term, kind, definition = row.get("term_zh", ""), row.get("kind", ""), row.get("definition", "")

        def bad(field, msg, n=n, line=line, term=term):
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


def check_numbers_accounted(source: str, facts: Table, non_figures: Table, problems: list[Problem]) -> None:
    """Two-way coverage: every fact's printed value is placed in the text, and every number in
    the text is a fact's printed value or a listed non-figure (`hizones.sources.locate`)."""
    spans = []
    for n, line, row in facts.numbered():
        try:
            spans.append(locate.locate(row["id"], row, source))
        except LookupError as exc:
            field = "value_printed" if "value_printed" in str(exc) else "quote"
            problems.append(Problem(facts.name, f"cannot be placed in the text: {exc}", n, line, row["id"], field))
    try:
        spans += locate.non_figure_spans_of(source, [(n, row["line"], row["text"])
                                                     for n, _, row in non_figures.numbered()])
    except LookupError as exc:
        problems.append(Problem(non_figures.name, str(exc)))
        return
    for k, figure in locate.uncovered_in(source, spans):
        problems.append(Problem(paths.rel(paths.SOURCE_TEXT),
                                f"line {k}: the number {figure!r} is neither the printed value of a fact "
                                f"(data/facts.csv) nor listed in data/source/non_figures.csv", field="text"))


def _text_resource(res: dict, path: Path, problems: list[Problem]) -> str | None:
    """A text file of the package (the briefing, the segmenter's word lists), checked by hash."""
    if not path.exists():
        problems.append(Problem(paths.rel(path), "file is missing"))
        return None
    raw = path.read_bytes()
    want = res.get("hash", "").removeprefix("sha256:")
    got = hashlib.sha256(raw).hexdigest()
    if not want:
        problems.append(Problem(paths.rel(path), "has no SHA-256 in datapackage.json"))
    elif got != want:
        problems.append(Problem(paths.rel(path), f"has changed: SHA-256 {got} is not the "
                                f"{want} recorded in datapackage.json"))
    return raw.decode("utf-8", errors="replace")


def validate(data_dir: Path = paths.DATA) -> list[Problem]:
    """Every problem in the data package at ``data_dir``; an empty list means all is well."""
    problems: list[Problem] = []
    pkg_path = data_dir / "datapackage.json"
    try:
        package = json.loads(pkg_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [Problem(paths.rel(pkg_path), f"cannot be read: {exc}")]
    source, tables, schemas = "", {}, {}
    for res in package["resources"]:
        path = data_dir / res["path"]
        if "schema" not in res:
            text = _text_resource(res, path, problems)
            source = text if res["name"] == "briefing" and text is not None else source
        elif (table := read_table(path, problems)) is not None:
            tables[res["name"]], schemas[res["name"]] = table, res["schema"]
            check_schema(table, res["schema"], problems)
    for name, table in tables.items():
        check_foreign_keys(table, schemas[name], tables, problems)
        check_in_source(table, schemas[name], source, problems)
    for name, check in (("context", check_context), ("glossary", check_glossary)):
        if name in tables:
            check(tables[name], problems)
    for name, check in (("facts", check_facts), ("errata", check_errata)):
        if name in tables:
            check(tables[name], source, problems)
    if source and "facts" in tables and "non_figures" in tables and not problems:
        check_numbers_accounted(source, tables["facts"], tables["non_figures"], problems)
    return problems


@lru_cache(maxsize=None)
def ensure_valid() -> None:
    """Raise DataError unless the book's data package passes every check (checked once per process)."""
    problems = validate(paths.DATA)
    if problems:
        raise DataError(problems)


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
