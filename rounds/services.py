"""Every write to update rounds: open (requests, items, emails with workbooks), note an update, the
workbook upload, return, approve, close, and the reminders. Keyword-only, one transaction each,
permission checked inside."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core import audit
from core.dates import today
from core.jobs import enqueue_on_commit
from core.notify import is_working_day, send_once
from core.roles import can_edit_plans, ensure_can_edit_plans
from core.status import Status
from delivery import services as delivery_services
from delivery.models import Activity, Commitment, ImportRun, Objective, Plan, ProgressUpdate

from . import selectors
from .models import RoundItem, RoundRequest, UpdateRound

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OUTSTANDING = (RoundItem.State.AWAITING, RoundItem.State.RETURNED)


def _days(setting: str, default: str) -> set[int]:
    raw = str(getattr(settings, setting, default))
    return {int(part) for part in raw.replace(" ", "").split(",") if part}


def _email_context(rnd: UpdateRound, request: RoundRequest, items: Sequence[RoundItem]) -> dict:
    return {"round": rnd, "request": request, "items": items, "site_url": settings.SITE_URL}


def _send_request(rnd: UpdateRound, request: RoundRequest) -> bool:
    items = list(selectors.request_items(request=request))
    return send_once(
        key=f"round:{rnd.pk}:request:{request.pk}",
        user=request.user,
        subject=f"Update request: {rnd.title} – by {rnd.deadline:%d %B %Y}",
        text_template="rounds/email/request.txt",
        html_template="rounds/email/request.html",
        context=_email_context(rnd, request, items),
        attachments=[(selectors.workbook_filename(request), selectors.request_workbook(request=request), XLSX)],
    )


@transaction.atomic
def round_open(
    *,
    by,
    plan: Plan,
    title: str,
    deadline: date,
    as_at: date,
    message: str = "",
    objectives: Sequence[Objective] = (),
    commitments: Sequence[Commitment] = (),
) -> UpdateRound:
    """Open an update round for the plan (or the chosen objectives and commitments): one request per owner
    of an open activity in scope, one item per activity, and an email to each owner with a login,
    listing their activities with links to each update form and their workbook attached."""
    ensure_can_edit_plans(by)
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "Give the round a title, for example \u201cQ3 2025/26 update\u201d."
    if deadline < today():
        errors["deadline"] = "The deadline cannot be in the past."
    if any(o.plan_id != plan.pk for o in objectives) or any(c.plan_id != plan.pk for c in commitments):
        errors["objectives"] = "Choose objectives and commitments of this plan only."
    if errors:
        raise ValidationError(errors)
    activities = Activity.objects.filter(commitment__plan=plan).exclude(status__in=[Status.COMPLETE, Status.CLOSED])
    if objectives or commitments:
        activities = activities.filter(
            Q(commitment__objective__in=list(objectives)) | Q(commitment__in=list(commitments))
        )
    owned = list(
        Activity.owners.through.objects.filter(activity__in=activities)
        .select_related("owner")
        .order_by("owner__name", "activity_id")
    )
    if not owned:
        raise ValidationError("No open activity in this scope has an owner, so there is nobody to ask.")
    rnd = UpdateRound.objects.create(
        plan=plan, title=title.strip(), deadline=deadline, as_at=as_at, message=message.strip(), opened_by=by
    )
    rnd.objectives.set(objectives)
    rnd.commitments.set(commitments)
    owners = {row.owner_id: row.owner for row in owned}
    requests = RoundRequest.objects.bulk_create(
        [RoundRequest(round=rnd, owner=o, user=o.user if o.user_id else None) for o in owners.values()]
    )
    by_owner = {r.owner_id: r for r in requests}
    RoundItem.objects.bulk_create(
        [RoundItem(request=by_owner[row.owner_id], activity_id=row.activity_id) for row in owned], batch_size=2000
    )
    enqueue_on_commit("rounds.tasks.send_round_requests", rnd.pk)
    return rnd


def round_send_requests(*, round_id: int) -> int:
    """Email each owner with a login their round request (after the round has committed, so nobody is
    asked about a round that was rolled back, and a slow mail server holds no transaction open).
    Each email is its own transaction under its own key: a retry or a second run sends only what was
    not sent. Returns how many were sent."""
    rnd = UpdateRound.objects.filter(pk=round_id, state=UpdateRound.State.OPEN).first()
    if rnd is None:
        return 0
    sent = 0
    for request in rnd.requests.filter(user__isnull=False, sent_at__isnull=True).select_related("user", "owner"):
        with transaction.atomic():
            if _send_request(rnd, request):
                audit.update(RoundRequest.objects.filter(pk=request.pk), sent_at=timezone.now())
                sent += 1
    return sent


def _open_items_for(activity_id: int):
    return RoundItem.objects.filter(activity_id=activity_id, request__round__state=UpdateRound.State.OPEN)


@transaction.atomic
def round_note_update(*, update: ProgressUpdate) -> int:
    """A progress update was recorded (form or import): the activity's items in open rounds that were
    awaiting an update, or returned, are now submitted with it. Returns how many changed."""
    if update.kind == ProgressUpdate.Kind.CREATED:
        return 0
    items = _open_items_for(update.activity_id).filter(state__in=OUTSTANDING)
    return audit.update(items, state=RoundItem.State.SUBMITTED, update=update)


def _ensure_open(rnd: UpdateRound) -> None:
    if not rnd.is_open:
        raise ValidationError("This round is closed.")


@transaction.atomic
def round_upload(*, by, request: RoundRequest, upload) -> ImportRun:
    """An owner's workbook back: through the shared import (checked, previewed, applied all-or-nothing),
    scoped to this request's activities. Updates without a date of their own are as at the round's date
    (or today, if that is still ahead)."""
    rnd = request.round
    _ensure_open(rnd)
    if not may_upload(by, request):
        raise PermissionDenied("You can upload a workbook only for your own activities in this round.")
    return delivery_services.import_upload_scoped(
        by=by,
        upload=upload,
        plan=rnd.plan,
        scope={"kind": "round", "request": request.pk},
        as_at=min(rnd.as_at, today()),
    )


def may_upload(user, request: RoundRequest) -> bool:
    return can_edit_plans(user) or (request.owner.user_id is not None and request.owner.user_id == user.pk)


# --- the import scope (registered in apps.py) ------------------------------------------------------------

OWNER_FIELDS = {"rag", "status", "start_date", "due_date", "date_text"}


def scope_may_upload(user, scope: dict) -> bool:
    request = RoundRequest.objects.select_related("owner", "round").filter(pk=scope.get("request")).first()
    return request is not None and request.round.is_open and may_upload(user, request)


def scope_check(scope: dict, preview: dict) -> list[dict]:
    """Rows this round's upload may not change: activities that are not this owner's in this round, or
    already approved; new activities; changes to the plan's structure, owners or wording."""
    request = RoundRequest.objects.select_related("owner", "round").get(pk=scope["request"])
    states = dict(request.items.values_list("activity_id", "state"))
    who = request.owner.name
    problems: list[dict] = []

    def problem(item: dict, message: str) -> None:
        problems.append({"sheet": item.get("sheet", ""), "row": item.get("row"), "column": None, "message": message})

    if not request.round.is_open:
        problems.append({"sheet": "", "row": None, "column": None, "message": "This round is closed."})
    for c in preview.get("commitments", []):
        if c.get("action") in ("create", "update"):
            problem(c, f"Commitment {c.get('ref')}: only editors change commitments; leave its text as it was.")
    for a in preview.get("activities", []):
        ref = a.get("sub_ref") or a.get("ref")
        if not a.get("activity_id"):
            problem(a, f"{ref}: a new activity. Only editors add activities; take this row out of the workbook.")
        elif a["activity_id"] not in states:
            problem(a, f"{ref} is not one of {who}'s activities in this round; take this row out of the workbook.")
        elif a.get("action") == "update" and states[a["activity_id"]] == RoundItem.State.APPROVED:
            problem(a, f"{ref}: this round's update has already been approved, so it cannot be changed.")
        else:
            other = sorted(set(a.get("fields", {})) - OWNER_FIELDS)
            if other:
                problem(a, f"{ref}: only editors can change {', '.join(other)}; put it back as it was.")
    return problems


