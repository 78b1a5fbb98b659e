"""Every read the API makes. Each endpoint's rows come from the owning app's selectors (so the API sees
exactly what the pages see, drafts included or not), shaped with select_related/prefetch_related so a
page of 10 rows and a page of 500 take the same number of queries, in a fixed order."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, QuerySet

from core.roles import ensure_can_read
from delivery import selectors as delivery_selectors
from delivery.models import Activity, Commitment, Objective, Owner, Plan, ProgressUpdate
from kpis.models import Area, Measure, Observation
from meetings import selectors as meetings_selectors
from meetings.models import Action, Meeting

from .models import ApiToken

# --- Tokens ---------------------------------------------------------------------------------------


def tokens_with_prefix(prefix: str) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(prefix=prefix).select_related("user")


def tokens_of(*, user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at", "-id")


def token_of(*, user, pk: int) -> ApiToken:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(ApiToken, pk=pk, user=user)


# --- Delivery plans -------------------------------------------------------------------------------


def plans(*, user) -> QuerySet[Plan]:
    ensure_can_read(user)
    return Plan.objects.order_by("name", "id")


def objectives(*, user) -> QuerySet[Objective]:
    ensure_can_read(user)
    return Objective.objects.select_related("plan").order_by("plan__name", "order", "id")


def commitments(*, user) -> QuerySet[Commitment]:
    ensure_can_read(user)
    return Commitment.objects.select_related("plan", "objective", "section").order_by(
        "plan__name", "objective__order", "ref_key", "id"
    )


def activities(*, user, as_at: date | None = None) -> QuerySet[Activity]:
    """Activities as at a date (today when None): the state the progress updates give on that date,
    leaving out activities added after it, through delivery's one as-at selector."""
    ensure_can_read(user)
    return (
        delivery_selectors.activities_as_at(as_at=as_at)
        .select_related("commitment__plan", "commitment__objective", "commitment__section")
        .prefetch_related(Prefetch("owners", queryset=Owner.objects.order_by("name")))
        .order_by("commitment__plan__name", *delivery_selectors.PLAN_ORDER)
    )


def progress_updates(*, user) -> QuerySet[ProgressUpdate]:
    ensure_can_read(user)
    return ProgressUpdate.objects.select_related("activity__commitment__plan", "author").order_by("on", "id")


# --- KPIs -----------------------------------------------------------------------------------------


def measures(*, user) -> QuerySet[Measure]:
    ensure_can_read(user)
    return (
        Measure.objects.select_related("owner")
        .prefetch_related(
            Prefetch("objectives", queryset=Objective.objects.order_by("id")),
            Prefetch("commitments", queryset=Commitment.objects.order_by("id")),
        )
        .order_by("name", "id")
    )


def areas(*, user) -> QuerySet[Area]:
    ensure_can_read(user)
    return Area.objects.select_related("parent").order_by("parent_id", "order", "name", "id")


def observations(*, user) -> QuerySet[Observation]:
    ensure_can_read(user)
    return Observation.objects.select_related("measure", "area").order_by(
        "measure__name", "area__name", "period_kind", "period_start", "id"
    )


# --- Holding-to-account meetings (drafts only for those the pages show them to) ----------------------


def meetings(*, user) -> QuerySet[Meeting]:
    """Published meetings; every state for a token whose user may see drafts. Narrower than the pages,
    which show staff approved meetings before publication: what leaves by the API is what is public."""
    qs = meetings_selectors.visible_meetings(user=user)
    if not meetings_selectors.can_see_drafts(user):
        qs = qs.filter(state=Meeting.State.PUBLISHED)
    return qs.select_related("oversight_body").order_by("-held_on", "-id")


def actions(*, user) -> QuerySet[Action]:
    """Actions of the meetings the token sees (published ones, or every one for those who see drafts)."""
    qs = meetings_selectors.visible_actions(user=user)
    if not meetings_selectors.can_see_drafts(user):
        qs = qs.filter(meeting__state=Meeting.State.PUBLISHED)
    return (
        qs.select_related("meeting", "activity__commitment", "commitment")
        .prefetch_related(Prefetch("owners", queryset=Owner.objects.order_by("name")))
        .order_by("due_date", "id")
    )
