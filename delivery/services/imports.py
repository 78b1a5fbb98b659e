"""Writes for workbook imports: upload (or a file from the command line), read and check, and apply.

Each import is an ImportRun job whose kept file is read by the importer registered for its kind
(`core.tabular.importer`); delivery registers its plan importer in DeliveryConfig.ready().
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core.dates import today
from core.jobs import enqueue_on_commit, job_try_again, run_job
from core.roles import ensure_can_edit_plans
from core.tabular import importer
from core.tabular.importer import ChangeSet, ImportOptions, Progress
from core.tabular.workbook import WorkbookError, check_file

from ..models import ImportRun, Plan

LAYOUT_CHOICES = ("auto", "extract", "tracker", "native")


def import_read_and_plan(
    *,
    data: bytes,
    filename: str,
    as_at: date,
    plan_name: str = "",
    layout: str = "auto",
    sheet: str = "",
    kind: str = "plan",
    progress: Progress | None = None,
) -> ChangeSet:
    """Read, recognise, normalise, validate and plan: everything short of writing. A workbook that
    cannot be read gives a change set with one error and nothing else."""
    options = ImportOptions(filename=filename, as_at=as_at, target=plan_name.strip(), layout=layout, sheet=sheet)
    return importer.get(kind).plan_file(data, options, progress or (lambda _p: None))


def _check_upload(*, data: bytes, filename: str, layout: str) -> None:
    limit = settings.IMPORT_MAX_BYTES
    if len(data) > limit:
        raise ValidationError(
            {"file": f"The file is {len(data) / 1048576:.1f} MB; the limit is {limit / 1048576:.0f} MB."}
        )
    try:
        check_file(data, filename)
    except WorkbookError as e:
        raise ValidationError({"file": str(e)}) from None
    if layout not in LAYOUT_CHOICES:
        raise ValidationError({"layout": "Choose a layout from the list."})


def _keep(*, by, data: bytes, filename: str, plan_name: str, layout: str, sheet: str, as_at: date) -> ImportRun:
    run = ImportRun(
        filename=filename[:255],
        size=len(data),
        plan_name=plan_name.strip(),
        layout=layout,
        sheet=sheet.strip(),
        created_by=by,
        as_at=as_at,
    )
    run.file.save(filename, ContentFile(data), save=False)
    run.save()
    return run


@transaction.atomic
def import_upload(*, by, upload, plan_name: str = "", layout: str = "auto", sheet: str = "") -> ImportRun:
    """Keep the uploaded workbook and queue its reading. The file is checked (size, type, zip bomb,
    encryption) before anything parses it; a bad file is refused here with a plain message."""
    ensure_can_edit_plans(by)
    if upload.size > settings.IMPORT_MAX_BYTES:  # refused before the file is read into memory
        raise ValidationError(
            {
                "file": f"The file is {upload.size / 1048576:.1f} MB; "
                f"the limit is {settings.IMPORT_MAX_BYTES / 1048576:.0f} MB."
            }
        )
    data = upload.read()
    _check_upload(data=data, filename=upload.name, layout=layout)
    run = _keep(by=by, data=data, filename=upload.name, plan_name=plan_name, layout=layout, sheet=sheet, as_at=today())
    enqueue_on_commit("delivery.tasks.validate_import", run.pk, job=run)
    return run


def import_from_file(
    *,
    by,
    data: bytes,
    filename: str,
    plan_name: str = "",
    layout: str = "auto",
    sheet: str = "",
    dry_run: bool = False,
) -> tuple[ImportRun, ChangeSet]:
    """The command line's import: the same checks, kept file, history entry and apply as an upload, run
    here rather than by a worker. Returns the run and its change set; with `dry_run` nothing is applied."""
    if by is not None or not dry_run:
        ensure_can_edit_plans(by)
    _check_upload(data=data, filename=filename, layout=layout)
    with transaction.atomic():
        run = _keep(by=by, data=data, filename=filename, plan_name=plan_name, layout=layout, sheet=sheet, as_at=today())
    change_set: ChangeSet | None = None

    def validate(job: ImportRun, report) -> dict:
        nonlocal change_set
        change_set = _plan_kept_file(job, report)
        return _validated(change_set)

    run = run_job(ImportRun, run.pk, validate, start=(ImportRun.State.QUEUED,), running=ImportRun.State.VALIDATING)
    if run.state == ImportRun.State.PREVIEWED and not dry_run:
        ImportRun.objects.filter(pk=run.pk).update(state=ImportRun.State.APPLY_QUEUED, applied_by=by)
        run = import_apply(run_id=run.pk)
    if change_set is None:  # reading failed: the run says why
        raise ValidationError({"file": run.error or "The file could not be read."})
    return run, change_set


def _plan_kept_file(run: ImportRun, progress: Progress | None = None) -> ChangeSet:
    """Read the import's kept file and plan its changes against the database as it is now."""
    with run.file.open("rb") as fh:
        data = fh.read()
    return import_read_and_plan(
        data=data,
        filename=run.filename,
        plan_name=run.plan_name,
        layout=run.layout,
        sheet=run.sheet,
        as_at=run.as_at,
        kind=run.import_kind,
        progress=progress,
    )


