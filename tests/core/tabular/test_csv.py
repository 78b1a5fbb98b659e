"""CSV files of the same layouts: encodings detected, separators sniffed, every value kept as written."""

import pytest

from core.tabular.workbook import read_workbook

ROWS = "Ref,Action,Owner/s\n3.1,Recruit – 40 officers,Supt Paley\n3.10,Open £2m hub,CI O’Brien\n"


@pytest.mark.parametrize(
    ("data", "note"),
    [
        (ROWS.encode("utf-8"), None),
        (ROWS.encode("utf-8-sig"), None),
        (ROWS.encode("cp1252"), "The CSV file was read as Windows-1252 text."),
        (ROWS.encode("utf-16"), "The CSV file was read as UTF-16 text."),
    ],
    ids=["utf-8", "utf-8-bom", "windows-1252", "utf-16"],
)
def test_a_csv_file_is_read_in_its_own_encoding(data, note):
    book = read_workbook(data, "tracker Q3.csv")
    (sheet,) = book.sheets
    assert sheet.name == "tracker Q3"
    values = [[c.value for c in row] for row in sheet.rows]
    assert values[0] == ["Ref", "Action", "Owner/s"]
    assert values[1] == ["3.1", "Recruit – 40 officers", "Supt Paley"]
    assert values[2] == ["3.10", "Open £2m hub", "CI O’Brien"]  # 3.10 stays 3.10
    assert book.notes == ([note] if note else [])


def test_semicolons_and_quoted_line_breaks_are_read():
    book = read_workbook('Ref;Update\n1;"290622 – line one\nline two"\n'.encode(), "x.csv")
    assert book.sheets[0].rows[1][1].value == "290622 – line one\nline two"


def test_a_csv_file_not_named_csv_is_still_refused_as_plain_text():
    from core.tabular.workbook import WorkbookError

    with pytest.raises(WorkbookError, match="plain text"):
        read_workbook(ROWS.encode(), "plan.xlsx")
