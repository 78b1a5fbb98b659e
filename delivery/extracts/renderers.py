"""Renderers lay out ExtractData as .xlsx, .docx, .pdf and .csv. They decide nothing about content.

Files are reproducible: no clock time is written into them (document properties and zip entry times
come from the as-at date), so the same definition on the same data gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from datetime import datetime, time
from xml.sax.saxutils import escape

from core.exports import neutralise

from .rows import ExtractData, ExtractRow

Progress = Callable[[int], None]

# Fills (hex) and text colours for RAG letters, matching the web pages.
RAG_FILL = {"R": "D4351C", "A": "F47738", "G": "00703C", "B": "1D70B8", "": "FFFFFF"}
RAG_TEXT = {"R": "FFFFFF", "A": "0B0C0C", "G": "FFFFFF", "B": "FFFFFF", "": "0B0C0C"}
OBJECTIVE_FILL = "1D70B8"
SECTION_FILL = "DBE7F2"
HEADER_FILL = "0B0C0C"
WIDTHS = {
    "ref": 7,
    "commitment": 32,
    "activity": 40,
    "progress": 60,
    "oversight": 22,
    "owners": 20,
    "date": 14,
    "rag": 6,
    "changed": 10,
}
XLSX_MAX_CELL = 32_767


def _noop(_: int) -> None:
    pass


def _stamp(data: ExtractData) -> datetime:
    return datetime.combine(data.as_at, time(12, 0))


def _columns(data: ExtractData) -> list[tuple[str, str]]:
    from ..models import Extract

    cols = [(c, Extract.COLUMNS[c]) for c in data.columns]
    if data.changed_since:
        cols.append(("changed", f"Changed since {data.changed_since:%d/%m/%Y}"))
    return cols


def _value(row: ExtractRow, column: str) -> str:
    if column == "changed":
        return "Changed" if row.changed else ""
    if column == "rag":
        return row.rag_letter
    return row.cell(column)


def _fixed_zip(blob: bytes, when: datetime) -> bytes:
    """Rewrite a zip with every entry dated `when`, in the same order, so output is reproducible."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(blob)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def _intro(data: ExtractData) -> str:
    parts = [f"Position as at {data.as_at:%-d %B %Y}", f"{data.row_count} activities"]
    if data.withheld:
        parts.append(f"{data.withheld} not for publication withheld")
    if data.excluded_complete:
        parts.append(f"{data.excluded_complete} completed not shown")
    return " · ".join(parts)


# --- XLSX -------------------------------------------------------------------------------------


