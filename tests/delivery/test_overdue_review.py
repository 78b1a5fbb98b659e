"""The overdue review at any size: counts by aggregate query, each group's items a page at a time
(htmx fragment, or a page of its own), the same number of queries for 10 or 300 overdue items, and
the same answers as `overdue_items`, which the command, digests and exports keep using."""

import csv
import io
from datetime import timedelta

import openpyxl
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.dates import today
from delivery import overdue
from delivery.models import Activity, Status
from tests.factories import OwnerFactory, make_activity, make_many_activities

HTMX = {"HTTP_HX_REQUEST": "true"}


def _make_overdue(n: int):
    plan = make_many_activities(n, updates=1)
    ids = list(Activity.objects.filter(commitment__plan=plan).order_by("pk").values_list("pk", flat=True))
    for i, pk in enumerate(ids):  # due 1 .. n days ago, one in five not overdue (complete)
        Activity.objects.filter(pk=pk).update(
            due_date=today() - timedelta(days=i + 1),
            status=Status.COMPLETE if i % 5 == 4 else Status.IN_PROGRESS,
        )
    return plan


def test_group_counts_and_pages_agree_with_overdue_items(db):
    _make_overdue(80)
    day = today()
    items = overdue.overdue_items(as_at=day)
    assert len(items) == 64
    kinds = overdue.groups(as_at=day, by="kind")
    assert [(g.label, g.count, g.worst) for g in kinds] == [("activity", 64, items[0].days_overdue)]
    by_owner = {g.label: g.count for g in overdue.groups(as_at=day, by="owner")}
    assert by_owner == {owner: len(group) for owner, group in overdue.group_by_owner(items)}
    by_objective = overdue.groups(as_at=day, by="objective")
    assert [g.label for g in by_objective] == [f"{n}. Objective {n}" for n in (1, 2, 3, 4)]
    assert sum(g.count for g in by_objective) == 64
    # Pages of a group follow the same order as overdue_items, and together hold every item once.
    first = overdue.group_items(as_at=day, by="kind", key="activity", limit=50)
    second = overdue.group_items(as_at=day, by="kind", key="activity", offset=50, limit=50)
    assert first + second == items
    owner = by_objective[0]
    page = overdue.group_items(as_at=day, by="objective", key=owner.key, limit=100)
    assert len(page) == owner.count and {i.objective for i in page} == {"Objective 1"}


def test_a_source_with_no_query_is_counted_and_paged_from_its_items(db):
    make_activity(text="Late", owners=[OwnerFactory(name="Supt Paley")], due_date=today() - timedelta(days=3))

    def fake(as_at, plan):
        return [
            overdue.OverdueItem(
                kind="test action",
                plan="Holding to account",
                ref=f"HTA-{n}",
                title="Chase",
                owners=("Supt Paley",),
                due=as_at - timedelta(days=n),
                days_overdue=n,
            )
            for n in (12, 2)
        ]

    overdue.register("test action", fake)
    try:
        assert {g.label: g.count for g in overdue.groups(as_at=today(), by="owner")} == {"Supt Paley": 3}
        page = overdue.group_items(as_at=today(), by="owner", key="Supt Paley")
        assert page[0].ref == "HTA-12" and len(page) == 3
        assert [g.worst for g in overdue.groups(as_at=today(), by="kind")] == [12, 3]
    finally:
        overdue.unregister("test action")


def test_a_group_loads_fifty_at_a_time_with_show_more(client, viewer):
    _make_overdue(75)  # 60 overdue
    client.force_login(viewer)
    url = reverse("overdue-group") + "?by=kind&key=activity"
    fragment = client.get(url, **HTMX).content.decode()
    assert "<html" not in fragment and fragment.count("days overdue</strong>") == 50
    assert "page=2&amp;more=1" in fragment and "Show more" in fragment
    more = client.get(url + "&page=2&more=1", **HTMX).content.decode()
    assert more.count("days overdue</strong>") == 10 and "<ul" not in more and "Show more" not in more
    # Without JavaScript: the group's own page, with a next page link.
    page = client.get(url).content.decode()
    assert "<html" in page and page.count("days overdue</strong>") == 50 and 'rel="next"' in page
    assert client.get(reverse("overdue-group") + "?by=nonsense").status_code == 400


