"""Recognise each sheet of a delivery-plan workbook and parse it into plain records (no database).

Three layouts: the panel's delivery-plan extract, a RAG tracker, and the tracker's own workbook. The
generic rules (header and banner rows, values, problems) are in `core.tabular.layouts`; this module
holds what is particular to plans: which headers name which fields, which layout a header row means,
and how commitments, activities, objectives and sections are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from core.tabular import cells
from core.tabular.layouts import (
    ParsedUpdate,
    Problems,
    as_date,
    as_int,
    banner_text,
    cell_fill,
    cell_value,
    field_column,
    find_header_row,
    header_fields,
    header_texts,
    is_blank,
    normalise_header,
    parse_bool,
    split_update_entries,
)
from core.tabular.problems import Problem
from core.tabular.workbook import Cell, Sheet, Workbook

from .columns import NATIVE_COLUMNS

EXTRACT, TRACKER, NATIVE = "extract", "tracker", "native"
LAYOUT_NAMES = {EXTRACT: "delivery-plan extract", TRACKER: "RAG tracker", NATIVE: "the tracker's own workbook"}

# Header text (normalised) -> field. Normalising lower-cases, drops "(s)", "/s", punctuation at the ends.
HEADERS = {
    "ref": "ref",
    "#": "ref",
    "no": "ref",
    "no.": "ref",
    "reference": "ref",
    "ref no": "ref",
    "number": "ref",
    "plan commitment": "commitment",
    "commitment": "commitment",
    "police and crime plan commitment": "commitment",
    "supporting activity": "activity",
    "activity": "activity",
    "action": "activity",
    "recommendation": "activity",
    "recommendation, action or activity": "activity",
    "recommendation action or activity": "activity",
    "action or activity": "activity",
    "supporting activities": "activity",
    "activities": "activity",
    "progress update": "progress",
    "update": "progress",
    "latest update": "progress",
    "progress": "progress",
    "latest progress": "progress",
    "progress update text": "progress",
    "oversight mechanism": "oversight",
    "oversight": "oversight",
    "oversight body": "oversight",
    "owner": "owners",
    "owners": "owners",
    "lead": "owners",
    "lead officer": "owners",
    "responsible": "owners",
    "date": "date",
    "due date": "due",
    "due": "due",
    "deadline": "date",
    "timescale": "date",
    "target date": "date",
    "rag": "rag",
    "rag status": "rag",
    "rag rating": "rag",
    "sub ref": "sub_ref",
    # The tracker's own workbook (layout 3): its stable column names.
    **{normalise_header(label): name for name, label, _width in NATIVE_COLUMNS},
}
STATUS_WORDS = {
    "not started": "not_started",
    "in progress": "in_progress",
    "complete": "complete",
    "completed": "complete",
    "on hold": "on_hold",
    "closed": "closed",
}
GENERIC_TITLES = re.compile(r"^(appendix\s*\w*|delivery plan extract|annex\s*\w*)$", re.IGNORECASE)
SECTION_BANNER = re.compile(r"(:\s*$)|(^part\s+[a-z0-9]+\b)", re.IGNORECASE)


@dataclass
class ParsedActivity:
    sheet: str
    row: int
    sub_ref: str
    text: str
    owner_text: str = ""
    owners: list[str] = field(default_factory=list)
    oversight: list[str] = field(default_factory=list)
    start: date | None = None
    due: date | None = None
    date_text: str = ""
    has_dates: bool = False  # the layout has a date column, so dates are to be compared
    rag: str | None = None  # None: the layout has no RAG column, leave it as it is
    status: str | None = None  # None: leave it (or derive it from RAG "Complete")
    updates: list[ParsedUpdate] = field(default_factory=list)
    publish: bool | None = None
    has_owners: bool = False
    has_oversight: bool = False


@dataclass
class ParsedCommitment:
    sheet: str
    row: int
    ref: str
    text: str
    objective: str
    objective_order: int | None
    section: str
    section_order: int | None
    activities: list[ParsedActivity] = field(default_factory=list)
    publish: bool | None = None


@dataclass
class ParsedSheet:
    name: str
    layout: str
    commitments: list[ParsedCommitment] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)

    @property
    def activity_count(self) -> int:
        return sum(len(c.activities) for c in self.commitments)


@dataclass
class ParsedWorkbook:
    filename: str
    sheets: list[ParsedSheet] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)
    notes: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return self.problems.errors

    @property
    def warnings(self) -> list[Problem]:
        return self.problems.warnings

    @property
    def layout(self) -> str:
        kinds = sorted({s.layout for s in self.sheets})
        return kinds[0] if len(kinds) == 1 else ",".join(kinds)

    def plan_name(self) -> str | None:
        """The plan's name from the title rows: the most specific title, else None."""
        titles = [t for s in self.sheets for t in s.titles]
        specific = [t for t in titles if not GENERIC_TITLES.match(t.strip())]
        if specific:
            return max(specific, key=len)
        return None


