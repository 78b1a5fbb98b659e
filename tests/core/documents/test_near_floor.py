"""The renderers written near their floors (issue 13): Word's body written as text into a frame that
python-docx makes once per language, the PDF's table with separate borders and absolute widths."""

import io
import itertools
import re
import zipfile
from dataclasses import replace
from datetime import date

import docx
import pytest
from lxml import etree

from core import documents
from core.documents import Block, Column, Row, TableDocument
from core.documents import pdf as pdf_renderer

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def doc() -> TableDocument:
    rows = [
        Row({"ref": "1.1", "text": "Line one\nLine two", "owner": "Supt Paley"}, rag="R", group="1"),
        Row({"ref": "1.1", "text": "Bell\x07 and form\x0cfeed <b>&</b>", "owner": ""}, rag="", group="1"),
        Row({"ref": "1.2", "text": "", "owner": "CI Preece"}, rag=None, group="2"),
    ]
    return TableDocument(
        title="Appendix 1 – Delivery Plan Extract",
        subtitle="Safer Testshire Plan",
        intro=["Position as at 30 June 2025"],
        stamp=date(2025, 6, 30),
        subject="Safer Testshire Plan",
        columns=[
            Column("ref", "Ref", width=7, merge_down=True, identifies=True),
            Column("text", "Supporting activity", width=40),
            Column("owner", "Owner/s", width=20),
            Column("rag", "RAG", width=6, is_rag=True),
        ],
        blocks=[Block("1. Putting victims first", children=[Block("Policing element", rows=rows)])],
        footer="Appendix 1 · as at 30/06/2025",
    )


