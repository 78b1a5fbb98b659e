"""Reads one sheet of a delivery-plan workbook into commitments and activities: banners (titles,
objectives, sections), merged and repeated refs, continuation rows, sub-references, dates, owners,
RAG and update entries; every problem collected with its sheet, row and column."""

from __future__ import annotations

import re

from core.tabular import cells
from core.tabular.layouts import (
    REF_LIKE,
    ParsedUpdate,
    Problems,
    as_date,
    as_int,
    banner_text,
    cell_fill,
    cell_value,
    field_column,
    header_texts,
    is_blank,
    parse_bool,
    split_update_entries,
)
from core.tabular.recognise import (
    Recognition,
    find_columns,
    header_fields_scored,
    score_header,
    sheet_grid,
)
from core.tabular.workbook import Cell, Sheet

from .fields import (
    FIELD_LABELS,
    LAYOUT_NAMES,
    NATIVE,
    PLAN_FIELDS,
    SECTION_BANNER,
    STATUS_WORDS,
    TRACKER,
    is_header,
    is_native_header,
    layout_of,
    likely_header_row,
    looks_like_sub_ref,
    sub_ref_extends,
    understood_fields,
)
from .parsed import ParsedActivity, ParsedCommitment, ParsedSheet, ReadingOptions


class SheetParser:
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
            native = next(((i, f) for i, row in enumerate(rows[:60]) if (f := is_native_header(row))), None)
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
                guess = likely_header_row(rows)
                if guess is not None:
                    attempt = find_columns(rows, PLAN_FIELDS, is_header=is_header, header_index=guess)
                    if attempt is not None:
                        self.info["header_row"] = self.sheet.row_number(guess)
                        self.info["columns"] = [c.as_json() for c in attempt.columns]
                        self.info["understood"] = understood_fields(attempt.fields)
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
            layout = layout_of(self.fields)
            self.info.update(
                header_row=self.sheet.row_number(header_at),
                columns=[c.as_json() for c in recognition.columns],
                signature=recognition.signature,
                understood=understood_fields(self.fields),
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
            return is_native_header(row) is not None
        mapping = self.options.columns.get(self.sheet.name) or self.options.columns.get("*") or {}
        if not mapping:
            # Quick refusals first: a header has no reference in its Ref column (a data row's 1.1 or
            # 17), and names its activity (or commitment) column in a few words.
            ref_col = self.fields.get("ref")
            if ref_col is not None and ref_col < len(row):
                ref = row[ref_col].value
                if (isinstance(ref, int | float) and not isinstance(ref, bool)) or (
                    isinstance(ref, str) and REF_LIKE.match(ref.strip())
                ):
                    return False
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
        if looks_like_sub_ref(candidate):
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
            self.activity.oversight.extend(split_bodies(extra))

    def fill_activity(self, a: ParsedActivity, row: list[Cell], number: int) -> None:
        f = self.fields
        if "owners" in f:
            a.has_owners = True
            a.owner_text = " ".join(cells.clean_text(cell_value(row, f["owners"])).split())
            a.owners = cells.split_owners(a.owner_text)
        if "oversight" in f:
            a.has_oversight = True
            a.oversight = split_bodies(cells.clean_text(cell_value(row, f["oversight"])))
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
            position=as_int(cell_value(row, f.get("position"))),
        )
        a.owner_text = " ".join(cells.clean_text(cell_value(row, f.get("owners"))).split())
        a.owners = cells.split_owners(a.owner_text)
        a.oversight = split_bodies(cells.clean_text(cell_value(row, f.get("oversight"))))
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


def split_bodies(text: str) -> list[str]:
    names = []
    for part in re.split(r"[;\n]|,(?![^()]*\))", text or ""):
        name = " ".join(part.replace("•", "").split()).strip(" .")
        if name and name.lower() not in {n.lower() for n in names}:
            names.append(name)
    return names