def is_header(fields: dict[str, int]) -> bool:
    return len(fields) >= 3 and ("activity" in fields or "commitment" in fields)


def _layout_of(fields: dict[str, int]) -> str | None:
    if {"sub_ref", "status", "objective"} <= fields.keys():
        return NATIVE
    if "rag" in fields and "activity" in fields:
        return TRACKER
    if {"commitment", "activity"} <= fields.keys() or {"ref", "activity", "progress"} <= fields.keys():
        return EXTRACT
    return None


class _SheetParser:
    def __init__(self, sheet: Sheet, layout: str | None, problems: Problems) -> None:
        self.sheet = sheet
        self.forced = layout
        self.problems = problems
        self.fields: dict[str, int] = {}
        self.parsed: ParsedSheet | None = None
        self.objective = ""
        self.section = ""
        self.pending: list[str] = []  # banner rows waiting for what follows them
        self.commitment: ParsedCommitment | None = None
        self.activity: ParsedActivity | None = None
        self.seen_refs: dict[str, ParsedCommitment] = {}

    def problem(self, row: int | None, key: str | None, message: str, level: str = "error") -> None:
        self.problems.add(self.sheet.name, row, field_column(self.fields, key), message, level)

    def run(self) -> ParsedSheet | str:
        """The parsed sheet, or why it was skipped."""
        found = find_header_row(self.sheet.rows, HEADERS, is_header=is_header)
        if found is None:
            if self.forced:
                self.problem(
                    None,
                    None,
                    (
                        f'No header row found on sheet "{self.sheet.name}": expected a row with columns such as '
                        "Ref, Plan commitment, Supporting activity, Progress update (or #, Action, Owner/s, Date, "
                        "RAG, Update)."
                    ),
                )
            return "no header row (Ref, Supporting activity, ...) found"
        header_at, self.fields = found
        layout = _layout_of(self.fields)
        if self.forced and layout != self.forced:
            self.problem(
                self.sheet.row_number(header_at),
                None,
                (
                    f'Sheet "{self.sheet.name}" does not look like a {LAYOUT_NAMES[self.forced]}: its header row has '
                    f"{', '.join(header_texts(self.sheet.rows[header_at], self.fields))}."
                ),
            )
            return "does not match the chosen layout"
        if layout is None:
            return "its header row does not match a known layout"
        self.parsed = ParsedSheet(name=self.sheet.name, layout=layout)
        first_col = min(self.fields.values())
        for i, row in enumerate(self.sheet.rows):
            number = self.sheet.row_number(i)
            if i < header_at:
                banner = banner_text(row, first_col)
                if banner:
                    self.pending.append(banner)
                continue
            if i == header_at and layout == TRACKER:
                # A tracker's strands come after its header: everything above it is a title.
                self.add_titles(self.pending)
                self.pending = []
                continue
            if i == header_at or is_header(header_fields(row, HEADERS)):
                self.settle_banners()
                continue
            banner = banner_text(row, first_col)
            if banner and not (layout == NATIVE):
                self.pending.append(banner)
                continue
            if is_blank(row):
                continue
            self.settle_banners()
            self.data_row(row, number)
        self.settle_banners()
        if not self.parsed.commitments:
            self.problem(
                None, None, f'Sheet "{self.sheet.name}" has a header row but no activities under it.', "warning"
            )
        return self.parsed

    # --- Banners: titles, objectives, sections ----------------------------------------------------

    def settle_banners(self) -> None:
        if not self.pending:
            return
        run, self.pending = self.pending, []
        section_at = max((k for k, t in enumerate(run) if SECTION_BANNER.search(t)), default=None)
        if section_at is not None:
            if section_at > 0:
                self.set_objective(run[section_at - 1])
                self.add_titles(run[: section_at - 1])
            self.section = self.clean_section(run[section_at])
        else:
            self.set_objective(run[-1])
            self.section = ""
            self.add_titles(run[:-1])

    def clean_section(self, text: str) -> str:
        return text.strip().rstrip(":").strip()

    def set_objective(self, text: str) -> None:
        self.objective = re.sub(r"^\d+[.)]\s+", "", text.strip())
        self.section = ""
        self.commitment = None
        self.activity = None

    def add_titles(self, titles: list[str]) -> None:
        if self.parsed is not None:
            self.parsed.titles.extend(t for t in titles if t)

    # --- Data rows ----------------------------------------------------------------------------

    def data_row(self, row: list[Cell], number: int) -> None:
        if self.parsed.layout == NATIVE:
            self.native_row(row, number)
            return
        f = self.fields
        ref = cells.clean_ref(cell_value(row, f.get("ref")))
        commitment_text = cells.clean_text(cell_value(row, f.get("commitment")))
        sub_ref, activity_text = cells.split_sub_ref(cell_value(row, f.get("activity")))
        if ref:
            existing = self.seen_refs.get(ref)
            if (
                existing is self.commitment
                and existing is not None
                and (not commitment_text or commitment_text == existing.text)
            ):
                pass  # the Ref written again on each row of the same commitment
            elif existing is not None:
                self.problem(
                    number,
                    "ref",
                    (
                        f'Reference "{ref}" is used twice on this sheet (also row {existing.row}); references must be '
                        "unique in a plan."
                    ),
                )
                return
            else:
                if not self.objective:
                    self.problem(
                        number,
                        "ref",
                        "This row comes before any objective banner row; add the objective's name in a row above it.",
                        "warning",
                    )
                self.commitment = ParsedCommitment(
                    sheet=self.sheet.name,
                    row=number,
                    ref=ref,
                    text=commitment_text or activity_text,
                    objective=self.objective or "Objectives",
                    objective_order=None,
                    section=self.section,
                    section_order=None,
                )
                self.seen_refs[ref] = self.commitment
                self.parsed.commitments.append(self.commitment)
                self.activity = None
        elif self.commitment is None:
            if activity_text or commitment_text:
                self.problem(number, "ref", "This row has no Ref and there is no commitment above it to add it to.")
            return
        if not activity_text and not ref:
            # Empty Ref and empty activity: its text belongs to the activity above.
            self.continue_activity(row, number)
            return
        if not activity_text:
            activity_text = self.commitment.text  # a commitment with no activities of its own
        self.activity = ParsedActivity(sheet=self.sheet.name, row=number, sub_ref=sub_ref, text=activity_text)
        self.commitment.activities.append(self.activity)
        self.fill_activity(self.activity, row, number)

    def continue_activity(self, row: list[Cell], number: int) -> None:
        if self.activity is None:
            return
        entries, warnings = split_update_entries(cell_value(row, self.fields.get("progress")))
        for w in warnings:
            self.problem(number, "progress", w, "warning")
        if entries:
            if self.activity.updates and entries[0].on is None:
                self.activity.updates[-1].text += "\n" + entries.pop(0).text
            self.activity.updates.extend(entries)
        extra = cells.clean_text(cell_value(row, self.fields.get("oversight")))
        if extra:
            self.activity.oversight.extend(_split_bodies(extra))

    def fill_activity(self, a: ParsedActivity, row: list[Cell], number: int) -> None:
        f = self.fields
        if "owners" in f:
            a.has_owners = True
            a.owner_text = " ".join(cells.clean_text(cell_value(row, f["owners"])).split())
            a.owners = cells.split_owners(a.owner_text)
        if "oversight" in f:
            a.has_oversight = True
            a.oversight = _split_bodies(cells.clean_text(cell_value(row, f["oversight"])))
        date_col = f.get("date", f.get("due"))
        if date_col is not None:
            a.has_dates = True
            dt = cells.parse_date_text(cell_value(row, date_col))
            a.start, a.due, a.date_text = dt.start, dt.due, dt.text
        if "rag" in f:
            try:
                rag = cells.parse_rag(cell_value(row, f["rag"]), cell_fill(row, f["rag"]))
            except cells.CellError as e:
                self.problem(number, "rag", str(e))
            else:
                a.rag = rag.rag
                if rag.complete:
                    a.status = "complete"
        entries, warnings = split_update_entries(cell_value(row, f.get("progress")))
        for w in warnings:
            self.problem(number, "progress", w, "warning")
        a.updates = entries

    def native_row(self, row: list[Cell], number: int) -> None:
        f = self.fields
        ref = cells.clean_ref(cell_value(row, f.get("ref")))
        if not ref:
            self.problem(number, "ref", "Every row of this workbook needs its commitment's Ref.")
            return
        objective = cells.clean_text(cell_value(row, f.get("objective")))
        section = cells.clean_text(cell_value(row, f.get("section")))
        c = self.seen_refs.get(ref)
        if c is None:
            c = ParsedCommitment(
                sheet=self.sheet.name,
                row=number,
                ref=ref,
                text=cells.clean_text(cell_value(row, f.get("commitment"))),
                objective=objective,
                objective_order=as_int(cell_value(row, f.get("objective_order"))),
                section=section,
                section_order=as_int(cell_value(row, f.get("section_order"))),
                publish=parse_bool(cell_value(row, f.get("commitment_publish"))),
            )
            self.seen_refs[ref] = c
            self.parsed.commitments.append(c)
        a = ParsedActivity(
            sheet=self.sheet.name,
            row=number,
            sub_ref=cells.clean_ref(cell_value(row, f.get("sub_ref"))),
            text=cells.clean_text(cell_value(row, f.get("activity"))),
            has_owners=True,
            has_oversight=True,
            has_dates=True,
        )
        a.owner_text = " ".join(cells.clean_text(cell_value(row, f.get("owners"))).split())
        a.owners = cells.split_owners(a.owner_text)
        a.oversight = _split_bodies(cells.clean_text(cell_value(row, f.get("oversight"))))
        a.start = as_date(cell_value(row, f.get("start")))
        a.due = as_date(cell_value(row, f.get("due")))
        a.date_text = cells.clean_text(cell_value(row, f.get("date_text")))
        status_text = cells.clean_text(cell_value(row, f.get("status"))).lower()
        a.status = STATUS_WORDS.get(status_text)
        if a.status is None:
            self.problem(
                number,
                "status",
                (f'"{status_text}" is not a status; expected Not started, In progress, Complete, On hold or Closed.'),
            )
        try:
            a.rag = cells.parse_rag(cell_value(row, f.get("rag")), None).rag
        except cells.CellError as e:
            self.problem(number, "rag", str(e))
        text = cells.clean_text(cell_value(row, f.get("progress")))
        if text:
            a.updates = [ParsedUpdate(on=as_date(cell_value(row, f.get("progress_on"))), text=text)]
        a.publish = parse_bool(cell_value(row, f.get("publish")))
        if not a.text:
            self.problem(number, "activity", "The supporting activity is empty.")
        c.activities.append(a)


