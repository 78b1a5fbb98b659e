"""A TableDocument as .pdf: HTML (templates/core/documents/table.html) laid out by WeasyPrint, landscape
A4, the header row repeated on every page, banners shaded, merge-down cells spanning their group's
rows, RAG cells filled with their letter, summaries after the table, "Page X of Y" bottom right.

Rows are never split across pages (break-inside: avoid). A row too long for one page is cut, before
layout, into continuation rows of at most ROW_LINES lines (estimated from the font's widths): each
repeats the row's reference and RAG letter, and its first text cell starts "(continued)". The
reference column (Column.identifies) is shown on every row, so a row at the top of a page names its
commitment even where the commitment's text is merged down from the page before.

A big table is cut into chunks of whole groups, laid out side by side by worker processes
(pdfworkers.py), merged and numbered. How the rows are cut depends on the rows alone, never on the
workers, so the file does too: the same document gives the same bytes however it was rendered.
"""

from __future__ import annotations

import os
import re
from calendar import timegm
from collections.abc import Iterable, Iterator
from contextlib import closing
from dataclasses import replace
from html import escape

from . import pdfworkers
from .document import Block, Column, Row, TableDocument, merge_spans
from .files import Progress, cell_text, noop, rag_key, rag_key_line, rag_letter, stamp

# Big tables are laid out as several HTML documents ("chunks") of at most this many rows, rendered
# by worker processes side by side; anything up to one chunk renders in this process.
CHUNK_ROWS = 700
TEMPLATE = "core/documents/table.html"

TABLE_MM = 297 - 2 * 12 - 2 * 8 * 25.4 / 96  # landscape A4 less the page margins and body margins
CELL_PADDING_MM = 1.2
BORDER_MM = pdfworkers.GRID_PT * 25.4 / 72  # a cell's border on each side (two make the line between cells)
PADDING_MM = 2 * CELL_PADDING_MM + 2 * BORDER_MM  # cell padding and border, both sides
EM_MM = 8 * 25.4 / 72  # the 8 pt font
_EM = {
    **dict.fromkeys("0123456789abcdeghknopqsuvxyz", 0.64),
    **dict.fromkeys("mw", 0.98),
    **dict.fromkeys("fijlrt.,:;'!|()[]/-", 0.42),
    **dict.fromkeys("MW", 1.0),
    **dict.fromkeys("ABCDEFGHIJKLNOPQRSTUVXYZ", 0.8),
}

SPACE_EM = 0.32
# A row taller than this many lines (8 pt, 1.3 line height: 3.7 mm) is cut into continuation rows. A
# landscape A4 page holds about 44 under the header row; the estimate of wrapping errs long, and a
# piece has to fit below a banner or two.
ROW_LINES = 34
CONTINUED = "(continued)"
_NEWLINES = re.compile(r"\r\n|\r")  # as Django's linebreaksbr: each a line break

# A chunk: runs of (block index, leaf index, rows), in order.
Run = list[tuple[int, int, list[Row]]]
_Cell = tuple[str, str, int, str, str]  # column key, text, rowspan, classes, RAG class


def css_string(text: str) -> str:
    """`text` as a quoted CSS string, for `content: ...`: `\\` and `"` backslash-escaped; newlines,
    `<`, `>`, `&`, other control characters and anything not ASCII as `\\HHHHHH ` (the space ends the
    escape and is not shown). Nothing can end the string or the <style> element it sits in."""
    out = []
    for c in text:
        if c in '\\"':
            out.append("\\" + c)
        elif " " <= c <= "~" and c not in "<>&":
            out.append(c)
        else:
            out.append(f"\\{ord(c):06X} ")
    return '"' + "".join(out) + '"'


def fits(text: str, width_mm: float) -> bool:
    """Whether every word of `text` fits a column this wide without breaking inside it (from DejaVu
    Sans' widths, rounded up; anything unusual counts as 1 em).

    Letting WeasyPrint break inside words (overflow-wrap: anywhere) costs it an eighth more on every
    cell, so the template asks for it only on the few cells with a word that might not fit."""
    limit = (width_mm - PADDING_MM) / EM_MM
    return all(sum(_EM.get(c, 1.0) for c in word) <= limit for word in text.split() if len(word) > limit)


