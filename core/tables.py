"""The base for every list's table: whatever `?per_page=` a request asks for, a page holds between 1
and TRACKER_MAX_PAGE_SIZE rows, so a hostile or mistyped value never fails the page or loads
everything at once. (`?page=` beyond the end already shows the last page: django-tables2's
RequestConfig does that.)"""

from __future__ import annotations

import django_tables2 as tables
from django.conf import settings
from django.utils import dateformat, timezone
from django.utils.html import format_html

from .roles import can_see_upload


def clamp_per_page(value) -> int | None:
    if value is None:
        return None
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return min(max(number, 1), settings.TRACKER_MAX_PAGE_SIZE)


class Table(tables.Table):
    def paginate(self, *args, per_page=None, **kwargs):
        return super().paginate(*args, per_page=clamp_per_page(per_page), **kwargs)


# Every table cell carries GOV.UK's classes.
CELL_ATTRS = {"th": {"class": "govuk-table__header"}, "td": {"class": "govuk-table__cell"}}


class ImportJobTable(Table):
    """The history of an app's imports (core.jobs.ImportJob). Every reader sees who imported what and
    when; only those who may see the uploaded content (editors, administrators, the uploader) get the
    link to its preview. Subclasses give Meta (with CELL_ATTRS) and `render_counts`."""

    created_at = tables.DateTimeColumn(verbose_name="Uploaded", format="j M Y H:i")
    filename = tables.Column(verbose_name="File")
    created_by = tables.Column(verbose_name="By", default="—")
    state = tables.Column(verbose_name="Outcome")
    counts = tables.Column(verbose_name="Changes", empty_values=(), orderable=False)

    link_class = ""  # the preview link's class, if any

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def render_created_at(self, value, record):
        text = dateformat.format(timezone.localtime(value), "j M Y H:i")
        if self.user is not None and can_see_upload(self.user, record):
            if self.link_class:
                return format_html('<a class="{}" href="{}">{}</a>', self.link_class, record.get_absolute_url(), text)
            return format_html('<a href="{}">{}</a>', record.get_absolute_url(), text)
        return text

    def render_created_by(self, value):
        return value.get_full_name() or value.get_username()

    def value_created_by(self, value):
        return value.get_username() if value else ""

    def render_state(self, record):
        return record.get_state_display()

    def render_counts(self, record):
        raise NotImplementedError
