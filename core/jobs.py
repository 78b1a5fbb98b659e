"""Long work (imports, extracts, digests) as jobs: a row that says what it is and how far it has got,
run by a Celery task (or in-process when no broker is configured).

A concrete job extends `Job` and names its states:

    class Extract(Job):
        class State(models.TextChoices): ...
        QUEUED, RUNNING, FINISHED = (State.PENDING,), (State.RUNNING,), (State.DONE, State.FAILED)

and its task hands the work to `run_job`, which moves it from queued to running, calls the work,
and ends it in the state the work returns, or failed with a plain message. It is safe to call twice
(a task delivered again after a worker crash): a job that is not queued any more is left alone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from importlib import import_module
from typing import Any, ClassVar, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

Report = Callable[..., None]  # report(percent, message="")
J = TypeVar("J", bound="Job")


class Job(models.Model):
    """State, progress, message, error, file, who asked for it and when it started and finished."""

    state = models.CharField(max_length=16)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True, help_text="What the job is doing now.")
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    # Each concrete job names which of its states are waiting, running and finished.
    QUEUED: ClassVar[tuple[str, ...]] = ()
    RUNNING: ClassVar[tuple[str, ...]] = ()
    FINISHED: ClassVar[tuple[str, ...]] = ()
    FAILED: ClassVar[str] = "failed"
    kind: ClassVar[str] = "job"

    class Meta:
        abstract = True

    @property
    def is_finished(self) -> bool:
        return self.state in self.FINISHED

    @property
    def is_active(self) -> bool:
        """Waiting or running: its page keeps polling."""
        return self.state in self.QUEUED or self.state in self.RUNNING

    def failure_message(self, exc: BaseException) -> str:
        """What the person sees when the work raised. Subclasses may say more."""
        return f"The {self.kind} could not be finished ({exc.__class__.__name__}); nothing was changed."


def run_job(
    model: type[J],
    job_id: int,
    work: Callable[[J, Report], dict[str, Any]],
    *,
    start: Iterable[str],
    running: str,
    atomic: bool = False,
) -> J | None:
    """Claim the job (move it from one of `start` to `running`), run `work(job, report)`, and store the
    fields it returns (its end state among them). If the work raises, the job ends failed with a plain
    message and the exception is logged once, here; it is not raised again. A job that is not in one of
    the `start` states (already run, or running elsewhere) is returned untouched. With `atomic`, the
    work and its end state are written in one transaction.
    """
    claimed = model.objects.filter(pk=job_id, state__in=list(start)).update(
        state=running, started_at=timezone.now(), progress=1, error="", message=""
    )
    job = model.objects.filter(pk=job_id).first()
    if job is None or not claimed:
        return job

    def report(percent: int, message: str = "") -> None:
        fields: dict[str, Any] = {"progress": min(99, max(1, int(percent)))}
        if message:
            fields["message"] = message[:300]
        model.objects.filter(pk=job_id, state=running).update(**fields)

    try:
        if atomic:
            with transaction.atomic():
                _finish(model, job_id, running, work(job, report))
        else:
            _finish(model, job_id, running, work(job, report))
    except Exception as exc:
        logger.exception("%s %s failed", model.__name__, job_id)
        model.objects.filter(pk=job_id).update(
            state=model.FAILED, error=job.failure_message(exc), finished_at=timezone.now(), message=""
        )
    job.refresh_from_db()
    return job


def _finish(model: type[Job], job_id: int, running: str, fields: dict[str, Any]) -> None:
    fields = dict(fields)
    fields.setdefault("progress", 100)
    fields.setdefault("message", "")
    fields["finished_at"] = timezone.now()
    model.objects.filter(pk=job_id, state=running).update(**fields)


def enqueue_on_commit(task_name: str, *args: Any) -> None:
    """Send the task called `task_name` ("delivery.tasks.generate_extract") with `args` once the
    surrounding transaction has committed (so the worker sees the row), or at once outside a
    transaction. By name, so a service never imports its app's tasks module. With no broker configured
    the task runs in-process."""

    def send() -> None:
        from celery import current_app

        import_module(task_name.rsplit(".", 1)[0])  # registers the app's tasks if not yet loaded
        current_app.tasks[task_name].delay(*args)

    transaction.on_commit(send)
