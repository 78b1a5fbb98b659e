"""The base for every list's table: whatever `?per_page=` a request asks for, a page holds between 1
and TRACKER_MAX_PAGE_SIZE rows, so a hostile or mistyped value never fails the page or loads
everything at once. (`?page=` beyond the end already shows the last page: django-tables2's
RequestConfig does that.)"""

from __future__ import annotations

import django_tables2 as tables
from django.conf import settings
from django.middleware.csrf import get_token
from django.template import Context
from django.template.base import render_value_in_context
from django.template.loader import get_template
from django.utils import dateformat, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

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

    def rows_html(self) -> SafeString:
        """The page's rows (django_tables2/govuk.html's table body). Each cell is django-tables2's own
        (BoundRow.get_cell), written as a template writes a variable; a column's <td> attributes are
        worked out once for the page instead of once per cell, unless they depend on the row. A table
        whose cells are costly one by one writes its rows itself (delivery.tables.ActivityTable)."""
        columns = list(self.columns)
        rows = list(self.paginated_rows)
        if not rows:
            return self.empty_rows_html()
        context = Context(autoescape=True)
        fixed = {c.name: c.attrs["td"].as_html() for c in columns if not _attrs_per_row(self, c)}
        out = []
        for row in rows:
            cells = []
            for column in columns:
                cell = row.get_cell(column.name)
                if column.name in fixed:
                    attrs = fixed[column.name]
                else:  # as BoundRow.items(), which callable attrs read
                    column.current_value, column.current_record = cell, row.record
                    attrs = column.attrs["td"].as_html()
                cells.append(f"<td {attrs}>{render_value_in_context(cell, context)}</td>")
            out.append(f"{ROW_START}{''.join(cells)}{ROW_END}")
        return mark_safe("".join(out))  # noqa: S308 - cells escaped as a template escapes them

    def empty_rows_html(self) -> SafeString:
        """The table body with no rows: the empty text across every column."""
        if not self.empty_text:
            return format_html("\n    {}\n  ", "")
        return format_html(
            '\n    <tr class="govuk-table__row"><td class="govuk-table__cell" colspan="{}">{}</td></tr>\n  ',
            len(self.columns),
            self.empty_text,
        )


# What govuk.html's loop writes around each row's cells.
ROW_START = '\n    <tr class="govuk-table__row">\n      '
ROW_END = "\n    </tr>\n  "


def _attrs_per_row(table: tables.Table, column) -> bool:
    """Whether the column's <td> attributes are computed from each row (a callable value)."""
    attrs = {**table.attrs, **column.column.attrs}
    td = attrs.get("td", attrs.get("cell", {}))
    return any(callable(v) for v in td.values())


class RowFragment:
    """A template a table renders in every row (an inline form), rendered with a plain Context and the
    page's CSRF token: render_to_string(request=...) would run every context processor (navigation,
    role, messages) again for each row, and such a fragment reads none of them."""

    def __init__(self, template_name: str, request=None):
        self.template = get_template(template_name).template
        self.extra = {"csrf_token": get_token(request)} if request is not None else {}

    def render(self, context: dict) -> SafeString:
        return self.template.render(Context({**context, **self.extra}, autoescape=True))


def row_fragment(table: tables.Table, template_name: str) -> RowFragment:
    """The table's RowFragment for this template, made once per table (so once per page)."""
    made = table.__dict__.setdefault("_row_fragments", {})
    if template_name not in made:
        made[template_name] = RowFragment(template_name, getattr(table, "request", None))
    return made[template_name]


# Every table cell carries GOV.UK's classes.
CELL_ATTRS = {"th": {"class": "govuk-table__header"}, "td": {"class": "govuk-table__cell"}}


class JobTable(Table):
    """A job history's shared cells (core.jobs: imports, extracts): when, linked to the job's page only
    for those who may see what it holds (editors, administrators, whoever started it); by whom; its
    outcome. Subclasses declare the columns, with `created_at`, `created_by` and `state` among them."""

    link_class = ""  # the page link's class, if any

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


class ImportJobTable(JobTable):
    """The history of an app's imports (core.jobs.ImportJob). Every reader sees who imported what and
    when; only those who may see the uploaded content get the link to its preview. Subclasses give
    Meta (with CELL_ATTRS) and `render_counts`."""

    created_at = tables.DateTimeColumn(verbose_name="Uploaded", format="j M Y H:i")
    filename = tables.Column(verbose_name="File")
    created_by = tables.Column(verbose_name="By", default="—")
    state = tables.Column(verbose_name="Outcome")
    counts = tables.Column(verbose_name="Changes", empty_values=(), orderable=False)

    def render_counts(self, record):
        raise NotImplementedError


def field_label(name: str) -> str:
    """ "commitment_id" -> "commitment", "due_date" -> "due date"."""
    return name.removesuffix("_id").replace("_", " ")


def shown_value(value) -> str:
    if value is None:
        return "—"
    if value == "":
        return "(blank)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list | dict):
        return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return str(value)


def changes_text(changes: dict) -> str:
    """{field: [before, after]} as one line of text, for the CSV and Excel files."""
    return "; ".join(f"{field_label(k)}: {shown_value(b)} -> {shown_value(a)}" for k, (b, a) in changes.items())


class AuditTable(Table):
    """The site-wide audit log. Every column comes from the entry's own row (no joins)."""

    region_label = "Audit log"

    at = tables.DateTimeColumn(verbose_name="When", format="j M Y H:i:s")
    actor_name = tables.Column(verbose_name="Who", default="(nobody signed in)")
    action = tables.Column(verbose_name="What was done")
    model_label = tables.Column(verbose_name="Kind of record", default="—")
    object_id = tables.Column(verbose_name="Number", default="—")
    object_repr = tables.Column(verbose_name="Record", default="—")
    changes = tables.Column(verbose_name="Changes (before → after)", orderable=False, default="—")
    source = tables.Column(verbose_name="From")
    ip = tables.Column(verbose_name="IP address", default="—")

    class Meta:
        attrs = {"class": "govuk-table app-table--small", "data-testid": "audit-table", **CELL_ATTRS}
        export_title = "Audit log"
        empty_text = "No audit entries match these filters."
        order_by = ("-at",)

    def render_action(self, record):
        return record.get_action_display()

    def render_source(self, record):
        return record.get_source_display()

    def render_changes(self, value, record):
        if record.detail and not value:
            return ", ".join(f"{k}: {shown_value(v)}" for k, v in record.detail.items())
        items = format_html_join(
            "",
            "<li><strong>{}</strong>: {} → {}</li>",
            ((field_label(k), shown_value(b), shown_value(a)) for k, (b, a) in value.items()),
        )
        return format_html('<ul class="govuk-list app-changes">{}</ul>', items)

    def value_changes(self, value, record):
        if record.detail and not value:
            return ", ".join(f"{k}: {shown_value(v)}" for k, v in record.detail.items())
        return changes_text(value)

    def value_action(self, record):
        return record.get_action_display()

    def value_source(self, record):
        return record.get_source_display()
