from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from core.tables import CELL_ATTRS, Table
from delivery.tables import NUMERIC

from .models import RoundItem, RoundRequest, UpdateRound

LINK = {**CELL_ATTRS, "a": {"class": "govuk-link"}}
TAGS = {
    RoundItem.State.AWAITING: "govuk-tag--grey",
    RoundItem.State.SUBMITTED: "govuk-tag--blue",
    RoundItem.State.RETURNED: "govuk-tag--orange",
    RoundItem.State.APPROVED: "govuk-tag--green",
}


def _day(value) -> str:
    return value.strftime("%-d %b %Y") if value else "—"


class RoundTable(Table):
    region_label = "Update rounds"
    title = tables.Column(verbose_name="Round", linkify=True, attrs=LINK)
    plan = tables.Column(verbose_name="Plan", accessor="plan__name")
    deadline = tables.Column(verbose_name="Deadline")
    as_at = tables.Column(verbose_name="As at")
    owners = tables.Column(verbose_name="Owners", attrs=NUMERIC)
    activities = tables.Column(verbose_name="Activities", attrs=NUMERIC)
    updated = tables.Column(verbose_name="Updated", attrs=NUMERIC)
    state = tables.Column(verbose_name="Status")

    class Meta:
        model = UpdateRound
        fields = ("title", "plan", "deadline", "as_at", "owners", "activities", "updated", "state")
        attrs = {"class": "govuk-table"}
        order_by = ("-deadline",)

    def render_deadline(self, value):
        return _day(value)

    def render_as_at(self, value):
        return _day(value)


class OwnerProgressTable(Table):
    region_label = "Progress by owner"
    owner = tables.Column(
        verbose_name="Owner", accessor="owner__name", linkify=lambda record: record.get_absolute_url(), attrs=LINK
    )
    total = tables.Column(verbose_name="Activities", attrs=NUMERIC)
    updated = tables.Column(verbose_name="Updated", attrs=NUMERIC)
    returned = tables.Column(verbose_name="Returned", attrs=NUMERIC)
    sent = tables.Column(verbose_name="Request", accessor="sent_at", orderable=False, empty_values=())

    class Meta:
        model = RoundRequest
        fields = ("owner", "total", "updated", "returned", "sent")
        attrs = {"class": "govuk-table"}

    def render_sent(self, record):
        if record.sent_at:
            return f"Emailed {_day(record.sent_at)}"
        if not record.user_id:
            return format_html(
                'No login – send by hand: <a class="govuk-link" href="{}">download {}\u2019s workbook</a>',
                reverse("rounds:request-workbook", args=[record.pk]),
                record.owner.name,
            )
        if not record.user.email:
            return "Not emailed (no email address)"
        return "Email queued" if record.round.is_open else "Not emailed"


class ItemTable(Table):
    region_label = "Updates in this round"
    ref = tables.Column(verbose_name="Ref", accessor="activity__commitment__ref_key", orderable=True, empty_values=())
    activity = tables.Column(verbose_name="Supporting activity", accessor="activity__text", orderable=False)
    owner = tables.Column(verbose_name="Owner", accessor="request__owner__name")
    update = tables.Column(verbose_name="Update", accessor="update__text", orderable=False, default="—")
    state = tables.Column(verbose_name="Status")
    review = tables.TemplateColumn(
        verbose_name="Review", template_name="rounds/_review_cell.html", orderable=False, empty_values=()
    )

    class Meta:
        model = RoundItem
        fields = ("ref", "activity", "owner", "update", "state", "review")
        attrs = {"class": "govuk-table"}

    def render_ref(self, record):
        return format_html(
            '<a class="govuk-link" href="{}">{}</a>', record.activity.get_absolute_url(), record.activity.full_ref
        )

    def render_activity(self, value):
        return value if len(value) < 160 else value[:157] + "…"

    def render_update(self, value):
        return value if len(value) < 300 else value[:297] + "…"

    def render_state(self, record):
        return format_html('<strong class="govuk-tag {}">{}</strong>', TAGS[record.state], record.get_state_display())
