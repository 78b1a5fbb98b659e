"""Long work (imports, extracts, digests) as jobs: a row that says what it is and how far it has got,
run by a Celery task (or in-process when no broker is configured).

A concrete job extends `Job` and names its states:

    class Extract(Job):
        class State(models.TextChoices): ...
        QUEUED, RUNNING, FINISHED = (State.PENDING,), (State.RUNNING,), (State.DONE, State.FAILED)

and its task hands the work to `run_job`, which moves it from queued to running, calls the work,
and ends it in the state the work returns, or failed with a plain message. It is safe to call twice
(a task delivered again after a worker crash): a job that is not queued any more is left alone.

Nothing is lost when a worker dies (the pool child killed by the OOM killer, a host restart): a job
that runs holds a *lease* (`lease_until`), taken when it is claimed and renewed each time it reports
progress. `sweep_stuck_jobs` (core/tasks.py, every minute from beat) finds running jobs whose lease
has expired, moves them back to the queued state their `TASKS` names and sends the task again; after
JOB_MAX_ATTEMPTS claims it fails them with a plain message instead. Work done in one transaction
(`atomic=True`, an import's apply) also holds a lock on the job's row, which the sweeper skips: such a
job is never taken from a worker that is still alive, however long it runs.

Nothing hangs when the broker is down: `enqueue_on_commit` fails fast (short connect timeout, few
publish retries) and ends the job failed with UNAVAILABLE; its page offers "Try again".
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import timedelta
from importlib import import_module
from typing import Any, ClassVar, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

from core import audit
from core.roles import can_edit_plans

logger = logging.getLogger(__name__)

Report = Callable[..., None]  # report(percent, message="")
J = TypeVar("J", bound="Job")

UNAVAILABLE = "Background jobs are unavailable at the moment; nothing was changed. Try again in a few minutes."
DEFAULT_LEASE_SECONDS = 300
DEFAULT_MAX_ATTEMPTS = 3


def lease_seconds() -> int:
    """How long a running job may go without reporting progress before it counts as lost."""
    return int(getattr(settings, "JOB_LEASE_SECONDS", DEFAULT_LEASE_SECONDS))


def max_attempts() -> int:
    return int(getattr(settings, "JOB_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))


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
    lease_until = models.DateTimeField(
        null=True, blank=True, help_text="While running: the worker reports progress before this, or the job is lost."
    )
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Times a worker has claimed the job.")
    resume_state = models.CharField(
        max_length=16, blank=True, help_text="The waiting state 'Try again' puts a lost or unsent job back in."
    )

    # Each concrete job names which of its states are waiting, running and finished,
    QUEUED: ClassVar[tuple[str, ...]] = ()
    RUNNING: ClassVar[tuple[str, ...]] = ()
    FINISHED: ClassVar[tuple[str, ...]] = ()
    FAILED: ClassVar[str] = "failed"
    kind: ClassVar[str] = "job"
    # and, for each running state, the waiting state it is claimed from and the task that runs it:
    # {"running": ("pending", "delivery.tasks.generate_extract")}. The sweeper and "Try again" use it.
    TASKS: ClassVar[dict[str, tuple[str, str]]] = {}

    class Meta:
        abstract = True

    @property
    def is_finished(self) -> bool:
        return self.state in self.FINISHED

    @property
    def is_active(self) -> bool:
        """Waiting or running: its page keeps polling."""
        return self.state in self.QUEUED or self.state in self.RUNNING

    @property
    def is_stuck(self) -> bool:
        """Running on a worker that was lost (its lease expired), or failed because it was lost too often
        or could not be sent to a worker: 'Try again' can put it back in its waiting state."""
        if self.state in self.RUNNING:
            return self.lease_until is not None and self.lease_until < timezone.now()
        return self.state == self.FAILED and bool(self.resume_state)

    def lost_message(self) -> str:
        """What the person sees when workers were lost too often running this job."""
        return (
            f"The {self.kind} stopped {self.attempts} times because the background worker running it was lost "
            "(usually for lack of memory), so it was not tried again; nothing was changed. Try again later, "
            "and if it stops again, tell an administrator."
        )

    def audit_actor(self):
        """Who the audit trail records as doing what this job writes: the person who asked for it."""
        return self.created_by

    def failure_message(self, exc: BaseException) -> str:
        """What the person sees when the work raised. Subclasses may say more."""
        return f"The {self.kind} could not be finished ({exc.__class__.__name__}); nothing was changed."


def job_file_path(instance: Job, filename: str) -> str:
    """Kept files go under the job's kind and month: extracts/2026/11/…, imports/2026/11/…"""
    return f"{instance.kind}s/{timezone.now():%Y/%m}/{filename}"


