"""A corpus of the variations real offices make, generated from the layout builders in builders.py.

Each builder's workbook is read back into a plain model (banner rows, header rows, data rows with a
field per column, merged cells, fills), and written again with a `Variation`: header wording with
extra words and qualifiers, columns reordered, extra and empty columns, the header before or after
the first banner, refs merged or repeated on every row, refs as numbers or text, RAG as letters,
words, fills or five-level values, dates as Excel dates or text, and as .xlsx, .xls, .ods or .csv.
Two content choices (numbered lists inside activity cells, update cells with or without date
prefixes) change what the workbook says, so each variation is compared with the plain rendering of
the same content.

Two things are held fixed because a person could not tell either: the first column of the table is the
commitment's Ref, text or activity (a lone progress cell in column A reads as a banner row), and
.xls/.ods/.csv cannot carry a fill (so fill-only RAG is .xlsx only) or a number format (so "1.10"
is written there as text, as offices do; in .xlsx it may be the number 1.1 formatted "0.00").
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field, replace
from datetime import date
from xml.sax.saxutils import escape

from openpyxl import Workbook, load_workbook
from openpyxl.styles import PatternFill

from core.tabular import cells
from tests.core.tabular.test_workbook import ODS_MIMETYPE, legacy_xls

from .builders import extract_workbook, tracker_workbook

FORMATS = ("xlsx", "xls", "ods", "csv")
BUILDER_HEADERS = {
    "Ref": "ref",
    "#": "ref",
    "Plan commitment": "commitment",
    "Plan Commitment": "commitment",
    "Supporting activity": "activity",
    "Supporting Activity": "activity",
    "Action": "activity",
    "Progress update": "progress",
    "Progress Update": "progress",
    "Update": "progress",
    "Oversight mechanism(s)": "oversight",
    "Oversight mechanism (s)": "oversight",
    "Owner/s": "owners",
    "Date": "date",
    "RAG": "rag",
}
# How offices word each header: extra words, brackets, qualifiers, dates, synonyms.
WORDINGS = {
    "ref": ("Ref", "Ref.", "Reference", "Ref no.", "#", "No."),
    "commitment": ("Plan commitment", "Police and Crime Plan commitment", "Commitment", "Key commitment(s)"),
    "activity": (
        "Supporting activity",
        "Action(s) / milestone",
        "Key recommendation",
        "Activity / deliverable",
        "Actions",
        "Task",
    ),
    "progress": (
        "Progress update",
        "Update – Q3 2023/24",
        "Progress (latest position)",
        "Commentary",
        "Narrative update",
        "Latest update",
    ),
    "oversight": ("Oversight mechanism(s)", "Oversight mechanism (s)", "Oversight body", "Governance / oversight"),
    "owners": ("Owner/s", "Lead (officer)", "Responsible officer", "Accountable lead", "Action owner"),
    "date": ("Date", "Due date", "Target date", "Timescale", "Completion date", "Deadline (month)"),
    "rag": ("RAG", "Current RAG", "RAG status", "Status", "BRAG", "Rating"),
}
EXTRAS = {
    "x_directorate": ("Directorate", ("Local Policing", "Business Services", "OPCC")),
    "x_notes": ("Notes", ("See the board minutes.", "Raised at the panel.", "")),
    "x_empty": ("", ("",)),
}
RAG_MODES = ("letters", "words", "fills", "five")
RAG_TEXT = {
    "letters": {"R": "R", "A": "A", "G": "G", "B": "B"},
    "words": {"R": "Red", "A": "Amber", "G": "Green", "B": "Complete"},
    "five": {"R": "Amber/Red", "A": "Amber/Green", "G": "Green", "B": "Complete"},
}
FILLS = {"R": "FFFF0000", "A": "FFFFC000", "G": "FF00B050", "B": "FF0070C0"}
LISTS = (
    "(1) {}  (2) Report progress to the board.",
    "1) {}\n2) Report progress to the board.",
    "(a) {} (b) Review.",
    "• {}",
)


@dataclass
class Row:
    kind: str  # "banner", "header" or "data"
    text: str = ""  # a banner's text
    values: dict = field(default_factory=dict)  # field -> value (data rows)
    fills: dict = field(default_factory=dict)  # field -> "FFRRGGBB"
    merged: set = field(default_factory=set)  # fields covered by a merge from the row above


@dataclass
class Model:
    layout: str  # "extract" or "tracker"
    sheet: str
    fields: list[str]
    rows: list[Row]


@dataclass(frozen=True)
class Variation:
    layout: str
    fmt: str = "xlsx"
    wording: tuple[int, ...] = ()  # an index into WORDINGS[field] per field, in model order
    order: tuple[int, ...] = ()  # a permutation of the model's columns
    extras: tuple[tuple[str, int], ...] = ()  # (extra column, position)
    header_first: bool = False  # the header row before the first banner
    refs_repeated: bool = False
    refs_as_numbers: bool = False
    rag: str = "letters"
    excel_dates: bool = False
    numbered_lists: int = -1  # content: -1 none, else an index into LISTS
    strip_prefixes: bool = False  # content: update cells without their date prefixes
    encoding: str = "utf-8"  # for CSV

    @property
    def plain(self) -> Variation:
        """The plain rendering of the same content: the builder's own headers, order, merges and values."""
        return Variation(self.layout, numbered_lists=self.numbered_lists, strip_prefixes=self.strip_prefixes)

    def describe(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in self.__dict__.items() if v not in ((), False, -1))


