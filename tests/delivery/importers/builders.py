"""Build test workbooks in the layouts offices send, with the mess real ones have: title rows, banner
rows merged across, headers repeated with small variations, commitment cells merged down, HTML in
cells, free-text dates, RAG as text or only as fill, update cells starting with a date."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import PatternFill

EXTRACT_HEADER = ["Ref", "Plan commitment", "Supporting activity", "Progress update", "Oversight mechanism(s)"]
EXTRACT_HEADER_VARIANT = ["Ref", "Plan Commitment", "Supporting Activity", "Progress Update", "Oversight mechanism (s)"]


def _bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _banner(ws, row: int, text: str, width: int) -> None:
    ws.cell(row=row, column=1, value=text)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def extract_workbook(*, changed: bool = False) -> bytes:
    """A delivery-plan extract: two objectives, sections, merged commitments, sub-refs, HTML."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Appendix 1"
    r = 1
    for title in ("Delivery Plan Extract", "Appendix 1"):
        _banner(ws, r, title, 5)
        r += 1
    _banner(ws, r, "Putting victims and survivors first", 5)
    r += 1
    _banner(ws, r, "Policing element:", 5)
    r += 1
    for c, h in enumerate(EXTRACT_HEADER, start=1):
        ws.cell(row=r, column=c, value=h)
    r += 1
    # 1.1 with two activities, Ref and text merged down.
    ws.cell(row=r, column=1, value="1.1")
    ws.cell(row=r, column=2, value="Improve the service victims receive from first contact to court.")
    ws.merge_cells(start_row=r, start_column=1, end_row=r + 1, end_column=1)
    ws.merge_cells(start_row=r, start_column=2, end_row=r + 1, end_column=2)
    ws.cell(row=r, column=3, value="(A1.1) Audit compliance with the Victims' Code each quarter.")
    ws.cell(row=r, column=4, value="290622 – First audit complete; actions agreed with supervisors.")
    ws.cell(row=r, column=5, value="Victims' Board")
    ws.cell(row=r + 1, column=3, value="<p>(A1.2) Introduce <i>needs assessments</i> at first contact.</p>")
    progress = "Pilot live in two local policing areas." if not changed else "150922 – Rolled out force-wide."
    ws.cell(row=r + 1, column=4, value=progress)
    ws.cell(row=r + 1, column=5, value="Victims' Board; Monthly Holding to Account")
    r += 2
    # A continuation row: empty Ref and activity, text added to the activity above.
    ws.cell(row=r, column=4, value="Evaluation due with the university partner.")
    r += 1
    # 1.2: a commitment with no activities of its own.
    ws.cell(row=r, column=1, value=1.2)
    ws.cell(row=r, column=2, value="Commission an independent sexual violence advisor service.")
    ws.cell(row=r, column=4, value="29/06/22 - Contract awarded.")
    r += 1
    _banner(ws, r, "Police and Crime Commissioner's Commitments:", 5)
    r += 1
    for c, h in enumerate(EXTRACT_HEADER_VARIANT, start=1):
        ws.cell(row=r, column=c, value=h)
    r += 1
    ws.cell(row=r, column=1, value="1.10")
    ws.cell(row=r, column=2, value="Fund restorative justice for victims who want it.")
    ws.cell(row=r, column=3, value="((A10.1) Renew the restorative justice contract.")
    ws.cell(row=r, column=4, value="<ul style='margin:0'><li>Tender issued</li><li>Bids due</li></ul>")
    ws.cell(row=r, column=5, value="Victims' Board")
    r += 1
    _banner(ws, r, "Building a more secure West Mercia", 5)
    r += 1
    _banner(ws, r, "Policing element:", 5)
    r += 1
    for c, h in enumerate(EXTRACT_HEADER, start=1):
        ws.cell(row=r, column=c, value=h)
    r += 1
    ws.cell(row=r, column=1, value="B.2")
    ws.cell(row=r, column=2, value="Reduce harm on the roads.")
    ws.cell(row=r, column=3, value="(B2.17) Extend the community speed watch scheme.")
    ws.cell(row=r, column=4, value="296023 – Scheme extended to 12 more villages.")  # impossible date
    ws.cell(row=r, column=5, value="Road Safety Partnership")
    return _bytes(wb)


RED = PatternFill("solid", fgColor="FFFF0000")
AMBER = PatternFill("solid", fgColor="FFFFC000")
GREEN = PatternFill("solid", fgColor="FF00B050")


def tracker_rows(n: int, *, updates_per_row: int = 1, start: date = date(2022, 6, 1)) -> list[list]:
    rows = []
    rags = ["R", "Amber", "green", "", "B"]
    for i in range(1, n + 1):
        lines = [
            f"{(start.replace(day=1 + k % 28)):%d%m%y} – Update {k} for action {i}: partners met and agreed next steps."
            for k in range(updates_per_row)
        ]
        rows.append(
            [
                i,
                f"Action {i}: deliver the community safety commitment number {i}.",
                "Supt Paley / CI Preece" if i % 2 else "SNT Ch Insp, Safer Roads team",
                ["Dec 22", "By Oct 22", "Start Feb 23", "Ongoing", "Achieve by June 23"][i % 5],
                rags[i % 5],
                "\n".join(lines),
            ]
        )
    return rows


def tracker_workbook(
    *,
    strands: list[tuple[str, list[list]]] | None = None,
    fill_only: bool = False,
    extra_sheet: bool = True,
    bad_rag: bool = False,
) -> bytes:
    """A RAG tracker: a title row, the header, strand rows (the objectives), RAG as text or only as fill."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Tracker"
    ws.cell(row=1, column=1, value="Local Policing Community Charter Delivery Plan (July 2022)")
    ws.merge_cells("A1:F1")
    for c, h in enumerate(["#", "Action", "Owner/s", "Date", "RAG", "Update"], start=1):
        ws.cell(row=2, column=c, value=h)
    r = 3
    strands = strands or [
        (
            "Prevention",
            [
                [
                    1,
                    "Launch a rural crime prevention campaign.",
                    "Corporate Comms Supt Paley / CI Preece",
                    "By Oct 22",
                    "G",
                    "290622 – Campaign materials signed off.",
                ],
                [
                    2,
                    "Train SNT officers in problem solving.",
                    "SNT Ch Insp",
                    "Start Feb 23",
                    "amber",
                    "Trainer sourced; dates slipping.",
                ],
            ],
        ),
        (
            "Partnerships",
            [
                [
                    3,
                    "Set up a joint road safety group.",
                    "Safer Roads team & OPU",
                    date(2023, 1, 31),
                    "X" if bad_rag else "",
                    "29/06/22 - First meeting held.",
                ],
                [
                    4,
                    "Publish a partnership data sharing agreement.",
                    "Head of Partnerships",
                    "Ongoing",
                    "Complete",
                    "Agreement signed by all partners.",
                ],
            ],
        ),
    ]
    fills = {"R": RED, "A": AMBER, "AMBER": AMBER, "G": GREEN, "GREEN": GREEN}
    for strand, rows in strands:
        ws.cell(row=r, column=1, value=strand)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=6)
        r += 1
        for values in rows:
            for c, v in enumerate(values, start=1):
                if c == 5 and fill_only and isinstance(v, str) and v.upper() in fills:
                    ws.cell(row=r, column=c).fill = fills[v.upper()]
                    continue
                ws.cell(row=r, column=c, value=v)
            r += 1
    if extra_sheet:
        notes = wb.create_sheet("Notes")
        notes["A1"] = "This sheet explains the RAG ratings."
    return _bytes(wb)