class FileJob(Job):
    """A job that writes its files in one go (an Appendix 1 extract, a panel pack): waiting -> generating
    -> ready or failed. Each app's model extends it and names its task in `TASKS`."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting"
        RUNNING = "running", "Generating"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    QUEUED = (State.PENDING,)
    RUNNING = (State.RUNNING,)
    FINISHED = (State.DONE, State.FAILED)

    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)

    class Meta:
        abstract = True


class ImportJob(Job):
    """An uploaded workbook imported in two jobs in one row: reading and checking (queued -> validating ->
    previewed or invalid), then, when someone applies the preview, applying (apply_queued -> applying ->
    applied or failed). The file is kept; the preview and the outcome are stored as JSON. Each app's
    import (delivery's ImportRun, the KPI import) extends it and names its tasks in `TASKS`."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to be read"
        VALIDATING = "validating", "Reading and checking"
        INVALID = "invalid", "Has errors"
        PREVIEWED = "previewed", "Ready to apply"
        APPLY_QUEUED = "apply_queued", "Waiting to apply"
        APPLYING = "applying", "Applying"
        APPLIED = "applied", "Applied"
        FAILED = "failed", "Failed"

    QUEUED = (State.QUEUED, State.APPLY_QUEUED)
    RUNNING = (State.VALIDATING, State.APPLYING)
    FINISHED = (State.INVALID, State.PREVIEWED, State.APPLIED, State.FAILED)
    APPLY_TASK: ClassVar[str] = ""  # the task that applies a preview, e.g. "delivery.tasks.apply_import"

    file = models.FileField(upload_to=job_file_path)
    filename = models.CharField(max_length=255)
    size = models.PositiveIntegerField(default=0)
    layout = models.CharField(max_length=10, default="auto")
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    preview = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_state_display()})"

    def audit_actor(self):
        """Applying is done for whoever applied the preview; reading and checking for the uploader."""
        if self.state == self.State.APPLYING and self.applied_by_id:
            return self.applied_by
        return self.created_by

    def failure_message(self, exc: BaseException) -> str:
        if self.state == self.State.APPLYING:
            return f"The import could not be applied ({exc.__class__.__name__}); nothing was changed."
        if isinstance(exc, OSError):
            return "The uploaded file could not be read back from storage; upload it again."
        return f"The workbook could not be read and checked ({exc.__class__.__name__}); nothing was changed."


def import_start_apply(*, job: ImportJob, by, **fields: Any) -> ImportJob:
    """Queue the apply of a previewed import (the caller has checked `by` may apply it); a second request
    for the same preview is refused. `fields` are stored with the move (e.g. a confirmation)."""
    model = type(job)
    with transaction.atomic():
        moved = model.objects.filter(pk=job.pk, state=model.State.PREVIEWED).update(
            state=model.State.APPLY_QUEUED, applied_by=by, progress=0, attempts=0, **fields
        )
        if not moved:
            current = model.objects.get(pk=job.pk)
            raise ValidationError(
                f"This import cannot be applied: it is {current.get_state_display().lower()}."
                + (
                    " Each preview is applied once; upload the file again to import it again."
                    if current.state in (model.State.APPLIED, *model.QUEUED, *model.RUNNING)
                    else ""
                )
            )
        enqueue_on_commit(model.APPLY_TASK, job.pk, job=job)
    job.refresh_from_db()
    return job


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
    now = timezone.now()
    lease = timedelta(seconds=lease_seconds())
    lost = Q(state=running, lease_until__lt=now, attempts__lt=max_attempts())  # a worker died running it
    claimed = (
        model.objects.filter(pk=job_id)
        .filter(Q(state__in=list(start)) | lost)
        .update(
            state=running,
            started_at=now,
            progress=1,
            error="",
            message="",
            lease_until=now + lease,
            attempts=F("attempts") + 1,
            resume_state="",
        )
    )
    job = model.objects.filter(pk=job_id).first()
    if job is None or not claimed:
        return job
    # This claim's writes apply only while the job is still this claim's (not re-queued and claimed again).
    mine = model.objects.filter(pk=job_id, state=running, attempts=job.attempts)

    def report(percent: int, message: str = "") -> None:
        fields: dict[str, Any] = {"progress": min(99, max(1, int(percent))), "lease_until": timezone.now() + lease}
        if message:
            fields["message"] = message[:300]
        mine.update(**fields)

    try:
        # What the work writes is in the audit trail as done by the job's person, from a background job.
        with audit.acting_as(job.audit_actor(), source=audit.job_source()):
            if atomic:
                with transaction.atomic():
                    # Hold the job's row for the whole transaction: the sweeper skips locked rows, so a job
                    # still being applied is never re-queued, however long it takes.
                    list(mine.select_for_update().values_list("pk", flat=True))
                    _finish(mine, work(job, report))
            else:
                _finish(mine, work(job, report))
    except Exception as exc:
        logger.exception("%s %s failed", model.__name__, job_id)
        mine.update(
            state=model.FAILED, error=job.failure_message(exc), finished_at=timezone.now(), message="", lease_until=None
        )
    job.refresh_from_db()
    return job


