"""Appendix 1 as a core.documents.TableDocument: objectives as level-1 banners, sections as level-2,
one row per activity with the commitment's Ref and text merged down over its activities."""

from __future__ import annotations

import math
from collections.abc import Callable

from core import documents, rag
from core.documents import Block, Column, Row, SummarySheet, TableDocument

from .rows import ExtractData, ExtractRow

# Column widths: characters in xlsx, relative weights in docx; the pdf's include their padding, so
# Ref and Date (unbreakable text) get a little more there and Progress a little less.
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
PDF_WIDTHS = {"ref": 9, "date": 18, "progress": 54}  # a date "(31/03/2028)" on one line
MERGED = ("ref", "commitment")  # the commitment's, over its activities

# What a header needs to stay on one line, per renderer: the table's width, the header font's em and
# the cell's padding, in mm. Header text is bold, about three quarters of an em a character.
HEADER_FIT = {
    "docx": (297 - 2 * 12.7, 11 * 25.4 / 72, 2 * 1.9 + 0.5),  # Calibri 11 pt, Word's default margins
    "pdf": (297 - 2 * 12 - 2 * 8 * 25.4 / 96, 8 * 25.4 / 72, 2 * 1.2 + 0.5),  # 8 pt, 1.2 mm padding
}
BOLD_EM = 0.75


def header_weight(label: str, others: float, fmt: str) -> float:
    """The relative weight a column needs, beside columns weighing `others`, for `label` to fit on one
    line in `fmt` (docx or pdf, whose widths are shares of the table)."""
    table_mm, em_mm, pad_mm = HEADER_FIT[fmt]
    share = min((len(label) * BOLD_EM * em_mm + pad_mm) / table_mm, 0.5)
    return math.ceil(others * share / (1 - share))  # rounded up: the renderers round widths


def _intro(data: ExtractData) -> str:
    # "Position as at" once: not again when the subtitle already says it.
    said = "as at" in (data.subtitle or "").lower()
    parts = [] if said else [f"Position as at {data.as_at:%-d %B %Y}"]
    parts.append(f"{data.row_count} activities")
    if data.withheld:
        parts.append(f"{data.withheld} not for publication withheld")
    if data.excluded_complete:
        parts.append(f"{data.excluded_complete} completed not shown")
    return " · ".join(parts)


def _columns(data: ExtractData) -> list[Column]:
    from ..models import Extract

    cols = [
        Column(
            key=key,
            label=Extract.COLUMNS[key],
            width=WIDTHS.get(key, 14),
            pdf_width=PDF_WIDTHS.get(key),
            merge_down=key in MERGED,
            is_rag=key == "rag",
            identifies=key == "ref",
        )
        for key in data.columns
    ]
    if data.changed_since:
        cols.append(Column("changed", f"Changed since {data.changed_since:%d/%m/%Y}", width=WIDTHS["changed"]))
    for col in cols:
        if col.is_rag:  # wide enough for its header on one line, in every file
            others = sum(c.width for c in cols if c is not col)
            pdf_others = sum(c.pdf_width or c.width for c in cols if c is not col)
            col.width = max(col.width, len(col.label) + 2, header_weight(col.label, others, "docx"))
            col.pdf_width = max(col.pdf_width or col.width, header_weight(col.label, pdf_others, "pdf"))
    cols.append(Column("status", "Status", csv_only=True))
    return cols


def _row(row: ExtractRow, group: int) -> Row:
    # The cells ExtractRow.cell gives, read straight from the row: built for every row of every
    # extract, a third of the Word file's time beyond writing its XML when it went through cell().
    cells = {
        "ref": row.ref,
        "commitment": row.commitment,
        "activity": row.activity_text,
        "progress": row.progress_text,
        "oversight": row.oversight,
        "owners": row.owners,
        "date": row.date,
        "changed": "Changed" if row.changed else "",
        "status": row.status,
    }
    return Row(cells=cells, rag=row.rag, group=str(group))


def _summary(data: ExtractData) -> SummarySheet:
    keys = rag.ORDER  # Red, Amber, Green, Blue (complete), not rated
    rows: list[list[str | int | float]] = []
    totals = [0] * (len(keys) + 1)
    for block in data.objectives:
        counts = [block.counts[k] for k in keys]
        counts.append(sum(counts))
        rows.append([f"{block.order}. {block.title}", *counts])
        totals = [t + c for t, c in zip(totals, counts, strict=True)]
    return SummarySheet(
        title="RAG summary",
        header=["Objective", "Red", "Amber", "Green", "Complete (Blue)", "Not rated", "Total"],
        rows=rows,
        total=["Total", *totals],
        note=f"{data.withheld} activities not for publication are not included." if data.withheld else "",
    )


def appendix_document(data: ExtractData, *, identify: bool = True) -> TableDocument:
    """The extract's rows as a table document; renderers lay it out. `identify=False` leaves out the
    PDF's /ID (a hash of every row), which only the PDF needs."""
    blocks = []
    group = 0
    for objective in data.objectives:
        children = []
        for section in objective.sections:
            rows = []
            for row in section.rows:
                group += row.first_of_commitment
                rows.append(_row(row, group))
            children.append(Block(section.title, rows=rows))
        blocks.append(Block(f"{objective.order}. {objective.title}", children=children))
    return TableDocument(
        title=data.title,
        subtitle=data.subtitle or data.plan,
        intro=[_intro(data)],
        subject=data.plan,
        stamp=data.as_at,
        columns=_columns(data),
        blocks=blocks,
        summaries=[_summary(data)],
        footer=f"{data.title} · as at {data.as_at:%d/%m/%Y}",
        sheet_name="Appendix 1",
        banner_labels=("Objective", "Section"),
        identifier=data.content_hash()[:32] if identify else "",
    )


def render_extract(data: ExtractData, fmt: str, progress: Callable[[int], None] | None = None) -> bytes:
    """Appendix 1 as a docx, xlsx, pdf or csv file."""
    return documents.render(appendix_document(data, identify=fmt == "pdf"), fmt, progress)