def parts(blob: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        return {info.filename: z.read(info.filename) for info in z.infolist()}


def test_word_parts_are_well_formed_xml_with_no_placeholder_left(doc):
    files = parts(documents.render(doc, "docx"))
    for name, data in files.items():
        if name.endswith((".xml", ".rels")):
            etree.fromstring(data)  # raises on anything malformed
            assert "\ue000".encode() not in data, name
    document = files["word/document.xml"].decode()
    assert "<b>" not in document and "&lt;b&gt;&amp;&lt;/b&gt;" in document  # text, never markup
    assert "Bell and formfeed" in document  # characters XML cannot hold are dropped
    core = files["docProps/core.xml"].decode()
    assert "<dc:title>Appendix 1 – Delivery Plan Extract</dc:title>" in core
    assert core.count("2025-06-30T12:00:00Z") == 2 and "1999" not in core


def test_word_frame_is_shared_but_each_file_has_its_own_title_footer_date_and_rows(doc):
    other = replace(
        doc,
        title="Performance summary",
        footer="KPIs & more",
        stamp=date(2024, 1, 31),
        blocks=[Block("", rows=[Row({"ref": "K1", "text": "Burglary", "owner": "DCI Shaw"}, rag="G")])],
    )
    first, second = documents.render(doc, "docx"), documents.render(other, "docx")
    assert documents.render(doc, "docx") == first  # reproducible
    word = docx.Document(io.BytesIO(second))
    assert word.paragraphs[0].text == "Performance summary" and word.paragraphs[0].style.name == "Heading 1"
    assert "KPIs & more · Page" in "".join(t.text for t in word.sections[0].footer._element.iter(f"{W}t"))
    assert word.core_properties.created.date() == date(2024, 1, 31)
    assert [c.text for c in word.tables[0].rows[-1].cells] == ["K1", "Burglary", "DCI Shaw", "G"]
    assert "Supt Paley" not in parts(second)["word/document.xml"].decode()


def test_word_body_cells_take_widths_from_the_grid_and_spacing_from_the_table_style(doc):
    files = parts(documents.render(doc, "docx"))
    document = etree.fromstring(files["word/document.xml"])
    table = document.find(f".//{W}tbl")
    assert table.find(f"{W}tblPr/{W}tblLayout").get(f"{W}type") == "fixed"
    assert len(table.findall(f"{W}tblGrid/{W}gridCol")) == 4
    header, *rows = table.findall(f"{W}tr")
    assert all(tc.find(f"{W}tcPr/{W}tcW") is not None for tc in header.findall(f"{W}tc"))
    body = rows[2]  # the first activity row, after the two banners
    assert [tc.find(f"{W}tcPr/{W}tcW") for tc in body.findall(f"{W}tc")] == [None] * 4
    assert [len(tc.findall(f"{W}p")) for tc in body.findall(f"{W}tc")[:2]] == [1, 2]  # a paragraph a line
    styles = files["word/styles.xml"].decode()
    grid = styles[styles.index('w:styleId="TableGrid"') :]
    assert re.search(r'<w:spacing w:after="40"', grid[: grid.index("</w:style>")])


def test_pdf_table_has_separate_borders_a_fixed_layout_and_absolute_widths(doc):
    ctx = pdf_renderer.context(doc)
    html = pdf_renderer.html(doc, pdf_renderer.chunks(doc, 1)[0], True, True, ctx)
    assert "border-collapse: separate" in html and "table-layout: fixed" in html and "collapse;" not in html
    widths = [float(w) for w in re.findall(r"\.c-\w+ \{ width: ([\d.]+)mm; \}", html)]
    assert len(widths) == 4 and "%" not in "".join(re.findall(r"\.c-\w+ \{[^}]*\}", html))
    assert sum(widths) <= pdf_renderer.TABLE_MM and sum(widths) == pytest.approx(pdf_renderer.TABLE_MM, abs=0.01)
    assert f"table {{ width: {pdf_renderer.TABLE_MM:.3f}mm;" in html


def grid(page) -> tuple[list[tuple[float, ...]], list[tuple[tuple[float, ...], tuple[float, ...]]]]:
    """A page's cell borders (pdfworkers.draw_cell_borders: a marked artifact that strokes them 0.25pt
    wide in #808080) as (x, y, width, height) in points from the top left, and the shading it adds
    (merged cells going on across a page break) as (colour, rectangle)."""
    import pikepdf

    rectangles, fills = [], []
    inside = None  # the artifact being read: its rectangles, fills and stroke style
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "BMC" and str(operands[0]) == "/Artifact":
            inside = {"re": [], "fills": [], "style": [], "colour": None, "stroked": False}
        elif inside is None:
            continue
        elif op == "re":
            inside["re"].append(tuple(float(v) for v in operands))
        elif op == "rg":
            inside["colour"] = tuple(round(float(v), 3) for v in operands)
        elif op == "f":
            inside["fills"] += [(inside["colour"], r) for r in inside["re"]]
            inside["re"] = []
        elif op in ("RG", "w"):
            inside["style"].append((op, [round(float(v), 3) for v in operands]))
        elif op == "S":
            assert inside["style"] == [("RG", [0.502, 0.502, 0.502]), ("w", [0.25])]
            inside["stroked"] = True
        elif op == "EMC":
            if inside["stroked"]:  # the borders' artifact (WeasyPrint's backgrounds are artifacts too)
                rectangles += inside["re"]
                fills += inside["fills"]
            inside = None
    return rectangles, fills


def grid_rectangles(page) -> list[tuple[float, ...]]:
    return grid(page)[0]


def test_pdf_cell_borders_are_one_rectangle_a_cell_drawn_where_the_cell_is(doc):
    """WeasyPrint draws no cell border (the CSS has none); the workers stroke one rectangle a cell,
    inside its border box, as WeasyPrint's own 0.25pt border was: the cells tile the table."""
    import pikepdf

    html = chunk_html(doc)
    assert not re.search(r"\bborder[\w-]*:", re.search(r"th, td \{[^}]*\}", html).group(0))
    pdf = pikepdf.open(io.BytesIO(documents.render(doc, "pdf")))
    assert len(pdf.pages) == 1
    rectangles = grid_rectangles(pdf.pages[0])
    assert len(rectangles) == len(re.findall(r"<t[dh][ >]", html)) == 18
    left = (12 + 8 * 25.4 / 96) * 72 / 25.4 + 0.125  # page and body margins, half the line
    width = pdf_renderer.TABLE_MM * 72 / 25.4 - 0.25
    rows: dict[float, list] = {}
    for x, y, w, h in rectangles:
        rows.setdefault(round(y, 2), []).append((x, w, h))
    tops = sorted(rows)
    assert len(tops) == 6  # the header row, two banners, three rows
    for top, below in zip(tops, [*tops[1:], None], strict=True):
        cells = sorted(rows[top])
        assert cells[0][0] == pytest.approx(left, abs=0.01)
        assert sum(w for _, w, _ in cells) + 0.25 * (len(cells) - 1) == pytest.approx(width, abs=0.01)
        for (x, w, _), (next_x, _, _) in itertools.pairwise(cells):
            assert x + w + 0.25 == pytest.approx(next_x, abs=0.01)  # side by side, a line apart
        assert len({h for _, _, h in cells}) == 1  # as tall as the row
        if below is not None:
            assert top + cells[0][2] + 0.25 == pytest.approx(below, abs=0.01)  # rows touch too
    assert [len(rows[top]) for top in tops] == [4, 1, 1, 4, 4, 4]


def test_pdf_cell_borders_are_drawn_on_every_page_of_a_long_table_with_its_repeated_header(doc):
    import pikepdf

    rows = [
        Row({"ref": f"1.{i}", "text": f"Activity {i}", "owner": "Supt Paley"}, rag="G", group=str(i)) for i in range(90)
    ]
    long = replace(doc, blocks=[Block("1. Putting victims first", rows=rows)])
    html = chunk_html(long)
    pdf = pikepdf.open(io.BytesIO(documents.render(long, "pdf")))
    pages = [grid_rectangles(page) for page in pdf.pages]
    assert len(pages) >= 3
    # every cell once, and the header row again on each later page
    assert sum(len(p) for p in pages) == len(re.findall(r"<t[dh][ >]", html)) + 4 * (len(pages) - 1)
    for rectangles in pages:
        top = min(y for _, y, _, _ in rectangles)
        assert len([r for r in rectangles if r[1] == top]) == 4  # the header row heads every page
        tops = sorted({round(y, 2) for _, y, _, _ in rectangles})
        heights = {round(y, 2): h for _, y, _, h in rectangles}
        for above, below in itertools.pairwise(tops):
            assert above + heights[above] + 0.25 == pytest.approx(below, abs=0.01)  # no gap, no overlap


def test_pdf_a_cell_merged_down_across_page_breaks_is_ruled_and_shaded_to_its_last_row(doc):
    """WeasyPrint lays out a merged cell that goes on to the next page one row tall, and nothing of it
    on the next page; the borders drawn after layout take it to the page's last row and rule and shade
    the rows it still spans on the next pages, so every row of every column has one cell's rectangle."""
    import pikepdf

    columns = [*doc.columns[:1], Column("commitment", "Commitment", width=30, merge_down=True), *doc.columns[1:]]
    rows = [
        Row(
            {"ref": "1.1", "commitment": "Merged", "text": f"Activity {i}", "owner": "Supt Paley"},
            rag="G",
            group=str(i // 30),
        )
        for i in range(90)
    ]
    long = replace(doc, columns=columns, blocks=[Block("1. Putting victims first", rows=rows)])
    pdf = pikepdf.open(io.BytesIO(documents.render(long, "pdf")))
    assert len(pdf.pages) >= 4
    shaded_rows = 0
    for page in pdf.pages:
        rectangles, fills = grid(page)
        top = min(y for _, y, _, _ in rectangles)
        header = sorted(r for r in rectangles if r[1] == top)
        assert len(header) == 5
        refs = [r for r in rectangles if r[0] == header[0][0] and r[2] == header[0][2] and r[1] > top]
        merged_x = header[1][0] + header[1][2] / 2
        for _, y, _, h in refs:  # every body row (the ref is on every row)
            middle = y + h / 2
            for x, _, w, _ in header:
                inside = [r for r in rectangles if r[0] <= x + w / 2 <= r[0] + r[2] and r[1] <= middle <= r[1] + r[3]]
                assert len(inside) == 1, (x, y)  # one cell's rectangle, no gap, no overlap
            shaded = [c for c, r in fills if r[0] <= merged_x <= r[0] + r[2] and r[1] <= middle <= r[1] + r[3]]
            assert shaded in ([], [(0.953, 0.949, 0.945)])  # the merged cell's own shading
            shaded_rows += bool(shaded)
    assert shaded_rows > 20  # the rows a merged cell spans below its first, on the pages it goes on to


def chunk_html(doc: TableDocument) -> str:
    ctx = pdf_renderer.context(doc)
    return pdf_renderer.html(doc, pdf_renderer.chunks(doc, 1)[0], True, True, ctx)


def test_pdf_chunks_are_parsed_as_xml_and_give_the_same_file_as_the_html5_parser(doc, monkeypatch):
    from xml.etree import ElementTree

    from weasyprint import HTML

    from core.documents import pdfworkers

    clean = replace(
        doc,
        blocks=[
            Block(
                doc.blocks[0].title,
                children=[
                    Block(
                        "Policing element",
                        rows=[
                            Row(
                                {
                                    "ref": "1.1",
                                    "text": 'Line one\r\nLine two & <three> "quoted" it\'s',
                                    "owner": "Supt Paley",
                                },
                                rag="R",
                            ),
                            Row({"ref": "1.2", "text": "Ünïcödé – “quotes” ✓", "owner": ""}, rag=None),
                        ],
                    )
                ],
            )
        ],
    )
    html = chunk_html(clean)
    ElementTree.fromstring(html)  # noqa: S314 - the template and the body rows are well-formed XML
    parsed = []
    monkeypatch.setattr(ElementTree, "fromstring", lambda text: parsed.append(1) or ElementTree.XML(text))
    by_xml = pdfworkers.render_html(html, 0, 1, **pdfworkers.TAGGED)
    assert parsed == [1]
    table_html = pdfworkers._html_class()
    monkeypatch.setattr(table_html, "__init__", lambda self, string: HTML.__init__(self, string=string))
    assert pdfworkers.render_html(html, 0, 1, **pdfworkers.TAGGED) == by_xml  # tinyhtml5, WeasyPrint's own


def test_pdf_text_that_xml_cannot_hold_goes_to_the_html5_parser(doc):
    from xml.etree import ElementTree

    import pypdf

    from core.documents import pdfworkers

    html = chunk_html(doc)  # a bell and a form feed: not XML
    with pytest.raises(ElementTree.ParseError, match="not well-formed"):
        ElementTree.fromstring(html)  # noqa: S314 - our own markup
    text = pypdf.PdfReader(io.BytesIO(pdfworkers.render_html(html, 0, 1, **pdfworkers.TAGGED))).pages[0].extract_text()
    text = text.replace("\x00", "")  # pypdf reads the subset font's text as UTF-16
    assert "Bell" in text and "<b>&</b>" in text and "CI Preece" in text


def test_excel_cells_are_written_through_xlsxwriters_undecorated_write_string():
    """xlsx.py writes each cell with Worksheet._write_string (write_string less its decorator): were
    xlsxwriter to rename it, the file would be the same but the loop a fifth slower."""
    import inspect

    import xlsxwriter
    from xlsxwriter.worksheet import Worksheet

    assert list(inspect.signature(Worksheet._write_string).parameters) == [
        "self",
        "row",
        "col",
        "string",
        "cell_format",
    ]
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = wb.add_worksheet()
    bold = wb.add_format({"bold": True})
    assert ws._write_string(0, 0, "=1+1", bold) == 0 and ws.write_string(0, 1, "=1+1", bold) == 0
    assert ws.table[0][0] == ws.table[0][1]  # the same shared string and format: the same cell
