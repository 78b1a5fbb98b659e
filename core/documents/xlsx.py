"""A TableDocument as .xlsx: title rows, a frozen header with an autofilter, banners merged across
the row, RAG cells filled with their letter, landscape A4 one page wide, and one sheet per summary.
Merge-down cells are not merged here: the group's first value is repeated on each of its rows, so
that sorting and filtering in Excel keep every row whole.

Every cell is written as a string (or a number in a summary), never a formula, so text such as
`=1+1` arrives as text.

Reproducible as xlsxwriter writes it: in memory, every zip entry is dated 1 January 1980 (Excel's own
convention) and the workbook's created date is the document's, so the package is not re-zipped."""

from __future__ import annotations

import io

from .document import TableDocument, merge_spans
from .files import Progress, noop, rag_key_line, rag_letter, stamp

LEVEL1_FILL = "1D70B8"
LEVEL2_FILL = "DBE7F2"
HEADER_FILL = "0B0C0C"
MAX_CELL = 32_767
MAX_HEADER_FOOTER = 255


def _footer(text: str) -> str:
    """Text for an Excel header/footer section: '&' doubled, within Excel's length limit."""
    return text.replace("&", "&&")[: MAX_HEADER_FOOTER - 30]


def render(doc: TableDocument, progress: Progress | None = None) -> bytes:
    import xlsxwriter

    from core import rag

    progress = progress or noop
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"title": doc.title, "subject": doc.subject, "created": stamp(doc), "author": ""})
    cols = doc.shown_columns()
    n = len(cols)
    ws = wb.add_worksheet(doc.sheet_name[:31])
    f_title = wb.add_format({"bold": True, "font_size": 14})
    f_header = wb.add_format(
        {
            "bold": True,
            "font_color": "#FFFFFF",
            "bg_color": f"#{HEADER_FILL}",
            "text_wrap": True,
            "valign": "top",
            "border": 1,
        }
    )
    f_level1 = wb.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": f"#{LEVEL1_FILL}", "font_size": 12})
    f_level2 = wb.add_format({"bold": True, "bg_color": f"#{LEVEL2_FILL}"})
    f_cell = wb.add_format({"text_wrap": True, "valign": "top", "border": 1})
    f_rag = {
        r: wb.add_format(
            {
                "bold": True,
                "align": "center",
                "valign": "top",
                "border": 1,
                "bg_color": f"#{rag.FILL[r]}",
                "font_color": f"#{rag.TEXT[r]}",
            }
        )
        for r in rag.FILL
    }
    f_bold = wb.add_format({"bold": True})

    r = 0
    ws.write_string(r, 0, doc.title, f_title)
    key = [rag_key_line(doc)] if rag_key_line(doc) else []
    for line in ([doc.subtitle] if doc.subtitle else []) + list(doc.intro) + key:
        r += 1
        ws.write_string(r, 0, line)
    header_row = r + 2
    for c, col in enumerate(cols):
        ws.write_string(header_row, c, col.label, f_header)
        ws.set_column(c, c, col.width)
    r = header_row + 1
    total = max(doc.row_count, 1)
    # Worksheet.write_string less its decorator (which first tries the row as an int, to accept "A1"
    # references) and call: a fifth of this loop's time for 40,000 cells. The same arguments and work
    # otherwise; should a later xlsxwriter rename it, the public method is used.
    write = getattr(ws, "_write_string", ws.write_string)
    plan = [(c, col.key, col.is_rag, col.merge_down) for c, col in enumerate(cols)]
    done = 0

    def banner(title: str, fmt) -> None:
        nonlocal r
        if n > 1:
            ws.merge_range(r, 0, r, n - 1, title, fmt)
        else:
            ws.write_string(r, 0, title, fmt)
        r += 1

    for block in doc.blocks:
        if block.title:
            banner(block.title, f_level1)
        for title, rows in block.leaves():
            if title:
                banner(title, f_level2)
            first = 0
            for i, (row, span) in enumerate(zip(rows, merge_spans(rows), strict=True)):
                first = i if span else first
                for c, key, is_rag, merge_down in plan:
                    if is_rag:
                        write(r, c, rag_letter(row), f_rag[row.rag or ""])
                        continue
                    text = (rows[first] if merge_down and span == 0 else row).cells.get(key) or ""
                    write(r, c, text if len(text) <= MAX_CELL else text[:MAX_CELL], f_cell)
                r += 1
                done += 1
                if done % 500 == 0:
                    progress(int(90 * done / total))
    ws.freeze_panes(header_row + 1, 0)
    ws.autofilter(header_row, 0, max(r - 1, header_row), n - 1)
    ws.repeat_rows(header_row)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.set_footer(f"&L{_footer(doc.footer)}&RPage &P of &N")

    for sheet in doc.summaries:
        summary = wb.add_worksheet(sheet.title[:31])
        for c, h in enumerate(sheet.header):
            summary.write_string(0, c, h, f_header)
        summary.set_column(0, 0, 50)
        if len(sheet.header) > 1:
            summary.set_column(1, len(sheet.header) - 1, 12)
        rows = [(row, None) for row in sheet.rows] + ([(sheet.total, f_bold)] if sheet.total is not None else [])
        for i, (row, fmt) in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if isinstance(value, int | float) and not isinstance(value, bool):
                    summary.write_number(i, c, value, fmt)
                else:
                    summary.write_string(i, c, str(value), fmt)
        if sheet.note:
            summary.write_string(len(rows) + 2, 0, sheet.note)
    wb.close()
    progress(100)
    return out.getvalue()
