"""Writes for workbook imports: upload (or a file from the command line), read and check, and apply.

Each import is an ImportRun job whose kept file is read by the importer registered for its kind
(`core.tabular.importer`); delivery registers its plan importer in DeliveryConfig.ready().
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core import audit
from core.dates import today
from core.jobs import enqueue_on_commit, job_try_again, run_job
from core.jobs import import_start_apply as core_start_apply
from core.roles import ensure_can_edit_plans
from core.tabular import importer
from core.tabular.importer import ChangeSet, ImportOptions, Progress
from core.tabular.uploads import check_upload, check_upload_size

from .. import import_scopes
from ..importers.layouts import PLAN_FIELDS
from ..models import ImportProfile, ImportRun, Plan

LAYOUT_CHOICES = ("auto", "extract", "tracker", "native")
FIELD_NAMES = {f.name for f in PLAN_FIELDS}
RAG_CODES = ("R", "A", "G", "B", "")
STATUS_CODES = ("not_started", "in_progress", "complete", "on_hold", "closed")


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
    plan_id: int | None = None,
    mapping: dict | None = None,
    suggest_as_at: bool = False,
    confirm_other_plan: bool = False,
) -> ChangeSet:
    """Read, recognise, normalise, validate and plan: everything short of writing. A workbook that
    cannot be read gives a change set with one error and nothing else. `mapping` is a column and value
    mapping ({"columns", "header_rows", "values"}), from an import profile or the command line."""
    mapping = mapping or {}
    options = ImportOptions(
        filename=filename,
        as_at=as_at,
        target=plan_name.strip(),
        layout=layout,
        sheet=sheet,
        extra={
            "plan_id": plan_id,
            "columns": mapping.get("columns") or {},
            "header_rows": mapping.get("header_rows") or {},
            "values": mapping.get("values") or {},
            "suggest_as_at": suggest_as_at,
            "confirm_other_plan": confirm_other_plan,
        },
    )
    return importer.get(kind).plan_file(data, options, progress or (lambda _p: None))


def _keep(
    *,
    by,
    data: bytes,
    filename: str,
    plan_name: str,
    layout: str,
    sheet: str,
    as_at: date | None,
    plan: Plan | None = None,
    profile: ImportProfile | None = None,
    mapping: dict | None = None,
    confirm_other_plan: bool = False,
) -> ImportRun:
    if as_at is not None and as_at > today():
        raise ValidationError({"as_at": "The update date cannot be in the future."})
    run = ImportRun(
        filename=filename[:255],
        size=len(data),
        plan=plan,
        plan_name=plan.name if plan else plan_name.strip(),
        layout=layout,
        sheet=sheet.strip(),
        created_by=by,
        as_at=as_at or today(),
        suggest_as_at=as_at is None,
        profile=profile,
        mapping=mapping or (profile.as_mapping() if profile else {}),
        confirm_other_plan=confirm_other_plan,
    )
    run.file.save(filename, ContentFile(data), save=False)
    run.save()
    return run


def _new_plan_name(plan: Plan | None, plan_name: str) -> str:
    """A new plan's name must not be an existing plan's (a typo must not make a second plan)."""
    name = plan_name.strip()
    if plan is None and name:
        existing = Plan.objects.filter(name__iexact=name).first()
        if existing is not None:
            raise ValidationError(
                {"plan_name": f'There is already a plan called "{existing.name}": choose it from the list instead.'}
            )
    return name


@transaction.atomic
def import_upload(
    *,
    by,
    upload,
    plan: Plan | None = None,
    plan_name: str = "",
    layout: str = "auto",
    sheet: str = "",
    as_at: date | None = None,
) -> ImportRun:
    """Keep the uploaded workbook and queue its reading. The file is checked (size, type, zip bomb,
    encryption) before anything parses it; a bad file is refused here with a plain message.

    `plan` is the existing plan chosen from the list; without it `plan_name` names a new plan (blank:
    from the workbook). `as_at` is the update date; without it one is suggested from the workbook."""
    ensure_can_edit_plans(by)
    plan_name = _new_plan_name(plan, plan_name)
    check_upload_size(upload.size)  # refused before the file is read into memory
    data = upload.read()
    check_upload(data=data, filename=upload.name, layout=layout, layouts=LAYOUT_CHOICES)
    run = _keep(
        by=by,
        data=data,
        filename=upload.name,
        plan_name=plan_name,
        layout=layout,
        sheet=sheet,
        as_at=as_at,
        plan=plan,
        profile=_matching_profile(plan),
    )
    enqueue_on_commit("delivery.tasks.validate_import", run.pk, job=run)
    return run


def _matching_profile(plan: Plan | None, name: str = "") -> ImportProfile | None:
    """A named profile (of the plan, or any when the plan is new); None when no name is given: profiles
    matching the workbook's headers are then found when it is read."""
    if not name:
        return None
    profiles = ImportProfile.objects.filter(name__iexact=name)
    if plan is not None:
        return profiles.filter(plan=plan).first() or profiles.filter(plan__isnull=True).first()
    return profiles.order_by("-updated_at").first()


