"""Every write to the delivery plan. Keyword-only arguments, one transaction each, permission checked
here (not only in the view), and every change to an activity appended to its progress updates."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core.dates import today
from core.roles import Role, ensure_can_administer, ensure_can_edit_plans, ensure_can_read, ensure_can_update_owned

from .models import (
    Activity,
    Commitment,
    Extract,
    ImportRun,
    Objective,
    OversightBody,
    Owner,
    Plan,
    ProgressUpdate,
    Rag,
    Section,
    Status,
)

User = get_user_model()

# Fields an update can change, in the order the history shows them.
TRACKED_FIELDS = ("rag", "status", "start_date", "due_date", "date_text", "owners")


class StaleEdit(Exception):
    """Someone saved the activity after the editor loaded it; nothing was written."""

    def __init__(self, *, activity: Activity) -> None:
        self.activity = activity
        super().__init__(f"Activity {activity.pk} has changed since it was loaded (now version {activity.version}).")


def author_name(user) -> str:
    """How a progress update names its author."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


# --- Plan structure -------------------------------------------------------------------------


@transaction.atomic
def plan_create(*, by, name: str, description: str = "") -> Plan:
    ensure_can_edit_plans(by)
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the plan a name."})
    if Plan.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": f'There is already a plan called "{name}".'})
    plan = Plan(name=name, description=description.strip())
    plan.save()
    return plan


@transaction.atomic
def objective_create(*, by, plan: Plan, title: str, order: int | None = None) -> Objective:
    ensure_can_edit_plans(by)
    if not title.strip():
        raise ValidationError({"title": "Give the objective a title."})
    if order is None:
        order = (plan.objectives.aggregate(m=Max("order"))["m"] or 0) + 1
    return Objective.objects.create(plan=plan, title=title.strip(), order=order)


@transaction.atomic
def section_create(*, by, objective: Objective, title: str, order: int | None = None) -> Section:
    ensure_can_edit_plans(by)
    if not title.strip():
        raise ValidationError({"title": "Give the section a title."})
    if order is None:
        order = (objective.sections.aggregate(m=Max("order"))["m"] or 0) + 1
    return Section.objects.create(objective=objective, title=title.strip(), order=order)


@transaction.atomic
def commitment_create(
    *, by, objective: Objective, ref: str, text: str, section: Section | None = None, publish: bool = True
) -> Commitment:
    plan = objective.plan
    ensure_can_edit_plans(by)
    ref = ref.strip()
    errors: dict[str, str] = {}
    if not ref:
        errors["ref"] = "Give the commitment a reference, such as 1.1 or A.1."
    elif Commitment.objects.filter(plan=plan, ref=ref).exists():
        errors["ref"] = f'Reference "{ref}" is already used in {plan.name}; references must be unique in a plan.'
    if not text.strip():
        errors["text"] = "Give the commitment's text."
    if section is not None and section.objective_id != objective.pk:
        errors["section"] = f'Section "{section.title}" belongs to another objective.'
    if errors:
        raise ValidationError(errors)
    return Commitment.objects.create(
        plan=plan, objective=objective, section=section, ref=ref, text=text.strip(), publish=publish
    )


@transaction.atomic
def owner_get_or_create(*, by, name: str) -> Owner:
    ensure_can_edit_plans(by)
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "An owner needs a name."})
    owner = Owner.objects.filter(name__iexact=name).first()
    return owner or Owner.objects.create(name=name)


@transaction.atomic
def oversight_body_create(
    *,
    by,
    name: str,
    purpose: str = "",
    frequency: str = OversightBody.Frequency.QUARTERLY,
    notes_published: bool = False,
    meets_in_public: bool = False,
) -> OversightBody:
    ensure_can_edit_plans(by)
    name = name.strip()
    if not name:
        raise ValidationError({"name": "An oversight body needs a name."})
    if OversightBody.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": f'There is already an oversight body called "{name}".'})
    return OversightBody.objects.create(
        name=name,
        purpose=purpose.strip(),
        frequency=frequency,
        notes_published=notes_published,
        meets_in_public=meets_in_public,
    )


