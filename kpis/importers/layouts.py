"""Recognising a KPI workbook's sheets: the long layout (one row per value) and the wide layout of force
performance packs (areas down the side, periods across). No models, no database: the known measure
names come in as an argument.

Long: `Measure | Area | Period | Value` with optional `Numerator | Denominator | Target | Unit`.

Wide: a title row or two, then a header row in which two or more cells name periods (`Jul-17`,
`Sep 2017`, `2017/18 Q2`, real dates); the areas are down the first text column to the left of the
periods; a `Measure` column if there is one, else the measure is the sheet's title row nearest the
table (or one naming a known measure, or the sheet's name when it names a known measure). Columns
such as `Total`, `Average`, `YTD` and `Change` are not periods and are not imported (listed as a
warning).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.tabular import cells
from core.tabular.layouts import Problems, column_letter, find_header_row, header_fields, is_blank, normalise_header
from core.tabular.workbook import Sheet, Workbook

from ..periods import Period, parse_period, period_from_heading

LONG_HEADERS = {
    **dict.fromkeys(["measure", "measure name", "indicator", "kpi", "performance measure", "metric"], "measure"),
    **dict.fromkeys(["area", "policing area", "local policing area", "lpa", "force", "district", "geography"], "area"),
    **dict.fromkeys(["period", "month", "quarter", "date", "reporting period", "period ending"], "period"),
    **dict.fromkeys(["value", "actual", "result", "figure", "performance", "count"], "value"),
    **dict.fromkeys(["numerator"], "numerator"),
    **dict.fromkeys(["denominator", "base", "respondents"], "denominator"),
    **dict.fromkeys(["target", "aspiration"], "target"),
    **dict.fromkeys(["unit", "units"], "unit"),
}
WIDE_LABELS = {
    **dict.fromkeys(["measure", "measure name", "indicator", "kpi", "performance measure", "metric"], "measure"),
    **dict.fromkeys(
        ["area", "policing area", "local policing area", "lpa", "force", "district", "geography", "location"], "area"
    ),
}
BLANK_VALUES = {"-", "–", "—", "n/a", "na", "*", "..", "x", "no data", "not available", "nil return", "tbc", "?"}
UNIT_WORDS = {
    "count": "count", "number": "count", "%": "percentage", "percent": "percentage", "percentage": "percentage",
    "rate per 1,000": "rate_1000", "rate per 1000": "rate_1000", "per 1,000": "rate_1000", "per 1000": "rate_1000",
    "rate per 100,000": "rate_100000", "rate per 100000": "rate_100000", "per 100,000": "rate_100000",
    "days": "days", "duration": "duration", "seconds": "duration", "money": "money", "£": "money",
}  # fmt: skip
_NUMBER = re.compile(r"^[£$]?\s*[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?\s*%?$")


@dataclass
class Record:
    measure: str
    area: str
    period: Period
    value: float
    sheet: str
    row: int
    column: str
    numerator: float | None = None
    denominator: float | None = None
    target: float | None = None
    unit: str = ""
    percent_text: bool = False


@dataclass
class ParsedBook:
    records: list[Record] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)
    sheets: list[dict] = field(default_factory=list)  # {"sheet", "layout", "observations", "measure"}
    skipped: list[dict] = field(default_factory=list)  # {"sheet", "reason"}
    notes: list[str] = field(default_factory=list)


def parse_number(value: object) -> tuple[float | None, bool, str]:
    """(number, written as a percentage, error): numbers as they are; text such as `83.7%`, `1,234` or
    `£1,200`; blank, `-`, `n/a`, `*` and the like are no value (no error)."""
    if value is None:
        return None, False, ""
    if isinstance(value, bool):
        return None, False, f'"{value}" is not a number.'
    if isinstance(value, int | float):
        return float(value), False, ""
    text = cells.clean_text(value).strip()
    if not text or text.lower() in BLANK_VALUES:
        return None, False, ""
    if _NUMBER.match(text):
        number = float(text.replace(",", "").replace("£", "").replace("$", "").replace("%", "").strip())
        return number, text.endswith("%"), ""
    return None, False, f'"{text[:40]}" is not a number.'


def parse_workbook(book: Workbook, *, layout: str = "auto", known_measures: set[str] | None = None) -> ParsedBook:
    parsed = ParsedBook(notes=list(book.notes))
    known = {m.lower() for m in (known_measures or set())}
    for sheet in book.sheets:
        if not sheet.rows:
            parsed.skipped.append({"sheet": sheet.name, "reason": "The sheet is empty."})
            continue
        long = find_header_row(sheet.rows, LONG_HEADERS, is_header=lambda f: {"measure", "period", "value"} <= set(f))
        if long and layout in ("auto", "long"):
            _parse_long(sheet, long[0], long[1], parsed)
            continue
        wide = _find_wide_header(sheet) if layout in ("auto", "wide") else None
        if wide is not None:
            _parse_wide(sheet, wide, parsed, known)
            continue
        wanted = {"auto": "either layout", "long": "the long layout", "wide": "the wide layout"}.get(layout, layout)
        parsed.skipped.append(
            {
                "sheet": sheet.name,
                "reason": f"No header row for {wanted}: neither Measure, Period and Value columns nor two or more "
                "periods (such as Jul-17 or 2017/18 Q2) across a row.",
            }
        )
    if not parsed.sheets and not parsed.problems.errors:
        parsed.problems.add(
            book.filename,
            None,
            None,
            "No sheet holds KPI values: give Measure, Area, Period and Value columns, or areas down the side and "
            "periods (Jul-17, Sep 2017, 2017/18 Q2) across.",
        )
    return parsed


def _parse_long(sheet: Sheet, header: int, fields: dict[str, int], parsed: ParsedBook) -> None:
    count = 0
    problems = parsed.problems
    if "area" not in fields:
        problems.add(
            sheet.name, header + 1, None, "There is no Area column: add one naming the force or policing area."
        )
        return
    for index in range(header + 1, len(sheet.rows)):
        row = sheet.rows[index]
        if is_blank(row):
            continue
        excel_row = index + 1

        def text(key: str, row=row) -> str:
            col = fields.get(key)
            return cells.clean_text(row[col].value).strip() if col is not None and col < len(row) else ""

        def raw(key: str, row=row) -> object:
            col = fields.get(key)
            return row[col].value if col is not None and col < len(row) else None

        measure, area = text("measure"), text("area")
        if not measure and not area and raw("value") is None:
            continue
        if not measure:
            problems.add(sheet.name, excel_row, column_letter(fields["measure"]), "The measure's name is missing.")
            continue
        if not area:
            problems.add(sheet.name, excel_row, column_letter(fields["area"]), "The area is missing.")
            continue
        period_value = raw("period")
        period = period_from_heading(period_value)
        if period is None:
            try:
                period = parse_period(cells.clean_text(period_value))
            except ValueError:
                problems.add(
                    sheet.name,
                    excel_row,
                    column_letter(fields["period"]),
                    f'"{cells.clean_text(period_value)[:40]}" is not a period: give a month (Jul-17, 2017-07, a date) '
                    "or a quarter (2017/18 Q2, 2017-Q3).",
                )
                continue
        numbers: dict[str, float | None] = {}
        percent = False
        bad = False
        for key in ("value", "numerator", "denominator", "target"):
            number, is_percent, error = parse_number(raw(key))
            if error:
                problems.add(sheet.name, excel_row, column_letter(fields[key]), error)
                bad = True
            numbers[key] = number
            percent = percent or (key == "value" and is_percent)
        if bad:
            continue
        if numbers["value"] is None:
            if numbers["numerator"] is not None and numbers["denominator"]:
                numbers["value"] = numbers["numerator"] / numbers["denominator"] * 100  # type: ignore[operator]
                percent = True
            else:
                continue  # no value for this period: nothing to import
        unit = UNIT_WORDS.get(text("unit").lower(), "")
        if text("unit") and not unit:
            problems.add(
                sheet.name,
                excel_row,
                column_letter(fields["unit"]),
                f'Unit "{text("unit")}" is not known; ignored.',
                "warning",
            )
        parsed.records.append(
            Record(
                measure=measure,
                area=area,
                period=period,
                value=numbers["value"],  # type: ignore[arg-type]
                sheet=sheet.name,
                row=excel_row,
                column=column_letter(fields["value"]) or "",
                numerator=numbers["numerator"],
                denominator=numbers["denominator"],
                target=numbers["target"],
                unit=unit,
                percent_text=percent,
            )
        )
        count += 1
    parsed.sheets.append({"sheet": sheet.name, "layout": "long", "observations": count, "measure": ""})


@dataclass
class WideHeader:
    row: int  # index into rows
    periods: dict[int, Period]  # column -> period
    area_col: int | None
    measure_col: int | None
    ignored: list[str]  # header texts of columns that are not periods


def _find_wide_header(sheet: Sheet) -> WideHeader | None:
    for index, row in enumerate(sheet.rows[:60]):
        periods = {c: p for c, cell in enumerate(row) if (p := period_from_heading(cell.value)) is not None}
        if len(periods) < 2:
            continue
        first = min(periods)
        labels = header_fields(row[:first], WIDE_LABELS)
        area_col = labels.get("area")
        if area_col is None:  # the first column to the left of the periods with text below the header
            for c in range(first):
                if labels.get("measure") == c:
                    continue
                below = [r[c].value for r in sheet.rows[index + 1 : index + 30] if c < len(r)]
                if any(isinstance(v, str) and v.strip() for v in below):
                    area_col = c
                    break
        ignored = [
            cells.clean_text(cell.value)
            for c, cell in enumerate(row)
            if c not in periods and c != area_col and c != labels.get("measure") and cells.clean_text(cell.value)
        ]
        return WideHeader(index, periods, area_col, labels.get("measure"), ignored)
    return None


def _title_measure(sheet: Sheet, header_row: int, known: set[str]) -> str:
    titles = []
    for row in sheet.rows[:header_row]:
        texts = [cells.clean_text(c.value).strip() for c in row if c.value not in (None, "")]
        if len(texts) == 1:
            titles.append(re.sub(r"^(measure|indicator|kpi)\s*:\s*", "", texts[0], flags=re.I))
    for t in titles:
        if t.lower() in known:
            return t
    if sheet.name.strip().lower() in known:
        return sheet.name.strip()
    if titles:
        return titles[-1]
    return sheet.name.strip()


def _parse_wide(sheet: Sheet, wide: WideHeader, parsed: ParsedBook, known: set[str]) -> None:
    problems = parsed.problems
    if wide.area_col is None:
        problems.add(
            sheet.name, wide.row + 1, None, "The areas down the side could not be found: put them in the first column."
        )
        return
    default_measure = "" if wide.measure_col is not None else _title_measure(sheet, wide.row, known)
    if wide.ignored:
        problems.add(
            sheet.name,
            wide.row + 1,
            None,
            f"Columns that are not periods were not imported: {', '.join(wide.ignored)}.",
            "warning",
        )
    count = 0
    measure = default_measure
    for index in range(wide.row + 1, len(sheet.rows)):
        row = sheet.rows[index]
        if is_blank(row):
            continue
        area = cells.clean_text(row[wide.area_col].value).strip() if wide.area_col < len(row) else ""
        if wide.measure_col is not None:
            named = cells.clean_text(row[wide.measure_col].value).strip()
            measure = named or measure  # a measure merged down over its areas
        if not area:
            continue
        if not measure:
            problems.add(sheet.name, index + 1, column_letter(wide.measure_col), "The measure's name is missing.")
            continue
        # A repeated header row (a second table on the sheet) is skipped.
        if sum(1 for c in wide.periods if c < len(row) and period_from_heading(row[c].value)) >= 2:
            continue
        if normalise_header(area) in WIDE_LABELS:
            continue
        for col, period in wide.periods.items():
            if col >= len(row):
                continue
            number, percent, error = parse_number(row[col].value)
            if error:
                problems.add(sheet.name, index + 1, column_letter(col), error)
                continue
            if number is None:
                continue
            parsed.records.append(
                Record(
                    measure=measure,
                    area=area,
                    period=period,
                    value=number,
                    sheet=sheet.name,
                    row=index + 1,
                    column=column_letter(col) or "",
                    percent_text=percent,
                )
            )
            count += 1
    parsed.sheets.append({"sheet": sheet.name, "layout": "wide", "observations": count, "measure": default_measure})
