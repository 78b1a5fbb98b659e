from __future__ import annotations

from datetime import date

from django import template

from core import changes
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
    return changes.label(field)


@register.filter
def change_value(value, field: str) -> str:
    return changes.value(value, field)


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


# --- GOV.UK Frontend form controls -------------------------------------------------------------

_INPUT_CLASS = {
    "select": "govuk-select",
    "selectmultiple": "govuk-select",
    "textarea": "govuk-textarea",
    "file": "govuk-file-upload",
    "clearablefile": "govuk-file-upload",
}


def _widget_kind(bound) -> str:
    name = bound.field.widget.__class__.__name__.lower()
    for suffix in ("input", "widget"):
        if name.endswith(suffix) and name != suffix:
            name = name[: -len(suffix)]
    return name


@register.simple_tag
def govuk_control(bound, extra_class: str = ""):
    """A text box, select, textarea or file input with GOV.UK Frontend's classes, its hint and error
    linked by aria-describedby, and the error modifier when the field has an error."""
    kind = _widget_kind(bound)
    base = _INPUT_CLASS.get(kind, "govuk-input")
    classes = [base]
    if bound.errors:
        classes.append(f"{base}--error")
    if getattr(bound.field, "input_formats", None) and base == "govuk-input":
        classes.append("govuk-input--width-10")
    elif base == "govuk-input" and kind in ("number",):
        classes.append("govuk-input--width-5")
    if extra_class:
        classes.append(extra_class)
    if bound.field.widget.attrs.get("class"):
        classes.append(bound.field.widget.attrs["class"])
    described = []
    if bound.help_text:
        described.append(f"{bound.auto_id}-hint")
    if bound.errors:
        described.append(f"{bound.auto_id}-error")
    attrs = {"class": " ".join(classes)}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return bound.as_widget(attrs=attrs)


@register.filter
def is_choice_group(bound) -> bool:
    """Radios or a list of checkboxes (rendered as a fieldset)."""
    widget = bound.field.widget
    return (
        widget.input_type == "radio"
        if hasattr(widget, "input_type") and widget.input_type == "radio"
        else (getattr(widget, "allow_multiple_selected", False) and getattr(widget, "input_type", "") == "checkbox")
    )


@register.filter
def is_single_checkbox(bound) -> bool:
    widget = bound.field.widget
    return getattr(widget, "input_type", "") == "checkbox" and not getattr(widget, "allow_multiple_selected", False)


@register.filter
def percent_class(value) -> int:
    """A percentage as a whole number 0–100, for the app-w-N width classes (no inline styles under the
    Content-Security-Policy)."""
    try:
        return max(0, min(100, round(float(value))))
    except (TypeError, ValueError):
        return 0
