"""Open what was generated and check its structure: banners, order, RAG letters and fills, the
repeated header, as-at correctness, and that nothing can run as a formula."""

import csv
import io
import re
import signal
import sys
import time
from datetime import date

import docx
import openpyxl
import pypdf
import pytest

from core.documents import pdf as pdf_renderer
from core.documents import pdfworkers as pdf
from core.rag import FILL as RAG_FILL
from delivery.extracts import appendix_document, render_extract
from delivery.extracts.rows import extract_rows
from delivery.models import Extract

pytestmark = pytest.mark.django_db
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def render_xlsx(data, progress=None):
    return render_extract(data, "xlsx", progress)


def render_docx(data, progress=None):
    return render_extract(data, "docx", progress)


def render_pdf(data, progress=None):
    return render_extract(data, "pdf", progress)


def render_csv(data, progress=None):
    return render_extract(data, "csv", progress)


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


def test_the_documents_cells_are_the_rows_own_cells(data):
    """appendix_document reads the cells straight from each row: the same text as ExtractRow.cell."""
    doc = appendix_document(data)
    rows = [row for objective in data.objectives for row in objective.rows]
    cells = [row.cells for block in doc.blocks for row in block.all_rows]
    assert len(cells) == len(rows) > 3 and any(row.sub_ref for row in rows) and any(row.progress for row in rows)
    for row, shown in zip(rows, cells, strict=True):
        for key in ("ref", "commitment", "activity", "progress", "oversight", "owners", "date"):
            assert shown[key] == row.cell(key), key
        assert shown["status"] == row.status


def test_xlsx_has_banners_rows_in_order_rag_fills_frozen_header_and_a_summary_sheet(data):
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(data)))
    ws = book["Appendix 1"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=1)]
    assert rows[3][0] == "RAG: R Red, A Amber, G Green, B Complete, – Not rated"  # the key
    header = rows[5]
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
    assert ws.freeze_panes == "A7" and ws.auto_filter.ref.startswith("A6:H")
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToHeight == 0  # as many pages tall as needed, one page wide
    assert ws.print_title_rows == "$6:$6"
    body = rows[6:]
    assert body[0][0] == "1. Putting victims and survivors first"
    assert body[1][0] == "Policing element"
    assert [r[0] for r in body[2:5]] == ["3.2", "3.2", "3.10"]
    assert "A7:H7" in str(ws.merged_cells)
    ten = body[4]
    assert ten[3] == "01/05/25 – Before the date: on track." and ten[7] == "G"
    rag_cell = ws.cell(row=11, column=8)
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
    table, summary = document.tables  # Appendix 1, then the RAG summary
    assert [c.text for c in summary.rows[0].cells][:3] == ["Objective", "Red", "Amber"]
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


# --- PDF: big extracts are rendered in chunks by worker subprocesses, then merged and numbered ------


@pytest.fixture
def chunked(monkeypatch, settings):
    """Every commitment its own chunk (the fixture's 5 rows make 4), rendered by 2 worker processes."""
    monkeypatch.setattr(pdf_renderer, "CHUNK_ROWS", 2)
    settings.EXTRACT_PDF_WORKERS = 2


@pytest.fixture
def workers_seen(monkeypatch):
    """The worker processes started, to check none is left running or unreaped."""
    seen = []
    original = pdf._Worker.__init__

    def recording(self, *args, **kwargs):
        original(self, *args, **kwargs)
        seen.append(self.proc)

    monkeypatch.setattr(pdf._Worker, "__init__", recording)
    return seen


def page_texts(blob: bytes) -> list[str]:
    return [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(blob)).pages]


def test_pdf_chunks_keep_a_commitments_rows_together_and_all_rows_in_order(data):
    doc = appendix_document(data)
    rows = [r for block in doc.blocks for r in block.all_rows]
    pairs = [(r, d) for o in data.objectives for r, d in zip(o.rows, rows_of(doc, o), strict=True)]
    starts = {id(d) for r, d in pairs if r.first_of_commitment}
    sizes = {id(d): r.commitment_rows for r, d in pairs}
    for chunks in (1, 2, 3, 4, 10):
        runs = pdf_renderer.chunks(doc, chunks)
        assert len(runs) <= chunks
        assert [r for run in runs for _, _, part in run for r in part] == rows
        for run in runs:
            part = [r for _, _, p in run for r in p]
            assert id(part[0]) in starts
            assert sum(sizes[id(r)] for r in part if id(r) in starts) == len(part)


