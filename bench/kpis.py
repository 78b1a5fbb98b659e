"""KPI import and measure page at size: 500,000 observations (500 measures x 10 areas x 100 months) in one
wide force-performance-pack sheet (a Measure column, areas down the side, months across).

    python bench/kpis.py                 # a throwaway SQLite test database
    DATABASE_URL=postgres://... python bench/kpis.py

Prints: bytes of the file; a bare pandas + calamine read of it (the floor); read + validate + plan
(preview); apply; planning the same file again (all unchanged); the measure page's time and query count
with 100 months against a measure with 12 (the count must be the same); the catalogue's time. Asserts
nothing but that the import had no errors.
"""

from __future__ import annotations

import io
import json
import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MEASURES, AREAS, MONTHS = 500, 10, 100


def workbook() -> bytes:
    import xlsxwriter

    from kpis.periods import Period

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    sheet = book.add_worksheet("Pack")
    sheet.write_row(0, 0, ["Force performance pack (bench)"])
    periods = [Period.month(2015, 1).shifted(i) for i in range(MONTHS)]
    sheet.write_row(2, 0, ["Measure", "Area", *[f"{p.start:%b-%y}" for p in periods], "Total", "YTD"])
    r = 3
    for m in range(MEASURES):
        for a in range(AREAS):
            values = [1000 + (m * 7 + a * 13 + i * 31) % 211 for i in range(MONTHS)]
            name = "Bench Police" if a == 0 else f"Area {a}"
            sheet.write_row(
                r, 0, [f"Measure {m:03d}" if a == 0 else None, name, *values, sum(values), sum(values[-12:])]
            )
            r += 1
    book.close()
    return out.getvalue()


def run() -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.IMPORT_MAX_BYTES = 100 * 1024 * 1024
    settings.ALLOWED_HOSTS = ["*"]
    old = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        return measure()
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)


def measure() -> dict:
    import pandas as pd
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from core.tabular import importer
    from core.tabular.importer import ImportOptions
    from kpis.models import Area, Measure, Observation
    from tests.factories import make_user
    from tests.kpis.factories import MeasureFactory, add_series

    user = make_user("bench", role="Editor")
    t = time.perf_counter()
    data = workbook()
    out: dict = {"vendor": connection.vendor, "bytes": len(data), "write_workbook_s": time.perf_counter() - t}

    t = time.perf_counter()
    frame = pd.read_excel(io.BytesIO(data), engine="calamine", header=None)
    out["pandas_calamine_s"] = time.perf_counter() - t
    del frame

    kpis = importer.get("kpis")
    options = ImportOptions(filename="bench.xlsx", as_at=date(2026, 11, 21))
    t = time.perf_counter()
    cs = kpis.plan_file(data, options)
    out["read_validate_plan_s"] = time.perf_counter() - t
    assert not cs.errors, cs.errors[:3]
    t = time.perf_counter()
    kpis.apply(cs, by=user, source="bench", seen_versions={})
    out["apply_s"] = time.perf_counter() - t
    out["observations"] = Observation.objects.count()

    t = time.perf_counter()
    again = kpis.plan_file(data, options)
    out["replan_unchanged_s"] = time.perf_counter() - t
    out["unchanged_after"] = again.counts()["unchanged"]["observations"]

    client = Client()
    client.force_login(user)
    big = Measure.objects.get(name="Measure 250")
    small = MeasureFactory(name="Small measure")
    for area in Area.objects.all():
        add_series(small, area, [100 + i % 5 for i in range(12)])
    for label, m in (("small", small), ("big", big)):
        client.get(m.get_absolute_url())
        with CaptureQueriesContext(connection) as q:
            t = time.perf_counter()
            response = client.get(m.get_absolute_url())
            out[f"measure_page_{label}_s"] = time.perf_counter() - t
        assert response.status_code == 200
        out[f"measure_page_{label}_queries"] = len(q)
    t = time.perf_counter()
    client.get("/kpis/")
    out["catalogue_501_measures_s"] = time.perf_counter() - t
    out["ratio_read_plan_to_pandas"] = out["read_validate_plan_s"] / out["pandas_calamine_s"]
    return out


if __name__ == "__main__":
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = "sqlite:////tmp/bench-kpis.sqlite3"
    print(json.dumps(run(), indent=2, default=str))
