
"""Celery tasks: thin wrappers that call a service."""

from __future__ import annotations

from datetime import date

from celery import shared_task

from core.dates import today

from . import digests, services


@shared_task(acks_late=True)
def send_overdue_digests(as_at: str | None = None) -> dict:
    day = date.fromisoformat(as_at) if as_at else today()
    return digests.send_overdue_digests(as_at=day).as_dict()


@shared_task(acks_late=True)
def generate_extract(extract_id: int) -> str:
    return services.extract_generate(extract_id=extract_id).state


@shared_task(acks_late=True)
def validate_import(import_id: int) -> str:
    return services.import_validate(run_id=import_id).state


@shared_task(acks_late=True)
def apply_import(import_id: int) -> str:
    return services.import_apply(run_id=import_id).state