def _finish(mine: models.QuerySet, fields: dict[str, Any]) -> None:
    fields = dict(fields)
    fields.setdefault("progress", 100)
    fields.setdefault("message", "")
    fields["finished_at"] = timezone.now()
    fields["lease_until"] = None
    mine.update(**fields)


def enqueue_on_commit(task_name: str, *args: Any, job: Job | None = None) -> None:
    """Send the task called `task_name` ("delivery.tasks.generate_extract") with `args` once the
    surrounding transaction has committed (so the worker sees the row), or at once outside a
    transaction. By name, so a service never imports its app's tasks module. With no broker configured
    the task runs in-process.

    If the broker cannot be reached the send gives up within seconds (CELERY_BROKER_CONNECTION_TIMEOUT,
    CELERY_TASK_PUBLISH_RETRY_POLICY) and `job`, still waiting, ends failed with UNAVAILABLE and its
    waiting state kept for "Try again"; the request that queued it goes on as normal."""

    def send() -> None:
        from celery import current_app

        import_module(task_name.rsplit(".", 1)[0])  # registers the app's tasks if not yet loaded
        task = current_app.tasks[task_name]
        if current_app.conf.task_always_eager:
            task.delay(*args)
            return
        try:
            task.apply_async(args, retry=True, retry_policy=current_app.conf.task_publish_retry_policy)
        except Exception:  # the broker is down or unreachable: kombu, redis and socket errors alike
            logger.exception("Could not send %s%r to the broker", task_name, args)
            if job is not None:
                type(job).objects.filter(pk=job.pk, state__in=list(type(job).QUEUED)).update(
                    state=type(job).FAILED,
                    error=UNAVAILABLE,
                    message="",
                    finished_at=timezone.now(),
                    resume_state=F("state"),
                    lease_until=None,
                )

    transaction.on_commit(send)


def requeue(job: J) -> bool:
    """Put a lost job (running, lease expired) or an unsent or too-often-lost one (failed, with a
    resume state) back in its waiting state and send its task again after commit. Returns whether it
    was re-queued (another request or the sweeper may have got there first)."""
    model = type(job)
    now = timezone.now()
    for running, (queued, task_name) in model.TASKS.items():
        lost = Q(state=running, lease_until__lt=now)
        unsent = Q(state=model.FAILED, resume_state=queued)
        moved = (
            model.objects.filter(pk=job.pk)
            .filter(lost | unsent)
            .update(state=queued, progress=0, message="", error="", lease_until=None, resume_state="", finished_at=None)
        )
        if moved:
            enqueue_on_commit(task_name, job.pk, job=job)
            return True
    return False


def can_retry(user, job: Job) -> bool:
    """The person who started the job, and editors, may try a stuck job again."""
    return bool(user and user.is_authenticated) and (job.created_by_id == user.pk or can_edit_plans(user))


@transaction.atomic
def job_try_again(*, job: J, by) -> J:
    """'Try again' on a stuck job's page: re-queue it, counting its attempts afresh."""
    if not can_retry(by, job):
        raise PermissionDenied("Only the person who started this job, or an editor, can try it again.")
    model = type(job)
    model.objects.filter(pk=job.pk).update(attempts=0)
    if not requeue(job):
        job.refresh_from_db()
        raise ValidationError(f"This {job.kind} is not stuck (it is {job.get_state_display().lower()}).")
    job.refresh_from_db()
    return job


def job_models() -> list[type[Job]]:
    """Every concrete job model of the installed apps."""
    from django.apps import apps

    return [m for m in apps.get_models() if issubclass(m, Job) and m.TASKS]


def sweep_stuck_jobs() -> dict[str, int]:
    """Re-queue running jobs whose lease has expired (their worker was lost), or fail them with a plain
    message once they have been claimed JOB_MAX_ATTEMPTS times. Rows locked by a live transaction (an
    apply still running) are skipped. Returns counts, for the log."""
    requeued = failed = 0
    now = timezone.now()
    for model in job_models():
        for running, (queued, task_name) in model.TASKS.items():
            with transaction.atomic():
                lost = list(
                    model.objects.select_for_update(skip_locked=True).filter(state=running, lease_until__lt=now)
                )
                for job in lost:
                    if job.attempts >= max_attempts():
                        model.objects.filter(pk=job.pk).update(
                            state=model.FAILED,
                            error=job.lost_message(),
                            message="",
                            finished_at=now,
                            lease_until=None,
                            resume_state=queued,
                        )
                        failed += 1
                        logger.error("%s %s failed: worker lost %s times", model.__name__, job.pk, job.attempts)
                    else:
                        model.objects.filter(pk=job.pk).update(
                            state=queued, progress=0, message="", lease_until=None, resume_state=""
                        )
                        enqueue_on_commit(task_name, job.pk, job=job)
                        requeued += 1
                        logger.warning("%s %s re-queued: its worker was lost", model.__name__, job.pk)
    return {"requeued": requeued, "failed": failed}