def render_xlsx(data: ExtractData, progress: Progress = _noop) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"title": data.title, "subject": data.plan, "created": _stamp(data), "author": ""})
    cols = _columns(data)
    n = len(cols)
    ws = wb.add_worksheet("Appendix 1")
    f_title = wb.add_format({"bold": True, "font_size": 14})
    f_header = wb.add_format(
        {
            "bold": True,
            "font_color": "#FFFFFF",
            "bg_color": f"#{HEADER_FILL}",
            "text_wrap": True,
            "valign": "top",
            "border": 1,
        }
    )
    f_objective = wb.add_format(
        {"bold": True, "font_color": "#FFFFFF", "bg_color": f"#{OBJECTIVE_FILL}", "font_size": 12}
    )
    f_section = wb.add_format({"bold": True, "bg_color": f"#{SECTION_FILL}"})
    f_cell = wb.add_format({"text_wrap": True, "valign": "top", "border": 1})
    f_rag = {
        r: wb.add_format(
            {
                "bold": True,
                "align": "center",
                "valign": "top",
                "border": 1,
                "bg_color": f"#{RAG_FILL[r]}",
                "font_color": f"#{RAG_TEXT[r]}",
            }
        )
        for r in RAG_FILL
    }
    ws.write_string(0, 0, data.title, f_title)
    ws.write_string(1, 0, data.subtitle or data.plan)
    ws.write_string(2, 0, _intro(data))
    header_row = 4
    for c, (key, label) in enumerate(cols):
        ws.write_string(header_row, c, label, f_header)
        ws.set_column(c, c, WIDTHS.get(key, 14))
    r = header_row + 1
    total = max(data.row_count, 1)
    done = 0
    for block in data.objectives:
        ws.merge_range(r, 0, r, n - 1, f"{block.order}. {block.title}", f_objective)
        r += 1
        for section in block.sections:
            if section.title:
                ws.merge_range(r, 0, r, n - 1, section.title, f_section)
                r += 1
            for row in section.rows:
                for c, (key, _) in enumerate(cols):
                    value = _value(row, key)[:XLSX_MAX_CELL]
                    ws.write_string(r, c, value, f_rag[row.rag] if key == "rag" else f_cell)
                r += 1
                done += 1
                if done % 500 == 0:
                    progress(int(90 * done / total))
    ws.freeze_panes(header_row + 1, 0)
    ws.autofilter(header_row, 0, max(r - 1, header_row), n - 1)
    ws.repeat_rows(header_row)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.set_footer("&LAs at " + f"{data.as_at:%d/%m/%Y}" + "&RPage &P of &N")

    summary = wb.add_worksheet("RAG summary")
    headings = ["Objective", "Red", "Amber", "Green", "Complete (Blue)", "Not rated", "Total"]
    for c, h in enumerate(headings):
        summary.write_string(0, c, h, f_header)
    summary.set_column(0, 0, 50)
    summary.set_column(1, 6, 12)
    totals = [0] * 6
    for i, block in enumerate(data.objectives, start=1):
        counts = [block.counts[k] for k in ("R", "A", "G", "B", "")]
        counts.append(sum(counts))
        summary.write_string(i, 0, f"{block.order}. {block.title}")
        for c, v in enumerate(counts, start=1):
            summary.write_number(i, c, v)
            totals[c - 1] += v
    last = len(data.objectives) + 1
    summary.write_string(last, 0, "Total", wb.add_format({"bold": True}))
    for c, v in enumerate(totals, start=1):
        summary.write_number(last, c, v, wb.add_format({"bold": True}))
    if data.withheld:
        summary.write_string(last + 2, 0, f"{data.withheld} activities not for publication are not included.")
    wb.close()
    progress(100)
    return _fixed_zip(out.getvalue(), _stamp(data))


# --- DOCX -------------------------------------------------------------------------------------

# Usable width of landscape A4 with 12.7 mm margins, in twentieths of a point.
DOCX_WIDTH = 15_398


def _w_text(text: str) -> str:
    """Plain text as Word runs: each line its own paragraph, never markup."""
    lines = text.split("\n") if text else [""]
    return "".join(
        f'<w:p><w:pPr><w:spacing w:after="40"/></w:pPr><w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>'
        for line in lines
    )


def _w_cell(body: str, width: int, *, fill: str | None = None, span: int = 1, vmerge: str | None = None) -> str:
    props = [f'<w:tcW w:w="{width}" w:type="dxa"/>']
    if span > 1:
        props.append(f'<w:gridSpan w:val="{span}"/>')
    if vmerge == "restart":
        props.append('<w:vMerge w:val="restart"/>')
    elif vmerge == "continue":
        props.append("<w:vMerge/>")
    if fill:
        props.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>')
    return f"<w:tc><w:tcPr>{''.join(props)}</w:tcPr>{body}</w:tc>"


