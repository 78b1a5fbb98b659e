"""What the renderers share: progress callbacks, the fixed timestamp, reproducible zips, RAG cells."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import datetime, time

from .document import Row, TableDocument

Progress = Callable[[int], None]


def noop(_: int) -> None:
    pass


def stamp(doc: TableDocument) -> datetime:
    """The one timestamp written into a file: noon on the document's date, never the clock."""
    return datetime.combine(doc.stamp, time(12, 0))


def fixed_zip(blob: bytes, when: datetime) -> bytes:
    """Rewrite a zip with every entry dated `when`, in the same order, so output is reproducible."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(blob)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def rag_letter(row: Row) -> str:
    """The RAG cell's text: the letter, "–" for not rated, nothing for a row with no RAG."""
    from core import rag

    return "" if row.rag is None else rag.letter(row.rag)


def rag_key_line(doc: TableDocument) -> str:
    """The key to the RAG letters, under the title of a file with a RAG column (Word, Excel, PDF):
    "RAG: R Red, A Amber, G Green, B Complete, – Not rated". Empty when there is no RAG column."""
    from core import rag

    if not any(c.is_rag for c in doc.shown_columns()):
        return ""
    return "RAG: " + ", ".join(f"{rag.letter(key)} {rag.word(key)}" for key in rag.ORDER)


def rag_word(row: Row) -> str:
    from core import rag

    return "" if row.rag is None else rag.word(row.rag)


def rag_key(row: Row) -> str:
    """The key into core.rag.FILL / TEXT: "" (white) for a row with no RAG."""
    return row.rag or ""


def cell_text(row: Row, key: str) -> str:
    return row.cells.get(key, "") or ""
