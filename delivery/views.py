"""Views parse the request, call a selector or service, and render. Login is required everywhere by
LoginRequiredMiddleware; writes are checked again in the services."""

from __future__ import annotations

import functools
from datetime import date
from urllib.parse import quote_plus

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.decorators.http import require_http_methods, require_safe
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2.export import ExportMixin
from django_tables2.views import SingleTableMixin

from core import rag as rag_scale
from core.dates import is_past, today
from core.documents import CONTENT_TYPES
from core.exports import SafeTableExport, stream_csv, xlsx_file
from core.forms import add_errors
from core.roles import (
    Role,
    can_edit_plans,
    can_update_owned,
    ensure_can_edit_plans,
    ensure_can_read,
    ensure_can_see_upload,
    role_of,
)
from core.views import JobPollingMixin

from . import overdue, panels, selectors, services
from .as_at_defaults import extract_as_at
from .filters import ActivityFilter, ExtractFilter
from .forms import (
    FIELD_CHOICES,
    RAG_VALUE_CHOICES,
    STATUS_VALUE_CHOICES,
    ActivityUpdateForm,
    AsAtForm,
    ExtractForm,
    ForPanelForm,
    ImportUploadForm,
    InlineRagForm,
    OverdueReviewForm,
    import_mapping_from_post,
)
from .models import Extract, Status
from .tables import ActivityTable, ExtractTable, ImportTable, OverdueTable

STALE_MESSAGE = (
    "Someone else updated this activity while you were editing it, so nothing was saved. "
    "Their update is shown in the history; your text is kept below. Check it, then save again."
)


def parse_as_at(request: HttpRequest) -> tuple[AsAtForm, date | None]:
    form = AsAtForm(request.GET or None)
    if form.is_bound and form.is_valid():
        value = form.cleaned_data["as_at"]
        return form, (value if is_past(value) else None)
    return form, None


def future_as_at(form: AsAtForm) -> date | None:
    """The "as at" date asked for when it is after today (the page shows today, and says so)."""
    if form.is_bound and form.is_valid():
        value = form.cleaned_data["as_at"]
        if value and value > today():
            return value
    return None


class AsAtMixin:
    def dispatch(self, request, *args, **kwargs):
        self.as_at_form, self.as_at = parse_as_at(request)
        self.day = self.as_at or today()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            as_at_form=self.as_at_form, as_at=self.as_at, day=self.day, as_at_future=future_as_at(self.as_at_form)
        )
        return ctx


class HomeView(AsAtMixin, TemplateView):
    template_name = "delivery/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        options = {"as_at": self.as_at, "due_soon_days": settings.TRACKER_DUE_SOON_DAYS}
        ctx["summary_key"] = selectors.home_summary_key(**options)
        # Worked out (or read from the cache) only when the page's rendered plans are not in the cache.
        ctx["summaries"] = lambda: selectors.home_summary(**options, key=ctx["summary_key"])
        ctx["recent"] = selectors.recent_updates(as_at=self.as_at)
        ctx["due_soon_days"] = settings.TRACKER_DUE_SOON_DAYS
        ctx["stale_days"] = settings.TRACKER_STALE_DAYS
        ctx["panels"] = panels.panels_for("home", self.request)
        # First on the page, what the person looking needs: an owner their own items; the Chief
        # Executive who holds the overdue items; editors and viewers the plan summaries (below).
        role = role_of(self.request.user)
        if role == Role.OWNER:
            ctx["mine"] = selectors.my_attention(
                user=self.request.user,
                as_at=self.day,
                due_soon_days=settings.TRACKER_DUE_SOON_DAYS,
                stale_days=settings.TRACKER_STALE_DAYS,
            )
        elif role == Role.CHIEF_EXECUTIVE:
            # Counts by aggregate query, whatever the number of overdue items.
            found = overdue.all_groups(as_at=self.day, by=("kind", "owner"))
            ctx["overdue_total"] = sum(g.count for g in found["kind"])
            ctx["overdue_by_owner"] = [(g.label, g.count) for g in found["owner"]]
        return ctx


