"""View pieces every app shares."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from core.exports import SafeTableExport
from core.filters import AuditFilter
from core.jobs import can_retry
from core.roles import ensure_can_see_audit_log
from core.selectors import audit_entries
from core.tables import AuditTable


class JobPollingMixin:
    """A job's page whose status block polls itself (htmx, `?part=status`) while the job is waiting or
    running, then asks the browser to reload the whole page once it has finished. The status block
    is `core/_job_status.html`; the page names the job in its context as `object_name`. A stuck job
    (its worker lost, or never sent) offers "Try again" to its owner and editors: a POST to
    `retry_url_name`."""

    status_template = "core/_job_status.html"
    object_name = "job"
    retry_url_name = ""

    def polling(self) -> bool:
        return bool(self.request.htmx) and self.request.GET.get("part") == "status"

    def get_template_names(self) -> list[str]:
        return [self.status_template] if self.polling() else [self.template_name]

    def render_to_response(self, context: dict[str, Any], **kwargs: Any):
        context["job"] = context[self.object_name]
        context["job_done_template"] = getattr(self, "done_template", "")
        job = context["job"]
        if self.retry_url_name and job.is_stuck and can_retry(self.request.user, job):
            context["job_retry_url"] = reverse(self.retry_url_name, args=[job.pk])
        response = super().render_to_response(context, **kwargs)
        if self.polling() and not context["job"].is_active:
            response["HX-Refresh"] = "true"  # finished: show the whole page, with its results
        return response


@login_not_required
def accessibility_statement(request):
    """Anyone may read it, signed in or not (a public-sector duty)."""
    return render(request, "core/accessibility.html", {"contact": settings.ACCESSIBILITY_CONTACT})


@login_not_required
def privacy_notice(request):
    return render(request, "core/privacy.html", {"contact": settings.PRIVACY_CONTACT})


class AuditLogView(ExportMixin, SingleTableMixin, FilterView):
    """The site-wide audit trail: filter by who, what was done, kind of record, the record's name and
    dates; page through it; download it as CSV or Excel (formulas neutralised). Read-only: there is
    nothing on this page, or anywhere, that changes an entry."""

    table_class = AuditTable
    filterset_class = AuditFilter
    template_name = "core/audit/log.html"
    export_formats = ("csv", "xlsx")
    export_class = SafeTableExport

    def dispatch(self, request, *args, **kwargs):
        ensure_can_see_audit_log(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return audit_entries()

    def get_table_pagination(self, table):
        return {"per_page": settings.TRACKER_PAGE_SIZE}

    def get_export_filename(self, export_format):
        return f"audit-log-{timezone.localdate().isoformat()}.{export_format}"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("_export", None)
        ctx["querystring"] = query.urlencode()
        return ctx
