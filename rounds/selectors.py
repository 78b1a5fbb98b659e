"""Every read the round pages, emails and reminders need, with fixed query counts."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from delivery.importers.native import native_workbook
from delivery.models import Activity, Plan

from .models import RoundItem, RoundRequest, UpdateRound

UPDATED = ~Q(state=RoundItem.State.AWAITING)
ITEMS_UPDATED = ~Q(items__state=RoundItem.State.AWAITING)


def rounds() -> QuerySet[UpdateRound]:
    return UpdateRound.objects.select_related("plan").annotate(
        owners=Count("requests", distinct=True),
        activities=Count("requests__items__activity", distinct=True),
        updated=Count(
            "requests__items__activity",
            filter=Q(requests__items__state__in=["submitted", "returned", "approved"]),
            distinct=True,
        ),
    )


def round_detail(*, pk: int) -> UpdateRound:
    return get_object_or_404(
        UpdateRound.objects.select_related("plan", "opened_by", "closed_by").prefetch_related(
            "objectives", "commitments"
        ),
        pk=pk,
    )


def round_totals(*, rnd: UpdateRound) -> dict[str, int]:
    """Activities in the round (each once, however many owners) and how many have an update."""
    items = RoundItem.objects.filter(request__round=rnd)
    counts = items.aggregate(
        total=Count("activity", distinct=True),
        updated=Count("activity", filter=UPDATED, distinct=True),
        submitted=Count("activity", filter=Q(state=RoundItem.State.SUBMITTED), distinct=True),
        returned=Count("activity", filter=Q(state=RoundItem.State.RETURNED), distinct=True),
        approved=Count("activity", filter=Q(state=RoundItem.State.APPROVED), distinct=True),
    )
    counts["percent"] = round(100 * counts["updated"] / counts["total"]) if counts["total"] else 0
    return counts


def round_owner_progress(*, rnd: UpdateRound) -> QuerySet[RoundRequest]:
    """Per owner: activities, how many updated, and whether they have a login to be sent to."""
    return (
        RoundRequest.objects.filter(round=rnd)
        .select_related("owner", "user", "round")
        .annotate(
            total=Count("items"),
            updated=Count("items", filter=ITEMS_UPDATED),
            returned=Count("items", filter=Q(items__state=RoundItem.State.RETURNED)),
        )
        .order_by("owner__name")
    )


def round_objective_progress(*, rnd: UpdateRound) -> list[dict]:
    """Per objective, in plan order: activities in the round and how many are updated."""
    rows = (
        RoundItem.objects.filter(request__round=rnd)
        .values("activity__commitment__objective__order", "activity__commitment__objective__title")
        .annotate(total=Count("activity", distinct=True), updated=Count("activity", filter=UPDATED, distinct=True))
        .order_by("activity__commitment__objective__order")
    )
    return [
        {
            "title": r["activity__commitment__objective__title"],
            "total": r["total"],
            "updated": r["updated"],
            "not_yet": r["total"] - r["updated"],
            "percent": round(100 * r["updated"] / r["total"]) if r["total"] else 0,
        }
        for r in rows
    ]


def round_items(*, rnd: UpdateRound, state: str = "") -> QuerySet[RoundItem]:
    qs = RoundItem.objects.filter(request__round=rnd).select_related(
        "activity__commitment", "request__owner", "update", "reviewed_by"
    )
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("activity__commitment__ref_key", "activity__sub_ref_key", "activity_id", "request__owner__name")


def item_detail(*, pk: int) -> RoundItem:
    return get_object_or_404(RoundItem.objects.select_related("request__round", "activity"), pk=pk)


def request_detail(*, pk: int) -> RoundRequest:
    return get_object_or_404(RoundRequest.objects.select_related("round__plan", "owner", "user"), pk=pk)


def request_items(*, request: RoundRequest) -> QuerySet[RoundItem]:
    return (
        RoundItem.objects.filter(request=request)
        .select_related("activity__commitment", "update", "reviewed_by")
        .order_by("activity__commitment__ref_key", "activity__position", "activity__sub_ref_key")
    )


def requests_for_user(*, user) -> QuerySet[RoundRequest]:
    """The signed-in person's requests in open rounds (through the owner names linked to them)."""
    return (
        RoundRequest.objects.filter(owner__user=user, round__state=UpdateRound.State.OPEN)
        .select_related("round__plan", "owner")
        .annotate(total=Count("items"), updated=Count("items", filter=ITEMS_UPDATED))
        .order_by("round__deadline", "owner__name")
    )


def outstanding_items(*, rnd: UpdateRound) -> QuerySet[RoundItem]:
    """Items still awaiting an update (or returned) whose owner has a login: who reminders go to."""
    return (
        RoundItem.objects.filter(
            request__round=rnd,
            request__user__isnull=False,
            state__in=[RoundItem.State.AWAITING, RoundItem.State.RETURNED],
        )
        .select_related("request__user", "activity__commitment")
        .order_by("request__user_id", "activity__commitment__ref_key", "activity__sub_ref_key")
    )


def activity_round_items(*, activity: Activity) -> list[RoundItem]:
    """The activity's items in open rounds that were returned, with their comments (activity page panel)."""
    return list(
        RoundItem.objects.filter(
            activity=activity, request__round__state=UpdateRound.State.OPEN, state=RoundItem.State.RETURNED
        )
        .select_related("request__round", "reviewed_by")
        .order_by("request__round_id")
        .distinct()
    )


def last_closed_as_at(plan: Plan) -> date | None:
    """The as-at date of the plan's most recently closed round: the next Appendix 1's default."""
    return (
        UpdateRound.objects.filter(plan=plan, state=UpdateRound.State.CLOSED)
        .order_by("-closed_at", "-id")
        .values_list("as_at", flat=True)
        .first()
    )


def workbook_filename(request: RoundRequest) -> str:
    from django.utils.text import slugify

    return f"update-round-{request.round_id}-{slugify(request.owner.name) or 'owner'}.xlsx"


def request_workbook(*, request: RoundRequest) -> bytes:
    """The owner's workbook for the round: just their activities, in the plan's own layout, ready to
    upload back."""
    ids = list(request.items.values_list("activity_id", flat=True))
    return native_workbook(plan=request.round.plan, activity_ids=ids, round_title=request.round.title)


def activity_panel(request, activity: Activity) -> dict | None:
    """The activity page's panel: returned updates in open rounds, with the editor's comment."""
    items = list({i.request.round_id: i for i in activity_round_items(activity=activity)}.values())
    return {"items": items} if items else None
