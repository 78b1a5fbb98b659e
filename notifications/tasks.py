"""Celery tasks: thin wrappers over notifications.services, run by beat (see `setup_schedules`)."""

from __future__ import annotations

from datetime import date

from celery import shared_task

from core.dates import today

from . import services


@shared_task(acks_late=True)
def send_digests(on: str | None = None) -> dict:
    """The day's digests (daily and weekly, by each person's choice). Safe to run twice: each person
    gets at most one per period."""
    return services.send_digests(on=date.fromisoformat(on) if on else today()).as_dict()
