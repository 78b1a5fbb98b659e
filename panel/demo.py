"""Demo panel reports, added by `seed_demo` after the plan, the meetings and the KPIs (a registered demo
step): a few progress updates of the last complete quarter marked "for the panel", that quarter's
report approved with its pack generated in this process, and the current quarter's report drafted.
Deterministic; a second run changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model

from delivery import services as delivery_services
from delivery.models import Plan, ProgressUpdate

from . import services
from .models import PanelReport

PER_OBJECTIVE = 2  # updates marked for the panel under each objective


def quarter_end(day: date) -> date:
    """The last day of the latest quarter (Jan–Mar, Apr–Jun, …) that ended before `day`."""
    first_of_quarter = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return first_of_quarter - timedelta(days=1)


def seed_panel(*, plan: Plan, today: date) -> bool:
    """Add the demo panel reports unless the plan has some already."""
    if PanelReport.objects.filter(plan=plan).exists():
        return False
    editor = get_user_model().objects.filter(username="editor").first()
    if editor is None:
        return False
    as_at = quarter_end(today)
    period_from = quarter_end(as_at)
    mark_for_panel(plan=plan, by=editor, after=period_from, up_to=as_at)
    approved = services.report_create(
        by=editor, plan=plan, period_from=period_from, as_at=as_at,
        meeting_on=as_at + timedelta(days=35),
        meeting_title=f"Police and Crime Panel, {as_at + timedelta(days=35):%-d %B %Y}",
    )  # fmt: skip
    services.pack_generate_now(by=editor, report=approved)
    services.report_approve(by=editor, report=approved)
    if as_at < today - timedelta(days=1):
        mark_for_panel(plan=plan, by=editor, after=as_at, up_to=today)
        meeting_on = quarter_end(today + timedelta(days=130)) + timedelta(days=35)
        services.report_create(
            by=editor, plan=plan, period_from=as_at, as_at=today, meeting_on=meeting_on,
            meeting_title=f"Police and Crime Panel, {meeting_on:%-d %B %Y}",
        )  # fmt: skip
    return True


def mark_for_panel(*, plan: Plan, by, after: date, up_to: date) -> int:
    """Mark the first few updates with text in the period, under each objective, for the panel."""
    updates = (
        ProgressUpdate.objects.filter(
            activity__commitment__plan=plan, activity__publish=True, activity__commitment__publish=True,
            on__gt=after, on__lte=up_to, text__gt="",
        )
        .select_related("activity__commitment")
        .order_by("activity__commitment__objective__order", "on", "id")
    )  # fmt: skip
    taken: dict[int, int] = {}
    for u in updates:
        objective = u.activity.commitment.objective_id
        if taken.get(objective, 0) >= PER_OBJECTIVE:
            continue
        delivery_services.progress_update_set_for_panel(update=u, by=by, for_panel=True)
        taken[objective] = taken.get(objective, 0) + 1
    return sum(taken.values())
