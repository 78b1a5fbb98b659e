from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def send_round_reminders() -> int:
    """Daily (beat): remind owners who have not updated, on the configured days around each deadline."""
    return services.round_send_reminders()
