"""Brute-force protection on sign-in (issue 8, item 7): django-axes locks out a username from one IP
address after AXES_FAILURE_LIMIT (5) wrong passwords, for AXES_COOLOFF_TIME (30 minutes); the lockout
is logged, shows a page that says what to do, and an administrator can lift it."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.security import client_ip
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

HOME = "198.51.100.7"


def sign_in(client, username, password, ip=HOME):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def fail(client, username, times, ip=HOME):
    for _ in range(times):
        response = sign_in(client, username, "wrong password", ip)
        assert response.status_code in (200, 429)
    return response


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_defaults_are_five_failures_by_username_and_address_for_thirty_minutes():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=30)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_four_wrong_passwords_then_the_right_one_signs_in(client, editor):
    assert fail(client, "editor", 4).status_code == 200
    assert sign_in(client, "editor", PASSWORD).status_code == 302 and signed_in(client)


def test_five_wrong_passwords_then_the_right_one_is_refused_with_the_lockout_page(client, editor, caplog):
    with caplog.at_level(logging.WARNING, logger="core.security"):
        response = fail(client, "editor", 5)
    assert response.status_code == 429
    response = sign_in(client, "editor", PASSWORD)
    assert response.status_code == 429 and not signed_in(client)
    body = response.content.decode()
    assert "Too many failed sign-ins" in body and "Try again in 30 minutes" in body
    assert "ask an administrator" in body
    assert any(
        "locked out" in r.getMessage() and "'editor'" in r.getMessage() and HOME in r.getMessage()
        for r in caplog.records
    )
    # The test client's login() is refused too: it goes through the same backend.
    assert not client.login(username="editor", password=PASSWORD, request=_request(HOME))


def test_the_lockout_is_for_that_username_from_that_address_only(client, editor, viewer):
    fail(client, "editor", 5)
    assert sign_in(client, "viewer", PASSWORD).status_code == 302  # another username, same address
    client.logout()
    assert sign_in(client, "editor", PASSWORD, ip="203.0.113.9").status_code == 302  # same user, elsewhere


def test_after_the_cool_off_the_right_password_works_again(client, editor):
    fail(client, "editor", 5)
    assert sign_in(client, "editor", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))
    assert sign_in(client, "editor", PASSWORD).status_code == 302 and signed_in(client)


def test_an_administrator_lifts_a_lockout_with_axes_reset(client, editor):
    fail(client, "editor", 5)
    call_command("axes_reset_username", "editor", verbosity=0)
    assert sign_in(client, "editor", PASSWORD).status_code == 302
    client.logout()
    fail(client, "editor", 5)
    call_command("axes_reset", verbosity=0)
    assert sign_in(client, "editor", PASSWORD).status_code == 302


def test_an_administrator_sees_and_deletes_the_lockout_in_the_admin(client, editor, admin_user):
    fail(client, "editor", 5)
    attempt = AccessAttempt.objects.get(username="editor")
    assert client.login(username="admin", password=PASSWORD)
    listing = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200 and "editor" in listing.content.decode()
    response = client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert response.status_code == 302 and not AccessAttempt.objects.exists()
    client.logout()
    assert sign_in(client, "editor", PASSWORD).status_code == 302


def test_behind_a_proxy_the_address_is_the_one_our_proxy_saw(settings, rf):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7", REMOTE_ADDR="10.0.0.2")
    settings.TRACKER_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"
    settings.TRACKER_PROXY_COUNT = 1
    assert client_ip(request) == "198.51.100.7"  # the spoofed left-most entry is ignored


def _request(ip):
    from django.http import HttpRequest

    request = HttpRequest()
    request.META["REMOTE_ADDR"] = ip
    return request