def _em(word: str) -> float:
    return sum(_EM.get(c, 1.0) for c in word)


def wrap(text: str, width_mm: float) -> list[list[str]]:
    """`text` as it would wrap in a column this wide: for each paragraph (line of `text`), its lines,
    each a list of words. Estimated from the font's widths, rounded up; a word too long for a line
    takes as many lines as it needs (such cells may break inside words)."""
    limit = max((width_mm - PADDING_MM) / EM_MM, 1.0)
    paragraphs = []
    for paragraph in text.split("\n"):
        lines: list[list[str]] = [[]]
        used = 0.0
        for word in paragraph.split():
            width = _em(word)
            if lines[-1] and used + SPACE_EM + width <= limit:
                lines[-1].append(word)
                used += SPACE_EM + width
                continue
            if lines[-1]:
                lines.append([])
            lines[-1].append(word)
            used = width
            while used > limit:  # a long word: the lines it fills on its own
                lines.append([])
                used -= limit
        paragraphs.append(lines)
    return paragraphs


def _pieces(text: str, width_mm: float, size: int) -> list[str]:
    """`text` cut into pieces of at most `size` wrapped lines, at line ends (a paragraph cut in two
    continues in the next piece)."""
    pieces: list[list[str]] = [[]]
    count = 0
    for lines in wrap(text, width_mm):
        part: list[str] = []
        for line in lines:
            if count == size:
                if part:
                    pieces[-1].append(" ".join(part))
                pieces.append([])
                part, count = [], 0
            part.extend(line)
            count += 1
        pieces[-1].append(" ".join(part))
    return ["\n".join(piece) for piece in pieces]


def split_long_rows(doc: TableDocument, mm: dict[str, float]) -> TableDocument:
    """The document with every row longer than ROW_LINES lines cut into continuation rows: each keeps
    the row's group (so merged cells span them all), reference and RAG, and its first text cell
    starts "(continued)". The same document when no row is that long."""
    cols = doc.shown_columns()
    text_cols = [c for c in cols if not c.is_rag and not c.merge_down]

    def split(row: Row, number: int) -> list[Row]:
        lines = {c.key: sum(len(p) for p in wrap(cell_text(row, c.key), mm[c.key])) for c in text_cols}
        if not lines or max(lines.values()) <= ROW_LINES:
            return [row]
        parts = {c.key: _pieces(cell_text(row, c.key), mm[c.key], ROW_LINES - 1) for c in text_cols}
        group = row.group if row.group is not None else f"\x00row {number}"  # its pieces merge as one
        out = []
        for i in range(max(len(p) for p in parts.values())):
            cells = dict(row.cells)
            for c in text_cols:
                cells[c.key] = parts[c.key][i] if i < len(parts[c.key]) else ""
            if i:
                first = text_cols[0].key
                cells[first] = CONTINUED + ("\n" + cells[first] if cells[first] else "")
            out.append(Row(cells=cells, rag=row.rag, group=group))
        return out

    changed = False
    blocks = []
    number = 0
    for block in doc.blocks:
        leaves = []
        for leaf in [Block("", rows=block.rows), *block.children]:
            rows = []
            for row in leaf.rows:
                number += 1
                pieces = split(row, number)
                changed |= len(pieces) > 1
                rows.extend(pieces)
            leaves.append(Block(leaf.title, rows=rows))
        blocks.append(Block(block.title, rows=leaves[0].rows, children=leaves[1:]))
    if not changed:
        return doc
    return replace(doc, blocks=blocks, identifier=doc.pdf_identifier().decode())


def workers() -> int:
    """How many PDF worker processes: settings.EXTRACT_PDF_WORKERS, else one per CPU; 0 renders
    every chunk in this process."""
    from django.conf import settings

    configured = getattr(settings, "EXTRACT_PDF_WORKERS", None)
    if configured is None:
        return os.cpu_count() or 1
    return max(0, int(configured))


