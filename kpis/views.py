"""KPI pages: catalogue, measure page, performance summary (with its downloads), KPI actions and imports.
Views parse the request, call a selector or service, and render; every read checks the role, and every
write checks it before reading the form (the service checks again, inside its transaction)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2.export import ExportMixin
from django_tables2.views import SingleTableMixin

from core.dates import is_past, today
from core.documents import CONTENT_TYPES
from core.exports import SafeTableExport
from core.roles import can_edit_plans, ensure_can_edit_plans, ensure_can_read, ensure_can_see_upload
from core.status import Status
from core.status import label as status_label
from core.views import JobPollingMixin

from . import calc, selectors, services
from .charts import chart_data
from .documents import render_summary
from .filters import KpiActionFilter, KpiImportFilter, MeasureFilter
from .forms import (
    ActionForm,
    ActionStatusForm,
    CommentaryForm,
    KpiImportForm,
    MeasureViewForm,
    SummaryPeriodForm,
)
from .tables import CatalogueTable, KpiActionTable, KpiImportTable


def _as_at(value):
    return value if is_past(value) else None


class ReaderMixin:
    """Every role reads; a login with no role gets the "ask an administrator" page."""

    def dispatch(self, request, *args, **kwargs):
        ensure_can_read(request.user)
        return super().dispatch(request, *args, **kwargs)


class ListMixin(ReaderMixin, ExportMixin, SingleTableMixin):
    """A django-tables2 list with a django-filter form, paging and CSV/XLSX export (formula-safe)."""

    export_formats = ("csv", "xlsx")
    export_class = SafeTableExport
    http_method_names = ["get", "head", "options"]

    def get_table_pagination(self, table):
        return {"per_page": settings.TRACKER_PAGE_SIZE}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        for key in ("_export", "page"):
            query.pop(key, None)
        ctx["querystring"] = query.urlencode()
        return ctx


class CatalogueView(ListMixin, FilterView):
    """The measure catalogue: filter by objective, frequency, area, status; each with a sparkline."""

    filterset_class = MeasureFilter
    table_class = CatalogueTable
    template_name = "kpis/catalogue.html"
    strict = False

    def get_queryset(self):
        return selectors.measure_queryset()

    def get_table_data(self):
        form = self.filterset.form
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        self.as_at = _as_at(data.get("as_at"))
        qs = self.filterset.qs if form.is_bound and form.is_valid() else self.get_queryset()
        self.area, rows = selectors.catalogue_rows(
            measure_qs=qs, area=data.get("area"), status=data.get("status") or "", as_at=self.as_at
        )
        return rows

    def get_export_filename(self, export_format):
        return f"kpi-measures-as-at-{(self.as_at or today()).isoformat()}.{export_format}"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(area=self.area, as_at=self.as_at, rules=calc.RULES, can_edit=can_edit_plans(self.request.user))
        return ctx


catalogue = CatalogueView.as_view()


def _mark_updatable(user, actions):
    for act in actions:
        act.can_update = services.can_update_action(user, act)
    return actions


@require_safe
def measure(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_can_read(request.user)
    m = selectors.measure_detail(pk=pk)
    form = MeasureViewForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    as_at = _as_at(data.get("as_at"))
    page = selectors.measure_page(measure=m, area=data.get("area"), period=data.get("period"), as_at=as_at)
    _mark_updatable(request.user, page.actions)
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
            "statuses": Status.choices,
        },
    )


@require_POST
def action_raise(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_can_edit_plans(request.user)  # before the form is read
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
            messages.error(request, "The action was not raised: " + " ".join(e.messages))
        else:
            messages.success(request, "The action was raised; it appears in the overdue review once it is overdue.")
            return redirect(f"{m.get_absolute_url()}#actions")
    else:
        messages.error(
            request,
            "The action was not raised: "
            + "; ".join(
                f"{form.fields[k].label if k in form.fields else k}: {' '.join(v)}" for k, v in form.errors.items()
            ),
        )
    return redirect(f"{m.get_absolute_url()}#raise-action")


@require_POST
def action_status(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_detail(pk=pk)
    services.ensure_can_update_action(request.user, action)  # before the form is read
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        services.kpi_action_set_status(by=request.user, action=action, status=form.cleaned_data["status"])
        messages.success(request, f"The action's status is now {status_label(form.cleaned_data['status']).lower()}.")
    else:
        messages.error(request, "The status was not changed: choose a status from the list.")
    back = request.POST.get("next", "")
    if back.startswith("/kpis/actions/") and "//" not in back:
        return redirect(back)
    return redirect(action)


class ActionListView(ListMixin, FilterView):
    """Every KPI action: filter by status, overdue, owner, forum and due date; export."""

    filterset_class = KpiActionFilter
    table_class = KpiActionTable
    template_name = "kpis/action_list.html"
    strict = False

    def get_queryset(self):
        return selectors.kpi_actions()

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["day"] = today()
        return kwargs

    def get_table_data(self):
        return self.object_list

    def get_table(self, **kwargs):
        table = super().get_table(**kwargs)
        if not self.request.GET.get("_export"):
            _mark_updatable(self.request.user, [row.record for row in table.paginated_rows])
        return table

    def get_table_kwargs(self):
        return {"user": self.request.user, "day": today()}

    def get_export_filename(self, export_format):
        return f"kpi-actions-{today().isoformat()}.{export_format}"


action_list = ActionListView.as_view()


def _summary_period(request: HttpRequest):
    form = SummaryPeriodForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    as_at = _as_at(data.get("as_at"))
    period = data.get("period") or selectors.latest_period(kind="Q", as_at=as_at)
    return form, period, as_at


@require_safe
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
            "formats": (("docx", "Word (.docx)"), ("xlsx", "Excel (.xlsx)"), ("pdf", "PDF (.pdf)")),
        },
    )


@require_http_methods(["GET", "POST"])
def summary_edit(request: HttpRequest, measure_pk: int) -> HttpResponse:
    """One measure's Data and Commentary for a period: a page of its own (with its error summary), also
    posted to from the summary's inline forms."""
    ensure_can_edit_plans(request.user)  # before the form is read
    m = selectors.measure_detail(pk=measure_pk)
    source = request.POST if request.method == "POST" else request.GET
    period_form = SummaryPeriodForm(source)
    period = period_form.cleaned_data.get("period") if period_form.is_valid() else None
    if period is None:
        period = selectors.latest_period(kind="Q")
    row = selectors.summary_row(measure=m, period=period)
    if request.method == "POST":
        form = CommentaryForm(request.POST)
        if form.is_valid() and period_form.is_valid():
            try:
                saved = services.commentary_save(by=request.user, measure=m, period=period, **form.cleaned_data)
            except ValidationError as e:
                form.add_error(None, e)
            else:
                messages.success(request, f"Saved {m.name}." if saved else f"{m.name}: nothing changed.")
                return redirect(f"{reverse('kpis:summary')}?period={period.key()}#measure-{m.pk}")
        elif not period_form.is_valid():
            for e in period_form.errors.get("period", []):
                form.add_error(None, f"Reporting period: {e}")
    else:
        form = CommentaryForm(initial={"data_text": row.data_text if row.edited else "", "commentary": row.commentary})
    return render(request, "kpis/summary_edit.html", {"measure": m, "period": period, "row": row, "form": form})


