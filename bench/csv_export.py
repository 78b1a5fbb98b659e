"""The activity list's CSV at the size of a whole region: seconds and peak memory, and the ratio to a
floor (the same tuples written with the csv module, no view).

    python bench/csv_export.py [--db postgres://postgres@127.0.0.1:5432/tracker_perfbench]

Uses the database bench/pages.py seeds (run that first). Asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/tracker_perfbench")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment

    from delivery import selectors

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench"))

    def view() -> int:
        response = client.get("/activities/?_export=csv")
        return sum(len(chunk) for chunk in response)  # consumed as a server would, chunk by chunk

    def floor() -> int:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(selectors.ACTIVITY_EXPORT_HEADER)
        size = 0
        for row in selectors.activity_export_rows(selectors.activity_rows()):
            writer.writerow(row)
            size += out.tell()
            out.seek(0)
            out.truncate()
        return size

    results = {}
    for name, fn in (("floor (csv module)", floor), ("CSV view", view)):
        fn()  # warm
        start = time.perf_counter()
        size = fn()
        elapsed = time.perf_counter() - start  # untraced: tracemalloc slows Python several times over
        tracemalloc.start()
        fn()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        results[name] = elapsed
        print(f"{name:<20} {elapsed:>7.2f} s  peak {peak / 2**20:>6.1f} MB  {size / 2**20:>6.1f} MB written")
    print(f"ratio view / floor: {results['CSV view'] / results['floor (csv module)']:.2f}")


if __name__ == "__main__":
    main()
