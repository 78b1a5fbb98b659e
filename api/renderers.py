"""CSV for the same endpoints (`?format=csv` or `Accept: text/csv`): one header row of the serializer's
field names, lists joined with "; ", every text cell neutralised against formula injection."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from rest_framework.renderers import BaseRenderer

from core.exports import neutralise


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
    return neutralise(str(value))


def csv_lines(fields: list[str], rows: Iterable[dict]) -> Iterator[str]:
    """The header, then one line per row, each as text ready to send."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def take() -> str:
        out = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return out

    writer.writerow(fields)
    yield "\ufeff" + take()  # a byte-order mark so Excel reads UTF-8
    for row in rows:
        writer.writerow([_cell(row.get(f)) for f in fields])
        yield take()


class CSVRenderer(BaseRenderer):
    """Used for content negotiation and for errors; the list views stream their rows themselves."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if isinstance(data, dict) and "results" in data:
            data = data["results"]
        if isinstance(data, dict):
            data = [data]
        rows = [r for r in (data or []) if isinstance(r, dict)]
        fields = list(rows[0]) if rows else []
        return "".join(csv_lines(fields, rows)).encode("utf-8")
