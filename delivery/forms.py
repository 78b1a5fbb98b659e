from __future__ import annotations

from django import forms

from core.forms import UKDateField

from .models import Activity, Owner, Rag, Status

RAG_CHOICES = [("R", "R Red"), ("A", "A Amber"), ("G", "G Green"), ("", "– Not rated")]


class AsAtForm(forms.Form):
    """The "as at" date every page accepts; blank means today."""

    as_at = UKDateField(label="As at", required=False)


class ActivityUpdateForm(forms.Form):
    rag = forms.ChoiceField(label="RAG", choices=RAG_CHOICES, required=False, widget=forms.RadioSelect)
    status = forms.ChoiceField(choices=Status.choices, widget=forms.RadioSelect)
    reopen = forms.BooleanField(
        label="Reopen it: set the status back to In progress",
        required=False,
        help_text="A complete or closed activity cannot be Red or Amber; reopen it to rate it.",
    )
    text = forms.CharField(
        label="Progress update",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What has happened since the last update. Required when moving to Red or Amber.",
    )
    for_panel = forms.BooleanField(
        label="For the panel",
        required=False,
        help_text="An example of activity for the Police and Crime Panel's report (this update's text).",
    )
    on = UKDateField(label="Date of this update")
    start_date = UKDateField(label="Start date", required=False)
    due_date = UKDateField(label="Due date", required=False)
    date_text = forms.CharField(
        label="Date as written", required=False, max_length=200, help_text='Optional, e.g. "By Oct 25" or "Ongoing".'
    )
    owners = forms.ModelMultipleChoiceField(
        queryset=Owner.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Hold Ctrl (or Cmd) to choose more than one.",
    )
    seen_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, can_change_owners: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_change_owners:  # owners propose a new owner in the update text; editors change it
            del self.fields["owners"]

    @classmethod
    def initial_for(cls, activity: Activity, on) -> dict:
        return {
            "rag": activity.rag,
            "status": activity.status,
            "start_date": activity.start_date,
            "due_date": activity.due_date,
            "date_text": activity.date_text,
            "owners": list(activity.owners.all()),
            "seen_version": activity.version,
            "on": on,
        }


class ForPanelForm(forms.Form):
    for_panel = forms.BooleanField(required=False)


class InlineRagForm(forms.Form):
    """The list page's quick change of RAG (htmx)."""

    rag = forms.ChoiceField(label="RAG", choices=Rag.choices, required=False)
    text = forms.CharField(label="Reason", required=False, max_length=5000)
    reopen = forms.BooleanField(required=False)
    seen_version = forms.IntegerField(widget=forms.HiddenInput)


class OverdueReviewForm(AsAtForm):
    plan = forms.ModelChoiceField(queryset=None, required=False, empty_label="All plans")
    due_within = forms.IntegerField(label="Due within (days)", min_value=1, max_value=365, required=False)
    stale_after = forms.IntegerField(label="No update for (days)", min_value=1, max_value=3650, required=False)

    def __init__(self, *args, **kwargs):
        from .selectors import plans

        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans()


