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
    header_fields,
    header_texts,
    is_blank,
    normalise_header,
    parse_bool,
    split_update_entries,
)
from core.tabular.problems import Problem
from core.tabular.recognise import (
    FieldSpec,
    Recognition,
    find_columns,
    header_fields_scored,
    score_header,
    sheet_grid,
)
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
# What each field of a plan is called in real workbooks, and what its values look like. Header words are
# matched as words, so "Key recommendation", "Action(s) / milestone", "Lead (officer)", "Current RAG"
# and "Update – Q3 2023/24" are recognised; see core.tabular.recognise.
PLAN_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("ref", ("ref", "reference", "#", "no", "number", "ref no", "id", "item"), "ref", "Ref"),
    FieldSpec(
        "commitment",
        ("commitment", "plan commitment", "police and crime plan commitment", "priority", "aim"),
        "text",
        "Plan commitment",
    ),
    FieldSpec(
        "activity",
        (
            "activity", "supporting activity", "action", "recommendation", "deliverable", "milestone", "task",
            "what we will do", "recommendation action or activity",
        ),
        "text",
        "Supporting activity",
    ),
    FieldSpec(
        "progress",
        ("update", "progress", "progress update", "position", "commentary", "narrative", "comment", "latest position"),
        "update",
        "Progress update",
    ),
    FieldSpec(
        "owners",
        ("owner", "lead", "lead officer", "responsible", "accountable", "responsible officer", "action owner", "who"),
        "names",
        "Owner/s",
    ),
    FieldSpec(
        "oversight",
        ("oversight", "oversight mechanism", "oversight body", "governance", "scrutiny", "board"),
        "names",
        "Oversight mechanism(s)",
    ),
    FieldSpec(
        "date",
        ("date", "due", "due date", "deadline", "timescale", "target date", "completion date", "by when", "when"),
        "date",
        "Date",
    ),
    FieldSpec("start", ("start", "start date", "commence", "commencement date"), "date", "Start date"),
    FieldSpec("rag", ("rag", "rag status", "rag rating", "rating", "brag", "rag rating status"), "rag", "RAG",
              weak_words=("status", "progress status")),
    FieldSpec("status", ("status", "progress status", "state"), "status", "Status"),
    FieldSpec("sub_ref", ("sub ref", "sub reference", "activity ref", "action ref", "sub no"), "ref", "Sub-ref"),
)  # fmt: skip
FIELD_LABELS = {f.name: f.label for f in PLAN_FIELDS}
REQUIRED = ("ref", "activity")

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
    rag_written: str = ""  # the rating as written when it was mapped ("Amber/Green", "On track")
    native: bool = False  # from the tracker's own workbook: a changed progress cell is as at the update date


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
    properties: dict = field(default_factory=dict)
    sheet_info: list[dict] = field(default_factory=list)  # per sheet: header row, columns understood, a grid
    unknown_values: list[dict] = field(default_factory=list)  # RAG and status values to map

    @property
    def titles(self) -> list[str]:
        return [t for s in self.sheets for t in s.titles]

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


def _is_native_header(row: list[Cell]) -> dict[str, int] | None:
    """The tracker's own workbook is recognised by its exact column names (it writes them)."""
    fields = header_fields(row, NATIVE_HEADERS)
    return fields if {"sub_ref", "status", "objective", "ref", "activity"} <= fields.keys() else None


NATIVE_HEADERS = {normalise_header(label): name for name, label, _width in NATIVE_COLUMNS}


def _layout_of(fields: dict[str, int]) -> str | None:
    if {"sub_ref", "status", "objective"} <= fields.keys():
        return NATIVE
    if ("rag" in fields or "status" in fields) and "activity" in fields and "commitment" not in fields:
        return TRACKER
    if {"commitment", "activity"} <= fields.keys() or {"ref", "activity", "progress"} <= fields.keys():
        return EXTRACT
    if "ref" in fields and ("activity" in fields or "commitment" in fields):
        return TRACKER if {"owners", "date", "rag"} & fields.keys() else EXTRACT
    return None


@dataclass
class ReadingOptions:
    """What the person importing told the importer: column mappings per sheet ({sheet or "*":
    {column key: field}}), header rows per sheet (Excel row numbers), and value mappings
    ({"rag": {value key: "R"|"A"|"G"|"B"|""}, "status": {value key: status}})."""

    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    header_rows: dict[str, int] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)