def rows_of(doc, objective):
    """The document rows of an objective's activities."""
    return next(b.all_rows for b in doc.blocks if b.title == f"{objective.order}. {objective.title}")


def test_pdf_in_chunks_repeats_banners_continued_has_one_title_and_numbers_every_page(data, chunked, workers_seen):
    progress = []
    blob = render_pdf(data, progress.append)
    texts = page_texts(blob)
    text = "\n".join(texts)
    assert len(workers_seen) == 2 and all(p.returncode == 0 for p in workers_seen)
    assert len(texts) == 4  # each chunk starts a page
    assert text.count("Appendix 1 – Delivery Plan Extract ·") == 4  # the footer, in every page
    assert text.count("Safer Testshire Plan") == 1 and "Position as at" in texts[0]
    assert "1. Putting victims and survivors first (continued)" in texts[1]
    assert "Policing element (continued)" in texts[1]  # 3.10 follows 3.2 in the same section
    assert "1. Putting victims and survivors first (continued)" in texts[2]
    assert "Police and Crime Commissioner's Commitments\n" in texts[2] + "\n"  # starts the section
    assert "(continued)" not in texts[3] and "2. Building a more secure Testshire" in texts[3]
    assert text.index("3.2.1") < text.index("3.10.1") < text.index("PCC activity") < text.index("+SUM(1,2)")
    for number, page in enumerate(texts, start=1):
        assert f"Page {number} of 4" in page
        assert all(header in page for header in ("Ref", "Plan commitment", "RAG"))  # the header row
    assert progress == sorted(progress) and progress[-1] == 100 and len(progress) >= 5


def test_pdf_in_chunks_is_reproducible_and_the_same_file_as_rendering_in_process(data, chunked, settings):
    in_workers = render_pdf(data)
    assert render_pdf(data) == in_workers
    settings.EXTRACT_PDF_WORKERS = 0
    assert render_pdf(data) == in_workers
    reader = pypdf.PdfReader(io.BytesIO(in_workers))
    assert reader.metadata.title == data.title
    assert reader.trailer["/ID"][0] == data.content_hash()[:32]  # the permanent part; the other from the content
    assert "/CreationDate" not in reader.metadata and "/ModDate" not in reader.metadata


def test_pdf_small_extract_renders_in_process(data, workers_seen):
    assert "Page 1 of 1" in page_texts(render_pdf(data))[0]
    assert workers_seen == []


