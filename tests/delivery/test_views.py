import csv
import io
from datetime import date, timedelta

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.dates import today
from delivery import services
from delivery.models import PLAN_DATA, Activity, Rag, Status
from kpis.selectors import ACTION_DATA
from meetings.selectors import MEETING_DATA
from tests.factories import PASSWORD, OwnerFactory, make_activity, make_many_activities

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def activity(editor):
    return make_activity(
        rag=Rag.GREEN,
        status=Status.IN_PROGRESS,
        due_date=date(2025, 6, 30),
        on=date(2025, 1, 6),
        date_text="By June 25",
        owners=[OwnerFactory(name="Supt Paley")],
    )


def page_urls(activity):
    plan = activity.commitment.plan
    return [
        reverse("home"),
        reverse("plan", args=[plan.slug]),
        reverse("activities"),
        reverse("activity", args=[activity.pk]),
        reverse("activity-update", args=[activity.pk]),
        reverse("overdue"),
    ]


def test_every_page_needs_a_login(client, activity):
    for url in page_urls(activity):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url
    assert client.get(reverse("health")).status_code == 200


@pytest.mark.parametrize("role", ["Administrator", "Editor", "Owner", "Chief Executive", "Viewer"])
def test_every_role_can_read_every_page(client, users, activity, role):
    login(client, users[role])
    for url in page_urls(activity)[:4] + page_urls(activity)[5:]:
        assert client.get(url).status_code == 200, url
    update_status = client.get(reverse("activity-update", args=[activity.pk])).status_code
    assert update_status == (200 if role in ("Administrator", "Editor") else 403)


def test_the_plan_page_shows_rag_as_colour_and_letter_and_the_original_date_text(client, viewer, activity):
    body = login(client, viewer).get(reverse("plan", args=[activity.commitment.plan.slug])).content.decode()
    assert 'class="rag rag--green"' in body and 'G <span class="rag__word">Green</span>' in body
    assert '"By June 25"' in body and "30 Jun 2025" in body
    assert "Overdue" in body


def test_an_owner_records_an_update_through_the_form(client, owner_user, activity):
    activity.owners.first().__class__.objects.filter(pk=activity.owners.first().pk).update(user=owner_user)
    login(client, owner_user)
    url = reverse("activity-update", args=[activity.pk])
    form = client.get(url).context["form"]
    response = client.post(
        url,
        {
            "rag": "A",
            "status": "in_progress",
            "text": "Awaiting the supplier's revised plan.",
            "on": today().isoformat(),
            "due_date": "2026-12-31",
            "date_text": "Dec 26",
            "owners": [o.pk for o in activity.owners.all()],
            "seen_version": form.initial["seen_version"],
        },
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.rag, activity.due_date, activity.progress) == (
        "A",
        date(2026, 12, 31),
        "Awaiting the supplier's revised plan.",
    )
    page = client.get(reverse("activity", args=[activity.pk])).content.decode()
    assert "Awaiting the supplier&#x27;s revised plan." in page
    assert "Green" in page and "Amber" in page  # the change from what to what


def test_moving_to_amber_without_a_reason_is_refused_with_a_message(client, editor, activity):
    login(client, editor)
    response = client.post(
        reverse("activity-update", args=[activity.pk]),
        {"rag": "A", "status": "in_progress", "text": "", "on": today().isoformat(), "seen_version": activity.version},
    )
    assert response.status_code == 200
    assert "Say why the activity is now Amber." in response.content.decode()
    assert Activity.objects.get(pk=activity.pk).rag == Rag.GREEN


