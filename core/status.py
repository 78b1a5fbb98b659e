"""Status, and the one definition of "open" and "overdue" that every list, count and digest uses.

Overdue: a due date before the day in question, and a status that is neither complete nor closed.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"
    ON_HOLD = "on_hold", "On hold"
    CLOSED = "closed", "Closed"


FINISHED = (Status.COMPLETE.value, Status.CLOSED.value)


_LABELS = {s.value: s.label for s in Status}


def label(value: str) -> str:
    return _LABELS.get(value) or (value or "")


def is_open(status: str) -> bool:
    return status not in FINISHED


def is_overdue(*, due: date | None, status: str, on: date) -> bool:
    return due is not None and due < on and is_open(status)


def open_q(*, status: str = "status") -> Q:
    """Rows whose `status` field is open."""
    return ~Q(**{f"{status}__in": FINISHED})


def overdue_q(on: date, *, due: str = "due_date", status: str = "status") -> Q:
    """Rows overdue on `on`, for any model: name its due-date and status fields."""
    return Q(**{f"{due}__lt": on}) & open_q(status=status)
