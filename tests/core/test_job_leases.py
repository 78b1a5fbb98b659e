"""Job leases: a claimed job holds a lease renewed with its progress; a task delivered again takes over
a job only once its lease has expired; the sweeper re-queues lost jobs and fails them after
JOB_MAX_ATTEMPTS claims; a stuck job's page offers "Try again" to its owner and editors only."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from core import jobs
from core.jobs import run_job
from delivery import services
from delivery.models import Extract, ImportRun
from tests.factories import PASSWORD, make_activity, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def extract(editor):
    plan = make_activity().commitment.plan
    return Extract.objects.create(plan=plan, as_at=date(2025, 6, 30), columns=["ref"], format="csv", created_by=editor)


def run(extract, work=None):
    return run_job(
        Extract,
        extract.pk,
        work or (lambda job, report: {"state": Extract.State.DONE}),
        start=Extract.QUEUED,
        running=Extract.State.RUNNING,
    )


def lose(job, *, attempts: int = 1):
    """As a worker killed mid-job leaves it: running, its lease expired."""
    type(job).objects.filter(pk=job.pk).update(
        state=job.RUNNING[0] if type(job) is Extract else ImportRun.State.APPLYING,
        lease_until=timezone.now() - timedelta(seconds=1),
        attempts=attempts,
    )
    job.refresh_from_db()
    return job


def test_claiming_a_job_takes_a_lease_and_counts_the_attempt_and_reporting_renews_it(extract, settings):
    settings.JOB_LEASE_SECONDS = 60
    seen = {}

    def work(job, report):
        seen["claimed"] = Extract.objects.get(pk=job.pk)
        Extract.objects.filter(pk=job.pk).update(lease_until=timezone.now())  # nearly expired
        report(50, "Halfway")
        seen["reported"] = Extract.objects.get(pk=job.pk)
        return {"state": Extract.State.DONE}

    done = run(extract, work)
    claimed, reported = seen["claimed"], seen["reported"]
    assert claimed.state == "running" and claimed.attempts == 1
    assert timedelta(seconds=55) < claimed.lease_until - timezone.now() <= timedelta(seconds=60)
    assert reported.lease_until - timezone.now() > timedelta(seconds=55) and reported.message == "Halfway"
    assert done.state == "done" and done.lease_until is None


def test_a_task_delivered_again_leaves_a_running_job_alone_while_its_lease_holds(extract):
    Extract.objects.filter(pk=extract.pk).update(
        state="running", lease_until=timezone.now() + timedelta(minutes=5), attempts=1
    )
    assert run(extract).state == "running"


def test_a_task_delivered_again_takes_over_a_job_whose_lease_expired(extract):
    lose(extract)
    done = run(extract)
    assert (done.state, done.attempts) == ("done", 2)


def test_a_job_lost_too_often_is_not_taken_over_by_a_task_delivered_again(extract, settings):
    settings.JOB_MAX_ATTEMPTS = 2
    lose(extract, attempts=2)
    assert run(extract).state == "running"


def test_writes_of_a_claim_that_was_taken_over_are_dropped(extract):
    def slow_work(job, report):
        # Meanwhile the job was lost, re-queued and claimed by another worker (attempt 2).
        Extract.objects.filter(pk=job.pk).update(attempts=2, progress=5, message="second worker")
        report(80, "first worker")
        return {"state": Extract.State.DONE, "row_count": 99}

    done = run(extract, slow_work)
    assert (done.state, done.progress, done.message, done.row_count) == ("running", 5, "second worker", 0)


def test_the_sweeper_requeues_a_lost_job_and_its_task_runs_it_once(
    extract, eager_tasks, django_capture_on_commit_callbacks
):
    lose(extract)
    with django_capture_on_commit_callbacks(execute=True) as sent:
        assert jobs.sweep_stuck_jobs() == {"requeued": 1, "failed": 0}
    assert len(sent) == 1
    extract.refresh_from_db()
    assert (extract.state, extract.attempts, bool(extract.file)) == ("done", 2, True)
    with django_capture_on_commit_callbacks(execute=True) as sent:
        assert jobs.sweep_stuck_jobs() == {"requeued": 0, "failed": 0}
    assert sent == []


def test_the_sweeper_leaves_running_jobs_with_a_live_lease_and_finished_jobs_alone(extract):
    Extract.objects.filter(pk=extract.pk).update(state="running", lease_until=timezone.now() + timedelta(minutes=1))
    assert jobs.sweep_stuck_jobs() == {"requeued": 0, "failed": 0}
    Extract.objects.filter(pk=extract.pk).update(state="done", lease_until=timezone.now() - timedelta(minutes=1))
    assert jobs.sweep_stuck_jobs() == {"requeued": 0, "failed": 0}


def test_the_sweeper_requeues_an_apply_to_waiting_to_apply_not_to_waiting_to_be_read(
    editor, django_capture_on_commit_callbacks
):
    run_ = ImportRun.objects.create(filename="t.xlsx", created_by=editor, state=ImportRun.State.APPLYING)
    lose(run_)
    with django_capture_on_commit_callbacks(execute=False) as sent:
        jobs.sweep_stuck_jobs()
    run_.refresh_from_db()
    assert run_.state == ImportRun.State.APPLY_QUEUED and len(sent) == 1


def test_after_the_last_attempt_the_sweeper_fails_the_job_with_a_plain_message(extract, settings):
    settings.JOB_MAX_ATTEMPTS = 3
    lose(extract, attempts=3)
    assert jobs.sweep_stuck_jobs() == {"requeued": 0, "failed": 1}
    extract.refresh_from_db()
    assert extract.state == "failed" and extract.resume_state == "pending"
    assert extract.error == (
        "The extract stopped 3 times because the background worker running it was lost (usually for lack of "
        "memory), so it was not tried again; nothing was changed. Try again later, and if it stops again, "
        "tell an administrator."
    )


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_a_stuck_jobs_page_offers_try_again_to_its_owner_and_editors_only(client, extract, editor, viewer):
    lose(extract)
    starter = make_user("starter", role="Viewer")
    Extract.objects.filter(pk=extract.pk).update(created_by=starter)
    for user, offered in ((starter, True), (editor, True), (viewer, False)):
        page = login(client, user).get(extract.get_absolute_url()).content.decode()
        assert "the background worker running it was lost" in page
        assert ('data-testid="try-again"' in page) is offered, user
        client.logout()
    login(client, viewer)
    assert client.post(reverse("extract-try-again", args=[extract.pk])).status_code == 403
    extract.refresh_from_db()
    assert extract.state == "running"


def test_try_again_requeues_a_stuck_job_counting_attempts_afresh(
    client, extract, editor, eager_tasks, settings, django_capture_on_commit_callbacks
):
    settings.JOB_MAX_ATTEMPTS = 3
    lose(extract, attempts=3)
    jobs.sweep_stuck_jobs()
    page = login(client, editor).get(extract.get_absolute_url()).content.decode()
    assert "stopped 3 times" in page and 'data-testid="try-again"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("extract-try-again", args=[extract.pk]))
    assert response.status_code == 302
    extract.refresh_from_db()
    assert (extract.state, extract.attempts, extract.error) == ("done", 1, "")


def test_try_again_refuses_a_job_that_is_not_stuck(client, extract, editor):
    Extract.objects.filter(pk=extract.pk).update(state="done")
    response = login(client, editor).post(reverse("extract-try-again", args=[extract.pk]), follow=True)
    assert "This extract is not stuck (it is ready)." in response.content.decode()


def test_a_failed_job_that_was_not_lost_offers_no_try_again_from_the_job_status(client, extract, editor):
    Extract.objects.filter(pk=extract.pk).update(state="failed", error="The extract could not be generated (X).")
    page = login(client, editor).get(extract.get_absolute_url()).content.decode()
    assert 'data-testid="try-again"' not in page
    with pytest.raises(PermissionDenied):
        services.extract_try_again(extract=extract, by=make_user("nobody"))
