"""The shared renderers lay out any TableDocument: here a KPI-like table that is not Appendix 1, with
two banner levels, a merge-down column, a RAG column, formula-like text and a summary sheet. Each
file is opened and its structure checked."""

import csv
import io
from datetime import date

import docx
import openpyxl
import pypdf
import pytest

from core import documents
from core.documents import Block, Column, Row, SummarySheet, TableDocument, pdfworkers
from core.documents import pdf as pdf_renderer
from core.documents.document import merge_spans
from core.rag import FILL

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TRICKY = 'Commissioner\'s "Plan" & \\ café – 2025'


def text_of(element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def kpi(row_id: str, measure: str, value: str, rag: str | None, area: str = "Crime") -> Row:
    return Row(cells={"area": area, "measure": measure, "value": value}, rag=rag, group=area + row_id[:1])


@pytest.fixture
def doc() -> TableDocument:
    return TableDocument(
        title="Performance summary",
        subtitle="Quarter 1 2025/26",
        intro=["Position as at 30 June 2025", "Figures from the force's data team"],
        stamp=date(2025, 6, 30),
        subject="KPIs",
        columns=[
            Column("area", "Area", width=14, merge_down=True),
            Column("measure", "Measure", width=40),
            Column("value", "Value", width=12),
            Column("rag", "RAG", width=6, is_rag=True),
            Column("note", "Note", csv_only=True),
        ],
        blocks=[
            Block(
                "1. Reducing crime",
                children=[
                    Block(
                        "Neighbourhood crime",
                        rows=[
                            kpi("a1", "Burglary", "412", "R"),
                            kpi("a2", "Vehicle crime", "=1+1", "A"),
                            kpi("a3", "Robbery", "@SUM(A1:A2) <b>bold</b>", ""),
                        ],
                    ),
                    Block("", rows=[kpi("b1", "Shoplifting", "1,204", None, area="Retail")]),
                ],
            ),
            Block("2. Victims", rows=[kpi("c1", "Victim satisfaction", "81%\nup 2 points", "B", area="Victims")]),
        ],
        summaries=[
            SummarySheet(
                title="RAG by area",
                header=["Area", "Red", "Amber", "Not rated", "Total"],
                rows=[["Crime", 1, 1, 1, 3], ["+Victims", 0, 0, 0, 1]],
                total=["Total", 1, 1, 1, 4],
                note="Complete measures show Blue.",
            )
        ],
        footer="Performance summary · as at 30/06/2025",
        sheet_name="Performance",
        banner_labels=("Objective", "Theme"),
    )


def test_merge_spans_count_a_groups_rows_on_its_first_and_zero_on_the_rest():
    rows = [Row({}, group="a"), Row({}, group="a"), Row({}), Row({}), Row({}, group="b"), Row({}, group="a")]
    assert merge_spans(rows) == [2, 0, 1, 1, 1, 1]


def test_xlsx_has_the_heading_frozen_header_banners_rag_letters_text_not_formulas_and_the_summary(doc):
    book = openpyxl.load_workbook(io.BytesIO(documents.render(doc, "xlsx")))
    ws = book["Performance"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0][0] == "Performance summary" and rows[1][0] == "Quarter 1 2025/26"
    assert rows[3][0] == "Figures from the force's data team"
    assert rows[4][0] == "RAG: R Red, A Amber, G Green, B Complete, – Not rated"  # the key
    assert rows[6] == ["Area", "Measure", "Value", "RAG"]  # the csv-only column is not here
    assert ws.freeze_panes == "A8" and ws.auto_filter.ref == "A7:D15" and ws.print_title_rows == "$7:$7"
    assert rows[7][0] == "1. Reducing crime" and rows[8][0] == "Neighbourhood crime"
    assert {"A8:D8", "A9:D9", "A14:D14"} <= {str(r) for r in ws.merged_cells.ranges}
    assert [r[0] for r in rows[9:12]] == ["Crime", "Crime", "Crime"]  # repeated, so filters keep rows whole
    assert [r[3] for r in rows[9:12]] == ["R", "A", "–"] and not rows[12][3] and rows[14][3] == "B"
    assert ws.cell(row=10, column=4).fill.fgColor.rgb.endswith(FILL["R"])
    formula = ws.cell(row=11, column=3)
    assert formula.value == "=1+1" and formula.data_type == "s"
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)
    summary = [[c.value for c in r] for r in book["RAG by area"].iter_rows()]
    assert summary[0] == ["Area", "Red", "Amber", "Not rated", "Total"]
    assert summary[1] == ["Crime", 1, 1, 1, 3] and summary[3] == ["Total", 1, 1, 1, 4]
    assert summary[5][0] == "Complete measures show Blue."
    assert book["RAG by area"].cell(row=4, column=1).font.b


