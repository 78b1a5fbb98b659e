from __future__ import annotations

from datetime import date

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def send_round_reminders(on: str | None = None) -> int:
    """Daily (beat): remind owners who have not updated, on the configured days around each deadline.
    `on` (ISO date) is for running it by hand for a given day; beat leaves it out (today)."""
    return services.round_send_reminders(on=date.fromisoformat(on) if on else None)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def send_round_requests(round_id: int) -> int:
    """Queued when a round opens: email each owner with a login their request and workbook. Retried
    when the mail server cannot be reached; what was sent is not sent again."""
    return services.round_send_requests(round_id=round_id)
