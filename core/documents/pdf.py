"""A TableDocument as .pdf: HTML (templates/core/documents/table.html) laid out by WeasyPrint, landscape
A4, the header row repeated on every page, banners shaded, merge-down cells spanning their group's
rows, RAG cells filled with their letter, summaries after the table, "Page X of Y" bottom right.

A big table is cut into chunks of whole groups, laid out side by side by worker processes
(pdfworkers.py), merged and numbered. How the rows are cut depends on the rows alone, never on the
workers, so the file does too: the same document gives the same bytes however it was rendered.
"""

from __future__ import annotations

import os
from calendar import timegm

from .document import Block, Column, Row, TableDocument, merge_spans
from .files import Progress, cell_text, noop, rag_key, rag_letter, stamp

# Big tables are laid out as several HTML documents ("chunks") of at most this many rows, rendered
# by worker processes side by side; anything up to one chunk renders in this process.
CHUNK_ROWS = 700
TEMPLATE = "core/documents/table.html"

TABLE_MM = 297 - 2 * 12 - 2 * 8 * 25.4 / 96  # landscape A4 less the page margins and body margins
PADDING_MM = 2 * 1.2 + 0.5 * 25.4 / 72  # cell padding both sides, and the border
EM_MM = 8 * 25.4 / 72  # the 8 pt font
_EM = {
    **dict.fromkeys("0123456789abcdeghknopqsuvxyz", 0.64),
    **dict.fromkeys("mw", 0.98),
    **dict.fromkeys("fijlrt.,:;'!|()[]/-", 0.42),
    **dict.fromkeys("MW", 1.0),
    **dict.fromkeys("ABCDEFGHIJKLNOPQRSTUVXYZ", 0.8),
}

# A chunk: runs of (block index, leaf index, rows), in order.
Run = list[tuple[int, int, list[Row]]]
_Cell = tuple[str, str, int, bool, str]  # column key, text, rowspan, may break inside words, RAG class


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


def workers() -> int:
    """How many PDF worker processes: settings.EXTRACT_PDF_WORKERS, else one per CPU; 0 renders
    every chunk in this process."""
    from django.conf import settings

    configured = getattr(settings, "EXTRACT_PDF_WORKERS", None)
    if configured is None:
        return os.cpu_count() or 1
    return max(0, int(configured))


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
        "footer_css": mark_safe(css_string(doc.footer)),  # noqa: S308 - css_string escapes everything
        "rag_styles": [(key or "none", rag.FILL[key], rag.TEXT[key]) for key in rag.FILL],
        "widths": {k: round(100 * w / total_weight, 2) for k, w in weights.items()},
        "spans": {id(row): span for b in doc.blocks for _, rows in b.leaves() for row, span in _spans(rows)},
    }


def _spans(rows: list[Row]):
    return zip(rows, merge_spans(rows), strict=True)


def _cells(row: Row, cols: list[Column], span: int, mm: dict[str, float]) -> list[_Cell]:
    """A row's cells; a merge-down cell spans its group's rows, and is left out where it continues."""
    out = []
    for col in cols:
        if col.merge_down and span == 0:
            continue
        if col.is_rag and row.rag is not None:
            out.append((col.key, rag_letter(row), 1, False, rag_key(row) or "none"))
            continue
        text = cell_text(row, col.key)
        out.append((col.key, text, span if col.merge_down else 1, not fits(text, mm[col.key]), ""))
    return out


def html(doc: TableDocument, run: Run, first: bool, last: bool, ctx: dict) -> str:
    """One chunk as an HTML document. Only the first has the heading and only the last the summaries;
    a chunk that starts inside a block repeats its banners, "(continued)"."""
    from django.template.loader import render_to_string

    cols: list[Column] = ctx["cols"]
    mm = {k: TABLE_MM * width / 100 for k, width in ctx["widths"].items()}
    spans = ctx["spans"]
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
        blocks[-1][1].append((title, [(row, _cells(row, cols, spans[id(row)], mm)) for row in rows]))
    return render_to_string(TEMPLATE, {**ctx, "blocks": blocks, "first": first, "last": last})


def render(doc: TableDocument, progress: Progress | None = None) -> bytes:
    """The table as HTML through WeasyPrint. A big one is cut into chunks of whole groups, rendered
    side by side by worker processes, merged, then numbered "Page X of Y"."""
    from . import pdfworkers

    progress = progress or noop
    ctx = context(doc)
    if doc.tagged:
        return _render_tagged(doc, ctx, progress)
    # An even number of chunks, so that two (or four) workers finish together.
    n = -(-doc.row_count // CHUNK_ROWS)
    runs = chunks(doc, n + n % 2 if n > 1 else 1)
    pool = workers()
    epoch = timegm(stamp(doc).timetuple())  # fonts' timestamps: the document's date, never the clock
    documents = (html(doc, run, i == 0, i == len(runs) - 1, ctx) for i, run in enumerate(runs))
    progress(5)

    def done(count: int) -> None:
        progress(5 + 85 * count // len(runs))

    if len(runs) == 1 or pool == 0:
        pdfs = []
        for document in documents:
            pdfs.append(pdfworkers.render_html(document, epoch))
            done(len(pdfs))
    else:
        pdfs = pdfworkers.render_in_workers(documents, workers=pool, count=len(runs), done=done, epoch=epoch)
    blob = pdfworkers.merge_and_number(
        pdfs, identifier=doc.pdf_identifier(), title=doc.title, subject=doc.subject, lang=doc.language
    )
    progress(100)
    return blob


def _render_tagged(doc: TableDocument, ctx: dict, progress: Progress) -> bytes:
    """A tagged PDF (headings, paragraphs, table headers and cells in a structure tree, the document's
    language and title): one HTML document laid out in this process, with "Page X of Y" from CSS
    (page numbers stamped afterwards would be untagged content, and merging would drop the tree)."""
    from . import pdfworkers

    epoch = timegm(stamp(doc).timetuple())
    document = html(doc, chunks(doc, 1)[0], True, True, {**ctx, "tagged": True})
    progress(10)
    blob = pdfworkers.render_html(document, epoch, pdf_tags=True, pdf_identifier=doc.pdf_identifier())
    progress(100)
    return blob
