"""The one idea of "today" (the office's local date) and of a date being in the past."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

# The dates a form accepts ("as at", due, since...): far enough apart for any plan, near enough that
# adding or subtracting a year or two never overflows Python's date range.
EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)


def in_range(value: date) -> bool:
    return EARLIEST <= value <= LATEST


def today() -> date:
    return timezone.localdate()


def is_past(as_at: date | None) -> bool:
    return as_at is not None and as_at < today()
