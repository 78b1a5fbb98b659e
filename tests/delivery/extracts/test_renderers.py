"""Open what was generated and check its structure: banners, order, RAG letters and fills, the
repeated header, as-at correctness, and that nothing can run as a formula."""

import csv
import io
from datetime import date

import docx
import openpyxl
import pypdf
import pytest

from delivery.extracts.renderers import RAG_FILL, render_csv, render_docx, render_pdf, render_xlsx
from delivery.extracts.rows import extract_rows
from delivery.models import Extract

pytestmark = pytest.mark.django_db
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def text_of(element) -> str:
    """The text of Word XML: its w:t nodes (lxml's itertext repeats them on python-docx's classes)."""
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


@pytest.fixture
def data(appendix_plan):
    plan, _ = appendix_plan
    return extract_rows(
        plan=plan,
        as_at=date(2025, 6, 30),
        columns=list(Extract.COLUMNS),
        title="Appendix 1 – Delivery Plan Extract",
        subtitle="Safer Testshire Plan",
    )


def test_xlsx_has_banners_rows_in_order_rag_fills_frozen_header_and_a_summary_sheet(data):
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(data)))
    ws = book["Appendix 1"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=1)]
    header = rows[4]
    assert header == [
        "Ref",
        "Plan commitment",
        "Supporting activity",
        "Progress update",
        "Oversight mechanism(s)",
        "Owner/s",
        "Date",
        "RAG",
    ]
    assert ws.freeze_panes == "A6" and ws.auto_filter.ref.startswith("A5:H")
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToHeight == 0  # as many pages tall as needed, one page wide
    assert ws.print_title_rows == "$5:$5"
    body = rows[5:]
    assert body[0][0] == "1. Putting victims and survivors first"
    assert body[1][0] == "Policing element"
    assert [r[0] for r in body[2:5]] == ["3.2", "3.2", "3.10"]
    assert "A6:H6" in str(ws.merged_cells)
    ten = body[4]
    assert ten[3] == "01/05/25 – Before the date: on track." and ten[7] == "G"
    rag_cell = ws.cell(row=10, column=8)
    assert rag_cell.value == "G" and rag_cell.fill.fgColor.rgb.endswith(RAG_FILL["G"])
    assert "After the date" not in str(rows)
    summary = [[c.value for c in r] for r in book["RAG summary"].iter_rows()]
    assert summary[0][:3] == ["Objective", "Red", "Amber"] and summary[-3][0] == "Total"


def test_xlsx_text_that_looks_like_a_formula_stays_text(data):
    ws = openpyxl.load_workbook(io.BytesIO(render_xlsx(data)))["Appendix 1"]
    cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for text in ("=cmd|' /C calc'!A0", "+SUM(1,2)"):
        assert text in cells and cells[text].data_type == "s"
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)


def test_docx_is_landscape_with_a_repeated_header_shaded_banners_merged_refs_and_rag_letters(data):
    document = docx.Document(io.BytesIO(render_docx(data)))
    section = document.sections[0]
    assert section.page_width > section.page_height
    (table,) = document.tables
    header = table.rows[0]
    assert header._tr.find(f"{W}trPr/{W}tblHeader") is not None
    assert [c.text for c in header.cells] == [
        "Ref",
        "Plan commitment",
        "Supporting activity",
        "Progress update",
        "Oversight mechanism(s)",
        "Owner/s",
        "Date",
        "RAG",
    ]
    banner = table.rows[1]._tr
    assert banner.find(f".//{W}gridSpan").get(f"{W}val") == "8"
    assert banner.find(f".//{W}shd").get(f"{W}fill") == "1D70B8"
    assert "Putting victims and survivors first" in text_of(banner)
    first_commitment_row = table.rows[3]._tr
    merges = first_commitment_row.findall(f".//{W}vMerge")
    assert [m.get(f"{W}val") for m in merges] == ["restart", "restart"]
    assert table.rows[4]._tr.findall(f".//{W}vMerge")[0].get(f"{W}val") is None  # continues
    texts = [text_of(tr) for tr in table._tbl.findall(f"{W}tr")]
    assert texts.index(next(t for t in texts if t.startswith("3.2"))) < texts.index(
        next(t for t in texts if t.startswith("3.10"))
    )
    rag = [tc for tc in table.rows[5]._tr.findall(f"{W}tc")][-1]
    assert text_of(rag) == "G" and rag.find(f".//{W}shd").get(f"{W}fill") == RAG_FILL["G"]
    assert "After the date" not in "".join(texts)
    footer_xml = document.sections[0].footer._element.xml
    assert 'w:instr="PAGE"' in footer_xml and 'w:instr="NUMPAGES"' in footer_xml


def test_docx_escapes_markup_and_keeps_progress_as_plain_paragraphs(data):
    document = docx.Document(io.BytesIO(render_docx(data)))
    text = "\n".join(c.text for row in document.tables[0].rows for c in row.cells)
    assert "@SUM(A1:A9) -1 <script>alert(1)</script>" in text  # shown as text, never markup


def test_pdf_has_the_title_banners_rows_and_page_numbers(data):
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(data)))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Appendix 1 – Delivery Plan Extract" in text
    assert "1. Putting victims and survivors first" in text and "Policing element" in text
    assert text.index("3.2.1") < text.index("3.10.1")
    assert "Before the date: on track." in text and "After the date" not in text
    assert f"Page 1 of {len(reader.pages)}" in text
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height


def test_csv_neutralises_formulas_and_names_objective_and_section(data):
    rows = list(csv.reader(io.StringIO(render_csv(data).decode("utf-8-sig"))))
    assert rows[0][:3] == ["Objective", "Section", "Ref"]
    formula_row = next(r for r in rows if "SUM(1,2)" in r[4])
    assert formula_row[3].startswith("'=cmd") and formula_row[4] == "'+SUM(1,2)"
    assert formula_row[5].startswith("02/05/25")
    assert all(not cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)


@pytest.mark.parametrize("render", [render_xlsx, render_docx, render_pdf, render_csv])
def test_the_same_definition_gives_the_same_file(data, render):
    assert render(data) == render(data)