def test_a_stale_form_is_refused_keeps_the_text_and_overwrites_nothing(client, editor, admin_user, activity):
    login(client, editor)
    url = reverse("activity-update", args=[activity.pk])
    seen = client.get(url).context["form"].initial["seen_version"]
    services.activity_record_update(
        activity=activity, by=admin_user, seen_version=seen, rag=Rag.RED, text="Escalated by the CE."
    )
    response = client.post(
        url,
        {
            "rag": "G",
            "status": "in_progress",
            "text": "My view: all on track.",
            "on": today().isoformat(),
            "seen_version": seen,
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Someone else updated this activity while you were editing it" in body
    assert "My view: all on track." in body
    fresh = Activity.objects.get(pk=activity.pk)
    assert (fresh.rag, fresh.progress, fresh.updates.count()) == (Rag.RED, "Escalated by the CE.", 2)


def test_a_viewer_cannot_post_an_update_even_bypassing_the_page(client, viewer, activity):
    login(client, viewer)
    response = client.post(
        reverse("activity-rag", args=[activity.pk]), {"rag": "R", "text": "x", "seen_version": activity.version}
    )
    assert response.status_code == 403
    assert Activity.objects.get(pk=activity.pk).rag == Rag.GREEN


def test_inline_rag_change_from_the_list_answers_htmx_with_the_cell(client, editor, activity):
    login(client, editor)
    url = reverse("activity-rag", args=[activity.pk])
    refused = client.post(url, {"rag": "R", "text": "", "seen_version": activity.version}, HTTP_HX_REQUEST="true")
    assert "Say why the activity is now Red." in refused.content.decode()
    ok = client.post(
        url, {"rag": "R", "text": "Funding withdrawn.", "seen_version": activity.version}, HTTP_HX_REQUEST="true"
    )
    assert "Saved" in ok.content.decode() and "rag--red" in ok.content.decode()
    stale = client.post(url, {"rag": "G", "text": "", "seen_version": activity.version}, HTTP_HX_REQUEST="true")
    assert "Someone else changed this activity" in stale.content.decode()
    assert Activity.objects.get(pk=activity.pk).rag == Rag.RED


def test_posts_without_a_csrf_token_are_refused(editor, activity):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    login(client, editor)
    response = client.post(reverse("activity-rag", args=[activity.pk]), {"rag": "R", "text": "x", "seen_version": 1})
    assert response.status_code == 403


def test_activity_list_filters_by_rag_owner_overdue_and_text(client, viewer, editor):
    paley = OwnerFactory(name="Supt Paley")
    late = make_activity(
        text="Roll out body-worn video",
        rag=Rag.RED,
        due_date=date(2025, 1, 31),
        status=Status.IN_PROGRESS,
        owners=[paley],
        on=date(2025, 1, 1),
    )
    make_activity(text="Open a rural crime hub", rag=Rag.GREEN, due_date=date(2030, 1, 31), on=date(2025, 1, 1))
    login(client, viewer)

    def texts(query):
        return [a.text for a in client.get(reverse("activities") + query).context["table"].data]

    assert texts("?rag=R") == ["Roll out body-worn video"]
    assert texts(f"?owner={paley.pk}") == ["Roll out body-worn video"]
    assert texts("?overdue=on") == ["Roll out body-worn video"]
    assert texts("?q=rural") == ["Open a rural crime hub"]
    assert texts("?due_after=2029-01-01&due_before=2031-01-01") == ["Open a rural crime hub"]
    assert len(texts("?updated_since=2025-01-01")) == 2
    assert texts("?as_at=2024-12-01") == []
    paley.user = viewer
    paley.save()
    assert texts("?mine=on") == [late.text]


def test_exports_block_spreadsheet_formulas(client, viewer):
    make_activity(text='=HYPERLINK("http://evil.example","click")', owner_text="+cmd|' /C calc'!A0")
    login(client, viewer)
    rows = list(csv.reader(io.StringIO(client.get(reverse("activities") + "?_export=csv").getvalue().decode())))
    assert rows[0][:4] == ["Ref", "Plan", "Objective", "Supporting activity"]
    assert rows[1][3].startswith("'=HYPERLINK") and rows[1][4].startswith("'+cmd")
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("activities") + "?_export=xlsx").getvalue()))
    cells = [c.value for c in next(book.active.iter_rows(min_row=2, max_row=2))]
    assert cells[3].startswith("'=") and book.active.cell(2, 4).data_type == "s"


