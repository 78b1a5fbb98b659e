"""Every read a meetings page, export, panel, command or the overdue review needs.

Drafts: a draft meeting, and its notes, agenda, findings and actions, is seen only by editors and
administrators. Every read for a user goes through visible_meetings / visible_actions; what has no
user (the overdue review, the panel report, the demo) reads approved and published meetings only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.safestring import mark_safe

from core.dates import is_past, today
from core.freshness import DataVersion, fingerprints
from core.roles import can_edit_plans, ensure_can_read
from core.status import overdue_q
from delivery.overdue import OverdueItem, QuerySource

from .models import REQUEST_STATES, Action, ActionUpdate, AgendaItem, Finding, Meeting, WrittenRequest

AT_FIELDS = {"due": "at_due", "status": "at_status"}
# What the overdue review and the meetings list read of meetings (with delivery's PLAN_DATA for the plans,
# owners and forums).
MEETING_DATA = DataVersion(
    "meetings", models=(Meeting, Finding, Action, ActionUpdate, WrittenRequest, Action.owners.through)
)
NO_PLAN = "Holding to account"
CHIEF_CONSTABLE = "Chief Constable"  # who answers every written request


def can_see_drafts(user) -> bool:
    return can_edit_plans(user)


def _not_draft(prefix: str = "") -> Q:
    return ~Q(**{f"{prefix}state": Meeting.State.DRAFT})


# --- Meetings -------------------------------------------------------------------------------


def visible_meetings(*, user) -> QuerySet[Meeting]:
    ensure_can_read(user)
    qs = Meeting.objects.all()
    return qs if can_see_drafts(user) else qs.filter(_not_draft())


def _count_of(model, **filters) -> Coalesce:
    """How many of the meeting's `model` rows (findings, actions) match: a subquery per meeting shown, so
    neither the page's rows nor its count join (and multiply) the findings and actions."""
    rows = model.objects.filter(meeting=OuterRef("pk"), **filters).order_by().values("meeting")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0)


def meeting_rows(*, user) -> QuerySet[Meeting]:
    return (
        visible_meetings(user=user)
        .select_related("oversight_body")
        .annotate(
            n_findings=_count_of(Finding),
            n_actions=_count_of(Action),
            n_open_actions=_count_of(Action, status=Action.Status.OPEN),
        )
        .order_by("-held_on", "-id")
    )


def meeting_list_key(*, user, full_path: str) -> str:
    """What the meetings list's rendered table is kept under: what the user may see (drafts or not), the
    page, filters and order asked for, the day, and the meetings' and plans' fingerprints."""
    from delivery.models import PLAN_DATA

    data = ":".join(fingerprints(MEETING_DATA, PLAN_DATA))
    return f"meetings:list:{can_see_drafts(user)}:{today()}:{full_path}:{data}"


MEETING_LIST_FRAGMENT = "meetings-list"  # the list template's {% cache %} fragment


def meeting_list_rendered(*, key: str) -> str | None:
    """The meetings list's filters, count and table as last rendered under `key` (meeting_list_key), if the
    cache still has them."""
    rendered = cache.get(make_template_fragment_key(MEETING_LIST_FRAGMENT, [key]))
    return None if rendered is None else mark_safe(rendered)  # noqa: S308 - our own rendered template


def meeting_detail(*, user, pk: int) -> Meeting:
    return get_object_or_404(
        visible_meetings(user=user)
        .select_related("oversight_body", "created_by")
        .prefetch_related(
            Prefetch("findings", queryset=Finding.objects.order_by("position", "id")),
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.select_related("commitment__plan", "activity__commitment__plan").order_by(
                    "position", "id"
                ),
            ),
            Prefetch(
                "actions",
                queryset=Action.objects.select_related("activity__commitment", "commitment")
                .prefetch_related("owners__user")
                .order_by("due_date", "id"),
            ),
            "written_requests",
        ),
        pk=pk,
    )


def meeting_for_edit(*, user, pk: int) -> Meeting:
    return get_object_or_404(visible_meetings(user=user).select_related("oversight_body"), pk=pk)


def subject_areas() -> list[str]:
    """Subject areas already used, for suggestions."""
    return list(Meeting.objects.order_by("subject_area").values_list("subject_area", flat=True).distinct()[:200])


# --- Actions --------------------------------------------------------------------------------


