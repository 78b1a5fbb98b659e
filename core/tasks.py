"""Celery tasks of the shared core: thin wrappers."""

from __future__ import annotations

from celery import shared_task

from core import jobs


@shared_task(acks_late=True)
def sweep_stuck_jobs() -> dict[str, int]:
    """Every minute (beat): re-queue jobs whose worker was lost, or fail them after JOB_MAX_ATTEMPTS."""
    return jobs.sweep_stuck_jobs()
