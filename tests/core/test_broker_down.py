"""Starting a job while Redis is down: the request answers within seconds (not 19), the job ends failed
with a plain message on its page, other pages keep working, and once Redis is back "Try again" sends it.
The test starts and stops its own Redis on a spare port."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from config.celery import app
from core.jobs import UNAVAILABLE
from delivery import services
from delivery.models import Extract, ImportRun
from tests.delivery.importers.builders import tracker_workbook
from tests.factories import PASSWORD, make_activity

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    def __init__(self, port: int) -> None:
        self.port, self.process = port, None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--save",
                "",
                "--daemonize",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return
            time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def use_broker(url: str, *, eager: bool) -> None:
    """Point the Celery app at `url` (broker and results), dropping its cached connections."""
    from kombu import pools

    app.conf.update(broker_url=url, result_backend=url, task_always_eager=eager)
    pools.reset()  # kombu's shared connection and producer pools, closed and forgotten
    app._after_fork()  # the app's references to them
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)


@pytest.fixture
def own_redis():
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    saved = (app.conf.broker_url, app.conf.result_backend, app.conf.task_always_eager)
    server = RedisServer(free_port())
    server.start()
    use_broker(f"redis://127.0.0.1:{server.port}/0", eager=False)
    yield server
    server.stop()
    use_broker(saved[0], eager=saved[2])
    app.conf.result_backend = saved[1]
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)


def queued_messages(port: int) -> int:
    import redis

    return redis.Redis(port=port).llen("celery")


def test_an_upload_while_redis_is_down_answers_fast_and_the_job_says_jobs_are_unavailable(
    client, editor, own_redis, django_capture_on_commit_callbacks
):
    assert client.login(username=editor.username, password=PASSWORD)
    own_redis.stop()

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("import-new"), {"file": SimpleUploadedFile("t.xlsx", tracker_workbook()), "layout": "auto"}
        )
    elapsed = time.monotonic() - started

    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    assert elapsed < 3, f"the upload took {elapsed:.1f} s"
    assert (run.state, run.error, run.resume_state) == ("failed", UNAVAILABLE, "queued")
    page = client.get(run.get_absolute_url()).content.decode()
    assert UNAVAILABLE in page and 'data-testid="try-again"' in page
    assert client.get(reverse("home")).status_code == 200  # pages keep working
    assert client.get(reverse("imports")).status_code == 200

    own_redis.start()  # Redis is back: Try again sends the job
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("import-try-again", args=[run.pk]))
    run.refresh_from_db()
    assert (run.state, run.error, run.resume_state) == ("queued", "", "")
    assert queued_messages(own_redis.port) == 1


def test_an_extract_requested_while_redis_is_down_fails_with_the_message_and_no_row_is_left_waiting(
    editor, own_redis, django_capture_on_commit_callbacks
):
    plan = make_activity().commitment.plan
    own_redis.stop()
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        (extract,) = services.extract_request(by=editor, plan=plan, as_at=date(2025, 6, 30), formats=["csv"])
    assert time.monotonic() - started < 3
    extract.refresh_from_db()
    assert (extract.state, extract.error) == ("failed", UNAVAILABLE)
    assert not Extract.objects.filter(state__in=Extract.QUEUED).exists()
