"""Hostile workbooks, built by hand (zipfile and written-out XML; BIFF8 records in an OLE compound file
for .xls) so that nothing unsafe is stored in the repository. Each is a few kilobytes; a reader that
trusts it would ask for gigabytes."""

from __future__ import annotations

import io
import re
import struct
import zipfile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"'
    ' Target="xl/workbook.xml"/></Relationships>'
)
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def number(ref: str, value: float = 1) -> str:
    return f'<c r="{ref}"><v>{value}</v></c>'


def shared(ref: str, index: int = 0) -> str:
    return f'<c r="{ref}" t="s"><v>{index}</v></c>'


def xlsx(
    cells: list[str] | str,
    *,
    sheet: str = "Delivery plan",
    dimension: str | None = None,
    strings: list[str] | None = None,
) -> bytes:
    """A one-sheet .xlsx whose sheetData holds `cells` (written-out <c> elements, grouped into rows by
    their reference), or `cells` as the raw sheetData content."""
    if isinstance(cells, str):
        sheet_data = cells
    else:
        rows: dict[int, list[str]] = {}
        for cell in cells:
            row = int(re.search(r'r="[A-Z]+(\d+)"', cell).group(1))
            rows.setdefault(row, []).append(cell)
        sheet_data = "".join(f'<row r="{r}">{"".join(cs)}</row>' for r, cs in sorted(rows.items()))
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    worksheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{dim}'
        f"<sheetData>{sheet_data}</sheetData></worksheet>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    )
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
        f'<sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    sst = "".join(f"<si><t>{s}</t></si>" for s in strings or [])
    members = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": workbook,
        "xl/_rels/workbook.xml.rels": rels,
        "xl/worksheets/sheet1.xml": worksheet,
        "xl/sharedStrings.xml": f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">{sst}</sst>',
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def far_corner() -> bytes:
    """Values only in A1 and XFD1048576 (the issue's 4.7 KB workbook: calamine asked for 512 GB)."""
    return xlsx([number("A1"), number("XFD1048576")], dimension="A1")


def wide_and_long() -> bytes:
    """A1, XFD1 and A20000 (the issue's second workbook: 6 GB in seconds)."""
    return xlsx([number("A1"), number("XFD1"), number("A20000")], dimension="A1")


def lying_dimension_rows(rows: int = 150_000) -> bytes:
    """Says it is A1:B2; its values run down to row `rows`."""
    return xlsx([number("A1"), number(f"B{rows}")], dimension="A1:B2")


def sparse_but_vast() -> bytes:
    """Inside the row and column limits, but A1 to GR100000 is 20 million cells laid out."""
    return xlsx([number("A1"), number("GR100000")])


def shared_string_amplification(length: int = 32_767, references: int = 100_000) -> bytes:
    """One `length`-character shared string referenced by `references` cells (the issue's 0.24 MB file)."""
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>' for r in range(1, references + 1))
    return xlsx(rows, strings=["x" * length])


