"""Every write to meetings, findings, agenda items, actions and written requests: keyword-only
arguments, one transaction, the role (and, for actions, ownership) checked inside.

Editors and administrators record meetings and written requests. An action's owners (Owner records
linked to their login) may update the actions they own, as with activities; nobody but editors may
touch anything in a draft meeting.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core import audit
from core.dates import today
from core.roles import can_edit_plans, ensure_can_edit_plans, ensure_can_update_owned
from core.text import author_name
from delivery.models import Activity, Commitment, OversightBody, Owner

from . import richtext, workdays
from .models import Action, ActionUpdate, AgendaItem, Finding, Meeting, WrittenRequest


class StaleEdit(Exception):
    """Someone saved the action after the form was loaded; nothing was written."""

    def __init__(self, *, action: Action) -> None:
        self.action = action
        super().__init__(f"Action {action.pk} has changed since it was loaded (now version {action.version}).")


# --- Meetings -------------------------------------------------------------------------------


def _meeting_errors(*, kind: str, held_on: date | None, subject_area: str) -> dict[str, str]:
    errors = {}
    if kind not in Meeting.Kind.values:
        errors["kind"] = "Choose the type of meeting."
    if held_on is None:
        errors["held_on"] = "Give the date of the meeting."
    if not subject_area.strip():
        errors["subject_area"] = 'Give the subject area, e.g. "Connecting with Communities".'
    return errors


@transaction.atomic
def meeting_create(
    *,
    by,
    kind: str,
    held_on: date,
    subject_area: str,
    oversight_body: OversightBody | None = None,
    attendees: str = "",
    notes: str = "",
) -> Meeting:
    """Record a meeting; it starts as a draft, seen only by editors until approved."""
    ensure_can_edit_plans(by)
    errors = _meeting_errors(kind=kind, held_on=held_on, subject_area=subject_area)
    if errors:
        raise ValidationError(errors)
    return Meeting.objects.create(
        kind=kind,
        held_on=held_on,
        subject_area=subject_area.strip(),
        oversight_body=oversight_body,
        attendees=attendees.strip(),
        notes=richtext.sanitise(notes),
        created_by=by,
    )


@transaction.atomic
def meeting_update(
    *,
    by,
    meeting: Meeting,
    kind: str,
    held_on: date,
    subject_area: str,
    oversight_body: OversightBody | None = None,
    attendees: str = "",
    notes: str = "",
) -> Meeting:
    """Change a meeting's details and notes (sanitised). A published meeting's notes may be corrected;
    the publication date stays."""
    ensure_can_edit_plans(by)
    errors = _meeting_errors(kind=kind, held_on=held_on, subject_area=subject_area)
    if errors:
        raise ValidationError(errors)
    meeting.kind = kind
    meeting.held_on = held_on
    meeting.subject_area = subject_area.strip()
    meeting.oversight_body = oversight_body
    meeting.attendees = attendees.strip()
    meeting.notes = richtext.sanitise(notes)
    meeting.save()
    return meeting


# Allowed moves: approve a draft, publish approved notes, withdraw a publication, return to draft.
TRANSITIONS = {
    (Meeting.State.DRAFT, Meeting.State.APPROVED),
    (Meeting.State.APPROVED, Meeting.State.PUBLISHED),
    (Meeting.State.PUBLISHED, Meeting.State.APPROVED),
    (Meeting.State.APPROVED, Meeting.State.DRAFT),
}


@transaction.atomic
def meeting_set_state(*, by, meeting: Meeting, state: str, on: date | None = None) -> Meeting:
    """Approve, publish (dated `on`, today by default), withdraw or return to draft."""
    ensure_can_edit_plans(by)
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if (locked.state, state) not in TRANSITIONS:
        if state == Meeting.State.PUBLISHED and locked.state == Meeting.State.DRAFT:
            raise ValidationError({"state": "Approve the notes before publishing them."})
        now, wanted = locked.get_state_display().lower(), Meeting.State(state).label.lower()
        raise ValidationError({"state": f"A {now} meeting cannot be made {wanted}."})
    on = on or today()
    if state == Meeting.State.PUBLISHED:
        if on > today():
            raise ValidationError({"on": "The publication date cannot be in the future."})
        if on < locked.held_on:
            raise ValidationError({"on": "Notes cannot be published before the meeting was held."})
        locked.published_on = on
    elif locked.state == Meeting.State.PUBLISHED:
        locked.published_on = None
    locked.state = state
    locked.save(update_fields=["state", "published_on", "updated_at"])
    meeting.state, meeting.published_on = locked.state, locked.published_on
    return locked


@transaction.atomic
def findings_save(*, by, meeting: Meeting, findings: Sequence[dict]) -> list[Finding]:
    """Replace the meeting's ordered list of key findings and outcomes: dicts of text and for_panel,
    in order. Blank texts are dropped."""
    ensure_can_edit_plans(by)
    meeting.findings.all().delete()
    rows = [
        Finding(meeting=meeting, position=i, text=f["text"].strip(), for_panel=bool(f.get("for_panel")))
        for i, f in enumerate((f for f in findings if (f.get("text") or "").strip()), start=1)
    ]
    created = Finding.objects.bulk_create(rows)
    audit.record_many(audit.created_entry(f) for f in created)  # the deletes above recorded themselves
    return created


@transaction.atomic
def finding_add(*, by, meeting: Meeting, text: str, for_panel: bool = False) -> Finding:
    ensure_can_edit_plans(by)
    if not text.strip():
        raise ValidationError({"text": "Write the finding or outcome."})
    position = meeting.findings.count() + 1
    return Finding.objects.create(meeting=meeting, position=position, text=text.strip(), for_panel=for_panel)


@transaction.atomic
def agenda_save(*, by, meeting: Meeting, items: Sequence[dict]) -> list[AgendaItem]:
    """Replace the meeting's agenda: dicts of title and optional commitment, activity and kpi_ref."""
    ensure_can_edit_plans(by)
    meeting.agenda_items.all().delete()
    rows = []
    for i, item in enumerate((it for it in items if (it.get("title") or "").strip()), start=1):
        activity: Activity | None = item.get("activity")
        commitment: Commitment | None = item.get("commitment")
        if activity is not None and commitment is not None and activity.commitment_id != commitment.pk:
            raise ValidationError({"activity": f"Agenda item {i}: the activity is not under the commitment chosen."})
        rows.append(
            AgendaItem(
                meeting=meeting,
                position=i,
                title=item["title"].strip(),
                commitment=commitment,
                activity=activity,
                kpi_ref=(item.get("kpi_ref") or "").strip(),
            )
        )
    created = AgendaItem.objects.bulk_create(rows)
    audit.record_many(audit.created_entry(a) for a in created)  # the deletes above recorded themselves
    return created


