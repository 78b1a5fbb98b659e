"""A TableDocument as .docx: landscape A4, one real Word table whose header row repeats on every
page, banners shaded across the row, merge-down cells merged (w:vMerge), RAG cells shaded with their
letter, a table per summary after it, and "Page X of Y" in the footer.

python-docx makes the package (styles, settings, properties, footer, the heading and paragraphs)
with a placeholder paragraph where each table goes; the tables' XML is written as text straight
into word/document.xml as the package is zipped, never parsed into a tree and serialised again."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from xml.sax.saxutils import escape

from .document import Column, SummarySheet, TableDocument, merge_spans
from .files import Progress, cell_text, noop, rag_key, rag_key_line, rag_letter, stamp

LEVEL1_FILL = "1D70B8"
LEVEL2_FILL = "DBE7F2"
HEADER_FILL = "0B0C0C"
# Usable width of landscape A4 with 12.7 mm margins, in twentieths of a point.
WIDTH = 15_398
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


# Characters XML 1.0 cannot hold (the tables are written as text, so nothing else would refuse them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _w_text(text: str) -> str:
    """Plain text as Word runs: each line its own paragraph, never markup."""
    text = _NOT_XML.sub("", text)
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
    text = _NOT_XML.sub("", text)
    rpr = "<w:b/>" + (f'<w:color w:val="{color}"/>' if color else "") + (f'<w:sz w:val="{size}"/>' if size else "")
    ppr = '<w:pPr><w:spacing w:after="40"/>' + ('<w:jc w:val="center"/>' if center else "") + "</w:pPr>"
    return f'<w:p>{ppr}<w:r><w:rPr>{rpr}</w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def _w_table_start(widths: list[int], header: list[str]) -> list[str]:
    """The table's opening and header row; the `w` prefix is the enclosing document's."""
    return [
        "<w:tbl>",
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
        *(_w_cell(_w_bold(label, "FFFFFF"), widths[i], fill=HEADER_FILL) for i, label in enumerate(header)),
        "</w:tr>",
    ]


def _widths(weights: list[float], total: int = WIDTH) -> list[int]:
    return [int(total * w / sum(weights)) for w in weights]


def table_xml(doc: TableDocument, progress: Progress = noop) -> str:
    from core import rag

    cols: list[Column] = doc.shown_columns()
    widths = _widths([c.width for c in cols])
    n = len(cols)
    parts = _w_table_start(widths, [c.label for c in cols])
    total = max(doc.row_count, 1)
    done = 0

    def banner(text: str, body: str, fill: str) -> None:
        parts.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        parts.append(_w_cell(body, WIDTH, fill=fill, span=n))
        parts.append("</w:tr>")

    for block in doc.blocks:
        if block.title:
            banner(block.title, _w_bold(block.title, "FFFFFF", 24), LEVEL1_FILL)
        for title, rows in block.leaves():
            if title:
                banner(title, _w_bold(title), LEVEL2_FILL)
            for row, span in zip(rows, merge_spans(rows), strict=True):
                parts.append("<w:tr>")
                for i, col in enumerate(cols):
                    if col.merge_down:
                        # Merged down over the rest of the group's rows.
                        vmerge = "restart" if span > 1 else "continue" if span == 0 else None
                        body = _w_text(cell_text(row, col.key)) if span else "<w:p/>"
                        parts.append(_w_cell(body, widths[i], vmerge=vmerge))
                    elif col.is_rag:
                        key = rag_key(row)
                        parts.append(
                            _w_cell(
                                _w_bold(rag_letter(row), rag.TEXT[key], center=True),
                                widths[i],
                                fill=rag.FILL[key] if row.rag else None,
                            )
                        )
                    else:
                        parts.append(_w_cell(_w_text(cell_text(row, col.key)), widths[i]))
                parts.append("</w:tr>")
                done += 1
                if done % 500 == 0:
                    progress(int(80 * done / total))
    parts.append("</w:tbl>")
    return "".join(parts)


def summary_xml(sheet: SummarySheet) -> str:
    n = max(len(sheet.header), 1)
    widths = _widths([3.0] + [1.0] * (n - 1), WIDTH * 2 // 3 if n > 2 else WIDTH)
    parts = _w_table_start(widths, sheet.header)
    rows = [(row, False) for row in sheet.rows] + ([(sheet.total, True)] if sheet.total is not None else [])
    for row, bold in rows:
        parts.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        for i, value in enumerate(row[:n]):
            text = str(value)
            parts.append(_w_cell(_w_bold(text) if bold else _w_text(text), widths[i]))
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


def _field(instr: str) -> str:
    return f'<w:fldSimple xmlns:w="{W_NS}" w:instr="{instr}"><w:r><w:t>1</w:t></w:r></w:fldSimple>'


def _set_language(word, language: str) -> None:
    """The language of the text, for spelling and screen readers: the document defaults every style
    inherits, the Normal style, and the settings' theme-font language (the template says en-US)."""
    from docx.oxml.ns import qn

    defaults = word.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    targets = [word.styles["Normal"].element.get_or_add_rPr()]
    if rpr_default is not None and rpr_default.find(qn("w:rPr")) is not None:
        targets.append(rpr_default.find(qn("w:rPr")))
    for rpr in targets:
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = rpr.makeelement(qn("w:lang"), {})
            rpr.append(lang)
        lang.set(qn("w:val"), language)
        lang.set(qn("w:eastAsia"), language)
    settings = word.settings.element
    theme = settings.find(qn("w:themeFontLang"))
    if theme is not None:
        theme.set(qn("w:val"), language)
        theme.set(qn("w:eastAsia"), language)


