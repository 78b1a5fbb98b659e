"""Checking and reading uploaded workbooks. Every input is built here, in memory; no binary fixtures."""

from __future__ import annotations

import io
import re
import struct
import time
import zipfile
from datetime import date, datetime
from typing import Any

import pytest
import xlsxwriter
from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl import load_workbook
from openpyxl.styles import Color, PatternFill

from core.tabular.workbook import Cell, Sheet, WorkbookError, check_file, read_workbook

MB = 1024 * 1024
ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"


# --------------------------------------------------------------------------------------------------
# Builders
# --------------------------------------------------------------------------------------------------


def save(book: OpenpyxlWorkbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def delivery_plan_xlsx() -> bytes:
    """A small delivery plan: title, header, a commitment merged down over three activities, RAG fills."""
    book = OpenpyxlWorkbook()
    sheet = book.active
    sheet.title = "Delivery plan"
    sheet.append(["Delivery Plan Extract"])
    sheet.merge_cells("A1:D1")
    sheet.append(["Ref", "Supporting activity", "Owner", "RAG"])
    sheet.append(["1.1", "Recruit more officers", "Supt Paley", None])
    sheet.append([None, "Train new officers", "CiP manager", "A"])
    sheet.append([None, "Review shift patterns", "Digital Services", "G"])
    sheet.merge_cells("A3:A5")
    sheet["D3"].fill = PatternFill("solid", fgColor="FFFF0000")  # RAG by colour alone: red
    sheet["D4"].fill = PatternFill("solid", fgColor=Color(indexed=13))  # indexed 13 is yellow
    sheet["D5"].fill = PatternFill("solid", fgColor=Color(theme=9, tint=0.3999755851924192))  # Accent 6, lighter 40%
    sheet["C3"].fill = PatternFill("darkGrid", fgColor="FF00FF00")  # a pattern, not a solid fill
    sheet["C4"].fill = PatternFill("solid", fgColor=Color(theme=9))  # Accent 6
    return save(book)


def xlsx_with_formula() -> bytes:
    """xlsxwriter stores a cached result alongside the formula, as Excel does."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Sums")
    sheet.write_number("A1", 2)
    sheet.write_number("B1", 3)
    sheet.write_formula("C1", "=A1+B1", None, 5)
    sheet.write_formula("D1", '="Due "&"Dec 22"', None, "Due Dec 22")
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    stamp_format = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    sheet.write_datetime("A2", datetime(2023, 1, 31), date_format)
    sheet.write_datetime("B2", datetime(2023, 1, 31, 14, 30), stamp_format)
    book.close()
    return buffer.getvalue()


def rewrite_zip(data: bytes, change: dict[str, bytes | None]) -> bytes:
    """Copy a zip, replacing (or, with None, dropping) the named members."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in change:
                if change[info.filename] is not None:
                    target.writestr(info.filename, change[info.filename])
            else:
                target.writestr(info, source.read(info.filename))
    return out.getvalue()


def zip_of(members: dict[str, bytes | str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def ods(rows: list[list[Any]], name: str = "Delivery plan") -> bytes:
    """A minimal OpenDocument spreadsheet (mimetype, content.xml, manifest), as odfpy is not installed."""

    def cell(value: Any) -> str:
        if isinstance(value, date):
            return (
                f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
                f"<text:p>{value:%d/%m/%y}</text:p></table:table-cell>"
            )
        if isinstance(value, int | float):
            return (
                f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>"
            )
        if value is None:
            return "<table:table-cell/>"
        return f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'

    body = "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{name}">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.2">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS_MIMETYPE}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODS_MIMETYPE)  # first and stored, as the standard says
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def biff_record(kind: int, body: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def legacy_xls(name: str, cells: list[tuple[int, int, str | float]], merges: list[tuple[int, int, int, int]]) -> bytes:
    """A minimal BIFF8 .xls in an OLE compound file (no xlwt here). Cells are (row, col, value), 0-based;
    merges are (first row, last row, first col, last col)."""

    def bof(kind: int) -> bytes:
        return biff_record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x06))

    sheet = bof(0x0010) + biff_record(0x0200, struct.pack("<IIHHH", 0, 100, 0, 20, 0))
    for row, col, value in cells:
        if isinstance(value, str):
            text = struct.pack("<HHHHB", row, col, 0, len(value), 1) + value.encode("utf-16-le")
            sheet += biff_record(0x0204, text)  # LABEL
        else:
            sheet += biff_record(0x0203, struct.pack("<HHHd", row, col, 0, value))  # NUMBER
    ranges = b"".join(struct.pack("<HHHH", *merge) for merge in merges)
    sheet += biff_record(0x00E5, struct.pack("<H", len(merges)) + ranges) + biff_record(0x000A)

    def globals_part(offset: int) -> bytes:
        boundsheet = struct.pack("<IBBBB", offset, 0, 0, len(name), 1) + name.encode("utf-16-le")
        return (
            bof(0x0005)
            + biff_record(0x0042, struct.pack("<H", 1200))
            + biff_record(0x0085, boundsheet)
            + biff_record(0x000A)
        )

    stream = globals_part(len(globals_part(0))) + sheet
    stream += bytes(max(0, 4096 - len(stream)))  # at least 4 KB keeps it out of the mini stream
    stream += bytes(-len(stream) % 512)
    sectors = len(stream) // 512
    end, free, fat_sector, no_stream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    header = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + bytes(16)
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack("<9I", 0, 1, 1, 0, 0x1000, end, 0, end, 0)
        + struct.pack("<109I", 0, *([free] * 108))
    )
    chain = [fat_sector, end] + [3 + i for i in range(sectors - 1)] + [end]
    fat = struct.pack(f"<{len(chain)}I", *chain) + struct.pack("<I", free) * (128 - len(chain))

    def entry(entry_name: str, kind: int, child: int, start: int, size: int) -> bytes:
        raw = entry_name.encode("utf-16-le") + b"\0\0" if entry_name else b""
        return (
            raw.ljust(64, b"\0")
            + struct.pack("<HBBIII", len(raw), kind, 1, no_stream, no_stream, child)
            + bytes(36)
            + struct.pack("<IQ", start, size)
        )

    directory = (
        entry("Root Entry", 5, 1, end, 0) + entry("Workbook", 2, no_stream, 2, len(stream)) + entry("", 0, 0, 0, 0) * 2
    )
    return header + fat + directory + stream


def values(sheet: Sheet) -> list[list[Any]]:
    return [[cell.value for cell in row] for row in sheet.rows]


# --------------------------------------------------------------------------------------------------
# check_file: what the file is, before any parser sees it
# --------------------------------------------------------------------------------------------------


def test_an_xlsx_is_recognised_by_its_content() -> None:
    assert check_file(delivery_plan_xlsx(), "plan.xlsx") == "xlsx"


def test_the_format_comes_from_the_content_not_the_file_name() -> None:
    data = delivery_plan_xlsx()

    assert check_file(data, "plan.xls") == "xlsx"
    assert check_file(data, "plan.pdf") == "xlsx"
    book = read_workbook(data, "plan.xls")
    assert book.format == "xlsx"
    assert any("really a .xlsx" in note for note in book.notes)


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(WorkbookError, match="empty"):
        check_file(b"", "plan.xlsx")


def test_a_file_over_the_upload_limit_is_refused_naming_its_size_and_the_limit(settings: Any) -> None:
    settings.IMPORT_MAX_BYTES = 1 * MB
    data = b"PK\x03\x04" + bytes(int(1.5 * MB))

    with pytest.raises(WorkbookError) as error:
        check_file(data, "plan.xlsx")

    assert "1.5 MB" in str(error.value)
    assert "1 MB limit" in str(error.value)


def test_a_renamed_pdf_is_reported_as_a_pdf() -> None:
    with pytest.raises(WorkbookError) as error:
        check_file(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "plan.xlsx")

    assert str(error.value) == (
        "This file is a PDF, not an Excel workbook. Save the workbook as .xlsx and upload that."
    )


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"Ref,Activity,Owner\n1.1,Recruit officers,Supt Paley\n", "plain text"),
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "picture (PNG)"),
        (b"<!DOCTYPE html><html><body><table><tr><td>1.1</td></tr></table></body></html>", "web page (HTML)"),
        (bytes(range(256)) * 4, "not an Excel workbook"),
    ],
    ids=["csv", "png", "html-saved-as-xls", "binary"],
)
def test_other_content_is_not_an_excel_workbook_and_the_message_says_to_use_xlsx(content: bytes, words: str) -> None:
    with pytest.raises(WorkbookError) as error:
        check_file(content, "plan.xlsx")

    assert words in str(error.value)
    assert "not an Excel workbook" in str(error.value)
    assert ".xlsx" in str(error.value)


