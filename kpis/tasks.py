"""Celery tasks: thin wrappers that call a service (run_job ends the job done or failed, safe twice)."""

from __future__ import annotations

from celery import shared_task

from . import services


def _state(job) -> str:
    return job.state if job is not None else "missing"


@shared_task(acks_late=True, reject_on_worker_lost=True)
def validate_kpi_import(import_id: int) -> str:
    return _state(services.kpi_import_validate(run_id=import_id))


@shared_task(acks_late=True, reject_on_worker_lost=True)
def apply_kpi_import(import_id: int) -> str:
    return _state(services.kpi_import_apply(run_id=import_id))
