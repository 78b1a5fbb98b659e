"""Every KPI write: imports (upload or command line, preview, all-or-nothing apply), the performance
summary's Data and Commentary, and KPI actions. Keyword-only arguments, one transaction, the role check
inside."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core import audit
from core.dates import today
from core.jobs import enqueue_on_commit, import_start_apply, job_try_again, run_job
from core.roles import Role, ensure_can_edit_plans, role_of
from core.status import FINISHED, Status
from core.tabular import importer
from core.tabular.importer import ImportOptions
from core.tabular.uploads import check_upload, check_upload_size
from delivery.models import OversightBody, Owner

from .importers.changes import KpiChangeSet
from .importers.kpi_importer import LAYOUTS
from .models import Area, AreaPopulation, Commentary, ComparatorValue, KpiAction, KpiImport, Measure, Target
from .periods import Period

# --- Imports --------------------------------------------------------------------------------------


def _keep(*, by, data: bytes, filename: str, layout: str) -> KpiImport:
    run = KpiImport(filename=filename[:255], size=len(data), layout=layout, created_by=by, as_at=today())
    run.file.save(filename, ContentFile(data), save=False)
    run.save()
    return run


def _plan(run: KpiImport, report=None) -> KpiChangeSet:
    with run.file.open("rb") as fh:
        data = fh.read()
    options = ImportOptions(filename=run.filename, as_at=run.as_at, layout=run.layout)
    return importer.get("kpis").plan_file(data, options, report or (lambda _p: None))


def _validated(cs: KpiChangeSet) -> dict:
    return {"preview": cs.as_json(), "state": KpiImport.State.INVALID if cs.errors else KpiImport.State.PREVIEWED}


@transaction.atomic
def kpi_import_upload(*, by, upload, layout: str = "auto") -> KpiImport:
    """Keep the uploaded workbook (checked before anything parses it) and queue its reading."""
    ensure_can_edit_plans(by)
    check_upload_size(upload.size)  # refused before the file is read into memory
    data = upload.read()
    check_upload(data=data, filename=upload.name, layout=layout, layouts=LAYOUTS)
    run = _keep(by=by, data=data, filename=upload.name, layout=layout)
    enqueue_on_commit("kpis.tasks.validate_kpi_import", run.pk, job=run)
    return run


def kpi_import_validate(*, run_id: int) -> KpiImport | None:
    """Read and check the kept file; store the preview (task). Safe to run twice."""
    return run_job(
        KpiImport,
        run_id,
        lambda run, report: _validated(_plan(run, report)),
        start=(KpiImport.State.QUEUED,),
        running=KpiImport.State.VALIDATING,
    )


def kpi_import_start_apply(*, run: KpiImport, by) -> KpiImport:
    """Queue the apply of a previewed import; each preview is applied once."""
    ensure_can_edit_plans(by)
    return import_start_apply(job=run, by=by)


def _apply(run: KpiImport, report) -> dict:
    cs = _plan(run)
    if cs.errors:
        return {
            "state": KpiImport.State.FAILED,
            "error": "The file no longer passes its checks: " + "; ".join(e.message for e in cs.errors[:5]),
        }
    by = run.applied_by or run.created_by
    ensure_can_edit_plans(by)
    outcome = importer.get("kpis").apply(cs, by=by, source=run.filename, seen_versions={}, kpi_import=run)
    audit.record(
        audit.Action.IMPORT,
        obj=run,
        object_repr=run.filename,
        detail={"file": run.filename, "created": outcome.created, "updated": outcome.updated},
    )
    return {
        "state": KpiImport.State.APPLIED,
        "applied_at": timezone.now(),
        "result": {"created": outcome.created, "updated": outcome.updated, "unchanged": cs.counts()["unchanged"]},
    }


def kpi_import_try_again(*, run: KpiImport, by) -> KpiImport:
    """'Try again' on a KPI import whose worker was lost or that could not be sent to one: it goes back to
    waiting to be read, or waiting to apply, as it was (its creator and editors only)."""
    return job_try_again(job=run, by=by)


def kpi_import_apply(*, run_id: int) -> KpiImport | None:
    """Apply in one transaction (task): plans again against the database as it is now. Safe to run twice."""
    return run_job(
        KpiImport, run_id, _apply, start=(KpiImport.State.APPLY_QUEUED,), running=KpiImport.State.APPLYING, atomic=True
    )


def kpi_import_from_file(
    *, by, data: bytes, filename: str, layout: str = "auto", dry_run: bool = False
) -> tuple[KpiImport, KpiChangeSet]:
    """The command line's import: the same checks, kept file, preview and apply, run here."""
    if by is not None or not dry_run:
        ensure_can_edit_plans(by)
    check_upload(data=data, filename=filename, layout=layout, layouts=LAYOUTS)
    with transaction.atomic():
        run = _keep(by=by, data=data, filename=filename, layout=layout)
    change_set: KpiChangeSet | None = None

    def validate(job: KpiImport, report) -> dict:
        nonlocal change_set
        change_set = _plan(job, report)
        return _validated(change_set)

    run = run_job(KpiImport, run.pk, validate, start=(KpiImport.State.QUEUED,), running=KpiImport.State.VALIDATING)
    if run.state == KpiImport.State.PREVIEWED and not dry_run:
        KpiImport.objects.filter(pk=run.pk).update(state=KpiImport.State.APPLY_QUEUED, applied_by=by)
        run = kpi_import_apply(run_id=run.pk)
    if change_set is None:
        raise ValidationError({"file": run.error or "The file could not be read."})
    return run, change_set