def render(doc: TableDocument, progress: Progress | None = None) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml import parse_xml
    from docx.shared import Mm, Pt

    progress = progress or noop
    word = Document()
    section = word.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(12.7))
    style = word.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(9)
    props = word.core_properties
    props.title, props.subject, props.author, props.last_modified_by = doc.title, doc.subject, "", ""
    props.language = doc.language
    props.created = props.modified = stamp(doc)
    props.revision = 1
    _set_language(word, doc.language)

    word.add_heading(doc.title, level=1)
    if doc.subtitle:
        word.add_paragraph(doc.subtitle)
    for line in doc.intro:
        word.add_paragraph(line)
    if rag_key_line(doc):
        word.add_paragraph(rag_key_line(doc))
    word.add_paragraph(_placeholder(0))
    for number, sheet in enumerate(doc.summaries, start=1):
        word.add_heading(sheet.title, level=2)
        word.add_paragraph(_placeholder(number))
        if sheet.note:
            word.add_paragraph(sheet.note)

    footer = section.footer.paragraphs[0]
    footer.text = (f"{doc.footer} · " if doc.footer else "") + "Page "
    footer._p.append(parse_xml(_field("PAGE")))
    footer.add_run(" of ")
    footer._p.append(parse_xml(_field("NUMPAGES")))
    out = io.BytesIO()
    word.save(out)
    tables = [table_xml(doc, progress), *(summary_xml(sheet) for sheet in doc.summaries)]
    blob = _package(out.getvalue(), stamp(doc), tables)
    progress(100)
    return blob


# A paragraph python-docx writes where a table goes; its text cannot come from a document (the
# private-use characters around it), and each is replaced whole, exactly once.
PLACEHOLDER = "\ue000core.documents.docx table {}\ue000"
DOCUMENT_PART = "word/document.xml"


def _placeholder(number: int) -> str:
    return PLACEHOLDER.format(number)


def _package(blob: bytes, when: datetime, tables: list[str]) -> bytes:
    """python-docx's package re-zipped with every entry dated `when` (reproducible), and each
    placeholder paragraph in word/document.xml replaced by its table's XML."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(blob)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            data = src.read(info.filename)
            if info.filename != DOCUMENT_PART:
                dst.writestr(fixed, data)
                continue
            text = data.decode("utf-8")
            with dst.open(fixed, "w") as part:
                for number, table in enumerate(tables):
                    paragraph = f"<w:p><w:r><w:t>{_placeholder(number)}</w:t></w:r></w:p>"
                    before, found, text = text.partition(paragraph)
                    if not found or paragraph in text:
                        raise RuntimeError(f"Word table {number} has no single place in {DOCUMENT_PART}")
                    part.write(before.encode("utf-8"))
                    part.write(table.encode("utf-8"))
                part.write(text.encode("utf-8"))
    return out.getvalue()