def test_pdf_renders_in_workers_from_a_daemonic_process_like_a_celery_prefork_worker(data, chunked):
    """multiprocessing children are not allowed there; subprocess ones are."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def child():
        try:
            send.send(render_pdf(data))
        except Exception as exc:
            send.send(repr(exc))

    process = context.Process(target=child, daemon=True)
    process.start()
    result = receive.recv()
    process.join(30)
    assert result == render_pdf(data)


def test_pdf_shows_line_breaks_and_markup_as_text(data):
    data.objectives[0].sections[0].rows[0].progress = "First line\nSecond <b>line</b>"
    text = "\n".join(page_texts(render_pdf(data)))
    assert "First line\nSecond <b>line</b>" in text
    assert "@SUM(A1:A9) -1 <script>alert(1)</script>" in text.replace("\n", "")  # may wrap after the /


def test_pdf_worker_failure_raises_its_last_stderr_line_and_leaves_no_process(data, chunked, workers_seen, monkeypatch):
    """One worker fails on the second document; the other hangs on the first, and is killed, not waited for."""
    script = (
        "import sys, time\n"
        "head = sys.stdin.buffer.read(16)\n"  # the chunk's number, then its length
        "body = sys.stdin.buffer.read(int.from_bytes(head[8:], 'big'))\n"
        "if b'(continued)' in body:\n"
        "    sys.stderr.write('Traceback...\\nValueError: cannot lay out this\\n')\n"
        "    sys.exit(3)\n"
        "time.sleep(60)\n"
    )
    monkeypatch.setattr(pdf, "WORKER_COMMAND", [sys.executable, "-c", script])
    start = time.monotonic()
    with pytest.raises(pdf.PdfRenderError, match=r"status 3: ValueError: cannot lay out this$"):
        render_pdf(data)
    assert time.monotonic() - start < 30
    assert len(workers_seen) == 2 and all(p.returncode is not None for p in workers_seen)
    assert sorted(p.returncode for p in workers_seen) == [-signal.SIGKILL, 3]


def test_pdf_worker_that_dies_without_a_word_is_an_error(data, chunked, workers_seen, monkeypatch):
    monkeypatch.setattr(pdf, "WORKER_COMMAND", [sys.executable, "-c", "import os; os._exit(9)"])
    with pytest.raises(pdf.PdfRenderError, match="status 9: no output"):
        render_pdf(data)
    assert all(p.returncode is not None for p in workers_seen)


def test_pdf_workers_started_early_are_ended_when_the_document_fails_before_they_get_work(
    data, chunked, workers_seen, monkeypatch
):
    """The workers start as the render starts (their start-up overlaps cutting the chunks); an error
    before they are handed anything still leaves no process behind."""

    def broken(*args, **kwargs):
        raise RuntimeError("cannot cut the rows")

    monkeypatch.setattr(pdf_renderer, "split_long_rows", broken)
    with pytest.raises(RuntimeError, match="cannot cut the rows"):
        render_pdf(data)
    assert len(workers_seen) == 2 and all(p.returncode is not None for p in workers_seen)


def test_pdf_string_escapes_and_maps_to_winansi():
    assert pdf.pdf_string("Page (1) \\ of 2 – ŵ") == b"(Page \\(1\\) \\\\ of 2 \x96 ?)"


def test_pdf_small_user_agent_stylesheet_lays_out_the_appendix_exactly_as_weasyprints_own(data):
    """pdf.py gives WeasyPrint only the user-agent rules for the elements the template uses."""
    from html.parser import HTMLParser

    import weasyprint

    data.objectives[0].sections[0].rows[0].progress = "First line\nSecond line"
    html = pdf_html(data)
    tags = set()
    parser = HTMLParser()
    parser.handle_starttag = lambda tag, attrs: tags.add(tag)
    parser.feed(html)
    assert tags <= pdf.USED_ELEMENTS and "br" in tags
    assert pdf.render_html(html) == weasyprint.HTML(string=html).write_pdf()


def test_pdf_of_an_empty_extract_has_the_header_and_a_page_number(data):
    data.objectives = []
    (text,) = page_texts(render_pdf(data))
    assert "Plan commitment" in text and "Page 1 of 1" in text


def test_pdf_lets_only_cells_with_a_word_too_long_for_their_column_break_inside_words(data):
    url = "https://www.testshire-pcc.police.uk/documents/victims-strategy/annual-report-2024-25.pdf"
    data.objectives[0].sections[0].rows[0].progress = f"See {url} for the detail."
    html = pdf_html(data)
    wrapped = re.findall(r'<td class="wrap">([^<]*)</td>', html)
    assert wrapped == [f"See {url} for the detail."]
    assert "By Mar 26 (31/03/2026)" in html  # a due date with its original text fits its column, unbroken
    text = "\n".join(page_texts(render_pdf(data)))
    assert "www.testshire-pcc.police.uk/" in text and "report-2024-25.pdf for the detail." in text  # on the page
    assert pdf_renderer.fits("31/12/2026", 20.0) and not pdf_renderer.fits(url, 80.0)


def pdf_html(data) -> str:
    """Appendix 1 as the one HTML document a small PDF is laid out from."""
    doc = appendix_document(data)
    return pdf_renderer.html(doc, pdf_renderer.chunks(doc, 1)[0], True, True, pdf_renderer.context(doc))
