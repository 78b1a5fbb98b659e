"""Meeting actions and written requests in the overdue review and `manage.py overdue --json`; the
panel report section and the published notes, opened and checked."""

import io
import json
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from core.dates import today
from meetings import documents, selectors, services
from meetings.models import Action, Meeting
from tests.factories import PASSWORD, CommitmentFactory, OwnerFactory, make_activity
from tests.meetings.conftest import make_action, make_meeting

pytestmark = pytest.mark.django_db


def _overdue_json(**options) -> list[dict]:
    out = io.StringIO()
    call_command("overdue", "--json", stdout=out, **options)
    return json.loads(out.getvalue())


def test_open_actions_past_due_and_unanswered_requests_past_due_are_in_the_review(editor):
    day = today()
    late = make_action(
        text="Late action",
        due_date=day - timedelta(days=5),
        owners=[OwnerFactory(name="DCI Hart")],
        on=day - timedelta(days=30),
    )
    make_action(text="Done action", due_date=day - timedelta(days=5), on=day - timedelta(days=30))
    done = Action.objects.get(text="Done action")
    services.action_record_update(action=done, by=editor, seen_version=1, status=Action.Status.DONE)
    make_action(text="Not yet due", due_date=day + timedelta(days=5), on=day - timedelta(days=30))
    make_action(
        meeting=make_meeting(state=Meeting.State.DRAFT),
        text="Draft action",
        due_date=day - timedelta(days=5),
        on=day - timedelta(days=30),
    )
    wr = services.request_create(by=editor, subject="Custody times", question="Q", sent_on=day - timedelta(days=60))
    answered = services.request_create(by=editor, subject="Answered", question="Q", sent_on=day - timedelta(days=60))
    services.request_record_response(by=editor, request=answered, received_on=day, response="A")

    items = _overdue_json()
    kinds = {(i["kind"], i["title"]) for i in items}
    assert ("meeting action", "Late action") in kinds and ("written request", "Custody times") in kinds
    assert not {t for _, t in kinds} & {"Done action", "Not yet due", "Draft action", "Answered"}
    action_item = next(i for i in items if i["title"] == "Late action")
    assert action_item["owners"] == ["DCI Hart"] and action_item["days_overdue"] == 5
    assert action_item["url"] == late.get_absolute_url() and action_item["ref"] == late.ref
    request_item = next(i for i in items if i["kind"] == "written request")
    assert request_item["due"] == wr.response_due.isoformat()


def test_the_review_as_at_a_past_date_uses_the_action_trail(editor):
    action = make_action(due_date=date(2025, 4, 30), on=date(2025, 3, 11))
    services.action_record_update(
        action=action, by=editor, seen_version=1, status=Action.Status.DONE, on=date(2025, 6, 1)
    )
    assert any(i["ref"] == action.ref for i in _overdue_json(as_at="2025-05-15"))
    assert not any(i["ref"] == action.ref for i in _overdue_json(as_at="2025-06-02"))


def test_a_plan_review_has_the_actions_linked_to_that_plan_only():
    activity = make_activity()
    other = CommitmentFactory()
    linked = make_action(text="Linked", activity=activity, due_date=date(2025, 4, 1))
    make_action(text="Other plan", commitment=other, due_date=date(2025, 4, 1))
    items = selectors.overdue_action_items(date(2025, 5, 1), activity.commitment.plan)
    assert [i.ref for i in items] == [linked.ref]
    assert items[0].plan == activity.commitment.plan.name
    assert selectors.overdue_request_items(date(2025, 5, 1), activity.commitment.plan) == []


def test_the_chief_executive_sees_meeting_actions_in_the_overdue_page(client, chief):
    make_action(text="Chase the custody audit", due_date=today() - timedelta(days=2))
    assert client.login(username=chief.username, password=PASSWORD)
    page = client.get(reverse("overdue")).content.decode()
    assert "Chase the custody audit" in page
    # Beside an overdue activity, the review names each item's kind.
    make_activity(text="Roll out body-worn video", due_date=today() - timedelta(days=5))
    page = client.get(reverse("overdue")).content.decode()
    assert "Roll out body-worn video" in page and "meeting action" in page


# --- The panel report section ----------------------------------------------------------------


@pytest.fixture
def quarter(editor):
    make_meeting(
        kind="formal",
        held_on=date(2025, 1, 14),
        subject_area="Force performance",
        findings=[("Call handling improved", True), ("Internal only", False)],
    )
    make_meeting(
        kind="thematic",
        held_on=date(2025, 2, 11),
        subject_area="Connecting with Communities",
        findings=[("Engagement plan agreed", True), ("Survey results due", True)],
    )
    make_meeting(kind="public", held_on=date(2025, 3, 18), subject_area="Safer roads")
    make_meeting(
        kind="formal",
        held_on=date(2025, 3, 25),
        subject_area="Draft one",
        state=Meeting.State.DRAFT,
        findings=[("Draft finding", True)],
    )
    make_meeting(kind="formal", held_on=date(2025, 4, 8), subject_area="Next quarter")
    wr = services.request_create(by=editor, subject="Custody times", question="Q", sent_on=date(2025, 2, 3))
    services.request_create(by=editor, subject="Fleet", question="Q", sent_on=date(2025, 3, 3))
    services.request_record_response(by=editor, request=wr, received_on=date(2025, 2, 20), response="A")
    return selectors.panel_report(start=date(2025, 1, 1), end=date(2025, 3, 31), as_at=date(2025, 4, 30))


