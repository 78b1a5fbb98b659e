"""Writes to supporting activities: creating them and recording progress updates, each appended to
the activity's trail, with the version check that stops one save overwriting another."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from core import audit
from core.dates import today
from core.roles import can_edit_plans, ensure_can_edit_plans, ensure_can_update_owned
from core.text import author_name

from ..models import (
    Activity,
    Commitment,
    OversightBody,
    Owner,
    ProgressUpdate,
    Rag,
    Status,
    link_trails,
)

ENDED = (Status.COMPLETE, Status.CLOSED)
REOPEN_CODE = "reopen"


def reopen_message(*, rag: str, status: str) -> str:
    return (
        f"This activity is {Status(status).label.lower()}, so a {Rag(rag).label} rating would be hidden by "
        f"\u201cComplete\u201d. Reopen it (status back to In progress) to rate it {Rag(rag).label}, "
        "or keep it Green."
    )


OWNERS_EDITORS_ONLY = (
    "Only editors and administrators can change who owns an activity. "
    "To propose a new owner, say so in your progress update."
)


class StaleEdit(Exception):
    """Someone saved the activity after the editor loaded it; nothing was written."""

    def __init__(self, *, activity: Activity) -> None:
        self.activity = activity
        super().__init__(f"Activity {activity.pk} has changed since it was loaded (now version {activity.version}).")


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
    reopen: bool = False,
    for_panel: bool = False,
) -> ProgressUpdate:
    """Record a progress update; refuse if someone saved the activity after `seen_version`.

    Arguments left out (None, or ... for the dates) keep their current value. Moving to Red or Amber
    needs a reason in `text`. The update is dated `on` (today by default), which may not be in the
    future nor before the activity's latest update.

    The reopen rule: rating a complete or closed activity Red or Amber (or completing it while newly
    rated Red or Amber) would hide the rating behind "Complete". It is refused (error code "reopen" on
    `rag`) unless `reopen` is set, which puts the status back to In progress.

    Only editors and administrators change the owners; an owner proposes a change in the update text.
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

    if new["rag"] in (Rag.RED, Rag.AMBER) and new["status"] in ENDED and new["rag"] != locked.rag:
        if not reopen:
            raise ValidationError(
                {"rag": ValidationError(reopen_message(rag=new["rag"], status=new["status"]), code=REOPEN_CODE)}
            )
        new["status"] = Status.IN_PROGRESS

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
        if not can_edit_plans(by):
            raise PermissionDenied(OWNERS_EDITORS_ONLY)
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
        for_panel=for_panel and bool(text),
    )
    link_trails([locked.pk])
    activity.__dict__.update(
        {k: getattr(locked, k) for k in (*new, "progress", "progress_on", "last_update_on", "version")}
    )
    return update


@transaction.atomic
def progress_update_set_for_panel(*, update: ProgressUpdate, by, for_panel: bool) -> ProgressUpdate:
    """Mark a progress update as an example of activity for the panel's report, or unmark it. The
    update's record is otherwise never changed. Those who may update the activity (its owners,
    editors) may mark its updates; an update with no text has nothing to show the panel."""
    ensure_can_update_owned(by, update.activity)
    locked = ProgressUpdate.objects.select_for_update().get(pk=update.pk)
    if for_panel and not locked.text.strip():
        raise ValidationError({"for_panel": "This update has no text to show the panel."})
    if locked.for_panel != for_panel:
        ProgressUpdate.objects.filter(pk=locked.pk).update(for_panel=for_panel)
        audit.record(audit.Action.UPDATE, obj=locked, changes={"for_panel": [locked.for_panel, for_panel]})
    update.for_panel = for_panel
    return update


@transaction.atomic
def activity_edit_details(
    *,
    by,
    activity: Activity,
    seen_version: int,
    text: str,
    sub_ref: str,
    publish: bool,
    oversight_bodies: Sequence[OversightBody],
) -> Activity:
    """Change what an activity says (text, sub-reference, publication, oversight bodies), editors only.
    Refused if someone saved it after `seen_version`; the change is written to the trail like any other."""
    ensure_can_edit_plans(by)
    locked = Activity.objects.select_for_update().select_related("commitment").get(pk=activity.pk)
    if locked.version != seen_version:
        raise StaleEdit(activity=locked)
    text, sub_ref = text.strip(), sub_ref.strip()
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = "Describe the supporting activity."
    if (
        sub_ref
        and Activity.objects.filter(commitment__plan=locked.commitment.plan_id, sub_ref=sub_ref)
        .exclude(pk=locked.pk)
        .exists()
    ):
        errors["sub_ref"] = f'Sub-reference "{sub_ref}" is already used in this plan.'
    if errors:
        raise ValidationError(errors)
    old_bodies = sorted(b.name for b in locked.oversight_bodies.all())
    new_bodies = sorted(b.name for b in oversight_bodies)
    changes: dict[str, list] = {}
    for field, value in (("text", text), ("sub_ref", sub_ref), ("publish", publish)):
        if getattr(locked, field) != value:
            changes[field] = [getattr(locked, field), value]
    if old_bodies != new_bodies:
        changes["oversight_bodies"] = [old_bodies, new_bodies]
    if not changes:
        return locked
    locked.text, locked.sub_ref, locked.publish = text, sub_ref, publish
    locked.version += 1
    locked.save()
    locked.oversight_bodies.set(oversight_bodies)
    on = max(today(), locked.last_update_on or today())
    ProgressUpdate.objects.create(
        activity=locked,
        on=on,
        kind=ProgressUpdate.Kind.UPDATE,
        author=by,
        author_name=author_name(by),
        rag=locked.rag,
        status=locked.status,
        start_date=locked.start_date,
        due_date=locked.due_date,
        changes=changes,
    )
    link_trails([locked.pk])
    return locked
