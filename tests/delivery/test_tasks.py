"""Delivery's jobs run as Celery tasks on a real worker consuming from Redis (the digests: tests/notifications)."""

from datetime import date

import pytest
from celery.contrib.testing.worker import start_worker

from config.celery import app
from tests.factories import make_activity

pytestmark = pytest.mark.django_db(transaction=True)


def wait_for(obj, *states, seconds: float = 30):
    """Reload `obj` until its state is one of `states` (the worker runs in another thread)."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        obj.refresh_from_db()
        if obj.state in states:
            return obj
        time.sleep(0.1)
    raise AssertionError(f"{obj} stuck in {obj.state}")


@pytest.mark.celery
def test_an_extract_is_generated_by_a_real_worker_and_a_redelivery_writes_nothing_twice(redis_url, editor, settings):
    from delivery import services
    from delivery.models import Extract
    from delivery.tasks import generate_extract
    from tests.factories import CommitmentFactory

    make_activity(commitment=CommitmentFactory(), text="Roll out the new victims' app", on=date(2025, 1, 6))
    plan = Extract._meta.get_field("plan").related_model.objects.get()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        (extract,) = services.extract_request(by=editor, plan=plan, as_at=date(2025, 6, 30), formats=["xlsx"])
        # on_commit has queued the task (transactional test: the request committed at once)
        wait_for(extract, Extract.State.DONE, Extract.State.FAILED, seconds=10)
        assert extract.state == Extract.State.DONE and extract.row_count == 1
        first_file, first_checksum = extract.file.name, extract.checksum
        assert generate_extract.delay(extract.pk).get(timeout=30) == "done"
    extract.refresh_from_db()
    assert (extract.file.name, extract.checksum) == (first_file, first_checksum)


@pytest.mark.celery
def test_upload_preview_and_apply_run_on_a_real_worker(redis_url, editor, client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from delivery.models import Activity, ImportRun
    from tests.delivery.importers.builders import tracker_workbook
    from tests.factories import PASSWORD

    client.login(username=editor.username, password=PASSWORD)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        client.post(
            reverse("import-new"),
            {"file": SimpleUploadedFile("t.xlsx", tracker_workbook()), "layout": "auto", "plan_name": "Charter plan"},
        )
        run = wait_for(ImportRun.objects.get(), ImportRun.State.PREVIEWED, ImportRun.State.INVALID)
        assert run.state == ImportRun.State.PREVIEWED and run.preview["created"]["activities"] == 4
        assert not Activity.objects.exists()
        client.post(reverse("import-apply", args=[run.pk]))
        run = wait_for(run, ImportRun.State.APPLIED, ImportRun.State.FAILED)
        assert run.state == ImportRun.State.APPLIED and Activity.objects.count() == 4
        # A redelivered apply task (acks late, worker crash) writes nothing twice.
        from delivery.tasks import apply_import

        assert apply_import.delay(run.pk).get(timeout=30) == "applied"
    assert Activity.objects.count() == 4
