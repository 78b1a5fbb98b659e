"""First stage of the import pipeline: check an uploaded file, then read it into plain Python grids.

`check_file` looks at the bytes before any parser sees them (what the file really is, how big it is,
whether it is encrypted, whether it would unpack to something huge). `read_workbook` then reads every
worksheet into `Sheet` grids of `Cell` values, with solid fill colours and merged ranges where the
format has them. Nothing here touches models or the database.

Values always come from python-calamine. For .xlsx/.xlsm with `need_styles`, the check pass that
streams each sheet's XML anyway (lxml, in C) also notes the cells whose style has a solid fill or a
number format, read from xl/styles.xml (a workbook whose styles have neither notes nothing); those
are laid over calamine's values. Merged ranges come from calamine. No sheet is parsed twice.
"""

from __future__ import annotations

import colorsys
import re
import struct
import zipfile
from array import array
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from io import BytesIO
from typing import IO, Any
from xml.etree.ElementTree import ParseError

import olefile
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.conf import settings
from lxml import etree
from openpyxl.styles.colors import COLOR_INDEX
from openpyxl.xml.functions import fromstring
from python_calamine import CalamineSheet, CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

__all__ = ["Cell", "Sheet", "Workbook", "WorkbookError", "check_file", "read_workbook"]

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 20 * MB
DEFAULT_MAX_UNPACKED_BYTES = 200 * MB
DEFAULT_MAX_RATIO = 100
DEFAULT_MAX_ROWS = 100_000
DEFAULT_MAX_COLUMNS = 200
DEFAULT_MAX_CELLS = 2_000_000  # rows x columns of one sheet's table: what a reader lays out as a grid
DEFAULT_MAX_TEXT_BYTES = 50 * MB
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


@dataclass(slots=True)
class Cell:
    value: CellValue  # cached values for formulas, never the formula text
    fill: str | None = None  # solid fill colour as 6-hex "RRGGBB" uppercase, or None
    merged: bool = False  # covered by a merged range but not its top-left cell (value is then None)
    number_format: str | None = None  # Excel's number format, kept for numbers only ("0.00": 3.1 is "3.10")


EMPTY = Cell(None)  # one shared empty cell pads every grid (cells are replaced, never changed in place)


def _cell(value: Any) -> Cell:
    plain = _plain(value)
    return EMPTY if plain is None else Cell(plain)


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
    return _check_file(data, filename)


def _check_file(data: bytes, filename: str, scan: _XlsxScan | None = None) -> str:
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
        return _check_zip(data, scan)
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
    _check_xls_extents(data)
    return "xls"


