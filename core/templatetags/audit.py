"""{% audit_history obj %}: the object's own audit trail, for those who may see it (core.roles)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from core.roles import can_see_audit_history, can_see_audit_log
from core.selectors import HISTORY_LIMIT, audit_history
from core.tables import field_label, shown_value

register = template.Library()


@register.inclusion_tag("core/audit/_history.html", takes_context=True)
def audit_history_panel(context, obj) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if obj is None or not can_see_audit_history(user):
        return {"hidden": True}
    log_url = ""
    if can_see_audit_log(user):
        query = urlencode({"model": obj._meta.label_lower, "object_id": obj.pk})
        log_url = f"{reverse('audit-log')}?{query}"
    return {"entries": audit_history(obj), "limit": HISTORY_LIMIT, "log_url": log_url}


@register.filter
def audit_field(name: str) -> str:
    return field_label(name)


@register.filter
def audit_value(value) -> str:
    return shown_value(value)