def _likely_header_row(rows: list[list[Cell]]) -> int | None:
    """For a sheet where no header was recognised: the first row of the first 15 with the most text
    cells (what a person would take for its header)."""
    best, best_count = None, 1
    for i, row in enumerate(rows[:15]):
        count = sum(1 for c in row if isinstance(c.value, str) and cells.clean_text(c.value))
        if count > best_count:
            best, best_count = i, count
    return best


def _understood(fields: dict[str, int]) -> list[str]:
    return [
        f"{FIELD_LABELS.get(name, name)} in column {field_column(fields, name)}"
        for name in sorted(fields, key=fields.get)
    ]


_REF_TOKENS = re.compile(r"[A-Za-z]+|\d+")


def sub_ref_extends(sub_ref: str, ref: str) -> bool:
    """Whether a bracketed prefix is a sub-reference of this commitment: it extends the commitment's
    reference ("A1.2" under "A.1" or "A1", "2.1.3" under "2.1", "D6.1" under "D6"). A leading letter may
    stand for the commitment's leading number ("A1.2" under "1.1", "B2.17" under "B.2")."""
    sub = [t.upper() for t in _REF_TOKENS.findall(sub_ref)]
    base = [t.upper() for t in _REF_TOKENS.findall(ref)]
    if not base or len(sub) <= len(base):
        return False
    if sub[: len(base)] == base:
        return True
    if len(sub[0]) == 1 and sub[0].isalpha() and base[0].isdigit() and len(sub) > len(base) + 0:
        aliased = [str(ord(sub[0]) - 64), *sub[1:]]
        if aliased[: len(base)] == base and len(aliased) > len(base):
            return True
    return False


def _looks_like_sub_ref(candidate: str) -> bool:
    """A prefix that reads as a reference (several parts: "C3.1", "2.4"), not list numbering ("1", "12")."""
    return len(_REF_TOKENS.findall(candidate)) >= 2


