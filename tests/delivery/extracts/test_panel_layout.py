"""Appendix 1 as the panel expects it: the RAG column wide enough for its header on one line in every
file, "position as at" written once, and no import date shown as if it were an update's date."""

from __future__ import annotations

import io
from datetime import date

import docx
import openpyxl
import pytest

from core.documents import pdf as pdf_renderer
from delivery import services
from delivery.extracts import appendix_document, render_extract
from delivery.extracts.document import BOLD_EM, HEADER_FIT
from delivery.extracts.rows import extract_rows
from delivery.models import Extract, ProgressUpdate
from tests.delivery.importers.test_dated_history import load, tracker

pytestmark = pytest.mark.django_db

ALL = list(Extract.COLUMNS)


def _data(plan, as_at, **kw):
    return extract_rows(plan=plan, as_at=as_at, columns=ALL, title="Appendix 1 – Delivery Plan Extract", **kw)


def _needed_mm(label: str, fmt: str) -> float:
    _, em_mm, pad_mm = HEADER_FIT[fmt]
    return len(label) * BOLD_EM * em_mm + pad_mm


def test_the_rag_column_fits_its_header_on_one_line_in_word_excel_and_pdf(appendix_plan):
    plan, _ = appendix_plan
    data = _data(plan, date(2025, 6, 30))
    word = docx.Document(io.BytesIO(render_extract(data, "docx")))
    grid = word.tables[0]._tbl.tblGrid
    widths = [int(c.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}w")) for c in grid]
    rag_mm = widths[ALL.index("rag")] / 20 * 25.4 / 72  # twentieths of a point to mm
    assert rag_mm >= _needed_mm("RAG", "docx")

    book = openpyxl.load_workbook(io.BytesIO(render_extract(data, "xlsx")))
    sheet = book["Appendix 1"]
    letter = openpyxl.utils.get_column_letter(ALL.index("rag") + 1)
    assert sheet.column_dimensions[letter].width >= len("RAG") + 2

    mm = pdf_renderer.context(appendix_document(data))["mm"]
    assert mm["rag"] >= _needed_mm("RAG", "pdf")


def test_the_position_as_at_line_is_written_once(appendix_plan):
    plan, _ = appendix_plan
    as_at = date(2025, 6, 30)
    with_subtitle = _data(plan, as_at, subtitle=f"Safer Testshire Plan: position as at {as_at:%-d %B %Y}")
    doc = appendix_document(with_subtitle)
    lines = [doc.subtitle, *doc.intro]
    assert sum("as at 30 june 2025" in line.lower() for line in lines) == 1
    plain = appendix_document(_data(plan, as_at, subtitle="Safer Testshire Plan"))
    assert sum("as at 30 june 2025" in line.lower() for line in [plain.subtitle, *plain.intro]) == 1
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(render_extract(with_subtitle, "docx"))).paragraphs)
    assert text.lower().count("position as at") == 1


def test_an_undated_imported_entry_shows_no_date_and_a_dated_one_shows_its_own(editor):
    q1 = date(2022, 6, 30)
    load(tracker("G", "Campaign planned.", "", "150622 – Trainer booked."), editor, q1)
    undated = ProgressUpdate.objects.get(activity__commitment__ref="1", kind=ProgressUpdate.Kind.IMPORT)
    dated = ProgressUpdate.objects.get(activity__commitment__ref="2", kind=ProgressUpdate.Kind.IMPORT)
    assert (undated.on, undated.undated) == (q1, True)  # recorded as at the import, and says so
    assert (dated.on, dated.undated) == (date(2022, 6, 15), False)
    plan = undated.activity.commitment.plan
    for as_at in (date(2022, 7, 31), date.today()):  # a past date (from the trail) and now (the activity)
        rows = {r.ref: r.cell("progress") for o in _data(plan, as_at).objectives for r in o.rows}
        assert rows == {"1": "Campaign planned.", "2": "15/06/22 – Trainer booked."}


def test_a_later_dated_update_by_hand_shows_its_date_again(editor):
    load(tracker("G", "Campaign planned.", "", "Not started."), editor, date(2022, 6, 30))
    plan = ProgressUpdate.objects.filter(kind=ProgressUpdate.Kind.IMPORT).first().activity.commitment.plan
    activity = plan.commitments.get(ref="1").activities.get()
    services.activity_record_update(
        activity=activity, by=editor, rag="A", status="in_progress", text="Leaflets delayed.",
        seen_version=activity.version, on=date(2022, 8, 1),
    )  # fmt: skip
    rows = {r.ref: r.cell("progress") for o in _data(plan, date(2022, 8, 31)).objectives for r in o.rows}
    assert rows["1"] == "01/08/22 – Leaflets delayed."


def test_the_activity_page_says_an_imported_entry_is_undated_and_gives_a_dated_one_its_date(client, editor):
    load(tracker("G", "Campaign planned.", "", "150622 – Trainer booked."), editor, date(2022, 6, 30))
    undated = ProgressUpdate.objects.get(activity__commitment__ref="1", kind=ProgressUpdate.Kind.IMPORT)
    dated = ProgressUpdate.objects.get(activity__commitment__ref="2", kind=ProgressUpdate.Kind.IMPORT)
    client.force_login(editor)
    page = client.get(undated.activity.get_absolute_url()).content.decode()
    assert "Undated (imported 30 June 2022)" in page
    page = client.get(dated.activity.get_absolute_url()).content.decode()
    assert "15 June 2022 ·" in page and "Undated" not in page
