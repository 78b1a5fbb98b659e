"""Every read the panel report needs: the reports and packs, and the data each section is drafted from
(delivery, meetings, KPIs), shaped into drafting's plain rows. Queries fixed in number."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from core import rag as rag_scale
from delivery.extracts.rows import extract_rows
from delivery.models import Extract, Plan, ProgressUpdate
from delivery.selectors import PLAN_ORDER, activities_as_at, plan_by_name, plans
from kpis import selectors as kpi_selectors
from kpis.periods import Period
from meetings import selectors as meeting_selectors

from . import drafting
from .models import PanelPack, PanelReport, PanelSection


def reports() -> QuerySet[PanelReport]:
    return PanelReport.objects.select_related("plan", "created_by", "approved_by").order_by("-as_at", "-id")


def report_detail(*, pk: int) -> PanelReport:
    return get_object_or_404(PanelReport.objects.select_related("plan", "approved_pack"), pk=pk)


def report_sections(*, report: PanelReport) -> list[PanelSection]:
    return list(report.sections.select_related("edited_by").order_by("order"))


def section_detail(*, pk: int) -> PanelSection:
    return get_object_or_404(PanelSection.objects.select_related("report__plan"), pk=pk)


def report_packs(*, report: PanelReport) -> list[PanelPack]:
    return list(report.packs.select_related("created_by").order_by("-created_at", "-id"))


def pack_library() -> QuerySet[PanelPack]:
    """Every pack of every report, newest first, with what each row shows. Two queries a page."""
    return PanelPack.objects.select_related("report__plan", "created_by").order_by("-created_at", "-id")


def pack_detail(*, pk: int) -> PanelPack:
    return get_object_or_404(PanelPack.objects.select_related("report__plan", "created_by"), pk=pk)


def last_approved_pack(*, report: PanelReport) -> PanelPack | None:
    """The latest frozen pack of an earlier approved report of the same plan (or of this report)."""
    return (
        PanelPack.objects.filter(report__plan=report.plan, frozen=True, report__as_at__lte=report.as_at)
        .select_related("report")
        .order_by("-report__as_at", "-created_at", "-id")
        .first()
    )


# --- What each section is drafted from -------------------------------------------------------------


def delivery_data(*, plan: Plan, period_from: date, as_at: date) -> tuple[list[drafting.ObjectiveCounts], list]:
    """RAG counts per objective as Appendix 1 shows them (complete ones as Blue), and each activity's
    shown RAG at the start of the period and at the as-at date. Six queries."""
    data = extract_rows(plan=plan, as_at=as_at, columns=list(Extract.COLUMNS), title="", include_complete=True)
    objectives = [drafting.ObjectiveCounts(f"{o.order}. {o.title}", dict(o.counts)) for o in data.objectives]
    published = {"commitment__plan": plan, "publish": True, "commitment__publish": True}
    before = dict(activities_as_at(as_at=period_from).filter(**published).values_list("pk", "at_shown_rag"))
    now = activities_as_at(as_at=as_at).filter(**published).values_list("pk", "at_shown_rag")
    moves = [drafting.Move(None if pk not in before else (before[pk] or ""), rag or "") for pk, rag in now]
    return objectives, moves


__all__ = ["plan_by_name", "plans"]


def examples(*, plan: Plan, period_from: date, as_at: date) -> list[drafting.Example]:
    """Progress updates marked for the panel after `period_from` up to `as_at`, in plan order. One query."""
    updates = (
        ProgressUpdate.objects.filter(
            for_panel=True,
            activity__commitment__plan=plan,
            activity__publish=True,
            activity__commitment__publish=True,
            on__gt=period_from,
            on__lte=as_at,
        )
        .select_related("activity__commitment__objective")
        .order_by(*(f"activity__{f}" for f in PLAN_ORDER), "on", "id")
    )
    return [
        drafting.Example(
            objective_order=u.activity.commitment.objective.order,
            objective=u.activity.commitment.objective.title,
            ref=u.activity.full_ref,
            on=u.on,
            text=u.text,
        )
        for u in updates
    ]


def holding_data(*, period_from: date, as_at: date):
    report = meeting_selectors.panel_report(start=period_from + timedelta(days=1), end=as_at, as_at=as_at)
    meetings = [
        drafting.MeetingRow(pm.meeting.held_on, pm.meeting.get_kind_display(), pm.meeting.subject_area,
                            [f.text for f in pm.findings])
        for pm in report.meetings
    ]  # fmt: skip
    requests = [drafting.RequestRow(r.subject, r.sent_on, r.at_state, r.response_due) for r in report.requests]
    return report, meetings, requests


def kpi_period(*, as_at: date) -> Period:
    return kpi_selectors.latest_period(kind="Q", as_at=as_at)


def performance_data(*, as_at: date):
    period = kpi_period(as_at=as_at)
    groups = kpi_selectors.performance_summary(period=period, as_at=as_at)
    rows = []
    for g in groups:
        for r in g.rows:
            a = r.analysis
            value = "" if a.value is None else f"{a.value:,.1f}{'%' if r.measure.unit == 'percentage' else ''}"
            target = a.target_wording or ("" if a.target is None else format(a.target, "g"))
            rows.append(
                drafting.MeasureRow(
                    name=r.measure.name,
                    value=value,
                    target=target,
                    rag=a.rag or "",
                    special_cause=a.variation.label if a.variation.is_special else "",
                )
            )
    return period, groups, rows


def changes_between(*, plan: Plan, since: date, as_at: date) -> list[str]:
    """What changed in the plan's delivery since an earlier as-at date, in plain lines: RAG moves
    (as Appendix 1 shows them), activities new since, and progress updates since. Three queries."""
    published = {"commitment__plan": plan, "publish": True, "commitment__publish": True}
    before = dict(activities_as_at(as_at=since).filter(**published).values_list("pk", "at_shown_rag"))
    now = list(
        activities_as_at(as_at=as_at)
        .filter(**published)
        .order_by(*PLAN_ORDER)
        .values_list("pk", "at_shown_rag", "commitment__ref", "sub_ref")
    )
    moves = Counter((before[pk] or "", rag or "") for pk, rag, _, _ in now if pk in before and before[pk] != rag)
    new = [sub or ref for pk, _, ref, sub in now if pk not in before]
    updates = (
        ProgressUpdate.objects.filter(
            on__gt=since, on__lte=as_at, **{f"activity__{k}": v for k, v in published.items()}
        )
        .exclude(kind=ProgressUpdate.Kind.CREATED)
        .count()
    )
    order = {k: i for i, k in enumerate(rag_scale.ORDER)}
    lines = []
    if moves:
        lines.append(
            f"RAG moves since {since:%d/%m/%Y}: "
            + "; ".join(
                f"{n} {rag_scale.word(a)} → {rag_scale.word(b)}"
                for (a, b), n in sorted(moves.items(), key=lambda m: (order[m[0][1]], order[m[0][0]]))
            )
            + "."
        )
    else:
        lines.append(f"No RAG moves since {since:%d/%m/%Y}.")
    shown = ", ".join(new[:10]) + (f" and {len(new) - 10} more" if len(new) > 10 else "")
    lines.append(f"New activities since then: {len(new)}" + (f" ({shown})." if new else "."))
    lines.append(f"Progress updates since then: {updates}.")
    return lines


def performance_report(*, period: Period, as_at: date) -> list[kpi_selectors.ReportGroup]:
    """The full performance report's measures (Appendix 3)."""
    return kpi_selectors.performance_report(period=period, as_at=as_at)


def appendix_default_columns(*, plan: Plan, as_at: date) -> list[str]:
    """Appendix 1's columns by default: Ref, commitment, activity and RAG always; progress, oversight,
    owners and date only when the plan holds data for them (no empty Owner/s or Date column). Four queries."""
    acts = activities_as_at(as_at=as_at).filter(commitment__plan=plan)
    has = {
        "progress": acts.exclude(at_progress="").exists(),
        "oversight": acts.filter(oversight_bodies__isnull=False).exists(),
        "owners": acts.exclude(owner_text="").exists() or acts.filter(owners__isnull=False).exists(),
        "date": acts.exclude(date_text="").exists() or acts.filter(at_due__isnull=False).exists(),
    }
    return [c for c in Extract.COLUMNS if has.get(c, True)]
