"""The performance summary as a core.documents.TableDocument, in the panel's format:
Topic | Inclusion | Data | Commentary, grouped by objective. Renderers lay it out (.docx, .xlsx, .pdf)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

from core import documents
from core.documents import Block, Column, Row, SummarySheet, TableDocument
from core.documents.files import fixed_zip
from core.rag import word as rag_word

from .periods import Period
from .selectors import ReportGroup, ReportMeasure, SummaryGroup
from .templatetags.kpis import change_text, figure

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


# --- The full performance report: a page per measure -----------------------------------------------

RECENT = 8  # periods in each measure's table (at most selectors.SUMMARY_POINTS, the points it keeps)


def report_parts(groups: list[ReportGroup], *, period: Period, as_at: date) -> list[tuple]:
    """The full performance report as a flat list of parts, laid out the same in Word and PDF:
    ("title", text), ("h1", objective), ("h2", measure), ("h3", heading), ("p", text), ("li", text),
    ("table", [header, *rows])."""
    out: list[tuple] = [
        ("title", "Full performance report"),
        ("p", f"Reporting period {period.label()} · figures as at {as_at:%-d %B %Y}."),
    ]
    for g in groups:
        out.append(("h1", g.title))
        for m in g.measures:
            out.extend(_measure_parts(m))
    if not groups:
        out.append(("p", "No measures are recorded."))
    return out


def _measure_parts(m: ReportMeasure) -> list[tuple]:
    r, a, unit = m.row, m.row.analysis, m.row.measure.unit
    parts: list[tuple] = [("h2", r.measure.name)]
    if r.measure.description:
        parts.append(("p", r.measure.description))
    target = a.target_wording or ("" if a.target is None else figure(a.target, unit))
    rag = f"{rag_word(a.rag)} ({a.rag})" if a.rag else "Not rated"
    parts.append(("p", f"Latest: {figure(a.value, unit)} · Target: {target or 'none set'} · Status: {rag}."))
    parts.append(("h3", "Recent periods"))
    points = a.points[-RECENT:]
    if points:
        header = ["Period", "Value", "Target", "Special cause"]
        rows = [
            [p.period.label(), figure(p.value, unit), "–" if p.target is None else figure(p.target, unit),
             "; ".join(p.flags.reasons()) if p.flags and p.flags.special else "–"]
            for p in points
        ]  # fmt: skip
        parts.append(("table", [header, *rows]))
    else:
        parts.append(("p", "No data for recent periods."))
    parts.append(("h3", "Comparison"))
    parts.append(("li", f"Previous period: {figure(a.previous, unit)}; change {change_text(a.previous_change)}"))
    parts.append(("li", f"Same period last year: {figure(a.year_ago, unit)}; change {change_text(a.year_change)}"))
    if m.comparators:
        rows = [
            [c.period.label(), figure(c.msg_average, unit), figure(c.national_average, unit),
             f"{c.rank} of {c.rank_of}" if c.rank and c.rank_of else "–"]
            for c in m.comparators
        ]  # fmt: skip
        parts.append(("table", [["Period", "Most similar group average", "National average", "Rank in group"], *rows]))
    parts.append(("h3", "Special causes and exceptions"))
    exceptions = [f"Variation: {a.variation.label}."]
    if a.flags and a.flags.special:
        exceptions.append("Latest point: " + "; ".join(a.flags.reasons()) + ".")
    if a.rag == "R":
        exceptions.append("Off target.")
    parts.extend(("li", e) for e in exceptions)
    parts.append(("h3", "Commentary"))
    parts.append(("p", r.data_text))
    for para in (r.commentary or "No commentary for this period.").split("\n"):
        if para.strip():
            parts.append(("p", para.strip()))
    return parts


def render_performance_report(groups: list[ReportGroup], *, period: Period, as_at: date, fmt: str = "docx") -> bytes:
    """The full performance report as an editable Word document: Title, Heading 1 per objective,
    Heading 2 per measure, Heading 3 per part, tables with a repeating header row."""
    if fmt != "docx":
        raise ValueError(f"The full performance report is written as docx, not {fmt}.")
    parts = report_parts(groups, period=period, as_at=as_at)
    from docx import Document
    from docx.oxml.ns import qn

    doc = Document()
    doc.core_properties.title = "Full performance report"
    doc.core_properties.author = doc.core_properties.last_modified_by = ""
    doc.core_properties.created = doc.core_properties.modified = _noon(as_at)
    doc.core_properties.revision = 1
    levels = {"title": 0, "h1": 1, "h2": 2, "h3": 3}
    for kind, value in parts:
        if kind in levels:
            doc.add_heading(value, level=levels[kind])
        elif kind == "p":
            doc.add_paragraph(value)
        elif kind == "li":
            doc.add_paragraph(value, style="List Bullet")
        else:
            table = doc.add_table(rows=0, cols=len(value[0]))
            table.style = "Table Grid"
            for i, row in enumerate(value):
                cells = table.add_row().cells
                for j, text in enumerate(row):
                    cells[j].text = str(text)
                    if i == 0:
                        for run in cells[j].paragraphs[0].runs:
                            run.bold = True
            tr_pr = table.rows[0]._tr.get_or_add_trPr()
            tr_pr.append(tr_pr.makeelement(qn("w:tblHeader"), {}))
    out = io.BytesIO()
    doc.save(out)
    return fixed_zip(out.getvalue(), _noon(as_at))


def _noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
