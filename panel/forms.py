from django import forms

from core.forms import UKDateField
from delivery.models import Extract, Plan


class ReportForm(forms.Form):
    plan = forms.ModelChoiceField(queryset=Plan.objects.none(), empty_label=None)
    period_from = UKDateField(label="Period from", help_text="The as-at date of the last report to the panel.")
    as_at = UKDateField(label="As at", help_text="The position is reported as at this date. For example, 31/12/2025")
    meeting_on = UKDateField(label="Panel meeting date")
    meeting_title = forms.CharField(
        label="Panel meeting", max_length=300, help_text='For example, "Police and Crime Panel, 4 February 2026".'
    )
    appendix_columns = forms.MultipleChoiceField(
        label="Appendix 1 columns",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick none to take only the columns the plan holds data for.",
    )

    def __init__(self, *args, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
        self.fields["appendix_columns"].choices = list(Extract.COLUMNS.items())


class SectionForm(forms.Form):
    text = forms.CharField(
        label="Text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Blank lines between paragraphs; start a line with “- ” for a list item; "
        "“a | b | c” lines make a table.",
    )
