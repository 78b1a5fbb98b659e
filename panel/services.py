"""Every write to panel reports: creating one (its sections drafted from the data), editing a
section, generating the agenda pack (a job), approving (which freezes the pack). Keyword-only
arguments, one transaction each, permission checked inside."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from core import audit
from core.dates import today
from core.jobs import enqueue_on_commit, job_try_again, run_job
from core.roles import can_edit_plans, ensure_can_edit_plans
from delivery.extracts import render_extract
from delivery.extracts.rows import extract_rows
from delivery.models import Extract, Plan
from kpis.documents import render_performance_report, render_summary

from . import drafting, selectors
from .documents import Cover, CoverSection, render_docx, render_pdf
from .models import PanelPack, PanelReport, PanelSection

APPROVED = "This report is approved: its sections and its pack are frozen."
K = PanelSection.Key


def draft_sections(*, plan: Plan, period_from: date, as_at: date) -> dict[str, drafting.Draft]:
    """Every section drafted from the data as it stands, keyed by section."""
    objectives, moves = selectors.delivery_data(plan=plan, period_from=period_from, as_at=as_at)
    _, meetings, requests = selectors.holding_data(period_from=period_from, as_at=as_at)
    period, _, measures = selectors.performance_data(as_at=as_at)
    return {
        K.RECOMMENDATION: drafting.draft_recommendation(),
        K.BACKGROUND: drafting.draft_background(plan=plan.name, period_from=period_from, as_at=as_at),
        K.DELIVERY: drafting.draft_delivery(
            plan=plan.name, period_from=period_from, as_at=as_at, objectives=objectives, moves=moves
        ),
        K.EXAMPLES: drafting.draft_examples(
            period_from=period_from,
            as_at=as_at,
            examples=selectors.examples(plan=plan, period_from=period_from, as_at=as_at),
        ),
        K.HOLDING: drafting.draft_holding(period_from=period_from, as_at=as_at, meetings=meetings, requests=requests),
        K.PERFORMANCE: drafting.draft_performance(period=period.label(), measures=measures),
    }


def _check_dates(*, period_from: date, as_at: date) -> None:
    errors = {}
    if as_at > today():
        errors["as_at"] = "A report cannot be as at a future date."
    if period_from >= as_at:
        errors["period_from"] = "The period must start before the as-at date."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def report_create(
    *,
    by,
    plan: Plan,
    period_from: date,
    as_at: date,
    meeting_on: date,
    meeting_title: str,
    appendix_columns: list[str] | None = None,
) -> PanelReport:
    """A draft report with every section drafted from the data."""
    ensure_can_edit_plans(by)
    _check_dates(period_from=period_from, as_at=as_at)
    if not meeting_title.strip():
        raise ValidationError({"meeting_title": "Give the panel meeting's title."})
    columns = appendix_columns or selectors.appendix_default_columns(plan=plan, as_at=as_at)
    unknown = [c for c in columns if c not in Extract.COLUMNS]
    if unknown:
        raise ValidationError({"appendix_columns": "Choose columns from the list."})
    report = PanelReport.objects.create(
        plan=plan,
        period_from=period_from,
        as_at=as_at,
        meeting_on=meeting_on,
        meeting_title=meeting_title.strip(),
        appendix_columns=[c for c in Extract.COLUMNS if c in columns],
        created_by=by,
    )
    drafts = draft_sections(plan=plan, period_from=period_from, as_at=as_at)
    sections = PanelSection.objects.bulk_create(
        PanelSection(
            report=report, key=key, order=i, title=K(key).label, drafted=d.text, text=d.text, sources=d.sources
        )
        for i, (key, d) in enumerate(drafts.items(), start=1)
    )
    audit.record_many(audit.created_entry(s) for s in sections)  # bulk_create fires no signals
    return report


@transaction.atomic
def section_edit(*, by, section: PanelSection, text: str) -> PanelSection:
    ensure_can_edit_plans(by)
    locked = PanelSection.objects.select_for_update().select_related("report").get(pk=section.pk)
    if locked.report.is_approved:
        raise ValidationError(APPROVED)
    locked.text = text.replace("\r\n", "\n").strip()
    locked.edited_by = by
    locked.edited_at = timezone.now()
    locked.save(update_fields=["text", "edited_by", "edited_at"])
    return locked


@transaction.atomic
def section_redraft(*, by, section: PanelSection) -> PanelSection:
    """Draft the section again from the data as it stands now (the edited text is replaced)."""
    ensure_can_edit_plans(by)
    locked = PanelSection.objects.select_for_update().select_related("report__plan").get(pk=section.pk)
    r = locked.report
    if r.is_approved:
        raise ValidationError(APPROVED)
    draft = draft_sections(plan=r.plan, period_from=r.period_from, as_at=r.as_at)[locked.key]
    locked.drafted = locked.text = draft.text
    locked.sources = draft.sources
    locked.edited_by, locked.edited_at = None, None
    locked.save()
    return locked


def snapshot(report: PanelReport) -> dict[str, Any]:
    return {
        "period_from": report.period_from.isoformat(),
        "as_at": report.as_at.isoformat(),
        "appendix_columns": list(report.appendix_columns),
        "sections": {s.key: s.text for s in report.sections.order_by("order")},
    }


@transaction.atomic
def pack_request(*, by, report: PanelReport) -> PanelPack:
    """One click: queue the job that generates the whole pack."""
    ensure_can_edit_plans(by)
    if PanelReport.objects.select_for_update().get(pk=report.pk).is_approved:
        raise ValidationError(APPROVED)
    pack = PanelPack.objects.create(report=report, created_by=by)
    enqueue_on_commit("panel.tasks.generate_pack", pack.pk, job=pack)
    return pack


def pack_try_again(*, pack: PanelPack, by) -> PanelPack:
    return job_try_again(job=pack, by=by)


def pack_generate(*, pack_id: int) -> PanelPack | None:
    return run_job(PanelPack, pack_id, _generate, start=PanelPack.QUEUED, running=PanelPack.State.RUNNING)


def pack_filename(report: PanelReport, stem: str, fmt: str) -> str:
    return f"{stem}-{report.plan.slug}-as-at-{report.as_at.isoformat()}.{fmt}"


def _generate(pack: PanelPack, report_progress) -> dict:
    report = PanelReport.objects.select_related("plan").get(pk=pack.report_id)
    sections = list(report.sections.order_by("order"))
    files: list[dict] = []

    def keep(name: str, label: str, blob: bytes) -> None:
        path = default_storage.save(f"panel-packs/{report.pk}/{pack.pk}/{name}", ContentFile(blob))
        files.append(
            {
                "name": name,
                "label": label,
                "path": path,
                "checksum": hashlib.sha256(blob).hexdigest(),
                "size": len(blob),
            }
        )

    appendix = extract_rows(
        plan=report.plan,
        as_at=report.as_at,
        columns=list(report.appendix_columns) or list(Extract.COLUMNS),
        title="Appendix 1 – Delivery Plan Extract",
        subtitle=report.plan.name,  # the intro line says "Position as at …", once
    )
    period, groups, _ = selectors.performance_data(as_at=report.as_at)
    appendices = [
        f"Appendix 1 – Delivery Plan Extract, position as at {report.as_at:%-d %B %Y}",
        f"Appendix 2 – Performance summary, {period.label()}",
        f"Appendix 3 – Full performance report, {period.label()}",
    ]
    previous = selectors.last_approved_pack(report=report)
    if previous is not None and previous.pk == pack.pk:
        previous = None
    since = (
        selectors.changes_between(plan=report.plan, since=previous.report.as_at, as_at=report.as_at)
        if previous is not None and previous.report.as_at < report.as_at
        else []
    )
    cover_sections = [CoverSection(s.title, s.text) for s in sections]
    if since:
        heading = f"Changes since the approved pack as at {previous.report.as_at:%-d %B %Y}"
        cover_sections.append(CoverSection(heading, "\n".join(f"- {line}" for line in since)))
    cover = Cover(
        title=f"Activity and performance monitoring report: {report.meeting_title}",
        subtitle=f"{report.plan.name} · {report.period_from:%-d %B %Y} to {report.as_at:%-d %B %Y} · "
        f"panel meeting {report.meeting_on:%-d %B %Y}",
        as_at=report.as_at,
        sections=cover_sections,
        appendices=appendices,
    )  # no "draft" line: approval freezes these very files, so what was checked is what the panel gets
    report_progress(5, "Writing the covering report (Word)")
    keep(pack_filename(report, "covering-report", "docx"), "Covering report (Word)", render_docx(cover))
    report_progress(20, "Writing the covering report (PDF)")
    keep(pack_filename(report, "covering-report", "pdf"), "Covering report (tagged PDF)", render_pdf(cover))
    report_progress(40, "Writing Appendix 1 (Word)")
    keep(pack_filename(report, "appendix-1", "docx"), "Appendix 1 (Word)", render_extract(appendix, "docx"))
    report_progress(60, "Writing Appendix 1 (Excel)")
    keep(pack_filename(report, "appendix-1", "xlsx"), "Appendix 1 (Excel)", render_extract(appendix, "xlsx"))
    report_progress(70, "Writing the performance summary")
    keep(
        pack_filename(report, "appendix-2-performance-summary", "docx"),
        "Appendix 2 – Performance summary (Word)",
        render_summary(groups, period=period, as_at=report.as_at, fmt="docx"),
    )
    report_progress(85, "Writing the full performance report")
    keep(
        pack_filename(report, "appendix-3-full-performance-report", "docx"),
        "Appendix 3 – Full performance report (Word)",
        render_performance_report(
            selectors.performance_report(period=period, as_at=report.as_at), period=period, as_at=report.as_at
        ),
    )
    shot = snapshot(report)
    return {
        "state": PanelPack.State.DONE,
        "files": files,
        "snapshot": shot,
        "changes": changes_since(previous, shot, files, since) if previous else [],
    }


def changes_since(previous: PanelPack, shot: dict, files: list[dict], data: list[str] | None = None) -> list[str]:
    """What changed since the last approved pack, in plain lines: the data (RAG moves, new activities,
    updates since), then the report (as-at date, sections) and the files."""
    before = previous.snapshot or {}
    approved = previous.report
    lines = [
        f"Compared with the pack approved for {approved.meeting_title} (as at {approved.as_at:%d/%m/%Y}).",
        *(data or []),
    ]
    if before.get("as_at") != shot["as_at"]:
        lines.append(f"As-at date: {before.get('as_at')} → {shot['as_at']}.")
    for key, text in shot["sections"].items():
        if before.get("sections", {}).get(key) != text:
            lines.append(f"{K(key).label}: changed.")
    old = {f["label"]: f["checksum"] for f in previous.files}
    for f in files:
        if old.get(f["label"]) != f["checksum"]:
            lines.append(f"{f['label']}: a different file.")
    return lines


@transaction.atomic
def report_approve(*, by, report: PanelReport) -> PanelReport:
    """Approve the report: its sections and the latest pack (which must be generated from the report
    as it stands) are frozen; that pack's files are the ones sent to the panel."""
    if not can_edit_plans(by):
        raise PermissionDenied("Only editors and administrators approve a panel report.")
    locked = PanelReport.objects.select_for_update().get(pk=report.pk)
    if locked.is_approved:
        raise ValidationError(APPROVED)
    pack = locked.packs.filter(state=PanelPack.State.DONE).order_by("-created_at", "-id").first()
    if pack is None:
        raise ValidationError("Generate the pack before approving the report.")
    if pack.snapshot != snapshot(locked):
        raise ValidationError("The report was edited after the pack was generated: generate the pack again first.")
    PanelPack.objects.filter(pk=pack.pk).update(frozen=True)
    locked.status = PanelReport.Status.APPROVED
    locked.approved_by = by
    locked.approved_at = timezone.now()
    locked.approved_pack = pack
    locked.save(update_fields=["status", "approved_by", "approved_at", "approved_pack"])
    return locked


def pack_generate_now(*, by, report: PanelReport) -> PanelPack:
    """The same pack generated in this process (the command line): no queue, no broker."""
    ensure_can_edit_plans(by)
    if report.is_approved:
        raise ValidationError(APPROVED)
    pack = PanelPack.objects.create(report=report, created_by=by)
    return pack_generate(pack_id=pack.pk)