def _w_bold(text: str, color: str | None = None, size: int | None = None, center: bool = False) -> str:
    rpr = "<w:b/>" + (f'<w:color w:val="{color}"/>' if color else "") + (f'<w:sz w:val="{size}"/>' if size else "")
    ppr = '<w:pPr><w:spacing w:after="40"/>' + ('<w:jc w:val="center"/>' if center else "") + "</w:pPr>"
    return f'<w:p>{ppr}<w:r><w:rPr>{rpr}</w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def _docx_table_xml(data: ExtractData, progress: Progress) -> str:
    cols = _columns(data)
    weights = [WIDTHS.get(k, 12) for k, _ in cols]
    widths = [int(DOCX_WIDTH * w / sum(weights)) for w in weights]
    n = len(cols)
    parts = [
        '<w:tbl xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">',
        '<w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/><w:tblLayout w:type="fixed"/>',
        "<w:tblBorders>",
        *(
            f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        ),
        "</w:tblBorders></w:tblPr><w:tblGrid>",
        *(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid>",
        # The header row repeats at the top of every page.
        "<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>",
        *(_w_cell(_w_bold(label, "FFFFFF"), widths[i], fill=HEADER_FILL) for i, (_, label) in enumerate(cols)),
        "</w:tr>",
    ]
    total = max(data.row_count, 1)
    done = 0
    ref_cols = {k for k in ("ref", "commitment") if k in data.columns}
    for block in data.objectives:
        parts.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        parts.append(
            _w_cell(_w_bold(f"{block.order}. {block.title}", "FFFFFF", 24), DOCX_WIDTH, fill=OBJECTIVE_FILL, span=n)
        )
        parts.append("</w:tr>")
        for section in block.sections:
            if section.title:
                parts.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
                parts.append(_w_cell(_w_bold(section.title), DOCX_WIDTH, fill=SECTION_FILL, span=n))
                parts.append("</w:tr>")
            for row in section.rows:
                parts.append("<w:tr>")
                for i, (key, _) in enumerate(cols):
                    if key in ref_cols:
                        # The commitment's Ref and text are merged down over its activities.
                        vmerge = "restart" if row.first_of_commitment else "continue"
                        body = _w_text(_value(row, key)) if row.first_of_commitment else "<w:p/>"
                        parts.append(
                            _w_cell(
                                body,
                                widths[i],
                                vmerge=vmerge if row.commitment_rows > 1 or not row.first_of_commitment else None,
                            )
                        )
                    elif key == "rag":
                        parts.append(
                            _w_cell(
                                _w_bold(row.rag_letter, RAG_TEXT[row.rag], center=True),
                                widths[i],
                                fill=RAG_FILL[row.rag] if row.rag else None,
                            )
                        )
                    else:
                        parts.append(_w_cell(_w_text(_value(row, key)), widths[i]))
                parts.append("</w:tr>")
                done += 1
                if done % 500 == 0:
                    progress(int(80 * done / total))
    parts.append("</w:tbl>")
    return "".join(parts)


def render_docx(data: ExtractData, progress: Progress = _noop) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml import parse_xml
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(12.7))
    style = doc.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(9)
    props = doc.core_properties
    props.title, props.subject, props.author, props.last_modified_by = data.title, data.plan, "", ""
    props.created = props.modified = _stamp(data)
    props.revision = 1

    doc.add_heading(data.title, level=1)
    if data.subtitle:
        doc.add_paragraph(data.subtitle)
    doc.add_paragraph(_intro(data))
    table = parse_xml(_docx_table_xml(data, progress))
    doc.element.body.insert(len(doc.element.body) - 1, table)  # before the final sectPr

    footer = section.footer.paragraphs[0]
    footer.text = f"{data.title} · as at {data.as_at:%d/%m/%Y} · Page "
    footer._p.append(
        parse_xml(
            '<w:fldSimple xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:instr="PAGE">'
            "<w:r><w:t>1</w:t></w:r></w:fldSimple>"
        )
    )
    footer.add_run(" of ")
    footer._p.append(
        parse_xml(
            '<w:fldSimple xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:instr="NUMPAGES">'
            "<w:r><w:t>1</w:t></w:r></w:fldSimple>"
        )
    )
    out = io.BytesIO()
    doc.save(out)
    progress(100)
    return _fixed_zip(out.getvalue(), _stamp(data))


# --- PDF --------------------------------------------------------------------------------------


