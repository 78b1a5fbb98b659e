"""The files the panel receives (issue 10): PDF rows never split across pages (a row longer than a
page repeats its reference and RAG letter on each page), a tagged PDF (PDF/UA-1: structure tree,
language, title, table headers), a Word file with its language, title and a header row, and the
RAG key ("– Not rated") in PDF, Word and Excel."""

import io
import re
import zipfile
from dataclasses import replace
from datetime import date

import openpyxl
import pdfplumber
import pikepdf
import pytest

from core import rag
from core.documents import pdf as pdf_renderer
from delivery.extracts import appendix_document, render_extract
from delivery.extracts.rows import extract_rows
from delivery.models import Extract

pytestmark = pytest.mark.django_db
KEY = "RAG: R Red, A Amber, G Green, B Complete, – Not rated"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def data(appendix_plan):
    plan, _ = appendix_plan
    return extract_rows(
        plan=plan, as_at=date(2025, 6, 30), columns=list(Extract.COLUMNS), title="Appendix 1 – Delivery Plan Extract"
    )


def progress(marker: str, paragraphs: int) -> str:
    return "\n".join(
        f"{marker}p{i} " + "the board reviewed delivery and agreed next steps " * 3 for i in range(paragraphs)
    )


def paragraphs(n: int) -> int:
    return 1 + (n * 5) % 7  # up to about 30 lines: tall rows, none longer than a page


@pytest.fixture
def long_data(data):
    """Appendix 1 with 24 activities of varied, long progress text (a few paragraphs to most of a page)
    under 8 commitments, one activity longer than two pages, and some not rated."""
    section = data.objectives[0].sections[0]
    template = section.rows[0]
    rows = []
    for n in range(24):
        commitment = n // 3
        rows.append(
            replace(
                template,
                ref=f"9.{commitment + 1}",
                commitment=f"Commitment nine point {commitment + 1}",
                sub_ref="",
                activity=f"ACT{n:02d} begins the activity text",
                progress=progress(f"R{n:02d}", 100 if n == 10 else paragraphs(n)),
                progress_on=None,
                rag=["R", "A", "G", "B", ""][n % 5],
                first_of_commitment=n % 3 == 0,
                commitment_rows=3,
            )
        )
    section.rows = rows
    return data


def words_by_page(blob: bytes) -> list[list[dict]]:
    with pdfplumber.open(io.BytesIO(blob)) as pdf:
        return [page.extract_words(keep_blank_chars=False) for page in pdf.pages]


def column_x(doc, key: str) -> tuple[float, float]:
    """The x range (points) of a column of the pdf table, from the template's widths."""
    ctx = pdf_renderer.context(doc)
    left = (12 + 8 * 25.4 / 96) * 72 / 25.4  # page margin and body margin
    widths = ctx["widths"]
    keys = list(widths)
    start = left + sum(widths[k] for k in keys[: keys.index(key)]) * pdf_renderer.TABLE_MM / 100 * 72 / 25.4
    return start, start + widths[key] * pdf_renderer.TABLE_MM / 100 * 72 / 25.4


def test_pdf_rows_are_never_split_their_ref_activity_and_rag_letter_start_on_one_line_of_one_page(long_data):
    blob = render_extract(long_data, "pdf")
    doc = appendix_document(long_data)
    ref_x, rag_x = column_x(doc, "ref"), column_x(doc, "rag")
    pages = words_by_page(blob)
    assert len(pages) > 8
    found = {}
    for number, words in enumerate(pages):
        for word in words:
            match = re.fullmatch(r"ACT(\d\d)", word["text"])
            if not match:
                continue
            n = int(match.group(1))
            line = [w for w in words if abs(w["top"] - word["top"]) < 2]
            refs = [w["text"] for w in line if ref_x[0] <= w["x0"] < ref_x[1]]
            letters = [w["text"] for w in line if rag_x[0] <= w["x0"] < rag_x[1]]
            row = long_data.objectives[0].sections[0].rows[n]
            assert refs == [row.ref] and letters == [rag.letter(row.rag)], (n, number, refs, letters)
            # the row's first progress paragraph and its last word are on the same page as its start
            text = " ".join(w["text"] for w in words)
            if n != 10:
                assert f"R{n:02d}p0" in text and f"R{n:02d}p{paragraphs(n) - 1}" in text, (n, number)
            found[n] = number
    assert sorted(found) == list(range(24))  # every row's start was found once
    assert list(found.values()) == sorted(found.values())  # in order