class _SheetParser:
    def __init__(
        self, sheet: Sheet, layout: str | None, problems: Problems, options: ReadingOptions | None = None
    ) -> None:
        self.options = options or ReadingOptions()
        self.info: dict = {}
        self.recognition: Recognition | None = None
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
        self.unknown_values: dict[tuple[str, str], dict] = {}

    def problem(self, row: int | None, key: str | None, message: str, level: str = "error") -> None:
        self.problems.add(self.sheet.name, row, field_column(self.fields, key), message, level)

    def run(self) -> ParsedSheet | str:
        """The parsed sheet, or why it was skipped. What was understood of the columns is kept in
        `self.info` for the preview (and its mapping step)."""
        rows = self.sheet.rows
        self.info = {"sheet": self.sheet.name, "recognised": False, "header_row": None, "columns": []}
        native = None
        if not self.options.columns.get(self.sheet.name) and self.sheet.name not in self.options.header_rows:
            native = next(((i, f) for i, row in enumerate(rows[:60]) if (f := _is_native_header(row))), None)
        if native is not None:
            header_at, self.fields = native
            layout = NATIVE
        else:
            chosen_row = self.options.header_rows.get(self.sheet.name)
            recognition = find_columns(
                rows,
                PLAN_FIELDS,
                is_header=is_header,
                mapping=self.options.columns.get(self.sheet.name) or self.options.columns.get("*") or {},
                header_index=chosen_row - 1 if chosen_row else None,
            )
            if recognition is None:
                self.info["grid"] = sheet_grid(self.sheet)
                guess = _likely_header_row(rows)
                if guess is not None:
                    attempt = find_columns(rows, PLAN_FIELDS, is_header=is_header, header_index=guess)
                    if attempt is not None:
                        self.info["header_row"] = self.sheet.row_number(guess)
                        self.info["columns"] = [c.as_json() for c in attempt.columns]
                        self.info["understood"] = _understood(attempt.fields)
                if self.forced:
                    self.problem(
                        None,
                        None,
                        (
                            f'No header row found on sheet "{self.sheet.name}": expected a row with columns such as '
                            "Ref, Plan commitment, Supporting activity, Progress update (or #, Action, Owner/s, "
                            "Date, RAG, Update). Map its columns in the preview."
                        ),
                    )
                return "no header row (Ref, Supporting activity, ...) found"
            header_at, self.fields = recognition.header_index, dict(recognition.fields)
            self.recognition = recognition
            layout = _layout_of(self.fields)
            self.info.update(
                header_row=self.sheet.row_number(header_at),
                columns=[c.as_json() for c in recognition.columns],
                signature=recognition.signature,
                understood=_understood(self.fields),
            )
            missing = [f for f in ("ref",) if f not in self.fields]
            if "activity" not in self.fields and "commitment" not in self.fields:
                missing.append("activity")
            competing = {
                name: [recognition.columns[i].letter for i in cols] for name, cols in recognition.competing.items()
            }
            if (missing or competing) and layout is not None:
                self.info["unsure"] = True
                self.info["grid"] = sheet_grid(self.sheet)
                reasons = [f"no column for {FIELD_LABELS[m]}" for m in missing] + [
                    f"columns {' and '.join(letters)} could each be {FIELD_LABELS[name]}"
                    for name, letters in competing.items()
                ]
                self.problem(
                    self.sheet.row_number(header_at),
                    None,
                    (
                        f'The columns of sheet "{self.sheet.name}" need confirming ({"; ".join(reasons)}). '
                        "Choose what each column holds in the column mapping below; the answer is kept for "
                        "workbooks with the same headers."
                    ),
                )
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
            self.info["grid"] = sheet_grid(self.sheet)
            return "its header row does not match a known layout"
        self.info.update(recognised=True, layout=layout, header_row=self.sheet.row_number(header_at))
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
            if i == header_at or self.repeated_header(row):
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

    def repeated_header(self, row: list[Cell]) -> bool:
        """The header row again (it repeats at every section, with small variations)."""
        if self.parsed.layout == NATIVE:
            return _is_native_header(row) is not None
        mapping = self.options.columns.get(self.sheet.name) or self.options.columns.get("*") or {}
        if not mapping:
            # Quick refusal first: a header names its activity (or commitment) column in a few words.
            key = "activity" if "activity" in self.fields else "commitment"
            value = cell_value(row, self.fields.get(key))
            spec = next(f for f in PLAN_FIELDS if f.name == key)
            if not isinstance(value, str) or len(value) > 70 or not score_header(value, spec)[0]:
                return False
        return is_header(header_fields_scored(row, PLAN_FIELDS, mapping))

    def ref_at(self, row: list[Cell], key: str) -> str:
        col = self.fields.get(key)
        if col is None or col >= len(row):
            return ""
        return cells.ref_text(row[col].value, row[col].number_format)

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
        ref = self.ref_at(row, "ref")
        commitment_text = cells.clean_text(cell_value(row, f.get("commitment")))
        raw_activity = cell_value(row, f.get("activity"))
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
                    text=commitment_text or cells.clean_text(raw_activity),
                    objective=self.objective or "Objectives",
                    objective_order=None,
                    section=self.section,
                    section_order=None,
                )
                self.seen_refs[ref] = self.commitment
                self.parsed.commitments.append(self.commitment)
                self.activity = None
        elif self.commitment is None:
            if cells.clean_text(raw_activity) or commitment_text:
                self.problem(number, "ref", "This row has no Ref and there is no commitment above it to add it to.")
            return
        sub_ref, activity_text = self.split_activity(row, raw_activity, number)
        if not activity_text and not ref:
            # Empty Ref and empty activity: its text belongs to the activity above.
            self.continue_activity(row, number)
            return
        if not activity_text:
            activity_text = self.commitment.text  # a commitment with no activities of its own
        if sub_ref and any(a.sub_ref == sub_ref for a in self.commitment.activities):
            self.problem(
                number,
                "activity",
                f'Sub-reference "{sub_ref}" is used twice under commitment {self.commitment.ref}.',
            )
        self.activity = ParsedActivity(sheet=self.sheet.name, row=number, sub_ref=sub_ref, text=activity_text)
        self.commitment.activities.append(self.activity)
        self.fill_activity(self.activity, row, number)

    def split_activity(self, row: list[Cell], raw: object, number: int) -> tuple[str, str]:
        """(sub-reference, text) of an activity cell. From a sub-reference column when the sheet has one;
        else a bracketed prefix that extends the commitment's reference ("(A1.2)" under "A.1"). List
        numbering ("(1)", "1)", "(a)", bullets) is text. A prefix that reads as a reference but belongs
        to another commitment is kept as text, with a warning."""
        text = cells.clean_text(raw)
        if "sub_ref" in self.fields:
            sub_ref = self.ref_at(row, "sub_ref")
            candidate, rest = cells.split_sub_ref(text)
            if sub_ref and candidate == sub_ref:
                text = rest
            return sub_ref, text
        candidate, rest = cells.split_sub_ref(text)
        if not candidate:
            return "", text
        if sub_ref_extends(candidate, self.commitment.ref):
            return candidate, rest
        if _looks_like_sub_ref(candidate):
            self.problem(
                number,
                "activity",
                (
                    f'"({candidate})" at the start of the activity does not extend its commitment\'s reference '
                    f"({self.commitment.ref}), so it is kept as part of the text, not read as a sub-reference."
                ),
                "warning",
            )
        return "", text

    def unknown(self, number: int, key: str, e: cells.UnknownValue) -> None:
        """A value the importer does not know: an error on its row, and listed for mapping."""
        self.problem(number, key, str(e))
        found = self.unknown_values.setdefault(
            (e.kind, cells.value_key(e.value)), {"kind": e.kind, "value": e.value, "rows": 0}
        )
        found["rows"] += 1

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
        if "start" in f:
            a.has_dates = True
            st = cells.parse_date_text(cell_value(row, f["start"]))
            a.start = st.start or st.due or a.start
            if st.text:
                a.date_text = f"{st.text} – {a.date_text}" if a.date_text else st.text
        if "rag" in f:
            try:
                rag = cells.read_rag(
                    cell_value(row, f["rag"]), cell_fill(row, f["rag"]), self.options.values.get("rag")
                )
            except cells.UnknownValue as e:
                self.unknown(number, "rag", e)
            else:
                a.rag = rag.rag
                if rag.complete:
                    a.status = "complete"
                if rag.mapped:
                    a.rag_written = rag.written
        if "status" in f:
            text = cells.clean_text(cell_value(row, f["status"]))
            if text:
                status = cells.status_word(text, self.options.values.get("status"))
                if status is None:
                    self.unknown(
                        number,
                        "status",
                        cells.UnknownValue(
                            f'"{text[:40]}" is not a status this importer knows; expected Not started, In progress, '
                            "Complete, On hold or Closed. Map it in the preview, or correct the cell.",
                            kind="status",
                            value=text,
                        ),
                    )
                else:
                    a.status = status
        entries, warnings = split_update_entries(cell_value(row, f.get("progress")))
        for w in warnings:
            self.problem(number, "progress", w, "warning")
        a.updates = entries

    def native_row(self, row: list[Cell], number: int) -> None:
        f = self.fields
        ref = self.ref_at(row, "ref")
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
            sub_ref=self.ref_at(row, "sub_ref"),
            text=cells.clean_text(cell_value(row, f.get("activity"))),
            has_owners=True,
            has_oversight=True,
            has_dates=True,
            native=True,
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