def test_a_truncated_xlsx_is_reported_as_damaged() -> None:
    data = delivery_plan_xlsx()

    with pytest.raises(WorkbookError, match="The file is damaged and cannot be opened as a workbook"):
        check_file(data[: len(data) // 2], "plan.xlsx")


def test_a_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            zeros = bytes(MB)
            for _ in range(300):  # 300 MB of zeros, written a megabyte at a time
                member.write(zeros)
    data = buffer.getvalue()
    assert len(data) < 2 * MB

    started = time.perf_counter()
    with pytest.raises(WorkbookError) as error:
        read_workbook(data, "plan.xlsx")

    assert time.perf_counter() - started < 1
    assert "expands to far more than its size" in str(error.value)
    assert "unsafe" in str(error.value)


def test_one_part_that_expands_a_thousandfold_is_refused_even_under_the_total_limit() -> None:
    data = zip_of(
        {"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>", "xl/media/x.bin": bytes(5 * MB)}
    )

    with pytest.raises(WorkbookError, match="expands to far more than its size"):
        check_file(data, "plan.xlsx")


def test_the_unpacked_size_limit_comes_from_settings(settings: Any) -> None:
    settings.IMPORT_MAX_UNPACKED_BYTES = 1000
    settings.IMPORT_MAX_RATIO = 10**9

    with pytest.raises(WorkbookError, match="expands to far more than its size"):
        check_file(delivery_plan_xlsx(), "plan.xlsx")


def test_an_archive_with_too_many_parts_is_refused() -> None:
    members: dict[str, bytes | str] = {f"xl/parts/{index}.xml": b"" for index in range(10_001)}
    members["xl/workbook.xml"] = "<workbook/>"

    with pytest.raises(WorkbookError, match="separate parts"):
        check_file(zip_of(members), "plan.xlsx")


def test_an_encrypted_workbook_is_reported_as_password_protected() -> None:
    data = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + bytes(504)
        + "EncryptionInfo".encode("utf-16-le")
        + bytes(50)
        + "EncryptedPackage".encode("utf-16-le")
        + bytes(400)
    )

    with pytest.raises(WorkbookError) as error:
        read_workbook(data, "plan.xlsx")

    assert str(error.value) == (
        "This workbook is password-protected (encrypted). Remove the password in Excel "
        "(File > Info > Protect Workbook) and upload it again."
    )


@pytest.mark.parametrize(
    ("members", "words"),
    [
        ({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}, "This is a Word document"),
        ({"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p:presentation/>"}, "PowerPoint"),
        ({"readme.txt": "hello", "data/plan.csv": "Ref,Activity"}, "ZIP archive"),
        ({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"}, "OpenDocument text"),
    ],
    ids=["docx", "pptx", "plain-zip", "odt"],
)
def test_other_office_files_and_zips_are_not_taken_for_workbooks(members: dict[str, str], words: str) -> None:
    with pytest.raises(WorkbookError) as error:
        check_file(zip_of(members), "plan.xlsx")

    assert words in str(error.value)
    assert "not an Excel workbook" in str(error.value) or "not a spreadsheet" in str(error.value)


def test_a_legacy_word_document_is_not_taken_for_an_xls() -> None:
    data = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504) + "WordDocument".encode("utf-16-le") + bytes(100)

    with pytest.raises(WorkbookError, match="This is a Word document, not an Excel workbook"):
        check_file(data, "plan.xls")


# --------------------------------------------------------------------------------------------------
# read_workbook: values, fills and merged ranges
# --------------------------------------------------------------------------------------------------


def test_a_workbook_reads_values_with_merged_ranges_marked() -> None:
    book = read_workbook(delivery_plan_xlsx(), "plan.xlsx")

    assert book.format == "xlsx"
    assert book.filename == "plan.xlsx"
    assert book.notes == []
    [sheet] = book.sheets
    assert sheet.name == "Delivery plan"
    assert values(sheet) == [
        ["Delivery Plan Extract", None, None, None],
        ["Ref", "Supporting activity", "Owner", "RAG"],
        ["1.1", "Recruit more officers", "Supt Paley", None],
        [None, "Train new officers", "CiP manager", "A"],
        [None, "Review shift patterns", "Digital Services", "G"],
    ]
    assert [cell.merged for cell in sheet.rows[0]] == [False, True, True, True]
    assert [row[0].merged for row in sheet.rows] == [False, False, False, True, True]
    assert not any(cell.merged for row in sheet.rows for cell in row[1:3] if row is not sheet.rows[0])


def test_solid_fills_read_as_rgb_hex_from_rgb_indexed_and_theme_colours() -> None:
    [sheet] = read_workbook(delivery_plan_xlsx(), "plan.xlsx").sheets

    assert sheet.rows[2][3] == Cell(None, fill="FF0000")  # RAG shown by fill alone
    assert sheet.rows[3][3].fill == "FFFF00"  # indexed 13
    assert sheet.rows[4][3].fill == "FAC090"  # theme Accent 6, lighter 40%, as Excel shows it
    assert sheet.rows[3][2].fill == "F79646"  # theme Accent 6
    assert sheet.rows[2][2].fill is None  # a pattern fill is not a solid fill
    assert sheet.rows[1][0].fill is None


def test_a_formula_reads_as_its_cached_value_never_the_formula_text() -> None:
    data = xlsx_with_formula()

    for need_styles in (True, False):
        [sheet] = read_workbook(data, "sums.xlsx", need_styles=need_styles).sheets
        assert sheet.rows[0][2].value == 5
        assert sheet.rows[0][3].value == "Due Dec 22"
        assert not any(isinstance(cell.value, str) and cell.value.startswith("=") for cell in sheet.rows[0])


def test_dates_read_as_dates_and_date_times_keep_their_time() -> None:
    for need_styles in (True, False):
        [sheet] = read_workbook(xlsx_with_formula(), "sums.xlsx", need_styles=need_styles).sheets
        midnight, afternoon = sheet.rows[1][0].value, sheet.rows[1][1].value
        assert type(midnight) is date
        assert midnight == date(2023, 1, 31)
        assert afternoon == datetime(2023, 1, 31, 14, 30)


def test_number_formats_give_refs_as_shown_and_whole_numbers_stay_plain() -> None:
    from core.tabular.cells import ref_text

    book = OpenpyxlWorkbook()
    ws = book.active
    cases = [  # (value, number format, the ref read)
        (3, None, "3"),
        (3.0, "0.0", "3"),  # Excel stores 3 and 3.0 alike: a whole number keeps no format, as before
        (17, "0", "17"),
        (3.1, "0.00", "3.10"),
        (2.5, None, "2.5"),
        (44926, "dd/mm/yyyy", "2022-12-31"),  # a date-formatted number is a date
        (date(2023, 1, 31), None, "2023-01-31"),
    ]
    for i, (value, fmt, _) in enumerate(cases, start=1):
        cell = ws.cell(row=i, column=1, value=value)
        if fmt:
            cell.number_format = fmt
    ws.cell(row=1, column=2).fill = PatternFill("solid", fgColor="FF0000")  # styles with a fill as well
    [sheet] = read_workbook(save(book), "refs.xlsx").sheets
    got = [ref_text(row[0].value, row[0].number_format) for row in sheet.rows]
    assert got == [want for _, _, want in cases]
    assert sheet.rows[5][0].value == date(2022, 12, 31)


def test_leading_empty_rows_and_columns_are_kept_so_row_numbers_stay_true() -> None:
    book = OpenpyxlWorkbook()
    book.active["C4"] = "Appendix 1"
    book.active["B6"] = "1.1"

    for need_styles in (True, False):
        [sheet] = read_workbook(save(book), "plan.xlsx", need_styles=need_styles).sheets
        assert len(sheet.rows) == 6
        assert sheet.rows[3][2].value == "Appendix 1"
        assert sheet.row_number(3) == 4
        assert sheet.row_number(5) == 6
        assert all(len(row) == 3 for row in sheet.rows)


def test_trailing_empty_rows_and_columns_are_removed() -> None:
    book = OpenpyxlWorkbook()
    sheet = book.active
    sheet.append(["Ref", "Activity"])
    sheet.append(["1.1", "Recruit officers"])
    sheet["H40"].fill = PatternFill("solid", fgColor="FF00FF00")  # formatted, but no value
    sheet["A12"] = ""  # an empty string is no value

    for need_styles in (True, False):
        [read] = read_workbook(save(book), "plan.xlsx", need_styles=need_styles).sheets
        assert values(read) == [["Ref", "Activity"], ["1.1", "Recruit officers"]]


def test_a_merged_banner_at_the_foot_of_the_sheet_keeps_the_rows_it_covers() -> None:
    book = OpenpyxlWorkbook()
    sheet = book.active
    sheet.append(["Ref", "Activity"])
    sheet["A2"] = "End of plan"
    sheet.merge_cells("A2:B3")

    [read] = read_workbook(save(book), "plan.xlsx").sheets

    assert values(read) == [["Ref", "Activity"], ["End of plan", None], [None, None]]
    assert [[cell.merged for cell in row] for row in read.rows] == [[False, False], [False, True], [True, True]]


def test_hidden_sheets_are_read_and_marked_hidden_and_chart_sheets_are_skipped() -> None:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.add_worksheet("Plan").write("A1", "Visible")
    hidden = book.add_worksheet("Lookups")
    hidden.write("A1", "Red")
    hidden.hide()
    chart = book.add_chart({"type": "bar"})
    chart.add_series({"values": "=Lookups!$A$1:$A$1"})
    book.add_chartsheet("RAG chart").set_chart(chart)
    book.close()

    read = read_workbook(buffer.getvalue(), "plan.xlsx")

    assert [(sheet.name, sheet.hidden) for sheet in read.sheets] == [("Plan", False), ("Lookups", True)]
    assert read.sheets[1].rows[0][0].value == "Red"
    assert "The chart sheet 'RAG chart' was skipped." in read.notes


def test_an_xlsm_is_read_with_a_note_that_macros_were_ignored() -> None:
    data = delivery_plan_xlsx()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        content_types = archive.read("[Content_Types].xml").decode()
    macro_types = content_types.replace(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    assert macro_types != content_types
    data = rewrite_zip(data, {"[Content_Types].xml": macro_types.encode()})

    assert check_file(data, "plan.xlsm") == "xlsm"
    book = read_workbook(data, "plan.xlsm")

    assert book.format == "xlsm"
    assert book.notes == ["Macros in this .xlsm file were ignored."]
    assert book.sheets[0].rows[1][0].value == "Ref"
    assert book.sheets[0].rows[2][3].fill == "FF0000"


def test_an_ods_spreadsheet_is_read_with_values_and_no_fills() -> None:
    data = ods([["Ref", "Due", "Count"], ["1.1", date(2023, 6, 30), 3], [None, None, None]])

    assert check_file(data, "plan.ods") == "ods"
    book = read_workbook(data, "plan.ods")

    assert book.format == "ods"
    assert [sheet.name for sheet in book.sheets] == ["Delivery plan"]
    assert values(book.sheets[0]) == [["Ref", "Due", "Count"], ["1.1", date(2023, 6, 30), 3]]
    assert all(cell.fill is None and not cell.merged for row in book.sheets[0].rows for cell in row)


def test_a_legacy_xls_is_read_with_its_merged_ranges() -> None:
    data = legacy_xls(
        "Plan",
        [(0, 0, "Ref"), (0, 1, "Supporting activity"), (1, 0, "1.1"), (1, 1, "Recruit"), (2, 1, "Train"), (2, 2, 42.0)],
        merges=[(1, 2, 0, 0)],
    )

    assert check_file(data, "plan.xls") == "xls"
    [sheet] = read_workbook(data, "plan.xls").sheets

    assert values(sheet) == [["Ref", "Supporting activity", None], ["1.1", "Recruit", None], [None, "Train", 42.0]]
    assert sheet.rows[2][0].merged
    assert all(cell.fill is None for row in sheet.rows for cell in row)
    [plain] = read_workbook(data, "plan.xls", need_styles=False).sheets
    assert not plain.rows[2][0].merged


def test_without_styles_values_are_read_with_no_fills_or_merged_cells() -> None:
    book = read_workbook(delivery_plan_xlsx(), "plan.xlsx", need_styles=False)

    [sheet] = book.sheets
    assert values(sheet)[1] == ["Ref", "Supporting activity", "Owner", "RAG"]
    assert values(sheet)[3] == [None, "Train new officers", "CiP manager", "A"]
    assert all(cell.fill is None and not cell.merged for row in sheet.rows for cell in row)


def test_a_file_a_parser_cannot_read_gives_a_plain_message_not_a_traceback() -> None:
    broken = rewrite_zip(delivery_plan_xlsx(), {"xl/workbook.xml": b"<workbook><sheets><sheet name="})

    # The size checks stream the workbook's XML before any reader, so the upload check already says so.
    for read in (check_file, read_workbook):
        with pytest.raises(WorkbookError) as error:
            read(broken, "plan.xlsx")
        assert str(error.value).startswith("The workbook could not be read:")
        assert "Traceback" not in str(error.value)


def test_when_fills_cannot_be_read_the_values_still_are_with_a_note() -> None:
    data = delivery_plan_xlsx()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        styles = archive.read("xl/styles.xml").decode()
    broken_styles = styles.replace('patternType="darkGrid"', 'patternType="no-such-pattern"')
    assert broken_styles != styles

    book = read_workbook(rewrite_zip(data, {"xl/styles.xml": broken_styles.encode()}), "plan.xlsx")

    assert any("colours in this workbook could not be read" in note for note in book.notes)
    assert values(book.sheets[0])[3] == [None, "Train new officers", "CiP manager", "A"]
    assert book.sheets[0].rows[3][0].merged
    assert all(cell.fill is None for row in book.sheets[0].rows for cell in row)


def test_an_ole_file_that_is_not_really_an_xls_gives_a_plain_message() -> None:
    data = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504) + "Workbook".encode("utf-16-le") + bytes(1000)

    for read in (check_file, read_workbook):  # the compound file is checked before calamine opens it
        with pytest.raises(WorkbookError, match=r"^The file is damaged and cannot be opened as a workbook\."):
            read(data, "plan.xls")


# --------------------------------------------------------------------------------------------------
# Size and speed
# --------------------------------------------------------------------------------------------------


def formatted_but_empty_rows(last_row: int) -> bytes:
    """20 rows of values, then solid-filled cells in A:F with no values down to `last_row`.

    openpyxl lays out the first formatted row (as Excel writes such rows); the rest are copies of it in
    the sheet XML, because styling 300,000 cells one by one through openpyxl takes over ten seconds."""
    book = OpenpyxlWorkbook()
    sheet = book.active
    for row in range(1, 21):
        sheet.append([f"Activity {row}", "Owner", "Ongoing", "G", "Update", "Board"])
    for cell in sheet[21]:
        cell.fill = PatternFill("solid", fgColor="FF00B050")
    for column in "BCDEF":
        sheet[f"{column}21"].fill = PatternFill("solid", fgColor="FF00B050")
    data = save(book)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    template = re.search(r'<row r="21".*?</row>', xml)
    assert template is not None and 's="' in template.group(0)
    copies = "".join(re.sub(r'(r="[A-Z]*)21"', rf'\g<1>{row}"', template.group(0)) for row in range(22, last_row + 1))
    xml = xml.replace(template.group(0), template.group(0) + copies).replace('ref="A1:F21"', f'ref="A1:F{last_row}"')
    return rewrite_zip(data, {"xl/worksheets/sheet1.xml": xml.encode()})


def test_thousands_of_empty_formatted_rows_are_not_read() -> None:
    data = formatted_but_empty_rows(50_000)
    assert load_workbook(io.BytesIO(data), read_only=True).active.max_row == 50_000

    for need_styles in (True, False):  # only the value area is read (its speed: bench/imports.py)
        [read] = read_workbook(data, "plan.xlsx", need_styles=need_styles).sheets
        assert len(read.rows) == 20
        assert all(len(row) == 6 for row in read.rows)
        assert read.rows[19][0].value == "Activity 20"


def test_a_sheet_of_five_thousand_rows_reads_with_and_without_styles() -> None:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    sheet = book.add_worksheet("Plan")
    amber = book.add_format({"bg_color": "#FFC000"})
    for row in range(5000):
        sheet.write_row(row, 0, [f"{row}.1", f"Supporting activity {row} text", "Supt Paley / CI Preece", "Dec 22"])
        sheet.write(row, 4, "A", amber)
        sheet.write(row, 5, f"290622 – progress update for activity {row}")
    book.close()
    data = buffer.getvalue()

    for need_styles in (True, False):  # its speed: bench/imports.py
        [read] = read_workbook(data, "plan.xlsx", need_styles=need_styles).sheets
        assert len(read.rows) == 5000
        assert read.rows[4999][1].value == "Supporting activity 4999 text"
        assert read.rows[4999][4].fill == ("FFC000" if need_styles else None)
