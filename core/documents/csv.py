"""A TableDocument as .csv: one row per table row, its banners as leading columns (CSV has no banner
rows), the RAG as a word, merge-down cells repeated, UTF-8 with a BOM so that Excel reads it, and
every cell that a spreadsheet would run as a formula neutralised."""

from __future__ import annotations

import csv
import io

from .document import TableDocument, merge_spans
from .files import Progress, cell_text, noop, rag_word


def render(doc: TableDocument, progress: Progress | None = None) -> bytes:
    from core.exports import neutralise

    progress = progress or noop
    levels = len(doc.banner_labels)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([neutralise(h) for h in (*doc.banner_labels, *(c.label for c in doc.columns))])
    for block in doc.blocks:
        for title, rows in block.leaves():
            banners = [block.title, title][:levels]
            first = 0
            for i, (row, span) in enumerate(zip(rows, merge_spans(rows), strict=True)):
                first = i if span else first
                values = [
                    rag_word(row) if col.is_rag else cell_text(rows[first] if col.merge_down else row, col.key)
                    for col in doc.columns
                ]
                writer.writerow([neutralise(v) for v in (*banners, *values)])
    progress(100)
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM so Excel reads UTF-8