def test_pdf_row_longer_than_a_page_repeats_its_ref_and_rag_letter_on_every_page_it_spans(long_data):
    blob = render_extract(long_data, "pdf")
    doc = appendix_document(long_data)
    ref_x, rag_x = column_x(doc, "ref"), column_x(doc, "rag")
    row = long_data.objectives[0].sections[0].rows[10]
    activity_x = column_x(doc, "activity")
    spanned = 0
    for words in words_by_page(blob):
        if not any(w["text"].startswith("R10p") for w in words):
            continue
        spanned += 1
        # where the row (or a continuation of it) starts on this page: every page has one
        starts = [
            w for w in words if w["text"] in ("ACT10", "(continued)") and activity_x[0] <= w["x0"] < activity_x[1]
        ]
        assert starts
        for start in starts:
            line = [w for w in words if abs(w["top"] - start["top"]) < 2]
            assert [w["text"] for w in line if ref_x[0] <= w["x0"] < ref_x[1]] == [row.ref]
            assert [w["text"] for w in line if rag_x[0] <= w["x0"] < rag_x[1]] == [rag.letter(row.rag)]
    assert spanned >= 3
    text = " ".join(w["text"] for page in words_by_page(blob) for w in page)
    assert all(f"R10p{i} " in text + " " for i in range(100))  # nothing lost in the cut


def test_pdf_cuts_only_rows_longer_than_a_page_and_keeps_their_text(data):
    doc = appendix_document(data)
    mm = pdf_renderer.context(doc)["mm"]
    assert pdf_renderer.split_long_rows(doc, mm) is doc  # nothing long: the same document
    long = "\n".join(f"line {i} " + "word " * 40 for i in range(80))
    doc.blocks[0].children[0].rows[0].cells["progress"] = long
    split = pdf_renderer.split_long_rows(doc, mm)
    pieces = split.blocks[0].children[0].rows[: len(split.blocks[0].children[0].rows) - 2]
    assert len(pieces) > 2 and len({r.group for r in pieces}) == 1 and {r.rag for r in pieces} == {"A"}
    assert all(r.cells["activity"].startswith("(continued)") for r in pieces[1:])
    assert " ".join(" ".join(r.cells["progress"].split()) for r in pieces) == " ".join(long.split())
    assert split.pdf_identifier() == doc.pdf_identifier()


def structure(blob: bytes):
    """The PDF's structure elements in document order, as (tag, element)."""
    pdf = pikepdf.open(io.BytesIO(blob))
    out = []

    def walk(element):
        out.append((str(element.S), element))
        for kid in element.get("/K", []):
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type", pikepdf.Name.StructElem) == "/StructElem":
                walk(kid)

    for kid in pdf.Root.StructTreeRoot.K:
        walk(kid)
    return pdf, out


@pytest.fixture(params=["in process", "in chunks"])
def rendering(request, monkeypatch, settings):
    if request.param == "in chunks":
        monkeypatch.setattr(pdf_renderer, "CHUNK_ROWS", 2)
        settings.EXTRACT_PDF_WORKERS = 2
    return request.param


def test_pdf_is_tagged_with_language_title_and_table_headers(data, rendering):
    blob = render_extract(data, "pdf")
    pdf, elements = structure(blob)
    root = pdf.Root
    assert "/StructTreeRoot" in root and root.MarkInfo.Marked
    assert str(root.Lang) == "en-GB"
    assert str(pdf.docinfo.Title) == data.title and root.ViewerPreferences.DisplayDocTitle
    assert b"pdfuaid:part" in root.Metadata.read_bytes()  # PDF/UA-1 identification
    tags = [tag for tag, _ in elements]
    assert tags[0] == "/Document" and tags[1] == "/H1" and "/P" in tags[2:4]
    assert {"/Table", "/THead", "/TBody", "/TR", "/TH", "/TD"} <= set(tags)
    columns = len(appendix_document(data).shown_columns())
    tables = [e for tag, e in elements if tag == "/Table"]
    appendix = tables[:-1]  # the last is the RAG summary
    for table in appendix:
        (head,) = [k for k in table.K if str(k.S) == "/THead"]
        (row,) = head.K
        ths = [cell for cell in row.K if str(cell.S) == "/TH"]
        assert len(ths) == columns and all(th.A.Scope == "/Column" for th in ths)
    ids = {bytes(th.ID) for tag, th in elements if tag == "/TH"}
    assert len(ids) == len([1 for tag, _ in elements if tag == "/TH"])  # unique across chunks
    names = root.StructTreeRoot.IDTree.Names
    assert {bytes(k) for k in names[::2]} == ids
    for tag, td in elements:
        if tag == "/TD":
            assert {bytes(h) for h in td.A.get("/Headers", [])} <= ids
    if rendering == "in chunks":
        assert len(pdf.pages) == 4 and len(appendix) == 4
    # reading order: heading, intro, the table, then the summary
    assert tags.index("/H2") > max(i for i, t in enumerate(tags) if t == "/Table" and elements[i][1] in appendix)
    page_keys = [int(page.obj.StructParents) for page in pdf.pages]
    nums = root.StructTreeRoot.ParentTree.Nums
    assert page_keys == list(range(len(pdf.pages))) and [int(k) for k in nums[::2]] == page_keys
    for page in pdf.pages:
        assert b"/Artifact <</Type /Pagination" in b"".join(c.read_bytes() for c in page.obj.Contents)


