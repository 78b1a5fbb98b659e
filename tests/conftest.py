"""Shared fixtures. In CI (CI=true) the real services are required: a missing PostgreSQL or Redis
fails the run instead of skipping tests."""

from __future__ import annotations

import os
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings

from tests.factories import make_user

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=2):
            return True
    except OSError:
        return False


def require_service(name: str, ok: bool, how: str) -> None:
    """Fail in CI, skip elsewhere, when a real service a test needs is missing."""
    if ok:
        return
    message = f"{name} is not available: {how}"
    if IN_CI:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def redis_url() -> str:
    url = settings.CELERY_BROKER_URL
    require_service(
        "Redis",
        url.startswith("redis") and _reachable(url),
        "set REDIS_URL=redis://127.0.0.1:6379/0 with Redis running",
    )
    return url


@pytest.fixture
def admin_user(db):
    return make_user("admin", role="Administrator", is_superuser=True)


@pytest.fixture
def editor(db):
    return make_user("editor", role="Editor")


@pytest.fixture
def owner_user(db):
    return make_user("owner", role="Owner")


@pytest.fixture
def chief(db):
    return make_user("chief", role="Chief Executive")


@pytest.fixture
def viewer(db):
    return make_user("viewer", role="Viewer")


@pytest.fixture
def users(admin_user, editor, owner_user, chief, viewer):
    return {
        "Administrator": admin_user,
        "Editor": editor,
        "Owner": owner_user,
        "Chief Executive": chief,
        "Viewer": viewer,
    }


def pytest_configure(config):
    # Hashing each test user's password with PBKDF2 costs ~0.3 s; tests don't need it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _login_with_a_request()


def _login_with_a_request() -> None:
    """django-axes checks every sign-in against the caller's address, so `authenticate` needs the
    request; the test client's `login()` calls it without one. Give it a request from the test client's
    own address, so `client.login(...)` goes through the same lockout rules as the sign-in page."""
    from django.http import HttpRequest
    from django.test import Client

    plain_login = Client.login
    if getattr(plain_login, "_with_request", False):
        return

    def login(self, **credentials):
        if "request" not in credentials:
            request = HttpRequest()
            request.META["REMOTE_ADDR"] = "127.0.0.1"
            credentials["request"] = request
        return plain_login(self, **credentials)

    login._with_request = True
    Client.login = login


@pytest.fixture(autouse=True)
def _audit_context_per_test():
    """A command run with call_command names its user for the rest of the process (core.audit.set_actor);
    each test starts with nobody named."""
    from core import audit

    audit.reset()
    yield
    audit.reset()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Generated and uploaded files go to a temporary folder, never the working tree."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def eager_tasks():
    """Run Celery tasks in-process, as the embedded default does (the worker path has its own tests)."""
    from config.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def pytest_collection_modifyitems(config, items):
    """Browser and real-worker tests are slow too: `pytest -m "not slow"` is the quick loop."""
    for item in items:
        if item.get_closest_marker("browser") or item.get_closest_marker("celery"):
            item.add_marker(pytest.mark.slow)
