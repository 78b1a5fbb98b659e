"""Pages, exports and counts: drafts never reach viewers, owners or the Chief Executive; lists make a
fixed number of queries; the inline status change; the written-requests tracker."""

import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core.dates import today
from meetings import services
from meetings.models import Action, Meeting
from tests.factories import PASSWORD, OwnerFactory, make_activity
from tests.meetings.conftest import make_action, make_meeting

pytestmark = pytest.mark.django_db

READERS_WITHOUT_DRAFTS = ["Owner", "Chief Executive", "Viewer"]
DRAFT_TEXTS = ("Secret draft subject", "Draft finding text", "Draft action text")


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _pages(draft):
    action = draft.actions.get()
    return [
        reverse("meetings:list"),
        reverse("meetings:list") + "?_export=csv",
        reverse("meetings:list") + "?_export=xlsx",
        reverse("meetings:actions"),
        reverse("meetings:actions") + "?_export=csv",
        reverse("meetings:actions") + "?overdue=on&as_at=" + (today() - timedelta(days=1)).isoformat(),
        reverse("meetings:requests"),
        reverse("meetings:panel-report") + "?start=2025-01-01&end=2025-12-31",
        reverse("meetings:panel-report") + "?start=2025-01-01&end=2025-12-31&format=csv",
        reverse("overdue"),
        reverse("overdue") + "?_export=csv",
        reverse("action", args=[action.pk]) if False else reverse("meetings:action", args=[action.pk]),
    ]


