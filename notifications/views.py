"""The notification settings page and "what changed since you last looked" (page and home panel)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe
from django_tables2 import RequestConfig

from core.roles import can_read, ensure_can_read

from . import selectors, services
from .filters import ChangeFilterForm
from .forms import SettingsForm
from .tables import ChangeTable


@require_http_methods(["GET", "POST"])
def settings_page(request):
    ensure_can_read(request.user)
    current = selectors.settings_for(request.user)
    if request.method == "POST":
        form = SettingsForm(request.POST)
        if form.is_valid():
            services.settings_save(user=request.user, digest=form.cleaned_data["digest"])
            messages.success(request, "Your notification settings have been saved.")
            return redirect("notifications:settings")
    else:
        form = SettingsForm(initial={"digest": current.digest})
    return render(
        request,
        "notifications/settings.html",
        {"form": form, "has_email": bool(request.user.email), "owns_anything": selectors.owns_anything(request.user)},
    )


@require_safe
def changes_page(request):
    """A look without `?page=` (or a filter) records the visit; its further pages and its filtered
    views show the same window."""
    ensure_can_read(request.user)
    filters = ChangeFilterForm(request.GET or None)
    if any(name in request.GET for name in ("page", "q", "kind")):
        look = selectors.settings_for(request.user)
        if look.changes_seen_at is None:
            look = services.changes_look(user=request.user, now=timezone.now())
    else:
        look = services.changes_look(user=request.user, now=timezone.now())
    qs = selectors.changes_queryset(
        user=request.user, since=look.changes_from, until=look.changes_seen_at, **filters.criteria()
    )
    table = ChangeTable(selectors.ChangePages(qs))
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(
        request,
        "notifications/changes.html",
        {
            "table": table,
            "look": look,
            "filter_form": filters if filters.is_bound else ChangeFilterForm(),
            "filtered": filters.is_bound and any(filters.criteria().values()),
            "owns_anything": selectors.owns_anything(request.user),
        },
    )


def home_panel(request, obj=None) -> dict | None:
    """The home page's "What changed" panel: how many changes since the last look (two queries)."""
    if not can_read(request.user):
        return None
    count, look = selectors.home_changes_count(user=request.user, now=timezone.now())
    return {"count": count, "seen_at": look.changes_seen_at}
