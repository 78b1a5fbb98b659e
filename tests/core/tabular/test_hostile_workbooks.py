"""Hostile workbooks (a value at XFD1048576, a sheet whose <dimension> lies, one long shared string in
100,000 cells, the same in .ods with repeated rows and columns) are refused with a plain message before
any reader lays them out: by check_file (the upload), by read_workbook, and by the upload page. Peak
memory is measured in a child process, where a reader that trusted the file would need gigabytes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.tabular.workbook import WorkbookError, check_file, read_workbook
from tests.core.tabular import hostile
from tests.core.tabular.test_workbook import rewrite_zip

ROOT = Path(__file__).resolve().parents[3]
GROWTH_MB = 200  # what the readers may add to the child's high-water mark (Django and the file: ~100-350 MB)

REFUSALS = {
    "far_corner": "has values as far as cell XFD1048576 (1,048,576 rows by 16,384 columns)",
    "wide_and_long": "has values as far as cell XFD1 (1 row by 16,384 columns)",
    "lying_dimension_rows": "has values as far as cell B150000 (150,000 rows by 2 columns)",
    "sparse_but_vast": "its values span 100,000 rows by 200 columns (20,000,000 cells, to cell GR100000)",
    "shared_string_amplification": "cells hold more than 50 MB of text once expanded",
    "ods_far_column": "has values as far as cell XFD1 (1 row by 16,384 columns)",
    "ods_far_row": "has values as far as cell A1000002 (1,000,002 rows by 1 column)",
    "ods_text_amplification": "cells hold more than 50 MB of text once expanded",
    # .xls: before these checks calamine laid the far corner out in 1.04 GB and the sparse sheet in 0.8 GB
    "xls_far_corner": "has values as far as cell IV65536 (65,536 rows by 256 columns)",
    "xls_sparse_but_vast": "its values span 65,536 rows by 200 columns (13,107,200 cells, to cell GR65536)",
    "xls_shared_string_amplification": "cells hold more than 50 MB of text once expanded",
}


@pytest.mark.parametrize("name", REFUSALS)
def test_a_hostile_workbook_is_refused_by_the_upload_check_and_by_the_reader_naming_the_sheet(name: str) -> None:
    data = hostile.HOSTILE[name]()
    for read in (check_file, read_workbook):
        with pytest.raises(WorkbookError) as error:
            read(data, "plan.xlsx")
        message = str(error.value)
        assert REFUSALS[name] in message
        assert "'Delivery plan'" in message


def test_the_size_message_says_what_the_limits_are_and_what_to_do() -> None:
    with pytest.raises(WorkbookError) as error:
        check_file(hostile.far_corner(), "plan.xlsx")
    assert str(error.value) == (
        "The sheet 'Delivery plan' is too big to read: it has values as far as cell XFD1048576 "
        "(1,048,576 rows by 16,384 columns). This tool reads at most 100,000 rows and 200 columns in a sheet. "
        "Usually a stray value far below or to the right of the table causes this: delete the rows and columns "
        "after the table (or copy just the table into a new workbook), save it as .xlsx and upload it again."
    )


def test_the_row_column_cell_and_text_limits_come_from_settings(settings: Any) -> None:
    ten_rows = hostile.xlsx([hostile.number(f"A{r}") for r in range(1, 11)])
    assert check_file(ten_rows, "plan.xlsx") == "xlsx"
    settings.IMPORT_MAX_ROWS = 9
    with pytest.raises(WorkbookError, match=r"A10 \(10 rows by 1 column\).*at most 9 rows"):
        check_file(ten_rows, "plan.xlsx")
    settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_COLUMNS = 100, 2
    with pytest.raises(WorkbookError, match="at most 100 rows and 2 columns"):
        check_file(hostile.xlsx([hostile.number("C1")]), "plan.xlsx")
    settings.IMPORT_MAX_CELLS = 5
    with pytest.raises(WorkbookError, match=r"6 rows by 1 column \(6 cells, to cell A6\).*at most 5 cells"):
        check_file(ten_rows, "plan.xlsx")
    settings.IMPORT_MAX_CELLS, settings.IMPORT_MAX_TEXT_BYTES = 1000, 1000
    text = hostile.xlsx([hostile.shared(f"A{r}") for r in range(1, 12)], strings=["z" * 100])
    with pytest.raises(WorkbookError, match=r"more than [0-9.]+ MB of text once expanded"):
        check_file(text, "plan.xlsx")


def test_a_dimension_that_lies_small_does_not_hide_values_beyond_it_and_a_large_one_refuses_nothing() -> None:
    assert check_file(hostile.xlsx([hostile.number("A1")], dimension="A1:XFD1048576"), "plan.xlsx") == "xlsx"
    with pytest.raises(WorkbookError, match="B150000"):
        check_file(hostile.lying_dimension_rows(), "plan.xlsx")


def test_cells_with_formatting_but_no_value_do_not_count_towards_the_size() -> None:
    data = hostile.xlsx([hostile.number("A1"), '<c r="XFD1048576" s="1"/>'])
    assert [[c.value for c in row] for row in read_workbook(data, "plan.xlsx").sheets[0].rows] == [[1]]


def test_cells_without_references_are_placed_by_their_order() -> None:
    row = "<row>" + "".join("<c><v>1</v></c>" for _ in range(201)) + "</row>"
    with pytest.raises(WorkbookError, match=r"GS1 \(1 row by 201 columns\)"):
        check_file(hostile.xlsx(row), "plan.xlsx")


def test_cells_are_counted_by_their_order_past_the_point_a_long_row_drops_those_read() -> None:
    # 600 formatted, empty cells (dropped as the row is read), then a value: column 601 is past the limit.
    row = "<row>" + '<c s="1"/>' * 600 + "<c><v>1</v></c></row>"
    with pytest.raises(WorkbookError, match=r"WC1 \(1 row by 601 columns\)"):
        check_file(hostile.xlsx(row), "plan.xlsx")
    # Rows without references follow the row before, with or without cells of their own.
    rows = '<row r="5"><c><v>1</v></c></row><row/><row><c/><c><v>2</v></c></row>'
    book = read_workbook(hostile.xlsx(rows), "plan.xlsx")
    assert [[c.value for c in row] for row in book.sheets[0].rows][4:] == [[1, None], [None, None], [None, 2]]


def test_an_ods_with_a_million_trailing_empty_rows_as_libreoffice_writes_them_is_read() -> None:
    book = read_workbook(hostile.ods_trailing_empty_rows(), "plan.ods")
    assert [[c.value for c in row] for row in book.sheets[0].rows] == [["Ref", "Activity"]]


def test_a_workbook_part_that_declares_xml_entities_is_refused() -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
        f'<sst xmlns="{hostile.MAIN}"><si><t>&lol2;</t></si></sst>'
    )
    data = hostile.xlsx([hostile.shared("A1")], strings=["x"])

    with pytest.raises(WorkbookError, match="declares XML entities"):
        check_file(rewrite_zip(data, {"xl/sharedStrings.xml": bomb.encode()}), "plan.xlsx")


def test_the_upload_page_refuses_a_hostile_workbook_with_the_message_and_keeps_nothing(client, editor) -> None:
    from delivery.models import ImportRun
    from tests.factories import PASSWORD

    client.login(username=editor.username, password=PASSWORD)
    response = client.post(
        reverse("import-new"),
        {"file": SimpleUploadedFile("plan.xlsx", hostile.far_corner()), "layout": "auto", "plan_name": ""},
    )
    assert response.status_code == 200
    assert "it has values as far as cell XFD1048576" in response.content.decode()
    assert not ImportRun.objects.exists()


CHILD = """
import json, os, resource, sys, time
sys.path.insert(0, os.getcwd())
import django
django.setup()
from core.tabular.workbook import WorkbookError, check_file, read_workbook
from tests.core.tabular import hostile
from tests.core.tabular.test_workbook import rewrite_zip
data = hostile.HOSTILE[sys.argv[1]]()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.monotonic()
messages = []
for read in (check_file, read_workbook):
    try:
        read(data, "plan.xlsx")
        messages.append("")
    except WorkbookError as error:
        messages.append(str(error))