def ods(table: str, name: str = "Delivery plan") -> bytes:
    """An .ods whose one table holds `table` (written-out table:table-row elements)."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{name}">{table}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def ods_text(value: str, columns: int = 1) -> str:
    repeat = f' table:number-columns-repeated="{columns}"' if columns > 1 else ""
    return f'<table:table-cell office:value-type="string"{repeat}><text:p>{value}</text:p></table:table-cell>'


def ods_far_column() -> bytes:
    """One value repeated across all 16,384 columns of row 1."""
    return ods(f"<table:table-row>{ods_text('Ref', columns=16_384)}</table:table-row>")


def ods_far_row() -> bytes:
    """A value, a million repeated empty rows, then another value."""
    return ods(
        f"<table:table-row>{ods_text('Ref')}</table:table-row>"
        '<table:table-row table:number-rows-repeated="1000000"><table:table-cell/></table:table-row>'
        f"<table:table-row>{ods_text('Stray')}</table:table-row>"
    )


def ods_text_amplification() -> bytes:
    """A 30,000-character text repeated over 100 columns of 20,000 rows (60 GB of text)."""
    return ods(
        f'<table:table-row table:number-rows-repeated="20000">{ods_text("y" * 30_000, columns=100)}</table:table-row>'
    )


def ods_trailing_empty_rows() -> bytes:
    """What LibreOffice writes: a small table, then a million repeated empty rows and a thousand empty columns."""
    return ods(
        f"<table:table-row>{ods_text('Ref')}{ods_text('Activity')}</table:table-row>"
        '<table:table-row table:number-rows-repeated="1048575">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
    )


# --- legacy .xls (BIFF8 records in an OLE2 compound file) ----------------------------------------

XLS_EOF = 0x000A


def record(kind: int, body: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def bof(kind: int) -> bytes:
    """BOF of a BIFF8 substream: 0x0005 workbook globals, 0x0010 worksheet."""
    return record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x06))


def xls_number(row: int, col: int, value: float = 1) -> bytes:
    return record(0x0203, struct.pack("<HHHd", row, col, 0, value))


def xls_label(row: int, col: int, text: str) -> bytes:
    return record(0x0204, struct.pack("<HHHHB", row, col, 0, len(text), 1) + text.encode("utf-16-le"))


def xls_labelsst(row: int, col: int, index: int = 0) -> bytes:
    return record(0x00FD, struct.pack("<HHHI", row, col, 0, index))


def xls_rk(row: int, col: int, value: int = 1) -> bytes:
    return record(0x027E, struct.pack("<HHHI", row, col, 0, (value << 2) | 2))


def xls_mulrk(row: int, first: int, count: int) -> bytes:
    body = struct.pack("<HH", row, first) + struct.pack("<HI", 0, 6) * count + struct.pack("<H", first + count - 1)
    return record(0x00BD, body)


def xls_blank(row: int, col: int) -> bytes:
    return record(0x0201, struct.pack("<HHH", row, col, 0))


def xls_dimensions(rows: int, cols: int) -> bytes:
    """DIMENSIONS: first row, last row + 1, first column, last column + 1 (which a file may lie about)."""
    return record(0x0200, struct.pack("<IIHHH", 0, rows, 0, cols, 0))


def xls_sst(strings: list[str]) -> bytes:
    """SST with its CONTINUE records: a string longer than a record's 8,224 bytes goes on in the next one,
    which starts with the string's option byte again, as Excel writes it (compressed 8-bit characters)."""
    body = struct.pack("<II", len(strings), len(strings))
    pieces: list[bytes] = []
    for text in strings:
        raw = text.encode("latin-1")
        head = struct.pack("<HB", len(raw), 0)
        if len(body) + len(head) + 1 > 8224:
            pieces.append(body)
            body = b""
        body += head
        while raw:
            room = 8224 - len(body)
            body, raw = body + raw[:room], raw[room:]
            if raw:
                pieces.append(body)
                body = b"\x00"  # the option byte again: still compressed
    pieces.append(body)
    return record(0x00FC, pieces[0]) + b"".join(record(0x003C, piece) for piece in pieces[1:])


def xls(sheets: list[tuple[str, bytes]], *, strings: list[str] | None = None) -> bytes:
    """A BIFF8 .xls: `sheets` are (name, cell records); each sheet gets its BOF, and EOF is added."""

    def globals_part(offsets: list[int]) -> bytes:
        part = bof(0x0005) + record(0x0042, struct.pack("<H", 1200))
        for (name, _), offset in zip(sheets, offsets, strict=True):
            part += record(0x0085, struct.pack("<IBBBB", offset, 0, 0, len(name), 1) + name.encode("utf-16-le"))
        if strings is not None:
            part += xls_sst(strings)
        return part + record(XLS_EOF)

    bodies = [bof(0x0010) + cells + record(XLS_EOF) for _, cells in sheets]
    start = len(globals_part([0] * len(sheets)))
    offsets = []
    for body in bodies:
        offsets.append(start)
        start += len(body)
    return ole({"Workbook": globals_part(offsets) + b"".join(bodies)})


