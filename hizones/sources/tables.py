"""CSV files of the data package, read strictly, and the problems found in them.

Each :class:`Problem` names the file, the row, the id and the field, so a reader can go straight
to it; :class:`DataError` carries every problem at once.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from . import paths


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

    def numbered(self):
        """``(row number, line, row)`` for every row, numbered from 1 as in messages."""
        return ((n, line, row) for n, (line, row) in enumerate(self.rows, start=1))


def _text(path: Path, name: str, problems: list[Problem]) -> str | None:
    if not path.exists():
        problems.append(Problem(name, "file is missing"))
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(name, f"is not valid UTF-8 ({exc.reason} at byte {exc.start})"))
        return None
    return text.removeprefix("\ufeff")


def read_table(path: Path, problems: list[Problem]) -> Table | None:
    """The rows of a CSV file, or None (with a problem recorded) if it cannot be read."""
    name = paths.rel(path)
    text = _text(path, name, problems)
    if text is None:
        return None
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        problems.append(Problem(name, "file is empty (no header row)"))
        return None
    except csv.Error as exc:
        problems.append(Problem(name, f"header cannot be parsed as CSV: {exc}"))
        return None
    rows: list[tuple[int, dict]] = []
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
        if len(values) != len(header):
            problems.append(Problem(name, f"has {len(values)} fields, the header has {len(header)}",
                                    len(rows) + 1, line, values[0] if values else None))
        rows.append((line, dict(zip(header, values + [""] * (len(header) - len(values))))))
        line = reader.line_num + 1
    if not rows:
        problems.append(Problem(name, "has a header but no data rows"))
    return Table(path, header, rows)


def rows(path: Path) -> list[dict]:
    """The rows of a CSV file as dicts of strings; raises DataError if it cannot be read."""
    problems: list[Problem] = []
    table = read_table(path, problems)
    if problems or table is None:
        raise DataError(problems)
    return [row for _, row in table.rows]
