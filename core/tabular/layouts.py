"""Recognising a sheet's layout, for any importer: header rows, banner rows, and the small value rules
layouts share. No models, no database.

An importer gives its own header table ({normalised header text: field}); `find_header_row` finds
the row that names its columns, and `header_fields` maps any row to {field: column index}. Problems
are collected, never raised, with the sheet, the Excel row and the column letter, so one pass lists
them all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl.utils import get_column_letter

from . import cells
from .problems import Problem
from .workbook import Cell

__all__ = [
    "REF_LIKE",
    "ParsedUpdate",
    "Problems",
    "as_date",
    "as_int",
    "banner_text",
    "cell_fill",
    "cell_value",
    "column_letter",
    "field_column",
    "find_header_row",
    "header_fields",
    "header_texts",
    "is_blank",
    "normalise_header",
    "parse_bool",
    "split_update_entries",
]

HEADER_ROWS_WITHIN = 60  # a header row is looked for in the first rows of a sheet only
REF_LIKE = re.compile(r"^[A-Za-z]{0,3}\.?\d+(\.\d+)*\.?$")  # 1.1, A.2, B2.17, 17: a value, never a banner
_PUNCT_ENDS = re.compile(r"^[\s:.*]+|[\s:.*]+$")

Fields = dict[str, int]  # field -> 0-based column index


# --- Header rows --------------------------------------------------------------------------------


def normalise_header(value: object) -> str:
    """Header text as header tables spell it: lower case, one space, no "(s)" or "/s", no punctuation
    at the ends ("Owner/s" -> "owner", "Oversight mechanism (s):" -> "oversight mechanism")."""
    text = cells.clean_text(value).lower().replace("\n", " ")
    text = text.replace("(s)", "").replace("/s", "").replace("’", "'")
    text = re.sub(r"\s+", " ", text)
    return _PUNCT_ENDS.sub("", text)


def header_fields(row: list[Cell], headers: Mapping[str, str]) -> Fields:
    """{field: column index} for the cells of `row` whose text is in `headers`; the first column wins."""
    found: Fields = {}
    for i, cell in enumerate(row):
        if cell.value is None or isinstance(cell.value, date | datetime | int | float):
            continue
        key = headers.get(normalise_header(cell.value))
        if key and key not in found:
            found[key] = i
    return found


def _two_or_more(fields: Fields) -> bool:
    return len(fields) >= 2


def find_header_row(
    rows: list[list[Cell]],
    headers: Mapping[str, str],
    *,
    is_header: Callable[[Fields], bool] = _two_or_more,
    within: int = HEADER_ROWS_WITHIN,
) -> tuple[int, Fields] | None:
    """(index into rows, {field: column}) of the first row `is_header` accepts, or None."""
    for i, row in enumerate(rows[:within]):
        fields = header_fields(row, headers)
        if is_header(fields):
            return i, fields
    return None


def header_texts(row: list[Cell], fields: Fields) -> list[str]:
    """The header row's own words for the fields found in it, left to right (for messages)."""
    return [cells.clean_text(row[i].value) for i in sorted(fields.values()) if i < len(row)]


# --- Banner rows --------------------------------------------------------------------------------


def banner_text(row: list[Cell], first_col: int) -> str | None:
    """The text of a banner row: one non-empty cell, at the left of the table (first_col or before) or
    merged across the row, that is not a reference or number. None for any other row."""
    found: tuple[int, str] | None = None
    for i, c in enumerate(row):  # stops at the second non-empty cell: most rows are not banners
        value = c.value
        if value is None or value == "":
            continue
        text = cells.clean_text(value)
        if not text:
            continue
        if found is not None:
            return None
        found = (i, text)
    if found is None:
        return None
    i, text = found
    merged_across = sum(1 for c in row[i + 1 :] if c.merged) >= 2
    if (i <= first_col or merged_across) and not REF_LIKE.match(text):
        return text
    return None


def is_blank(row: list[Cell]) -> bool:
    return all(c.value in (None, "") for c in row)


# --- Cells by field -----------------------------------------------------------------------------


def cell_value(row: list[Cell], col: int | None) -> object:
    """The value in column `col` (None when the row is shorter or the field has no column)."""
    if col is None or col >= len(row):
        return None
    return row[col].value


def cell_fill(row: list[Cell], col: int | None) -> str | None:
    if col is None or col >= len(row):
        return None
    return row[col].fill


def column_letter(col: int | None) -> str | None:
    """Excel's letter for a 0-based column index: 0 -> "A", 27 -> "AB"; None for None."""
    return None if col is None else get_column_letter(col + 1)


def field_column(fields: Fields, key: str | None) -> str | None:
    """The column letter of a field in a header row, or None if the row has no such field."""
    return column_letter(fields.get(key)) if key else None


# --- Values -------------------------------------------------------------------------------------


def parse_bool(value: object) -> bool | None:
    """Yes/No cells: "Yes", "Y", "True", "1" are True; blank or "None" is None; anything else False."""
    text = cells.clean_text(value).lower()
    if text in ("", "none"):
        return None
    return text in ("yes", "y", "true", "1")


def as_int(value: object) -> int | None:
    try:
        return int(float(value)) if value not in (None, "") else None  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def as_date(value: object) -> date | None:
    """A real date, an ISO date, or the due date free text names ("Dec 22"); else None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cells.clean_text(value)
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return cells.parse_date_text(text).due


# --- Dated entries ------------------------------------------------------------------------------


@dataclass
class ParsedUpdate:
    on: date | None
    text: str


def split_update_entries(value: object) -> tuple[list[ParsedUpdate], list[str]]:
    """An update cell may hold several dated entries, one per line ("290622 – text"); a line without a
    date continues the entry above. Returns the entries oldest first, and warnings."""
    text = cells.clean_text(value)
    entries: list[ParsedUpdate] = []
    warnings: list[str] = []
    lines_clean = not cells.may_hold_markup(text)  # then each line, stripped, is what cleaning it gives
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            if entries:
                entries[-1].text += "\n"
            continue
        parsed = cells.update_prefix(stripped) if lines_clean else cells.split_update_prefix(line)
        if parsed.warning:
            warnings.append(parsed.warning)
        if parsed.on is not None or parsed.warning or not entries:
            entries.append(ParsedUpdate(on=parsed.on, text=parsed.text))
        else:
            entries[-1].text = f"{entries[-1].text}\n{stripped}"
    for e in entries:
        e.text = e.text.strip()
    entries = [e for e in entries if e.text]
    if all(e.on for e in entries):
        entries.sort(key=lambda e: e.on)
    return entries, warnings


# --- Problems -----------------------------------------------------------------------------------


class Problems(list[Problem]):
    """Every problem found in a file, in the order found."""

    def add(self, sheet: str, row: int | None, column: str | None, message: str, level: str = "error") -> None:
        self.append(Problem(sheet, row, column or None, message, level))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self if p.level == "warning"]
