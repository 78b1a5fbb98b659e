"""The covering report as files: a Word document with the office's heading styles (Title, Heading 1,
List Bullet, a table style), editable, and a tagged PDF (PDF/UA-1) of the same text. Section text is
read as drafting writes it: blank lines between paragraphs, `- ` list items, `a | b | c` table rows."""

from __future__ import annotations

import html
import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from core.documents.files import fixed_zip


@dataclass
class Part:
    kind: str  # "p", "li", "table"
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class CoverSection:
    title: str
    text: str


@dataclass
class Cover:
    title: str
    subtitle: str
    as_at: date
    sections: list[CoverSection]
    appendices: list[str]


def parts(text: str) -> list[Part]:
    out: list[Part] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        line = line.rstrip()
        if not line.strip():
            if out and out[-1].kind == "table":
                out.append(Part("break"))
            continue
        if " | " in line:
            cells = [c.strip() for c in line.split(" | ")]
            if out and out[-1].kind == "table":
                out[-1].rows.append(cells)
            else:
                out.append(Part("table", rows=[cells]))
        elif line.lstrip().startswith("- "):
            out.append(Part("li", line.lstrip()[2:].strip()))
        else:
            out.append(Part("p", line.strip()))
    return [p for p in out if p.kind != "break"]


def _when(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def render_docx(cover: Cover) -> bytes:
    from docx import Document
    from docx.oxml.ns import qn

    doc = Document()
    doc.core_properties.title = cover.title
    doc.core_properties.subject = cover.subtitle
    doc.core_properties.author = ""
    doc.core_properties.created = doc.core_properties.modified = _when(cover.as_at)
    doc.core_properties.last_modified_by = ""
    doc.core_properties.revision = 1
    styles = doc.styles
    rpr = styles["Normal"].element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:val"), "en-GB")
    doc.add_heading(cover.title, level=0)
    doc.add_paragraph(cover.subtitle)
    for number, section in enumerate(cover.sections, start=1):
        doc.add_heading(f"{number}. {section.title}", level=1)
        for part in parts(section.text):
            if part.kind == "p":
                doc.add_paragraph(part.text)
            elif part.kind == "li":
                doc.add_paragraph(part.text, style="List Bullet")
            else:
                width = max(len(r) for r in part.rows)
                table = doc.add_table(rows=0, cols=width)
                table.style = "Table Grid"
                for i, row in enumerate(part.rows):
                    cells = table.add_row().cells
                    for j, value in enumerate(row):
                        cells[j].text = value
                        if i == 0:
                            for run in cells[j].paragraphs[0].runs:
                                run.bold = True
                # The header row repeats on every page.
                tr_pr = table.rows[0]._tr.get_or_add_trPr()
                tr_pr.append(tr_pr.makeelement(qn("w:tblHeader"), {}))
    if cover.appendices:
        doc.add_heading("Appendices", level=1)
        for name in cover.appendices:
            doc.add_paragraph(name, style="List Bullet")
    out = io.BytesIO()
    doc.save(out)
    return fixed_zip(out.getvalue(), _when(cover.as_at))


def cover_html(cover: Cover) -> str:
    e = html.escape
    body = []
    body.append(f"<h1>{e(cover.title)}</h1><p>{e(cover.subtitle)}</p>")
    for number, section in enumerate(cover.sections, start=1):
        body.append(f"<h2>{number}. {e(section.title)}</h2>")
        for part in parts(section.text):
            if part.kind == "p":
                body.append(f"<p>{e(part.text)}</p>")
            elif part.kind == "li":
                body.append(f"<p>• {e(part.text)}</p>")
            else:
                head, *rest = part.rows
                body.append(
                    "<table><thead><tr>"
                    + "".join(f'<th scope="col">{e(c)}</th>' for c in head)
                    + "</tr></thead><tbody>"
                )
                body.extend("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rest)
                body.append("</tbody></table>")
    if cover.appendices:
        body.append("<h2>Appendices</h2>" + "".join(f"<p>• {e(a)}</p>" for a in cover.appendices))
    style = (
        "@page { size: A4; margin: 20mm } body { font-family: sans-serif; font-size: 11pt } "
        "h1 { font-size: 18pt } h2 { font-size: 14pt; margin-top: 14pt } "
        "table { border-collapse: collapse; width: 100% } "
        "th, td { border: 1px solid #000; padding: 3pt; text-align: left }"
    )
    return (
        f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>{e(cover.title)}</title>'
        f"<style>{style}</style></head><body>{''.join(body)}</body></html>"
    )


def render_pdf(cover: Cover) -> bytes:
    from core.documents.pdfworkers import TAGGED, render_html

    epoch = int(_when(cover.as_at).timestamp())
    return render_html(
        cover_html(cover), epoch=epoch, **TAGGED, pdf_identifier=cover.title.encode()[:32].ljust(32, b"-")
    )