def test_docx_has_the_heading_a_repeated_header_row_merged_cells_rag_letters_and_the_summary(doc):
    document = docx.Document(io.BytesIO(documents.render(doc, "docx")))
    assert document.paragraphs[0].text == "Performance summary" and document.paragraphs[0].style.name == "Heading 1"
    assert [p.text for p in document.paragraphs[1:4]] == [
        "Quarter 1 2025/26",
        "Position as at 30 June 2025",
        "Figures from the force's data team",
    ]
    section = document.sections[0]
    assert section.page_width > section.page_height
    table, summary = document.tables
    assert table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
    assert [c.text for c in table.rows[0].cells] == ["Area", "Measure", "Value", "RAG"]
    trs = table._tbl.findall(f"{W}tr")
    assert text_of(trs[1]) == "1. Reducing crime" and trs[1].find(f".//{W}shd").get(f"{W}fill") == "1D70B8"
    assert text_of(trs[2]) == "Neighbourhood crime"
    merges = [tr.findall(f"{W}tc")[0].find(f".//{W}vMerge") for tr in trs[3:6]]
    assert merges[0].get(f"{W}val") == "restart" and merges[1] is not None and merges[2] is not None
    assert merges[1].get(f"{W}val") is None and text_of(trs[4].findall(f"{W}tc")[0]) == ""
    assert trs[6].findall(f"{W}tc")[0].find(f".//{W}vMerge") is None  # a group of one is not merged
    rags = [tr.findall(f"{W}tc")[-1] for tr in trs[3:7]]
    assert [text_of(tc) for tc in rags] == ["R", "A", "–", ""]
    assert rags[0].find(f".//{W}shd").get(f"{W}fill") == FILL["R"]
    assert "@SUM(A1:A2) <b>bold</b>" in text_of(trs[5])  # text, never markup
    assert [p.text for p in table.rows[-1].cells[1].paragraphs] == ["Victim satisfaction"]
    assert [p.text for p in table.rows[-1].cells[2].paragraphs] == ["81%", "up 2 points"]
    assert [c.text for c in summary.rows[0].cells] == ["Area", "Red", "Amber", "Not rated", "Total"]
    assert [c.text for c in summary.rows[-1].cells] == ["Total", "1", "1", "1", "4"]
    assert "RAG by area" in [p.text for p in document.paragraphs]
    footer = section.footer._element
    assert "Performance summary · as at 30/06/2025 · Page" in text_of(footer)
    assert 'w:instr="PAGE"' in footer.xml and 'w:instr="NUMPAGES"' in footer.xml
    assert document.core_properties.created.date() == date(2025, 6, 30)


def test_pdf_has_the_heading_banners_rows_rag_letters_summary_footer_and_page_numbers(doc):
    reader = pypdf.PdfReader(io.BytesIO(documents.render(doc, "pdf")))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Performance summary" in text and "Figures from the force's data team" in text
    assert text.index("1. Reducing crime") < text.index("Neighbourhood crime") < text.index("Burglary")
    assert text.index("Shoplifting") < text.index("2. Victims") < text.index("Victim satisfaction")
    assert "=1+1" in text
    assert "@SUM(A1:A2) <b>bold</b>" in text and "81%\nup 2 points" in text
    assert "RAG by area" in text and "Complete measures show Blue." in text
    assert "Performance summary · as at 30/06/2025" in text and f"Page 1 of {len(reader.pages)}" in text
    assert reader.trailer["/ID"][0] == doc.content_hash()[:32]
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    html = pdf_renderer.html(doc, pdf_renderer.chunks(doc, 1)[0], True, True, pdf_renderer.context(doc))
    assert 'rowspan="3"' in html  # "Crime" spans its three rows
    assert '<td class="rag rag-R">R</td>' in html and '<td class="rag rag-none">–</td>' in html


