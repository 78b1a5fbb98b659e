"""KPI actions keep no trail of their own, so a change to one is recorded here for "what changed"."""

from __future__ import annotations

from django.db.models.signals import post_save, pre_save

from core import audit

WATCHED = ("text", "owner_id", "due_date", "forum_id", "status")


def _before(sender, instance, **kwargs) -> None:
    if instance.pk:
        instance._notify_before = sender.objects.filter(pk=instance.pk).values(*WATCHED).first()


def _after(sender, instance, created, raw=False, **kwargs) -> None:
    from .models import KpiActionChange

    if raw:
        return
    before = getattr(instance, "_notify_before", None)
    instance._notify_before = None
    if created or before is None:
        changes = {"created": [None, True]}
    else:
        changes = {
            field.removesuffix("_id"): [_plain(before[field]), _plain(getattr(instance, field))]
            for field in WATCHED
            if before[field] != getattr(instance, field)
        }
    if changes:
        by = _acting_user() or (instance.created_by if "created" in changes else None)
        KpiActionChange.objects.create(action=instance, by=by, changes=changes)


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def _acting_user():
    """Who made the change: the user the kpis service is acting for (core.audit.on_behalf_of, set from
    its `by`, so commands and tasks are covered too), else the signed-in user of the request being
    served, or nobody: the same actor the audit trail records."""
    return audit.current_actor()


def connect() -> None:
    from kpis.models import KpiAction

    pre_save.connect(_before, sender=KpiAction, dispatch_uid="notifications.kpi_action.before")
    post_save.connect(_after, sender=KpiAction, dispatch_uid="notifications.kpi_action.after")