@require_safe
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


class ImportListView(ListMixin, FilterView):
    filterset_class = KpiImportFilter
    table_class = KpiImportTable
    template_name = "kpis/import_history.html"
    strict = False

    def get_queryset(self):
        return selectors.kpi_imports()

    def get_table_data(self):
        return self.object_list

    def get_table_kwargs(self):
        return {"user": self.request.user}

    def get_export_filename(self, export_format):
        return f"kpi-imports-{today().isoformat()}.{export_format}"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_edit"] = can_edit_plans(self.request.user)
        return ctx


import_history = ImportListView.as_view()


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
    retry_url_name = "kpis:import-try-again"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        run = selectors.kpi_import_detail(pk=self.kwargs["pk"])
        ensure_can_see_upload(self.request.user, run)  # the preview shows the uploaded content
        ctx.update(run=run, can_apply=can_edit_plans(self.request.user))
        return ctx


@require_POST
def import_apply(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_can_edit_plans(request.user)
    run = selectors.kpi_import_detail(pk=pk)
    try:
        services.kpi_import_start_apply(run=run, by=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect(run)


@require_POST
def import_try_again(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_can_read(request.user)
    run = selectors.kpi_import_detail(pk=pk)
    try:
        services.kpi_import_try_again(run=run, by=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect(run)
