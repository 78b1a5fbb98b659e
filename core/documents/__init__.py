"""One document pipeline: a selector builds a neutral TableDocument (document.py); these renderers
only lay it out, as .docx, .xlsx, .pdf or .csv bytes. Appendix 1, the KPI performance summary and the
meetings panel table all go this way. Imports nothing from any app.

    render(doc, "xlsx", progress=None) -> bytes

Every module here imports only the standard library at the top (Django, WeasyPrint, python-docx and
xlsxwriter inside the functions), so the PDF worker processes start quickly.
"""

from __future__ import annotations

from collections.abc import Callable

from . import csv, docx, pdf, xlsx
from .document import Block, Column, Row, SummarySheet, TableDocument

RENDERERS: dict[str, Callable[..., bytes]] = {
    "docx": docx.render,
    "xlsx": xlsx.render,
    "pdf": pdf.render,
    "csv": csv.render,
}
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
}


def render(doc: TableDocument, fmt: str, progress: Callable[[int], None] | None = None) -> bytes:
    """The document as a file of format `fmt` (docx, xlsx, pdf or csv)."""
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"No renderer for {fmt!r}; one of {', '.join(sorted(RENDERERS))}.") from None
    return renderer(doc, progress)


__all__ = ["CONTENT_TYPES", "RENDERERS", "Block", "Column", "Row", "SummarySheet", "TableDocument", "render"]