def test_pdf_cells_mark_their_text_themselves_and_the_parent_tree_points_at_them(data, rendering):
    """No Span element a line of text (WeasyPrint's own tagging): a cell's kids are its text's marked
    content, and each page's ParentTree entry maps that content back to the cell (pdfworkers.mark_cell_text)."""
    blob = render_extract(data, "pdf")
    pdf, elements = structure(blob)
    assert not [e for tag, e in elements if tag == "/Span" and str(e.P.S) in ("/TD", "/TH")]
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    by_page = {int(key): list(value) for key, value in zip(nums[::2], nums[1::2], strict=True)}
    page_of = {page.objgen: i for i, page in enumerate(pdf.pages)}
    cells = [e for tag, e in elements if tag in ("/TD", "/TH")]
    assert cells and all(all(isinstance(kid, int) for kid in cell.K) for cell in cells)
    marked = 0
    for cell in cells:
        for mcid in cell.K:
            assert by_page[page_of[cell.Pg.objgen]][mcid].objgen == cell.objgen
            marked += 1
    # and every entry that points at a cell is one of the cell's own
    assert marked == sum(str(e.S) in ("/TD", "/TH") for entries in by_page.values() for e in entries) > len(cells) / 2


def test_pdf_tree_keeps_the_rows_in_reading_order_across_chunks(data, rendering):
    blob = render_extract(data, "pdf")
    pdf, elements = structure(blob)
    page_of = {page.objgen: i for i, page in enumerate(pdf.pages)}
    pages = [page_of[e.Pg.objgen] for tag, e in elements if tag == "/TR"]
    assert pages == sorted(pages)


def test_word_file_has_its_language_title_and_a_marked_header_row(data):
    blob = render_extract(data, "docx")
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        styles, settings = z.read("word/styles.xml").decode(), z.read("word/settings.xml").decode()
        core, document = z.read("docProps/core.xml").decode(), z.read("word/document.xml").decode()
    defaults = styles[styles.index("<w:docDefaults") : styles.index("</w:docDefaults>")]
    assert 'w:lang w:val="en-GB"' in defaults and "en-US" not in styles
    assert re.search(r'<w:themeFontLang w:val="en-GB"', settings)
    assert f"<dc:title>{data.title}</dc:title>" in core and "<dc:language>en-GB</dc:language>" in core
    first_row = re.search(r"<w:tr><w:trPr>(.*?)</w:trPr>", document)
    assert "<w:tblHeader/>" in first_row.group(1)
    assert KEY in document


def test_not_rated_shows_a_dash_with_the_key_in_pdf_word_and_excel(data):
    data.objectives[1].sections[0].rows[0].rag = ""
    words = [w["text"] for page in words_by_page(render_extract(data, "pdf")) for w in page]
    assert words.count("–") >= 3  # the key, the title's dash and the not-rated cell
    assert KEY in " ".join(words)
    word = render_extract(data, "docx")
    with zipfile.ZipFile(io.BytesIO(word)) as z:
        document = z.read("word/document.xml").decode()
    assert KEY in document and '<w:t xml:space="preserve">–</w:t>' in document
    ws = openpyxl.load_workbook(io.BytesIO(render_extract(data, "xlsx")))["Appendix 1"]
    values = [c.value for row in ws.iter_rows() for c in row]
    assert KEY in values and "–" in values
