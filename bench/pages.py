"""Every delivery page at the size of a whole region, one request at a time (issue 13).

    python bench/pages.py [--db postgres://postgres@127.0.0.1:5432/tracker_perfbench]
                          [--activities 20000] [--updates 200000] [--repeat 7] [--reseed]

Migrates the named PostgreSQL database (creating it if missing), fills it with `seed_scale` unless it
already holds that many activities (or --reseed), then requests each page with the Django test
client, logged in as an editor: prints p50/p95 time, HTML size and the number of queries per page.
Not a test database: it is kept for the next run. Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/tracker_perfbench")
    parser.add_argument("--activities", type=int, default=20_000)
    parser.add_argument("--updates", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--only", default="", help="Comma-separated page names to time.")
    args = parser.parse_args()

    ensure_database(args.db)
    os.environ["DATABASE_URL"] = args.db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from delivery.models import Activity, Plan

    call_command("migrate", verbosity=0)
    if args.reseed or Activity.objects.count() != args.activities:
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE delivery_plan, delivery_owner, delivery_oversightbody CASCADE")
        call_command("seed_scale", activities=args.activities, updates=args.updates, verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"seeded in {time.perf_counter() - start:.1f} s")

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["*"]
    from django.contrib.auth import get_user_model

    from core.dates import today
    from tests.factories import PASSWORD, make_user

    user = get_user_model().objects.filter(username="bench").first() or make_user("bench", role="Editor")
    user.set_password(PASSWORD)
    user.save()
    client = Client()
    client.force_login(user)

    past = (today() - timedelta(days=180)).isoformat()
    plan = max(Plan.objects.all(), key=lambda p: Activity.objects.filter(commitment__plan=p).count())
    activity = Activity.objects.order_by("pk")[Activity.objects.count() // 2]
    pages = {
        "home": "/",
        "home as at": f"/?as_at={past}",
        "activities": "/activities/",
        "activities filtered": "/activities/?rag=R&rag=A&overdue=on",
        "activities as at": f"/activities/?as_at={past}",
        "activity": f"/activities/{activity.pk}/",
        "overdue": "/overdue/",
        "overdue group": "/overdue/group/?by=kind&key=activity&page=3",
        "overdue due soon": "/overdue/group/?by=due-soon",
        "overdue csv": "/overdue/?_export=csv",
        "overdue xlsx": "/overdue/?_export=xlsx",
        "plan": f"/plans/{plan.slug}/",
        "activities csv": "/activities/?_export=csv",
    }
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    print(f"database {connection.settings_dict['NAME']}: {Activity.objects.count()} activities")
    print(f"{'page':<22} {'p50 ms':>9} {'p95 ms':>9} {'KB':>9} {'queries':>8}")
    for name, url in pages.items():
        if only and name not in only:
            continue
        times, size, queries = [], 0, 0
        for i in range(args.repeat + 1):
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                response = client.get(url)
                body = b"".join(response) if response.streaming else response.content
                elapsed = time.perf_counter() - start
            assert response.status_code == 200, (url, response.status_code)
            if i:  # the first request warms caches
                times.append(elapsed * 1000)
            size, queries = len(body), len(ctx.captured_queries)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        print(f"{name:<22} {statistics.median(times):>9.1f} {p95:>9.1f} {size / 1024:>9.1f} {queries:>8}")


if __name__ == "__main__":
    main()