def parse_workbook(
    book: Workbook, *, layout: str = "auto", sheet: str | None = None, options: ReadingOptions | None = None
) -> ParsedWorkbook:
    """Parse every sheet that matches a layout (or only `sheet`); list the rest as skipped."""
    result = ParsedWorkbook(filename=book.filename, notes=list(book.notes), properties=dict(book.properties))
    forced = None if layout == "auto" else layout
    sheets = book.sheets
    if sheet:
        sheets = [s for s in book.sheets if s.name == sheet]
        if not sheets:
            names = ", ".join(f'"{s.name}"' for s in book.sheets)
            result.problems.add(sheet, None, None, f'There is no sheet called "{sheet}". Sheets: {names}.')
            return result
    for s in sheets:
        parser = _SheetParser(s, forced, result.problems, options)
        outcome = parser.run()
        result.sheet_info.append(parser.info)
        result.unknown_values.extend(parser.unknown_values.values())
        if isinstance(outcome, str):
            if not any(c.value not in (None, "") for r in s.rows[:30] for c in r):
                parser.info["empty"] = True
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
            "Progress update, or #, Action, Owner/s, Date, RAG and Update. The first rows of each sheet are "
            "shown below with what was understood of them: choose what each column holds there.",
        )
    _check_duplicates_across_sheets(result)
    return result


def _check_duplicates_across_sheets(result: ParsedWorkbook) -> None:
    seen: dict[str, ParsedCommitment] = {}
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
            # A sub-reference need only be unique within its commitment (checked as each row is read).