# --- Performance summary --------------------------------------------------------------------------


@transaction.atomic
def commentary_save(*, by, measure: Measure, period: Period, data_text: str, commentary: str) -> Commentary | None:
    """Record the Data (blank: the drafted sentence) and Commentary for a measure and period. Appends to
    the history; nothing is recorded when nothing changed."""
    ensure_can_edit_plans(by)
    data_text, commentary = data_text.strip(), commentary.strip()
    if len(data_text) > 2000 or len(commentary) > 5000:
        raise ValidationError("Keep Data under 2,000 and Commentary under 5,000 characters.")
    last = (
        Commentary.objects.filter(measure=measure, period_kind=period.kind, period_start=period.start)
        .order_by("-written_at", "-id")
        .first()
    )
    if last and last.data_text == data_text and last.commentary == commentary:
        return None
    if last is None and not data_text and not commentary:
        return None
    return Commentary.objects.create(
        measure=measure,
        period_kind=period.kind,
        period_start=period.start,
        data_text=data_text,
        commentary=commentary,
        author=by,
    )


# --- KPI actions ----------------------------------------------------------------------------------


@transaction.atomic
def kpi_action_raise(
    *,
    by,
    measure: Measure,
    text: str,
    owner_name: str,
    due_date: date,
    forum: OversightBody | None = None,
    area: Area | None = None,
    period: Period | None = None,
    on: date | None = None,
) -> KpiAction:
    """Raise an action on a measure (usually on a special cause): owner, due date, forum."""
    ensure_can_edit_plans(by)
    errors = {}
    if not text.strip():
        errors["text"] = "Say what the action is."
    if not owner_name.strip():
        errors["owner_name"] = "Name the owner."
    day = on or today()
    if due_date is None:
        errors["due_date"] = "Give a due date."
    elif due_date < day:
        errors["due_date"] = "The due date cannot be before the action is raised."
    if errors:
        raise ValidationError(errors)
    owner, _ = Owner.objects.get_or_create(name=owner_name.strip()[:200])
    with audit.on_behalf_of(by):
        return KpiAction.objects.create(
            measure=measure,
            area=area,
            period_kind=period.kind if period else "M",
            period_start=period.start if period else None,
            text=text.strip(),
            owner=owner,
            forum=forum,
            due_date=due_date,
            status=Status.NOT_STARTED,
            created_by=by,
            created_on=day,
        )


def can_update_action(user, action: KpiAction) -> bool:
    """Editors and administrators change any KPI action; an owner only those of their own owner names."""
    role = role_of(user)
    if role in (Role.ADMINISTRATOR, Role.EDITOR):
        return True
    return role == Role.OWNER and action.owner.user_id is not None and action.owner.user_id == user.pk


