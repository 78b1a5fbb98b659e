from __future__ import annotations

import django_tables2 as tables
from django.utils import dateformat, timezone
from django.utils.html import format_html, linebreaks

from core.tables import CELL_ATTRS, Table


class ChangeTable(Table):
    when = tables.Column(verbose_name="When", orderable=False)
    item = tables.Column(verbose_name="Item", empty_values=(), orderable=False)
    what = tables.Column(verbose_name="What changed", orderable=False)
    by = tables.Column(verbose_name="By", orderable=False)

    class Meta:
        attrs = {"class": "govuk-table app-table--small", **CELL_ATTRS}
        orderable = False
        per_page = 50
        empty_text = "Nothing has changed on the items you own in this period."

    def render_when(self, value):
        return dateformat.format(timezone.localtime(value), "j M Y H:i")

    def render_item(self, record):
        return format_html(
            '<span class="govuk-caption-s">{}</span><a class="govuk-link" href="{}">{}</a> {}',
            record.kind,
            record.url,
            record.ref,
            record.title[:120],
        )

    def render_what(self, value):
        return linebreaks(value, autoescape=True)
