"""Import speed: a generated RAG tracker of 5,000 activities with 20,000 update lines.

    python bench/imports.py            # SQLite, and PostgreSQL if BENCH_POSTGRES_URL or 127.0.0.1:5432 answers

Targets (issue 13): read + validate + plan <= 0.6 s, apply <= 1.5 s on PostgreSQL (<= 3 s on SQLite), peak
memory <= 200 MB. Each is printed beside its floor measured in the same run: a bare python-calamine read of
the file for reading, and writing the same rows (read back after the apply) into empty copies of the tables
with bare COPY (executemany on SQLite) for apply. Prints also the ratio to django-import-export
importing the same rows into the same models (pip install -r requirements-bench.txt), and a re-import of
the next quarter's tracker (every activity with one more update, most with another RAG). Each backend
runs in its own process on a fresh database. Asserts nothing.
"""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
N_ACTIVITIES, UPDATES_PER_ROW = 5000, 4


def workbook(*, next_quarter: bool = False) -> bytes:
    """The tracker; `next_quarter`: the same a quarter on, each activity with one more update line and
    (but the complete ones) another RAG, so re-importing it changes every activity."""
    from tests.delivery.importers.builders import tracker_rows, tracker_workbook

    rows = tracker_rows(N_ACTIVITIES, updates_per_row=UPDATES_PER_ROW + next_quarter)
    if next_quarter:
        for row in rows:
            row[4] = {"R": "Amber", "Amber": "green", "green": "R", "": "R"}.get(row[4], row[4])
    # Unique refs across strands: tracker_rows numbers 1..N; slicing keeps them unique.
    strands = [(f"Strand {s + 1}", rows[s::5]) for s in range(5)]
    return tracker_workbook(strands=strands, extra_sheet=False)


def run_backend(db_url: str, workbook_path: str, next_path: str) -> dict:
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        return measure(Path(workbook_path).read_bytes(), Path(next_path).read_bytes())
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)


