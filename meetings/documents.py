"""The panel report section and published meeting notes as core.documents.TableDocuments; the
shared renderers lay them out as .docx, .pdf (tagged for the notes), .xlsx or .csv."""

from __future__ import annotations

from core import documents
from core.documents import Block, Column, Row, SummarySheet, TableDocument

from . import richtext
from .models import REQUEST_STATES, Meeting
from .selectors import PanelReport
from .workdays import working_days_between

NO_FINDINGS = "No findings marked for the panel."


def _d(day) -> str:
    return f"{day:%-d %B %Y}" if day else ""


def panel_document(report: PanelReport) -> TableDocument:
    """`Month | Type | Subject area`, one row per meeting with its findings for the panel beside it
    (the meeting's cells merged down over its findings), then the written requests and their state."""
    rows = []
    for pm in report.meetings:
        m = pm.meeting
        base = {"month": f"{m.held_on:%B %Y}", "type": m.get_kind_display(), "subject": m.subject_area}
        findings = [f.text for f in pm.findings] or [NO_FINDINGS]
        rows.extend(Row(cells={**base, "finding": text}, group=str(m.pk)) for text in findings)
    requests = SummarySheet(
        title="Written requests",
        header=["Subject", "Sent", "Response due", "State", "Response received"],
        rows=[
            [
                r.subject,
                f"{r.sent_on:%d/%m/%Y}",
                f"{r.response_due:%d/%m/%Y}",
                REQUEST_STATES[r.at_state],
                f"{r.response_received_on:%d/%m/%Y}" if r.at_state == "answered" else "",
            ]
            for r in report.requests
        ],
        note="" if report.requests else "No written requests were sent in this period.",
    )
    period = f"{_d(report.start)} to {_d(report.end)}"
    return TableDocument(
        title="Holding the Chief Constable to account",
        subtitle=f"Meetings held and written requests sent, {period}",
        intro=[
            f"{len(report.meetings)} meetings held; {len(report.requests)} written requests sent "
            f"(their state as at {_d(report.as_at)})."
        ],
        subject="Police and Crime Panel report",
        stamp=report.as_at,
        columns=[
            Column("month", "Month", width=12, merge_down=True),
            Column("type", "Type", width=10, merge_down=True),
            Column("subject", "Subject area", width=28, merge_down=True),
            Column("finding", "Key findings and outcomes", width=60),
        ],
        blocks=[Block("", rows=rows)],
        summaries=[requests],
        footer=f"Holding to account · {period}",
        sheet_name="Meetings",
    )


def render_panel(report: PanelReport, fmt: str) -> bytes:
    return documents.render(panel_document(report), fmt)


def notes_document(meeting: Meeting) -> TableDocument:
    """A meeting's notes for publication: the details and notes as paragraphs, then the agenda, key
    findings and outcomes and actions as one table under banners. The PDF is tagged."""
    draft = meeting.is_draft
    intro = [
        f"Date: {_d(meeting.held_on)}",
        f"Type: {meeting.get_kind_display()}",
    ]
    if meeting.oversight_body:
        intro.append(f"Forum: {meeting.oversight_body.name}")
    if meeting.attendees:
        intro.append("Attendees: " + "; ".join(a.strip() for a in meeting.attendees.splitlines() if a.strip()))
    if meeting.published_on:
        intro.append(f"Published: {_d(meeting.published_on)}")
    if draft:
        intro.insert(0, "DRAFT – not approved, not for publication")
    notes = richtext.plain_lines(meeting.notes)
    if notes:
        intro.append("Notes")
        intro.extend(notes)

    agenda = [
        Row(cells={"no": str(i), "item": a.title, "who": "", "due": ""})
        for i, a in enumerate(meeting.agenda_items.all(), start=1)
    ]
    findings = [
        Row(cells={"no": str(i), "item": f.text, "who": "", "due": ""})
        for i, f in enumerate(meeting.findings.all(), start=1)
    ]
    actions = [
        Row(
            cells={
                "no": a.ref,
                "item": a.text,
                "who": ", ".join(o.name for o in a.owners.all()),
                "due": f"{a.due_date:%d/%m/%Y}" if a.due_date else "",
                "status": a.get_status_display(),
            }
        )
        for a in meeting.actions.all()
    ]
    blocks = [
        Block(title, rows=rows)
        for title, rows in (("Agenda", agenda), ("Key findings and outcomes", findings), ("Actions", actions))
        if rows
    ]
    title = f"Notes of the {meeting.get_kind_display().lower()} meeting: {meeting.subject_area}"
    return TableDocument(
        title=("DRAFT – " if draft else "") + title,
        subtitle=meeting.oversight_body.name if meeting.oversight_body else "Holding the Chief Constable to account",
        intro=intro,
        subject="Holding to account meeting notes",
        stamp=meeting.published_on or meeting.held_on,
        columns=[
            Column("no", "No.", width=6),
            Column("item", "Item", width=60),
            Column("who", "Owner/s", width=20),
            Column("due", "Due", width=10),
            Column("status", "Status", csv_only=True),
        ],
        blocks=blocks or [Block("", rows=[Row(cells={"item": "No agenda, findings or actions recorded."})])],
        footer=f"{meeting.get_kind_display()} meeting, {meeting.held_on:%d/%m/%Y}",
        sheet_name="Notes",
    )


def render_notes(meeting: Meeting, fmt: str) -> bytes:
    return documents.render(notes_document(meeting), fmt)


def notes_filename(meeting: Meeting, fmt: str) -> str:
    prefix = "draft-" if meeting.is_draft else ""
    return f"{prefix}meeting-notes-{meeting.held_on.isoformat()}-{meeting.kind}.{fmt}"


def days_taken(request) -> int | None:
    """Working days from sending to the response (None while awaited)."""
    if not request.response_received_on:
        return None
    return working_days_between(request.sent_on, request.response_received_on)
