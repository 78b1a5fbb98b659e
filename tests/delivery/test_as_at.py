"""The state "as at" a past date comes from joins over the linked trail (next_on / next_text_on),
and equals what the per-activity subqueries it replaced gave, for every date and every trail."""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef, Q, Subquery, TextField, Value
from django.db.models.functions import Coalesce
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.status import Status, is_open
from delivery import demo, selectors
from delivery.models import Activity, ProgressUpdate, link_trails
from delivery.services import activity_record_update
from tests.factories import CommitmentFactory, make_activity, make_many_activities, system_user

pytestmark = pytest.mark.django_db

EVERY = Q()
COLUMNS = ("pk", "at_rag", "at_status", "at_start", "at_due", "at_progress", "at_progress_on", "at_last_update_on")


def reference_as_at(as_at: date):
    """The implementation before the trail was linked: seven correlated subqueries per activity."""
    upto = ProgressUpdate.objects.filter(activity=OuterRef("pk"), on__lte=as_at).order_by("-on", "-id")
    texts = upto.exclude(text="")
    return Activity.objects.filter(Exists(upto)).annotate(
        at_rag=Subquery(upto.values("rag")[:1]),
        at_status=Subquery(upto.values("status")[:1]),
        at_start=Subquery(upto.values("start_date")[:1]),
        at_due=Subquery(upto.values("due_date")[:1]),
        at_progress=Coalesce(Subquery(texts.values("text")[:1]), Value(""), output_field=TextField()),
        at_progress_on=Subquery(texts.values("on")[:1]),
        at_last_update_on=Subquery(upto.values("on")[:1]),
    )


def state(qs, activity_filter: Q = EVERY):
    return list(qs.filter(activity_filter).order_by("pk").values_list(*COLUMNS))


def assert_same_on(days, activity_filter: Q = EVERY):
    for day in days:
        rebuilt = state(selectors.activities_as_at(as_at=day), activity_filter)
        assert rebuilt == state(reference_as_at(day), activity_filter), f"as at {day}"


@pytest.mark.slow
def test_the_demo_plan_as_at_every_fortnight_of_its_history_equals_the_subquery_rebuild():
    today = date(2026, 6, 30)
    demo.seed(today=today)
    first = ProgressUpdate.objects.order_by("on").values_list("on", flat=True).first()
    days = [first - timedelta(days=1), *(first + timedelta(days=d) for d in range(0, (today - first).days, 14))]
    assert ProgressUpdate.objects.count() > 500
    assert_same_on(days)
    assert len(state(selectors.activities_as_at(as_at=today - timedelta(days=1)))) > 50


# A trail: updates as (day offset, has text, rag, status), in the order they were written (ids),
# several on the same day; the days need not increase with the ids (imports and seeds write out of order).
UPDATE = st.tuples(
    st.integers(min_value=0, max_value=12),
    st.booleans(),
    st.sampled_from(["R", "A", "G", ""]),
    st.sampled_from(["not_started", "in_progress", "complete"]),
)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(trails=st.lists(st.lists(UPDATE, min_size=0, max_size=8), min_size=1, max_size=4))
def test_generated_trails_with_same_day_updates_rebuild_as_the_subqueries_did_for_every_date(trails):
    start = date(2025, 1, 1)
    commitment = CommitmentFactory()
    activities = [make_activity(commitment=commitment, on=start, text=f"Activity {i}") for i in range(len(trails))]
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(
            activity=a,
            on=start + timedelta(days=offset),
            text=f"Note {n}" if has_text else "",
            rag=rag,
            status=status,
            due_date=start + timedelta(days=30 + n),
        )
        for a, trail in zip(activities, trails, strict=True)
        for n, (offset, has_text, rag, status) in enumerate(trail)
    )
    link_trails(a.pk for a in activities)
    assert_same_on([start + timedelta(days=d) for d in range(-1, 14)], Q(commitment=commitment))


def test_a_service_update_supersedes_the_previous_one_from_its_date():
    start = date(2025, 3, 1)
    activity = make_activity(on=start, progress="Started")
    activity_record_update(by=system_user(), activity=activity, seen_version=1, rag="G", on=start)
    activity_record_update(
        by=system_user(), activity=activity, seen_version=2, text="Half way", on=start + timedelta(days=5)
    )
    trail = list(
        ProgressUpdate.objects.filter(activity=activity).order_by("on", "id").values_list("next_on", "next_text_on")
    )
    assert trail == [(start, start + timedelta(days=5)), (start + timedelta(days=5), None), (None, None)]
    assert_same_on([start + timedelta(days=d) for d in range(-1, 8)])


