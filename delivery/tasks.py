"""Celery tasks: thin wrappers that call a service. Job tasks hand their work to core.jobs.run_job
(through the service), which ends the job done or failed and is safe to run twice."""

from __future__ import annotations

from celery import shared_task

from . import services


def _state(job) -> str:
    return job.state if job is not None else "missing"


@shared_task(acks_late=True, reject_on_worker_lost=True)
def generate_extract(extract_id: int) -> str:
    return _state(services.extract_generate(extract_id=extract_id))


@shared_task(acks_late=True, reject_on_worker_lost=True)
def validate_import(import_id: int) -> str:
    return _state(services.import_validate(run_id=import_id))


@shared_task(acks_late=True, reject_on_worker_lost=True)
def apply_import(import_id: int) -> str:
    return _state(services.import_apply(run_id=import_id))