class PlanView(AsAtMixin, TemplateView):
    """The plan's objectives with their RAG counts; each objective's activities load when it is
    opened (htmx, from PlanObjectiveView), or server-side for `?objective=<pk>` and for a plan with
    a single objective. The page stays small whatever the plan's size."""

    template_name = "delivery/plan.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        plan = selectors.plan_by_slug(self.kwargs["slug"])
        summary = selectors.plan_objectives_summary(plan=plan, as_at=self.as_at)
        open_pk = self.request.GET.get("objective", "")
        opened = None
        if len(summary) == 1:
            opened = summary[0].objective
        elif open_pk.isdigit():
            opened = next((n.objective for n in summary if n.objective.pk == int(open_pk)), None)
        if opened is not None:
            (tree_node,) = selectors.plan_tree(plan=plan, as_at=self.as_at, objective=opened)
            _mark_updatable(tree_node, user=self.request.user, as_at=self.as_at)
            for node in summary:
                if node.objective.pk == opened.pk:
                    node.sections = tree_node.sections
        ctx.update(plan=plan, tree=summary, opened=opened, total=sum(n.activity_count for n in summary))
        return ctx


def _mark_updatable(node, *, user, as_at) -> None:
    for sn in node.sections:
        for cn in sn.commitments:
            for a in cn.activities:
                a.can_update = not as_at and can_update_owned(user, a)


class PlanObjectiveView(AsAtMixin, TemplateView):
    """One objective's sections, commitments and activities: the fragment the plan page loads when
    the objective is opened (a full page when asked for without htmx)."""

    template_name = "delivery/plan_objective.html"

    def get_template_names(self):
        return ["delivery/_plan_objective.html" if self.request.htmx else self.template_name]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        plan = selectors.plan_by_slug(self.kwargs["slug"])
        objective = selectors.plan_objective(plan=plan, pk=self.kwargs["pk"])
        (node,) = selectors.plan_tree(plan=plan, as_at=self.as_at, objective=objective)
        _mark_updatable(node, user=self.request.user, as_at=self.as_at)
        ctx.update(plan=plan, node=node)
        return ctx


class ActivityListView(AsAtMixin, ExportMixin, SingleTableMixin, FilterView):
    table_class = ActivityTable
    filterset_class = ActivityFilter
    template_name = "delivery/activity_list.html"
    export_formats = ("csv", "xlsx")
    export_class = SafeTableExport
    export_name = "activities"

    def get_queryset(self):
        # A page of rows does better with `paged`; exports, and a search (which reads every row's
        # progress text), with the join that `paged` leaves out.
        every_row = self.request.GET.get(self.export_trigger_param) or self.request.GET.get("q", "").strip()
        return selectors.activity_rows(as_at=self.as_at, paged=not every_row)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["as_at"] = self.day
        kwargs["data_version"] = self.data_version
        return kwargs

    @cached_property
    def data_version(self) -> str | None:
        """The plans' data fingerprint (one query), which the page's count and the filter's choices are kept
        under; an export reads neither."""
        return None if self.request.GET.get(self.export_trigger_param) else selectors.plan_data_version()

    def get_table_kwargs(self):
        # One plan: its name in every row is noise on screen (exports keep it).
        exporting = bool(self.request.GET.get(self.export_trigger_param))
        exclude = () if exporting or self.filterset.plan_count() > 1 else ("plan",)
        kwargs = {"user": self.request.user, "as_at": self.day, "exclude": exclude}
        if not exporting:  # the paginator's count, from the cache while the data is unchanged
            kwargs["count"] = selectors.activity_count(self.get_table_data(), data_version=self.data_version)
        return kwargs

    def get_table_pagination(self, table):
        return {"per_page": settings.TRACKER_PAGE_SIZE}

    def get_export_filename(self, export_format):
        return f"activities-as-at-{self.day.isoformat()}.{export_format}"

    def render_to_response(self, context, **kwargs):
        """CSV streams row by row and XLSX is written in constant memory, both from tuples of one
        query in the table's order and filters (the plan page's downloads come here too)."""
        export_format = self.request.GET.get(self.export_trigger_param)
        if export_format not in self.export_formats:
            return super().render_to_response(context, **kwargs)
        rows = selectors.activity_export_rows(context["table"].data.data)
        header = selectors.ACTIVITY_EXPORT_HEADER
        filename = self.get_export_filename(export_format)
        if export_format == "csv":
            return stream_csv(filename=filename, header=header, rows=rows)
        book = xlsx_file(title="Activities", header=header, rows=rows)
        return FileResponse(book, as_attachment=True, filename=filename)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("_export", None)
        ctx["querystring"] = query.urlencode()
        return ctx