print(json.dumps({"messages": messages, "seconds": time.monotonic() - started,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "before_mb": before / 1024}))
"""


def measure_in_a_child(name: str) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, name], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]  # a reader that tried to lay it out aborts the child
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
@pytest.mark.parametrize("name", REFUSALS)
def test_a_hostile_workbook_is_refused_before_any_reader_allocates_much(name: str) -> None:
    figures = measure_in_a_child(name)
    assert all(REFUSALS[name] in m for m in figures["messages"]), figures["messages"]
    assert figures["peak_mb"] - figures["before_mb"] < GROWTH_MB, figures
    assert figures["seconds"] < 5, figures


def test_an_xls_with_a_value_beyond_the_limits_is_refused_before_its_cells_become_python_objects() -> None:
    from tests.core.tabular.test_workbook import legacy_xls

    data = legacy_xls("Plan", [(0, 0, "Ref"), (0, 255, "stray")], [])
    with pytest.raises(WorkbookError, match=r"'Plan' is too big to read: it has values as far as cell IV1 "):
        read_workbook(data, "plan.xls")


def test_an_xls_is_refused_by_the_upload_check_itself_before_calamine_opens_it() -> None:
    with pytest.raises(
        WorkbookError, match=r"'Delivery plan' is too big to read: it has values as far as cell IV65536"
    ):
        check_file(hostile.xls_far_corner(), "plan.xls")


def test_an_xls_dimensions_record_beyond_the_xls_grid_is_refused_as_calamine_would_abort_on_it() -> None:
    data = hostile.xls([("Delivery plan", hostile.xls_dimensions(0xFFFFFFF0, 0xFFFF) + hostile.xls_label(0, 0, "Ref"))])
    for read in (check_file, read_workbook):
        with pytest.raises(WorkbookError, match=r"'Delivery plan' says it spans 4,294,967,280 rows by 65,535 columns"):
            read(data, "plan.xls")


def test_an_xls_dimensions_record_within_the_grid_refuses_nothing_and_hides_nothing() -> None:
    honest_cells = hostile.xls_label(0, 0, "Ref") + hostile.xls_number(1, 1, 3.5)
    book = read_workbook(hostile.xls([("Plan", hostile.xls_dimensions(65536, 256) + honest_cells)]), "plan.xls")
    assert [[c.value for c in row] for row in book.sheets[0].rows] == [["Ref", None], [None, 3.5]]
    lying_small = hostile.xls(
        [("Plan", hostile.xls_dimensions(1, 1) + hostile.xls_number(0, 199) + hostile.xls_rk(65535, 0))]
    )
    with pytest.raises(WorkbookError, match="to cell GR65536"):
        check_file(lying_small, "plan.xls")


def test_formatted_but_empty_xls_cells_do_not_count_towards_the_size() -> None:
    data = hostile.xls([("Plan", hostile.xls_label(0, 0, "Ref") + hostile.xls_blank(65535, 255))])
    assert [[c.value for c in row] for row in read_workbook(data, "plan.xls").sheets[0].rows] == [["Ref"]]


def test_the_xls_limits_come_from_settings_and_every_value_record_counts(settings: Any) -> None:
    ten_rows = hostile.xls([("Plan", b"".join(hostile.xls_rk(r, 0) for r in range(10)))])
    assert check_file(ten_rows, "plan.xls") == "xls"
    settings.IMPORT_MAX_ROWS = 9
    with pytest.raises(WorkbookError, match=r"'Plan' .* A10 \(10 rows by 1 column\).*at most 9 rows"):
        check_file(ten_rows, "plan.xls")
    settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_COLUMNS = 100, 20
    for cells, far in (
        (hostile.xls_number(0, 20), "U1"),
        (hostile.xls_label(0, 20, "x"), "U1"),
        (hostile.xls_labelsst(0, 20), "U1"),
        (hostile.xls_mulrk(0, 10, 11), "U1"),
    ):
        with pytest.raises(WorkbookError, match=f"as far as cell {far} "):
            check_file(hostile.xls([("Plan", cells)], strings=["x"]), "plan.xls")


def test_xls_text_is_counted_from_the_shared_strings_across_their_continue_records(settings: Any) -> None:
    # 10,000 characters run on into a CONTINUE record; "é" is 2 bytes in UTF-8: 10,000 + 10 bytes in all
    data = hostile.xls(
        [("Plan", hostile.xls_labelsst(0, 0, 0) + hostile.xls_labelsst(1, 0, 1))], strings=["a" * 10_000, "é" * 5]
    )
    settings.IMPORT_MAX_TEXT_BYTES = 10_010
    assert check_file(data, "plan.xls") == "xls"
    settings.IMPORT_MAX_TEXT_BYTES = 10_009
    with pytest.raises(WorkbookError, match="text once expanded"):
        check_file(data, "plan.xls")


def test_an_xls_encrypted_with_a_password_is_refused_with_the_password_message() -> None:
    from core.tabular.workbook import ENCRYPTED

    data = hostile.xls([("Plan", hostile.xls_number(0, 0))])
    filepass = hostile.record(0x002F, bytes(54))
    data = hostile.ole({"Workbook": _with_filepass(data, filepass)})
    with pytest.raises(WorkbookError) as error:
        check_file(data, "plan.xls")
    assert str(error.value) == ENCRYPTED


def _with_filepass(data: bytes, filepass: bytes) -> bytes:
    """The workbook stream of `data` with FILEPASS after the globals' BOF (offsets stay as they were plus
    the record's length, as each BOUNDSHEET is moved along)."""
    import struct
    from io import BytesIO

    import olefile

    stream = olefile.OleFileIO(BytesIO(data)).openstream("Workbook").read()
    bof_end = 4 + struct.unpack_from("<H", stream, 2)[0]
    return stream[:bof_end] + filepass + stream[bof_end:]


