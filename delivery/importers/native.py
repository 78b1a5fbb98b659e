"""The tracker's own workbook (layout 3): one row per activity with every field under stable column
names. Downloaded from each plan page; importing it back unchanged changes nothing."""

from __future__ import annotations

import io
from datetime import date

from ..models import Plan, Status
from ..selectors import PLAN_ORDER, activities_as_at

COLUMNS = [
    "Objective no.",
    "Objective",
    "Section no.",
    "Section",
    "Ref",
    "Plan commitment",
    "Commitment publish",
    "Sub-ref",
    "Position",
    "Supporting activity",
    "Owner/s",
    "Oversight mechanism(s)",
    "Start date",
    "Due date",
    "Date as written",
    "Status",
    "RAG",
    "Latest update date",
    "Latest update",
    "Publish",
]
WIDTHS = [8, 30, 8, 24, 8, 40, 10, 10, 8, 50, 24, 28, 12, 12, 16, 12, 6, 12, 60, 8]


def native_workbook(*, plan: Plan, as_at: date | None = None) -> bytes:
    import xlsxwriter

    rows = (
        activities_as_at(as_at=as_at)
        .filter(commitment__plan=plan)
        .select_related("commitment__objective", "commitment__section")
        .prefetch_related("oversight_bodies")
        .order_by(*PLAN_ORDER)
    )
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    ws = wb.add_worksheet("Activities")
    header = wb.add_format({"bold": True, "bg_color": "#DBE7F2", "border": 1, "text_wrap": True, "valign": "top"})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    day = wb.add_format({"num_format": "yyyy-mm-dd", "valign": "top"})
    for c, (name, width) in enumerate(zip(COLUMNS, WIDTHS, strict=True)):
        ws.write_string(0, c, name, header)
        ws.set_column(c, c, width)
    labels = dict(Status.choices)
    r = 0
    for r, a in enumerate(rows, start=1):
        c = a.commitment
        values = [
            c.objective.order,
            c.objective.title,
            c.section.order if c.section else "",
            c.section.title if c.section else "",
            c.ref,
            c.text,
            "Yes" if c.publish else "No",
            a.sub_ref,
            a.position,
            a.text,
            a.owner_text,
            "; ".join(sorted(b.name for b in a.oversight_bodies.all())),
            a.at_start,
            a.at_due,
            a.date_text,
            labels.get(a.at_status, a.at_status),
            a.at_rag or "",
            a.at_progress_on,
            a.at_progress or "",
            "Yes" if a.publish else "No",
        ]
        for col, value in enumerate(values):
            if isinstance(value, date):
                ws.write_datetime(r, col, value, day)
            elif isinstance(value, int):
                ws.write_number(r, col, value)
            elif value in ("", None):
                ws.write_blank(r, col, None)
            else:
                ws.write_string(r, col, str(value), wrap)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(r, 1), len(COLUMNS) - 1)
    wb.close()
    return out.getvalue()