def ensure_can_update_action(user, action: KpiAction) -> None:
    if not can_update_action(user, action):
        if role_of(user) == Role.OWNER:
            raise PermissionDenied("You can update only the KPI actions you own.")
        raise PermissionDenied("Your role does not allow updating KPI actions.")


@transaction.atomic
def kpi_action_set_status(*, by, action: KpiAction, status: str, on: date | None = None) -> KpiAction:
    """Editors change any action; an owner only the actions of their owner names."""
    locked = KpiAction.objects.select_for_update().select_related("owner").get(pk=action.pk)
    ensure_can_update_action(by, locked)
    if status not in Status.values:
        raise ValidationError({"status": "Choose a status from the list."})
    locked.status = status
    locked.closed_on = (on or today()) if status in FINISHED else None
    with audit.on_behalf_of(by):
        locked.save(update_fields=["status", "closed_on"])
    return locked


@transaction.atomic
def kpi_action_update(
    *, by, action: KpiAction, text: str, owner: Owner, due_date: date, forum: OversightBody | None, status: str
) -> KpiAction:
    """Editors correct an action's details (the admin); the status goes through kpi_action_set_status's rule."""
    ensure_can_edit_plans(by)
    locked = KpiAction.objects.select_for_update().get(pk=action.pk)
    if not text.strip():
        raise ValidationError({"text": "Say what the action is."})
    if status not in Status.values:
        raise ValidationError({"status": "Choose a status from the list."})
    locked.text, locked.owner, locked.due_date, locked.forum = text.strip(), owner, due_date, forum
    if status != locked.status:
        locked.status = status
        locked.closed_on = today() if status in FINISHED else None
    with audit.on_behalf_of(by):
        locked.save()
    return locked


# --- Reference data: measures and their targets, areas and populations, comparators (the admin) -----

MEASURE_FIELDS = (
    "name",
    "description",
    "unit",
    "polarity",
    "frequency",
    "period_basis",
    "source",
    "owner",
    "baseline_points",
    "comparable_band",
)


def measure_errors(*, name: str, baseline_points: int | None, measure: Measure | None = None) -> dict[str, str]:
    """What is wrong with a measure's name and baseline (for the admin form and measure_save)."""
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = "Give the measure a name."
    else:
        clash = Measure.objects.filter(name__iexact=name)
        if measure is not None and measure.pk:
            clash = clash.exclude(pk=measure.pk)
        if clash.exists():
            errors["name"] = (
                f'There is already a measure called "{clash.first().name}" (names are matched in any case).'
            )
    if baseline_points is not None and baseline_points < 2:
        errors["baseline_points"] = "The baseline needs at least 2 points for a moving range."
    return errors


