"""The tags every meetings page, table and panel shows for a meeting's status, an action's status and a
written request's state: GOV.UK Frontend tags, always with the word (colour is never the only signal).

One place, so the list, the page and the activity panel never disagree."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString

from .models import REQUEST_STATES, Action, Meeting

MEETING_STATE_COLOURS = {
    Meeting.State.DRAFT: "yellow",
    Meeting.State.APPROVED: "blue",
    Meeting.State.PUBLISHED: "green",
}
ACTION_STATUS_COLOURS = {
    Action.Status.OPEN: "blue",
    Action.Status.DONE: "green",
    Action.Status.CLOSED: "grey",
}
REQUEST_STATE_COLOURS = {"awaiting": "yellow", "overdue": "red", "answered": "green"}


def _tag(colour: str, text: str) -> SafeString:
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour, text)


def meeting_state(state: str, *, draft_note: bool = False) -> SafeString:
    """Draft, Approved or Published; `draft_note` adds who can see a draft."""
    label = Meeting.State(state).label if state in Meeting.State.values else state
    if draft_note and state == Meeting.State.DRAFT:
        label = f"{label} – seen only by editors"
    return _tag(MEETING_STATE_COLOURS.get(state, "grey"), label)


def action_status(status: str) -> SafeString:
    label = Action.Status(status).label if status in Action.Status.values else (status or "—")
    return _tag(ACTION_STATUS_COLOURS.get(status, "grey"), label)


def overdue(days: int | None = None, *, prefix: str = "Overdue") -> SafeString:
    if days is None:
        return _tag("red", prefix)
    return _tag("red", f"{prefix} by {days} day{'' if days == 1 else 's'}")


def request_state(state: str, *, days_overdue: int | None = None) -> SafeString:
    """Awaiting response, Overdue (by N days) or Answered."""
    if state == "overdue":
        return overdue(days_overdue)
    return _tag(REQUEST_STATE_COLOURS.get(state, "grey"), REQUEST_STATES.get(state, state))
