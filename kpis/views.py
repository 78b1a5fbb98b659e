"""KPI pages: catalogue, measure page, performance summary (with its downloads), KPI actions and imports.
Views parse the request, call a selector or service, and render; every read checks the role."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import TemplateView

from core.dates import is_past, today
from core.documents import CONTENT_TYPES
from core.roles import can_edit_plans, ensure_can_edit_plans, ensure_can_read
from core.views import JobPollingMixin

from . import calc, selectors, services
from .charts import chart_data
from .documents import render_summary
from .forms import (
    ActionForm,
    ActionStatusForm,
    CatalogueFilterForm,
    CommentaryForm,
    KpiImportForm,
    MeasureViewForm,
    SummaryPeriodForm,
)


def _as_at(value):
    return value if is_past(value) else None


def catalogue(request: HttpRequest) -> HttpResponse:
    ensure_can_read(request.user)
    form = CatalogueFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    as_at = _as_at(data.get("as_at"))
    area, rows = selectors.catalogue(
        objective_id=data["objective"].pk if data.get("objective") else None,
        frequency=data.get("frequency") or "",
        area=data.get("area"),
        status=data.get("status") or "",
        as_at=as_at,
        q=data.get("q") or "",
    )
    return render(
        request, "kpis/catalogue.html", {"form": form, "area": area, "rows": rows, "as_at": as_at, "rules": calc.RULES}
    )


def measure(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_can_read(request.user)
    m = selectors.measure_detail(pk=pk)
    form = MeasureViewForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    as_at = _as_at(data.get("as_at"))
    page = selectors.measure_page(measure=m, area=data.get("area"), period=data.get("period"), as_at=as_at)
    chart = chart_data(page.analysis, basis=m.basis, unit=m.get_unit_display(), title=f"{m.name} – {page.area or ''}")
    return render(
        request,
        "kpis/measure.html",
        {
            "measure": m,
            "page": page,
            "a": page.analysis,
            "chart": chart,
            "form": form,
            "as_at": as_at,
            "rules": calc.RULES,
            "basis": m.basis,
            "can_edit": can_edit_plans(request.user),
            "action_form": ActionForm(initial={"due_date": today()}),
            "status_form": ActionStatusForm(),
        },
    )


@require_POST
def action_raise(request: HttpRequest, pk: int) -> HttpResponse:
    m = selectors.measure_detail(pk=pk)
    form = ActionForm(request.POST)
    view = MeasureViewForm(request.POST)
    view_data = view.cleaned_data if view.is_valid() else {}
    if form.is_valid():
        try:
            services.kpi_action_raise(
                by=request.user,
                measure=m,
                area=view_data.get("area"),
                period=view_data.get("period"),
                **form.cleaned_data,
            )
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, "The action was raised; it appears in the overdue review once it is overdue.")
    else:
        messages.error(
            request, "The action was not raised: " + "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
        )
    return redirect(m)


@require_POST
def action_status(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_detail(pk=pk)
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        services.kpi_action_set_status(by=request.user, action=action, status=form.cleaned_data["status"])
        messages.success(request, "The action's status was changed.")
    return redirect(action)


def _summary_period(request: HttpRequest):
    form = SummaryPeriodForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    as_at = _as_at(data.get("as_at"))
    period = data.get("period") or selectors.latest_period(kind="Q", as_at=as_at)
    return form, period, as_at


def summary(request: HttpRequest) -> HttpResponse:
    ensure_can_read(request.user)
    form, period, as_at = _summary_period(request)
    groups = selectors.performance_summary(period=period, as_at=as_at)
    return render(
        request,
        "kpis/summary.html",
        {
            "form": form,
            "period": period,
            "period_key": period.key(),
            "groups": groups,
            "as_at": as_at,
            "can_edit": can_edit_plans(request.user) and as_at is None,
            "rules": calc.RULES,
            "formats": ("docx", "xlsx", "pdf"),
        },
    )


@require_POST
def summary_edit(request: HttpRequest, measure_pk: int) -> HttpResponse:
    ensure_can_edit_plans(request.user)
    m = selectors.measure_detail(pk=measure_pk)
    period_form = SummaryPeriodForm(request.POST)
    form = CommentaryForm(request.POST)
    if not period_form.is_valid() or not period_form.cleaned_data.get("period") or not form.is_valid():
        messages.error(request, "Nothing was saved: check the period and the lengths of Data and Commentary.")
        return redirect(reverse("kpis:summary"))
    period = period_form.cleaned_data["period"]
    try:
        saved = services.commentary_save(by=request.user, measure=m, period=period, **form.cleaned_data)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, f"Saved {m.name}." if saved else f"{m.name}: nothing changed.")
    return redirect(f"{reverse('kpis:summary')}?period={period.key()}#measure-{m.pk}")


def summary_download(request: HttpRequest, fmt: str) -> HttpResponse:
    ensure_can_read(request.user)
    if fmt not in ("docx", "xlsx", "pdf", "csv"):
        raise Http404("No such format.")
    _, period, as_at = _summary_period(request)
    day = as_at or today()
    data = render_summary(selectors.performance_summary(period=period, as_at=as_at), period=period, as_at=day, fmt=fmt)
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    name = f"performance-summary-{period.key().replace('/', '-')}-as-at-{day.isoformat()}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Imports ---------------------------------------------------------------------------------------


def import_history(request: HttpRequest) -> HttpResponse:
    ensure_can_read(request.user)
    return render(
        request,
        "kpis/import_history.html",
        {"runs": selectors.kpi_imports()[:100], "can_edit": can_edit_plans(request.user)},
    )


@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    ensure_can_edit_plans(request.user)
    form = KpiImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.kpi_import_upload(
                by=request.user, upload=form.cleaned_data["file"], layout=form.cleaned_data["layout"]
            )
        except ValidationError as e:
            for field, errs in e.message_dict.items() if hasattr(e, "error_dict") else [(None, e.messages)]:
                form.add_error(field if field in form.fields else None, errs)
        else:
            return redirect(run)
    return render(request, "kpis/import_upload.html", {"form": form, "limit_mb": settings.IMPORT_MAX_BYTES // 1048576})


class KpiImportView(JobPollingMixin, TemplateView):
    template_name = "kpis/import.html"
    done_template = ""
    object_name = "run"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ensure_can_read(self.request.user)
        ctx.update(run=selectors.kpi_import_detail(pk=self.kwargs["pk"]), can_apply=can_edit_plans(self.request.user))
        return ctx


@require_POST
def import_apply(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.kpi_import_detail(pk=pk)
    try:
        services.kpi_import_start_apply(run=run, by=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect(run)
