"""The overdue digest runs as a Celery task on a real worker consuming from Redis."""

from datetime import date

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from config.celery import app
from delivery import digests
from delivery.models import Owner, Status
from tests.factories import OwnerFactory, make_activity, make_user

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


@pytest.fixture
def overdue_setup(owner_user):
    chief = make_user("chief-exec", role="Chief Executive")
    paley = OwnerFactory(name="Supt Paley", user=owner_user)
    make_activity(
        text="Refresh ANPR cameras",
        due_date=date(2025, 5, 31),
        on=date(2025, 1, 1),
        status=Status.IN_PROGRESS,
        owners=[paley],
    )
    make_activity(
        text="Unowned late item",
        due_date=date(2025, 4, 30),
        on=date(2025, 1, 1),
        owners=[OwnerFactory(name="Digital Services")],
    )
    return chief


def test_digest_emails_each_owner_their_items_and_the_chief_executive_everything(overdue_setup, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    result = digests.send_overdue_digests(as_at=date(2025, 6, 30))
    assert (result.items, result.emails) == (2, 2)
    owner_mail, chief_mail = mail.outbox
    assert owner_mail.to == ["owner@example.org"] and "Refresh ANPR cameras" in owner_mail.body
    assert "Unowned late item" not in owner_mail.body
    assert chief_mail.to == ["chief-exec@example.org"] and "Digital Services (1)" in chief_mail.body
    assert Owner.objects.count() == 2


@pytest.mark.celery
def test_the_digest_task_runs_on_a_real_worker(redis_url, overdue_setup, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert not app.conf.task_always_eager, "tests with a worker need a broker (REDIS_URL)"
    from delivery.tasks import send_overdue_digests

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        result = send_overdue_digests.delay("2025-06-30").get(timeout=30)
    assert result == {"as_at": "2025-06-30", "items": 2, "emails": 2}
    assert len(mail.outbox) == 2


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