def test_overdue_review_groups_by_owner_and_exports(client, chief, activity):
    login(client, chief)
    response = client.get(reverse("overdue"))
    body = response.content.decode()
    assert response.context["items"][0].ref == activity.commitment.ref
    assert "Supt Paley: 1 overdue" in body  # the owner's group; its items load when opened
    group = client.get(reverse("overdue-group") + "?by=owner&key=Supt+Paley", HTTP_HX_REQUEST="true")
    assert "days overdue" in group.content.decode() and activity.commitment.ref in group.content.decode()
    rows = list(csv.reader(io.StringIO(client.get(reverse("overdue") + "?_export=csv").getvalue().decode())))
    assert rows[1][2] == activity.commitment.ref and rows[1][4] == "Supt Paley"


# --- Query counts do not grow with rows ---------------------------------------------------


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


LIST_PAGES = [
    "/",
    "/activities/",
    "/activities/?rag=R&rag=A&overdue=on",
    "/activities/?as_at=2025-02-01",
    "/activities/?_export=csv",
    "/activities/?_export=xlsx",
    "/overdue/",
    "/overdue/?due_within=60&stale_after=30",
    f"/overdue/?as_at={today() - timedelta(days=10)}&_export=csv",
    "/overdue/group/?by=kind&key=activity",
    "/overdue/group/?by=kind&key=activity&page=2&more=1",
    "/overdue/group/?by=due-soon",
    "/overdue/group/?by=stale&stale_after=1",  # page 1: an empty page 2 of a small list skips its prefetch
    "/?as_at=2025-02-01",
]


@pytest.mark.slow
def _counts(client, url) -> tuple[int, int]:
    """Queries for `url` worked out afresh (every data version moved first), then served from the cache."""
    for version in (PLAN_DATA, MEETING_DATA, ACTION_DATA):
        version.changed()
    return _count(client, url), _count(client, url)


def test_list_page_queries_do_not_grow_with_rows(client, editor):
    small = make_many_activities(10)
    login(client, editor)
    client.get("/")  # warm the session
    small_counts = {url: _counts(client, url) for url in LIST_PAGES}
    small_counts["plan"] = _counts(client, reverse("plan", args=[small.slug]))
    small_counts["plan as at"] = _counts(client, reverse("plan", args=[small.slug]) + "?as_at=2025-02-01")
    big = make_many_activities(1000)
    big_counts = {url: _counts(client, url) for url in LIST_PAGES}
    big_counts["plan"] = _counts(client, reverse("plan", args=[big.slug]))
    big_counts["plan as at"] = _counts(client, reverse("plan", args=[big.slug]) + "?as_at=2025-02-01")
    assert Activity.objects.count() == 1010
    assert big_counts == small_counts
    print("query counts (afresh, cached):", small_counts)


def test_activity_page_queries_do_not_grow_with_updates(client, editor):
    a = make_activity(rag=Rag.GREEN, on=date(2025, 1, 1))
    login(client, editor)
    client.get(reverse("activity", args=[a.pk]))  # the first request also keeps the login's role in the cache
    few = _count(client, reverse("activity", args=[a.pk]))
    for i in range(30):
        services.activity_record_update(activity=a, by=editor, seen_version=a.version, text=f"Update {i}")
    assert _count(client, reverse("activity", args=[a.pk])) == few


def test_navigation_offers_owners_their_activities_and_editors_imports(client, owner_user, editor, viewer):
    body = login(client, owner_user).get(reverse("home")).content.decode()
    assert "My activities" in body
    client.logout()
    body = login(client, editor).get(reverse("imports")).content.decode()
    assert "Import a workbook" in body and "My activities" not in body
    client.logout()
    assert "Import a workbook" not in login(client, viewer).get(reverse("imports")).content.decode()
