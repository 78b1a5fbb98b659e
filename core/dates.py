"""The one idea of "today" (the office's local date) and of a date being in the past."""

from __future__ import annotations

from datetime import date

from django.utils import timezone


def today() -> date:
    return timezone.localdate()


def is_past(as_at: date | None) -> bool:
    return as_at is not None and as_at < today()