def _validated(change_set: ChangeSet) -> dict:
    preview = change_set.as_json()
    preview["versions"] = change_set.versions_seen()
    return {
        "preview": preview,
        "state": ImportRun.State.INVALID if change_set.errors else ImportRun.State.PREVIEWED,
        "plan_id": preview.get("plan_id"),
        "plan_name": preview.get("plan", ""),
    }


def import_validate(*, run_id: int) -> ImportRun | None:
    """Read and check the kept file and store the preview (task). Safe to run twice."""
    return run_job(
        ImportRun,
        run_id,
        lambda run, report: _validated(_plan_kept_file(run, report)),
        start=(ImportRun.State.QUEUED,),
        running=ImportRun.State.VALIDATING,
    )


def import_start_apply(*, run: ImportRun, by) -> ImportRun:
    """Queue the apply of a previewed import; a second request for the same preview is refused."""
    ensure_can_edit_plans(by)
    with transaction.atomic():
        moved = ImportRun.objects.filter(pk=run.pk, state=ImportRun.State.PREVIEWED).update(
            state=ImportRun.State.APPLY_QUEUED, applied_by=by, progress=0, attempts=0
        )
        if not moved:
            current = ImportRun.objects.get(pk=run.pk)
            raise ValidationError(
                f"This import cannot be applied: it is {current.get_state_display().lower()}."
                + (
                    " Each preview is applied once; upload the file again to import it again."
                    if current.state in (ImportRun.State.APPLIED, *ImportRun.QUEUED, *ImportRun.RUNNING)
                    else ""
                )
            )
        enqueue_on_commit("delivery.tasks.apply_import", run.pk, job=run)
    run.refresh_from_db()
    return run


def import_try_again(*, run: ImportRun, by) -> ImportRun:
    """'Try again' on an import whose worker was lost or that could not be sent to one: it goes back to
    waiting to be read, or waiting to apply, as it was."""
    return job_try_again(job=run, by=by)


def import_apply(*, run_id: int) -> ImportRun | None:
    """Apply a previewed import in one transaction (task). Re-reads the kept file and plans again against
    the database as it is now; activities edited since the preview are conflicts and are not
    overwritten. Safe to run twice: only a run waiting to apply is applied."""
    return run_job(
        ImportRun, run_id, _apply, start=(ImportRun.State.APPLY_QUEUED,), running=ImportRun.State.APPLYING, atomic=True
    )


def _apply(run: ImportRun, report) -> dict:
    change_set = _plan_kept_file(run)
    if change_set.errors:
        return {
            "state": ImportRun.State.FAILED,
            "error": "The file no longer passes its checks: " + "; ".join(e.message for e in change_set.errors[:5]),
        }
    by = run.applied_by or run.created_by
    ensure_can_edit_plans(by)
    outcome = importer.get(run.import_kind).apply(
        change_set, by=by, source=f"Imported from {run.filename}", seen_versions=run.preview.get("versions", {})
    )
    plan = Plan.objects.get(pk=outcome.target_id)
    return {
        "state": ImportRun.State.APPLIED,
        "plan_id": plan.pk,
        "applied_at": timezone.now(),
        "result": {
            "created": outcome.created,
            "updated": outcome.updated,
            "conflicts": outcome.conflicts,
            "missing": change_set.as_json().get("missing", []),
            "plan": plan.name,
            "plan_slug": plan.slug,
        },
    }