def scope_applied(scope: dict, result: dict, by) -> None:
    """After the upload is applied: each activity of the request that got a new progress update from it
    is submitted in the round (with that update)."""
    request = RoundRequest.objects.select_related("round").get(pk=scope["request"])
    ids = list(request.items.values_list("activity_id", flat=True))
    latest: dict[int, ProgressUpdate] = {}
    for u in ProgressUpdate.objects.filter(
        activity_id__in=ids, kind=ProgressUpdate.Kind.IMPORT, author=by, recorded_at__gte=request.round.opened_at
    ).order_by("activity_id", "id"):
        latest[u.activity_id] = u
    for activity_id, update in latest.items():
        items = _open_items_for(activity_id).filter(
            Q(state__in=OUTSTANDING) | Q(state=RoundItem.State.SUBMITTED),
            Q(update__isnull=True) | Q(update_id__lt=update.pk),
        )
        audit.update(items, state=RoundItem.State.SUBMITTED, update=update)


# --- review ------------------------------------------------------------------------------------------------


def _lock_item(item: RoundItem) -> RoundItem:
    return (
        RoundItem.objects.select_for_update()
        .select_related("request__round", "request__owner", "activity")
        .get(pk=item.pk)
    )


@transaction.atomic
def round_item_return(*, by, item: RoundItem, comment: str) -> RoundItem:
    """Return a submitted update to its owner with a comment; the owner is emailed and sees it on the
    activity and on their request. The activity's items under its other owners are returned too."""
    ensure_can_edit_plans(by)
    item = _lock_item(item)
    _ensure_open(item.request.round)
    if not comment.strip():
        raise ValidationError({"comment": "Say what the owner should add or change."})
    if item.state != RoundItem.State.SUBMITTED:
        raise ValidationError(
            f"Only a submitted update can be returned; this one is {item.get_state_display().lower()}."
        )
    now = timezone.now()
    siblings = RoundItem.objects.filter(request__round=item.request.round, activity=item.activity)
    audit.update(siblings, state=RoundItem.State.RETURNED, comment=comment.strip(), reviewed_by=by, reviewed_at=now)
    item.refresh_from_db()
    for request in RoundRequest.objects.filter(pk__in=siblings.values("request")).select_related("user"):
        send_once(
            key=f"round-item:{item.pk}:returned:{request.pk}:{now.isoformat()}",
            user=request.user,
            subject=f"Update returned: {item.activity.full_ref} ({item.request.round.title})",
            text_template="rounds/email/returned.txt",
            html_template="rounds/email/returned.html",
            context={"item": item, "round": item.request.round, "by": by, "site_url": settings.SITE_URL},
        )
    return item


