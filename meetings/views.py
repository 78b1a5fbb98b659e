"""Views parse the request, call a selector or service, and render. Login is required everywhere by
LoginRequiredMiddleware; every read goes through a selector that hides drafts from those who may not
see them, and every write is checked again in the services."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods, require_safe
from django_filters.views import FilterView
from django_tables2.export import ExportMixin
from django_tables2.views import SingleTableMixin

from core.dates import today
from core.documents import CONTENT_TYPES
from core.exports import SafeTableExport
from core.forms import add_errors
from core.roles import can_edit_plans, can_update_owned, ensure_can_edit_plans, ensure_can_read
from delivery.views import AsAtMixin

from . import documents, selectors, services
from .filters import ActionFilter, MeetingFilter, WrittenRequestFilter
from .forms import (
    ActionForm,
    ActionUpdateForm,
    AgendaFormSet,
    FindingFormSet,
    InlineStatusForm,
    MeetingForm,
    MeetingStateForm,
    PanelReportForm,
    ResponseForm,
    WrittenRequestForm,
)
from .models import Action
from .tables import ActionTable, MeetingTable, WrittenRequestTable

STALE_MESSAGE = (
    "Someone else updated this action while you were editing it, so nothing was saved. "
    "Their update is shown in the history; your text is kept below. Check it, then save again."
)
NOTES_FORMATS = ("docx", "pdf")
PANEL_FORMATS = ("docx", "pdf", "xlsx", "csv")


def _download(content: bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


class _ExportListMixin(ExportMixin, SingleTableMixin):
    export_formats = ("csv", "xlsx")
    export_class = SafeTableExport

    def get_table_pagination(self, table):
        return {"per_page": settings.TRACKER_PAGE_SIZE}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("_export", None)
        ctx["querystring"] = query.urlencode()
        ctx["can_edit"] = can_edit_plans(self.request.user)
        return ctx


# --- Meetings -------------------------------------------------------------------------------


class MeetingListView(_ExportListMixin, FilterView):
    table_class = MeetingTable
    filterset_class = MeetingFilter
    template_name = "meetings/meeting_list.html"
    export_name = "meetings"

    def get(self, request, *args, **kwargs):
        self.table_key = selectors.meeting_list_key(user=request.user, full_path=request.get_full_path())
        if self.export_trigger_param not in request.GET:
            rendered = selectors.meeting_list_rendered(key=self.table_key)
            if rendered is not None:  # the list as rendered for this query: no table to build
                ctx = {"rendered_list": rendered, "can_edit": can_edit_plans(request.user)}
                return TemplateResponse(request, self.template_name, ctx)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.meeting_rows(user=self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["table_key"] = self.table_key
        return ctx


@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest) -> HttpResponse:
    ensure_can_edit_plans(request.user)
    form = MeetingForm(request.POST or None, initial={"held_on": today(), "kind": request.GET.get("kind", "formal")})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(by=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, "Meeting recorded as a draft. Add its findings and actions, then approve it.")
            return redirect(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": None})


@require_safe
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_detail(user=request.user, pk=pk)
    user = request.user
    actions = list(meeting.actions.all())
    for a in actions:
        a.can_update = can_update_owned(user, a)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "actions": actions,
            "notes_html": meeting.notes,
            "can_edit": can_edit_plans(user),
            "today": today(),
            "state_form": MeetingStateForm(initial={"on": today()}),
        },
    )


@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_can_edit_plans(request.user)
    meeting = selectors.meeting_for_edit(user=request.user, pk=pk)
    form = MeetingForm(request.POST or None, initial=MeetingForm.initial_for(meeting))
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(by=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, "Meeting saved.")
            return redirect(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting})


@require_http_methods(["GET", "POST"])
def meeting_findings(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the ordered list of key findings and outcomes, and which go to the panel."""
    ensure_can_edit_plans(request.user)
    meeting = selectors.meeting_detail(user=request.user, pk=pk)
    initial = [{"text": f.text, "for_panel": f.for_panel} for f in meeting.findings.all()]
    formset = FindingFormSet(request.POST or None, initial=initial, prefix="findings")
    if request.method == "POST" and formset.is_valid():
        kept = [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        services.findings_save(by=request.user, meeting=meeting, findings=kept)
        messages.success(request, "Findings saved.")
        return redirect(meeting)
    return render(request, "meetings/findings_form.html", {"formset": formset, "meeting": meeting})


@require_http_methods(["GET", "POST"])
def meeting_agenda(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_can_edit_plans(request.user)
    meeting = selectors.meeting_detail(user=request.user, pk=pk)
    initial = [
        {"title": a.title, "commitment": a.commitment, "activity": a.activity, "kpi_ref": a.kpi_ref}
        for a in meeting.agenda_items.all()
    ]
    formset = AgendaFormSet(request.POST or None, initial=initial, prefix="agenda")
    if request.method == "POST" and formset.is_valid():
        kept = [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        try:
            services.agenda_save(by=request.user, meeting=meeting, items=kept)
        except ValidationError as e:
            formset.add_non_form_errors(e.messages)
        else:
            messages.success(request, "Agenda saved.")
            return redirect(meeting)
    return render(request, "meetings/agenda_form.html", {"formset": formset, "meeting": meeting})


@require_http_methods(["POST"])
def meeting_state(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_can_edit_plans(request.user)
    meeting = selectors.meeting_for_edit(user=request.user, pk=pk)
    form = MeetingStateForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_set_state(
                by=request.user, meeting=meeting, state=form.cleaned_data["state"], on=form.cleaned_data["on"]
            )
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, f"The meeting is now {meeting.get_state_display().lower()}.")
    else:
        # Say what was wrong (a publication date that is not a real date, say), not just "try again".
        problems = [f"{form.fields[name].label or 'Status'}: {' '.join(errs)}" for name, errs in form.errors.items()]
        messages.error(request, " ".join(problems))
    return redirect(meeting)


@require_safe
def meeting_notes(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The notes as .docx or tagged .pdf. Drafts only for editors (the selector hides them from others),
    marked as drafts."""
    if fmt not in NOTES_FORMATS:
        raise PermissionDenied("Notes are published as .docx or .pdf.")
    meeting = selectors.meeting_detail(user=request.user, pk=pk)
    return _download(documents.render_notes(meeting, fmt), fmt, documents.notes_filename(meeting, fmt))


@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_can_edit_plans(request.user)
    meeting = selectors.meeting_for_edit(user=request.user, pk=pk)
    form = ActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.action_create(
                by=request.user,
                meeting=meeting,
                text=data["text"],
                owners=list(data["owners"]),
                due_date=data["due_date"],
                activity=data["activity"],
                commitment=data["commitment"],
                kpi_ref=data["kpi_ref"],
                on=min(meeting.held_on, today()),  # the action stands from the meeting that agreed it
            )
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, "Action added.")
            return redirect(meeting)
    return render(request, "meetings/action_form.html", {"form": form, "meeting": meeting})


# --- Actions --------------------------------------------------------------------------------


class ActionListView(AsAtMixin, _ExportListMixin, FilterView):
    """The action log across meetings: open, overdue, by owner; inline status change."""

    table_class = ActionTable
    filterset_class = ActionFilter
    template_name = "meetings/action_list.html"
    export_name = "meeting-actions"

    def get_queryset(self):
        return selectors.action_rows(user=self.request.user, as_at=self.as_at)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["as_at"] = self.day
        return kwargs

    def get_table_kwargs(self):
        return {"user": self.request.user, "as_at": self.day}

    def get_export_filename(self, export_format):
        return f"meeting-actions-as-at-{self.day.isoformat()}.{export_format}"


@require_safe
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_detail(user=request.user, pk=pk)
    return render(
        request,
        "meetings/action_detail.html",
        {
            "action": action,
            "updates": list(action.updates.all()),
            "can_update": can_update_owned(request.user, action),
            "today": today(),
        },
    )


@require_http_methods(["GET", "POST"])
def action_update(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_for_update(user=request.user, pk=pk)
    if not can_update_owned(request.user, action):
        raise PermissionDenied("You can update only the actions you own.")
    if request.method == "POST":
        form = ActionUpdateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.action_record_update(
                    action=action,
                    by=request.user,
                    seen_version=data["seen_version"],
                    status=data["status"],
                    due_date=data["due_date"],
                    text=data["text"],
                    on=data["on"],
                )
            except services.StaleEdit:
                form.add_error(None, STALE_MESSAGE)
            except ValidationError as e:
                add_errors(form, e)
            else:
                messages.success(request, "Update saved.")
                return redirect(action)
    else:
        form = ActionUpdateForm(
            initial={
                "status": action.status,
                "due_date": action.due_date,
                "on": today(),
                "seen_version": action.version,
            }
        )
    return render(request, "meetings/action_update.html", {"action": action, "form": form})


@require_http_methods(["POST"])
def action_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The action log's inline status change (htmx); answers with the cell again."""
    action = selectors.action_for_update(user=request.user, pk=pk)
    if not can_update_owned(request.user, action):  # before the form is read; checked again in the service
        raise PermissionDenied("You can update only the actions you own.")
    form = InlineStatusForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.action_record_update(
                action=action,
                by=request.user,
                seen_version=form.cleaned_data["seen_version"],
                status=form.cleaned_data["status"],
                text="Closed from the action log." if form.cleaned_data["status"] == Action.Status.CLOSED else "",
            )
        except services.StaleEdit:
            error = "Someone else changed this action; reload the page to see their update."
        except ValidationError as e:
            error = " ".join(e.messages)
    else:
        error = "Choose a status."
    action = selectors.action_for_update(user=request.user, pk=pk)
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, "Status saved.")
        return redirect(request.headers.get("Referer") or action)
    return render(
        request,
        "meetings/_inline_status.html",
        {"action": action, "url": request.path, "error": error, "saved": not error},
    )


# --- Written requests -----------------------------------------------------------------------


class WrittenRequestListView(_ExportListMixin, FilterView):
    table_class = WrittenRequestTable
    filterset_class = WrittenRequestFilter
    template_name = "meetings/request_list.html"
    export_name = "written-requests"

    def get_queryset(self):
        ensure_can_read(self.request.user)
        return selectors.request_rows()

    def get_table_kwargs(self):
        return {"as_at": today()}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["counts"] = selectors.request_counts()
        return ctx


def _request_form(request: HttpRequest, data=None, initial=None) -> WrittenRequestForm:
    return WrittenRequestForm(data, initial=initial, meetings=selectors.visible_meetings(user=request.user))


@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    ensure_can_edit_plans(request.user)
    form = _request_form(request, request.POST or None, initial={"sent_on": today(), "working_days": 20})
    if request.method == "POST" and form.is_valid():
        try:
            wr = services.request_create(by=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, f"Written request recorded; the response is due by {wr.response_due:%-d %B %Y}.")
            return redirect(wr)
    return render(request, "meetings/request_form.html", {"form": form, "wr": None})


@require_http_methods(["GET", "POST"])
def request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_can_edit_plans(request.user)
    wr = selectors.request_detail(user=request.user, pk=pk)
    initial = {
        f: getattr(wr, f)
        for f in ("reference", "subject", "subject_area", "question", "sent_on", "working_days", "meeting")
    }
    form = _request_form(request, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_update(by=request.user, request=wr, **form.cleaned_data)
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, "Written request saved.")
            return redirect(wr)
    return render(request, "meetings/request_form.html", {"form": form, "wr": wr})


@require_http_methods(["GET", "POST"])
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    wr = selectors.request_detail(user=request.user, pk=pk)
    can_edit = can_edit_plans(request.user)
    form = ResponseForm(
        request.POST or None,
        initial={"received_on": wr.response_received_on, "response": wr.response, "follow_up": wr.follow_up},
    )
    if request.method == "POST":
        ensure_can_edit_plans(request.user)
        if form.is_valid():
            try:
                services.request_record_response(by=request.user, request=wr, **form.cleaned_data)
            except ValidationError as e:
                add_errors(form, e)
            else:
                messages.success(request, "Response saved.")
                return redirect(wr)
    meeting_visible = wr.meeting is not None and (not wr.meeting.is_draft or can_edit)
    day = today()
    return render(
        request,
        "meetings/request_detail.html",
        {
            "wr": wr,
            "form": form,
            "can_edit": can_edit,
            "state": wr.state_on(day),
            "days_taken": documents.days_taken(wr),
            "today": day,
            "meeting_visible": meeting_visible,
        },
    )


# --- The panel report ------------------------------------------------------------------------


@require_safe
def panel_report(request: HttpRequest) -> HttpResponse:
    """The panel report section for a date range: a preview, and the files (Word, PDF, Excel, CSV)."""
    ensure_can_read(request.user)
    day = today()
    form = PanelReportForm(request.GET or None, initial={"start": day - timedelta(days=91), "end": day, "as_at": day})
    report = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        report = selectors.panel_report(start=data["start"], end=data["end"], as_at=data["as_at"] or day)
        fmt = request.GET.get("format", "")
        if fmt in PANEL_FORMATS:
            name = f"holding-to-account-{_iso(data['start'])}-to-{_iso(data['end'])}.{fmt}"
            return _download(documents.render_panel(report, fmt), fmt, name)
    return render(request, "meetings/panel_report.html", {"form": form, "report": report, "formats": PANEL_FORMATS})


def _iso(value: date) -> str:
    return value.isoformat()
