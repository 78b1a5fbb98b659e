"""Appendix 1 as a core.documents.TableDocument: objectives as level-1 banners, sections as level-2,
one row per activity with the commitment's Ref and text merged down over its activities."""

from __future__ import annotations

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
PDF_WIDTHS = {"ref": 9, "date": 16, "progress": 56}
MERGED = ("ref", "commitment")  # the commitment's, over its activities


def _intro(data: ExtractData) -> str:
    parts = [f"Position as at {data.as_at:%-d %B %Y}", f"{data.row_count} activities"]
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
    cols.append(Column("status", "Status", csv_only=True))
    return cols


def _row(row: ExtractRow, group: int) -> Row:
    cells = {key: row.cell(key) for key in ("ref", "commitment", "activity", "progress", "oversight", "owners", "date")}
    cells["changed"] = "Changed" if row.changed else ""
    cells["status"] = row.status
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
