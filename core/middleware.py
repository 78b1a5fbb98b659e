"""Requests from a signed-in account with no role get a page saying to ask for access, whatever they
ask for: a login with no role reads nothing (not a page, a list, an export or a file)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from .roles import can_read

# Paths open to a signed-in account with no role: signing in and out, and the load balancer's check.
OPEN_PREFIXES = ("/accounts/", "/health/", "/static/", "/accessibility/", "/privacy/")


class RoleRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not can_read(user)
            and not request.path.startswith(OPEN_PREFIXES)
        ):
            return render(request, "core/no_role.html", {"logout_url": reverse("logout")}, status=403)
        return self.get_response(request)
