"""The KPI import as a job: on a real Celery worker (upload, preview, apply, a redelivered apply writing
nothing twice), swept when its worker is lost, and offered "Try again" on its page when stuck."""

from __future__ import annotations

from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from config.celery import app
from core import jobs
from kpis import services
from kpis.models import KpiImport, Observation
from tests.delivery.test_tasks import wait_for
from tests.factories import PASSWORD, make_user

from .factories import workbook_bytes

LONG = {
    "D": [
        ["Measure", "Area", "Period", "Value"],
        ["Burglary", "West Mercia Police", "2017-07", 10],
        ["Burglary", "West Mercia Police", "2017-08", 12],
        ["Burglary", "Shropshire", "2017-07", 4],
    ]
}


@pytest.mark.celery
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_kpi_import_is_previewed_and_applied_by_a_real_worker_and_a_redelivery_writes_nothing_twice(
    redis_url, editor, client
):
    assert not app.conf.task_always_eager, "tests with a worker need a broker (REDIS_URL)"
    from kpis.tasks import apply_kpi_import

    client.login(username=editor.username, password=PASSWORD)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        client.post(
            reverse("kpis:import-new"), {"file": SimpleUploadedFile("k.xlsx", workbook_bytes(LONG)), "layout": "auto"}
        )
        run = wait_for(KpiImport.objects.get(), KpiImport.State.PREVIEWED, KpiImport.State.INVALID)
        assert run.state == KpiImport.State.PREVIEWED, run.preview
        assert run.preview["created"]["observations"] == 3 and not Observation.objects.exists()
        client.post(reverse("kpis:import-apply", args=[run.pk]))
        run = wait_for(run, KpiImport.State.APPLIED, KpiImport.State.FAILED)
        assert run.state == KpiImport.State.APPLIED and Observation.objects.count() == 3
        assert apply_kpi_import.delay(run.pk).get(timeout=30) == "applied"
    assert Observation.objects.count() == 3


def _stuck_import(editor) -> KpiImport:
    run, _ = services.kpi_import_from_file(by=editor, data=workbook_bytes(LONG), filename="k.xlsx", dry_run=True)
    KpiImport.objects.filter(pk=run.pk).update(
        state=KpiImport.State.APPLYING, lease_until=timezone.now() - timedelta(seconds=1), attempts=1, applied_by=editor
    )
    run.refresh_from_db()
    return run


@pytest.mark.django_db
def test_the_sweeper_requeues_a_kpi_import_whose_worker_was_lost(
    editor, eager_tasks, django_capture_on_commit_callbacks
):
    run = _stuck_import(editor)
    with django_capture_on_commit_callbacks(execute=True):
        jobs.sweep_stuck_jobs()
    run.refresh_from_db()
    assert run.state == KpiImport.State.APPLIED
    assert Observation.objects.count() == 3


@pytest.mark.django_db
def test_a_stuck_kpi_imports_page_offers_try_again_to_its_uploader_and_editors_only(client, editor, viewer):
    run = _stuck_import(editor)
    other_editor = make_user("other-editor", role="Editor")
    for user, offered in ((editor, True), (other_editor, True)):
        client.force_login(user)
        page = client.get(run.get_absolute_url()).content.decode()
        assert "the background worker running it was lost" in page
        assert ('data-testid="try-again"' in page) is offered
    client.force_login(viewer)
    assert client.get(run.get_absolute_url()).status_code == 403  # the preview is the uploaded content
    assert client.post(reverse("kpis:import-try-again", args=[run.pk])).status_code == 403
    run.refresh_from_db()
    assert run.state == KpiImport.State.APPLYING


@pytest.mark.django_db
def test_try_again_requeues_a_stuck_kpi_import_and_it_is_applied(
    client, editor, eager_tasks, django_capture_on_commit_callbacks
):
    run = _stuck_import(editor)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("kpis:import-try-again", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.state == KpiImport.State.APPLIED and Observation.objects.count() == 3


@pytest.mark.django_db
def test_try_again_refuses_a_kpi_import_that_is_not_stuck(client, editor):
    run, _ = services.kpi_import_from_file(by=editor, data=workbook_bytes(LONG), filename="k.xlsx", dry_run=True)
    client.force_login(editor)
    page = client.post(reverse("kpis:import-try-again", args=[run.pk]), follow=True).content.decode()
    assert "is not stuck (it is ready to apply)" in page
