"""Writes for Appendix 1 extracts: requesting them and generating their files."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from core import audit
from core.dates import today
from core.jobs import enqueue_on_commit, job_try_again, run_job
from core.roles import ensure_can_read

from ..extracts import render_extract
from ..extracts.rows import extract_rows
from ..models import Extract, Objective, Plan, job_file_path


@transaction.atomic
def extract_request(
    *,
    by,
    plan: Plan,
    as_at: date,
    formats: Sequence[str],
    columns: Sequence[str] | None = None,
    objectives: Sequence[Objective] = (),
    include_complete: bool = False,
    changed_since: date | None = None,
    title: str = "",
    subtitle: str = "",
) -> list[Extract]:
    """Record one extract per format and queue their generation (after this transaction commits)."""
    ensure_can_read(by)
    columns = list(columns or Extract.COLUMNS)
    errors: dict[str, str] = {}
    if as_at > today():
        errors["as_at"] = "An extract cannot be as at a future date."
    unknown = [c for c in columns if c not in Extract.COLUMNS]
    if unknown or not columns:
        errors["columns"] = "Choose at least one column from the list."
    bad_formats = [f for f in formats if f not in Extract.Format.values]
    if bad_formats or not formats:
        errors["formats"] = "Choose Word, Excel, PDF or CSV."
    foreign = [o.title for o in objectives if o.plan_id != plan.pk]
    if foreign:
        errors["objectives"] = f"These objectives belong to another plan: {', '.join(foreign)}."
    if changed_since and changed_since >= as_at:
        errors["changed_since"] = "“Changed since” must be before the as-at date."
    if errors:
        raise ValidationError(errors)
    # Keep the columns in Appendix 1's order whatever order they were ticked in.
    columns = [c for c in Extract.COLUMNS if c in columns]
    title = title.strip() or "Appendix 1 – Delivery Plan Extract"
    subtitle = subtitle.strip() or f"{plan.name}: position as at {as_at:%-d %B %Y}"
    extracts = []
    for fmt in dict.fromkeys(formats):
        extract = Extract.objects.create(
            plan=plan,
            as_at=as_at,
            columns=columns,
            include_complete=include_complete,
            changed_since=changed_since,
            title=title,
            subtitle=subtitle,
            format=fmt,
            created_by=by,
        )
        extract.objectives.set(objectives)
        extracts.append(extract)

    for e in extracts:
        enqueue_on_commit("delivery.tasks.generate_extract", e.pk, job=e)
    return extracts


def extract_try_again(*, extract: Extract, by) -> Extract:
    """'Try again' on an extract whose worker was lost or that could not be sent to one."""
    return job_try_again(job=extract, by=by)


def extract_generate(*, extract_id: int) -> Extract | None:
    """Build the rows as at the date, render the file and keep it with its checksum and summary (task).

    Safe to run twice (a task delivered again after a worker crash): only a waiting extract is run.
    """
    return run_job(Extract, extract_id, _generate, start=Extract.QUEUED, running=Extract.State.RUNNING)


def _generate(extract: Extract, report) -> dict:
    data = extract_rows(
        plan=extract.plan,
        as_at=extract.as_at,
        columns=extract.columns,
        title=extract.title,
        subtitle=extract.subtitle,
        objectives=list(extract.objectives.all()),
        include_complete=extract.include_complete,
        changed_since=extract.changed_since,
    )
    report(10, "Laying out the document")
    blob = render_extract(data, extract.format, lambda p: report(10 + int(p * 0.85)))
    name = default_storage.save(job_file_path(extract, extract.filename), ContentFile(blob))
    audit.record(
        audit.Action.EXTRACT,
        obj=extract,
        object_repr=extract.filename,
        detail={
            "file": extract.filename,
            "plan": extract.plan.name,
            "as_at": extract.as_at.isoformat(),
            "format": extract.format,
            "rows": data.row_count,
            "withheld": data.withheld,
        },
    )
    return {
        "state": Extract.State.DONE,
        "file": name,
        "checksum": hashlib.sha256(blob).hexdigest(),
        "content_hash": data.content_hash(),
        "row_count": data.row_count,
        "withheld": data.withheld,
        "summary": _extract_summary(extract, data),
    }


def _extract_summary(extract: Extract, data) -> dict:
    """RAG counts per objective, and the change since the previous finished extract of the plan."""
    keys = ("R", "A", "G", "B", "")
    counts = {title: {k: c.get(k, 0) for k in keys} for title, c in data.rag_counts().items()}
    totals = {k: sum(c[k] for c in counts.values()) for k in keys}
    previous = (
        Extract.objects.filter(plan=extract.plan, state=Extract.State.DONE, as_at__lt=extract.as_at)
        .exclude(pk=extract.pk)
        .order_by("-as_at", "-created_at")
        .first()
    )
    summary = {"counts": counts, "totals": totals, "excluded_complete": data.excluded_complete, "previous": None}
    if previous and previous.summary.get("totals"):
        before = previous.summary["totals"]
        summary["previous"] = {
            "id": previous.pk,
            "as_at": previous.as_at.isoformat(),
            "totals": before,
            "change": {k: totals[k] - before.get(k, 0) for k in keys},
        }
    return summary