def parse_map_options(maps: list[str]) -> dict[str, str]:
    """`--map "Header text=field"` options as a column mapping ({column key: field}); "-" or "none" as
    the field means "do not import". A plain message for anything else."""
    from core.tabular.recognise import column_key

    columns: dict[str, str] = {}
    for item in maps:
        header, sep, name = item.rpartition("=")
        name = name.strip().lower().replace("-", "_") if name.strip() not in ("-", "") else ""
        if not sep or not header.strip():
            raise ValidationError(f'--map "{item}": write it as "Header text=field".')
        if name in ("none", "skip", "do_not_import"):
            name = ""
        if name and name not in FIELD_NAMES:
            raise ValidationError(
                f'--map "{item}": "{name}" is not a field; fields are {", ".join(sorted(FIELD_NAMES))}.'
            )
        header = header.strip()
        key = f"@{header[1:].upper()}" if header.startswith("@") else column_key(header, 0)
        columns[key] = name
    return columns


def import_from_file(
    *,
    by,
    data: bytes,
    filename: str,
    plan_name: str = "",
    layout: str = "auto",
    sheet: str = "",
    dry_run: bool = False,
    as_at: date | None = None,
    columns: dict[str, str] | None = None,
    profile_name: str = "",
    confirm_other_plan: bool = False,
) -> tuple[ImportRun, ChangeSet]:
    """The command line's import: the same checks, kept file, history entry and apply as an upload, run
    here rather than by a worker. Returns the run and its change set; with `dry_run` nothing is applied.

    `plan_name` is an existing plan's name or a new one. `columns` ({column key: field}, from `--map`)
    and `profile_name` (`--profile`) give the column mapping: the named profile is used, and with
    `columns` too it is created or updated (not on a dry run)."""
    if by is not None or not dry_run:
        ensure_can_edit_plans(by)
    check_upload(data=data, filename=filename, layout=layout, layouts=LAYOUT_CHOICES)
    plan = Plan.objects.filter(name__iexact=plan_name.strip()).first() if plan_name.strip() else None
    profile = _matching_profile(plan, profile_name)
    if profile_name and profile is None and not columns:
        raise ValidationError(f'There is no import profile called "{profile_name}". Give its columns with --map.')
    mapping = profile.as_mapping() if profile else {}
    if columns:
        merged = dict((mapping.get("columns") or {}).get("*", {}))
        merged.update(columns)
        mapping = {**mapping, "columns": {**(mapping.get("columns") or {}), "*": merged}}
    with transaction.atomic():
        run = _keep(
            by=by,
            data=data,
            filename=filename,
            plan_name=plan_name,
            layout=layout,
            sheet=sheet,
            as_at=as_at,
            plan=plan,
            profile=profile,
            mapping=mapping,
            confirm_other_plan=confirm_other_plan,
        )
    change_set: ChangeSet | None = None

    def validate(job: ImportRun, report) -> dict:
        nonlocal change_set
        change_set = _plan_kept_file(job, report)
        return _validated(change_set, job)

    run = run_job(ImportRun, run.pk, validate, start=(ImportRun.State.QUEUED,), running=ImportRun.State.VALIDATING)
    if profile_name and columns and not dry_run and run.state in (ImportRun.State.PREVIEWED, ImportRun.State.INVALID):
        _save_profile(run=run, by=by, name=profile_name, mapping=mapping, change_set=change_set)
    needs_confirming = (
        bool(change_set is not None and change_set.as_json().get("other_plan")) and not confirm_other_plan
    )
    if run.state == ImportRun.State.PREVIEWED and not dry_run and not needs_confirming:
        ImportRun.objects.filter(pk=run.pk).update(state=ImportRun.State.APPLY_QUEUED, applied_by=by)
        run = import_apply(run_id=run.pk)
    if change_set is None:  # reading failed: the run says why
        raise ValidationError({"file": run.error or "The file could not be read."})
    return run, change_set


