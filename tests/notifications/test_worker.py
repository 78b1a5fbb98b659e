"""The digest task on a real Celery worker consuming from Redis: run twice, it sends one email each."""

from __future__ import annotations

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from config.celery import app

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("locmem")]


def test_the_digest_task_run_twice_on_a_real_worker_sends_each_person_one_email(redis_url, world):
    assert not app.conf.task_always_eager, "tests with a worker need a broker (REDIS_URL)"
    from notifications.tasks import send_digests

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        first = send_digests.delay("2025-06-30").get(timeout=30)
        second = send_digests.delay("2025-06-30").get(timeout=30)
    assert (first["sent"], second["sent"], second["already_sent"]) == (2, 0, 2)
    assert sorted(m.to[0] for m in mail.outbox) == ["chief-exec@example.org", "paley@example.org"]
