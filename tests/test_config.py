"""Settings and services: production mode passes Django's deploy checks; CI runs on the real services."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import IN_CI, require_service

ROOT = Path(__file__).resolve().parent.parent


def test_production_settings_pass_check_deploy():
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": "k3y-" + "x7Qp2Zr9Lm4Vt8Wb1Nc6Hd0Fg5Js3Ky" * 2,
        "ALLOWED_HOSTS": "tracker.example.org",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    env.pop("DEBUG", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set in-process by the browser tests; never in production
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_ENV": "production", "ALLOWED_HOSTS": "x"}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_with_no_broker_tasks_run_in_process():
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CELERY_BROKER_URL")}
    code = "import django; django.setup(); from django.conf import settings as s; print(s.CELERY_TASK_ALWAYS_EAGER)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "True", result.stderr


@pytest.mark.skipif(not IN_CI, reason="only CI must run on PostgreSQL and Redis")
def test_ci_runs_against_postgresql_and_redis(db):
    require_service("PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database")
    require_service("Redis", settings.CELERY_BROKER_URL.startswith("redis"), "set REDIS_URL")


def test_cache_keys_name_the_release_so_two_releases_sharing_redis_never_read_each_others_entries(tmp_path):
    from config.release import SOURCES, code_version

    if not os.environ.get("CACHE_KEY_PREFIX"):
        assert settings.CACHE_KEY_PREFIX == f"tracker:{code_version(Path(settings.BASE_DIR))}"
    if "KEY_PREFIX" in settings.CACHES["default"]:  # Redis; in-memory caches are per process anyway
        assert settings.CACHES["default"]["KEY_PREFIX"] == settings.CACHE_KEY_PREFIX
    for top in SOURCES:
        (tmp_path / top).mkdir()
    (tmp_path / "core" / "models.py").write_text("x = 1\n")
    (tmp_path / "templates" / "page.html").write_text("<p>one</p>\n")
    (tmp_path / "tests").mkdir()
    first = code_version(tmp_path)
    assert first == code_version(tmp_path)  # the same code, the same release, on any machine
    (tmp_path / "tests" / "test_x.py").write_text("y = 2\n")  # not part of a release
    assert code_version(tmp_path) == first
    (tmp_path / "templates" / "page.html").write_text("<p>two</p>\n")
    second = code_version(tmp_path)
    assert second != first
    (tmp_path / "core" / "models.py").write_text("x = 2\n")
    assert code_version(tmp_path) not in (first, second)