def chunk_count(rows: int) -> int:
    """How many chunks `rows` rows are laid out in: one up to CHUNK_ROWS, else an even number, so that
    two (or four) workers finish together."""
    n = -(-rows // CHUNK_ROWS)
    return n + n % 2 if n > 1 else 1


def chunks(doc: TableDocument, count: int) -> list[Run]:
    """Split the rows into about `count` runs of similar size, never splitting a merge-down group (its
    merged cells span its rows). Each run is a list of (block index, leaf index, rows)."""
    groups: Run = []
    for bi, block in enumerate(doc.blocks):
        for li, (_, rows) in enumerate(block.leaves()):
            for row, span in zip(rows, merge_spans(rows), strict=True):
                if span or not groups or groups[-1][:2] != (bi, li):
                    groups.append((bi, li, []))
                groups[-1][2].append(row)
    total = sum(len(rows) for _, _, rows in groups) or 1
    runs: list[Run] = [[] for _ in range(max(1, count))]
    before = 0
    for bi, li, rows in groups:
        run = runs[before * len(runs) // total]
        if run and run[-1][:2] == (bi, li):
            run[-1][2].extend(rows)
        else:
            run.append((bi, li, list(rows)))
        before += len(rows)
    return [run for run in runs if run] or [[]]


def context(doc: TableDocument) -> dict:
    """What every chunk's template needs, whichever rows it has."""
    from django.utils.safestring import mark_safe

    from core import rag

    cols = doc.shown_columns()
    weights = {c.key: c.pdf_width or c.width for c in cols}
    total_weight = sum(weights.values()) or 1
    return {
        "doc": doc,
        "cols": cols,
        "mm": {k: TABLE_MM * weight / total_weight for k, weight in weights.items()},
        "rag_key": rag_key_line(doc),
        "footer_css": mark_safe(css_string(doc.footer)),  # noqa: S308 - css_string escapes everything
        "rag_styles": [(key or "none", rag.FILL[key], rag.TEXT[key]) for key in rag.FILL],
        "widths": {k: round(100 * w / total_weight, 2) for k, w in weights.items()},
        # Absolute widths for the fixed layout (table-layout: fixed, border-box cells), nothing to resolve.
        "table_mm": f"{TABLE_MM:.3f}",
        # The cells' borders are drawn by the workers (pdfworkers.draw_cell_borders), inside the padding.
        "cell_padding": f"{CELL_PADDING_MM * 72 / 25.4 + pdfworkers.GRID_PT:.4f}pt",
        "summary_mm": f"{TABLE_MM * 0.7:.3f}",
        "col_mm": {k: f"{TABLE_MM * w / total_weight - 0.0005:.3f}" for k, w in weights.items()},
        "spans": {id(row): span for b in doc.blocks for _, rows in b.leaves() for row, span in _spans(rows)},
    }


def _spans(rows: list[Row]):
    return zip(rows, merge_spans(rows), strict=True)


def _cells(row: Row, cols: list[Column], span: int, mm: dict[str, float], group_row: Row) -> list[_Cell]:
    """A row's cells; a merge-down cell spans its group's rows, and is left out where it continues,
    except the reference (Column.identifies), shown on every row (muted where it repeats)."""
    out = []
    for col in cols:
        if col.is_rag and row.rag is not None:
            out.append((col.key, rag_letter(row), 1, "", rag_key(row) or "none"))
            continue
        if col.merge_down and col.identifies:
            text = cell_text(group_row, col.key)
            out.append((col.key, text, 1, "key again" if span == 0 else "key", ""))
            continue
        if col.merge_down and span == 0:
            continue
        text = cell_text(row, col.key)
        out.append((col.key, text, span if col.merge_down else 1, "" if fits(text, mm[col.key]) else "wrap", ""))
    return out


def html(doc: TableDocument, run: Run, first: bool, last: bool, ctx: dict) -> str:
    """One chunk as an HTML document. Only the first has the heading and only the last the summaries;
    a chunk that starts inside a block repeats its banners, "(continued)"."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    cols: list[Column] = ctx["cols"]
    mm = {k: TABLE_MM * width / 100 for k, width in ctx["widths"].items()}
    spans = ctx["spans"]
    group_rows = {}  # each row's group's first row, whose merge-down cells it shows
    blocks: list[tuple[str, list[tuple[str, list[tuple[Row, list[_Cell]]]]]]] = []
    last_block = None
    for bi, li, rows in run:
        block: Block = doc.blocks[bi]
        title, leaf_rows = block.leaves()[li]
        if bi != last_block:
            started_inside = not blocks and rows[0] is not block.all_rows[0]
            banner = block.title + (" (continued)" if started_inside and block.title else "")
            blocks.append((banner, []))
            last_block = bi
        if title and not blocks[-1][1] and rows[0] is not leaf_rows[0]:
            title += " (continued)"
        cells = []
        for row in rows:
            head = row if spans[id(row)] else group_rows.get(id(leaf_rows), row)
            group_rows[id(leaf_rows)] = head
            cells.append((row, _cells(row, cols, spans[id(row)], mm, head)))
        blocks[-1][1].append((title, cells))
    body = mark_safe(_body(blocks, len(cols)))  # noqa: S308 - _body escapes every text it writes
    return render_to_string(TEMPLATE, {**ctx, "body": body, "first": first, "last": last})


def _body(blocks: list, width: int) -> str:
    """The table's body rows as HTML: the banners (a row spanning the table) and each row's cells,
    every text escaped and its newlines <br/> (well-formed XML, as the template's). Written here rather
    than in the template: Django's template loop took a second for 5,000 rows, in the process that
    feeds the PDF workers."""
    out = []
    for banner, leaves in blocks:
        if banner:
            out.append(f'<tr class="level-1"><td colspan="{width}">{escape(banner)}</td></tr>\n')
        for leaf_title, rows in leaves:
            if leaf_title:
                out.append(f'<tr class="level-2"><td colspan="{width}">{escape(leaf_title)}</td></tr>\n')
            for _row, cells in rows:
                out.append("<tr>")
                for _key, value, span, classes, rag in cells:
                    if rag:
                        out.append(f'<td class="rag rag-{escape(rag)}">{escape(value)}</td>')
                        continue
                    out.append(
                        "<td"
                        + (f' rowspan="{span}"' if span > 1 else "")
                        + (f' class="{classes}"' if classes else "")
                        + ">"
                        + escape(_NEWLINES.sub("\n", value)).replace("\n", "<br/>")
                        + "</td>"
                    )
                out.append("</tr>\n")
    return "".join(out)


def render(doc: TableDocument, progress: Progress | None = None) -> bytes:
    """The table as HTML through WeasyPrint. A big one is cut into chunks of whole groups, rendered
    side by side by worker processes, merged (each chunk as it comes), then numbered "Page X of Y"."""
    progress = progress or noop
    pool = workers()
    epoch = timegm(stamp(doc).timetuple())  # fonts' timestamps: the document's date, never the clock
    # Several chunks for certain (cutting long rows only adds rows): start the workers now, so that
    # their start-up overlaps the cutting and the chunks' HTML.
    at_least = chunk_count(doc.row_count)
    started = pdfworkers.start_workers(min(pool, at_least), epoch) if pool and at_least > 1 else None
    try:
        doc = split_long_rows(doc, context(doc)["mm"])
        ctx = context(doc)
        runs = chunks(doc, chunk_count(doc.row_count))
        documents = (html(doc, run, i == 0, i == len(runs) - 1, ctx) for i, run in enumerate(runs))
        progress(5)

        def done(count: int) -> None:
            progress(5 + 85 * count // len(runs))

        if len(runs) == 1 or pool == 0:
            parts = _in_this_process(documents, epoch, done)
        else:
            parts = pdfworkers.render_in_workers(
                documents, workers=started or min(pool, len(runs)), count=len(runs), done=done, epoch=epoch
            )
        with closing(parts) as rendered:
            blob = pdfworkers.merge_and_number(
                rendered, identifier=doc.pdf_identifier(), title=doc.title, subject=doc.subject, lang=doc.language
            )
    finally:  # render_in_workers ends them; this only makes sure, whatever happened before it started
        for worker in started or ():
            worker.close()
    progress(100)
    return blob


def _in_this_process(documents: Iterable[str], epoch: int, done: Progress) -> Iterator[bytes]:
    for chunk, document in enumerate(documents):
        yield pdfworkers.render_html(document, epoch, chunk, **pdfworkers.CHUNK)
        done(chunk + 1)