def ole(streams: dict[str, bytes]) -> bytes:
    """An OLE2 compound file (version 3, 512-byte sectors) holding `streams`, each at least 4 KB so that
    none goes in the mini stream. FAT sectors are listed in the header (up to 109 of them, 7 MB)."""
    end, free, fat_mark, no_stream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    padded = []
    for data in streams.values():
        data = data + bytes(max(0, 4096 - len(data)))
        padded.append(data + bytes(-len(data) % 512))
    data_sectors = sum(len(d) // 512 for d in padded)
    fat_sectors = 1
    while fat_sectors * 128 < fat_sectors + 1 + data_sectors:
        fat_sectors += 1
    assert fat_sectors <= 109
    chain = [fat_mark] * fat_sectors + [end]  # the FAT, then one directory sector
    starts = []
    for d in padded:
        first = len(chain)
        starts.append(first)
        count = len(d) // 512
        chain += [first + i + 1 for i in range(count - 1)] + [end]
    chain += [free] * (fat_sectors * 128 - len(chain))
    header = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + bytes(16)
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack("<9I", 0, fat_sectors, fat_sectors, 0, 0x1000, end, 0, end, 0)
        + struct.pack("<109I", *range(fat_sectors), *([free] * (109 - fat_sectors)))
    )

    def entry(name: str, kind: int, left: int, right: int, child: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0" if name else b""
        return (
            raw.ljust(64, b"\0")
            + struct.pack("<HBBIII", len(raw), kind, 1, left, right, child)
            + bytes(36)
            + struct.pack("<IQ", start, size)
        )

    names = list(streams)
    assert len(names) <= 3
    directory = entry("Root Entry", 5, no_stream, no_stream, 1, end, 0)
    for i, (name, data) in enumerate(streams.items()):  # a chain to the right: fine for a reader
        right = i + 2 if i + 1 < len(names) else no_stream
        size = max(len(data), 4096)  # under 4 KB a reader looks in the mini stream
        directory += entry(name, 2, no_stream, right, no_stream, starts[i], size)
    directory += entry("", 0, no_stream, no_stream, no_stream, 0, 0) * (3 - len(names))
    fat = struct.pack(f"<{len(chain)}I", *chain)
    return header + fat + directory + b"".join(padded)


def xls_far_corner() -> bytes:
    """A1 and IV65536, the last cell a .xls can hold: calamine lays out 65,536 x 256 cells for it."""
    return xls([("Delivery plan", xls_dimensions(1, 1) + xls_label(0, 0, "Ref") + xls_number(65535, 255))])


def xls_sparse_but_vast() -> bytes:
    """Within the row and column limits one by one, but 65,536 x 200 cells laid out: 13 million."""
    cells = xls_number(0, 0) + xls_rk(65535, 0) + xls_mulrk(100, 150, 50)
    return xls([("Delivery plan", xls_dimensions(1, 1) + cells)])


def xls_shared_string_amplification(length: int = 32_767, references: int = 2_000) -> bytes:
    """One 32,767-character string in 2,000 cells: 65 MB of text from a 60 KB file."""
    cells = b"".join(xls_labelsst(r, 0) for r in range(references))
    return xls([("Delivery plan", xls_dimensions(references, 1) + cells)], strings=["z" * length])


HOSTILE = {
    "far_corner": far_corner,
    "wide_and_long": wide_and_long,
    "lying_dimension_rows": lying_dimension_rows,
    "sparse_but_vast": sparse_but_vast,
    "shared_string_amplification": shared_string_amplification,
    "ods_far_column": ods_far_column,
    "ods_far_row": ods_far_row,
    "ods_text_amplification": ods_text_amplification,
    "xls_far_corner": xls_far_corner,
    "xls_sparse_but_vast": xls_sparse_but_vast,
    "xls_shared_string_amplification": xls_shared_string_amplification,
}
