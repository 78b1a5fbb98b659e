"""The performance summary as a core.documents.TableDocument, in the panel's format:
Topic | Inclusion | Data | Commentary, grouped by objective. Renderers lay it out (.docx, .xlsx, .pdf)."""

from __future__ import annotations

from datetime import date

from core import documents
from core.documents import Block, Column, Row, SummarySheet, TableDocument

from .periods import Period
from .selectors import SummaryGroup

COLUMNS = [
    Column("topic", "Topic", width=30),
    Column("inclusion", "Inclusion", width=16),
    Column("data", "Data", width=50),
    Column("commentary", "Commentary", width=60),
]


def _topic(row) -> str:
    a = row.analysis
    parts = [row.measure.name]
    if a.value is not None:
        parts.append(f"{a.value:,.1f}{'%' if row.measure.unit == 'percentage' else ''}".replace(".0%", "%"))
    if a.target is not None:
        parts.append(f"Target: {row.analysis.target_wording or format(a.target, 'g')}")
    return "\n".join(parts)


def summary_document(groups: list[SummaryGroup], *, period: Period, as_at: date, title: str = "") -> TableDocument:
    blocks = []
    counts = []
    for g in groups:
        rows = [
            Row(
                cells={
                    "topic": _topic(r),
                    "inclusion": r.measure.get_frequency_display(),
                    "data": r.data_text,
                    "commentary": r.commentary,
                },
                rag=None,
            )
            for r in g.rows
        ]
        blocks.append(Block(g.title, rows=rows))
        rags = [r.analysis.rag for r in g.rows]
        counts.append(
            [g.title, rags.count("R"), rags.count("A"), rags.count("G"), rags.count(""),
             sum(1 for r in g.rows if r.analysis.variation.is_special)]
        )  # fmt: skip
    title = title or "Performance summary"
    return TableDocument(
        title=title,
        subtitle=f"Reporting period {period.label()}",
        intro=[
            f"Figures as at {as_at:%-d %B %Y}. Data is drafted from the figures unless edited; "
            "Commentary is written by staff."
        ],
        stamp=as_at,
        columns=COLUMNS,
        blocks=blocks,
        summaries=[
            SummarySheet(
                title="Summary",
                header=["Objective", "Red", "Amber", "Green", "Not rated", "Special cause"],
                rows=counts,
            )
        ],
        footer=f"{title} · {period.label()} · as at {as_at:%d/%m/%Y}",
        sheet_name="Performance summary",
        banner_labels=("Objective",),
    )


def render_summary(groups: list[SummaryGroup], *, period: Period, as_at: date, fmt: str) -> bytes:
    return documents.render(summary_document(groups, period=period, as_at=as_at), fmt)