class ActivityView(TemplateView):
    template_name = "delivery/activity.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        activity = selectors.activity_detail(pk=self.kwargs["pk"])
        ctx.update(
            activity=activity,
            updates=list(activity.updates.all()),
            can_update=can_update_owned(self.request.user, activity),
            today=today(),
            panels=panels.panels_for("activity", self.request, activity),
        )
        return ctx


ENDED = (Status.COMPLETE, Status.CLOSED)


def _needs_reopen(error: ValidationError) -> bool:
    """Whether the service refused a Red or Amber rating on a complete or closed activity."""
    if not hasattr(error, "error_dict"):
        return False
    return any(e.code == services.REOPEN_CODE for e in error.error_dict.get("rag", []))


@require_http_methods(["GET", "POST"])
def activity_update(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_for_update(pk=pk)
    if not can_update_owned(request.user, activity):
        raise PermissionDenied("You cannot update this activity.")
    ask_reopen = False
    can_change_owners = can_edit_plans(request.user)
    if request.method == "POST":
        form = ActivityUpdateForm(request.POST, can_change_owners=can_change_owners)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.activity_record_update(
                    activity=activity,
                    by=request.user,
                    seen_version=data["seen_version"],
                    text=data["text"],
                    rag=data["rag"],
                    status=data["status"],
                    start_date=data["start_date"],
                    due_date=data["due_date"],
                    date_text=data["date_text"],
                    owners=data.get("owners"),  # None (unchanged) when the form has no owners field
                    on=data["on"],
                    reopen=data["reopen"],
                    for_panel=data["for_panel"],
                )
            except services.StaleEdit:
                form.add_error(None, STALE_MESSAGE)
            except ValidationError as e:
                ask_reopen = _needs_reopen(e)
                add_errors(form, e)
            else:
                messages.success(request, "Update saved.")
                return redirect(activity)
    else:
        form = ActivityUpdateForm(
            initial=ActivityUpdateForm.initial_for(activity, today()), can_change_owners=can_change_owners
        )
    return render(
        request,
        "delivery/activity_update.html",
        {
            "activity": activity,
            "form": form,
            "ask_reopen": ask_reopen or activity.status in ENDED,
            "can_change_owners": can_change_owners,
        },
    )


@require_http_methods(["POST"])
def update_for_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark (or unmark) a progress update as an example for the panel's report, from the activity page."""
    update = selectors.progress_update_detail(pk=pk)
    if not can_update_owned(request.user, update.activity):  # checked again in the service
        raise PermissionDenied("You cannot change this activity's updates.")
    form = ForPanelForm(request.POST)
    form.is_valid()
    wanted = bool(form.cleaned_data.get("for_panel"))
    try:
        services.progress_update_set_for_panel(update=update, by=request.user, for_panel=wanted)
    except ValidationError as e:
        messages.error(request, " ".join(m for msgs in e.message_dict.values() for m in msgs))
    else:
        messages.success(request, "Marked for the panel." if wanted else "No longer marked for the panel.")
    return redirect(f"{update.activity.get_absolute_url()}#update-{update.pk}")


@require_http_methods(["POST"])
def activity_rag(request: HttpRequest, pk: int) -> HttpResponse:
    """The list page's inline RAG change (htmx); answers with the row's cell again. On a refusal the
    user's choice and reason stay as they were, with the question (a reason, or whether to reopen a
    complete activity) asked in place."""
    activity = selectors.activity_for_update(pk=pk)
    if not can_update_owned(request.user, activity):  # checked again in the service
        raise PermissionDenied("You cannot update this activity.")
    form = InlineRagForm(request.POST)
    error = ""
    ask_reopen = False
    if form.is_valid():
        try:
            services.activity_record_update(
                activity=activity,
                by=request.user,
                seen_version=form.cleaned_data["seen_version"],
                rag=form.cleaned_data["rag"],
                text=form.cleaned_data["text"],
                reopen=form.cleaned_data["reopen"],
            )
        except services.StaleEdit:
            error = "Someone else changed this activity; reload the page to see their update."
        except ValidationError as e:
            ask_reopen = _needs_reopen(e)
            error = " ".join(m for msgs in e.message_dict.values() for m in msgs)
    else:
        error = "Choose a RAG."
    activity = selectors.activity_for_update(pk=pk)
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, "RAG saved.")
        return redirect(request.headers.get("Referer") or activity)
    context = {"activity": activity, "url": request.path, "error": error, "saved": not error, "rag_now": activity.rag}
    if error:
        # Keep what the user chose and typed; the version stays the one they saw.
        context.update(
            rag_now=request.POST.get("rag", ""),
            reason=request.POST.get("text", ""),
            seen_version=request.POST.get("seen_version", activity.version),
            ask_reopen=ask_reopen,
        )
    return render(request, "delivery/_inline_rag.html", context, status=200)


