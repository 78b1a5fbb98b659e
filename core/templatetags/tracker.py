from __future__ import annotations

from datetime import date

from django import template

from core import rag as rag_scale
from core import status as status_scale
from core.text import author_name

register = template.Library()


@register.simple_tag
def rag(value: str):
    """A RAG shown as colour and letter and word, never colour alone."""
    return rag_scale.badge(value)


@register.filter
def rag_word(value: str) -> str:
    return rag_scale.word(value)


@register.filter
def rag_css(value: str) -> str:
    return rag_scale.css(value)


@register.filter
def status_label(value: str) -> str:
    return status_scale.label(value)


@register.filter
def days_between(later: date | None, earlier: date | None):
    if not later or not earlier:
        return ""
    return (later - earlier).days


@register.filter
def change_label(field: str) -> str:
    return {
        "rag": "RAG",
        "status": "Status",
        "start_date": "Start date",
        "due_date": "Due date",
        "date_text": "Date as written",
        "owners": "Owners",
        "rag_as_written": "RAG as written in the workbook",
    }.get(field, field.replace("_", " ").capitalize())


@register.filter
def change_value(value, field: str) -> str:
    if value in (None, "", []):
        return "—" if field != "rag" else "Not rated"
    if field == "rag":
        return rag_scale.word(value)
    if field == "status":
        return status_label(value)
    if field in ("start_date", "due_date"):
        try:
            return date.fromisoformat(value).strftime("%-d %b %Y")
        except (TypeError, ValueError):
            return str(value)
    if isinstance(value, list):
        return ", ".join(value)
    return str(value)


@register.simple_tag(takes_context=True)
def keep_query(context, **changes) -> str:
    """The current query string with some parameters changed or removed (value None)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query.pop(key, None)
        if value not in (None, ""):
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def add_days(value: date, days: int) -> date:
    from datetime import timedelta

    return value + timedelta(days=int(days))


@register.filter
def get(mapping: dict, key):
    return mapping.get(key, "")


@register.filter
def person(user) -> str:
    """A user as the pages name them (full name, else username); "—" when there is none (deleted)."""
    return author_name(user) or "—"
