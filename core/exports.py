"""Spreadsheet formula injection blocked in every CSV and XLSX the apps write, and a safe table export."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import IO

from django.http import StreamingHttpResponse
from django_tables2.export import TableExport
from tablib import Dataset

DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(value):
    """Make a cell that a spreadsheet would run as a formula read as text, by prefixing a quote."""
    if isinstance(value, str) and value.startswith(DANGEROUS_FIRST):
        return "'" + value
    return value


class SafeTableExport(TableExport):
    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        kwargs = {"title": (getattr(table.Meta, "export_title", None) or "Export")[:31]}
        kwargs.update(dataset_kwargs or {})
        dataset = Dataset(**kwargs)
        for i, row in enumerate(table.as_values(exclude_columns=exclude_columns)):
            cells = [neutralise(v) for v in row]
            if i == 0:
                dataset.headers = cells
            else:
                dataset.append(cells)
        return dataset


class _Echo:
    """A file-like object whose write hands the line straight back (for csv.writer in a stream)."""

    def write(self, value: str) -> str:
        return value


def stream_csv(*, filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> StreamingHttpResponse:
    """A CSV download written row by row as the rows arrive: constant memory whatever their number,
    every cell neutralised against formula injection."""
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([neutralise(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_file(*, title: str, header: Sequence[str], rows: Iterable[Sequence]) -> IO[bytes]:
    """An XLSX of the rows written with xlsxwriter's constant_memory mode (one row in memory at a
    time) to a temporary file, returned open at its start for a FileResponse. Cells are written as
    strings or numbers only, never formulas, and neutralised as for CSV."""
    import xlsxwriter

    out = tempfile.TemporaryFile()
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "in_memory": False, "strings_to_formulas": False})
    sheet = book.add_worksheet(title[:31])
    bold = book.add_format({"bold": True})
    sheet.write_row(0, 0, header, bold)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            value = neutralise(value)
            if isinstance(value, str):
                sheet.write_string(r, c, value)
            elif value is not None:
                sheet.write(r, c, value)
    book.close()
    out.seek(0)
    return out
