"""Writes for workbook imports: upload, read and check, and apply."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core.dates import today
from core.roles import ensure_can_edit_plans

from ..models import (
    ImportRun,
)


def import_read_and_plan(
    *,
    data: bytes,
    filename: str,
    plan_name: str = "",
    layout: str = "auto",
    sheet: str = "",
    as_of: date,
    progress=None,
):
    """Read, recognise, normalise, validate and plan: everything short of writing. Returns an ImportPlan.
    A workbook that cannot be read gives a plan with one error and nothing else."""
    from pathlib import Path

    from ..importers.layouts import ParsedWorkbook, Problem, parse_workbook
    from ..importers.planner import ImportPlan, plan_changes
    from ..importers.workbook import WorkbookError, read_workbook

    report = progress or (lambda _p: None)
    try:
        book = read_workbook(data, filename, need_styles=True)
    except WorkbookError as e:
        return ImportPlan(
            plan_name=plan_name or Path(filename).stem,
            plan_id=None,
            layout=layout,
            as_of=as_of,
            errors=[Problem(filename, None, None, str(e))],
        )
    report(40)
    parsed: ParsedWorkbook = parse_workbook(book, layout=layout, sheet=sheet or None)
    report(70)
    name = plan_name.strip() or parsed.plan_name() or Path(filename).stem.replace("_", " ").strip()
    planned = plan_changes(parsed, plan_name=name, as_of=as_of)
    report(95)
    return planned


@transaction.atomic
def import_upload(*, by, upload, plan_name: str = "", layout: str = "auto", sheet: str = "") -> ImportRun:
    """Keep the uploaded workbook and queue its reading. The file is checked (size, type, zip bomb,
    encryption) before anything parses it; a bad file is refused here with a plain message."""
    from django.conf import settings

    from ..importers.workbook import WorkbookError, check_file

    ensure_can_edit_plans(by)
    limit = getattr(settings, "IMPORT_MAX_BYTES", 20 * 1024 * 1024)
    if upload.size > limit:
        raise ValidationError(
            {"file": f"The file is {upload.size / 1048576:.1f} MB; the limit is {limit / 1048576:.0f} MB."}
        )
    data = upload.read()
    try:
        check_file(data, upload.name)
    except WorkbookError as e:
        raise ValidationError({"file": str(e)}) from None
    if layout not in ("auto", "extract", "tracker", "native"):
        raise ValidationError({"layout": "Choose a layout from the list."})
    run = ImportRun(
        filename=upload.name[:255],
        size=len(data),
        plan_name=plan_name.strip(),
        layout=layout,
        sheet=sheet.strip(),
        uploaded_by=by,
        as_of=today(),
    )
    run.file.save(upload.name, ContentFile(data), save=False)
    run.save()

    def enqueue() -> None:
        from ..tasks import validate_import

        validate_import.delay(run.pk)

    transaction.on_commit(enqueue)
    return run


def _plan_kept_file(run: ImportRun, progress=None):
    """Read the import's kept file and plan its changes against the database as it is now."""
    with run.file.open("rb") as fh:
        data = fh.read()
    return import_read_and_plan(
        data=data,
        filename=run.filename,
        plan_name=run.plan_name,
        layout=run.layout,
        sheet=run.sheet,
        as_of=run.as_of,
        progress=progress,
    )


def import_validate(*, run_id: int) -> ImportRun:
    """Read and check the kept file and store the preview (task)."""
    run = ImportRun.objects.get(pk=run_id)
    if run.state != ImportRun.State.VALIDATING:
        return run

    def report(p: int) -> None:
        ImportRun.objects.filter(pk=run_id).update(progress=min(99, p))

    planned = _plan_kept_file(run, progress=report)
    preview = planned.as_json()
    preview["versions"] = {str(a.activity_id): a.version for a in planned.activities if a.activity_id}
    state = ImportRun.State.INVALID if planned.errors else ImportRun.State.PREVIEWED
    ImportRun.objects.filter(pk=run_id).update(
        preview=preview, state=state, progress=100, plan_id=planned.plan_id, plan_name=planned.plan_name
    )
    run.refresh_from_db()
    return run


def import_start_apply(*, run: ImportRun, by) -> ImportRun:
    """Queue the apply of a previewed import; a second request for the same preview is refused."""
    ensure_can_edit_plans(by)
    with transaction.atomic():
        moved = ImportRun.objects.filter(pk=run.pk, state=ImportRun.State.PREVIEWED).update(
            state=ImportRun.State.APPLYING, applied_by=by, progress=0
        )
        if not moved:
            current = ImportRun.objects.get(pk=run.pk)
            raise ValidationError(
                f"This import cannot be applied: it is {current.get_state_display().lower()}."
                + (
                    " Each preview is applied once; upload the file again to import it again."
                    if current.state in (ImportRun.State.APPLIED, ImportRun.State.APPLYING)
                    else ""
                )
            )

        def enqueue() -> None:
            from ..tasks import apply_import

            apply_import.delay(run.pk)

        transaction.on_commit(enqueue)
    run.refresh_from_db()
    return run


def import_apply(*, run_id: int) -> ImportRun:
    """Apply a previewed import in one transaction (task). Re-reads the kept file and plans again against
    the database as it is now; activities edited since the preview are conflicts and are not
    overwritten. Safe to run twice: an applied import is left alone."""
    try:
        return _import_apply(run_id=run_id)
    except Exception as exc:
        import logging

        logging.getLogger(__name__).exception("Import %s failed to apply", run_id)
        ImportRun.objects.filter(pk=run_id, state=ImportRun.State.APPLYING).update(
            state=ImportRun.State.FAILED,
            error=f"The import could not be applied ({exc.__class__.__name__}); nothing was changed.",
        )
        raise


def _import_apply(*, run_id: int) -> ImportRun:
    from ..importers.apply import apply_plan

    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run_id)
        if run.state != ImportRun.State.APPLYING:
            return run
        planned = _plan_kept_file(run)
        if planned.errors:
            run.state = ImportRun.State.FAILED
            run.error = "The file no longer passes its checks: " + "; ".join(e.message for e in planned.errors[:5])
            run.save(update_fields=["state", "error"])
            return run
        by = run.applied_by or run.uploaded_by
        ensure_can_edit_plans(by)
        outcome = apply_plan(
            planned, by=by, source=f"Imported from {run.filename}", seen_versions=run.preview.get("versions", {})
        )
        run.plan = outcome.plan
        run.state = ImportRun.State.APPLIED
        run.applied_at = timezone.now()
        run.progress = 100
        run.result = {
            "created": outcome.created,
            "updated": outcome.updated,
            "conflicts": outcome.conflicts,
            "missing": planned.missing,
            "plan": outcome.plan.name,
            "plan_slug": outcome.plan.slug,
        }
        run.save()
    return run