# --- Activities and their updates -----------------------------------------------------------


def _check_dates(*, start_date: date | None, due_date: date | None, on: date) -> dict[str, str]:
    errors = {}
    if start_date and due_date and start_date > due_date:
        errors["due_date"] = "The due date is before the start date."
    if on > today():
        errors["on"] = "An update cannot be dated in the future."
    return errors


@transaction.atomic
def activity_create(
    *,
    by,
    commitment: Commitment,
    text: str,
    sub_ref: str = "",
    owners: Sequence[Owner] = (),
    owner_text: str = "",
    oversight_bodies: Sequence[OversightBody] = (),
    start_date: date | None = None,
    due_date: date | None = None,
    date_text: str = "",
    status: str = Status.NOT_STARTED,
    rag: str = Rag.NOT_RATED,
    progress: str = "",
    on: date | None = None,
    publish: bool = True,
) -> Activity:
    """Add a supporting activity; its first progress update records the state it starts in."""
    ensure_can_edit_plans(by)
    on = on or today()
    errors = _check_dates(start_date=start_date, due_date=due_date, on=on)
    if not text.strip():
        errors["text"] = "Describe the supporting activity."
    sub_ref = sub_ref.strip()
    if sub_ref and Activity.objects.filter(commitment__plan=commitment.plan_id, sub_ref=sub_ref).exists():
        errors["sub_ref"] = f'Sub-reference "{sub_ref}" is already used in this plan.'
    if errors:
        raise ValidationError(errors)
    position = (commitment.activities.aggregate(m=Max("position"))["m"] or 0) + 1
    activity = Activity.objects.create(
        commitment=commitment,
        position=position,
        sub_ref=sub_ref,
        text=text.strip(),
        owner_text=owner_text or " / ".join(o.name for o in owners),
        start_date=start_date,
        due_date=due_date,
        date_text=date_text,
        status=status,
        rag=rag,
        progress=progress,
        progress_on=on if progress else None,
        last_update_on=on,
        created_on=on,
        publish=publish,
        version=1,
    )
    activity.owners.set(owners)
    activity.oversight_bodies.set(oversight_bodies)
    ProgressUpdate.objects.create(
        activity=activity,
        on=on,
        kind=ProgressUpdate.Kind.CREATED,
        author=by,
        author_name=author_name(by),
        text=progress,
        rag=rag,
        status=status,
        start_date=start_date,
        due_date=due_date,
    )
    return activity


