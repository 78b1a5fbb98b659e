"""First stage of the import pipeline: check an uploaded file, then read it into plain Python grids.

`check_file` looks at the bytes before any parser sees them (what the file really is, how big it is,
whether it is encrypted, whether it would unpack to something huge). `read_workbook` then reads every
worksheet into `Sheet` grids of `Cell` values, with solid fill colours and merged ranges where the
format has them. Nothing here touches models or the database.

Readers: python-calamine for values wherever fills do not matter (.xls, .ods, and .xlsx when
`need_styles=False`); openpyxl in read-only mode for .xlsx/.xlsm values and fills, bounded to the
area calamine found values in, so that thousands of formatted-but-empty rows cost nothing.
"""

from __future__ import annotations

import colorsys
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from io import BytesIO
from typing import Any

from django.conf import settings
from openpyxl import load_workbook
from openpyxl.styles.colors import COLOR_INDEX
from openpyxl.xml.functions import fromstring
from python_calamine import CalamineSheet, CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

__all__ = ["Cell", "Sheet", "Workbook", "WorkbookError", "check_file", "read_workbook"]

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 20 * MB
DEFAULT_MAX_UNPACKED_BYTES = 200 * MB
DEFAULT_MAX_RATIO = 100
MAX_MEMBERS = 10_000
RATIO_CHECK_MIN_BYTES = 1 * MB  # small parts (styles, shared strings) compress well and are harmless

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_MAGIC = b"PK"
ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"

MERGE_SLACK = 100  # merged ranges may reach this many rows or columns beyond the last value

CellValue = str | int | float | bool | date | datetime | None
MergedRange = tuple[tuple[int, int], tuple[int, int]]

SAVE_AS_XLSX = "Open it in Excel, save it as an Excel Workbook (.xlsx) and upload that."
ENCRYPTED = (
    "This workbook is password-protected (encrypted). Remove the password in Excel "
    "(File > Info > Protect Workbook) and upload it again."
)
DAMAGED = (
    "The file is damaged and cannot be opened as a workbook. If it opens in Excel, save it again as "
    "an Excel Workbook (.xlsx) and upload the new copy; otherwise ask whoever sent it for a fresh copy."
)
WORD = "This is a Word document, not an Excel workbook. Copy the table into Excel, save it as .xlsx and upload that."
POWERPOINT = (
    "This is a PowerPoint presentation, not an Excel workbook. Put the table in Excel, "
    "save it as .xlsx and upload that."
)
UPLOAD_THE_WORKBOOK = "Upload the workbook itself, saved as .xlsx."
UNSAFE = (
    "The file expands to far more than its size when opened ({detail}), which looks unsafe, so it was "
    "not opened. Save a fresh copy of the workbook as .xlsx (remove unused sheets and pictures) and upload that."
)


class WorkbookError(ValueError):
    """The file cannot be read as a workbook. str(e) is a plain, specific message for an office user
    (what is wrong and what to do), e.g. 'This file is a PDF, not an Excel workbook. Save the workbook
    as .xlsx and upload that.'"""


@dataclass
class Cell:
    value: CellValue  # cached values for formulas, never the formula text
    fill: str | None = None  # solid fill colour as 6-hex "RRGGBB" uppercase, or None
    merged: bool = False  # covered by a merged range but not its top-left cell (value is then None)
    number_format: str | None = None  # Excel's number format, kept for numbers only ("0.00": 3.1 is "3.10")


@dataclass
class Sheet:
    name: str
    rows: list[list[Cell]]  # rectangular; trailing empty rows and columns removed; rows[i] is Excel row i + 1
    hidden: bool = False  # hidden (or very hidden) in the workbook; still read, the caller decides

    def row_number(self, index: int) -> int:
        """Excel row number (1-based) for rows[index]."""
        return index + 1


@dataclass
class Workbook:
    filename: str
    format: str  # "xlsx", "xlsm", "xls", "ods"
    sheets: list[Sheet]
    notes: list[str] = field(default_factory=list)  # plain notes, e.g. "Macros in this .xlsm file were ignored."
    properties: dict[str, Any] = field(default_factory=dict)  # document properties: "modified" (date), custom ones


