"""Reads of core's own data: the audit trail."""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.db.models import QuerySet

from .models import AuditEntry

HISTORY_LIMIT = 50


def audit_entries() -> QuerySet[AuditEntry]:
    """The whole log, newest first. One table, no joins: who is kept as text on each entry."""
    return AuditEntry.objects.order_by("-at", "-id")


def audit_history(obj: models.Model, *, limit: int = HISTORY_LIMIT) -> list[AuditEntry]:
    """One object's entries, newest first (one query)."""
    return list(
        AuditEntry.objects.filter(model_label=obj._meta.label_lower, object_id=str(obj.pk)).order_by("-at", "-id")[
            :limit
        ]
    )


def model_choices(labels: list[str]) -> list[tuple[str, str]]:
    """(label, "Activity") pairs for the models named, by their verbose names, sorted."""
    pairs = []
    for label in labels:
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        pairs.append((label, f"{model._meta.verbose_name.capitalize()} ({model._meta.app_config.verbose_name})"))
    return sorted(pairs, key=lambda p: p[1])
