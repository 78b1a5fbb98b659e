"""A worker that dies mid-job (its pool child killed with SIGKILL, as the OOM killer does) loses nothing:
the job's lease expires, the sweeper (beat) re-queues it, and it finishes exactly once. A real worker
and beat run as processes on Redis and PostgreSQL, with a 3-second lease and a sweep every second."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from delivery import services
from delivery.models import Activity, Extract, ImportRun, Plan, ProgressUpdate
from tests.delivery.importers.builders import tracker_rows, tracker_workbook

pytestmark = [pytest.mark.celery, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
ROWS = 5000


@pytest.fixture
def worker(redis_url, tmp_path):
    """`celery worker` (prefork, one child) and `celery beat`, sharing the test database and media folder."""
    if connection.vendor != "postgresql":
        pytest.skip("killing a worker mid-job needs PostgreSQL (set DATABASE_URL)")
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": redis_url,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "JOB_LEASE_SECONDS": "3",
        "JOB_SWEEP_SECONDS": "1",
        "EXTRACT_PDF_WORKERS": "0",
    }
    celery = [sys.executable, "-m", "celery", "-A", "config"]
    log = (tmp_path / "worker.log").open("w")
    processes = [
        subprocess.Popen(
            [
                *celery,
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--hostname",
                f"loss-{os.getpid()}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        ),
        subprocess.Popen(
            [*celery, "beat", "--loglevel=INFO", "--schedule", str(tmp_path / "beat-schedule")],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        ),
    ]
    yield processes[0]
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    log.close()


def pool_child(worker: subprocess.Popen) -> int:
    children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split()
    assert len(children) == 1, children
    return int(children[0])


def wait_until(check, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@contextmanager
def writes_held(table: str):
    """A SHARE lock on `table`, in a connection of its own, until the block ends: reads go on, and a
    transaction that writes to it waits there, part-way through, for as long as the block lasts."""
    db = connection.settings_dict
    with psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"]) as held:
        held.execute(f'LOCK TABLE "{table}" IN SHARE MODE')  # our own table's name
        yield
        held.rollback()


def waiting_to_write(table: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
            " WHERE c.relname = %s AND NOT l.granted",
            [table],
        )
        return cursor.fetchone()[0] > 0


def test_an_import_whose_worker_is_killed_mid_apply_is_applied_exactly_once(worker, editor):
    data = tracker_workbook(strands=[("Prevention", tracker_rows(ROWS))], extra_sheet=False)
    run, _ = services.import_from_file(by=editor, data=data, filename="big.xlsx", plan_name="Big", dry_run=True)
    assert run.state == ImportRun.State.PREVIEWED
    wait_until(lambda: Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split(), 30, "the pool")
    updates = ProgressUpdate._meta.db_table
    with writes_held(updates):  # the apply, in its one transaction, stops when it comes to the updates
        services.import_start_apply(run=run, by=editor)
        wait_until(lambda: waiting_to_write(updates), 60, "the apply to reach the progress updates")
        assert ImportRun.objects.get(pk=run.pk).state == "applying"
        os.kill(pool_child(worker), signal.SIGKILL)
        killed_at = time.monotonic()
        assert ImportRun.objects.get(pk=run.pk).state == "applying"  # lost mid-apply: nothing committed
        assert not Activity.objects.exists()
    # The lock released, the dead apply's transaction ends with its connection, unfinished.

    run = wait_until(lambda: ImportRun.objects.filter(pk=run.pk, state__in=["applied", "failed"]).first(), 120, "apply")
    assert run.state == "applied", run.error
    assert run.attempts == 2  # claimed once by the killed child, once after the sweeper re-queued it
    assert run.result["created"]["activities"] == ROWS
    assert Activity.objects.count() == ROWS
    updates = ProgressUpdate.objects.count()
    # As one apply writes them: per activity, its creation and the file's update (no second set).
    assert updates == ROWS + run.result["created"]["updates"] == 2 * ROWS
    assert ProgressUpdate.objects.values("activity_id", "on", "text").distinct().count() == updates  # no duplicates
    assert Plan.objects.count() == 1
    print(f"recovered {time.monotonic() - killed_at:.1f} s after the kill")


def test_an_extract_whose_worker_is_killed_mid_render_is_generated_exactly_once(worker, editor):
    data = tracker_workbook(strands=[("Prevention", tracker_rows(600))], extra_sheet=False)
    services.import_from_file(by=editor, data=data, filename="plan.xlsx", plan_name="Big")
    plan = Plan.objects.get()
    (extract,) = services.extract_request(
        by=editor, plan=plan, as_at=date.today(), formats=["pdf"], include_complete=True
    )

    wait_until(
        lambda: Extract.objects.filter(pk=extract.pk, state="running", progress__gte=10).exists(), 60, "the render"
    )
    os.kill(pool_child(worker), signal.SIGKILL)
    killed_at = time.monotonic()

    extract = wait_until(
        lambda: Extract.objects.filter(pk=extract.pk, state__in=["done", "failed"]).first(), 180, "pdf"
    )
    assert extract.state == "done", extract.error
    assert extract.attempts == 2
    assert extract.row_count == 600 and extract.file.read(4) == b"%PDF"
    files = list((Path(settings.MEDIA_ROOT) / "extracts").rglob("*.pdf"))
    assert len(files) == 1, files  # the killed attempt saved nothing; the second saved once
    print(f"recovered {time.monotonic() - killed_at:.1f} s after the kill")
