"""django-tables2 tables for the KPI lists: the measure catalogue, KPI actions and KPI imports. Every
cell that shows a judgement (status against target, variation) shows it in words as well as colour;
exports carry the words only, through core.exports.SafeTableExport."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import format_html

from core import rag as rag_scale
from core.status import Status, is_overdue
from core.status import label as status_label
from core.tables import CELL_ATTRS, ImportJobTable, Table, row_fragment

from .templatetags.kpis import change_text, figure, sparkline, spc_icon

NUMERIC = {
    "th": {"class": "govuk-table__header govuk-table__header--numeric"},
    "td": {"class": "govuk-table__cell govuk-table__cell--numeric"},
}


class CatalogueTable(Table):
    """Rows are selectors.CatalogueRow: a measure and its latest figures in one area."""

    region_label = "Measures"
    name = tables.Column(verbose_name="Measure", accessor="measure__name", linkify=False)
    frequency = tables.Column(verbose_name="Frequency", accessor="measure__frequency")
    period = tables.Column(verbose_name="Latest", accessor="analysis__period", orderable=False, empty_values=())
    value = tables.Column(
        verbose_name="Value", accessor="analysis__value", orderable=False, empty_values=(), attrs=NUMERIC
    )
    change = tables.Column(
        verbose_name="Change on previous", accessor="analysis__previous_change", orderable=False, empty_values=()
    )
    rag = tables.Column(
        verbose_name="Status against target", accessor="analysis__rag", orderable=False, empty_values=()
    )
    variation = tables.Column(
        verbose_name="Variation", accessor="analysis__variation", orderable=False, empty_values=()
    )
    trend = tables.Column(
        verbose_name="Trend", accessor="sparkline", orderable=False, empty_values=(), exclude_from_export=True
    )

    class Meta:
        attrs = {"class": "govuk-table app-table--small", **CELL_ATTRS}
        export_title = "KPI measures"
        per_page = 50
        empty_text = "No measures match these filters."

    def render_name(self, record):
        m = record.measure
        return format_html(
            '<a class="govuk-link" href="{}">{}</a><br><span class="app-muted">{}</span>',
            reverse("kpis:measure", args=[m.pk]),
            m.name,
            m.get_polarity_display(),
        )

    def value_name(self, record):
        return record.measure.name

    def render_frequency(self, record):
        return record.measure.get_frequency_display()

    value_frequency = render_frequency

    def render_period(self, record):
        p = record.analysis.period
        return p.label(record.measure.basis) if p else "–"

    value_period = render_period

    def render_value(self, record):
        return figure(record.analysis.value, record.measure.unit)

    def value_value(self, record):
        return record.analysis.value

    def render_change(self, record):
        return change_text(record.analysis.previous_change)

    value_change = render_change

    def render_rag(self, record):
        return rag_scale.badge(record.analysis.rag)

    def value_rag(self, record):
        return rag_scale.word(record.analysis.rag)

    def render_variation(self, record):
        return spc_icon(record.analysis.variation)

    def value_variation(self, record):
        return record.analysis.variation.label

    def render_trend(self, record):
        return sparkline(record.sparkline, record.measure.name)


class KpiActionTable(Table):
    region_label = "KPI actions"
    measure = tables.Column(verbose_name="Measure", accessor="measure__name")
    text = tables.Column(verbose_name="Action")
    owner = tables.Column(verbose_name="Owner", accessor="owner__name")
    forum = tables.Column(verbose_name="Forum", accessor="forum__name", default="–")
    due_date = tables.Column(verbose_name="Due")
    status = tables.Column(verbose_name="Status")
    update = tables.Column(verbose_name="Change status", empty_values=(), orderable=False, exclude_from_export=True)

    class Meta:
        attrs = {"class": "govuk-table app-table--small", **CELL_ATTRS}
        export_title = "KPI actions"
        per_page = 50
        empty_text = "No KPI actions match these filters."

    def __init__(self, *args, user=None, day=None, **kwargs):
        self.user = user
        self.day = day
        super().__init__(*args, **kwargs)

    def render_measure(self, record):
        return format_html('<a class="govuk-link" href="{}">{}</a>', record.get_absolute_url(), record.measure.name)

    def render_text(self, value):
        return value if len(value) <= 200 else value[:197].rstrip() + "…"

    def render_due_date(self, record, value):
        text = dateformat.format(value, "j M Y")
        if self.day and is_overdue(due=value, status=record.status, on=self.day):
            return format_html(
                '{}<br><strong class="govuk-tag govuk-tag--red">Overdue {} days</strong>', text, (self.day - value).days
            )
        return text

    def value_due_date(self, value):
        return value.isoformat()

    def render_status(self, value):
        return status_label(value)

    value_status = render_status

    def render_update(self, record):
        if self.user is None or not getattr(record, "can_update", False):
            return ""
        request = getattr(self, "request", None)
        return row_fragment(self, "kpis/_action_status.html").render(
            {"act": record, "statuses": Status.choices, "next": request.get_full_path() if request else ""}
        )


class KpiImportTable(ImportJobTable):
    """The history of KPI imports."""

    region_label = "KPI imports"
    link_class = "govuk-link"

    class Meta:
        attrs = {"class": "govuk-table app-table--small", **CELL_ATTRS}
        export_title = "KPI imports"
        empty_text = "No KPI imports yet."
        per_page = 50

    def value_created_at(self, value):
        return timezone.localtime(value).isoformat(timespec="minutes")

    value_state = ImportJobTable.render_state

    def render_counts(self, record):
        data = record.result if record.state == "applied" else record.preview
        created, updated = (data or {}).get("created", {}), (data or {}).get("updated", {})
        if not created and not updated:
            return "—"
        verb = "" if record.state == "applied" else "would be "
        return (
            f"{created.get('observations', 0)} values {verb}created, {updated.get('observations', 0)} {verb}revised; "
            f"{created.get('measures', 0)} new measures"
        )

    value_counts = render_counts