# Big extracts are laid out as several HTML documents ("chunks") of at most this many rows, rendered
# by worker processes side by side (see pdf.py); anything up to one chunk renders in this process.
PDF_CHUNK_ROWS = 700

# The PDF's column widths include their padding (8 columns of 2.4 mm), so give the narrow ones that
# hold unbreakable text, Ref and Date, a little more and Progress a little less.
PDF_WIDTHS = {**WIDTHS, "ref": 9, "date": 16, "progress": 56}
PDF_TABLE_MM = 297 - 2 * 12 - 2 * 8 * 25.4 / 96  # landscape A4 less the page margins and body margins
PDF_PADDING_MM = 2 * 1.2 + 0.5 * 25.4 / 72  # cell padding both sides, and the border
PDF_EM_MM = 8 * 25.4 / 72  # the 8 pt font
_EM = {
    **dict.fromkeys("0123456789abcdeghknopqsuvxyz", 0.64),
    **dict.fromkeys("mw", 0.98),
    **dict.fromkeys("fijlrt.,:;'!|()[]/-", 0.42),
    **dict.fromkeys("MW", 1.0),
    **dict.fromkeys("ABCDEFGHIJKLNOPQRSTUVXYZ", 0.8),
}


_PdfCell = tuple[str, str, int, bool]  # column, text, rowspan, may break inside words
_PdfSection = tuple[str, list[tuple[ExtractRow, list[_PdfCell]]]]


def _pdf_fits(text: str, width_mm: float) -> bool:
    """Whether every word of `text` fits a column this wide without breaking inside it (from DejaVu
    Sans' widths, rounded up; anything unusual counts as 1 em).

    Letting WeasyPrint break inside words (overflow-wrap: anywhere) costs it an eighth more on every
    cell, so the template asks for it only on the few cells with a word that might not fit."""
    limit = (width_mm - PDF_PADDING_MM) / PDF_EM_MM
    return all(sum(_EM.get(c, 1.0) for c in word) <= limit for word in text.split() if len(word) > limit)


def _pdf_workers() -> int:
    """How many PDF worker processes: settings.EXTRACT_PDF_WORKERS, else one per CPU; 0 renders
    every chunk in this process."""
    import os

    from django.conf import settings

    configured = getattr(settings, "EXTRACT_PDF_WORKERS", None)
    if configured is None:
        return os.cpu_count() or 1
    return max(0, int(configured))