class ExtractForm(forms.Form):
    """An extract definition for one plan; one file is made per format ticked."""

    as_at = UKDateField(
        label="As at", help_text="Progress recorded after this date is left out. For example, 31/12/2023"
    )
    objectives = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick none to include every objective.",
    )
    columns = forms.MultipleChoiceField(choices=(), widget=forms.CheckboxSelectMultiple)
    include_complete = forms.BooleanField(label="Include completed activities", required=False)
    changed_since = UKDateField(
        label="Mark rows changed since",
        required=False,
        help_text="Optional: adds a column marking activities updated after this date. For example, 31/12/2023",
    )
    title = forms.CharField(
        max_length=300,
        initial="Appendix 1 – Delivery Plan Extract",
        widget=forms.TextInput(attrs={"class": "govuk-!-width-full"}),
    )
    subtitle = forms.CharField(
        max_length=300,
        required=False,
        help_text="Left blank: the plan's name and date.",
        widget=forms.TextInput(attrs={"class": "govuk-!-width-full"}),
    )
    formats = forms.MultipleChoiceField(label="Formats", choices=(), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, plan, **kwargs):
        from .models import Extract
        from .selectors import plan_objectives

        super().__init__(*args, **kwargs)
        self.fields["objectives"].queryset = plan_objectives(plan=plan)
        self.fields["columns"].choices = list(Extract.COLUMNS.items())
        self.fields["formats"].choices = Extract.Format.choices


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Workbook",
        help_text="Excel (.xlsx, .xlsm or .xls), OpenDocument (.ods) or CSV, up to the size limit.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xlsm,.xls,.ods,.csv"}),
    )
    plan = forms.ModelChoiceField(
        label="Plan",
        queryset=Owner.objects.none(),  # the plans, given by the view
        required=False,
        empty_label="A new plan",
        help_text="The plan this workbook updates. A workbook downloaded from a plan page goes back to its own "
        "plan whatever its file is called.",
    )
    plan_name = forms.CharField(
        label="Name of the new plan",
        required=False,
        max_length=200,
        help_text='Only for "A new plan". Leave blank to take it from the workbook\'s title.',
    )
    as_at = UKDateField(
        label="Update date",
        required=False,
        help_text="The date the workbook's progress entries without a date of their own are as at (for example "
        "the end of the quarter it reports). Leave blank to take it from the workbook: its title, its file "
        "name or the date it was saved. You can change it in the preview.",
    )
    layout = forms.ChoiceField(
        choices=[
            ("auto", "Recognise automatically"),
            ("extract", "Delivery-plan extract"),
            ("tracker", "RAG tracker"),
            ("native", "The tracker's own workbook"),
        ],
        initial="auto",
    )
    sheet = forms.CharField(label="Only this sheet", required=False, max_length=100, help_text="Optional.")

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans

    def clean(self):
        data = super().clean()
        if data.get("plan") is not None and (data.get("plan_name") or "").strip():
            self.add_error("plan_name", 'Leave this blank when you choose an existing plan, or choose "A new plan".')
        return data


FIELD_CHOICES = [
    ("", "Do not import"),
    ("ref", "Ref (commitment reference)"),
    ("commitment", "Plan commitment"),
    ("activity", "Supporting activity / action"),
    ("sub_ref", "Sub-reference"),
    ("owners", "Owner/s"),
    ("oversight", "Oversight mechanism(s)"),
    ("date", "Due date / timescale"),
    ("start", "Start date"),
    ("rag", "RAG"),
    ("status", "Status"),
    ("progress", "Progress update"),
]
RAG_VALUE_CHOICES = [("R", "Red"), ("A", "Amber"), ("G", "Green"), ("B", "Blue (complete)"), ("", "Not rated")]
STATUS_VALUE_CHOICES = [
    ("not_started", "Not started"),
    ("in_progress", "In progress"),
    ("complete", "Complete"),
    ("on_hold", "On hold"),
    ("closed", "Closed"),
]


def import_mapping_from_post(post, preview: dict) -> dict:
    """The mapping step's answers, read against the preview it was shown for: {"columns": {sheet:
    {column index: field}}, "header_rows": {sheet: row}, "values": {kind: {value: code}}, "profile_name",
    "as_at"}. Unknown field names are refused by the service."""
    from datetime import date

    columns: dict[str, dict[int, str]] = {}
    header_rows: dict[str, int] = {}
    for n, info in enumerate(preview.get("sheet_info", [])):
        chosen = {}
        for c in info.get("columns", []):
            key = f"col-{n}-{c['index']}"
            if key in post:
                chosen[c["index"]] = post.get(key, "")
        if chosen:
            columns[info["sheet"]] = chosen
        row = (post.get(f"header-{n}") or "").strip()
        if row.isdigit() and int(row) > 0:
            header_rows[info["sheet"]] = int(row)
    values: dict[str, dict[str, str]] = {}
    for n, item in enumerate(preview.get("unknown_values", [])):
        key = f"value-{n}"
        if key in post:
            values.setdefault(item["kind"], {})[item["value"]] = post.get(key, "")
    as_at = None
    text = (post.get("as_at") or "").strip()
    if text:
        try:
            as_at = date.fromisoformat(text)
        except ValueError:
            as_at = None
    return {
        "columns": columns if columns else None,
        "header_rows": header_rows if (columns or header_rows) else None,
        "values": values or None,
        "profile_name": (post.get("profile_name") or "").strip()[:100],
        "as_at": as_at,
    }