def test_the_review_stays_the_same_size_and_query_count_as_items_grow(client, viewer):
    client.force_login(viewer)
    urls = [
        reverse("overdue"),
        reverse("overdue") + f"?as_at={today() - timedelta(days=2)}",
        reverse("overdue-group") + "?by=kind&key=activity",
        reverse("overdue-group") + "?by=owner&key=Owner+1",
        reverse("overdue-group") + "?by=due-soon&due_within=400",
        reverse("overdue-group") + "?by=stale&stale_after=1",
    ]

    def measure():
        sizes, counts = {}, {}
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url, **(HTMX if "group" in url else {}))
            assert response.status_code == 200, url
            sizes[url], counts[url] = len(response.content), len(ctx.captured_queries)
        return sizes, counts

    _make_overdue(10)
    client.get(reverse("overdue-group"))  # warm the session (not the review's counts, kept in the cache)
    _, small_counts = measure()
    _make_overdue(300)
    big_sizes, big_counts = measure()
    assert big_counts == small_counts
    review = reverse("overdue")
    # The top 25 and 50 of each short list, and the group counts, not every item three times over.
    assert big_sizes[review] < 150_000, big_sizes


def test_the_export_streams_every_item_most_overdue_first_in_chunks(client, viewer):
    _make_overdue(40)  # 32 overdue
    make_activity(text='=HYPERLINK("http://evil.example","x")', due_date=today() - timedelta(days=500))
    day = today()
    items = overdue.overdue_items(as_at=day)
    streamed = list(overdue.stream_items(as_at=day, chunk=7))  # five chunks and a short one
    assert sorted(streamed, key=repr) == sorted(items, key=repr)
    assert [i.days_overdue for i in streamed] == sorted((i.days_overdue for i in items), reverse=True)
    client.force_login(viewer)
    response = client.get(reverse("overdue") + "?_export=csv")
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    assert rows[0] == ["Kind", "Plan", "Ref", "Item", "Owner/s", "Due", "Days overdue", "Days since update", "RAG"]
    assert len(rows) == 1 + len(items) and rows[1][3].startswith("'=HYPERLINK") and rows[1][6] == "500"
    assert [r[6] for r in rows[1:]] == [str(i.days_overdue) for i in items]
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("overdue") + "?_export=xlsx").getvalue()))
    assert book.active.max_row == 1 + len(items) and book.active.cell(2, 4).value.startswith("'=")


def test_a_group_page_is_titled_by_its_group(client, viewer):
    _make_overdue(10)
    client.force_login(viewer)
    objective = overdue.groups(as_at=today(), by="objective")[0]
    body = client.get(reverse("overdue-group") + f"?by=objective&key={objective.key}").content.decode()
    assert f'<h1 class="govuk-heading-l">Overdue: {objective.label} ({objective.plan})</h1>' in body
    body = client.get(reverse("overdue-group") + "?by=owner&key=Owner+1").content.decode()
    assert '<h1 class="govuk-heading-l">Overdue: Owner 1</h1>' in body


def test_the_review_counts_an_item_as_soon_as_it_falls_overdue(client, viewer):
    from delivery.services import activity_record_update
    from tests.factories import system_user

    activity = make_activity(due_date=today() + timedelta(days=10))
    client.force_login(viewer)
    assert "Nothing is overdue" in client.get(reverse("overdue")).content.decode()
    activity_record_update(
        by=system_user(), activity=activity, seen_version=activity.version, due_date=today() - timedelta(days=3)
    )
    page = client.get(reverse("overdue")).content.decode()
    assert "Nothing is overdue" not in page and activity.text in page
