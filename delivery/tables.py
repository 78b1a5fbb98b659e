from __future__ import annotations

import re
from types import SimpleNamespace

import django_tables2 as tables
from django.middleware.csrf import get_token
from django.template import Context
from django.template.defaultfilters import filesizeformat
from django.template.loader import get_template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from core import rag as rag_scale
from core.dates import is_past
from core.roles import can_update_owned
from core.status import is_overdue
from core.status import label as status_label
from core.tables import CELL_ATTRS, ROW_END, ROW_START, ImportJobTable, JobTable, Table

# GOV.UK Frontend's table classes on every header and cell.
NUMERIC = {
    "th": {"class": "govuk-table__header govuk-table__header--numeric"},
    "td": {"class": "govuk-table__cell govuk-table__cell--numeric"},
}


_URL_PK = 987654321  # a placeholder pk, split out of one reverse() to build each row's URL


def _url_parts(name: str) -> tuple[str, str]:
    """The URL of `name` for any pk, as (before the pk, after it): "/activities/", "/"."""
    before, after = reverse(name, args=[_URL_PK]).split(str(_URL_PK))
    return before, after


class InlineRagForms:
    """delivery/_inline_rag.html (the "Change RAG" form) for many rows: the template is rendered once
    for each RAG value with markers where a row's pk, reference and version go, then each row's form
    is those pieces joined with its own values, escaped as the template escapes them. The markup stays
    in the one template the view also renders; a full template render per row was most of the page."""

    _PK = 987654321  # no row has it; stands for the row's pk in the URLs and ids
    _MARKS = {str(_PK): "pk", "\x00ref\x00": "ref", "\x00version\x00": "version", "\x00csrf\x00": "csrf"}
    _SPLIT = re.compile("(" + "|".join(map(re.escape, _MARKS)) + ")")

    def __init__(self, *, csrf_token: str | None):
        self.csrf_token = conditional_escape(csrf_token) if csrf_token else ""
        self.template = get_template("delivery/_inline_rag.html").template
        self.url_before, self.url_after = _url_parts("activity-rag")
        self.pieces: dict[str, list[str]] = {}

    def _pieces(self, rag_now: str) -> list[str]:
        """Literal text at even indexes, the name of the value that goes there at odd ones."""
        if rag_now not in self.pieces:
            stand_in = SimpleNamespace(pk=self._PK, full_ref="\x00ref\x00", version="\x00version\x00")
            context = {
                "activity": stand_in,
                "rag_now": rag_now,
                "url": f"{self.url_before}{self._PK}{self.url_after}",
                # With no request there is no token, and {% csrf_token %} writes nothing.
                "csrf_token": "\x00csrf\x00" if self.csrf_token else None,
            }
            parts = self._SPLIT.split(self.template.render(Context(context, autoescape=True)))
            self.pieces[rag_now] = [self._MARKS[p] if i % 2 else p for i, p in enumerate(parts)]
        return self.pieces[rag_now]

    def render(self, activity) -> SafeString:
        values = {
            "pk": str(activity.pk),
            "ref": conditional_escape(activity.full_ref),
            "version": str(activity.version),
            "csrf": self.csrf_token,
        }
        html = "".join(values[p] if i % 2 else p for i, p in enumerate(self._pieces(activity.rag)))
        return mark_safe(html)  # noqa: S308 - the template's own output, with escaped values in its places