def _pdf_chunks(data: ExtractData, chunks: int) -> list[list[tuple[int, int, list[ExtractRow]]]]:
    """Split the rows into about `chunks` runs of similar size, never splitting a commitment's rows
    (its Ref and text span them). Each run is a list of (objective index, section index, rows)."""
    groups: list[tuple[int, int, list[ExtractRow]]] = []
    for oi, block in enumerate(data.objectives):
        for si, section in enumerate(block.sections):
            for row in section.rows:
                if row.first_of_commitment or not groups or groups[-1][:2] != (oi, si):
                    groups.append((oi, si, []))
                groups[-1][2].append(row)
    total = sum(len(rows) for _, _, rows in groups) or 1
    runs: list[list[tuple[int, int, list[ExtractRow]]]] = [[] for _ in range(max(1, chunks))]
    before = 0
    for oi, si, rows in groups:
        run = runs[before * len(runs) // total]
        if run and run[-1][:2] == (oi, si):
            run[-1][2].extend(rows)
        else:
            run.append((oi, si, list(rows)))
        before += len(rows)
    return [run for run in runs if run] or [[]]


def _pdf_html(data: ExtractData, run: list[tuple[int, int, list[ExtractRow]]], first: bool, context: dict) -> str:
    """One chunk as an HTML document. Only the first has the heading; a chunk that starts inside an
    objective or section repeats its banner, "(continued)"."""
    from django.template.loader import render_to_string

    cols = context["cols"]
    mm = {k: PDF_TABLE_MM * width / 100 for k, width in context["widths"].items()}

    def cells(row: ExtractRow) -> list[_PdfCell]:
        """The commitment's Ref and text span its activities' rows."""
        out = []
        for k, _ in cols:
            if k in ("ref", "commitment") and not row.first_of_commitment:
                continue
            text = _value(row, k)
            span = row.commitment_rows if k in ("ref", "commitment") else 1
            out.append((k, text, span, not _pdf_fits(text, mm[k])))
        return out

    blocks: list[tuple[str, list[_PdfSection]]] = []
    last_objective = None
    for oi, si, rows in run:
        block = data.objectives[oi]
        section = block.sections[si]
        if oi != last_objective:
            started_inside = not blocks and rows[0] is not block.sections[0].rows[0]
            banner = f"{block.order}. {block.title}" + (" (continued)" if started_inside else "")
            blocks.append((banner, []))
            last_objective = oi
        title = section.title
        if title and not blocks[-1][1] and rows[0] is not section.rows[0]:
            title += " (continued)"
        blocks[-1][1].append((title, [(row, cells(row)) for row in rows]))
    return render_to_string("delivery/extracts/appendix.html", {**context, "blocks": blocks, "first": first})


def _pdf_context(data: ExtractData) -> dict:
    """What every chunk's template needs, whichever rows it has."""
    cols = _columns(data)
    total_weight = sum(PDF_WIDTHS.get(k, 12) for k, _ in cols)
    return {
        "data": data,
        "cols": cols,
        "intro": _intro(data),
        "rag_styles": [(key or "none", RAG_FILL[key], RAG_TEXT[key]) for key in RAG_FILL],
        "widths": {k: round(100 * PDF_WIDTHS.get(k, 12) / total_weight, 2) for k, _ in cols},
    }


def render_pdf(data: ExtractData, progress: Progress = _noop) -> bytes:
    """The appendix as HTML through WeasyPrint. A big one is cut into chunks of whole commitments,
    rendered side by side by worker processes (pdf.py), merged, then numbered "Page X of Y"."""
    from . import pdf

    context = _pdf_context(data)
    # How the rows are cut depends on the rows alone, never on the workers, so the file does too. An
    # even number of chunks, so that two (or four) workers finish together.
    chunks = -(-data.row_count // PDF_CHUNK_ROWS)
    runs = _pdf_chunks(data, chunks + chunks % 2 if chunks > 1 else 1)
    workers = _pdf_workers()
    documents = (_pdf_html(data, run, i == 0, context) for i, run in enumerate(runs))
    progress(5)

    def done(n: int) -> None:
        progress(5 + 85 * n // len(runs))

    if len(runs) == 1 or workers == 0:
        pdfs = []
        for html in documents:
            pdfs.append(pdf.render_html(html))
            done(len(pdfs))
    else:
        pdfs = pdf.render_in_workers(documents, workers=workers, count=len(runs), done=done)
    blob = pdf.merge_and_number(
        pdfs, identifier=data.content_hash()[:32].encode(), title=data.title, subject=data.plan, lang="en-GB"
    )
    progress(100)
    return blob


# --- CSV --------------------------------------------------------------------------------------


def render_csv(data: ExtractData, progress: Progress = _noop) -> bytes:
    """One row per activity, objective and section as columns (CSV has no banner rows)."""
    cols = _columns(data)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Objective", "Section", *(label for _, label in cols), "Status"])
    for block in data.objectives:
        for section in block.sections:
            for row in section.rows:
                values = [row.rag_word if k == "rag" and row.rag else _value(row, k) for k, _ in cols]
                writer.writerow(
                    [neutralise(v) for v in (f"{block.order}. {block.title}", section.title, *values, row.status)]
                )
    progress(100)
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM so Excel reads UTF-8


RENDERERS = {"xlsx": render_xlsx, "docx": render_docx, "pdf": render_pdf, "csv": render_csv}
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
}