def test_the_panel_table_lists_the_periods_approved_meetings_with_their_panel_findings(quarter):
    doc = documents.panel_document(quarter)
    rows = [(r.cells["month"], r.cells["type"], r.cells["subject"], r.cells["finding"]) for r in doc.blocks[0].rows]
    assert rows == [
        ("January 2025", "Formal", "Force performance", "Call handling improved"),
        ("February 2025", "Thematic", "Connecting with Communities", "Engagement plan agreed"),
        ("February 2025", "Thematic", "Connecting with Communities", "Survey results due"),
        ("March 2025", "Public", "Safer roads", documents.NO_FINDINGS),
    ]
    assert [r[0] for r in doc.summaries[0].rows] == ["Custody times", "Fleet"]
    assert [r[3] for r in doc.summaries[0].rows] == ["Answered", "Overdue"]


def test_the_panel_docx_opens_with_the_table_merged_meetings_and_the_requests(quarter):
    word = Document(io.BytesIO(documents.render_panel(quarter, "docx")))
    table = word.tables[0]
    header = [c.text for c in table.rows[0].cells]
    assert header == ["Month", "Type", "Subject area", "Key findings and outcomes"]
    body = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert body[0] == ["January 2025", "Formal", "Force performance", "Call handling improved"]
    assert body[1][2] == body[2][2] == "Connecting with Communities"  # merged down over both findings
    assert table.rows[2]._tr.tc_lst[0].vMerge == "restart" and table.rows[3]._tr.tc_lst[0].vMerge == "continue"
    text = "\n".join(c.text for t in word.tables for row in t.rows for c in row.cells)
    assert "Draft" not in text and "Internal only" not in text and "Next quarter" not in text
    assert [c.text for c in word.tables[1].rows[1].cells][:4] == [
        "Custody times",
        "03/02/2025",
        "03/03/2025",
        "Answered",
    ]


def test_the_panel_pdf_and_xlsx_carry_the_same_rows(quarter):
    pdf = PdfReader(io.BytesIO(documents.render_panel(quarter, "pdf")))
    text = " ".join(p.extract_text() for p in pdf.pages)
    assert "Connecting with Communities" in text and "Engagement plan agreed" in text and "Draft finding" not in text
    wb = load_workbook(io.BytesIO(documents.render_panel(quarter, "xlsx")))
    values = [c for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c]
    assert "Safer roads" in values and "Fleet" in values


def test_the_panel_report_page_previews_and_downloads(client, viewer, quarter):
    assert client.login(username=viewer.username, password=PASSWORD)
    url = reverse("meetings:panel-report") + "?start=2025-01-01&end=2025-03-31&as_at=2025-04-30"
    page = client.get(url).content.decode()
    assert "Engagement plan agreed" in page and "Draft one" not in page
    response = client.get(url + "&format=docx")
    assert response["Content-Disposition"].endswith('holding-to-account-2025-01-01-to-2025-03-31.docx"')
    assert Document(io.BytesIO(response.content)).tables[0].rows[1].cells[2].text == "Force performance"
    bad = client.get(reverse("meetings:panel-report") + "?start=2025-03-31&end=2025-01-01").content.decode()
    assert "The end date is before the start date." in bad


# --- Published notes --------------------------------------------------------------------------


@pytest.fixture
def published(editor):
    meeting = make_meeting(
        kind="thematic",
        subject_area="Investigations and Outcome 16",
        attendees="Police and Crime Commissioner\nChief Constable",
        notes="<h2>Opening</h2><p>The Commissioner <strong>welcomed</strong> all.</p><ul><li>Point one</li></ul>"
        "<script>x</script>",
        findings=[("Outcome 16 is falling", True)],
        state=Meeting.State.PUBLISHED,
    )
    make_action(
        meeting=meeting, text="Share the audit", owners=[OwnerFactory(name="DCI Hart")], due_date=date(2025, 4, 30)
    )
    return selectors.meeting_detail(user=editor, pk=meeting.pk)


def test_published_notes_as_docx_have_the_notes_findings_and_actions(published):
    word = Document(io.BytesIO(documents.render_notes(published, "docx")))
    paragraphs = [p.text for p in word.paragraphs]
    assert paragraphs[0] == "Notes of the thematic meeting: Investigations and Outcome 16"
    assert "Attendees: Police and Crime Commissioner; Chief Constable" in paragraphs
    assert "The Commissioner welcomed all." in paragraphs and "• Point one" in paragraphs
    assert not any("<" in p or "script" in p for p in paragraphs)
    cells = [c.text for row in word.tables[0].rows for c in row.cells]
    assert "Outcome 16 is falling" in cells and "Share the audit" in cells and "DCI Hart" in cells


def test_published_notes_as_pdf_are_tagged_with_language_and_title(published):
    blob = documents.render_notes(published, "pdf")
    pdf = PdfReader(io.BytesIO(blob))
    root = pdf.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en-GB"
    assert pdf.metadata.title == "Notes of the thematic meeting: Investigations and Outcome 16"
    text = pdf.pages[0].extract_text()
    assert "Outcome 16 is falling" in text and "Page 1 of" in text
    assert blob == documents.render_notes(published, "pdf")  # the same notes give the same file


def test_a_draft_downloaded_by_an_editor_says_it_is_a_draft(client, editor, draft):
    assert client.login(username=editor.username, password=PASSWORD)
    response = client.get(reverse("meetings:notes", args=[draft.pk, "docx"]))
    assert 'filename="draft-meeting-notes-' in response["Content-Disposition"]
    assert Document(io.BytesIO(response.content)).paragraphs[0].text.startswith("DRAFT – ")