@pytest.mark.parametrize("role", READERS_WITHOUT_DRAFTS)
def test_drafts_are_in_no_page_export_or_count_for_readers(client, users, draft, role):
    make_meeting(subject_area="Approved subject")
    login(client, users[role])
    for url in _pages(draft)[:-1]:
        response = client.get(url)
        body = response.getvalue() if response.streaming else response.content  # exports may stream
        text = body.decode("utf-8", errors="ignore") if not url.endswith("xlsx") else _xlsx_text(body)
        for secret in DRAFT_TEXTS:
            assert secret not in text, (url, secret)
    listing = client.get(reverse("meetings:list")).content.decode()
    assert 'data-testid="meeting-count">1<' in listing
    for url in (
        reverse("meetings:detail", args=[draft.pk]),
        reverse("meetings:notes", args=[draft.pk, "pdf"]),
        reverse("meetings:notes", args=[draft.pk, "docx"]),
        reverse("meetings:action", args=[draft.actions.get().pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_an_activity_page_lists_its_meetings_and_actions_but_drafts_only_to_editors(client, users):
    activity = make_activity(sub_ref="2.1.3")
    approved = make_meeting(subject_area="Approved subject")
    services.agenda_save(by=users["Editor"], meeting=approved, items=[{"title": "Item", "activity": activity}])
    make_action(meeting=approved, text="Approved action text", activity=activity)
    draft = make_meeting(state=Meeting.State.DRAFT, subject_area="Secret draft subject")
    make_action(meeting=draft, text="Draft action text", activity=activity)
    url = reverse("activity", args=[activity.pk])
    body = login(client, users["Viewer"]).get(url).content.decode()
    assert "Approved subject" in body and "Approved action text" in body
    assert "Secret draft subject" not in body and "Draft action text" not in body
    body = login(client, users["Editor"]).get(url).content.decode()
    assert "Draft action text" in body


def test_editors_see_drafts_marked_as_drafts(client, editor, draft):
    login(client, editor)
    assert "Secret draft subject" in client.get(reverse("meetings:list")).content.decode()
    page = client.get(reverse("meetings:detail", args=[draft.pk])).content.decode()
    assert "Draft – seen only by editors" in page and "Draft finding text" in page


def test_the_meeting_page_shows_sanitised_notes_findings_and_actions(client, viewer):
    meeting = make_meeting(notes="<p>Hello</p><script>alert(1)</script>", findings=[("A finding", True)])
    make_action(meeting=meeting, text="An action")
    body = login(client, viewer).get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "<p>Hello</p>" in body and "<script>alert(1)" not in body
    assert "A finding" in body and "For the panel" in body and "An action" in body
    assert "Edit findings" not in body


def test_viewers_cannot_open_the_editing_pages(client, viewer):
    meeting = make_meeting()
    login(client, viewer)
    for name in ("meetings:edit", "meetings:findings", "meetings:agenda", "meetings:action-new"):
        assert client.get(reverse(name, args=[meeting.pk])).status_code == 403
    assert client.get(reverse("meetings:new")).status_code == 403
    assert client.post(reverse("meetings:state", args=[meeting.pk]), {"state": "published"}).status_code == 403


def test_an_editor_records_a_meeting_its_findings_and_an_action_through_the_pages(client, editor):
    login(client, editor)
    response = client.post(
        reverse("meetings:new"),
        {
            "kind": "thematic",
            "held_on": "2025-03-11",
            "subject_area": "Investigations and Outcome 16",
            "notes": "<p>N</p>",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and meeting.state == "draft"
    data = {
        "findings-TOTAL_FORMS": 3,
        "findings-INITIAL_FORMS": 0,
        "findings-0-text": "First",
        "findings-0-for_panel": "on",
        "findings-1-text": "Second",
        "findings-2-text": "",
    }
    assert client.post(reverse("meetings:findings", args=[meeting.pk]), data).status_code == 302
    assert [(f.text, f.for_panel) for f in meeting.findings.all()] == [("First", True), ("Second", False)]
    owner = OwnerFactory(name="DCI Hart")
    response = client.post(
        reverse("meetings:action-new", args=[meeting.pk]),
        {"text": "Share the audit", "owners": [owner.pk], "due_date": "2025-04-30"},
    )
    assert response.status_code == 302
    action = meeting.actions.get()
    assert action.created_on == date(2025, 3, 11) and list(action.owners.all()) == [owner]


def test_the_action_log_changes_status_inline_with_htmx(client, editor):
    action = make_action(due_date=today() - timedelta(days=3))
    login(client, editor)
    page = client.get(reverse("meetings:actions") + "?overdue=on").content.decode()
    assert action.text in page and 'hx-post="/meetings/actions/' in page
    response = client.post(
        reverse("meetings:action-status", args=[action.pk]),
        {"status": "complete", "seen_version": 1},
        HTTP_HX_REQUEST="true",
    )
    assert "Saved: Done" in response.content.decode()
    assert Action.objects.get(pk=action.pk).status == "complete"


def test_an_owner_sees_the_inline_change_only_on_their_own_actions(client, owner_user):
    mine = make_action(text="Mine", owners=[OwnerFactory(name="Supt Paley", user=owner_user)])
    theirs = make_action(text="Theirs", owners=[OwnerFactory(name="CI Preece")])
    page = login(client, owner_user).get(reverse("meetings:actions")).content.decode()
    assert f'id="status-{mine.pk}"' in page and f'id="status-{theirs.pk}"' not in page
    assert (
        client.post(
            reverse("meetings:action-status", args=[theirs.pk]),
            {"status": "complete", "seen_version": 1},
            HTTP_HX_REQUEST="true",
        ).status_code
        == 403
    )
    assert Action.objects.get(pk=theirs.pk).status == "open"
    assert client.get(reverse("meetings:action-update", args=[theirs.pk])).status_code == 403


@pytest.mark.parametrize("role", ["Chief Executive", "Viewer"])
def test_a_reader_who_may_not_update_an_action_is_refused_before_the_status_form_is_read(client, users, role):
    action = make_action(owners=[OwnerFactory(name="Supt Paley")])
    login(client, users[role])
    for data in ({}, {"status": "complete", "seen_version": 1}, {"status": "nonsense", "seen_version": "x"}):
        response = client.post(reverse("meetings:action-status", args=[action.pk]), data, HTTP_HX_REQUEST="true")
        assert response.status_code == 403, data
    assert Action.objects.get(pk=action.pk).status == "open"


def test_an_owner_who_sends_an_empty_status_change_is_asked_to_choose_a_status(client, owner_user):
    action = make_action(owners=[OwnerFactory(name="Supt Paley", user=owner_user)])
    response = login(client, owner_user).post(
        reverse("meetings:action-status", args=[action.pk]), {}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Choose a status." in response.content.decode()
    assert Action.objects.get(pk=action.pk).status == "open"


def test_the_meeting_action_notes_and_panel_report_pages_answer_get_and_head_but_not_post(client, editor):
    action = make_action()
    meeting = action.meeting
    login(client, editor)
    for url in (
        reverse("meetings:detail", args=[meeting.pk]),
        reverse("meetings:notes", args=[meeting.pk, "docx"]),
        reverse("meetings:action", args=[action.pk]),
        reverse("meetings:panel-report"),
    ):
        assert client.get(url).status_code == 200, url
        assert client.head(url).status_code == 200, url
        assert client.post(url, {}).status_code == 405, url


def _xlsx_text(blob: bytes) -> str:
    wb = load_workbook(io.BytesIO(blob))
    return "\n".join(str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c)


def test_exports_neutralise_formulas(client, editor):
    make_meeting(subject_area='=HYPERLINK("http://evil")')
    body = login(client, editor).get(reverse("meetings:list") + "?_export=csv").content.decode()
    assert "'=HYPERLINK" in body


def test_the_written_requests_tracker_counts_awaiting_overdue_and_answered_with_days_taken(client, editor, viewer):
    day = today()
    services.request_create(by=editor, subject="Awaited", question="Q", sent_on=day - timedelta(days=2))
    services.request_create(by=editor, subject="Late", question="Q", sent_on=day - timedelta(days=60))
    answered = services.request_create(by=editor, subject="Done", question="Q", sent_on=date(2025, 4, 17))
    services.request_record_response(by=editor, request=answered, received_on=date(2025, 5, 20), response="A")
    page = login(client, viewer).get(reverse("meetings:requests")).content.decode()
    assert (
        'data-testid="awaiting">1<' in page
        and 'data-testid="overdue">1<' in page
        and 'data-testid="answered">1<' in page
    )
    assert "<td >20</td>" in page or ">20<" in page  # working days taken across Easter
    assert "Record a written request" not in page
    late = login(client, viewer).get(reverse("meetings:requests") + "?state=overdue").content.decode()
    assert "Late" in late and "Awaited" not in late


@pytest.mark.parametrize("name", ["meetings:list", "meetings:actions", "meetings:requests"])
def test_list_pages_make_the_same_number_of_queries_for_3_or_30_rows(client, editor, name):
    login(client, editor)

    def add(n):
        for i in range(n):
            meeting = make_meeting(held_on=date(2025, 1, 1) + timedelta(days=i))
            make_action(
                meeting=meeting,
                owners=[OwnerFactory(name=f"Owner {i}"), OwnerFactory(name="Shared")],
                due_date=date(2025, 2, 1),
                activity=make_activity(),
            )
            services.request_create(by=editor, subject=f"R{i}", question="Q", sent_on=date(2025, 1, 6))

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(name)).status_code == 200
        return len(ctx.captured_queries)

    add(3)
    small = count()
    add(27)
    assert count() == small