class ActivityTable(Table):
    region_label = "Activities"
    ref = tables.Column(verbose_name="Ref", accessor="commitment__ref", order_by=("commitment__ref_key", "sub_ref_key"))
    plan = tables.Column(accessor="commitment__plan__name", verbose_name="Plan")
    objective = tables.Column(
        accessor="commitment__objective__title", verbose_name="Objective", order_by=("commitment__objective__order",)
    )
    text = tables.Column(verbose_name="Supporting activity", linkify=True)
    owners = tables.Column(verbose_name="Owner/s", accessor="owner_text", orderable=True)
    due = tables.Column(verbose_name="Due", accessor="at_due", order_by=("at_due",))
    # empty_values=(): "" is "not rated", which is shown (dashed, with its words), not left blank.
    rag = tables.Column(verbose_name="RAG", accessor="at_shown_rag", order_by=("at_shown_rag",), empty_values=())
    status = tables.Column(accessor="at_status", verbose_name="Status")
    updated = tables.Column(verbose_name="Last update", accessor="at_last_update_on")
    progress = tables.Column(verbose_name="Latest progress", accessor="at_progress", orderable=False)
    actions = tables.Column(verbose_name="Change RAG", empty_values=(), orderable=False, exclude_from_export=True)

    class Meta:
        attrs = {"class": "govuk-table app-table--small app-table--activities", **CELL_ATTRS}
        export_title = "Activities"
        per_page = 50
        empty_text = "No activities match these filters."

    def __init__(self, *args, user=None, as_at=None, count=None, **kwargs):
        self.user = user
        self.as_at = as_at
        super().__init__(*args, **kwargs)
        if count is not None:  # known already (selectors.activity_count): the paginator reads it
            self.data._length = count  # where TableQuerysetData.__len__ keeps its count()

    def rows_html(self) -> SafeString:
        """The page's rows in one pass: the same cells as django-tables2's (same escaping, "—" for
        empty values) without its per-cell accessor and render-method machinery. URLs are built from
        one reverse() per page; the inline RAG forms come from InlineRagForms."""
        columns = list(self.columns)
        records = [row.record for row in self.paginated_rows]
        if not records:
            return self.empty_rows_html()
        cell = self._cell_writers()
        writers = [(cell[c.name], c.attrs["td"].as_html()) for c in columns]
        out = []
        for record in records:
            cells = "".join(f"<td {attrs}>{write(record)}</td>" for write, attrs in writers)
            out.append(f"{ROW_START}{cells}{ROW_END}")
        return mark_safe("".join(out))  # noqa: S308 - every cell is escaped or built by format_html

    def _cell_writers(self) -> dict:
        default = conditional_escape(self.default)

        def shown(value) -> str:
            return default if value in (None, "") else conditional_escape(value)

        link_prefix, link_suffix = _url_parts("activity")
        actions = self._actions_writer()

        def objective(record) -> str:
            found = record.commitment.objective
            return shown(found.title if found is not None else None)

        return {
            "ref": lambda r: conditional_escape(self.render_ref(r)) if r.commitment.ref else default,
            "plan": lambda r: shown(r.commitment.plan.name),
            "objective": objective,
            "text": lambda r: (
                format_html('<a href="{}{}{}">{}</a>', link_prefix, r.pk, link_suffix, r.text) if r.text else default
            ),
            "owners": lambda r: shown(r.owner_text),
            "due": lambda r: conditional_escape(self.render_due(r, r.at_due)) if r.at_due is not None else default,
            "rag": lambda r: self.render_rag(r.at_shown_rag),
            "status": lambda r: shown(self.render_status(r.at_status) if r.at_status not in (None, "") else None),
            "updated": lambda r: shown(self.render_updated(r.at_last_update_on) if r.at_last_update_on else None),
            "progress": lambda r: shown(self.render_progress(r.at_progress) if r.at_progress else None),
            "actions": actions,
        }

    def _actions_writer(self):
        if self.user is None or self.as_at_is_past():
            return lambda record: ""
        request = getattr(self, "request", None)
        forms = InlineRagForms(csrf_token=get_token(request) if request is not None else None)
        user = self.user
        return lambda record: forms.render(record) if can_update_owned(user, record) else ""

    def render_ref(self, record):
        if record.sub_ref:
            return format_html('{}<br><span class="app-muted">{}</span>', record.commitment.ref, record.sub_ref)
        return record.commitment.ref

    def value_ref(self, record):
        return f"{record.commitment.ref} {record.sub_ref}".strip()

    def render_due(self, record, value):
        text = value.strftime("%-d %b %Y") if value else ""
        extra = ""
        if record.date_text and record.date_text != text:
            extra = format_html('<br><span class="app-muted">"{}"</span>', record.date_text)
        overdue = ""
        if self.as_at and is_overdue(due=value, status=record.at_status, on=self.as_at):
            overdue = format_html(
                '<br><strong class="govuk-tag govuk-tag--red">Overdue {} days</strong>', (self.as_at - value).days
            )
        return format_html("{}{}{}", text, extra, overdue)

    def value_due(self, value):
        return value.isoformat() if value else ""

    def render_rag(self, value):
        return rag_scale.badge(value)

    def value_rag(self, value):
        return rag_scale.word(value)

    def render_status(self, value):
        return status_label(value)

    def value_status(self, value):
        return status_label(value)

    def render_updated(self, value):
        return value.strftime("%-d %b %Y") if value else "—"

    def value_updated(self, value):
        return value.isoformat() if value else ""

    def render_progress(self, value):
        value = value or ""
        return value if len(value) <= 160 else value[:157].rstrip() + "…"

    def render_actions(self, record):
        return self._actions_writer()(record)

    def as_at_is_past(self) -> bool:
        return is_past(self.as_at)


