from django import template

from meetings import badges, richtext

register = template.Library()


@register.filter
def safe_notes(value: str):
    """Meeting notes as HTML, sanitised again with nh3 on the way out (they were when saved)."""
    return richtext.safe_html(value)


@register.filter
def action_status(value: str) -> str:
    from meetings.models import Action

    return Action.Status(value).label if value in Action.Status.values else (value or "—")


@register.simple_tag
def meeting_state_tag(state: str, draft_note: bool = False):
    """A meeting's status as a GOV.UK tag with its word."""
    return badges.meeting_state(state, draft_note=draft_note)


@register.simple_tag
def action_status_tag(status: str):
    return badges.action_status(status)


@register.simple_tag
def request_state_tag(state: str, days_overdue=None):
    return badges.request_state(state, days_overdue=days_overdue)


@register.simple_tag
def overdue_tag(days=None):
    return badges.overdue(days)
