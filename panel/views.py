"""Panel report pages: the list, a new report, the report with its sections (each editable, with what
it was drafted from), approval, the pack (one click, a progress bar) and its files."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2.export import ExportMixin
from django_tables2.views import SingleTableMixin

from core.dates import today
from core.documents import CONTENT_TYPES
from core.exports import SafeTableExport
from core.forms import add_errors
from core.roles import can_edit_plans, ensure_can_edit_plans, ensure_can_read
from core.views import JobPollingMixin

from . import selectors, services
from .filters import PackFilter
from .forms import ReportForm, SectionForm
from .tables import PackTable


@require_http_methods(["GET", "HEAD"])
def report_list(request: HttpRequest) -> HttpResponse:
    ensure_can_read(request.user)
    return render(
        request,
        "panel/list.html",
        {"reports": list(selectors.reports()), "can_edit": can_edit_plans(request.user)},
    )


@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    ensure_can_edit_plans(request.user)
    plans = selectors.plans()
    form = ReportForm(request.POST or None, plans=plans, initial={"as_at": today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.report_create(
                by=request.user,
                plan=data["plan"],
                period_from=data["period_from"],
                as_at=data["as_at"],
                meeting_on=data["meeting_on"],
                meeting_title=data["meeting_title"],
                appendix_columns=data["appendix_columns"],
            )
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, "The report was drafted from the data. Check and edit each section.")
            return redirect(report)
    return render(request, "panel/new.html", {"form": form})


@require_http_methods(["GET", "HEAD"])
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_can_read(request.user)
    report = selectors.report_detail(pk=pk)
    packs = selectors.report_packs(report=report)
    return render(
        request,
        "panel/report.html",
        {
            "report": report,
            "sections": selectors.report_sections(report=report),
            "packs": packs,
            "latest": packs[0] if packs else None,
            "can_edit": can_edit_plans(request.user) and not report.is_approved,
            "can_approve": can_edit_plans(request.user) and not report.is_approved,
        },
    )


@require_http_methods(["GET", "POST"])
def section_edit(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_can_edit_plans(request.user)
    section = selectors.section_detail(pk=pk)
    form = SectionForm(request.POST or None, initial={"text": section.text})
    if request.method == "POST" and form.is_valid():
        try:
            if "redraft" in request.POST:
                services.section_redraft(by=request.user, section=section)
                messages.success(request, f"“{section.title}” was drafted again from the data.")
            else:
                services.section_edit(by=request.user, section=section, text=form.cleaned_data["text"])
                messages.success(request, f"“{section.title}” saved.")
        except ValidationError as e:
            add_errors(form, e)
        else:
            return redirect(f"{section.report.get_absolute_url()}#section-{section.key}")
    return render(request, "panel/section_edit.html", {"section": section, "report": section.report, "form": form})


@require_http_methods(["POST"])
def pack_generate(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_can_edit_plans(request.user)
    report = selectors.report_detail(pk=pk)
    try:
        pack = services.pack_request(by=request.user, report=report)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect(report)
    return redirect(pack)


@require_http_methods(["POST"])
def report_approve(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_can_edit_plans(request.user)
    report = selectors.report_detail(pk=pk)
    try:
        services.report_approve(by=request.user, report=report)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, "Approved: the report and its pack are frozen.")
    return redirect(report)


class PackView(JobPollingMixin, TemplateView):
    template_name = "panel/pack.html"
    done_template = "panel/_pack_done.html"
    object_name = "pack"
    retry_url_name = "panel:pack-try-again"

    def get_context_data(self, **kwargs):
        ensure_can_read(self.request.user)
        ctx = super().get_context_data(**kwargs)
        pack = selectors.pack_detail(pk=self.kwargs["pk"])
        ctx.update(pack=pack, report=pack.report)
        return ctx


@require_http_methods(["POST"])
def pack_try_again(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_can_read(request.user)
    pack = selectors.pack_detail(pk=pk)
    try:
        services.pack_try_again(pack=pack, by=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect(pack)


@require_http_methods(["GET", "HEAD"])
def pack_file(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    ensure_can_read(request.user)
    pack = selectors.pack_detail(pk=pk)
    entry = pack.file(name)
    if entry is None:
        raise Http404("No such file in this pack.")
    fmt = name.rsplit(".", 1)[-1]
    return FileResponse(
        default_storage.open(entry["path"], "rb"),
        as_attachment=True,
        filename=name,
        content_type=CONTENT_TYPES.get(fmt, "application/octet-stream"),
    )


class PackLibraryView(ExportMixin, SingleTableMixin, FilterView):
    """Every agenda pack of every report: plan, period, as at, approved or draft, files with sizes and
    checksums, who generated it. Paged, filtered by plan and status, exported (formula-safe)."""

    table_class = PackTable
    filterset_class = PackFilter
    template_name = "panel/library.html"
    export_formats = ("csv", "xlsx")
    export_class = SafeTableExport
    export_name = "panel-packs"
    http_method_names = ["get", "head", "options"]
    strict = False

    def dispatch(self, request, *args, **kwargs):
        ensure_can_read(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.pack_library()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        for key in ("_export", "page"):
            query.pop(key, None)
        ctx["querystring"] = query.urlencode()
        return ctx
