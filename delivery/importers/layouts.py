"""Recognise each sheet of a delivery-plan workbook and parse it into plain records (no database).

Three layouts: the panel's delivery-plan extract, a RAG tracker, and the tracker's own workbook. The
generic rules (header and banner rows, values, problems) are in `core.tabular.layouts`; this module
holds what is particular to plans: which headers name which fields, which layout a header row means,
and how commitments, activities, objectives and sections are read.
"""

from __future__ import annotations

from core.tabular.workbook import Workbook

from .fields import EXTRACT, HEADERS, LAYOUT_NAMES, NATIVE, PLAN_FIELDS, REQUIRED, TRACKER  # noqa: F401
from .parsed import ParsedActivity, ParsedCommitment, ParsedSheet, ParsedWorkbook, ReadingOptions  # noqa: F401
from .sheets import SheetParser


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
        parser = SheetParser(s, forced, result.problems, options)
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