def read_model(layout: str) -> Model:
    """The builder's workbook as a model: which row is what, the field of each column, merges and fills."""
    data = extract_workbook() if layout == "extract" else tracker_workbook(extra_sheet=False)
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    covered = set()
    for rng in ws.merged_cells.ranges:
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    covered.add((r, c))
    header = None
    rows: list[Row] = []
    for r in range(1, ws.max_row + 1):
        values = [ws.cell(r, c).value for c in range(1, ws.max_column + 1)]
        filled = [v for v in values if v not in (None, "")]
        if filled and all(isinstance(v, str) and v in BUILDER_HEADERS for v in filled) and len(filled) >= 3:
            header = [BUILDER_HEADERS[v] for v in values if v]
            rows.append(Row("header"))
            continue
        if len(filled) == 1 and values[0] not in (None, "") and (r, 2) in covered:
            rows.append(Row("banner", text=str(values[0])))
            continue
        if not filled:
            continue
        row = Row("data")
        for c, name in enumerate(header or [], start=1):
            cell = ws.cell(r, c)
            row.values[name] = cell.value
            if cell.fill is not None and cell.fill.fill_type == "solid":
                row.fills[name] = cell.fill.fgColor.rgb
            if (r, c) in covered:
                row.merged.add(name)
        rows.append(row)
    return Model(layout=layout, sheet=ws.title, fields=list(header or []), rows=rows)


# --- Rendering --------------------------------------------------------------------------------------


def _rag_code(value, fill) -> str:
    reading = cells.read_rag(value, fill)
    return "B" if reading.complete else reading.rag


def _due_only(text: str) -> date | None:
    parsed = cells.parse_date_text(text)
    return parsed.due if parsed.due and not parsed.start else None


