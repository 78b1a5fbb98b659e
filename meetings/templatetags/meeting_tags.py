from django import template

from meetings import richtext

register = template.Library()


@register.filter
def safe_notes(value: str):
    """Meeting notes as HTML, sanitised again with nh3 on the way out (they were when saved)."""
    return richtext.safe_html(value)


@register.filter
def action_status(value: str) -> str:
    from meetings.models import Action

    return Action.Status(value).label if value in Action.Status.values else (value or "—")