def test_csv_has_banners_as_columns_rag_words_repeated_merged_cells_and_no_formulas(doc):
    blob = documents.render(doc, "csv")
    assert blob.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(blob.decode("utf-8-sig"))))
    assert rows[0] == ["Objective", "Theme", "Area", "Measure", "Value", "RAG", "Note"]
    assert rows[1] == ["1. Reducing crime", "Neighbourhood crime", "Crime", "Burglary", "412", "Red", ""]
    assert rows[2][4] == "'=1+1" and rows[3][4].startswith("'@SUM") and rows[3][5] == "Not rated"
    assert rows[4][1:3] == ["", "Retail"] and rows[4][5] == ""
    assert rows[5][:2] == ["2. Victims", ""] and rows[5][5] == "Complete"
    assert all(not cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "pdf", "csv"])
def test_the_same_document_gives_the_same_bytes(doc, fmt):
    assert documents.render(doc, fmt) == documents.render(doc, fmt)


def test_render_refuses_an_unknown_format(doc):
    with pytest.raises(ValueError, match="No renderer for 'odt'"):
        documents.render(doc, "odt")


def test_css_string_escapes_quotes_backslashes_newlines_markup_and_non_ascii():
    assert pdf_renderer.css_string("a'b") == '"a\'b"'
    assert pdf_renderer.css_string('say "hi" \\ now') == '"say \\"hi\\" \\\\ now"'
    assert pdf_renderer.css_string("x\n</style>&é") == '"x\\00000A \\00003C /style\\00003E \\000026 \\0000E9 "'


def test_pdf_footer_shows_quotes_ampersands_backslashes_and_unicode_as_written(doc):
    """It once showed `Commissioneru0027s Plan` (escapejs inside a CSS string)."""
    doc.title = doc.footer = TRICKY
    reader = pypdf.PdfReader(io.BytesIO(documents.render(doc, "pdf")))
    lines = [line for p in reader.pages for line in p.extract_text().splitlines()]
    assert TRICKY in lines  # the h1
    assert any(line.startswith(TRICKY) and "Page 1 of" in line for line in lines)  # the footer
    assert reader.metadata.title == TRICKY


def test_weasyprint_subsets_the_embedded_fonts_with_harfbuzz():
    """make setup (scripts/ensure-system-packages) installs HarfBuzz's subsetter: without it WeasyPrint
    warns on every PDF and subsets each chunk's fonts with fontTools in Python instead, 6-10 % of a
    big extract's time."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    from tests.conftest import require_service

    require_service(
        "HarfBuzz-subset 4.1+",
        harfbuzz_subset is not None and harfbuzz.hb_version_atleast(4, 1, 0),
        "run scripts/ensure-system-packages (apt-get install libharfbuzz-subset0)",
    )


@pytest.fixture
def fonttools_subsetting(monkeypatch):
    """Subset fonts with fontTools, as WeasyPrint does where HarfBuzz-subset is older than 4.1 (or
    for variable and emoji fonts): it writes the time into each font's `head` table."""
    import weasyprint.pdf.fonts

    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)


def _clock(monkeypatch, seconds: float) -> None:
    import fontTools.misc.timeTools as time_tools

    class Clock:
        @staticmethod
        def time() -> float:
            return seconds

    monkeypatch.setattr(time_tools, "time", Clock)


def test_pdf_bytes_do_not_depend_on_the_clock_even_when_fonttools_subsets_the_fonts(
    doc, fonttools_subsetting, monkeypatch
):
    html = pdf_renderer.html(doc, pdf_renderer.chunks(doc, 1)[0], True, True, pdf_renderer.context(doc))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    _clock(monkeypatch, 1_750_000_000)
    early = pdfworkers.render_html(html), documents.render(doc, "pdf")
    _clock(monkeypatch, 1_750_003_601)
    late = pdfworkers.render_html(html), documents.render(doc, "pdf")
    assert early[0] != late[0]  # the cause: WeasyPrint on its own writes the clock into the fonts
    assert early[1] == late[1]  # the renderer dates them by the document instead
    assert "SOURCE_DATE_EPOCH" not in __import__("os").environ  # and leaves the environment as it was


def test_pdf_rendered_in_workers_is_the_same_file_as_in_process(doc, settings, monkeypatch):
    monkeypatch.setattr(pdf_renderer, "CHUNK_ROWS", 2)
    settings.EXTRACT_PDF_WORKERS = 2
    in_workers = documents.render(doc, "pdf")
    settings.EXTRACT_PDF_WORKERS = 0
    assert documents.render(doc, "pdf") == in_workers
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(in_workers)).pages)
    assert "1. Reducing crime (continued)" in text and "RAG by area" in text
