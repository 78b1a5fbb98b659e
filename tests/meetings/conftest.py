"""Meetings, actions and written requests made through the services, as real ones are."""

from __future__ import annotations

from datetime import date

import pytest

from meetings import services
from meetings.models import Meeting
from tests.factories import system_user


def make_meeting(*, state: str = Meeting.State.APPROVED, by=None, findings=(), **fields) -> Meeting:
    by = by or system_user()
    fields.setdefault("kind", Meeting.Kind.THEMATIC)
    fields.setdefault("held_on", date(2025, 3, 11))
    fields.setdefault("subject_area", "Connecting with Communities")
    meeting = services.meeting_create(by=by, **fields)
    if findings:
        services.findings_save(by=by, meeting=meeting, findings=[{"text": t, "for_panel": p} for t, p in findings])
    if state in (Meeting.State.APPROVED, Meeting.State.PUBLISHED):
        services.meeting_set_state(by=by, meeting=meeting, state=Meeting.State.APPROVED)
    if state == Meeting.State.PUBLISHED:
        services.meeting_set_state(by=by, meeting=meeting, state=Meeting.State.PUBLISHED, on=fields["held_on"])
    return meeting


def make_action(*, meeting=None, by=None, owners=(), **fields):
    meeting = meeting or make_meeting()
    fields.setdefault("text", "Share the audit of Outcome 16 decisions")
    fields.setdefault("on", meeting.held_on)
    return services.action_create(by=by or system_user(), meeting=meeting, owners=list(owners), **fields)


@pytest.fixture
def draft(db):
    meeting = make_meeting(
        state=Meeting.State.DRAFT, subject_area="Secret draft subject", findings=[("Draft finding text", True)]
    )
    make_action(meeting=meeting, text="Draft action text", due_date=date(2025, 4, 1))
    return meeting