# --------------------------------------------------------------------------------------------------
# Checks before parsing
# --------------------------------------------------------------------------------------------------


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _mb(size: float) -> str:
    """Size in MB as an office user reads it: '20', '25.3', '0.5'."""
    text = f"{size / MB:.1f}"
    return text.removesuffix(".0") if text != "0.0" else f"{size / MB:.2g}"


def check_file(data: bytes, filename: str) -> str:
    """Checks before any parsing; returns the format ("xlsx", "xlsm", "xls" or "ods"). Raises WorkbookError.

    The format comes from the content (magic bytes, zip members), never from the file name.
    """
    size = len(data)
    if size == 0:
        raise WorkbookError("The file is empty (0 bytes). Check you chose the right file and upload it again.")
    max_bytes = _limit("IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)
    if size > max_bytes:
        raise WorkbookError(
            f"The file is {_mb(size)} MB, which is over the {_mb(max_bytes)} MB limit for uploads. "
            "Remove unused sheets or pictures (or split the workbook) and upload it again."
        )
    if (
        filename.lower().endswith(".csv")
        and (data[:2].startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" not in data[:4096])
        and not data.startswith((ZIP_MAGIC, OLE_MAGIC, b"%PDF"))
    ):
        return "csv"
    if data.startswith(OLE_MAGIC):
        return _check_ole(data)
    if data.startswith(ZIP_MAGIC):
        return _check_zip(data)
    raise WorkbookError(_not_a_workbook(data))


def _check_ole(data: bytes) -> str:
    """Legacy Office compound file: .xls, or an encrypted .xlsx, or another Office document."""

    def has(name: str) -> bool:
        return name.encode("utf-16-le") in data

    if has("EncryptionInfo") or has("EncryptedPackage"):
        raise WorkbookError(ENCRYPTED)
    if not (has("Workbook") or has("Book")):
        if has("WordDocument"):
            raise WorkbookError(WORD)
        if has("PowerPoint Document"):
            raise WorkbookError(POWERPOINT)
    return "xls"


def _check_zip(data: bytes) -> str:
    """Zip container: .xlsx, .xlsm or .ods, guarded against zip bombs before anything is unpacked."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            infos = archive.infolist()
            _check_zip_sizes(infos)
            names = {info.filename for info in infos}
            if "mimetype" in names:
                with archive.open("mimetype") as part:
                    mimetype = part.read(200).decode("ascii", "replace").strip()
                if mimetype == ODS_MIMETYPE:
                    return "ods"
                if mimetype.startswith("application/vnd.oasis.opendocument."):
                    raise WorkbookError(
                        "This is an OpenDocument text or presentation file, not a spreadsheet. "
                        "Save the spreadsheet as .xlsx (or .ods) and upload that."
                    )
            content_types = ""
            if "[Content_Types].xml" in names:
                with archive.open("[Content_Types].xml") as part:
                    content_types = part.read(MB).decode("utf-8", "replace")
    except zipfile.BadZipFile as exc:
        raise WorkbookError(DAMAGED) from exc
    except (zipfile.LargeZipFile, NotImplementedError, OSError, EOFError, RuntimeError) as exc:
        # RuntimeError: a zip member is encrypted with a zip password.
        raise WorkbookError(DAMAGED) from exc

    if "xl/workbook.bin" in names:
        raise WorkbookError(f"This is an Excel binary workbook (.xlsb). {SAVE_AS_XLSX}")
    if "xl/workbook.xml" in names or "spreadsheetml.sheet.main+xml" in content_types:
        return "xlsm" if "macroenabled" in content_types.lower() else "xlsx"
    if any(name.startswith("word/") for name in names):
        raise WorkbookError(WORD)
    if any(name.startswith("ppt/") for name in names):
        raise WorkbookError(POWERPOINT)
    if any(name.startswith("Index/") and name.endswith(".iwa") for name in names):
        raise WorkbookError(
            "This is an Apple Numbers file, not an Excel workbook. In Numbers choose File > Export To > Excel, "
            "then upload the .xlsx file."
        )
    raise WorkbookError(f"This file is a ZIP archive, not an Excel workbook. {UPLOAD_THE_WORKBOOK}")


def _check_zip_sizes(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_MEMBERS:
        raise WorkbookError(
            f"The file holds {len(infos):,} separate parts, far more than a workbook has, so it was not opened. "
            "Save a fresh copy of the workbook as .xlsx and upload that."
        )
    max_unpacked = _limit("IMPORT_MAX_UNPACKED_BYTES", DEFAULT_MAX_UNPACKED_BYTES)
    unpacked = sum(info.file_size for info in infos)
    if unpacked > max_unpacked:
        raise WorkbookError(UNSAFE.format(detail=f"{_mb(unpacked)} MB, over the {_mb(max_unpacked)} MB limit"))
    max_ratio = _limit("IMPORT_MAX_RATIO", DEFAULT_MAX_RATIO)
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > max_ratio and info.file_size > RATIO_CHECK_MIN_BYTES:
            raise WorkbookError(UNSAFE.format(detail=f"one part grows {ratio:,.0f} times, from a limit of {max_ratio}"))


def _not_a_workbook(data: bytes) -> str:
    """A specific message for content that is neither a zip nor an OLE compound file."""
    head = data[:2048]
    if head.startswith(b"%PDF"):
        return "This file is a PDF, not an Excel workbook. Save the workbook as .xlsx and upload that."
    images = {b"\x89PNG": "PNG", b"\xff\xd8\xff": "JPEG", b"GIF8": "GIF", b"BM": "BMP"}
    for magic, kind in images.items():
        if head.startswith(magic):
            return f"This file is a picture ({kind}), not an Excel workbook. {UPLOAD_THE_WORKBOOK}"
    if head.startswith((b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b")):
        return f"This file is a compressed archive, not an Excel workbook. {UPLOAD_THE_WORKBOOK}"
    text = head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").lower().replace(b"\x00", b"")
    if text.startswith((b"<!doctype html", b"<html")) or b"<table" in text:
        return f"This file is a web page (HTML), not an Excel workbook, even if its name ends in .xls. {SAVE_AS_XLSX}"
    if text.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in text:
        return f"This file is an old 'XML Spreadsheet 2003' file, not an Excel workbook. {SAVE_AS_XLSX}"
    if text.startswith(b"{\\rtf"):
        return f"This file is a Rich Text (RTF) document, not an Excel workbook. {SAVE_AS_XLSX}"
    if _looks_like_text(head):
        return f"This file is plain text (such as CSV), not an Excel workbook. {SAVE_AS_XLSX}"
    return "This file is not an Excel workbook. Save the workbook as .xlsx and upload that."


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut in half at the end of the sample
            return False
    return b"\x00" not in head


# --------------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------------

EXTENSIONS = {".xlsx": "xlsx", ".xlsm": "xlsm", ".xls": "xls", ".ods": "ods"}


def read_workbook(data: bytes, filename: str, *, need_styles: bool = True) -> Workbook:
    """check_file, then read every worksheet (hidden ones too; chart sheets are skipped).

    need_styles=True reads solid fills and merged ranges (openpyxl for .xlsx/.xlsm; merged ranges for
    .xls through calamine; none for .ods). need_styles=False reads values only with python-calamine,
    which is much faster: fills are None and merged is False.
    """
    fmt = check_file(data, filename)
    if fmt == "csv":
        return read_csv(data, filename)
    notes: list[str] = []
    if fmt == "xlsm":
        notes.append("Macros in this .xlsm file were ignored.")
    named = next((kind for ext, kind in EXTENSIONS.items() if filename.lower().endswith(ext)), None)
    if named is not None and named != fmt and {named, fmt} != {"xlsx", "xlsm"}:
        notes.append(f"This file's name ends in .{named} but it is really a .{fmt} workbook; it was read as .{fmt}.")
    try:
        sheets = _read_sheets(data, fmt, need_styles=need_styles, notes=notes)
    except WorkbookError:
        raise
    except PasswordError as exc:
        raise WorkbookError(ENCRYPTED) from exc
    except MemoryError as exc:
        raise WorkbookError(
            "The workbook is too large to read. Remove unused sheets, rows and pictures and upload it again."
        ) from exc
    except Exception as exc:  # any parser failure is a plain message, never a traceback
        raise WorkbookError(_unreadable(exc)) from exc
    if not sheets:
        raise WorkbookError("The workbook has no worksheets to read (only charts, or nothing at all).")
    return Workbook(filename=filename, format=fmt, sheets=sheets, notes=notes, properties=read_properties(data, fmt))


# --------------------------------------------------------------------------------------------------
# CSV and document properties
# --------------------------------------------------------------------------------------------------

CSV_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")
ENCODING_NAMES = {"cp1252": "Windows-1252", "latin-1": "Latin-1", "utf-16": "UTF-16"}


def decode_text(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was in: UTF-8 with or without a byte-order mark, UTF-16
    with one, else Windows-1252 (what Excel saves as "CSV" on a UK Windows PC)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding), ("utf-8" if encoding == "utf-8-sig" else encoding)
        except UnicodeDecodeError:
            continue
    raise WorkbookError("The CSV file's characters could not be read. Save it again as CSV UTF-8 and upload that.")


def read_csv(data: bytes, filename: str) -> Workbook:
    """A CSV file as a workbook of one sheet named after the file. The separator (comma, semicolon or
    tab) is detected; every value is text, as written (so "3.10" stays "3.10")."""
    import csv
    from pathlib import PurePath

    text, encoding = decode_text(data)
    sample = text[:20000]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [[Cell(value if value.strip() else None) for value in row] for row in csv.reader(io_text(text), dialect)]
    width = max((len(r) for r in rows), default=0)
    rows = _trim([r + [Cell(None)] * (width - len(r)) for r in rows])
    name = PurePath(filename).stem[:31] or "CSV"
    notes = [] if encoding == "utf-8" else [f"The CSV file was read as {ENCODING_NAMES.get(encoding, encoding)} text."]
    return Workbook(filename=filename, format="csv", sheets=[Sheet(name=name, rows=rows)], notes=notes)


def io_text(text: str):
    from io import StringIO

    return StringIO(text, newline="")


_CUSTOM_PROPERTY = re.compile(
    r'<property[^>]*\bname="(?P<name>[^"]+)"[^>]*>\s*<vt:\w+[^>]*>(?P<value>[^<]*)</vt:\w+>', re.IGNORECASE
)
_MODIFIED = re.compile(r"<(?:dcterms:modified|dc:date|meta:creation-date)[^>]*>(?P<value>[^<]+)<", re.IGNORECASE)


def read_properties(data: bytes, fmt: str) -> dict[str, Any]:
    """Document properties that say what a workbook is: when it was last saved ("modified", a date) and
    custom properties (the tracker marks its own workbook with the plan it came from). Empty when the
    format has none or they cannot be read."""
    from html import unescape

    props: dict[str, Any] = {}
    if fmt not in ("xlsx", "xlsm", "ods"):
        return props
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist())
            for part in ("docProps/core.xml", "meta.xml"):
                if part in names and archive.getinfo(part).file_size < 1_000_000:
                    m = _MODIFIED.search(archive.read(part).decode("utf-8", "replace"))
                    if m:
                        try:
                            props["modified"] = date.fromisoformat(m.group("value").strip()[:10])
                        except ValueError:
                            pass
            if "docProps/custom.xml" in names and archive.getinfo("docProps/custom.xml").file_size < 1_000_000:
                xml = archive.read("docProps/custom.xml").decode("utf-8", "replace")
                for m in _CUSTOM_PROPERTY.finditer(xml):
                    props[m.group("name")] = unescape(m.group("value"))
    except (zipfile.BadZipFile, OSError, KeyError):
        return {}
    return props


def _unreadable(exc: BaseException) -> str:
    first_line = next((line.strip() for line in str(exc).splitlines() if line.strip()), "")
    detail = first_line if len(first_line) <= 160 else first_line[:159] + "…"
    detail = detail or type(exc).__name__
    return (
        "The workbook could not be read: parts of it are damaged or in a form this tool does not understand "
        f"({detail}). Open it in Excel, save it again as an Excel Workbook (.xlsx) and upload the new copy."
    )


def _read_sheets(data: bytes, fmt: str, *, need_styles: bool, notes: list[str]) -> list[Sheet]:
    calamine = CalamineWorkbook.from_filelike(BytesIO(data))
    try:
        wanted: list[tuple[str, bool]] = []
        for meta in calamine.sheets_metadata:
            if meta.typ == SheetTypeEnum.WorkSheet:
                wanted.append((meta.name, meta.visible != SheetVisibleEnum.Visible))
            else:
                kind = "chart sheet" if meta.typ == SheetTypeEnum.ChartSheet else "macro or dialog sheet"
                notes.append(f"The {kind} '{meta.name}' was skipped.")
        if need_styles and fmt in ("xlsx", "xlsm"):
            try:
                return _read_openpyxl(data, calamine, wanted)
            except Exception:  # openpyxl is stricter than calamine about styles; keep the values
                notes.append(
                    "The cell colours in this workbook could not be read (its formatting is damaged), so a RAG "
                    "shown only by colour will be missing. The values were read."
                )
        sheets = []
        for name, hidden in wanted:
            sheet = calamine.get_sheet_by_name(name)
            rows = [[Cell(_plain(value)) for value in row] for row in sheet.to_python(skip_empty_area=False)]
            keep = (0, 0)
            if need_styles:
                ranges = _merged_ranges(sheet)
                height, width = _bounds(sheet.end, ranges)
                rows = _pad(rows, height, width)
                keep = _mark_merged(rows, ranges)
            sheets.append(Sheet(name=name, rows=_trim(rows, keep), hidden=hidden))
        return sheets
    finally:
        calamine.close()


def _read_openpyxl(data: bytes, calamine: CalamineWorkbook, wanted: list[tuple[str, bool]]) -> list[Sheet]:
    """Values and fills through openpyxl (read-only, cached formula values), bounded to the area in which
    calamine found values; merged ranges from calamine (openpyxl's read-only mode does not report them)."""
    book = load_workbook(BytesIO(data), read_only=True, data_only=True, keep_vba=False, keep_links=False)
    try:
        theme = _theme_colours(getattr(book, "loaded_theme", None))
        fills: dict[int, str | None] = {}
        sheets = []
        for name, hidden in wanted:
            source = calamine.get_sheet_by_name(name)
            ranges = _merged_ranges(source)
            height, width = _bounds(source.end, ranges)
            rows: list[list[Cell]] = []
            if height and width and name in book.sheetnames:
                for row in book[name].iter_rows(min_row=1, max_row=height, min_col=1, max_col=width):
                    rows.append([_openpyxl_cell(cell, fills, theme) for cell in row])
            rows = _pad(rows, height, width)
            keep = _mark_merged(rows, ranges)
            sheets.append(Sheet(name=name, rows=_trim(rows, keep), hidden=hidden))
        return sheets
    finally:
        book.close()


def _openpyxl_cell(cell: Any, fills: dict[int, str | None], theme: list[str]) -> Cell:
    value = _plain(cell.value)
    number_format = None
    if isinstance(value, float):
        number_format = getattr(cell, "number_format", None)
        number_format = None if number_format in (None, "General") else number_format
    return Cell(value, _cached_fill(cell, fills, theme), number_format=number_format)


def _plain(value: Any) -> CellValue:
    """One cell value as plain Python: '' is None, midnight datetimes are dates, times are text."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date() if value.time() == time(0) and value.tzinfo is None else value
    if isinstance(value, str | bool | int | float | date):
        return value
    if isinstance(value, time):
        return value.isoformat(timespec="minutes" if not value.second and not value.microsecond else "seconds")
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def _merged_ranges(sheet: CalamineSheet) -> list[MergedRange]:
    """Merged ranges as ((top, left), (bottom, right)), 0-based and inclusive (.xlsx and .xls only)."""
    return list(sheet.merged_cell_ranges or [])


def _bounds(end: tuple[int, int] | None, ranges: list[MergedRange]) -> tuple[int, int]:
    """Rows and columns to read: the area holding values, plus merged ranges anchored inside it
    (a banner merged over two rows at the foot of the sheet), within MERGE_SLACK of the values."""
    height, width = (end[0] + 1, end[1] + 1) if end else (0, 0)
    rows, columns = height, width
    for (top, left), (bottom, right) in ranges:
        if top < height and left < width:
            rows = max(rows, min(bottom + 1, height + MERGE_SLACK))
            columns = max(columns, min(right + 1, width + MERGE_SLACK))
    return rows, columns


def _pad(rows: list[list[Cell]], height: int, width: int) -> list[list[Cell]]:
    """Make the grid at least height x width (readers leave out rows and cells they hold nothing for)."""
    for row in rows:
        row.extend(Cell(None) for _ in range(width - len(row)))
    rows.extend([Cell(None) for _ in range(width)] for _ in range(height - len(rows)))
    return rows


def _mark_merged(rows: list[list[Cell]], ranges: list[MergedRange]) -> tuple[int, int]:
    """Cells covered by a merged range (all but its top-left) become merged=True with no value.
    Returns the rows and columns that merged ranges anchored on a value cover, which trimming keeps."""
    keep_rows = keep_columns = 0
    for (top, left), (bottom, right) in ranges:
        if top >= len(rows) or left >= len(rows[top]):
            continue
        if rows[top][left].value is not None:
            keep_rows = max(keep_rows, min(bottom + 1, len(rows)))
            keep_columns = max(keep_columns, min(right + 1, len(rows[top])))
        for r in range(top, min(bottom + 1, len(rows))):
            row = rows[r]
            for c in range(left, min(right + 1, len(row))):
                if (r, c) != (top, left):
                    row[c] = Cell(None, row[c].fill, merged=True)
    return keep_rows, keep_columns


def _trim(rows: list[list[Cell]], keep: tuple[int, int] = (0, 0)) -> list[list[Cell]]:
    """Drop trailing rows and columns that hold no value (and are not covered by a merged value);
    pad the rest to one width."""
    height, width = keep
    for index, row in enumerate(rows):
        last = max((c for c, cell in enumerate(row) if cell.value is not None), default=-1)
        if last >= 0:
            height = max(height, index + 1)
            width = max(width, last + 1)
    if not height or not width:
        return []
    return _pad([row[:width] for row in rows[:height]], height, width)


# --------------------------------------------------------------------------------------------------
# Fill colours
# --------------------------------------------------------------------------------------------------

HEX = re.compile(r"[0-9A-Fa-f]{6}([0-9A-Fa-f]{2})?")


def _cached_fill(cell: Any, cache: dict[int, str | None], theme: list[str]) -> str | None:
    fill = getattr(cell, "fill", None)
    if fill is None:
        return None
    key = id(fill)  # fill objects are shared by every cell with the same style
    if key not in cache:
        cache[key] = _solid_fill(fill, theme)
    return cache[key]


def _solid_fill(fill: Any, theme: list[str]) -> str | None:
    """'RRGGBB' for a solid fill; None for no fill, pattern fills and colours that cannot be resolved."""
    if getattr(fill, "fill_type", None) != "solid":
        return None
    colour = getattr(fill, "fgColor", None)
    kind = getattr(colour, "type", None)
    if kind == "rgb":
        rgb = colour.rgb
        return rgb[-6:].upper() if isinstance(rgb, str) and HEX.fullmatch(rgb) else None
    if kind == "indexed":
        index = colour.indexed
        return COLOR_INDEX[index][-6:].upper() if isinstance(index, int) and 0 <= index < len(COLOR_INDEX) else None
    if kind == "theme":
        index = colour.theme
        if isinstance(index, int) and 0 <= index < len(theme) and theme[index]:
            return _tinted(theme[index], float(colour.tint or 0.0))
    return None


def _theme_colours(xml: bytes | str | None) -> list[str]:
    """The workbook theme's colours in the order cells refer to them (lt1, dk1, lt2, dk2, accents, links)."""
    if not xml:
        return []
    try:
        root = fromstring(xml.encode() if isinstance(xml, str) else xml)
    except Exception:
        return []
    scheme = next((el for el in root.iter() if el.tag.endswith("}clrScheme")), None)
    if scheme is None:
        return []
    colours = []
    for slot in scheme:
        value = ""
        for child in slot:
            value = child.get("lastClr") or child.get("val") or ""
            break
        colours.append(value.upper() if HEX.fullmatch(value) else "")
    if len(colours) >= 4:
        colours[0], colours[1], colours[2], colours[3] = colours[1], colours[0], colours[3], colours[2]
    return colours


def _tinted(rgb: str, tint: float) -> str:
    """Apply an Excel tint (-1 darker .. +1 lighter) to 'RRGGBB', as Excel does, on lightness."""
    rgb = rgb[-6:]
    if not tint:
        return rgb.upper()
    red, green, blue = (int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
    hue, light, sat = colorsys.rgb_to_hls(red, green, blue)
    light = light * (1 + tint) if tint < 0 else light * (1 - tint) + tint
    return "".join(f"{round(v * 255):02X}" for v in colorsys.hls_to_rgb(hue, min(max(light, 0.0), 1.0), sat))
