"""The meetings services: what they write, what they refuse, and who may call them."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.dates import today
from meetings import selectors, services
from meetings.models import Action, ActionUpdate, Meeting
from tests.factories import OwnerFactory
from tests.meetings.conftest import make_action, make_meeting

pytestmark = pytest.mark.django_db

ROLES = ["Administrator", "Editor", "Owner", "Chief Executive", "Viewer"]
EDITORS = {"Administrator", "Editor"}


def test_notes_are_sanitised_against_the_allow_list(editor):
    meeting = make_meeting(
        by=editor,
        notes='<h2>Summary</h2><p onclick="x()">Kept <strong>bold</strong></p><script>alert(1)</script>'
        '<a href="javascript:alert(1)">bad</a><img src=x onerror=alert(1)><style>p{}</style>',
    )
    assert "<h2>Summary</h2>" in meeting.notes and "<strong>bold</strong>" in meeting.notes
    for bad in ("script", "onclick", "javascript:", "<img", "onerror", "<style"):
        assert bad not in meeting.notes


def test_a_new_meeting_is_a_draft_and_must_be_approved_before_publication(editor):
    meeting = make_meeting(by=editor, state=Meeting.State.DRAFT)
    assert meeting.state == Meeting.State.DRAFT
    with pytest.raises(ValidationError, match="Approve the notes before publishing"):
        services.meeting_set_state(by=editor, meeting=meeting, state=Meeting.State.PUBLISHED)
    services.meeting_set_state(by=editor, meeting=meeting, state=Meeting.State.APPROVED)
    services.meeting_set_state(by=editor, meeting=meeting, state=Meeting.State.PUBLISHED, on=date(2025, 3, 20))
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.PUBLISHED and meeting.published_on == date(2025, 3, 20)


def test_notes_cannot_be_published_before_the_meeting_or_in_the_future(editor):
    meeting = make_meeting(by=editor, held_on=date(2025, 3, 11))
    with pytest.raises(ValidationError):
        services.meeting_set_state(by=editor, meeting=meeting, state=Meeting.State.PUBLISHED, on=date(2025, 3, 1))
    with pytest.raises(ValidationError):
        services.meeting_set_state(
            by=editor, meeting=meeting, state=Meeting.State.PUBLISHED, on=today() + timedelta(days=1)
        )


def test_withdrawing_publication_clears_the_publication_date(editor):
    meeting = make_meeting(by=editor, state=Meeting.State.PUBLISHED)
    services.meeting_set_state(by=editor, meeting=meeting, state=Meeting.State.APPROVED)
    meeting.refresh_from_db()
    assert meeting.published_on is None


def test_findings_are_saved_in_order_with_their_panel_mark_and_blank_ones_dropped(editor):
    meeting = make_meeting(by=editor)
    services.findings_save(
        by=editor,
        meeting=meeting,
        findings=[{"text": "First", "for_panel": True}, {"text": "  "}, {"text": "Second", "for_panel": False}],
    )
    assert [(f.position, f.text, f.for_panel) for f in meeting.findings.all()] == [
        (1, "First", True),
        (2, "Second", False),
    ]


def test_an_action_starts_its_trail_and_each_update_appends_to_it(editor):
    owner = OwnerFactory(name="Supt Paley")
    action = make_action(by=editor, owners=[owner], due_date=date(2025, 4, 30))
    services.action_record_update(
        action=action,
        by=editor,
        seen_version=action.version,
        status=Action.Status.DONE,
        text="Shared",
        on=date(2025, 4, 20),
    )
    trail = list(ActionUpdate.objects.filter(action=action).order_by("on", "id"))
    assert [u.kind for u in trail] == ["created", "update"]
    assert trail[1].changes == {"status": ["open", "complete"]}
    action.refresh_from_db()
    assert action.status == Action.Status.DONE and action.version == 2 and action.progress == "Shared"


def test_an_action_as_at_a_past_date_is_rebuilt_from_its_trail(editor):
    action = make_action(by=editor, due_date=date(2025, 4, 30))
    services.action_record_update(
        action=action, by=editor, seen_version=1, status=Action.Status.DONE, text="Done", on=date(2025, 6, 1)
    )
    before = selectors.actions_as_at(as_at=date(2025, 5, 15)).get(pk=action.pk)
    after = selectors.actions_as_at(as_at=date(2025, 6, 2)).get(pk=action.pk)
    assert before.at_status == "open" and after.at_status == "complete"
    assert not selectors.actions_as_at(as_at=date(2025, 3, 1)).filter(pk=action.pk).exists()  # not yet agreed


def test_a_stale_action_update_is_refused_and_nothing_is_written(editor):
    action = make_action(by=editor)
    services.action_record_update(action=action, by=editor, seen_version=1, text="First")
    with pytest.raises(services.StaleEdit):
        services.action_record_update(action=action, by=editor, seen_version=1, text="Second")
    assert ActionUpdate.objects.filter(action=action).count() == 2


def test_closing_an_action_needs_a_reason_and_an_empty_update_is_refused(editor):
    action = make_action(by=editor)
    with pytest.raises(ValidationError, match="closed"):
        services.action_record_update(action=action, by=editor, seen_version=1, status=Action.Status.CLOSED)
    with pytest.raises(ValidationError, match="Nothing has changed"):
        services.action_record_update(action=action, by=editor, seen_version=1)


def test_the_response_due_date_is_twenty_working_days_across_a_bank_holiday(editor):
    wr = services.request_create(
        by=editor, subject="Custody times", question="Why?", sent_on=date(2025, 4, 17), working_days=20
    )
    assert wr.response_due == date(2025, 5, 20)
    assert wr.state_on(date(2025, 5, 20)) == "awaiting"
    assert wr.state_on(date(2025, 5, 21)) == "overdue"
    services.request_record_response(by=editor, request=wr, received_on=date(2025, 5, 22), response="Answer")
    assert wr.state_on(date(2025, 5, 23)) == "answered"
    assert wr.state_on(date(2025, 5, 21)) == "overdue"  # as it was before the answer came


def test_a_response_needs_a_date_after_sending_and_some_text(editor):
    wr = services.request_create(by=editor, subject="S", question="Q", sent_on=date(2025, 4, 17))
    with pytest.raises(ValidationError):
        services.request_record_response(by=editor, request=wr, received_on=date(2025, 4, 1), response="A")
    with pytest.raises(ValidationError):
        services.request_record_response(by=editor, request=wr, received_on=date(2025, 4, 20), response="")
    with pytest.raises(ValidationError):
        services.request_record_response(by=editor, request=wr, received_on=None, response="Text but no date")


# --- The permission matrix -------------------------------------------------------------------


def _writes(users):
    meeting = make_meeting()
    action = make_action(meeting=meeting)
    wr = services.request_create(by=users["Administrator"], subject="S", question="Q", sent_on=date(2025, 1, 6))
    return {
        "meeting_create": lambda u: make_meeting(by=u),
        "meeting_update": lambda u: services.meeting_update(
            by=u, meeting=meeting, kind="formal", held_on=date(2025, 3, 11), subject_area="New"
        ),
        "meeting_set_state": lambda u: services.meeting_set_state(by=u, meeting=meeting, state=Meeting.State.DRAFT),
        "findings_save": lambda u: services.findings_save(by=u, meeting=meeting, findings=[{"text": "F"}]),
        "agenda_save": lambda u: services.agenda_save(by=u, meeting=meeting, items=[{"title": "Item"}]),
        "action_create": lambda u: make_action(by=u, meeting=meeting),
        "request_create": lambda u: services.request_create(by=u, subject="S", question="Q", sent_on=date(2025, 1, 6)),
        "request_update": lambda u: services.request_update(
            by=u, request=wr, subject="S2", question="Q", sent_on=date(2025, 1, 6), working_days=10
        ),
        "request_record_response": lambda u: services.request_record_response(
            by=u, request=wr, received_on=date(2025, 1, 20), response="A"
        ),
        "action_record_update (not owned)": lambda u: services.action_record_update(
            action=action, by=u, seen_version=Action.objects.get(pk=action.pk).version, text="Update"
        ),
    }


WRITES = [
    "meeting_create",
    "meeting_update",
    "meeting_set_state",
    "findings_save",
    "agenda_save",
    "action_create",
    "request_create",
    "request_update",
    "request_record_response",
    "action_record_update (not owned)",
]


@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize("role", ROLES)
def test_meeting_writes_follow_the_role_matrix(users, role, write):
    call = _writes(users)[write]
    if role in EDITORS:
        call(users[role])
    else:
        with pytest.raises(PermissionDenied):
            call(users[role])


def test_an_owner_updates_the_actions_they_own_and_no_others(owner_user):
    mine = make_action(owners=[OwnerFactory(name="Supt Paley", user=owner_user)])
    theirs = make_action(owners=[OwnerFactory(name="CI Preece")])
    services.action_record_update(action=mine, by=owner_user, seen_version=1, status=Action.Status.DONE)
    with pytest.raises(PermissionDenied, match="only the actions you own"):
        services.action_record_update(action=theirs, by=owner_user, seen_version=1, status=Action.Status.DONE)


def test_an_owner_cannot_update_an_owned_action_of_a_draft_meeting_nor_change_its_owners(owner_user):
    paley = OwnerFactory(name="Supt Paley", user=owner_user)
    in_draft = make_action(meeting=make_meeting(state=Meeting.State.DRAFT), owners=[paley])
    with pytest.raises(PermissionDenied, match="draft"):
        services.action_record_update(action=in_draft, by=owner_user, seen_version=1, status=Action.Status.DONE)
    approved = make_action(owners=[paley])
    with pytest.raises(PermissionDenied, match="owns an action"):
        services.action_record_update(action=approved, by=owner_user, seen_version=1, owners=[], text="Not mine")
