"""The notification settings page and "what changed since you last looked"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.dates import today
from core.models import AuditEntry
from delivery import services as delivery_services
from delivery.models import Activity, Status
from kpis import services as kpi_services
from meetings import services as meetings_services
from notifications import selectors
from notifications.models import NotificationSettings
from tests.factories import OwnerFactory, make_activity
from tests.kpis.factories import MeasureFactory
from tests.meetings.conftest import make_meeting

pytestmark = pytest.mark.django_db


def test_the_settings_page_saves_each_persons_choice(client, owner_user):
    client.force_login(owner_user)
    page = client.get(reverse("notifications:settings"))
    assert page.status_code == 200 and b'value="weekly" checked' in page.content
    response = client.post(reverse("notifications:settings"), {"digest": "none"}, follow=True)
    assert b"Your notification settings have been saved." in response.content
    assert NotificationSettings.objects.get(user=owner_user).digest == "none"


def test_a_choice_that_is_not_offered_is_refused_with_a_message(client, viewer):
    client.force_login(viewer)
    response = client.post(reverse("notifications:settings"), {"digest": "hourly"})
    assert response.status_code == 200 and b"Choose daily, weekly or never." in response.content
    assert b"<title>Error:" in response.content
    assert not NotificationSettings.objects.exists()


@pytest.fixture
def owned(owner_user, editor):
    paley = OwnerFactory(name="Supt Paley", user=owner_user)
    activity = make_activity(
        text="Refresh the ANPR camera network", owners=[paley], due_date=today() + timedelta(days=90)
    )
    return paley, activity


def _update(activity, by, **kwargs):
    activity = Activity.objects.get(pk=activity.pk)
    return delivery_services.activity_record_update(activity=activity, by=by, seen_version=activity.version, **kwargs)


def test_what_changed_lists_changes_by_others_to_my_items_then_starts_again_from_now(client, owner_user, editor, owned):
    paley, activity = owned
    _update(
        activity, editor, rag="A", text="Supplier delay on the camera units; June at risk.", status=Status.IN_PROGRESS
    )
    _update(activity, owner_user, text="Chased the supplier myself.")
    other = make_activity(text="Someone else's activity", owners=[OwnerFactory(name="CI Preece")])
    _update(other, editor, text="Not mine.")
    action = meetings_services.action_create(
        by=editor,
        meeting=make_meeting(),
        text="Report on stop and search findings",
        owners=[paley],
        due_date=today() + timedelta(days=30),
    )
    kpi = kpi_services.kpi_action_raise(
        by=editor,
        measure=MeasureFactory(),
        text="Review the 999 call answer times",
        owner_name="Supt Paley",
        due_date=today() + timedelta(days=60),
    )
    kpi_services.kpi_action_set_status(by=editor, action=kpi, status=Status.IN_PROGRESS)
    assert AuditEntry.objects.filter(model_label="kpis.kpiaction", object_id=str(kpi.pk)).count() == 2
    client.force_login(owner_user)
    home = client.get(reverse("home"))
    assert b"What changed on your items" in home.content
    page = client.get(reverse("notifications:changes"))
    text = page.content.decode()
    assert "RAG: Not rated → Amber" in text and "Supplier delay on the camera units" in text
    assert "Chased the supplier myself." not in text  # their own change
    assert "Not mine." not in text
    assert action.get_absolute_url() in text and "Report on stop and search findings" in text
    assert "Review the 999 call answer times" in text and "Status: Not started → In progress" in text
    again = client.get(reverse("notifications:changes"))
    assert again.context["table"].paginator.count == 0  # nothing new since that look


def test_what_changed_makes_the_same_number_of_queries_for_few_or_many_changes(client, owner_user, editor, owned):
    _, activity = owned

    def queries() -> int:
        NotificationSettings.objects.filter(user=owner_user).delete()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("notifications:changes")).status_code == 200
        return len(ctx)

    client.force_login(owner_user)
    queries()  # the first request also keeps the login's role in the cache
    _update(activity, editor, text="First.")
    few = queries()
    for n in range(12):
        _update(activity, editor, text=f"Update {n}.")
    assert queries() == few


def test_paging_what_changed_keeps_the_same_window(client, owner_user, editor, owned):
    _, activity = owned
    for n in range(3):
        _update(activity, editor, text=f"Update {n}.")
    client.force_login(owner_user)
    first = client.get(reverse("notifications:changes") + "?per_page=2")
    assert first.context["table"].paginator.count == 4  # three updates and the activity's creation
    second = client.get(reverse("notifications:changes") + "?per_page=2&page=2")
    assert len(second.context["table"].page.object_list) == 2


def test_a_kpi_action_change_made_outside_a_request_names_who_made_it(owner_user, editor):
    OwnerFactory(name="Supt Paley", user=owner_user)
    kpi = kpi_services.kpi_action_raise(
        by=editor,
        measure=MeasureFactory(),
        text="Review the 999 call answer times",
        owner_name="Supt Paley",
        due_date=today() + timedelta(days=60),
    )
    kpi_services.kpi_action_set_status(by=owner_user, action=kpi, status=Status.IN_PROGRESS)
    raised, started = AuditEntry.objects.filter(model_label="kpis.kpiaction", object_id=str(kpi.pk)).order_by("pk")
    assert (raised.actor, started.actor) == (editor, owner_user)  # from the services' `by`, no request needed
    now = timezone.now()
    rows = selectors.change_rows(list(selectors.changes_queryset(user=owner_user, since=now - timedelta(1), until=now)))
    assert [(r.what, r.by) for r in rows] == [("Raised", editor.get_full_name() or editor.get_username())]


def test_what_changed_filters_by_kind_and_words_within_the_same_window(client, owner_user, editor, owned):
    paley, activity = owned
    _update(activity, editor, text="Supplier delay on the camera units.")
    meetings_services.action_create(
        by=editor,
        meeting=make_meeting(),
        text="Report on stop and search findings",
        owners=[paley],
        due_date=today() + timedelta(days=30),
    )
    client.force_login(owner_user)
    everything = client.get(reverse("notifications:changes"))
    total = everything.context["table"].paginator.count
    assert total == 3  # the activity's creation and update, and the action
    meetings_only = client.get(reverse("notifications:changes"), {"kind": "meeting action"})
    assert meetings_only.context["table"].paginator.count == 1
    assert b"matching the filters" in meetings_only.content
    words = client.get(reverse("notifications:changes"), {"q": "anpr"})
    assert words.context["table"].paginator.count == 2
    refused = client.get(reverse("notifications:changes"), {"kind": "everything"})
    assert refused.status_code == 200 and b"Select a valid choice" in refused.content
    assert refused.context["table"].paginator.count == total  # an unknown kind filters nothing
    cleared = client.get(reverse("notifications:changes"), {"page": "1"})
    assert cleared.context["table"].paginator.count == total  # the same look, not a new one
