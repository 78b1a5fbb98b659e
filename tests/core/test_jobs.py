"""Jobs: run_job moves a job through running to done or failed, is safe to run twice, logs a failure
once, and never leaves a job running after an exception; the job's page then stops polling."""

from __future__ import annotations

import logging
from datetime import date

import pytest
from django.core.files.base import ContentFile

from core.jobs import run_job
from delivery import services
from delivery.models import Extract, ImportRun
from tests.delivery.importers.builders import tracker_workbook
from tests.factories import PASSWORD, PlanFactory, make_activity

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def poll(client, job):
    return client.get(job.get_absolute_url() + "?part=status", HTTP_HX_REQUEST="true")


def assert_stopped_polling(client, job):
    response = poll(client, job)
    assert response.status_code == 200
    assert response["HX-Refresh"] == "true"
    assert "hx-trigger" not in response.content.decode()


def kept_import(editor, *, state: str) -> ImportRun:
    run = ImportRun(filename="tracker.xlsx", created_by=editor, applied_by=editor, as_at=date(2025, 1, 31), state=state)
    run.file.save("tracker.xlsx", ContentFile(tracker_workbook()), save=False)
    run.save()
    return run


def test_an_import_whose_file_is_gone_ends_failed_with_a_message_and_stops_polling(client, editor, caplog):
    run = kept_import(editor, state=ImportRun.State.QUEUED)
    run.file.storage.delete(run.file.name)
    with caplog.at_level(logging.ERROR, logger="core.jobs"):
        done = services.import_validate(run_id=run.pk)
    assert done.state == ImportRun.State.FAILED
    assert done.error == "The uploaded file could not be read back from storage; upload it again."
    assert done.finished_at is not None
    assert [r.levelno for r in caplog.records if r.name == "core.jobs"] == [logging.ERROR]  # logged once
    assert_stopped_polling(login(client, editor), done)


def test_an_import_that_fails_while_applying_ends_failed_and_writes_nothing(client, editor):
    run = kept_import(editor, state=ImportRun.State.PREVIEWED)
    done = services.import_validate(run_id=run.pk)  # not queued any more: left alone
    assert done.state == ImportRun.State.PREVIEWED
    ImportRun.objects.filter(pk=run.pk).update(state=ImportRun.State.APPLY_QUEUED)
    run.file.storage.delete(run.file.name)
    done = services.import_apply(run_id=run.pk)
    assert done.state == ImportRun.State.FAILED
    assert done.error == "The import could not be applied (FileNotFoundError); nothing was changed."
    assert done.plan is None
    assert_stopped_polling(login(client, editor), done)


def test_an_extract_that_cannot_be_rendered_ends_failed_and_stops_polling(client, editor):
    plan = make_activity().commitment.plan
    # A format no renderer knows (a row written by an older or newer version) fails inside the job.
    extract = Extract.objects.create(plan=plan, as_at=date(2025, 6, 30), columns=["ref"], format="odt")
    done = services.extract_generate(extract_id=extract.pk)
    assert done.state == Extract.State.FAILED
    assert done.error == "The extract could not be generated (ValueError)."
    assert not done.file
    assert_stopped_polling(login(client, editor), done)
    page = client.get(done.get_absolute_url()).content.decode()
    assert "could not be generated" in page and "Try again" in page


def test_run_job_is_safe_to_run_twice_and_ends_in_the_state_the_work_returns():
    plan = PlanFactory()
    extract = Extract.objects.create(plan=plan, as_at=date(2025, 6, 30), columns=["ref"], format="csv")
    calls = []

    def work(job, report):
        calls.append(job.state)
        report(50, "Half way")
        assert Extract.objects.get(pk=job.pk).message == "Half way"
        return {"state": Extract.State.DONE, "row_count": 7}

    first = run_job(Extract, extract.pk, work, start=Extract.QUEUED, running=Extract.State.RUNNING)
    second = run_job(Extract, extract.pk, work, start=Extract.QUEUED, running=Extract.State.RUNNING)
    assert calls == [Extract.State.RUNNING]
    assert (first.state, first.row_count, first.progress, first.message) == (Extract.State.DONE, 7, 100, "")
    assert second.state == Extract.State.DONE and second.finished_at == first.finished_at


def test_run_job_of_a_missing_job_returns_none():
    assert run_job(Extract, 987654, lambda job, report: {}, start=Extract.QUEUED, running="running") is None