def _plan_kept_file(run: ImportRun, progress: Progress | None = None) -> ChangeSet:
    """Read the import's kept file and plan its changes against the database as it is now. With no
    mapping of its own, a profile of the plan made for the same headers is used (and named on the run)."""
    with run.file.open("rb") as fh:
        data = fh.read()

    def plan_with(mapping: dict) -> ChangeSet:
        return import_read_and_plan(
            data=data,
            filename=run.filename,
            plan_name="" if run.plan_id else run.plan_name,
            plan_id=run.plan_id,
            layout=run.layout,
            sheet=run.sheet,
            as_at=run.as_at,
            kind=run.import_kind,
            progress=progress,
            mapping=mapping,
            suggest_as_at=run.suggest_as_at,
            confirm_other_plan=run.confirm_other_plan,
        )

    change_set = plan_with(run.mapping)
    if not run.mapping and run.import_kind == "plan":
        signatures = {i.get("signature") for i in getattr(change_set, "sheet_info", []) if i.get("signature")}
        plan_id = change_set.as_json().get("plan_id")
        profile = (
            ImportProfile.objects.filter(plan_id=plan_id, signature__in=signatures).order_by("-updated_at").first()
            if plan_id and signatures
            else None
        )
        if profile is not None:
            run.profile, run.mapping = profile, profile.as_mapping()
            ImportRun.objects.filter(pk=run.pk).update(profile=profile, mapping=run.mapping)
            change_set = plan_with(run.mapping)
    return change_set


def _validated(change_set: ChangeSet, run: ImportRun | None = None) -> dict:
    preview = change_set.as_json()
    preview["versions"] = change_set.versions_seen()
    scope_errors = _scope_problems(run, preview)
    if scope_errors:
        preview["errors"] = preview.get("errors", []) + scope_errors
    if run is not None and run.profile_id:
        profile = ImportProfile.objects.filter(pk=run.profile_id).first()
        if profile is not None:
            preview["profile"] = {"id": profile.pk, "name": profile.name, "updated_at": profile.updated_at.isoformat()}
    fields = {
        "preview": preview,
        "state": ImportRun.State.INVALID if (change_set.errors or scope_errors) else ImportRun.State.PREVIEWED,
        "plan_id": preview.get("plan_id"),
        "plan_name": preview.get("plan", ""),
    }
    if run is not None and run.suggest_as_at and preview.get("as_at"):
        # The suggested update date is the run's from now on: applying (and reading again after a
        # column mapping) uses it, and the person can change it in the preview.
        fields.update(
            as_at=date.fromisoformat(preview["as_at"]),
            as_at_reason=preview.get("as_at_reason", ""),
            suggest_as_at=False,
        )
    return fields


def _scope_problems(run: ImportRun | None, preview: dict) -> list[dict]:
    """Problems the import's scope (if it has one) finds in the preview: rows it may not change."""
    if run is None or not run.scope:
        return []
    return import_scopes.get(run.scope["kind"]).check(run.scope, preview)


