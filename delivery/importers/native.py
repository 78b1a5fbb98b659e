"""The tracker's own workbook (layout 3): one row per activity with every field under stable column
names. Downloaded from each plan page; importing it back unchanged changes nothing."""

from __future__ import annotations

import io
from datetime import date

from ..models import Plan, Rag, Status
from ..selectors import plan_workbook_rows
from .columns import NATIVE_COLUMNS

# Document properties that carry the plan's identity, so the workbook comes back to its plan whatever
# the file is called (custom properties survive Excel's "Save").
PLAN_PROPERTY = {"id": "Tracker plan id", "slug": "Tracker plan slug", "name": "Tracker plan"}

# Data validation covers every row below the header, including rows a user adds.
LAST_ROW = 1_048_575


def _validate_choices(ws, status_labels: dict[str, str]) -> None:
    """RAG and Status cells offer a dropdown of the values the importer accepts and refuse others, so
    the file that comes back is clean. RAG may be left blank (not rated)."""
    names = [name for name, _label, _width in NATIVE_COLUMNS]
    choices = {
        "rag": (
            [value for value in Rag.values if value],
            "RAG",
            "R (Red), A (Amber), G (Green), or leave it blank for not rated.",
        ),
        "status": (list(status_labels.values()), "Status", "One of: " + ", ".join(status_labels.values()) + "."),
    }
    for name, (values, title, message) in choices.items():
        col = names.index(name)
        ws.data_validation(
            1,
            col,
            LAST_ROW,
            col,
            {
                "validate": "list",
                "source": values,
                "ignore_blank": True,
                "input_title": title,
                "input_message": message[:255],
                "error_title": f"Not a {title} value",
                "error_message": message[:255],
                "error_type": "stop",
            },
        )


# In an update round's workbook only these columns are open for typing; the rest are locked (the sheet is
# protected without a password, so it guards against slips, not people).
ROUND_OPEN_COLUMNS = ("status", "rag", "progress_on", "progress")


def native_workbook(
    *, plan: Plan, as_at: date | None = None, activity_ids: list[int] | None = None, round_title: str = ""
) -> bytes:
    """The plan's own workbook. With `activity_ids`, just those activities; with `round_title` too it is
    an update round's workbook: "Latest update" left empty for this round's update, the last update as
    a note on that cell, and every column but RAG, status and the update locked."""
    import xlsxwriter

    rows = list(plan_workbook_rows(plan=plan, as_at=as_at, activity_ids=activity_ids))
    for_round = bool(round_title)
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_custom_property(PLAN_PROPERTY["id"], str(plan.pk))
    wb.set_custom_property(PLAN_PROPERTY["slug"], plan.slug)
    wb.set_custom_property(PLAN_PROPERTY["name"], plan.name)
    wb.set_properties({"title": f"{plan.name}: the tracker's own workbook"})
    ws = wb.add_worksheet("Activities")
    header = wb.add_format({"bold": True, "bg_color": "#DBE7F2", "border": 1, "text_wrap": True, "valign": "top"})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    day = wb.add_format({"num_format": "yyyy-mm-dd", "valign": "top"})
    open_wrap = wb.add_format({"text_wrap": True, "valign": "top", "locked": False, "bg_color": "#FFF7BF"})
    open_day = wb.add_format({"num_format": "yyyy-mm-dd", "valign": "top", "locked": False, "bg_color": "#FFF7BF"})
    for col, (_field, label, width) in enumerate(NATIVE_COLUMNS):
        ws.write_string(0, col, label, header)
        ws.set_column(col, col, width)
    labels = dict(Status.choices)
    previous: list[tuple] = []
    r = 0
    for r, a in enumerate(rows, start=1):
        c = a.commitment
        values = {
            "objective_order": c.objective.order,
            "objective": c.objective.title,
            "section_order": c.section.order if c.section else "",
            "section": c.section.title if c.section else "",
            "ref": c.ref,
            "commitment": c.text,
            "commitment_publish": "Yes" if c.publish else "No",
            "sub_ref": a.sub_ref,
            "position": a.position,
            "activity": a.text,
            "owners": a.owner_text,
            "oversight": "; ".join(sorted(b.name for b in a.oversight_bodies.all())),
            "start": a.at_start,
            "due": a.at_due,
            "date_text": a.date_text,
            "status": labels.get(a.at_status, a.at_status),
            "rag": a.at_rag or "",
            "progress_on": a.at_progress_on,
            "progress": a.at_progress or "",
            "publish": "Yes" if a.publish else "No",
        }
        if for_round:
            previous.append((a.at_progress_on, a.at_progress or ""))
            values["progress_on"], values["progress"] = None, ""
        for col, (name, _label, _width) in enumerate(NATIVE_COLUMNS):
            value = values[name]
            is_open = for_round and name in ROUND_OPEN_COLUMNS
            if isinstance(value, date):
                ws.write_datetime(r, col, value, open_day if is_open else day)
            elif isinstance(value, int):
                ws.write_number(r, col, value)
            elif value in ("", None):
                ws.write_blank(r, col, None, (open_day if name == "progress_on" else open_wrap) if is_open else None)
            else:
                ws.write_string(r, col, str(value), open_wrap if is_open else wrap)
    if for_round:
        names = [name for name, _label, _width in NATIVE_COLUMNS]
        ws.write_string(0, names.index("progress"), "Latest update", header)
        ws.write_comment(0, names.index("progress"), f"Write this round's update here ({round_title}).")
        ws.protect("", {"autofilter": True, "sort": False, "format_columns": True, "format_rows": True})
        col = names.index("progress")
        for pr, (on, text) in enumerate(previous, start=1):
            if text:
                when = f"{on:%d/%m/%Y}" if on else "undated"
                ws.write_comment(pr, col, f"Last update ({when}): {text}"[:32000], {"x_scale": 3, "y_scale": 3})
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(r, 1), len(NATIVE_COLUMNS) - 1)
    _validate_choices(ws, labels)
    wb.close()
    return out.getvalue()