def _split_bodies(text: str) -> list[str]:
    names = []
    for part in re.split(r"[;\n]|,(?![^()]*\))", text or ""):
        name = " ".join(part.replace("•", "").split()).strip(" .")
        if name and name.lower() not in {n.lower() for n in names}:
            names.append(name)
    return names


def parse_workbook(book: Workbook, *, layout: str = "auto", sheet: str | None = None) -> ParsedWorkbook:
    """Parse every sheet that matches a layout (or only `sheet`); list the rest as skipped."""
    result = ParsedWorkbook(filename=book.filename, notes=list(book.notes))
    forced = None if layout == "auto" else layout
    sheets = book.sheets
    if sheet:
        sheets = [s for s in book.sheets if s.name == sheet]
        if not sheets:
            names = ", ".join(f'"{s.name}"' for s in book.sheets)
            result.problems.add(sheet, None, None, f'There is no sheet called "{sheet}". Sheets: {names}.')
            return result
    for s in sheets:
        outcome = _SheetParser(s, forced, result.problems).run()
        if isinstance(outcome, str):
            result.skipped.append({"sheet": s.name, "reason": outcome})
        else:
            result.sheets.append(outcome)
    if not result.sheets and not result.errors:
        reasons = "; ".join(f'"{s["sheet"]}": {s["reason"]}' for s in result.skipped)
        result.problems.add(
            book.sheets[0].name if book.sheets else "",
            None,
            None,
            "No sheet in this workbook looks like a delivery plan or RAG tracker "
            f"({reasons}). The header row needs columns such as Ref, Plan commitment, Supporting activity and "
            "Progress update, or #, Action, Owner/s, Date, RAG and Update.",
        )
    _check_duplicates_across_sheets(result)
    return result


def _check_duplicates_across_sheets(result: ParsedWorkbook) -> None:
    seen: dict[str, ParsedCommitment] = {}
    sub_refs: dict[str, ParsedActivity] = {}
    for s in result.sheets:
        for c in s.commitments:
            other = seen.get(c.ref)
            if other is not None and other.sheet != c.sheet:
                result.problems.add(
                    c.sheet,
                    c.row,
                    None,
                    f'Reference "{c.ref}" is also on sheet "{other.sheet}" row {other.row}; references must be '
                    "unique in a plan.",
                )
            seen.setdefault(c.ref, c)
            for a in c.activities:
                if not a.sub_ref:
                    continue
                twin = sub_refs.get(a.sub_ref)
                if twin is not None:
                    result.problems.add(
                        a.sheet,
                        a.row,
                        None,
                        f'Sub-reference "{a.sub_ref}" is used twice (also sheet "{twin.sheet}" row {twin.row}).',
                    )
                sub_refs.setdefault(a.sub_ref, a)