# --- Actions --------------------------------------------------------------------------------


def _check_action_links(activity: Activity | None, commitment: Commitment | None) -> dict[str, str]:
    if activity is not None and commitment is not None and activity.commitment_id != commitment.pk:
        return {"activity": "The activity is not under the commitment chosen; choose one or the other."}
    return {}


@transaction.atomic
def action_create(
    *,
    by,
    meeting: Meeting,
    text: str,
    owners: Sequence[Owner] = (),
    due_date: date | None = None,
    activity: Activity | None = None,
    commitment: Commitment | None = None,
    kpi_ref: str = "",
    on: date | None = None,
) -> Action:
    """Add an action to a meeting; its first update records the state it starts in."""
    ensure_can_edit_plans(by)
    on = on or today()
    errors = _check_action_links(activity, commitment)
    if not text.strip():
        errors["text"] = "Describe the action."
    if on > today():
        errors["on"] = "An action cannot be recorded in the future."
    if errors:
        raise ValidationError(errors)
    action = Action.objects.create(
        meeting=meeting,
        text=text.strip(),
        due_date=due_date,
        activity=activity,
        commitment=commitment if activity is None else None,
        kpi_ref=kpi_ref.strip(),
        created_on=on,
        last_update_on=on,
        version=1,
    )
    action.owners.set(owners)
    ActionUpdate.objects.create(
        action=action,
        on=on,
        kind=ActionUpdate.Kind.CREATED,
        author=by,
        author_name=author_name(by),
        status=action.status,
        due_date=due_date,
        changes={"owners": [[], sorted(o.name for o in owners)]} if owners else {},
    )
    return action


