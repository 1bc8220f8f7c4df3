"""The data package: the real data pass, and every kind of bad input is stopped with a message
that names the file, the row and the field."""
import subprocess
import sys

import pytest

from hizones.sources import paths
from hizones.sources.validate import validate

from .conftest import rows, write


def test_real_data_pass():
    problems = validate(paths.DATA)
    assert problems == [], "\n".join(map(str, problems))


def test_real_data_pass_frictionless():
    """An independent reading of the same package by the Frictionless reference tools."""
    from frictionless import Package

    package = Package(str(paths.PACKAGE))
    tabular = [r.name for r in package.resources if r.name != "briefing"]
    for name in tabular:
        rep = package.get_resource(name).validate()
        assert rep.valid, rep.flatten(["rowNumber", "fieldName", "type", "note"])


def corrupt(data, column, value, row=5):
    """Set one field of one facts row; return that row's id."""
    table = rows(data / "facts.csv")
    col = table[0].index(column)
    table[row][col] = value
    write(data / "facts.csv", table)
    return table[row][0]


def messages(data):
    return [str(p) for p in validate(data)]


def one(data, *needles):
    found = [m for m in messages(data) if all(n in m for n in needles)]
    assert found, f"no message with {needles}: {messages(data)}"
    return found[0]


def test_missing_column(data):
    table = [r[:11] + r[12:] for r in rows(data / "facts.csv")]  # drop 'unit'
    write(data / "facts.csv", table)
    one(data, "facts.csv", "field 'unit'", "missing column")


def test_unexpected_column(data):
    table = rows(data / "facts.csv")
    table = [r + (["extra"] if i == 0 else ["x"]) for i, r in enumerate(table)]
    write(data / "facts.csv", table)
    one(data, "facts.csv", "field 'extra'", "unexpected column")


def test_non_numeric_value(data):
    fid = corrupt(data, "value", "12.33万")
    one(data, "facts.csv", "row 5 (line 6", f"id '{fid}'", "field 'value'", "is not a number")


def test_duplicate_id(data):
    table = rows(data / "facts.csv")
    table[6][0] = table[2][0]
    write(data / "facts.csv", table)
    one(data, "facts.csv", "row 6", "field 'id'", f"duplicate id '{table[2][0]}' (first on row 2)")


@pytest.mark.parametrize("column,value,expect", [
    ("chapter", "economics", "unknown value 'economics'"),
    ("unit", "万亿", "unknown unit '万亿'"),
    ("measure", "growth", "unknown value 'growth'"),
    ("qualifier", "roughly", "unknown value 'roughly'"),
    ("period", "2023Q3", "unknown value '2023Q3'"),
])
def test_unknown_vocabulary(data, column, value, expect):
    fid = corrupt(data, column, value, row=3)
    one(data, "facts.csv", "row 3 (line 4", f"id '{fid}'", f"field '{column}'", expect)


def test_quote_not_in_source(data):
    fid = corrupt(data, "quote", "国家高新区园区生产总值(GDP)达到99.99万亿元", row=2)
    one(data, "facts.csv", "row 2", f"id '{fid}'", "field 'quote'", "does not occur in the source text")


def test_quote_with_layout_spaces_still_matches(data):
    table = rows(data / "facts.csv")
    q = table[0].index("quote")
    table[2][q] = " ".join(table[2][q])  # spaces everywhere, as the print layout might
    write(data / "facts.csv", table)
    assert messages(data) == []


def test_quote_without_the_value(data):
    fid = corrupt(data, "value_printed", "99.99", row=2)
    one(data, "facts.csv", f"id '{fid}'", "field 'value_printed'", "does not occur in the quote")


def test_value_that_does_not_match_the_print(data):
    fid = corrupt(data, "value", "13.33", row=2)
    one(data, "facts.csv", f"id '{fid}'", "field 'value'", "does not match the printed value")


def test_empty_required_field(data):
    corrupt(data, "speaker", "", row=4)
    one(data, "facts.csv", "row 4", "field 'speaker'", "is required but empty")


def test_incomplete_row(data):
    table = rows(data / "facts.csv")
    table[-1] = table[-1][:5]  # a row that stops after five fields
    write(data / "facts.csv", table)
    one(data, "facts.csv", f"row {len(table) - 1}", "has 5 fields, the header has")


def test_file_torn_inside_a_quoted_field(data):
    text = (data / "facts.csv").read_text(encoding="utf-8")
    cut = text.rindex(',"') + 5  # inside the last row's last quoted field
    (data / "facts.csv").write_text(text[:cut], encoding="utf-8")
    one(data, "facts.csv", "row", "the file ends inside a quoted field")


def test_corrupt_bytes(data):
    raw = (data / "facts.csv").read_bytes()
    (data / "facts.csv").write_bytes(raw[:500] + b"\xff\xfe" + raw[500:])
    one(data, "facts.csv", "is not valid UTF-8")


def test_missing_file(data):
    (data / "context.csv").unlink()
    one(data, "context.csv", "file is missing")


def test_changed_source_text(data):
    path = data / "source" / "briefing-zh.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("12.33", "12.34"), encoding="utf-8")
    one(data, "briefing-zh.txt", "has changed: SHA-256")


def test_unknown_unit_in_context(data):
    table = rows(data / "context.csv")
    table[1][table[0].index("unit")] = "亿美元"
    write(data / "context.csv", table)
    one(data, "context.csv", "row 1", "field 'unit'", "unknown unit '亿美元'")


def test_erratum_that_is_not_on_its_line(data):
    table = rows(data / "source" / "errata.csv")
    table[2][table[0].index("as_printed")] = "不存在的文字"
    write(data / "source" / "errata.csv", table)
    one(data, "errata.csv", "row 2", "field 'as_printed'", "does not occur on line")


def test_command_line_exits_nonzero_naming_row_and_field(data):
    fid = corrupt(data, "unit", "万亿", row=3)
    run = subprocess.run([sys.executable, "-m", "hizones", "validate", str(data)],
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert f"facts.csv, row 3 (line 4, id '{fid}'), field 'unit': unknown unit '万亿'" in run.stderr


def test_command_line_passes_on_real_data():
    run = subprocess.run([sys.executable, "-m", "hizones", "validate"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "data OK" in run.stdout


def test_changed_word_list(data):
    path = data / "text" / "userdict.txt"
    path.write_text(path.read_text(encoding="utf-8") + "新词 5\n", encoding="utf-8")
    one(data, "userdict.txt", "has changed: SHA-256")


def glossary_row(table, kind):
    """Index of the first glossary row (header is row 0) of the given kind."""
    col = table[0].index("kind")
    return next(i for i, r in enumerate(table) if i and r[col] == kind)


@pytest.mark.parametrize("kind, definition, field, message", [
    ("policy", "", "definition", "is required when kind is 'policy'"),
    ("vocabulary", "A word.", "kind", "is 'vocabulary' but a definition is given"),
])
def test_glossary_definition_must_match_kind(data, kind, definition, field, message):
    path = data / "text" / "glossary.csv"
    table = rows(path)
    i = glossary_row(table, kind)
    table[i][table[0].index("definition")] = definition
    write(path, table)
    one(data, "glossary.csv", f"row {i} (line {i + 1}", f"id '{table[i][0]}'", f"field '{field}'", message)


def test_glossary_unknown_kind(data):
    path = data / "text" / "glossary.csv"
    table = rows(path)
    table[3][table[0].index("kind")] = "concept"
    write(path, table)
    one(data, "glossary.csv", "row 3 (line 4", "field 'kind'", "unknown value 'concept'")