class OverdueTable(Table):
    """Rows are OverdueItem objects from every registered source."""

    region_label = "Overdue items"

    kind = tables.Column(verbose_name="Kind")
    plan = tables.Column()
    ref = tables.Column(verbose_name="Ref")
    title = tables.Column(verbose_name="Item")
    owners = tables.Column(verbose_name="Owner/s", orderable=False)
    due = tables.DateColumn(format="j M Y")
    days_overdue = tables.Column(verbose_name="Days overdue", attrs=NUMERIC)
    days_since_update = tables.Column(verbose_name="Days since update", attrs=NUMERIC)
    rag = tables.Column(verbose_name="RAG", empty_values=())

    class Meta:
        attrs = {"class": "govuk-table app-table--small", **CELL_ATTRS}
        export_title = "Overdue"
        empty_text = "Nothing is overdue."
        order_by = ("-days_overdue",)

    def render_title(self, record, value):
        return format_html('<a href="{}">{}</a>', record.url, value) if record.url else value

    def render_owners(self, value):
        return ", ".join(value)

    def value_owners(self, value):
        return "; ".join(value)

    def render_rag(self, value):
        return rag_scale.badge(value)

    def value_rag(self, value):
        return rag_scale.word(value)


class ExtractTable(JobTable):
    region_label = "Extracts"
    created_at = tables.DateTimeColumn(verbose_name="Made", format="j M Y H:i")
    plan = tables.Column(accessor="plan__name", verbose_name="Plan")
    title = tables.Column(linkify=True)
    as_at = tables.DateColumn(verbose_name="As at", format="j M Y")
    format = tables.Column()
    created_by = tables.Column(verbose_name="By", accessor="created_by", default="—")
    row_count = tables.Column(verbose_name="Rows", attrs=NUMERIC)
    withheld = tables.Column(verbose_name="Withheld", attrs=NUMERIC)
    state = tables.Column()
    checksum = tables.Column(verbose_name="SHA-256", orderable=False)
    download = tables.Column(verbose_name="File", empty_values=(), orderable=False, exclude_from_export=True)

    class Meta:
        attrs = {"class": "govuk-table app-table--small", **CELL_ATTRS}
        export_title = "Extracts"
        empty_text = "No extracts yet."
        per_page = 50

    def render_format(self, record):
        return record.get_format_display()

    def render_checksum(self, value):
        return format_html('<code title="{}">{}…</code>', value, value[:12]) if value else "—"

    def render_download(self, record):
        if record.state != "done":
            return ""
        size = filesizeformat(record.file.size) if record.file else ""
        return format_html(
            '<a class="govuk-link" href="{}">Download {}{}<span class="govuk-visually-hidden"> {}</span></a>',
            reverse("extract-download", args=[record.pk]),
            record.get_format_display(),
            f", {size}" if size else "",
            record.filename,
        )


class ImportTable(ImportJobTable):
    """The import history of delivery plans."""

    region_label = "Imports"
    plan_name = tables.Column(verbose_name="Plan")

    class Meta:
        attrs = {"class": "govuk-table app-table--small", **CELL_ATTRS}
        export_title = "Imports"
        empty_text = "No imports yet."
        per_page = 50
        sequence = ("created_at", "filename", "plan_name", "created_by", "state", "counts")

    def render_counts(self, record):
        data = record.result if record.state == "applied" else record.preview
        created, updated = data.get("created", {}), data.get("updated", {})
        if not created and not updated:
            return "—"
        return (
            f"{created.get('activities', 0)} new, {updated.get('activities', 0)} changed activities; "
            f"{created.get('updates', 0)} updates"
        )

    value_counts = render_counts