def test_as_at_a_past_date_is_one_query_at_10_activities_and_at_200():
    past = date.today() - timedelta(days=5)
    make_many_activities(10)
    with CaptureQueriesContext(connection) as small:
        list(selectors.activities_as_at(as_at=past))
    make_many_activities(200)
    with CaptureQueriesContext(connection) as large:
        rows = list(selectors.activities_as_at(as_at=past))
    assert len(small) == len(large) == 1
    assert len(rows) == 210
    assert "LEAD" not in large[0]["sql"] and large[0]["sql"].count("SELECT") == 1


def test_the_link_is_filled_for_updates_written_without_it():
    start = date(2025, 5, 1)
    activity = make_activity(on=start)
    ProgressUpdate.objects.bulk_create(
        [ProgressUpdate(activity=activity, on=start + timedelta(days=3), text="x", status="in_progress")]
    )
    stale = ProgressUpdate.objects.filter(activity=activity).order_by("on").values_list("next_on", flat=True)
    assert list(stale) == [None, None]
    link_trails([activity.pk])
    assert list(stale.all()) == [start + timedelta(days=3), None]


def python_home_counts(day: date, soon_days: int = 30):
    """Home's figures counted row by row in Python from the reference rebuild, as home once did."""
    counts, overdue, due_soon = Counter(), Counter(), Counter()
    rows = reference_as_at(day).values_list(
        "commitment__objective_id", "commitment__plan_id", "at_rag", "at_status", "at_due"
    )
    for objective_id, plan_id, rag, status, due in rows:
        counts[(objective_id, "B" if status == Status.COMPLETE else rag)] += 1
        if due and is_open(status):
            if due < day:
                overdue[plan_id] += 1
            elif due <= day + timedelta(days=soon_days):
                due_soon[plan_id] += 1
    return counts, overdue, due_soon


def test_home_counts_come_from_the_database_and_match_counting_every_row():
    make_many_activities(40, updates=4)
    make_many_activities(25, updates=2)
    for day in (date.today() - timedelta(days=d) for d in (0, 1, 12, 25, 40, 400)):
        counts, overdue, due_soon = python_home_counts(day)
        with CaptureQueriesContext(connection) as ctx:
            summaries = selectors.home_summary(as_at=day)
        assert len(ctx) == 3  # the plans' fingerprint (the cache's key), objectives, the counts
        assert {
            (o.objective.pk, rag): n for s in summaries for o in s.objectives for rag, n in o.counts.items() if n
        } == dict(counts)
        assert {s.plan.pk: s.overdue for s in summaries if s.overdue} == dict(overdue)
        assert {s.plan.pk: s.due_soon for s in summaries if s.due_soon} == dict(due_soon)
    assert sum(s.total for s in selectors.home_summary(as_at=date.today())) == 65


def _rag_counts(summaries) -> dict:
    return {rag: n for s in summaries for o in s.objectives for rag, n in o.counts.items() if n}


def test_home_counts_are_kept_until_the_plans_data_changes_and_then_worked_out_again():
    activity = make_activity(rag="G")
    assert _rag_counts(selectors.home_summary()) == {"G": 1}
    with CaptureQueriesContext(connection) as ctx:
        assert _rag_counts(selectors.home_summary()) == {"G": 1}
    assert len(ctx) == 1  # the fingerprint; the counts come from the cache
    activity_record_update(by=system_user(), activity=activity, seen_version=activity.version, rag="R", text="Late")
    assert _rag_counts(selectors.home_summary()) == {"R": 1}
    # A write that sends no signal (bulk_update, QuerySet.update, COPY) says so itself.
    Activity.objects.filter(pk=activity.pk).update(rag="A")
    selectors.PLAN_DATA.changed()
    assert _rag_counts(selectors.home_summary()) == {"A": 1}
    activity.delete()
    assert _rag_counts(selectors.home_summary()) == {}


def test_home_page_shows_the_plans_as_they_now_stand_after_an_update(client):
    from tests.factories import make_user

    activity = make_activity(rag="G")
    client.force_login(make_user("viewer-home", role="Viewer"))
    first = client.get("/").content.decode()
    assert 'title="Green: 1"' in first
    activity_record_update(by=system_user(), activity=activity, seen_version=activity.version, rag="R", text="Late")
    second = client.get("/").content.decode()
    assert 'title="Red: 1"' in second and 'title="Green: 1"' not in second
