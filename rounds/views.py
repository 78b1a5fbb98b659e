"""Update round pages: the list, opening a round, the round (progress, review, close), an owner's
request (their activities, workbook, upload back)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from django_tables2 import RequestConfig

from core.dates import today
from core.forms import add_errors
from core.roles import can_edit_plans, ensure_can_edit_plans, ensure_can_read
from delivery import selectors as delivery_selectors

from . import selectors, services
from .forms import CloseForm, ReturnForm, RoundForm, UploadForm
from .models import RoundItem
from .tables import ItemTable, OwnerProgressTable, RoundTable

XLSX = services.XLSX


@require_http_methods(["GET", "HEAD"])
def round_list(request: HttpRequest) -> HttpResponse:
    ensure_can_read(request.user)
    table = RoundTable(selectors.rounds())
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return render(
        request,
        "rounds/list.html",
        {
            "table": table,
            "mine": list(selectors.requests_for_user(user=request.user)),
            "can_edit": can_edit_plans(request.user),
            "plans": delivery_selectors.plans(),
        },
    )


@require_http_methods(["GET", "POST"])
def round_new(request: HttpRequest) -> HttpResponse:
    ensure_can_edit_plans(request.user)
    plans = list(delivery_selectors.plans())
    plan_id = request.POST.get("plan") or request.GET.get("plan")
    plan = next((p for p in plans if str(p.pk) == str(plan_id)), None) or (plans[0] if len(plans) == 1 else None)
    if plan is None:
        return render(request, "rounds/choose_plan.html", {"plans": plans})
    form = RoundForm(request.POST or None, plan=plan, initial={"as_at": today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rnd = services.round_open(
                by=request.user,
                plan=plan,
                title=data["title"],
                deadline=data["deadline"],
                as_at=data["as_at"],
                message=data["message"],
                objectives=list(data["objectives"]),
                commitments=list(data["commitments"]),
            )
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(
                request, "The round is open; each owner with a login is being emailed their request and workbook."
            )
            return redirect(rnd)
    return render(request, "rounds/new.html", {"form": form, "plan": plan})


@require_http_methods(["GET", "HEAD"])
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_can_read(request.user)
    rnd = selectors.round_detail(pk=pk)
    owners = OwnerProgressTable(selectors.round_owner_progress(rnd=rnd), prefix="o-")
    RequestConfig(request, paginate={"per_page": 25}).configure(owners)
    state = request.GET.get("state", "")
    state = state if state in RoundItem.State.values else ""
    items = ItemTable(selectors.round_items(rnd=rnd, state=state), prefix="i-")
    RequestConfig(request, paginate={"per_page": 25}).configure(items)
    can_edit = can_edit_plans(request.user)
    return render(
        request,
        "rounds/round.html",
        {
            "round": rnd,
            "totals": selectors.round_totals(rnd=rnd),
            "objectives": selectors.round_objective_progress(rnd=rnd),
            "owners": owners,
            "items": items,
            "state": state,
            "states": RoundItem.State.choices,
            "can_review": can_edit and rnd.is_open,
            "close_form": CloseForm(),
        },
    )


@require_http_methods(["GET", "HEAD"])
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_can_read(request.user)
    req = selectors.request_detail(pk=pk)
    return render(
        request,
        "rounds/request.html",
        {
            "req": req,
            "round": req.round,
            "items": list(selectors.request_items(request=req)),
            "may_upload": req.round.is_open and services.may_upload(request.user, req),
            "form": UploadForm(),
        },
    )


@require_http_methods(["GET", "HEAD"])
def request_workbook(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_can_read(request.user)
    req = selectors.request_detail(pk=pk)
    response = HttpResponse(selectors.request_workbook(request=req), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{selectors.workbook_filename(req)}"'
    return response


@require_http_methods(["POST"])
def request_upload(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_can_read(request.user)
    req = selectors.request_detail(pk=pk)
    if not services.may_upload(request.user, req):
        raise PermissionDenied("You can upload a workbook only for your own activities in this round.")
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            run = services.round_upload(by=request.user, request=req, upload=form.cleaned_data["file"])
        except ValidationError as e:
            add_errors(form, e)
        else:
            return redirect(run)
    return render(
        request,
        "rounds/request.html",
        {
            "req": req,
            "round": req.round,
            "items": list(selectors.request_items(request=req)),
            "may_upload": req.round.is_open,
            "form": form,
        },
        status=400,
    )


@require_http_methods(["GET", "POST"])
def item_return(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_can_edit_plans(request.user)
    item = selectors.item_detail(pk=pk)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.round_item_return(by=request.user, item=item, comment=form.cleaned_data["comment"])
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, f"{item.activity.full_ref} was returned to its owner with your comment.")
            return redirect(item.request.round)
    return render(request, "rounds/return.html", {"item": item, "form": form})


@require_http_methods(["POST"])
def item_approve(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_can_edit_plans(request.user)
    item = selectors.item_detail(pk=pk)
    try:
        services.round_item_approve(by=request.user, item=item)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, f"The update to {item.activity.full_ref} is approved.")
    return redirect(item.request.round)


@require_http_methods(["POST"])
def round_approve_submitted(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_can_edit_plans(request.user)
    rnd = selectors.round_detail(pk=pk)
    try:
        n = services.round_approve_submitted(by=request.user, rnd=rnd)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, f"{n} submitted update{'s' if n != 1 else ''} approved.")
    return redirect(rnd)


@require_http_methods(["POST"])
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_can_edit_plans(request.user)
    rnd = selectors.round_detail(pk=pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.round_close(by=request.user, rnd=rnd, reason=form.cleaned_data["reason"])
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(
                request, f"The round is closed. The next Appendix 1 is as at {rnd.as_at:%-d %B %Y} by default."
            )
    else:
        messages.error(request, " ".join(m for msgs in form.errors.values() for m in msgs))
    return redirect(rnd)
