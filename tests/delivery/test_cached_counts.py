"""The activity list's paginator count and filter choices, and the plan page's RAG counts, come from the
cache while the plans' data is unchanged (selectors.activity_count, ActivityFilter.form,
plan_objectives_summary), and are fresh after any write. The RAG filter reads the shown RAG."""

from datetime import date

import pytest
from django.urls import reverse

from delivery import selectors, services
from delivery.models import Activity, Rag, Status
from tests.factories import PASSWORD, OwnerFactory, make_activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client, viewer):
    assert client.login(username=viewer.username, password=PASSWORD)
    return client


def shown_count(client, query=""):
    return client.get(reverse("activities") + query).context["table"].paginator.count


def test_the_list_count_is_fresh_after_a_new_activity_and_an_update(reader, editor):
    first = make_activity(text="One", rag=Rag.RED, status=Status.IN_PROGRESS, on=date(2025, 1, 1))
    make_activity(text="Two", rag=Rag.GREEN, status=Status.IN_PROGRESS, on=date(2025, 1, 1))
    assert shown_count(reader) == 2
    assert shown_count(reader, "?rag=R") == 1
    assert shown_count(reader, "?rag=R") == 1  # from the cache, the same
    make_activity(text="Three", rag=Rag.RED, status=Status.IN_PROGRESS, on=date(2025, 1, 1))
    assert shown_count(reader) == 3
    assert shown_count(reader, "?rag=R") == 2
    services.activity_record_update(activity=first, by=editor, seen_version=first.version, rag=Rag.GREEN, text="Done")
    assert shown_count(reader, "?rag=R") == 1
    assert shown_count(reader, "?as_at=2024-12-01") == 0
    assert shown_count(reader, "?as_at=2025-01-02&rag=R") == 2  # the past is as it was


def test_an_invalid_filter_counts_nothing():
    assert selectors.activity_count(Activity.objects.none()) == 0


def test_the_plan_pages_counts_are_fresh_after_an_update(reader, editor):
    activity = make_activity(text="One", rag=Rag.RED, status=Status.IN_PROGRESS, on=date(2025, 1, 1))
    plan = activity.commitment.plan
    url = reverse("plan", args=[plan.slug])
    summary = reader.get(url).context["tree"]
    assert [dict(n.rag_counts) for n in summary] == [{"R": 1}]
    services.activity_record_update(
        activity=activity, by=editor, seen_version=activity.version, rag=Rag.AMBER, text="Slipping"
    )
    summary = reader.get(url).context["tree"]
    assert [dict(n.rag_counts) for n in summary] == [{"A": 1}]
    past = reader.get(url + "?as_at=2025-01-02").context["tree"]
    assert [dict(n.rag_counts) for n in past] == [{"R": 1}]


def test_the_rag_filter_reads_the_shown_rag_today_and_in_the_past(reader, editor):
    """Blue is shown for a complete activity whatever its RAG; "none" is the not rated."""
    red = make_activity(text="Red", rag=Rag.RED, status=Status.IN_PROGRESS, on=date(2025, 1, 1))
    make_activity(text="Done but red", rag=Rag.RED, status=Status.COMPLETE, on=date(2025, 1, 1))
    make_activity(text="Unrated", rag=Rag.NOT_RATED, status=Status.NOT_STARTED, on=date(2025, 1, 1))
    make_activity(text="Green", rag=Rag.GREEN, status=Status.IN_PROGRESS, on=date(2025, 1, 1))
    services.activity_record_update(
        activity=red, by=editor, seen_version=red.version, rag=Rag.GREEN, status=Status.COMPLETE, text="Done"
    )

    def texts(query):
        return sorted(a.text for a in reader.get(reverse("activities") + query).context["table"].data)

    assert texts("?rag=R") == []
    assert texts("?rag=B") == ["Done but red", "Red"]
    assert texts("?rag=G") == ["Green"]
    assert texts("?rag=none&rag=G") == ["Green", "Unrated"]
    day = f"&as_at={date(2025, 1, 2).isoformat()}"
    assert texts("?rag=R" + day) == ["Red"]
    assert texts("?rag=B" + day) == ["Done but red"]
    assert texts("?rag=none" + day) == ["Unrated"]


def test_the_filters_choices_are_fresh_after_a_new_owner_and_keep_the_chosen_one(reader):
    make_activity(text="One", on=date(2025, 1, 1))
    page = reader.get(reverse("activities")).content.decode()
    assert "Supt Quill" not in page
    quill = OwnerFactory(name="Supt Quill")
    page = reader.get(reverse("activities")).content.decode()
    assert f'<option value="{quill.pk}">Supt Quill</option>' in page
    page = reader.get(reverse("activities") + f"?owner={quill.pk}").content.decode()
    assert f'<option value="{quill.pk}" selected>Supt Quill</option>' in page
    quill.name = "Supt Quill-Ash"
    quill.save()
    assert f'<option value="{quill.pk}">Supt Quill-Ash</option>' in reader.get(reverse("activities")).content.decode()