@transaction.atomic
def round_item_approve(*, by, item: RoundItem) -> RoundItem:
    ensure_can_edit_plans(by)
    item = _lock_item(item)
    _ensure_open(item.request.round)
    if item.state != RoundItem.State.SUBMITTED:
        raise ValidationError(
            f"Only a submitted update can be approved; this one is {item.get_state_display().lower()}."
        )
    audit.update(
        RoundItem.objects.filter(request__round=item.request.round, activity=item.activity),
        state=RoundItem.State.APPROVED,
        reviewed_by=by,
        reviewed_at=timezone.now(),
    )
    item.refresh_from_db()
    return item


@transaction.atomic
def round_approve_submitted(*, by, rnd: UpdateRound) -> int:
    """Approve every submitted update in the round at once; returns how many items."""
    ensure_can_edit_plans(by)
    _ensure_open(rnd)
    return audit.update(
        RoundItem.objects.filter(request__round=rnd, state=RoundItem.State.SUBMITTED),
        state=RoundItem.State.APPROVED,
        reviewed_by=by,
        reviewed_at=timezone.now(),
    )


@transaction.atomic
def round_close(*, by, rnd: UpdateRound, reason: str = "") -> UpdateRound:
    """Close the round. Submitted updates not yet reviewed stop it, unless a reason is given for closing
    anyway (kept on the round). The round's as-at date becomes the next Appendix 1's default."""
    ensure_can_edit_plans(by)
    rnd = UpdateRound.objects.select_for_update().get(pk=rnd.pk)
    _ensure_open(rnd)
    unreviewed = RoundItem.objects.filter(request__round=rnd, state=RoundItem.State.SUBMITTED).count()
    if unreviewed and not reason.strip():
        raise ValidationError(
            {
                "reason": f"{unreviewed} submitted update{'s are' if unreviewed != 1 else ' is'} not reviewed yet. "
                "Approve or return them, or give a reason to close the round anyway."
            }
        )
    rnd.state, rnd.closed_by, rnd.closed_at, rnd.close_note = (
        UpdateRound.State.CLOSED,
        by,
        timezone.now(),
        reason.strip(),
    )
    rnd.save(update_fields=["state", "closed_by", "closed_at", "close_note"])
    return rnd


# --- reminders ---------------------------------------------------------------------------------------------


def round_send_reminders(*, on: date | None = None) -> int:
    """Remind the owners who have not updated, on the configured days before (ROUND_REMINDER_DAYS_BEFORE)
    and after (ROUND_REMINDER_DAYS_AFTER) each open round's deadline. Nothing on weekends or bank
    holidays (a reminder day that falls on one is skipped). At most one email per person per round per
    day, however often it runs. Returns how many emails were sent."""
    on = on or today()
    if not is_working_day(on):
        return 0
    before = _days("ROUND_REMINDER_DAYS_BEFORE", "7,2")
    after = _days("ROUND_REMINDER_DAYS_AFTER", "1,3,7")
    sent = 0
    for rnd in UpdateRound.objects.filter(state=UpdateRound.State.OPEN).select_related("plan"):
        gap = (rnd.deadline - on).days
        if not ((gap > 0 and gap in before) or (gap < 0 and -gap in after)):
            continue
        outstanding: dict[int, list[RoundItem]] = defaultdict(list)
        users = {}
        for item in selectors.outstanding_items(rnd=rnd):
            outstanding[item.request.user_id].append(item)
            users[item.request.user_id] = item.request.user
        for user_id, items in outstanding.items():
            with transaction.atomic():
                if send_once(
                    key=f"round:{rnd.pk}:reminder:{user_id}:{on.isoformat()}",
                    user=users[user_id],
                    subject=f"Reminder: {rnd.title} – updates due {rnd.deadline:%d %B %Y}",
                    text_template="rounds/email/reminder.txt",
                    html_template="rounds/email/reminder.html",
                    context={"round": rnd, "items": items, "days": gap, "site_url": settings.SITE_URL},
                ):
                    sent += 1
    return sent