def actions_as_at(*, as_at: date | None = None) -> QuerySet[Action]:
    """Actions annotated with their state as at a past date (rebuilt from the update trail), or their
    current state: at_status, at_due, at_last_update_on. Actions created after the date are left out."""
    qs = Action.objects.all()
    if not is_past(as_at):
        return qs.annotate(at_status=F("status"), at_due=F("due_date"), at_last_update_on=F("last_update_on"))
    latest = ActionUpdate.objects.filter(action=OuterRef("pk"), on__lte=as_at).order_by("-on", "-id")
    return qs.filter(created_on__lte=as_at).annotate(
        at_status=Subquery(latest.values("status")[:1]),
        at_due=Subquery(latest.values("due_date")[:1]),
        at_last_update_on=Subquery(latest.values("on")[:1]),
    )


def _action_related(qs: QuerySet[Action]) -> QuerySet[Action]:
    return qs.select_related("meeting", "activity__commitment__plan", "commitment__plan").prefetch_related(
        "owners__user"
    )


def visible_actions(*, user, as_at: date | None = None) -> QuerySet[Action]:
    ensure_can_read(user)
    qs = actions_as_at(as_at=as_at)
    return qs if can_see_drafts(user) else qs.filter(_not_draft("meeting__"))


def action_rows(*, user, as_at: date | None = None) -> QuerySet[Action]:
    return _action_related(visible_actions(user=user, as_at=as_at)).order_by("at_due", "id")


def action_detail(*, user, pk: int) -> Action:
    return get_object_or_404(
        _action_related(visible_actions(user=user)).prefetch_related(
            Prefetch("updates", queryset=ActionUpdate.objects.select_related("author").order_by("-on", "-id"))
        ),
        pk=pk,
    )


def action_for_update(*, user, pk: int) -> Action:
    return get_object_or_404(visible_actions(user=user).select_related("meeting").prefetch_related("owners"), pk=pk)


def overdue_actions(*, as_at: date, plan=None) -> QuerySet[Action]:
    """Open actions of approved or published meetings past their due date as at `as_at`."""
    qs = _action_related(actions_as_at(as_at=as_at).filter(_not_draft("meeting__")))
    qs = qs.filter(overdue_q(as_at, **AT_FIELDS))
    if plan is not None:
        qs = qs.filter(Q(activity__commitment__plan=plan) | Q(commitment__plan=plan))
    return qs.select_related("activity__commitment__objective", "commitment__objective").order_by("at_due", "id")


def linked_commitment(action: Action):
    return action.activity.commitment if action.activity_id else action.commitment


def overdue_action_items(as_at: date, plan=None) -> list[OverdueItem]:
    """The overdue review's "meeting action" source (registered in MeetingsConfig.ready)."""
    return _overdue_action_items(overdue_actions(as_at=as_at, plan=plan), as_at)


def _overdue_action_items(rows, as_at: date) -> list[OverdueItem]:
    items = []
    for a in rows:
        c = linked_commitment(a)
        items.append(
            OverdueItem(
                kind="meeting action",
                plan=c.plan.name if c else NO_PLAN,
                ref=a.ref,
                title=a.text,
                owners=tuple(o.name for o in a.owners.all()),
                due=a.at_due,
                days_overdue=(as_at - a.at_due).days,
                objective=c.objective.title if c else "",
                last_update_on=a.at_last_update_on,
                days_since_update=(as_at - a.at_last_update_on).days if a.at_last_update_on else None,
                status=a.at_status,
                url=a.get_absolute_url(),
            )
        )
    return items


def _overdue_action_rows(as_at: date, plan=None) -> QuerySet[Action]:
    return overdue_actions(as_at=as_at, plan=plan).annotate(
        ov_due=F("at_due"),
        ov_objective=Coalesce("activity__commitment__objective_id", "commitment__objective_id"),
    )


OVERDUE_ACTIONS_QUERY = QuerySource(
    rows=_overdue_action_rows, items=_overdue_action_items, owner="owners__name", other_plan=NO_PLAN
)


# --- Written requests -----------------------------------------------------------------------


