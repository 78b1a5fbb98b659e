"""Spreadsheet formula injection blocked in every CSV and XLSX the apps write, and a safe table export."""

from __future__ import annotations

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