def test_a_damaged_compound_file_is_refused_as_damaged() -> None:
    from core.tabular.workbook import DAMAGED

    data = hostile.xls([("Plan", hostile.xls_number(0, 0))])
    broken = data[:1600]  # cut short: the stream's sectors are missing
    with pytest.raises(WorkbookError) as error:
        check_file(broken, "plan.xls")
    assert str(error.value) == DAMAGED


def test_an_xls_whose_sector_chains_loop_is_refused_before_calamine_follows_them_for_ever() -> None:
    from core.tabular.workbook import DAMAGED

    data = hostile.xls([("Plan", hostile.xls_number(0, 0))])
    looping = data[:512] + bytes(512) + data[1024:]  # every FAT entry points at sector 0: calamine used 24 GB
    for read in (check_file, read_workbook):
        with pytest.raises(WorkbookError) as error:
            read(looping, "plan.xls")
        assert str(error.value) == DAMAGED


def test_the_upload_page_refuses_a_hostile_xls_with_the_message_and_keeps_nothing(client, editor) -> None:
    from delivery.models import ImportRun
    from tests.factories import PASSWORD

    client.login(username=editor.username, password=PASSWORD)
    response = client.post(
        reverse("import-new"),
        {"file": SimpleUploadedFile("plan.xls", hostile.xls_far_corner()), "layout": "auto", "plan_name": ""},
    )
    assert response.status_code == 200
    assert "it has values as far as cell IV65536" in response.content.decode()
    assert not ImportRun.objects.exists()
