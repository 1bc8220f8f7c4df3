"""What ``data/datapackage.json`` says every table must satisfy: columns, types, required and
allowed values, patterns, ranges, uniqueness, foreign keys, and fields that quote the source."""
from __future__ import annotations

import re

from .tables import Problem, Table

_WS = re.compile(r"\s+")


def squeeze(text: str) -> str:
    """Text with all whitespace removed: the print layout put spaces inside sentences."""
    return _WS.sub("", text)


def number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def printed_number(printed: str) -> float | None:
    """The numeric value of a printed figure, where it can be read mechanically."""
    p = printed.replace(",", "")
    if re.fullmatch(r"\d+(\.\d+)?", p):
        return float(p)
    m = re.fullmatch(r"(\d+)/(\d+)", p)
    if m and int(m.group(2)):
        return int(m.group(1)) / int(m.group(2))
    return None


def value_mismatch(row: dict) -> str | None:
    """Why ``value`` does not match ``value_printed``, or None if it does (or cannot be read)."""
    value = number(row.get("value", ""))
    expected = printed_number(row.get("value_printed", ""))
    if value is not None and expected is not None and abs(value - expected) > 1e-9 * max(1, abs(expected)):
        return f"{row['value']} does not match the printed value {row['value_printed']!r}"
    return None


def field_problems(value: str, spec: dict) -> list[str]:
    """What is wrong with one value of a field, by the field's type and constraints."""
    c = spec.get("constraints", {})
    out = []
    if value.strip() != value:
        out.append(f"has leading or trailing whitespace: {value!r}")
    if value == "":
        return out + (["is required but empty"] if c.get("required") else [])
    if spec["type"] == "integer" and not re.fullmatch(r"-?\d+", value):
        return out + [f"is not an integer: {value!r}"]
    if spec["type"] == "number":
        num = number(value)
        if num is None or num != num or num in (float("inf"), float("-inf")):
            return out + [f"is not a number: {value!r}"]
    if "enum" in c and value not in c["enum"]:
        out.append(f"unknown value {value!r}; allowed: {', '.join(repr(x) for x in c['enum'])}")
    if "pattern" in c and not re.fullmatch(c["pattern"], value):
        out.append(f"{value!r} does not match the pattern {c['pattern']}")
    if "minLength" in c and len(value) < c["minLength"]:
        out.append(f"is shorter than {c['minLength']} characters")
    if "maxLength" in c and len(value) > c["maxLength"]:
        out.append(f"is longer than {c['maxLength']} characters")
    if spec["type"] in ("integer", "number"):
        num = float(value)
        if "minimum" in c and num < c["minimum"]:
            out.append(f"{value} is below the minimum {c['minimum']}")
        if "maximum" in c and num > c["maximum"]:
            out.append(f"{value} is above the maximum {c['maximum']}")
    return out


def check_columns(table: Table, schema: dict, problems: list[Problem]) -> None:
    expected = [f["name"] for f in schema["fields"]]
    for col in expected:
        if col not in table.header:
            problems.append(Problem(table.name, "missing column", field=col))
    for col in table.header:
        if col not in expected:
            problems.append(Problem(table.name, "unexpected column (not in datapackage.json)", field=col))
    if table.header != expected and set(table.header) == set(expected):
        problems.append(Problem(table.name, f"columns are out of order; expected {expected}"))


def check_schema(table: Table, schema: dict, problems: list[Problem]) -> None:
    """Columns, types, required values, allowed values, patterns, ranges, uniqueness."""
    check_columns(table, schema, problems)
    fields = {f["name"]: f for f in schema["fields"]}
    key = schema.get("primaryKey", [None])[0]
    seen: dict[tuple, int] = {}
    for n, line, row in table.numbered():
        rid = row.get(key) if key else None
        for name, spec in fields.items():
            if name not in row:
                continue
            value = row[name]
            for msg in field_problems(value, spec):
                problems.append(Problem(table.name, msg, n, line, rid, name))
            if value and (spec.get("constraints", {}).get("unique") or name == key):
                if (name, value) in seen:
                    problems.append(Problem(table.name, f"duplicate {name} {value!r} (first on row "
                                            f"{seen[(name, value)]})", n, line, rid, name))
                else:
                    seen[(name, value)] = n


def check_foreign_keys(table: Table, schema: dict, tables: dict[str, Table], problems) -> None:
    key = schema.get("primaryKey", [None])[0]
    for fk in schema.get("foreignKeys", []):
        col = fk["fields"][0]
        ref = tables.get(fk["reference"]["resource"])
        if ref is None:
            continue
        allowed = {r[fk["reference"]["fields"][0]] for _, r in ref.rows}
        for n, line, row in table.numbered():
            if row.get(col) and row[col] not in allowed:
                problems.append(Problem(
                    table.name, f"unknown {col} {row[col]!r}: not in {ref.name}", n, line, row.get(key), col))


def check_in_source(table: Table, schema: dict, source: str, problems: list[Problem]) -> None:
    """Fields marked ``"inSource": true`` in the schema hold text of the source (whitespace aside)."""
    cols = [f["name"] for f in schema["fields"] if f.get("inSource")]
    text = squeeze(source)
    key = schema.get("primaryKey", [None])[0]
    for n, line, row in table.numbered():
        for col in cols:
            if row.get(col) and squeeze(row[col]) not in text:
                problems.append(Problem(table.name, "does not occur in the source text data/source/briefing-zh.txt "
                                        "(compared with all whitespace removed)", n, line, row.get(key), col))
