"""List pages at growing sizes: queries per page (must stay flat) and time per request.

    python bench/list_pages.py [--sizes 10,1000,10000]

Uses a throwaway test database (SQLite unless DATABASE_URL is set). Prints figures and ratios; it
asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10,1000,10000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(sizes)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(sizes: list[int]) -> None:
    from django.test import Client

    from delivery.models import Activity, Plan
    from tests.factories import PASSWORD, make_many_activities, make_user

    make_user("bench", role="Editor")
    client = Client()
    client.login(username="bench", password=PASSWORD)
    print(f"database: {connection.vendor}")
    results: dict[int, dict[str, tuple[int, float]]] = {}
    for n in sizes:
        Plan.objects.all().delete()
        plan = make_many_activities(n)
        pages = {
            "home": "/",
            "plan": f"/plans/{plan.slug}/",
            "plan as at": f"/plans/{plan.slug}/?as_at=2025-02-01",
            "activities": "/activities/",
            "activities filtered": "/activities/?rag=R&rag=A&overdue=on",
            "activities as at": "/activities/?as_at=2025-02-01",
            "activities csv": "/activities/?_export=csv",
            "overdue": "/overdue/",
        }
        results[n] = {}
        for name, url in pages.items():
            client.get(url)
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                response = client.get(url)
                elapsed = time.perf_counter() - start
            assert response.status_code == 200, (url, response.status_code)
            results[n][name] = (len(ctx.captured_queries), elapsed)
        print(f"\n{Activity.objects.count()} activities")
        for name, (queries, elapsed) in results[n].items():
            print(f"  {name:<22} {queries:>3} queries  {elapsed * 1000:>8.1f} ms")
    first, last = sizes[0], sizes[-1]
    print(f"\nratios {last} / {first} activities (queries, time):")
    for name in results[first]:
        q0, t0 = results[first][name]
        q1, t1 = results[last][name]
        print(f"  {name:<22} queries x{q1 / q0:.2f}  time x{t1 / t0:.1f}")


if __name__ == "__main__":
    main()
