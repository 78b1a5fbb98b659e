"""Beat schedule -> task -> email, end to end with real processes: `celery beat` on django-celery-beat's
DatabaseScheduler fires the digest task every second (a PeriodicTask made here, as an administrator
would in Admin > Periodic tasks), a real `celery worker` (two pool children, so runs overlap) takes it
from Redis and sends through Django's file-based email backend into a folder this test reads. Beat fires
several times; each person still gets exactly one email for the week."""

from __future__ import annotations

import email
import email.policy
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from core.models import SentNotification

pytestmark = [pytest.mark.celery, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
SITE = "https://tracker.opcc.example"
SEPARATOR = "\n" + "-" * 79 + "\n"  # what the file-based backend writes after each message


@pytest.fixture
def beat_and_worker(redis_url, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("a worker in another process needs a shared database: set DATABASE_URL to PostgreSQL")
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": redis_url,
        "CELERY_BEAT_SCHEDULER": "django_celery_beat.schedulers:DatabaseScheduler",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(outbox),
        "SITE_URL": SITE,
        "DIGEST_DUE_SOON_DAYS": "14",
    }
    worker_log, beat_log = tmp_path / "worker.log", tmp_path / "beat.log"
    celery = [sys.executable, "-m", "celery", "-A", "config"]
    started = []

    def start(args, log_path):
        log = log_path.open("w")
        process = subprocess.Popen([*celery, *args], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        started.append((process, log))
        return process

    def stop(process):
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def run():
        start(
            [
                "worker",
                "--pool=prefork",
                "--concurrency=2",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--hostname",
                f"digests-{os.getpid()}@%h",
            ],
            worker_log,
        )
        return start(["beat", "--loglevel=INFO", "--max-interval=1"], beat_log)

    yield {"run": run, "stop": stop, "outbox": outbox, "worker_log": worker_log, "beat_log": beat_log}
    for process, log in started:
        if process.poll() is None:
            stop(process)
        log.close()


def succeeded_runs(worker_log: Path) -> list[str]:
    """The return value of each digest task the worker finished, as it logs them."""
    text = worker_log.read_text() if worker_log.exists() else ""
    return re.findall(r"Task notifications\.tasks\.send_digests\[[^\]]+\] succeeded in [\d.]+s: (\{.*\})", text)


def wait_until(check, seconds: float, what: str, logs: list[Path]):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    tails = "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in logs if p.exists())
    raise AssertionError(f"timed out waiting for {what}\n{tails}")


def read_outbox(outbox: Path) -> list[email.message.EmailMessage]:
    messages = []
    for path in sorted(outbox.iterdir()):
        for chunk in path.read_bytes().split(SEPARATOR.encode()):
            if chunk.strip():
                messages.append(email.message_from_bytes(chunk, policy=email.policy.default))
    return messages


def test_beat_fires_the_digest_task_several_times_and_a_real_worker_sends_each_person_one_email(beat_and_worker, world):
    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(
        name="Digest emails (test: every second)",
        task="notifications.tasks.send_digests",
        interval=every_second,
        args=json.dumps(["2025-06-30"]),  # a working Monday: the weekly digests' day
    )
    beat = beat_and_worker["run"]()
    logs = [beat_and_worker["worker_log"], beat_and_worker["beat_log"]]

    runs = wait_until(lambda: len(succeeded_runs(logs[0])) >= 4 and succeeded_runs(logs[0]), 120, "4 runs", logs)
    beat_and_worker["stop"](beat)
    time.sleep(2)  # let a run already taken finish (it can only find the keys taken)
    runs = succeeded_runs(logs[0])

    assert len(re.findall(r"Sending due task .*notifications\.tasks\.send_digests", logs[1].read_text())) >= 4
    sent = [int(re.search(r"'sent': (\d+)", r).group(1)) for r in runs]
    assert sum(sent) == 2, runs  # over every run together: the two people, once each

    messages = read_outbox(beat_and_worker["outbox"])
    assert sorted(m["To"] for m in messages) == ["chief-exec@example.org", "paley@example.org"]
    assert set(SentNotification.objects.values_list("key", flat=True)) == {
        f"digest:{world['owner'].pk}:2025-W27",
        f"digest:{world['chief'].pk}:2025-W27",
    }
    paley = next(m for m in messages if m["To"] == "paley@example.org")
    assert paley.is_multipart()
    parts = {p.get_content_type(): p.get_content() for p in paley.walk() if not p.is_multipart()}
    assert set(parts) == {"text/plain", "text/html"}
    assert f"{SITE}{world['late'].get_absolute_url()}" in parts["text/plain"]
    assert f'href="{SITE}{world["late"].get_absolute_url()}"' in parts["text/html"]
    assert "Refresh the ANPR camera network" in parts["text/plain"]
