"""Saving or deleting anything the KPI figures are worked out from marks them changed (selectors.FIGURES_DATA,
a core.freshness.DataVersion), so the cached figures are worked out again. Bulk writes call
selectors.data_changed."""

from __future__ import annotations

from . import selectors


def connect() -> None:
    selectors.FIGURES_DATA.connect()