def _check_zip(data: bytes, scan: _XlsxScan | None = None) -> str:
    """Zip container: .xlsx, .xlsm or .ods, guarded against zip bombs before anything is unpacked, then
    against sheets too big to lay out and text that expands too far (streamed, nothing is laid out).
    With `scan`, the same pass over an .xlsx's sheets also notes which cells carry a solid fill or a
    number format (see _XlsxScan), so reading never parses the sheets a second time."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            infos = archive.infolist()
            _check_zip_sizes(infos)
            fmt = _zip_format(archive, {info.filename for info in infos})
            if fmt == "ods":
                _check_ods_extents(archive)
            else:
                _check_xlsx_extents(archive, scan)
            return fmt
    except zipfile.BadZipFile as exc:
        raise WorkbookError(DAMAGED) from exc
    except (ParseError, etree.XMLSyntaxError) as exc:  # a sheet's XML is malformed: no reader would get further
        raise WorkbookError(_unreadable(exc)) from exc
    except (zipfile.LargeZipFile, NotImplementedError, OSError, EOFError, RuntimeError) as exc:
        # RuntimeError: a zip member is encrypted with a zip password.
        raise WorkbookError(DAMAGED) from exc


def _zip_format(archive: zipfile.ZipFile, names: set[str]) -> str:
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


# --------------------------------------------------------------------------------------------------
# Sheet extents and expanded text, streamed before any reader lays a sheet out
# --------------------------------------------------------------------------------------------------
#
# Readers build each sheet as a dense grid from A1 to its last value, and give every text cell its own
# string. A few bytes can therefore ask for gigabytes: one value at XFD1048576, or one long shared
# string referenced by every cell. These checks stream the sheet XML (elements are dropped as soon as
# they are read, so memory stays flat whatever the size) and refuse such files with a plain message.
# A sheet's `<dimension ref>` is not trusted either way (it may be missing or lie, and calamine does
# not size anything from it); the cells that hold values decide.

CELL_REF = re.compile(r"([A-Za-z]{1,4})(\d{1,9})$")
FIX_SIZE = (
    "Usually a stray value far below or to the right of the table causes this: delete the rows and columns "
    "after the table (or copy just the table into a new workbook), save it as .xlsx and upload it again."
)


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters or "A"


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


class _Extents:
    """Running totals for one workbook: each sheet's last row and column holding a value, and the text
    all cells expand to. Refuses (WorkbookError) the moment a limit is passed."""

    def __init__(self) -> None:
        self.max_rows = _limit("IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)
        self.max_columns = _limit("IMPORT_MAX_COLUMNS", DEFAULT_MAX_COLUMNS)
        self.max_cells = _limit("IMPORT_MAX_CELLS", DEFAULT_MAX_CELLS)
        self.max_text = _limit("IMPORT_MAX_TEXT_BYTES", DEFAULT_MAX_TEXT_BYTES)
        self.text = 0
        self.sheet = ""
        self.rows = self.columns = 0

    def start_sheet(self, name: str) -> None:
        self.sheet, self.rows, self.columns = name, 0, 0

    def value(self, row: int, column: int, text: int = 0, *, rows: int = 1, columns: int = 1) -> None:
        """A value at (row, column), 1-based, repeated over `rows` x `columns` cells, each with `text` bytes."""
        last_row, last_column = row + rows - 1, column + columns - 1
        if last_row > self.max_rows or last_column > self.max_columns:
            self._too_big(max(last_row, self.rows), max(last_column, self.columns))
        self.rows, self.columns = max(self.rows, last_row), max(self.columns, last_column)
        if self.rows * self.columns > self.max_cells:
            self._too_many_cells()
        if text:
            self.text += text * rows * columns
            if self.text > self.max_text:
                self._too_much_text()

    def _too_big(self, rows: int, columns: int) -> None:
        raise WorkbookError(
            f"The sheet '{self.sheet}' is too big to read: it has values as far as cell "
            f"{_column_letters(columns)}{rows} ({_count(rows, 'row')} by {_count(columns, 'column')}). "
            f"This tool reads at most {self.max_rows:,} rows and {self.max_columns:,} columns in a sheet. {FIX_SIZE}"
        )

    def _too_many_cells(self) -> None:
        raise WorkbookError(
            f"The sheet '{self.sheet}' is too big to read: its values span {_count(self.rows, 'row')} by "
            f"{_count(self.columns, 'column')} ({self.rows * self.columns:,} cells, to cell "
            f"{_column_letters(self.columns)}{self.rows}). "
            f"This tool reads at most {self.max_cells:,} cells in a sheet. {FIX_SIZE}"
        )

    def _too_much_text(self) -> None:
        raise WorkbookError(
            f"The workbook's cells hold more than {_mb(self.max_text)} MB of text once expanded (the limit; "
            f"reached in the sheet '{self.sheet}'), usually because the same long text is repeated in a great "
            "many cells, so it was not read. Remove the repeated text (or the rows it fills), save the "
            "workbook as .xlsx and upload it again."
        )


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _attr(elem: Any, name: str) -> str | None:
    """An attribute by its local name, whatever its namespace."""
    for key, value in elem.attrib.items():
        if _local(key) == name:
            return value
    return None


def _stream(part: IO[bytes], drop: frozenset[str]):
    """iterparse yielding (event, element, local name); elements named in `drop` are removed from their
    parent once their end has been seen, so a part of any size is read in bounded memory. Parts that
    declare a DOCTYPE or entities (expansion tricks) are refused: workbooks never have them."""
    stack: list[Any] = []
    try:
        for event, elem in iterparse(part, events=("start", "end"), forbid_dtd=True):
            local = _local(elem.tag)
            if event == "start":
                stack.append(elem)
                yield event, elem, local
            else:
                stack.pop()
                yield event, elem, local
                if local in drop and stack:
                    stack[-1].remove(elem)
    except DefusedXmlException as exc:
        raise WorkbookError(UNSAFE.format(detail="it declares XML entities")) from exc


def _open_part(archive: zipfile.ZipFile, name: str) -> IO[bytes]:
    return archive.open(name)


def _xlsx_parts(archive: zipfile.ZipFile) -> tuple[list[tuple[str, str]], str | None]:
    """[(sheet name, part name)] in workbook order, and the shared strings part, from the workbook's
    relationships (falling back to the usual part names)."""
    names = set(archive.namelist())
    targets: dict[str, str] = {}
    shared = "xl/sharedStrings.xml" if "xl/sharedStrings.xml" in names else None
    if "xl/_rels/workbook.xml.rels" in names:
        with _open_part(archive, "xl/_rels/workbook.xml.rels") as part:
            for event, elem, local in _stream(part, frozenset({"Relationship"})):
                if event == "end" and local == "Relationship":
                    target = elem.get("Target") or ""
                    target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                    targets[elem.get("Id") or ""] = target
                    if (elem.get("Type") or "").endswith("/sharedStrings") and target in names:
                        shared = target
    sheets: list[tuple[str, str]] = []
    if "xl/workbook.xml" in names:
        with _open_part(archive, "xl/workbook.xml") as part:
            for event, elem, local in _stream(part, frozenset({"sheet", "definedName"})):
                if event == "end" and local == "sheet":
                    target = targets.get(_attr(elem, "id") or "", "")
                    if target in names:
                        sheets.append((elem.get("name") or target, target))
    if not sheets:
        parts = sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml"))
        sheets = [(n.rsplit("/", 1)[-1], n) for n in parts]
    return sheets, shared


def _safe_iterparse(part: IO[bytes], tags, events: tuple[str, ...] = ("end",)):
    """lxml's iterparse over `tags` with nothing expanded or fetched: no entities, DTDs, network,
    comments or processing instructions, and lxml's own size limits kept."""
    return etree.iterparse(
        part,
        events=events,
        tag=tags,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def _refuse_doctype(elem: Any) -> None:
    """A part that declares a DOCTYPE (entity expansion tricks) is refused: workbooks never have one."""
    info = elem.getroottree().docinfo
    if info.doctype or info.internalDTD is not None:
        raise WorkbookError(UNSAFE.format(detail="it declares XML entities"))


def _lxml_stream(part: IO[bytes], tags: tuple[str, ...], events: tuple[str, ...] = ("end",)):
    """lxml's iterparse over the elements named `tags` (any namespace), each cleared once seen and its
    finished siblings dropped, so a part of any size is read in bounded memory, in C: the handful of
    elements asked for are the only ones Python sees. Parts that declare a DOCTYPE (entity expansion
    tricks) are refused: workbooks never have one; entities are never resolved, nor anything fetched."""
    checked = False
    for event, elem in _safe_iterparse(part, [f"{{*}}{t}" for t in tags], events):
        if not checked:
            _refuse_doctype(elem)
            checked = True
        yield event, elem
        if event == "end":
            elem.clear(keep_tail=False)
            parent = elem.getparent()
            if parent is not None:
                while elem.getprevious() is not None:
                    del parent[0]


def _t_text(elem: Any) -> int:
    """UTF-8 size of the text in an element's <t> descendants (rich-text runs added up)."""
    return len("".join(elem.itertext("{*}t", with_tail=False)).encode("utf-8"))


def _shared_string_sizes(archive: zipfile.ZipFile, name: str | None) -> array:
    """UTF-8 size of each shared string, in order (rich-text runs added up)."""
    sizes = array("q")
    if name is None:
        return sizes
    with _open_part(archive, name) as part:
        for _event, elem in _lxml_stream(part, ("si",)):
            sizes.append(_t_text(elem))
    return sizes


@dataclass
class _Styles:
    """What an .xlsx's styles say about cells, by style (cellXfs) index: the solid fill colour
    ("RRGGBB") and the number format other than General. Empty when the workbook has neither."""

    fills: dict[int, str] = field(default_factory=dict)
    formats: dict[int, str] = field(default_factory=dict)

    def wanted(self) -> frozenset[str]:
        """The style indexes, as written in the sheet XML, whose cells need noting."""
        return frozenset(str(i) for i in {*self.fills, *self.formats})


@dataclass
class _XlsxScan:
    """Filled in by the check pass over an .xlsx: its styles, and for each sheet (by name) the cells,
    (row, column) 0-based, whose style has a solid fill or a number format."""

    styles: _Styles = field(default_factory=_Styles)
    cells: dict[str, dict[tuple[int, int], int]] = field(default_factory=dict)
    error: str = ""  # the styles could not be read (the values still are)


STYLES_MAX_BYTES = 20 * MB


def _read_styles(archive: zipfile.ZipFile) -> _Styles:
    """Solid fills and number formats from xl/styles.xml. When the part holds no solid fill and no
    number format (a plain workbook), the sheet pass notes nothing at all."""
    from defusedxml.ElementTree import fromstring as safe_fromstring
    from openpyxl.styles.numbers import BUILTIN_FORMATS

    names = set(archive.namelist())
    if "xl/styles.xml" not in names:
        return _Styles()
    if archive.getinfo("xl/styles.xml").file_size > STYLES_MAX_BYTES:
        raise ValueError("the styles part is too large")
    raw = archive.read("xl/styles.xml")
    has_solid = b'"solid"' in raw or b"'solid'" in raw
    root = safe_fromstring(raw, forbid_dtd=True)
    custom: dict[int, str] = {}
    xfs: list[tuple[int, int]] = []
    fill_list: list[Any] = []
    for child in root:
        local = _local(child.tag)
        if local == "numFmts":
            for fmt in child:
                fmt_id = fmt.get("numFmtId") or ""
                if fmt_id.isdigit():
                    custom[int(fmt_id)] = fmt.get("formatCode") or ""
        elif local == "fills" and has_solid:
            fill_list = list(child)
        elif local == "cellXfs":
            for xf in child:
                fmt_id, fill_id = xf.get("numFmtId") or "0", xf.get("fillId") or "0"
                xfs.append((int(fmt_id) if fmt_id.isdigit() else 0, int(fill_id) if fill_id.isdigit() else 0))
    theme: list[str] = []
    solid: dict[int, str] = {}
    if fill_list:
        theme_part = next((n for n in sorted(names) if n.startswith("xl/theme/") and n.endswith(".xml")), None)
        if theme_part and archive.getinfo(theme_part).file_size < STYLES_MAX_BYTES:
            theme = _theme_colours(archive.read(theme_part))
        for index, fill in enumerate(fill_list):
            colour = _xml_solid_fill(fill, theme)
            if colour:
                solid[index] = colour
    styles = _Styles()
    for index, (fmt_id, fill_id) in enumerate(xfs):
        if fill_id in solid:
            styles.fills[index] = solid[fill_id]
        code = custom.get(fmt_id) or BUILTIN_FORMATS.get(fmt_id)
        if fmt_id and code and code != "General":
            styles.formats[index] = code
    return styles


PATTERN_TYPES = frozenset(
    "none solid mediumGray darkGray lightGray darkHorizontal darkVertical darkDown darkUp darkGrid darkTrellis "
    "lightHorizontal lightVertical lightDown lightUp lightGrid lightTrellis gray125 gray0625".split()
)


def _xml_solid_fill(fill: Any, theme: list[str]) -> str | None:
    """'RRGGBB' for a <fill> holding a solid <patternFill>, as _solid_fill reads openpyxl's."""
    pattern = next((c for c in fill if _local(c.tag) == "patternFill"), None)
    kind = None if pattern is None else pattern.get("patternType")
    if kind is not None and kind not in PATTERN_TYPES:
        raise ValueError(f"unknown fill pattern {kind!r}")  # damaged styles: Excel would refuse them too
    if pattern is None or kind != "solid":
        return None
    colour = next((c for c in pattern if _local(c.tag) == "fgColor"), None)
    if colour is None:
        return None
    rgb, indexed, theme_index = colour.get("rgb"), colour.get("indexed"), colour.get("theme")
    if rgb is not None:
        return rgb[-6:].upper() if HEX.fullmatch(rgb) else None
    if indexed is not None:
        index = int(indexed) if indexed.isdigit() else -1
        return COLOR_INDEX[index][-6:].upper() if 0 <= index < len(COLOR_INDEX) else None
    if theme_index is not None and theme_index.isdigit():
        index = int(theme_index)
        if index < len(theme) and theme[index]:
            try:
                tint = float(colour.get("tint") or 0.0)
            except ValueError:
                tint = 0.0
            return _tinted(theme[index], tint)
    return None


def _check_xlsx_extents(archive: zipfile.ZipFile, scan: _XlsxScan | None = None) -> None:
    sheets, shared = _xlsx_parts(archive)
    wanted: frozenset[str] = frozenset()
    if scan is not None:
        try:
            scan.styles = _read_styles(archive)
            wanted = scan.styles.wanted()
        except Exception as exc:  # damaged styles: the values are still read, without colours
            scan.styles, scan.error = _Styles(), str(exc) or type(exc).__name__
    sizes = _shared_string_sizes(archive, shared)
    extents = _Extents()
    for sheet_name, part_name in sheets:
        extents.start_sheet(sheet_name)
        noted: dict[tuple[int, int], int] = {}
        if scan is not None:
            scan.cells[sheet_name] = noted
        with _open_part(archive, part_name) as part:
            _scan_sheet(part, extents, sizes, wanted, noted)


COLUMN_NUMBERS = {_column_letters(n): n for n in range(1, 703)}  # A .. ZZ, the columns sheets use


def _scan_sheet(
    part: IO[bytes], extents: _Extents, sizes: array, wanted: frozenset[str], noted: dict[tuple[int, int], int]
) -> None:
    """One streamed pass over a sheet's XML (lxml, in C; Python sees only the end of each <row> and <c>):
    each cell holding a value counts in `extents` (which refuses the sheet the moment a limit is passed),
    and the cells whose style is in `wanted` are noted, (row, column) 0-based, with their style index.
    A cell's row and column come from its reference, else follow the row's (or the cell before it);
    cells are dropped once read (every `DROP_EVERY` in a long row, the rest with their row), so memory
    stays flat whatever the size."""
    row = column = 0
    current = None  # the <row> whose cells are being read
    in_row = 0
    n_sizes = len(sizes)
    checked = False
    for _event, elem in _safe_iterparse(part, ("{*}row", "{*}c")):
        if not checked:
            _refuse_doctype(elem)
            checked = True
        if elem.tag[-1] == "w":  # </row>
            if elem is not current:  # a row without cells still moves the count on
                r = elem.get("r")
                row = int(r) if r and r.isdigit() else row + 1
            current = None
            elem.clear(keep_tail=False)
            parent = elem.getparent()
            if parent is not None:
                while elem.getprevious() is not None:
                    del parent[0]
            continue
        parent = elem.getparent()
        if parent is not current and parent is not None and parent.tag[-3:] == "row":
            current, in_row, column = parent, 0, 0
            r = parent.get("r")
            row = int(r) if r and r.isdigit() else row + 1
        ref = elem.get("r")
        match = CELL_REF.match(ref) if ref else None
        if match:
            letters, digits = match.groups()
            column = COLUMN_NUMBERS.get(letters) or _column_number(letters)
            row = int(digits)
        else:
            column += 1
        col = column if column > 1 else 1
        kind = elem.get("t") or "n"
        text = 0
        has_value = False
        for child in elem:
            tag = child.tag
            if tag[-2:] == "}v" or tag == "v":
                value = child.text
                if value:
                    has_value = True
                    if kind == "s":
                        index = value.strip()
                        if index.isdigit() and int(index) < n_sizes:
                            text = sizes[int(index)]
                    elif kind in ("str", "e"):
                        text = len(value) if value.isascii() else len(value.encode("utf-8"))
            elif tag[-3:] == "}is" or tag == "is":
                has_value = True
                t = child[0] if len(child) == 1 else None
                if t is not None and not len(t) and (t.tag[-2:] == "}t" or t.tag == "t"):  # <is><t>text</t></is>
                    value = t.text or ""
                    text = len(value) if value.isascii() else len(value.encode("utf-8"))
                else:  # rich text: its runs added up
                    text = _t_text(child)
        if has_value:
            if row > extents.rows or col > extents.columns:
                extents.value(row, col, text)
            elif text:
                extents.text += text
                if extents.text > extents.max_text:
                    extents._too_much_text()
        if wanted:
            style = elem.get("s")
            if style in wanted:
                noted[(row - 1, col - 1)] = int(style)
        in_row += 1
        if in_row % DROP_EVERY == 0 and parent is not None:
            del parent[: parent.index(elem)]


DROP_EVERY = 256  # cells read in a row before those already read are dropped


def _check_ods_extents(archive: zipfile.ZipFile) -> None:
    """content.xml: rows and cells may say they repeat (table:number-rows-repeated, ...-columns-repeated);
    an empty repeat is nothing (spreadsheets end with a million repeated empty rows), a value repeated
    counts in full."""
    if "content.xml" not in archive.namelist():
        return
    extents = _Extents()
    row = column = row_repeat = 0
    with _open_part(archive, "content.xml") as part:
        for event, elem, local in _stream(part, frozenset({"table-row", "table-cell", "covered-table-cell"})):
            if event == "start":
                if local == "table" and _attr(elem, "name") is not None:
                    extents.start_sheet(_attr(elem, "name") or "")
                    row = 0
                elif local == "table-row":
                    row_repeat = _repeat(_attr(elem, "number-rows-repeated"))
                    column = 0
                continue
            if local == "table-row":
                row += row_repeat
            elif local in ("table-cell", "covered-table-cell"):
                repeat = _repeat(_attr(elem, "number-columns-repeated"))
                kind = _attr(elem, "value-type")
                text = "".join(elem.itertext()) if kind in (None, "string") else ""
                if kind is not None or text:
                    size = len(text.encode("utf-8"))
                    extents.value(row + 1, column + 1, size, rows=row_repeat, columns=repeat)
                column += repeat


def _repeat(value: str | None) -> int:
    return int(value) if value and value.isdigit() and int(value) > 0 else 1


# --------------------------------------------------------------------------------------------------
# Legacy .xls: BIFF records walked before calamine opens the file
# --------------------------------------------------------------------------------------------------
#
# calamine reads every sheet of a .xls when it opens it and lays each out as a grid from A1 to its
# last value (A1 and IV65536 cost 1 GB), and sizes its cell list from the sheet's DIMENSIONS record
# (one that claims 4 billion rows aborts the process). So the Workbook stream is read out of the OLE2
# container (olefile; at most the upload's size) and its records (2-byte type, 2-byte length) walked:
# the globals give the sheets (BOUNDSHEET: name and offset) and the shared strings (SST, with its
# CONTINUE records: the size each expands to); each sheet's value records give its extent and text.
# BLANK and MULBLANK (formatted cells with no value) do not count, as in .xlsx: calamine skips them.

BIFF_BOF, BIFF_EOF, BIFF_CONTINUE = 0x0809, 0x000A, 0x003C
BIFF_BOUNDSHEET, BIFF_SST, BIFF_FILEPASS, BIFF_DIMENSIONS = 0x0085, 0x00FC, 0x002F, 0x0200
BIFF_MULRK, BIFF_LABELSST, BIFF_LABEL, BIFF_STRING = 0x00BD, 0x00FD, 0x0204, 0x0207
BIFF_VALUES = frozenset({0x0203, 0x027E, 0x0205, 0x0006})  # NUMBER, RK, BOOLERR, FORMULA
XLS_ROWS, XLS_COLUMNS = 65_536, 256  # a BIFF8 sheet's grid; BIFF5 has 16,384 rows
XLS_WALK_FACTOR = 3  # sheets may share records; more than this many passes over the stream is refused
XLS_BEYOND_GRID = (
    "The sheet '{sheet}' says it spans {rows} by {columns}, more than a .xls sheet can hold "
    f"({XLS_ROWS:,} rows by {XLS_COLUMNS} columns), which only a damaged or deliberately altered file does, "
    "so it was not opened. If it opens in Excel, save it as an Excel Workbook (.xlsx) and upload that."
)


def _check_xls_extents(data: bytes) -> None:
    stream = _xls_stream(data)
    if stream is None:
        return  # no workbook stream: calamine says what it is not
    records = _BiffRecords(stream)
    sheets, sizes, version = _xls_globals(records)
    extents = _Extents()
    done: dict[int, tuple[int, int, int]] = {}  # offset -> (rows, columns, text) of sheets sharing records
    budget = XLS_WALK_FACTOR * len(stream) + 4096
    for name, offset in sheets:
        extents.start_sheet(name)
        if offset in done:
            rows, columns, text = done[offset]
            if rows:
                extents.value(rows, columns, text)
            continue
        before = extents.text
        budget -= _xls_sheet(records, offset, version, sizes, extents)
        if budget < 0:
            raise WorkbookError(DAMAGED)
        done[offset] = (extents.rows, extents.columns, extents.text - before)


def _xls_stream(data: bytes) -> bytes | None:
    """The Workbook (BIFF8) or Book (BIFF5) stream, read out of the compound file."""
    try:
        with olefile.OleFileIO(BytesIO(data)) as ole:
            sectors = (len(data) - 512 + 511) // 512
            _check_chain(ole.fat, ole.first_dir_sector, sectors)  # the directory
            for path in ole.listdir(streams=True, storages=False):
                if len(path) == 1 and path[0].lower() in ("workbook", "book"):
                    entry = ole.direntries[ole._find(path[0])]
                    if entry.size > len(data):
                        raise WorkbookError(DAMAGED)
                    if entry.size < ole.minisectorcutoff:
                        _check_chain(ole.fat, ole.root.isectStart, sectors)  # the mini stream
                        ole.loadminifat()
                        _check_chain(ole.minifat, entry.isectStart, len(ole.minifat))
                    else:
                        _check_chain(ole.fat, entry.isectStart, sectors)
                    return ole.openstream(path[0]).read()
    except WorkbookError:
        raise
    except Exception as exc:  # olefile raises OSError and others on a damaged container
        raise WorkbookError(DAMAGED) from exc
    return None


def _check_chain(table: Any, start: int, sectors: int) -> None:
    """A sector chain must end (ENDOFCHAIN) within the file without visiting a sector twice: calamine
    follows a looping chain until memory runs out (a FAT of zeros cost 24 GB), and panics on one that
    points past the end."""
    seen: set[int] = set()
    sector = start
    while sector not in (0xFFFFFFFE, 0xFFFFFFFF):
        if sector >= sectors or sector >= len(table) or sector in seen:
            raise WorkbookError(DAMAGED)
        seen.add(sector)
        sector = table[sector]


class _BiffRecords:
    """Records of a BIFF stream from an offset: (type, start of body, body length); stops at the end of the
    stream or at a record that runs past it."""

    def __init__(self, stream: bytes) -> None:
        self.stream = stream
        self.view = memoryview(stream)

    def walk(self, offset: int):
        stream, end = self.stream, len(self.stream)
        unpack = struct.Struct("<HH").unpack_from
        while offset + 4 <= end:
            kind, length = unpack(stream, offset)
            body = offset + 4
            if body + length > end:
                return
            yield kind, body, length
            offset = body + length


def _xls_globals(records: _BiffRecords) -> tuple[list[tuple[str, int]], array, int]:
    """[(sheet name, offset of its BOF)], the UTF-8 size of each shared string, and the BIFF version."""
    stream = records.stream
    sheets: list[tuple[str, int]] = []
    sst: list[tuple[int, int]] = []  # (start, length) of the SST body and its CONTINUE records
    version = 0x0600
    previous = 0
    for index, (kind, body, length) in enumerate(records.walk(0)):
        if index == 0:
            if kind != BIFF_BOF or length < 4:
                return [], array("l"), version  # not BIFF5/8: calamine refuses it with its own error
            version = struct.unpack_from("<H", stream, body)[0]
        elif kind == BIFF_EOF:
            break
        elif kind == BIFF_FILEPASS:
            raise WorkbookError(ENCRYPTED)
        elif kind == BIFF_BOUNDSHEET and length >= 8:
            offset = struct.unpack_from("<I", stream, body)[0]
            sheets.append((_biff_short_string(stream, body + 6, body + length, version), offset))
        elif kind == BIFF_SST or (kind == BIFF_CONTINUE and previous in (BIFF_SST, BIFF_CONTINUE) and sst):
            sst.append((body, length))
        if kind != BIFF_CONTINUE:
            previous = kind
    return sheets, _sst_sizes(stream, sst), version


def _biff_short_string(stream: bytes, start: int, end: int, version: int) -> str:
    """A sheet name: a 1-byte length, then (BIFF8) an options byte, then the characters."""
    if start >= end:
        return ""
    count = stream[start]
    if version < 0x0600:
        return stream[start + 1 : min(start + 1 + count, end)].decode("latin-1")
    wide = start + 1 < end and stream[start + 1] & 1
    chars = start + 2
    raw = stream[chars : min(chars + count * (2 if wide else 1), end)]
    return raw.decode("utf-16-le", "replace") if wide else raw.decode("latin-1")


def _utf8_size(raw: bytes | memoryview, wide: bool) -> int:
    return len((bytes(raw).decode("utf-16-le", "replace") if wide else bytes(raw).decode("latin-1")).encode("utf-8"))


def _sst_sizes(stream: bytes, pieces: list[tuple[int, int]]) -> array:
    """UTF-8 size of each shared string. A string's characters may go on in the next CONTINUE record, which
    then starts with an options byte (8- or 16-bit characters); its rich-text runs and extended data may
    too, without one."""
    sizes = array("l")
    if not pieces:
        return sizes
    piece, (pos, length) = 0, pieces[0]
    end = pos + length
    pos += 8  # total and unique counts: not trusted, the strings are counted as read

    def advance() -> bool:
        nonlocal piece, pos, end
        piece += 1
        if piece >= len(pieces):
            return False
        pos, end = pieces[piece][0], pieces[piece][0] + pieces[piece][1]
        return True

    def take(n: int) -> bytes | None:  # n bytes of header or skipped data, across record boundaries
        nonlocal pos
        out = b""
        while len(out) < n:
            if pos >= end and not advance():
                return None
            step = min(n - len(out), end - pos)
            out += stream[pos : pos + step]
            pos += step
        return out

    while True:
        if pos >= end and not advance():
            break
        head = take(3)
        if head is None:
            break
        count, options = struct.unpack("<HB", head)
        runs = extra = 0
        if options & 0x08:
            raw = take(2)
            runs = struct.unpack("<H", raw)[0] if raw else 0
        if options & 0x04:
            raw = take(4)
            extra = struct.unpack("<I", raw)[0] if raw else 0
        wide = bool(options & 0x01)
        size, remaining = 0, count
        while remaining:
            if pos >= end:
                if not advance():
                    break
                wide = bool(stream[pos] & 0x01)
                pos += 1
                continue
            width = 2 if wide else 1
            chars = min(remaining, (end - pos) // width)
            if chars == 0:  # half a wide character: damaged
                raise WorkbookError(DAMAGED)
            size += _utf8_size(stream[pos : pos + chars * width], wide)
            pos += chars * width
            remaining -= chars
        sizes.append(size)
        if take(4 * runs + extra) is None:
            break
    return sizes


def _xls_sheet(records: _BiffRecords, offset: int, version: int, sizes: array, extents: _Extents) -> int:
    """Walk one sheet's records from its BOF to the matching EOF into `extents`; returns the bytes walked."""
    stream = records.stream
    unpack_cell = struct.Struct("<HH").unpack_from
    depth = 0
    last_formula: tuple[int, int] | None = None
    walked = 0
    for kind, body, length in records.walk(offset):
        walked += length + 4
        if kind == BIFF_BOF or (kind & 0xFF == 0x09 and kind >> 8 in (0, 2, 4)):
            depth += 1
            continue
        if kind == BIFF_EOF:
            depth -= 1
            if depth <= 0:
                break
            continue
        if depth == 0:
            break  # the offset does not point at a BOF: calamine reads nothing there either
        if kind == BIFF_DIMENSIONS:
            _xls_dimensions(stream, body, length, extents)
        elif kind in BIFF_VALUES and length >= 4:
            row, column = unpack_cell(stream, body)
            extents.value(row + 1, column + 1)
            last_formula = (row, column) if kind == 0x0006 else None
            continue
        elif kind == BIFF_MULRK and length >= 6:
            row, first = unpack_cell(stream, body)
            last = struct.unpack_from("<H", stream, body + length - 2)[0]
            count = max(last - first + 1, (length - 6) // 6, 1)
            extents.value(row + 1, first + 1, columns=count)
        elif kind == BIFF_LABELSST and length >= 10:
            row, column = unpack_cell(stream, body)
            index = struct.unpack_from("<I", stream, body + 6)[0]
            extents.value(row + 1, column + 1, sizes[index] if index < len(sizes) else 0)
        elif kind == BIFF_LABEL and length >= 8:
            row, column = unpack_cell(stream, body)
            extents.value(row + 1, column + 1, _biff_string_size(stream, body + 6, body + length, version))
        elif kind == BIFF_STRING and last_formula is not None:  # a formula's text result
            text = _biff_string_size(stream, body, body + length, version)
            if text:
                extents.value(last_formula[0] + 1, last_formula[1] + 1, text)
        last_formula = None
    return walked


def _biff_string_size(stream: bytes, start: int, end: int, version: int) -> int:
    """UTF-8 size of a 2-byte-length string (LABEL, STRING): BIFF8 has an options byte after the length."""
    if start + 2 > end:
        return 0
    count = struct.unpack_from("<H", stream, start)[0]
    if version < 0x0600:
        return _utf8_size(stream[start + 2 : min(start + 2 + count, end)], False)
    wide = start + 2 < end and bool(stream[start + 2] & 0x01)
    chars = start + 3
    return _utf8_size(stream[chars : min(chars + count * (2 if wide else 1), end)], wide)


def _xls_dimensions(stream: bytes, body: int, length: int, extents: _Extents) -> None:
    """DIMENSIONS (first row, last row + 1, first column, last column + 1) proves nothing about where the
    values are, but calamine sizes its cell list from it, so one beyond the .xls grid is refused."""
    if length >= 14:
        rows, columns = struct.unpack_from("<I", stream, body + 4)[0], struct.unpack_from("<H", stream, body + 10)[0]
    elif length >= 8:
        rows, columns = struct.unpack_from("<H", stream, body + 2)[0], struct.unpack_from("<H", stream, body + 6)[0]
    else:
        return
    if rows > XLS_ROWS or columns > XLS_COLUMNS:
        raise WorkbookError(
            XLS_BEYOND_GRID.format(sheet=extents.sheet, rows=_count(rows, "row"), columns=_count(columns, "column"))
        )


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
    scan = _XlsxScan() if need_styles else None
    fmt = _check_file(data, filename, scan)
    if fmt == "csv":
        return read_csv(data, filename)
    notes: list[str] = []
    if fmt == "xlsm":
        notes.append("Macros in this .xlsm file were ignored.")
    named = next((kind for ext, kind in EXTENSIONS.items() if filename.lower().endswith(ext)), None)
    if named is not None and named != fmt and {named, fmt} != {"xlsx", "xlsm"}:
        notes.append(f"This file's name ends in .{named} but it is really a .{fmt} workbook; it was read as .{fmt}.")
    try:
        sheets = _read_sheets(data, fmt, need_styles=need_styles, notes=notes, scan=scan)
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
    except BaseException as exc:  # a Rust panic in calamine (pyo3's PanicException is a BaseException)
        if type(exc).__name__ != "PanicException":
            raise
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


def _read_sheets(
    data: bytes, fmt: str, *, need_styles: bool, notes: list[str], scan: _XlsxScan | None = None
) -> list[Sheet]:
    """Values from python-calamine; for .xlsx/.xlsm with styles, each cell the check pass noted (a
    style with a solid fill or a number format) gets its fill and, for a number, its format."""
    calamine = CalamineWorkbook.from_filelike(BytesIO(data))
    try:
        wanted: list[tuple[str, bool]] = []
        for meta in calamine.sheets_metadata:
            if meta.typ == SheetTypeEnum.WorkSheet:
                wanted.append((meta.name, meta.visible != SheetVisibleEnum.Visible))
            else:
                kind = "chart sheet" if meta.typ == SheetTypeEnum.ChartSheet else "macro or dialog sheet"
                notes.append(f"The {kind} '{meta.name}' was skipped.")
        styled = need_styles and fmt in ("xlsx", "xlsm") and scan is not None
        if styled and scan is not None and scan.error:
            notes.append(
                "The cell colours in this workbook could not be read (its formatting is damaged), so a RAG "
                "shown only by colour will be missing. The values were read."
            )
        sheets = []
        for name, hidden in wanted:
            sheet = calamine.get_sheet_by_name(name)
            _check_range(name, sheet)
            rows = [
                # Most cells are text, a number or empty ("" from calamine): those skip _plain.
                [
                    EMPTY if value == "" else Cell(value) if type(value) in (str, float) else _cell(value)
                    for value in row
                ]
                for row in sheet.to_python(skip_empty_area=False)
            ]
            keep = (0, 0)
            if need_styles:
                ranges = _merged_ranges(sheet)
                height, width = _bounds(sheet.end, ranges)
                rows = _pad(rows, height, width)
                if styled and scan is not None:
                    _apply_styles(rows, scan.cells.get(name, {}), scan.styles)
                keep = _mark_merged(rows, ranges)
            sheets.append(Sheet(name=name, rows=_trim(rows, keep), hidden=hidden))
        return sheets
    finally:
        calamine.close()


def _apply_styles(rows: list[list[Cell]], noted: dict[tuple[int, int], int], styles: _Styles) -> None:
    """Give the noted cells inside the grid their solid fill and (numbers only) their number format."""
    height = len(rows)
    fills, formats = styles.fills, styles.formats
    for (r, c), style in noted.items():
        if r >= height or c >= len(rows[r]):
            continue
        cell = rows[r][c]
        fill = fills.get(style)
        # Whole numbers get none: Excel stores 3 and 3.0 alike, and a ref "3" stays "3" (as openpyxl read it).
        value = cell.value
        number_format = formats.get(style) if isinstance(value, float) and not value.is_integer() else None
        if fill is not None or number_format is not None:
            rows[r][c] = Cell(cell.value, fill, cell.merged, number_format)


def _check_range(name: str, sheet: CalamineSheet) -> None:
    """The area calamine found values in, checked against the same limits before it becomes Python
    objects. For .xls this is the only check: calamine reads a legacy workbook's cells when it opens it,
    so a hostile .xls costs calamine's own grid (at most 65,536 x 256 cells), but never the far larger
    Python one."""
    if sheet.end is not None:
        extents = _Extents()
        extents.start_sheet(name)
        extents.value(sheet.end[0] + 1, sheet.end[1] + 1)


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
        row.extend([EMPTY] * (width - len(row)))
    rows.extend([EMPTY] * width for _ in range(height - len(rows)))
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
    pad the rest to one width. Looks in from the bottom and from the right, so a sheet whose last row
    and column hold values costs one look along each."""
    height, width = keep
    last_row = next((i for i in range(len(rows) - 1, -1, -1) if any(c.value is not None for c in rows[i])), -1)
    widest = max((len(row) for row in rows), default=0)
    last_column = next(
        (c for c in range(widest - 1, -1, -1) if any(c < len(row) and row[c].value is not None for row in rows)), -1
    )
    height, width = max(height, last_row + 1), max(width, last_column + 1)
    if not height or not width:
        return []
    return _pad([row if len(row) == width else row[:width] for row in rows[:height]], height, width)


# --------------------------------------------------------------------------------------------------
# Fill colours
# --------------------------------------------------------------------------------------------------

HEX = re.compile(r"[0-9A-Fa-f]{6}([0-9A-Fa-f]{2})?")


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