def _value_for_history(field: str, value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value


@transaction.atomic
def activity_record_update(
    *,
    activity: Activity,
    by,
    seen_version: int,
    text: str = "",
    rag: str | None = None,
    status: str | None = None,
    start_date: date | object | None = ...,
    due_date: date | object | None = ...,
    date_text: str | None = None,
    owners: Iterable[Owner] | None = None,
    on: date | None = None,
    source: str = "",
) -> ProgressUpdate:
    """Record a progress update; refuse if someone saved the activity after `seen_version`.

    Arguments left out (None, or ... for the dates) keep their current value. Moving to Red or Amber
    needs a reason in `text`. The update is dated `on` (today by default), which may not be in the
    future nor before the activity's latest update.
    """
    ensure_can_update_owned(by, activity)
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    if locked.version != seen_version:
        raise StaleEdit(activity=locked)

    on = on or today()
    text = text.strip()
    new = {
        "rag": locked.rag if rag is None else rag,
        "status": locked.status if status is None else status,
        "start_date": locked.start_date if start_date is ... else start_date,
        "due_date": locked.due_date if due_date is ... else due_date,
        "date_text": locked.date_text if date_text is None else date_text.strip(),
    }
    old_owners = sorted(o.name for o in locked.owners.all())
    new_owner_list = None if owners is None else list(owners)
    new_owner_names = old_owners if new_owner_list is None else sorted(o.name for o in new_owner_list)

    errors = _check_dates(start_date=new["start_date"], due_date=new["due_date"], on=on)
    if new["rag"] not in Rag.values:
        errors["rag"] = "Choose Red, Amber, Green or Not rated."
    if new["status"] not in Status.values:
        errors["status"] = "Choose a status from the list."
    if new["rag"] in (Rag.RED, Rag.AMBER) and new["rag"] != locked.rag and not text:
        errors["text"] = f"Say why the activity is now {Rag(new['rag']).label}."
    if locked.last_update_on and on < locked.last_update_on:
        errors["on"] = (
            f"The latest update is dated {locked.last_update_on:%d %b %Y}; a new update cannot be dated before it."
        )

    changes: dict[str, list] = {}
    for field, value in new.items():
        before = getattr(locked, field)
        if before != value:
            changes[field] = [_value_for_history(field, before), _value_for_history(field, value)]
    if new_owner_names != old_owners:
        changes["owners"] = [old_owners, new_owner_names]
    if not changes and not text and not errors:
        errors["text"] = "Nothing has changed: add progress text or change a field."
    if errors:
        raise ValidationError(errors)

    for field, value in new.items():
        setattr(locked, field, value)
    if text:
        locked.progress = text
        locked.progress_on = on
    locked.last_update_on = on
    locked.version += 1
    locked.save()
    if new_owner_list is not None and "owners" in changes:
        locked.owners.set(new_owner_list)
        locked.owner_text = " / ".join(new_owner_names)
        locked.save(update_fields=["owner_text"])

    update = ProgressUpdate.objects.create(
        activity=locked,
        on=on,
        kind=ProgressUpdate.Kind.IMPORT if source else ProgressUpdate.Kind.UPDATE,
        author=by,
        author_name=author_name(by),
        text=text,
        rag=new["rag"],
        status=new["status"],
        start_date=new["start_date"],
        due_date=new["due_date"],
        changes=changes,
        source=source,
    )
    activity.__dict__.update(
        {k: getattr(locked, k) for k in (*new, "progress", "progress_on", "last_update_on", "version")}
    )
    return update


# --- Users ----------------------------------------------------------------------------------


@transaction.atomic
def user_set_role(*, by, user, role: Role) -> None:
    """Give a user exactly one role (administrators only)."""
    ensure_can_administer(by)
    user.groups.remove(*Group.objects.filter(name__in=[r.value for r in Role]))
    user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    user.is_staff = role == Role.ADMINISTRATOR
    user.save(update_fields=["is_staff"])
    if hasattr(user, "_tracker_role"):
        del user._tracker_role


# --- Extracts (Appendix 1) -----------------------------------------------------------------


@transaction.atomic
def extract_request(
    *,
    by,
    plan: Plan,
    as_at: date,
    formats: Sequence[str],
    columns: Sequence[str] | None = None,
    objectives: Sequence[Objective] = (),
    include_complete: bool = False,
    changed_since: date | None = None,
    title: str = "",
    subtitle: str = "",
) -> list[Extract]:
    """Record one extract per format and queue their generation (after this transaction commits)."""
    ensure_can_read(by)
    columns = list(columns or Extract.COLUMNS)
    errors: dict[str, str] = {}
    if as_at > today():
        errors["as_at"] = "An extract cannot be as at a future date."
    unknown = [c for c in columns if c not in Extract.COLUMNS]
    if unknown or not columns:
        errors["columns"] = "Choose at least one column from the list."
    bad_formats = [f for f in formats if f not in Extract.Format.values]
    if bad_formats or not formats:
        errors["formats"] = "Choose Word, Excel, PDF or CSV."
    foreign = [o.title for o in objectives if o.plan_id != plan.pk]
    if foreign:
        errors["objectives"] = f"These objectives belong to another plan: {', '.join(foreign)}."
    if changed_since and changed_since >= as_at:
        errors["changed_since"] = "“Changed since” must be before the as-at date."
    if errors:
        raise ValidationError(errors)
    # Keep the columns in Appendix 1's order whatever order they were ticked in.
    columns = [c for c in Extract.COLUMNS if c in columns]
    title = title.strip() or "Appendix 1 – Delivery Plan Extract"
    subtitle = subtitle.strip() or f"{plan.name}: position as at {as_at:%-d %B %Y}"
    extracts = []
    for fmt in dict.fromkeys(formats):
        extract = Extract.objects.create(
            plan=plan,
            as_at=as_at,
            columns=columns,
            include_complete=include_complete,
            changed_since=changed_since,
            title=title,
            subtitle=subtitle,
            format=fmt,
            created_by=by,
        )
        extract.objectives.set(objectives)
        extracts.append(extract)

    def enqueue() -> None:
        from .tasks import generate_extract

        for e in extracts:
            generate_extract.delay(e.pk)

    transaction.on_commit(enqueue)
    return extracts


def extract_generate(*, extract_id: int, progress=None) -> Extract:
    """Build the rows, render the file and keep it with its checksum and summary.

    Safe to run twice (a task redelivered after a worker crash): a finished extract is left alone.
    """
    from .extracts.renderers import RENDERERS
    from .extracts.rows import extract_rows

    extract = Extract.objects.select_related("plan").get(pk=extract_id)
    if extract.state == Extract.State.DONE:
        return extract

    def report(percent: int) -> None:
        Extract.objects.filter(pk=extract_id).update(progress=min(99, max(0, percent)))
        if progress:
            progress(percent)

    Extract.objects.filter(pk=extract_id).update(state=Extract.State.RUNNING, progress=1, error="")
    try:
        data = extract_rows(
            plan=extract.plan,
            as_at=extract.as_at,
            columns=extract.columns,
            title=extract.title,
            subtitle=extract.subtitle,
            objectives=list(extract.objectives.all()),
            include_complete=extract.include_complete,
            changed_since=extract.changed_since,
        )
        report(10)
        blob = RENDERERS[extract.format](data, lambda p: report(10 + int(p * 0.85)))
    except Exception as exc:  # the officer sees a message; the log keeps the detail
        import logging

        logging.getLogger(__name__).exception("Extract %s failed", extract_id)
        Extract.objects.filter(pk=extract_id).update(
            state=Extract.State.FAILED, error=f"The extract could not be generated ({exc.__class__.__name__})."
        )
        raise
    with transaction.atomic():
        extract = Extract.objects.select_for_update().get(pk=extract_id)
        if extract.state == Extract.State.DONE:
            return extract
        extract.file.save(extract.filename, ContentFile(blob), save=False)
        extract.checksum = hashlib.sha256(blob).hexdigest()
        extract.content_hash = data.content_hash()
        extract.row_count = data.row_count
        extract.withheld = data.withheld
        extract.summary = _extract_summary(extract, data)
        extract.state = Extract.State.DONE
        extract.progress = 100
        extract.save()
    return extract


def _extract_summary(extract: Extract, data) -> dict:
    """RAG counts per objective, and the change since the previous finished extract of the plan."""
    keys = ("R", "A", "G", "B", "")
    counts = {title: {k: c.get(k, 0) for k in keys} for title, c in data.rag_counts().items()}
    totals = {k: sum(c[k] for c in counts.values()) for k in keys}
    previous = (
        Extract.objects.filter(plan=extract.plan, state=Extract.State.DONE, as_at__lt=extract.as_at)
        .exclude(pk=extract.pk)
        .order_by("-as_at", "-created_at")
        .first()
    )
    summary = {"counts": counts, "totals": totals, "excluded_complete": data.excluded_complete, "previous": None}
    if previous and previous.summary.get("totals"):
        before = previous.summary["totals"]
        summary["previous"] = {
            "id": previous.pk,
            "as_at": previous.as_at.isoformat(),
            "totals": before,
            "change": {k: totals[k] - before.get(k, 0) for k in keys},
        }
    return summary


# --- Imports ---------------------------------------------------------------------------------


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

    from .importers.layouts import ParsedWorkbook, Problem, parse_workbook
    from .importers.planner import ImportPlan, plan_changes
    from .importers.workbook import WorkbookError, read_workbook

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

    from .importers.workbook import WorkbookError, check_file

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
        from .tasks import validate_import

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
            from .tasks import apply_import

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
    from .importers.apply import apply_plan

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