def _ensure_may_import(by, run: ImportRun | None = None, *, scope: dict | None = None) -> None:
    scope = scope if scope is not None else (run.scope if run is not None else {})
    if scope:
        if not import_scopes.get(scope["kind"]).may_upload(by, scope):
            raise PermissionDenied("You cannot upload a workbook for this.")
        return
    ensure_can_edit_plans(by)


def import_may_apply(*, by, run: ImportRun) -> bool:
    """Whether `by` may apply this import: editors any; a scoped import also whoever its scope allows."""
    try:
        _ensure_may_import(by, run)
    except PermissionDenied:
        return False
    return True


@transaction.atomic
def import_upload_scoped(*, by, upload, plan: Plan, scope: dict, as_at: date) -> ImportRun:
    """Keep a scoped upload (the plan's own workbook, read with the native layout) and queue its reading.
    The scope's `may_upload` decides who may upload it; its `check` refuses rows outside the scope."""
    _ensure_may_import(by, scope=scope)
    check_upload_size(upload.size)
    data = upload.read()
    check_upload(data=data, filename=upload.name, layout="native", layouts=LAYOUT_CHOICES)
    run = _keep(by=by, data=data, filename=upload.name, plan_name="", layout="native", sheet="", as_at=as_at, plan=plan)
    ImportRun.objects.filter(pk=run.pk).update(scope=scope)
    run.scope = scope
    enqueue_on_commit("delivery.tasks.validate_import", run.pk, job=run)
    return run


def import_validate(*, run_id: int) -> ImportRun | None:
    """Read and check the kept file and store the preview (task). Safe to run twice."""
    return run_job(
        ImportRun,
        run_id,
        lambda run, report: _validated(_plan_kept_file(run, report), run),
        start=(ImportRun.State.QUEUED,),
        running=ImportRun.State.VALIDATING,
    )


def import_start_apply(*, run: ImportRun, by, confirm_other_plan: bool = False) -> ImportRun:
    """Queue the apply of a previewed import; a second request for the same preview is refused. The plan's
    own workbook going into another plan needs `confirm_other_plan`."""
    _ensure_may_import(by, run)
    other = (run.preview or {}).get("other_plan") or {}
    if other and not (confirm_other_plan or run.confirm_other_plan):
        raise ValidationError(
            f'This workbook was downloaded from the plan "{other["from"]}". Tick the box to confirm it goes into '
            f'"{other["into"]}", or upload it again choosing "{other["from"]}".'
        )
    return core_start_apply(job=run, by=by, confirm_other_plan=bool(other) or run.confirm_other_plan)


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
    problems = [e.message for e in change_set.errors] + [
        p["message"] for p in _scope_problems(run, {**change_set.as_json(), "versions": change_set.versions_seen()})
    ]
    if problems:
        return {
            "state": ImportRun.State.FAILED,
            "error": "The file no longer passes its checks: " + "; ".join(problems[:5]),
        }
    by = run.applied_by or run.created_by
    _ensure_may_import(by, run)
    outcome = importer.get(run.import_kind).apply(
        change_set, by=by, source=f"Imported from {run.filename}", seen_versions=run.preview.get("versions", {})
    )
    if run.scope:
        import_scopes.get(run.scope["kind"]).applied(run.scope, outcome.as_json(), by)
    plan = Plan.objects.get(pk=outcome.target_id)
    if run.profile_id:
        ImportProfile.objects.filter(pk=run.profile_id, plan__isnull=True).update(plan=plan)
    audit.record(
        audit.Action.IMPORT,
        obj=run,
        object_repr=run.filename,
        detail={
            "file": run.filename,
            "plan": plan.name,
            "created": outcome.created,
            "updated": outcome.updated,
            "conflicts": len(outcome.conflicts),
        },
    )
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