def request_rows(*, as_at: date | None = None) -> QuerySet[WrittenRequest]:
    """Written requests annotated with their state as at a date (today by default): awaiting,
    overdue or answered. Requests sent after the date are left out."""
    day = as_at or today()
    answered = Q(response_received_on__isnull=False, response_received_on__lte=day)

    return (
        WrittenRequest.objects.filter(sent_on__lte=day)
        .select_related("meeting")
        .annotate(
            at_state=Case(
                When(answered, then=Value("answered")),
                When(response_due__lt=day, then=Value("overdue")),
                default=Value("awaiting"),
                output_field=CharField(),
            )
        )
        .order_by("-sent_on", "-id")
    )


def request_detail(*, user, pk: int) -> WrittenRequest:
    ensure_can_read(user)
    return get_object_or_404(WrittenRequest.objects.select_related("meeting", "created_by"), pk=pk)


def overdue_request_items(as_at: date, plan=None) -> list[OverdueItem]:
    """The overdue review's "written request" source: unanswered past the response due date. Written
    requests belong to no plan, so a review of one plan has none."""
    return _overdue_request_items(_overdue_request_rows(as_at, plan).order_by("response_due", "id"), as_at)


def _overdue_request_rows(as_at: date, plan=None) -> QuerySet[WrittenRequest]:
    if plan is not None:
        return WrittenRequest.objects.none()
    return (
        request_rows(as_at=as_at)
        .filter(at_state="overdue")
        .annotate(ov_due=F("response_due"), ov_objective=Value(None, output_field=IntegerField()))
    )


def _overdue_request_items(rows, as_at: date) -> list[OverdueItem]:
    return [
        OverdueItem(
            kind="written request",
            plan=NO_PLAN,
            ref=r.ref,
            title=r.subject,
            owners=(CHIEF_CONSTABLE,),
            due=r.response_due,
            days_overdue=(as_at - r.response_due).days,
            status=REQUEST_STATES["overdue"],
            url=r.get_absolute_url(),
        )
        for r in rows
    ]


OVERDUE_REQUESTS_QUERY = QuerySource(
    rows=_overdue_request_rows, items=_overdue_request_items, owner_label=CHIEF_CONSTABLE, other_plan=NO_PLAN
)


def request_counts(*, as_at: date | None = None) -> dict[str, int]:
    counts = dict.fromkeys(REQUEST_STATES, 0)
    for row in request_rows(as_at=as_at).order_by().values("at_state").annotate(n=Count("id")):
        counts[row["at_state"]] = row["n"]
    return counts


# --- Panels on delivery's pages ----------------------------------------------------------------


def activity_panel(request, activity) -> dict | None:
    """Meetings and actions linked to an activity (or to its commitment), drafts hidden from those who
    may not see them. Three queries, whatever the number of rows."""
    user = request.user
    links = Q(activity=activity) | Q(commitment_id=activity.commitment_id)
    meetings = list(
        visible_meetings(user=user)
        .filter(Q(agenda_items__activity=activity) | Q(agenda_items__commitment_id=activity.commitment_id))
        .select_related("oversight_body")
        .distinct()
        .order_by("-held_on", "-id")
    )
    actions = list(
        visible_actions(user=user)
        .filter(links)
        .select_related("meeting")
        .prefetch_related("owners")
        .order_by("at_due", "id")
    )
    if not meetings and not actions:
        return None
    return {"meetings": meetings, "actions": actions, "today": today()}


# --- The panel report ------------------------------------------------------------------------


@dataclass
class PanelMeeting:
    meeting: Meeting
    findings: list[Finding]


@dataclass
class PanelReport:
    start: date
    end: date
    as_at: date
    meetings: list[PanelMeeting] = field(default_factory=list)
    requests: list[WrittenRequest] = field(default_factory=list)


def panel_report(*, start: date, end: date, as_at: date | None = None) -> PanelReport:
    """Meetings held between two dates (approved or published only: a report goes to the panel), each
    with its findings marked for the panel, and the written requests sent in the same dates with
    their state as at `as_at` (today by default)."""
    day = as_at or today()
    meetings = (
        Meeting.objects.filter(_not_draft(), held_on__gte=start, held_on__lte=end)
        .prefetch_related(
            Prefetch("findings", queryset=Finding.objects.filter(for_panel=True).order_by("position", "id"))
        )
        .order_by("held_on", "id")
    )
    requests = request_rows(as_at=day).filter(sent_on__gte=start, sent_on__lte=end).order_by("sent_on", "id")
    return PanelReport(
        start=start,
        end=end,
        as_at=day,
        meetings=[PanelMeeting(m, list(m.findings.all())) for m in meetings],
        requests=list(requests),
    )