def render(model: Model, v: Variation) -> tuple[bytes, str]:
    """The workbook for a variation, and its file name."""
    slots: list[str] = [model.fields[i] for i in (v.order or range(len(model.fields)))]
    for name, position in v.extras:
        slots.insert(min(position, len(slots)), name)
    wording = {
        f: WORDINGS[f][v.wording[i] % len(WORDINGS[f])] if v.wording else None for i, f in enumerate(model.fields)
    }
    builder_words = {f: h for h, f in reversed(list(BUILDER_HEADERS.items()))}

    def header_text(slot: str) -> str:
        if slot in EXTRAS:
            return EXTRAS[slot][0]
        if wording.get(slot):
            return wording[slot]
        plain = {
            "extract": ("Ref", "Plan commitment", "Supporting activity", "Progress update", "Oversight mechanism(s)")
        }
        if model.layout == "extract":
            return dict(zip(("ref", "commitment", "activity", "progress", "oversight"), plain["extract"], strict=True))[
                slot
            ]
        return {
            "ref": "#",
            "activity": "Action",
            "owners": "Owner/s",
            "date": "Date",
            "rag": "RAG",
            "progress": "Update",
        }.get(slot, builder_words.get(slot, slot))

    rows = list(model.rows)
    if v.header_first:
        first = next(i for i, r in enumerate(rows) if r.kind == "header")
        rows.insert(0, rows.pop(first))

    grid: list[list] = []  # values
    fills: dict[tuple[int, int], str] = {}
    formats: dict[tuple[int, int], str] = {}
    merges: list[tuple[int, int, int, int]] = []  # (first row, last row, first col, last col), 0-based
    banners: list[int] = []
    top: dict[str, object] = {}
    top_row: dict[str, int] = {}
    n_data = 0
    for row in rows:
        r = len(grid)
        if row.kind == "banner":
            grid.append([row.text] + [None] * (len(slots) - 1))
            banners.append(r)
            continue
        if row.kind == "header":
            grid.append([header_text(s) or None for s in slots])
            continue
        n_data += 1
        out = []
        for c, slot in enumerate(slots):
            if slot in EXTRAS:
                choices = EXTRAS[slot][1]
                has_content = row.values.get("ref") not in (None, "") or row.values.get("activity") not in (None, "")
                out.append((choices[n_data % len(choices)] or None) if has_content else None)
                continue
            value = row.values.get(slot)
            if slot in row.merged:
                if v.refs_repeated:
                    value = top.get(slot)
                else:
                    out.append(None)
                    first = top_row[slot]
                    merges[:] = [m for m in merges if not (m[0] == first and m[2] == c)]
                    merges.append((first, r, c, c))
                    continue
            elif slot in ("ref", "commitment"):
                top[slot], top_row[slot] = value, r
            value = _cell(slot, value, row.fills.get(slot), v, (r, c), fills, formats)
            out.append(value)
        grid.append(out)
    width = len(slots)
    return _write(model.sheet, grid, fills, formats, merges, banners, width, v)


def _cell(slot, value, fill, v: Variation, at, fills, formats):
    if slot == "activity" and isinstance(value, str) and v.numbered_lists >= 0 and value.strip():
        sub, text = cells.split_sub_ref(value)
        listed = LISTS[v.numbered_lists].format(text)
        value = f"({sub}) {listed}" if sub else listed
    if slot == "progress" and isinstance(value, str) and v.strip_prefixes:
        value = "\n".join(
            cells.split_update_prefix(line).text if cells.split_update_prefix(line).on else line
            for line in value.split("\n")
        )
    if slot == "ref" and value not in (None, ""):
        text = cells.clean_ref(value)
        if v.refs_as_numbers and re.fullmatch(r"\d+(\.\d+)?", text):
            decimals = len(text.split(".")[1]) if "." in text else 0
            number = float(text) if decimals else int(text)
            if v.fmt == "xlsx":
                if decimals:
                    formats[at] = "0." + "0" * decimals
                return number
            if (v.fmt in ("xls", "ods") and str(number) == text) or (not decimals and v.fmt in ("xls", "ods")):
                return number
            return text
        return text
    if slot == "rag":
        code = _rag_code(value, fill)
        if not code:
            return None
        mode = v.rag if (v.rag != "fills" or v.fmt == "xlsx") else "words"
        if mode == "fills":
            fills[at] = FILLS[code]
            return None
        return RAG_TEXT[mode][code]
    if slot == "date":
        if isinstance(value, date):
            return value if v.excel_dates and v.fmt in ("xlsx", "ods") else f"{value:%d/%m/%Y}"
        if isinstance(value, str) and v.excel_dates and v.fmt in ("xlsx", "ods") and _due_only(value):
            return _due_only(value)
        return value
    return value


