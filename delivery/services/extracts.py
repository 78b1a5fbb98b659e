"""Writes for Appendix 1 extracts: requesting them and generating their files."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from core.dates import today
from core.roles import ensure_can_read

from ..models import (
    Extract,
    Objective,
    Plan,
)


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

    def enqueue() -> None:
        from ..tasks import generate_extract

        for e in extracts:
            generate_extract.delay(e.pk)

    transaction.on_commit(enqueue)
    return extracts


def extract_generate(*, extract_id: int, progress=None) -> Extract:
    """Build the rows, render the file and keep it with its checksum and summary.

    Safe to run twice (a task redelivered after a worker crash): a finished extract is left alone.
    """
    from ..extracts import render_extract
    from ..extracts.rows import extract_rows

    extract = Extract.objects.select_related("plan").get(pk=extract_id)
    if extract.state == Extract.State.DONE:
        return extract

    def report(percent: int) -> None:
        Extract.objects.filter(pk=extract_id).update(progress=min(99, max(0, percent)))
        if progress:
            progress(percent)

    Extract.objects.filter(pk=extract_id).update(state=Extract.State.RUNNING, progress=1, error="")
    try:
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
        report(10)
        blob = render_extract(data, extract.format, lambda p: report(10 + int(p * 0.85)))
    except Exception as exc:  # the officer sees a message; the log keeps the detail
        import logging

        logging.getLogger(__name__).exception("Extract %s failed", extract_id)
        Extract.objects.filter(pk=extract_id).update(
            state=Extract.State.FAILED, error=f"The extract could not be generated ({exc.__class__.__name__})."
        )
        raise
    with transaction.atomic():
        extract = Extract.objects.select_for_update().get(pk=extract_id)
        if extract.state == Extract.State.DONE:
            return extract
        extract.file.save(extract.filename, ContentFile(blob), save=False)
        extract.checksum = hashlib.sha256(blob).hexdigest()
        extract.content_hash = data.content_hash()
        extract.row_count = data.row_count
        extract.withheld = data.withheld
        extract.summary = _extract_summary(extract, data)
        extract.state = Extract.State.DONE
        extract.progress = 100
        extract.save()
    return extract


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
