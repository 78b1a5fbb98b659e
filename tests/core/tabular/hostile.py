"""Hostile workbooks, built by hand (zipfile and written-out XML) so that nothing unsafe is stored in
the repository. Each is a few kilobytes; a reader that trusts it would ask for gigabytes."""

from __future__ import annotations

import io
import re
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


HOSTILE = {
    "far_corner": far_corner,
    "wide_and_long": wide_and_long,
    "lying_dimension_rows": lying_dimension_rows,
    "sparse_but_vast": sparse_but_vast,
    "shared_string_amplification": shared_string_amplification,
    "ods_far_column": ods_far_column,
    "ods_far_row": ods_far_row,
    "ods_text_amplification": ods_text_amplification,
}
