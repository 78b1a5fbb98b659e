"""A TableDocument as .docx: landscape A4, one real Word table whose header row repeats on every
page, banners shaded across the row, merge-down cells merged (w:vMerge), RAG cells shaded with their
letter, a table per summary after it, and "Page X of Y" in the footer.

Written near the floor of writing its XML directly: python-docx makes the package's frame (styles,
settings, theme, footer, properties) once per language and process, with placeholders; each render
writes word/document.xml's body (headings, paragraphs, tables) as text straight into the zip, and
fills in the title, subject, date and footer. Nothing is parsed into a tree and serialised again.
Body cells carry no properties of their own where they need none: their widths come from the grid
(fixed layout, the header row's widths) and their spacing from the table style."""

from __future__ import annotations

import functools
import io
import re
import zipfile
from datetime import datetime
from xml.sax.saxutils import escape

from .document import Column, SummarySheet, TableDocument, merge_spans
from .files import Progress, noop, rag_key_line, stamp

LEVEL1_FILL = "1D70B8"
LEVEL2_FILL = "DBE7F2"
HEADER_FILL = "0B0C0C"
# Usable width of landscape A4 with 12.7 mm margins, in twentieths of a point.
WIDTH = 15_398
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


# Characters XML 1.0 cannot hold (the tables are written as text, so nothing else would refuse them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _w_text(text: str) -> str:
    """Plain text as Word paragraphs, one a line, never markup (spacing from the table style)."""
    if not text:
        return "<w:p/>"
    if _NOT_XML.search(text):
        text = _NOT_XML.sub("", text)
    if "\n" not in text:
        return f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'
    return "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>' if line else "<w:p/>"
        for line in text.split("\n")
    )


def _w_cell(body: str, width: int | None, *, fill: str | None = None, span: int = 1, vmerge: str | None = None) -> str:
    props = [f'<w:tcW w:w="{width}" w:type="dxa"/>'] if width else []
    if span > 1:
        props.append(f'<w:gridSpan w:val="{span}"/>')
    if vmerge == "restart":
        props.append('<w:vMerge w:val="restart"/>')
    elif vmerge == "continue":
        props.append("<w:vMerge/>")
    if fill:
        props.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>')
    return f"<w:tc><w:tcPr>{''.join(props)}</w:tcPr>{body}</w:tc>" if props else f"<w:tc>{body}</w:tc>"


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
    plan = [(c.key, c.is_rag, c.merge_down) for c in cols]
    rag_cells = {
        key: _w_cell(_w_bold(rag.letter(key), rag.TEXT[key], center=True), None, fill=rag.FILL[key] if key else None)
        for key in rag.FILL
    }
    blank_rag = _w_cell(_w_bold("", rag.TEXT[""], center=True), None)  # a row with no RAG
    restart = '<w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>'
    continued = "<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>"
    append = parts.append

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
                append("<w:tr>")
                cells = row.cells
                for key, is_rag, merge_down in plan:
                    if is_rag:
                        append(rag_cells[row.rag] if row.rag is not None else blank_rag)
                    elif merge_down and span == 0:
                        append(continued)  # merged down from the group's first row
                    else:
                        append(restart if merge_down and span > 1 else "<w:tc>")
                        append(_w_text(cells.get(key) or ""))
                        append("</w:tc>")
                append("</w:tr>")
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


# Placeholders in the cached frame; the private-use characters around them cannot come from a
# document, and each is replaced exactly once.
BODY = "\ue000core.documents.docx body\ue000"
FOOTER = "\ue000core.documents.docx footer\ue000"
TITLE = "\ue000core.documents.docx title\ue000"
SUBJECT = "\ue000core.documents.docx subject\ue000"
SENTINEL_TIME = datetime(1999, 9, 9, 9, 9, 9)  # the frame's created/modified, replaced by the document's
DOCUMENT_PART = "word/document.xml"


@functools.lru_cache(maxsize=4)
def _frame(language: str) -> tuple[tuple[str, bytes], ...]:
    """python-docx's package for a document in `language`, as (part name, bytes) in zip order, with
    the placeholders above: landscape A4, 12.7 mm margins, Arial 9 pt, the language everywhere, table
    paragraphs spaced 2 pt after (the table style's), and a "<footer> Page X of Y" footer."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml import parse_xml
    from docx.shared import Mm, Pt

    word = Document()
    section = word.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(12.7))
    style = word.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(9)
    word.styles["Table Grid"].paragraph_format.space_after = Pt(2)
    props = word.core_properties
    props.title, props.subject, props.author, props.last_modified_by = TITLE, SUBJECT, "", ""
    props.language = language
    props.created = props.modified = SENTINEL_TIME
    props.revision = 1
    _set_language(word, language)
    word.add_paragraph(BODY)
    footer = section.footer.paragraphs[0]
    footer.text = FOOTER + "Page "
    footer._p.append(parse_xml(_field("PAGE")))
    footer.add_run(" of ")
    footer._p.append(parse_xml(_field("NUMPAGES")))
    out = io.BytesIO()
    word.save(out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as z:
        return tuple((info.filename, z.read(info.filename)) for info in z.infolist())


def _text(text: str) -> str:
    """Text for a w:t element or a property: escaped, without what XML cannot hold."""
    return escape(_NOT_XML.sub("", text))


def _paragraph(text: str, style: str = "") -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    lines = '</w:t><w:br/><w:t xml:space="preserve">'.join(_text(line) for line in text.split("\n"))
    return f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{lines}</w:t></w:r></w:p>'


def _fill(data: bytes, replacements: dict[str, str]) -> bytes:
    text = data.decode("utf-8")
    for placeholder, value in replacements.items():
        if text.count(placeholder) != 1:
            raise RuntimeError(f"The Word frame has no single {placeholder!r}")
        text = text.replace(placeholder, value)
    return text.encode("utf-8")


def render(doc: TableDocument, progress: Progress | None = None) -> bytes:
    progress = progress or noop
    when = stamp(doc)
    body = [_paragraph(doc.title, "Heading1")]
    body += [_paragraph(line) for line in ([doc.subtitle] if doc.subtitle else []) + list(doc.intro)]
    if rag_key_line(doc):
        body.append(_paragraph(rag_key_line(doc)))
    body.append(table_xml(doc, progress))
    for sheet in doc.summaries:
        body.append(_paragraph(sheet.title, "Heading2"))
        body.append(summary_xml(sheet))
        if sheet.note:
            body.append(_paragraph(sheet.note))
    sentinel = SENTINEL_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in _frame(doc.language):
            info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            if name == DOCUMENT_PART:
                before, found, after = data.decode("utf-8").partition(f"<w:p><w:r><w:t>{BODY}</w:t></w:r></w:p>")
                if not found:
                    raise RuntimeError(f"The Word frame has no body placeholder in {DOCUMENT_PART}")
                with dst.open(info, "w") as part:
                    part.write(before.encode("utf-8"))
                    for piece in body:
                        part.write(piece.encode("utf-8"))
                    part.write(after.encode("utf-8"))
                continue
            if name == "docProps/core.xml":
                data = _fill(data, {TITLE: _text(doc.title), SUBJECT: _text(doc.subject)})
                data = data.replace(sentinel.encode(), when.strftime("%Y-%m-%dT%H:%M:%SZ").encode())  # both dates
            elif FOOTER.encode("utf-8") in data:
                data = _fill(data, {FOOTER: _text(f"{doc.footer} · " if doc.footer else "")})
            dst.writestr(info, data)
    progress(100)
    return out.getvalue()
