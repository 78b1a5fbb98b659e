"""Generic recognition rules: header rows from a table passed in, banner rows, values, columns."""

from datetime import date, datetime

import pytest

from core.tabular.layouts import (
    ParsedUpdate,
    Problems,
    as_date,
    as_int,
    banner_text,
    column_letter,
    field_column,
    find_header_row,
    header_fields,
    header_texts,
    normalise_header,
    parse_bool,
    split_update_entries,
)
from core.tabular.workbook import Cell

HEADERS = {"name": "name", "score": "score", "owner": "owner"}


def row(*values, merged_after: int = 0) -> list[Cell]:
    return [Cell(v) for v in values] + [Cell(None, merged=True) for _ in range(merged_after)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Owner/s", "owner"),
        ("Oversight mechanism (s):", "oversight mechanism"),
        ("  Plan\nCommitment ", "plan commitment"),
        ("<b>RAG</b>*", "rag"),
        ("Victims’ Board", "victims' board"),
    ],
)
def test_headers_are_compared_without_case_plurals_or_punctuation_at_the_ends(text, expected):
    assert normalise_header(text) == expected


def test_the_header_row_is_found_from_the_table_given_below_title_rows():
    rows = [row("Quarterly scores"), row(None), row("Name", "Score", "Owner/s"), row("Worcester", 5, "Supt Paley")]
    assert find_header_row(rows, HEADERS) == (2, {"name": 0, "score": 1, "owner": 2})
    assert find_header_row(rows, {"ref": "ref", "activity": "activity"}) is None


def test_a_caller_decides_what_makes_a_header_row_and_numbers_and_dates_are_never_headers():
    rows = [row("Name", 2022, date(2022, 1, 1)), row("Name", "Score")]
    assert header_fields(rows[0], HEADERS) == {"name": 0}
    assert find_header_row(rows, HEADERS, is_header=lambda f: "name" in f) == (0, {"name": 0})
    assert find_header_row(rows, HEADERS, within=1) is None
    assert header_texts(rows[1], {"name": 0, "score": 1}) == ["Name", "Score"]


def test_a_banner_is_one_cell_at_the_left_or_merged_across_and_never_a_reference():
    assert banner_text(row("Prevention", None, None), 0) == "Prevention"
    assert banner_text(row(None, None, "Prevention", merged_after=2), 0) == "Prevention"
    assert banner_text(row(None, None, "Prevention"), 0) is None
    assert banner_text(row("1.1", None, None), 0) is None
    assert banner_text(row("Prevention", "Supt Paley"), 0) is None


def test_column_letters_follow_excel():
    assert [column_letter(i) for i in (0, 25, 26, 27)] == ["A", "Z", "AA", "AB"]
    assert column_letter(None) is None
    assert field_column({"score": 1}, "score") == "B"
    assert field_column({"score": 1}, "name") is None and field_column({"score": 1}, None) is None


def test_yes_no_cells_numbers_and_dates():
    assert [parse_bool(v) for v in ("Yes", "y", "TRUE", 1, "No", "", None, "None")] == [
        True, True, True, True, False, None, None, None,
    ]  # fmt: skip
    assert [as_int(v) for v in (3, 3.0, "4", "4.0", "", None, "four")] == [3, 3, 4, 4, None, None, None]
    assert as_date(datetime(2022, 6, 29, 10, 0)) == date(2022, 6, 29)
    assert as_date("2022-06-29") == date(2022, 6, 29)
    assert as_date("Dec 22") == date(2022, 12, 31)
    assert as_date("Ongoing") is None and as_date(None) is None


def test_an_update_cell_splits_into_dated_entries_oldest_first():
    entries, warnings = split_update_entries("150922 – Rolled out.\nMore detail.\n290622 – Pilot started.")
    assert entries == [
        ParsedUpdate(on=date(2022, 6, 29), text="Pilot started."),
        ParsedUpdate(on=date(2022, 9, 15), text="Rolled out.\nMore detail."),
    ]
    assert warnings == []
    entries, warnings = split_update_entries("296023 – Scheme extended.")
    assert entries == [ParsedUpdate(on=None, text="296023 – Scheme extended.")] and len(warnings) == 1


def test_problems_are_collected_and_sorted_into_errors_and_warnings():
    problems = Problems()
    problems.add("Scores", 3, "B", "Not a number.")
    problems.add("Scores", None, "", "No rows.", "warning")
    assert [p.message for p in problems.errors] == ["Not a number."]
    assert [(p.message, p.column) for p in problems.warnings] == [("No rows.", None)]