def measure(data: bytes, next_quarter: bytes) -> dict:
    """The import first (so the peak memory is the import's: the process holds only Django, the
    workbook's bytes and what the import builds), then the floors and comparisons."""
    import resource

    from django.db import connection

    from core.tabular import importer
    from core.tabular.importer import ImportOptions
    from delivery.models import Activity, ProgressUpdate
    from tests.factories import make_user

    user = make_user("bench", role="Editor")
    out: dict = {"vendor": connection.vendor, "bytes": len(data)}
    out["start_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    plans = importer.get("plan")
    options = ImportOptions(filename="bench.xlsx", as_at=date(2026, 11, 21), target="Bench plan")
    t, c = time.perf_counter(), time.process_time()
    change_set = plans.plan_file(data, options)
    out["read_validate_s"], out["read_validate_cpu"] = time.perf_counter() - t, time.process_time() - c
    assert not change_set.errors, change_set.errors[:3]
    t, c = time.perf_counter(), time.process_time()
    plans.apply(change_set, by=user, source="bench", seen_versions=change_set.versions_seen())
    out["apply_s"], out["apply_cpu"] = time.perf_counter() - t, time.process_time() - c
    del change_set
    out["import_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    import pandas as pd
    from python_calamine import CalamineWorkbook

    t, c = time.perf_counter(), time.process_time()
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()
    out["calamine_s"], out["calamine_cpu"] = time.perf_counter() - t, time.process_time() - c

    t = time.perf_counter()
    frames = pd.read_excel(io.BytesIO(data), engine="calamine", sheet_name=None, header=None)
    out["pandas_calamine_s"] = time.perf_counter() - t
    out["pandas_rows"] = sum(len(f) for f in frames.values())
    out["copy_floor_s"] = copy_floor()
    out["activities"] = Activity.objects.count()
    out["updates"] = ProgressUpdate.objects.filter(kind="import").count()

    t = time.perf_counter()
    again = plans.plan_file(data, options)
    out["revalidate_unchanged_s"] = time.perf_counter() - t
    out["unchanged_after"] = again.counts()["unchanged"]["activities"]
    del again
    t, c = time.perf_counter(), time.process_time()
    changed = plans.plan_file(next_quarter, options)
    plans.apply(changed, by=user, source="bench", seen_versions=changed.versions_seen())
    out["changed_s"], out["changed_cpu"] = time.perf_counter() - t, time.process_time() - c
    out["changed_activities"] = changed.counts()["updated"]["activities"]
    del changed
    out.update(import_export(frames))
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def copy_floor() -> float:
    """Seconds to write the rows apply wrote (activities, their owners and progress updates, read back)
    into empty copies of those tables: COPY on PostgreSQL, executemany on SQLite, nothing else."""
    from django.db import connection, transaction

    tables = ["delivery_activity", "delivery_activity_owners", "delivery_progressupdate"]
    data = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
            data[table] = ([c[0] for c in cursor.description], cursor.fetchall())
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                cursor.execute(f"CREATE TEMP TABLE floor_{table} (LIKE {table} INCLUDING ALL) ON COMMIT DROP")
            else:
                cursor.execute(f"CREATE TEMP TABLE floor_{table} AS SELECT * FROM {table} WHERE 0")  # noqa: S608
        t = time.perf_counter()
        for table in tables:
            columns, rows = data[table]
            names = ", ".join(f'"{c}"' for c in columns)
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY floor_{table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO floor_{table} ({names}) VALUES ({marks})", rows)  # noqa: S608
        elapsed = time.perf_counter() - t
        transaction.set_rollback(True)
    return elapsed


def import_export(frames) -> dict:
    """django-import-export importing the same rows (commitments, then activities) into the same models."""
    try:
        import tablib
        from import_export import fields, resources, widgets
    except ImportError:
        return {"import_export_s": None}
    from delivery.models import Activity, Commitment, Objective, Plan

    plan = Plan.objects.create(name="Import-export plan")
    objective = Objective.objects.create(plan=plan, order=1, title="All")

    class CommitmentResource(resources.ModelResource):
        class Meta:
            model = Commitment
            fields = ("ref", "text", "plan", "objective")
            import_id_fields = ("plan", "ref")
            use_bulk = True
            skip_diff = True

    class PlanCommitment(widgets.ForeignKeyWidget):
        def get_queryset(self, value, row, *args, **kwargs):
            return Commitment.objects.filter(plan=plan)

    class ActivityResource(resources.ModelResource):
        commitment = fields.Field(attribute="commitment", column_name="ref", widget=PlanCommitment(Commitment, "ref"))

        class Meta:
            model = Activity
            fields = ("commitment", "text", "owner_text", "date_text", "rag", "progress")
            import_id_fields = ()
            use_bulk = True
            skip_diff = True

    (frame,) = frames.values()
    rows = [r for r in frame.itertuples(index=False) if isinstance(r[0], (int, float)) and r[0] == r[0]]
    commitments = tablib.Dataset(headers=["ref", "text", "plan", "objective"])
    activities = tablib.Dataset(headers=["ref", "text", "owner_text", "date_text", "rag", "progress"])
    for r in rows:
        ref = str(int(r[0]))
        commitments.append([ref, r[1], plan.pk, objective.pk])
        activities.append([ref, r[1], r[2] or "", str(r[3] or ""), str(r[4] or "")[:1].upper(), r[5] or ""])
    t = time.perf_counter()
    result = CommitmentResource().import_data(commitments, raise_errors=True)
    result2 = ActivityResource().import_data(activities, raise_errors=True)
    elapsed = time.perf_counter() - t
    return {
        "import_export_s": elapsed,
        "import_export_rows": len(rows),
        "import_export_errors": result.has_errors() or result2.has_errors(),
    }


def postgres_url() -> str | None:
    url = os.environ.get("BENCH_POSTGRES_URL")
    if url:
        return url
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return "postgres://postgres@127.0.0.1:5432/postgres"
    except OSError:
        return None


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--backend":
        print(json.dumps(run_backend(sys.argv[2], sys.argv[3], sys.argv[4]), default=str))
        return
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "bench.xlsx"  # built here, so the backends' memory is the import's own
        book.write_bytes(workbook())
        later = Path(tmp) / "next_quarter.xlsx"
        later.write_bytes(workbook(next_quarter=True))
        urls = [f"sqlite:///{tmp}/bench.sqlite3"]
        if pg := postgres_url():
            urls.append(pg)
        for url in urls:
            proc = subprocess.run(
                [sys.executable, __file__, "--backend", url, str(book), str(later)],
                capture_output=True,
                text=True,
                env=os.environ.copy(),
            )
            if proc.returncode:
                print(proc.stderr[-3000:])
                raise SystemExit(proc.returncode)
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            print(
                f"\n{r['vendor']}: {r['activities']} activities, {r['updates']} updates from a "
                f"{r['bytes'] / 1048576:.1f} MB workbook"
            )
            apply_target = 1.5 if r["vendor"] == "postgresql" else 3.0
            print(
                f"  read + validate + plan   {r['read_validate_s']:6.2f} s   (target <= 0.6 s)   "
                f"x{r['read_validate_s'] / r['calamine_s']:.1f} of bare python-calamine ({r['calamine_s']:.2f} s)"
            )
            print(  # CPU seconds of this process: steadier than wall-clock on a busy machine
                f"    CPU time               {r['read_validate_cpu']:6.2f} s   "
                f"x{r['read_validate_cpu'] / max(r['calamine_cpu'], 1e-9):.1f} of bare python-calamine's "
                f"({r['calamine_cpu']:.2f} s)"
            )
            print(
                f"  apply                    {r['apply_s']:6.2f} s   (target <= {apply_target} s)   "
                f"x{r['apply_s'] / r['copy_floor_s']:.1f} of writing the same rows bare ({r['copy_floor_s']:.2f} s)"
            )
            print(f"    CPU time (this process) {r['apply_cpu']:5.2f} s   (the database's own work is not in it)")
            print(
                f"  peak memory, import      {r['import_peak_mb']:6.0f} MB  (target <= 200 MB; the process after "
                f"read, plan and apply; {r['start_mb']:.0f} MB before it; {r['peak_mb']:.0f} MB after the comparisons)"
            )
            print(
                f"  re-import, all unchanged {r['revalidate_unchanged_s']:6.2f} s   "
                f"({r['unchanged_after']} activities unchanged)"
            )
            print(
                f"  re-import, all changed   {r['changed_s']:6.2f} s   (read, plan and apply; CPU "
                f"{r['changed_cpu']:.2f} s): {r['changed_activities']} activities changed, each with a new update"
            )
            print(
                f"  bare pandas + calamine   {r['pandas_calamine_s']:6.2f} s   "
                f"read+validate is x{r['read_validate_s'] / r['pandas_calamine_s']:.1f} of it"
            )
            if r.get("import_export_s"):
                ours = r["read_validate_s"] + r["apply_s"]
                print(
                    f"  django-import-export     {r['import_export_s']:6.2f} s   for {r['import_export_rows']} "
                    f"flat rows, no updates; ours (read+validate+apply) is x{ours / r['import_export_s']:.2f} of it"
                )
            else:
                print("  django-import-export     not installed (pip install -r requirements-bench.txt)")


if __name__ == "__main__":
    main()