def _columns_from_choices(sheet_info: list[dict], choices: dict[str, dict[int, str]]) -> dict[str, dict[str, str]]:
    """{sheet: {column index: field}} as chosen in the mapping step -> {sheet or "*": {column key: field}}.
    Header texts are the keys, so the mapping holds wherever the same headers come again."""
    from core.tabular.recognise import column_key

    out: dict[str, dict[str, str]] = {}
    for info in sheet_info:
        chosen = choices.get(info["sheet"])
        if not chosen:
            continue
        headers = {c["index"]: c["header"] for c in info.get("columns", [])}
        for index, name in chosen.items():
            if name and name not in FIELD_NAMES:
                raise ValidationError(f'"{name}" is not a field a column can hold.')
            key = column_key(headers.get(index, ""), index)
            target = "*" if not key.startswith("@") else info["sheet"]
            out.setdefault(target, {})[key] = name
    return out


def _save_profile(*, run: ImportRun, by, name: str, mapping: dict, change_set=None) -> ImportProfile:
    preview = change_set.as_json() if change_set is not None else (run.preview or {})
    signatures = sorted({i["signature"] for i in preview.get("sheet_info", []) if i.get("signature")})
    plan = (
        Plan.objects.filter(pk=preview.get("plan_id") or run.plan_id).first()
        if (preview.get("plan_id") or run.plan_id)
        else None
    )
    profile, _ = ImportProfile.objects.update_or_create(
        plan=plan,
        name=name.strip()[:100] or "Default",
        defaults={
            "signature": signatures[0] if signatures else "",
            "columns": mapping.get("columns") or {},
            "header_rows": mapping.get("header_rows") or {},
            "values": mapping.get("values") or {},
            "created_by": by,
        },
    )
    ImportRun.objects.filter(pk=run.pk).update(profile=profile)
    return profile


@transaction.atomic
def import_remap(
    *,
    run: ImportRun,
    by,
    columns: dict[str, dict[int, str]] | None = None,
    header_rows: dict[str, int] | None = None,
    values: dict[str, dict[str, str]] | None = None,
    profile_name: str = "",
    as_at: date | None = None,
) -> ImportRun:
    """The person's answers in the preview: which column holds which field (per sheet, by column index),
    which row is each sheet's header, what unknown RAG and status values mean, and the update date. The
    mapping is saved as the plan's import profile (used again for workbooks with the same headers) and
    the file is read again with it. Only a preview that has not been applied can be changed."""
    ensure_can_edit_plans(by)
    run = ImportRun.objects.select_for_update().get(pk=run.pk)
    if run.state not in (ImportRun.State.PREVIEWED, ImportRun.State.INVALID):
        raise ValidationError(f"This import cannot be changed: it is {run.get_state_display().lower()}.")
    if as_at is not None and as_at > today():
        raise ValidationError({"as_at": "The update date cannot be in the future."})
    mapped = columns is not None or header_rows is not None or values is not None
    if mapped:
        preview = run.preview or {}
        mapping = dict(run.mapping or {})
        if columns is not None:
            mapping["columns"] = _columns_from_choices(preview.get("sheet_info", []), columns)
        if header_rows is not None:
            mapping["header_rows"] = {k: int(v) for k, v in header_rows.items() if v}
        if values is not None:
            for kind, chosen in values.items():
                allowed = RAG_CODES if kind == "rag" else STATUS_CODES
                bad = [v for v in chosen.values() if v not in allowed]
                if bad:
                    raise ValidationError(f'"{bad[0]}" is not a {kind} value.')
            merged = {k: dict(v) for k, v in (mapping.get("values") or {}).items()}
            for kind, chosen in values.items():
                from core.tabular.cells import value_key

                merged.setdefault(kind, {}).update({value_key(k): v for k, v in chosen.items()})
            mapping["values"] = merged
        run.mapping = mapping
        name = (
            profile_name.strip()
            or (run.profile.name if run.profile_id else "")
            or f"{run.plan_name or 'Plan'} workbooks"
        )
        run.profile = _save_profile(run=run, by=by, name=name, mapping=mapping)
    if as_at is not None:
        run.as_at, run.as_at_reason, run.suggest_as_at = as_at, "", False
    run.state = ImportRun.State.QUEUED
    run.progress = 0
    run.save(update_fields=["mapping", "profile", "as_at", "as_at_reason", "suggest_as_at", "state", "progress"])
    enqueue_on_commit("delivery.tasks.validate_import", run.pk, job=run)
    return run