OVERDUE_PAGE_SIZE = 50  # items per page of one group (and of the due-soon and no-update lists)
OVERDUE_TOP = 25  # the most overdue items shown first on the review


class OverdueReviewMixin:
    """The review's options (as at, plan, due within, no update for) read once from the query."""

    def review_options(self) -> dict:
        form = OverdueReviewForm(self.request.GET or None)
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        return {
            "form": form,
            "as_at": data.get("as_at") or today(),
            "plan": data.get("plan"),
            "due_within": data.get("due_within") or settings.TRACKER_DUE_SOON_DAYS,
            "stale_after": data.get("stale_after") or settings.TRACKER_STALE_DAYS,
        }

    def options_query(self) -> str:
        """The review's own options, for the links to a group's page."""
        query = self.request.GET.copy()
        for name in ("by", "key", "page", "_export", "o-sort", "sort"):
            query.pop(name, None)
        return query.urlencode()


class OverdueView(OverdueReviewMixin, TemplateView):
    """Counts per kind, owner and objective from aggregate queries; each group's items load when it
    is opened (htmx, from OverdueGroupView, or its own page without JavaScript). The page stays the
    same size whatever the number of overdue items. The export is every item (overdue_items)."""

    template_name = "delivery/overdue.html"
    export_trigger_param = "_export"
    export_formats = ("csv", "xlsx")
    EXPORT_HEADER = ("Kind", "Plan", "Ref", "Item", "Owner/s", "Due", "Days overdue", "Days since update", "RAG")

    def get(self, request, *args, **kwargs):
        export_format = request.GET.get(self.export_trigger_param)
        if export_format in self.export_formats:
            return self.export(export_format)
        return super().get(request, *args, **kwargs)

    def export(self, export_format: str):
        """Every overdue item, most overdue first, streamed from each source a chunk at a time:
        CSV row by row, XLSX in xlsxwriter's constant memory mode (as the activity list's)."""
        opts = self.review_options()
        rows = (
            (
                i.kind,
                i.plan,
                i.ref,
                i.title,
                "; ".join(i.owners),
                i.due.isoformat(),
                i.days_overdue,
                "" if i.days_since_update is None else i.days_since_update,
                rag_scale.word(i.rag),
            )
            for i in overdue.stream_items(as_at=opts["as_at"], plan=opts["plan"])
        )
        filename = f"overdue-as-at-{opts['as_at'].isoformat()}.{export_format}"
        if export_format == "csv":
            return stream_csv(filename=filename, header=self.EXPORT_HEADER, rows=rows)
        return FileResponse(
            xlsx_file(title="Overdue", header=self.EXPORT_HEADER, rows=rows), as_attachment=True, filename=filename
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        opts = self.review_options()
        as_at, plan = opts["as_at"], opts["plan"]
        review = selectors.overdue_review(
            as_at=as_at, plan=plan, due_within=opts["due_within"], stale_after=opts["stale_after"], top=OVERDUE_TOP
        )
        found, items = review.groups, review.items
        by_kind = found["kind"]
        exclude = []
        if len(by_kind) <= 1:
            exclude.append("kind")  # one kind of item: a column saying so on every row is noise
        if len({i.plan for i in items}) <= 1:
            exclude.append("plan")
        # Each group's link made here, once, rather than by a template tag per group (hundreds of owners).
        options_query = self.options_query()
        base = reverse("overdue-group") + "?by={}&key={}" + (f"&{options_query}" if options_query else "")

        def linked(groups):
            return [(g, base.format(g.by, quote_plus(g.key))) for g in groups]

        def by_objective():
            plans: dict[str, list] = {}
            for group, url in linked(found["objective"]):
                plans.setdefault(group.plan, []).append((group, url))
            return list(plans.items())

        # The table and the groups' links are made only if the template asks (the rendered review is
        # usually in the cache already): callables, each called once.
        ctx.update(
            opts,
            items=items,
            table=functools.cache(lambda: OverdueTable(items, prefix="o-", exclude=exclude, orderable=False)),
            total=sum(g.count for g in by_kind),
            by_kind=functools.cache(lambda: linked(by_kind)),
            by_owner=functools.cache(lambda: linked(found["owner"])),
            by_objective=functools.cache(by_objective),
            # Counted here; the lists load when their tab is shown (or on their own pages).
            due_soon_count=review.due_soon_count,
            due_soon_url=base.format("due-soon", ""),
            stale_count=review.stale_count,
            stale_url=base.format("stale", ""),
            page_size=OVERDUE_PAGE_SIZE,
            options_query=options_query,
            # The rendered review is the same for every reader asking the same: kept with its figures.
            body_key=f"{review.key}:{self.request.get_full_path()}" if review.key else "",
        )
        return ctx


class OverdueGroupView(OverdueReviewMixin, TemplateView):
    """One page of one group of the review: `by` kind, owner or objective (with its `key`), or the
    due-soon or no-update list. With htmx, only the rows and a "Show more" button that fetches the
    next page; without, a page of its own with previous and next links."""

    template_name = "delivery/overdue_group.html"
    LISTS = ("due-soon", "stale")

    def get_template_names(self):
        return ["delivery/_overdue_group.html" if self.request.htmx else self.template_name]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        opts = self.review_options()
        as_at, plan = opts["as_at"], opts["plan"]
        by = self.request.GET.get("by") or "kind"
        key = self.request.GET.get("key", "")[:500]
        if by not in (*overdue.BY, *self.LISTS):
            raise BadRequest("No such list in the overdue review: by is kind, owner, objective, due-soon or stale.")
        page_text = self.request.GET.get("page", "1")
        page = int(page_text) if page_text.isdigit() and 0 < len(page_text) < 6 else 1
        offset = (page - 1) * OVERDUE_PAGE_SIZE
        rows, items = [], []
        if by == "due-soon":
            qs = selectors.due_soon_activities(as_at=as_at, days=opts["due_within"], plan=plan)
            rows = list(qs[offset : offset + OVERDUE_PAGE_SIZE + 1])
            title = f"Due in the next {opts['due_within']} days"
        elif by == "stale":
            qs = selectors.stale_activities(as_at=as_at, days=opts["stale_after"], plan=plan)
            rows = list(qs[offset : offset + OVERDUE_PAGE_SIZE + 1])
            title = f"No update for {opts['stale_after']} days or more"
        else:
            items = overdue.group_items(
                as_at=as_at, plan=plan, by=by, key=key, offset=offset, limit=OVERDUE_PAGE_SIZE + 1
            )
            title = f"Overdue: {overdue.group_label(by=by, key=key)}"
        has_next = len(rows or items) > OVERDUE_PAGE_SIZE
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("more", None)
        ctx.update(
            opts,
            more=self.request.GET.get("more") == "1",
            by=by,
            key=key,
            title=title,
            rows=rows[:OVERDUE_PAGE_SIZE],
            items=items[:OVERDUE_PAGE_SIZE],
            page=page,
            has_next=has_next,
            group_query=query.urlencode(),
            options_query=self.options_query(),
        )
        return ctx


@login_not_required
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and the Procfile's checks: answers without a login."""
    return JsonResponse({"ok": True})


# --- Extracts (Appendix 1) -----------------------------------------------------------------


class ExtractLibraryView(ExportMixin, SingleTableMixin, FilterView):
    table_class = ExtractTable
    filterset_class = ExtractFilter
    template_name = "delivery/extract_library.html"
    export_formats = ("csv", "xlsx")
    export_class = SafeTableExport
    export_name = "extracts"

    def get_queryset(self):
        return selectors.extract_library()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["plans"] = selectors.plans()
        ctx["still_generating"] = selectors.extracts_in_progress()
        return ctx


@require_http_methods(["GET", "POST"])
def extract_new(request: HttpRequest) -> HttpResponse:
    ensure_can_read(request.user)
    plan_id = request.POST.get("plan") or request.GET.get("plan")
    plans = list(selectors.plans())
    plan = next((p for p in plans if str(p.pk) == str(plan_id)), None) or (plans[0] if len(plans) == 1 else None)
    if plan is None:
        return render(request, "delivery/extract_choose_plan.html", {"plans": plans})
    initial = {"as_at": extract_as_at(plan), "columns": list(Extract.COLUMNS), "formats": ["docx", "xlsx"]}
    form = ExtractForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            extracts = services.extract_request(
                by=request.user,
                plan=plan,
                as_at=data["as_at"],
                formats=data["formats"],
                columns=data["columns"],
                objectives=list(data["objectives"]),
                include_complete=data["include_complete"],
                changed_since=data["changed_since"],
                title=data["title"],
                subtitle=data["subtitle"],
            )
        except ValidationError as e:
            add_errors(form, e)
        else:
            if len(extracts) == 1:
                return redirect(extracts[0])
            messages.success(request, f"{len(extracts)} extracts requested; each is listed below as it is made.")
            return redirect(f"{reverse('extracts')}?plan={plan.pk}")
    return render(request, "delivery/extract_new.html", {"form": form, "plan": plan, "plans": plans})


class ExtractView(JobPollingMixin, TemplateView):
    template_name = "delivery/extract.html"
    done_template = "delivery/_extract_done.html"
    object_name = "extract"
    retry_url_name = "extract-try-again"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ensure_can_read(self.request.user)
        extract = selectors.extract_detail(pk=self.kwargs["pk"])
        ctx.update(extract=extract, summary_rows=_summary_rows(extract))
        return ctx


@require_http_methods(["POST"])
def extract_try_again(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_can_read(request.user)
    extract = selectors.extract_detail(pk=pk)
    try:
        services.extract_try_again(extract=extract, by=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect(extract)


def _summary_rows(extract: Extract) -> list[tuple[str, list[int], int]]:
    keys = ("R", "A", "G", "B", "") if extract.include_complete else ("R", "A", "G", "")
    counts = extract.summary.get("counts", {})
    return [(title, [c.get(k, 0) for k in keys], sum(c.values())) for title, c in counts.items()]


@require_safe
def extract_download(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_can_read(request.user)
    extract = selectors.extract_detail(pk=pk)
    if extract.state != Extract.State.DONE or not extract.file:
        raise Http404("This extract has no file yet.")
    response = FileResponse(extract.file.open("rb"), as_attachment=True, filename=extract.filename)
    response["Content-Type"] = CONTENT_TYPES[extract.format]
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Imports --------------------------------------------------------------------------------


class ImportHistoryView(ExportMixin, SingleTableMixin, TemplateView):
    table_class = ImportTable
    template_name = "delivery/import_history.html"
    export_formats = ("csv", "xlsx")
    export_class = SafeTableExport
    export_name = "imports"

    def get_table_data(self):
        return selectors.import_history()

    def get_table_kwargs(self):
        return {"user": self.request.user}


@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    ensure_can_edit_plans(request.user)
    plans = selectors.plans()
    chosen = selectors.plan_by_name(request.GET.get("plan", "")) if request.GET.get("plan") else None
    form = ImportUploadForm(
        request.POST or None, request.FILES or None, plans=plans, initial={"plan": chosen.pk if chosen else None}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = services.import_upload(
                by=request.user,
                upload=data["file"],
                plan=data["plan"],
                plan_name=data["plan_name"],
                layout=data["layout"],
                sheet=data["sheet"],
                as_at=data["as_at"],
            )
        except ValidationError as e:
            add_errors(form, e)
        else:
            return redirect(run)
    return render(
        request,
        "delivery/import_upload.html",
        {"form": form, "limit_mb": settings.IMPORT_MAX_BYTES // 1048576},
    )


class ImportView(JobPollingMixin, TemplateView):
    template_name = "delivery/import.html"
    done_template = "delivery/_import_done.html"
    object_name = "run"
    retry_url_name = "import-try-again"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        run = selectors.import_detail(pk=self.kwargs["pk"])
        ensure_can_see_upload(self.request.user, run)  # the preview shows the uploaded content
        can_apply = services.import_may_apply(by=self.request.user, run=run)
        ctx.update(
            run=run,
            preview=selectors.import_preview(run=run),
            can_apply=can_apply,
            mapping=selectors.import_mapping(run=run) if can_apply and not run.scope else None,
            field_choices=FIELD_CHOICES,
            rag_value_choices=RAG_VALUE_CHOICES,
            status_value_choices=STATUS_VALUE_CHOICES,
        )
        return ctx


@require_http_methods(["POST"])
def import_apply(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.import_detail(pk=pk)
    try:
        services.import_start_apply(
            run=run, by=request.user, confirm_other_plan=request.POST.get("confirm_other_plan") == "yes"
        )
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect(run)


@require_http_methods(["POST"])
def import_try_again(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_can_read(request.user)
    run = selectors.import_detail(pk=pk)
    try:
        services.import_try_again(run=run, by=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect(run)


@require_http_methods(["POST"])
def import_remap(request: HttpRequest, pk: int) -> HttpResponse:
    """The mapping step's answers (columns, header rows, values, update date): saved as the plan's import
    profile, and the workbook read again with them."""
    ensure_can_edit_plans(request.user)
    run = selectors.import_detail(pk=pk)
    answers = import_mapping_from_post(request.POST, run.preview or {})
    try:
        services.import_remap(
            run=run,
            by=request.user,
            columns=answers["columns"],
            header_rows=answers["header_rows"],
            values=answers["values"],
            profile_name=answers["profile_name"],
            as_at=answers["as_at"],
        )
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, "Your answers are saved; the workbook is being read again with them.")
    return redirect(run)


@require_safe
def import_file(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.import_detail(pk=pk)
    ensure_can_see_upload(request.user, run)
    response = FileResponse(run.file.open("rb"), as_attachment=True, filename=run.filename)
    response["Content-Type"] = "application/octet-stream"
    return response


@require_safe
def plan_workbook(request: HttpRequest, slug: str) -> HttpResponse:
    """The plan as the tracker's own workbook (import it back to apply edits made in Excel)."""
    from .importers.native import native_workbook

    ensure_can_read(request.user)
    plan = selectors.plan_by_slug(slug)
    _, as_at = parse_as_at(request)
    day = as_at or today()
    response = HttpResponse(native_workbook(plan=plan, as_at=as_at), content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{plan.slug}-workbook-{day.isoformat()}.xlsx"'
    return response