@transaction.atomic
def measure_save(*, by, measure: Measure | None = None, objectives=None, commitments=None, **fields) -> Measure:
    """Create or change a measure (name, unit, polarity, frequency, basis, source, owner, baseline and
    comparable band) and its links to objectives and commitments."""
    ensure_can_edit_plans(by)
    unknown = set(fields) - set(MEASURE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown measure fields: {sorted(unknown)}")
    errors = measure_errors(name=fields.get("name", ""), baseline_points=fields.get("baseline_points"), measure=measure)
    if errors:
        raise ValidationError(errors)
    target = Measure() if measure is None or not measure.pk else Measure.objects.select_for_update().get(pk=measure.pk)
    for key, value in fields.items():
        setattr(target, key, value.strip() if isinstance(value, str) else value)
    target.full_clean(exclude=["objectives", "commitments"], validate_unique=False)
    target.save()
    if objectives is not None:
        target.objectives.set(objectives)
    if commitments is not None:
        target.commitments.set(commitments)
    return target


def target_errors(targets: list[dict]) -> list[str]:
    errors = []
    spans = []
    for t in targets:
        if t.get("tolerance", 0) is not None and t.get("tolerance", 0) < 0:
            errors.append(f"Target {t['value']:g}: the tolerance cannot be negative.")
        if t.get("ends_on") and t["ends_on"] < t["starts_on"]:
            errors.append(f"Target {t['value']:g}: it ends before it starts.")
        spans.append((t["starts_on"], t.get("ends_on") or date.max))
    spans.sort()
    for (_s1, e1), (s2, _e2) in pairwise(spans):
        if s2 <= e1:
            errors.append("Two targets cover the same dates: end the earlier one before the later one starts.")
            break
    return errors


@transaction.atomic
def measure_set_targets(*, by, measure: Measure, targets: list[dict]) -> list[Target]:
    """Replace a measure's targets (value, tolerance, starts_on, ends_on, wording) with these, checked:
    no negative tolerance, none ending before it starts, no two covering the same day."""
    ensure_can_edit_plans(by)
    errors = target_errors(targets)
    if errors:
        raise ValidationError(errors)
    Measure.objects.select_for_update().filter(pk=measure.pk).first()
    Target.objects.filter(measure=measure).delete()
    created = Target.objects.bulk_create(
        Target(
            measure=measure,
            value=t["value"],
            tolerance=t.get("tolerance") or 0,
            starts_on=t["starts_on"],
            ends_on=t.get("ends_on"),
            wording=(t.get("wording") or "").strip(),
        )
        for t in targets
    )
    audit.record_many(audit.created_entry(t) for t in created)  # the delete above recorded itself
    return created


def area_parent_error(*, area: Area | None, parent: Area | None) -> str:
    seen = parent
    while seen is not None:
        if area is not None and area.pk and seen.pk == area.pk:
            return "An area cannot sit under itself or one of its own areas."
        seen = seen.parent
    return ""


@transaction.atomic
def area_save(*, by, area: Area | None = None, populations: dict[int, int] | None = None, **fields) -> Area:
    """Create or change an area (name, kind, parent, order) and, if given, its population by year. An area
    cannot sit under itself or one of its own areas."""
    ensure_can_edit_plans(by)
    target = Area() if area is None or not area.pk else Area.objects.select_for_update().get(pk=area.pk)
    if "parent" in fields and area_parent_error(area=target, parent=fields["parent"]):
        raise ValidationError({"parent": area_parent_error(area=target, parent=fields["parent"])})
    for key in ("name", "kind", "parent", "order"):
        if key in fields:
            setattr(target, key, fields[key].strip() if isinstance(fields[key], str) else fields[key])
    clash = Area.objects.filter(name__iexact=target.name).exclude(pk=target.pk)
    if clash.exists():
        raise ValidationError({"name": f'There is already an area called "{clash.first().name}".'})
    target.full_clean(validate_unique=False)
    target.save()
    if populations is not None:
        bad = [y for y, p in populations.items() if p is None or p <= 0]
        if bad:
            raise ValidationError(f"Give a population above 0 for {', '.join(map(str, sorted(bad)))}.")
        AreaPopulation.objects.filter(area=target).delete()
        created = AreaPopulation.objects.bulk_create(
            AreaPopulation(area=target, year=y, population=p) for y, p in populations.items()
        )
        audit.record_many(audit.created_entry(p) for p in created)  # the delete above recorded itself
    return target


COMPARATOR_FIELDS = ("msg_average", "national_average", "rank", "rank_of")


@transaction.atomic
def comparator_save(*, by, measure: Measure, area: Area, period: Period, **values) -> ComparatorValue:
    """Record the most similar group average, the national average and the rank of N for one period."""
    ensure_can_edit_plans(by)
    unknown = set(values) - set(COMPARATOR_FIELDS)
    if unknown:
        raise TypeError(f"Unknown comparator fields: {sorted(unknown)}")
    rank, rank_of = values.get("rank"), values.get("rank_of")
    if rank is not None and (rank_of is None or rank > rank_of or rank < 1):
        raise ValidationError({"rank": "A rank is 1 to N, with N given (rank 3 of 8)."})
    obj, _ = ComparatorValue.objects.update_or_create(
        measure=measure, area=area, period_kind=period.kind, period_start=period.start, defaults=values
    )
    return obj