def _write(sheet, grid, fills, formats, merges, banners, width, v: Variation) -> tuple[bytes, str]:
    if v.fmt == "xlsx":
        wb = Workbook()
        ws = wb.active
        ws.title = sheet
        for r, row in enumerate(grid, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(r, c, value)
        for (r, c), rgb in fills.items():
            ws.cell(r + 1, c + 1).fill = PatternFill("solid", fgColor=rgb)
        for (r, c), fmt in formats.items():
            ws.cell(r + 1, c + 1).number_format = fmt
        for r in banners:
            ws.merge_cells(start_row=r + 1, start_column=1, end_row=r + 1, end_column=width)
        for r1, r2, c1, c2 in merges:
            if r2 > r1:
                ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue(), "plan.xlsx"
    if v.fmt == "xls":
        cells_ = [
            (r, c, value if isinstance(value, int | float | str) else str(value))
            for r, row in enumerate(grid)
            for c, value in enumerate(row)
            if value is not None
        ]
        merged = [(r, r, 0, width - 1) for r in banners] + [m for m in merges if m[1] > m[0]]
        return legacy_xls(
            sheet, [(r, c, float(x) if isinstance(x, int) else x) for r, c, x in cells_], merged
        ), "plan.xls"
    if v.fmt == "ods":
        return _ods(sheet, grid), "plan.ods"
    out = io.StringIO()
    writer = csv.writer(out)
    for row in grid:
        writer.writerow(["" if x is None else (x.isoformat() if isinstance(x, date) else x) for x in row])
    text = out.getvalue()
    try:
        data = text.encode(v.encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    return data, "plan.csv"


def _ods(name: str, grid: list[list]) -> bytes:
    def cell(value) -> str:
        if isinstance(value, date):
            return (
                f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
                f"<text:p>{value:%d/%m/%Y}</text:p></table:table-cell>"
            )
        if isinstance(value, int | float):
            return (
                f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>"
            )
        if value is None:
            return "<table:table-cell/>"
        lines = "".join(f"<text:p>{escape(line)}</text:p>" for line in str(value).split("\n"))
        return f'<table:table-cell office:value-type="string">{lines}</table:table-cell>'

    body = "".join("<table:table-row>" + "".join(cell(x) for x in row) + "</table:table-row>" for row in grid)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{escape(name)}">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS_MIMETYPE}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODS_MIMETYPE)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return out.getvalue()


# --- Choosing variations ---------------------------------------------------------------------------


def valid_order(model: Model, order: tuple[int, ...]) -> bool:
    """The table starts with the Ref, the commitment or the activity, as every real one does."""
    return model.fields[order[0]] in ("ref", "commitment", "activity")


def random_variation(model: Model, rnd) -> Variation:
    """One variation, every axis chosen by `rnd` (a random.Random or a hypothesis-driven chooser)."""
    n = len(model.fields)
    order = list(range(n))
    rnd.shuffle(order)
    if not valid_order(model, tuple(order)):
        first = next(i for i, k in enumerate(order) if model.fields[k] in ("ref", "commitment", "activity"))
        order.insert(0, order.pop(first))
    extras = tuple((name, rnd.randrange(1, n + 1)) for name in EXTRAS if rnd.random() < 0.4)
    fmt = rnd.choice(FORMATS)
    return Variation(
        layout=model.layout,
        fmt=fmt,
        wording=tuple(rnd.randrange(6) for _ in range(n)),
        order=tuple(order),
        extras=extras,
        header_first=rnd.random() < 0.5,
        refs_repeated=rnd.random() < 0.5,
        refs_as_numbers=rnd.random() < 0.5,
        rag=rnd.choice(RAG_MODES),
        excel_dates=rnd.random() < 0.5,
        numbered_lists=rnd.choice((-1, -1, 0, 1, 2, 3)),
        strip_prefixes=rnd.random() < 0.3,
        encoding=rnd.choice(("utf-8", "utf-8-sig", "cp1252")),
    )


def simple_variations(model: Model) -> list[Variation]:
    """One axis at a time, every value of it: each must hold on its own."""
    base = Variation(model.layout)
    n = len(model.fields)
    out = [replace(base, fmt=f) for f in FORMATS]
    out += [replace(base, wording=tuple([k] * n)) for k in range(6)]
    out += [replace(base, order=tuple(reversed(range(n)))) if valid_order(model, tuple(reversed(range(n)))) else base]
    out += [replace(base, extras=((name, 1),)) for name in EXTRAS]
    out += [replace(base, header_first=True), replace(base, refs_repeated=True)]
    out += [replace(base, refs_as_numbers=True, fmt=f) for f in FORMATS]
    out += [replace(base, rag=m) for m in RAG_MODES]
    out += [replace(base, excel_dates=True, fmt=f) for f in ("xlsx", "ods")]
    out += [replace(base, numbered_lists=k) for k in range(len(LISTS))]
    out += [replace(base, strip_prefixes=True)]
    out += [replace(base, fmt="csv", encoding=e) for e in ("utf-8-sig", "cp1252")]
    return out