@transaction.atomic
def action_record_update(
    *,
    action: Action,
    by,
    seen_version: int,
    status: str | None = None,
    due_date: date | object | None = ...,
    text: str = "",
    owners: Iterable[Owner] | None = None,
    on: date | None = None,
) -> ActionUpdate:
    """Record an update to an action: its status, due date, owners (editors only) and a note.
    Owners update only the actions they own; nobody but editors touches a draft meeting's actions.
    Refused if someone saved the action after `seen_version`. Arguments left out keep their value."""
    ensure_can_update_owned(by, action, noun="actions")
    locked = Action.objects.select_for_update().select_related("meeting").get(pk=action.pk)
    if locked.meeting.is_draft and not can_edit_plans(by):
        raise PermissionDenied("This action's meeting is still a draft.")
    if owners is not None and not can_edit_plans(by):
        raise PermissionDenied("Only editors can change who owns an action.")
    if locked.version != seen_version:
        raise StaleEdit(action=locked)

    on = on or today()
    text = text.strip()
    errors = {}
    if on > today():
        errors["on"] = "An update cannot be dated in the future."
    if locked.last_update_on and on < locked.last_update_on:
        errors["on"] = (
            f"The action was last updated on {locked.last_update_on:%d %b %Y}; date this update on or after it."
        )
    if status is not None and status not in Action.Status.values:
        errors["status"] = "Choose open, done or closed."
    new_due = locked.due_date if due_date is ... else due_date
    new_status = locked.status if status is None else status
    changes: dict[str, list] = {}
    if new_status != locked.status:
        changes["status"] = [locked.status, new_status]
    if new_due != locked.due_date:
        changes["due_date"] = [_iso(locked.due_date), _iso(new_due)]
    old_owners = sorted(o.name for o in locked.owners.all())
    new_owner_list = list(owners) if owners is not None else None
    if new_owner_list is not None and sorted(o.name for o in new_owner_list) != old_owners:
        changes["owners"] = [old_owners, sorted(o.name for o in new_owner_list)]
    if new_status == Action.Status.CLOSED and changes.get("status") and not text:
        errors["text"] = "Say why the action is closed without being done."
    if not changes and not text:
        errors["text"] = "Nothing has changed: write an update or change the status or due date."
    if errors:
        raise ValidationError(errors)

    locked.status = new_status
    locked.due_date = new_due
    if text:
        locked.progress = text
    locked.last_update_on = on
    locked.version += 1
    locked.save()
    if new_owner_list is not None:
        locked.owners.set(new_owner_list)
    action.version, action.status, action.due_date = locked.version, locked.status, locked.due_date
    return ActionUpdate.objects.create(
        action=locked,
        on=on,
        author=by,
        author_name=author_name(by),
        text=text,
        status=new_status,
        due_date=new_due,
        changes=changes,
    )


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


# --- Written requests -----------------------------------------------------------------------


def _request_errors(*, subject: str, question: str, sent_on: date | None, working_days: int) -> dict[str, str]:
    errors = {}
    if not subject.strip():
        errors["subject"] = "Give the request a subject."
    if not question.strip():
        errors["question"] = "Write the question put to the Chief Constable."
    if sent_on is None:
        errors["sent_on"] = "Give the date the request was sent."
    elif sent_on > today():
        errors["sent_on"] = "The date sent cannot be in the future."
    if not 1 <= working_days <= 250:
        errors["working_days"] = "Give between 1 and 250 working days."
    return errors


@transaction.atomic
def request_create(
    *,
    by,
    subject: str,
    question: str,
    sent_on: date,
    working_days: int = 20,
    reference: str = "",
    subject_area: str = "",
    meeting: Meeting | None = None,
) -> WrittenRequest:
    """Record a written request sent to the Chief Constable; the response is due `working_days`
    working days after it was sent (England and Wales bank holidays excluded)."""
    ensure_can_edit_plans(by)
    errors = _request_errors(subject=subject, question=question, sent_on=sent_on, working_days=working_days)
    if errors:
        raise ValidationError(errors)
    return WrittenRequest.objects.create(
        reference=reference.strip(),
        subject=subject.strip(),
        subject_area=subject_area.strip(),
        question=question.strip(),
        sent_on=sent_on,
        working_days=working_days,
        response_due=workdays.add_working_days(sent_on, working_days),
        meeting=meeting,
        created_by=by,
    )


@transaction.atomic
def request_update(
    *,
    by,
    request: WrittenRequest,
    subject: str,
    question: str,
    sent_on: date,
    working_days: int,
    reference: str = "",
    subject_area: str = "",
    meeting: Meeting | None = None,
) -> WrittenRequest:
    ensure_can_edit_plans(by)
    errors = _request_errors(subject=subject, question=question, sent_on=sent_on, working_days=working_days)
    if request.response_received_on and sent_on and request.response_received_on < sent_on:
        errors["sent_on"] = "The response was received before this date."
    if errors:
        raise ValidationError(errors)
    request.reference = reference.strip()
    request.subject = subject.strip()
    request.subject_area = subject_area.strip()
    request.question = question.strip()
    request.sent_on = sent_on
    request.working_days = working_days
    request.response_due = workdays.add_working_days(sent_on, working_days)
    request.meeting = meeting
    request.save()
    return request


@transaction.atomic
def request_record_response(
    *, by, request: WrittenRequest, received_on: date | None, response: str, follow_up: str = ""
) -> WrittenRequest:
    """Record the Chief Constable's written answer (and any follow-up). A blank date with no text
    puts the request back to awaiting a response."""
    ensure_can_edit_plans(by)
    errors = {}
    if received_on is not None:
        if received_on < request.sent_on:
            errors["received_on"] = "The response cannot be received before the request was sent."
        if received_on > today():
            errors["received_on"] = "The date received cannot be in the future."
        if not response.strip():
            errors["response"] = "Record the response, or a summary of it."
    elif response.strip():
        errors["received_on"] = "Give the date the response was received."
    if errors:
        raise ValidationError(errors)
    request.response_received_on = received_on
    request.response = response.strip()
    request.follow_up = follow_up.strip()
    request.save(update_fields=["response_received_on", "response", "follow_up"])
    return request
