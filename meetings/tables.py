from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from core.dates import is_past
from core.roles import can_update_owned
from core.status import is_overdue
from core.tables import CELL_ATTRS, Table, row_fragment
from delivery.tables import NUMERIC

from . import badges
from .models import REQUEST_STATES, Action
from .workdays import working_days_between

# Links in cells look like every other link on the pages.
LINK = {**CELL_ATTRS, "a": {"class": "govuk-link"}}


def _date(value) -> str:
    return value.strftime("%-d %b %Y") if value else "—"


def _iso(value) -> str:
    return value.isoformat() if value else ""


class MeetingTable(Table):
    region_label = "Meetings"
    held_on = tables.Column(verbose_name="Date", linkify=True, attrs=LINK)
    kind = tables.Column(verbose_name="Type")
    subject_area = tables.Column(verbose_name="Subject area", linkify=True, attrs=LINK)
    oversight_body = tables.Column(verbose_name="Forum", accessor="oversight_body__name", default="—")
    n_findings = tables.Column(verbose_name="Findings", attrs=NUMERIC)
    n_actions = tables.Column(verbose_name="Actions", attrs=NUMERIC)
    n_open_actions = tables.Column(verbose_name="Open actions", attrs=NUMERIC)
    state = tables.Column(verbose_name="Status")
    published_on = tables.Column(verbose_name="Published", default="—")

    class Meta:
        attrs = {"class": "govuk-table app-table--small", **CELL_ATTRS}
        export_title = "Meetings"
        empty_text = "No meetings match these filters."
        per_page = 50

    def render_held_on(self, value):
        return _date(value)

    def value_held_on(self, value):
        return _iso(value)

    def render_kind(self, record):
        return record.get_kind_display()

    value_kind = render_kind

    def render_state(self, record):
        return badges.meeting_state(record.state)

    def value_state(self, record):
        return record.get_state_display()

    def render_published_on(self, value):
        return _date(value)

    def value_published_on(self, value):
        return _iso(value)


class ActionTable(Table):
    region_label = "Meeting actions"
    ref = tables.Column(verbose_name="Ref", accessor="pk", linkify=lambda record: record.get_absolute_url(), attrs=LINK)
    text = tables.Column(verbose_name="Action", linkify=True, attrs=LINK)
    meeting = tables.Column(verbose_name="Meeting", accessor="meeting__held_on", order_by=("meeting__held_on",))
    owners = tables.Column(verbose_name="Owner/s", empty_values=(), orderable=False)
    due = tables.Column(verbose_name="Due", accessor="at_due", order_by=("at_due",))
    status = tables.Column(verbose_name="Status", accessor="at_status")
    updated = tables.Column(verbose_name="Last update", accessor="at_last_update_on")
    change = tables.Column(verbose_name="Change status", empty_values=(), orderable=False, exclude_from_export=True)

    class Meta:
        attrs = {"class": "govuk-table app-table--small", **CELL_ATTRS}
        export_title = "Meeting actions"
        empty_text = "No actions match these filters."
        per_page = 50

    def __init__(self, *args, user=None, as_at=None, **kwargs):
        self.user = user
        self.as_at = as_at
        super().__init__(*args, **kwargs)

    def render_ref(self, record):
        return record.ref

    value_ref = render_ref

    def render_meeting(self, record):
        m = record.meeting
        return format_html(
            '<a class="govuk-link" href="{}">{}</a><br><span class="app-muted">{}: {}</span>',
            m.get_absolute_url(),
            _date(m.held_on),
            m.get_kind_display(),
            m.subject_area,
        )

    def value_meeting(self, record):
        m = record.meeting
        return f"{m.held_on.isoformat()} {m.get_kind_display()}: {m.subject_area}"

    def render_owners(self, record):
        return ", ".join(o.name for o in record.owners.all()) or "—"

    def value_owners(self, record):
        return "; ".join(o.name for o in record.owners.all())

    def render_due(self, record, value):
        overdue = ""
        if self.as_at and is_overdue(due=value, status=record.at_status, on=self.as_at):
            overdue = format_html("<br>{}", badges.overdue((self.as_at - value).days))
        return format_html("{}{}", _date(value), overdue)

    def value_due(self, value):
        return _iso(value)

    def render_status(self, value):
        return badges.action_status(value)

    def value_status(self, value):
        return Action.Status(value).label if value in Action.Status.values else value

    def render_updated(self, value):
        return _date(value)

    def value_updated(self, value):
        return _iso(value)

    def render_change(self, record):
        if self.user is None or is_past(self.as_at) or not can_update_owned(self.user, record):
            return ""
        return row_fragment(self, "meetings/_inline_status.html").render(
            {"action": record, "url": reverse("meetings:action-status", args=[record.pk])}
        )


class WrittenRequestTable(Table):
    region_label = "Written requests"
    ref = tables.Column(verbose_name="Ref", accessor="pk", linkify=lambda record: record.get_absolute_url(), attrs=LINK)
    subject = tables.Column(linkify=True, attrs=LINK)
    subject_area = tables.Column(verbose_name="Subject area")
    sent_on = tables.Column(verbose_name="Sent")
    response_due = tables.Column(verbose_name="Response due")
    at_state = tables.Column(verbose_name="State")
    response_received_on = tables.Column(verbose_name="Answered", default="—")
    days_taken = tables.Column(verbose_name="Working days taken", empty_values=(), orderable=False, attrs=NUMERIC)

    class Meta:
        attrs = {"class": "govuk-table app-table--small", **CELL_ATTRS}
        export_title = "Written requests"
        empty_text = "No written requests match these filters."
        per_page = 50

    def __init__(self, *args, as_at=None, **kwargs):
        self.as_at = as_at
        super().__init__(*args, **kwargs)

    def render_ref(self, record):
        return record.ref

    value_ref = render_ref

    def render_sent_on(self, value):
        return _date(value)

    def value_sent_on(self, value):
        return _iso(value)

    def render_response_due(self, value):
        return _date(value)

    def value_response_due(self, value):
        return _iso(value)

    def render_at_state(self, record, value):
        days = (self.as_at - record.response_due).days if value == "overdue" else None
        return badges.request_state(value, days_overdue=days)

    def value_at_state(self, value):
        return REQUEST_STATES[value]

    def render_response_received_on(self, record, value):
        return _date(value) if record.at_state == "answered" else "—"

    def value_response_received_on(self, record, value):
        return _iso(value) if record.at_state == "answered" else ""

    def render_days_taken(self, record):
        if record.at_state != "answered":
            return "—"
        return working_days_between(record.sent_on, record.response_received_on)

    value_days_taken = render_days_taken
