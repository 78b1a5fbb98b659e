from __future__ import annotations

from django import forms

from core.forms import UKDateField
from core.status import Status
from core.widgets import FastSelect
from delivery.models import Objective, OversightBody

from .models import Area, Measure
from .periods import parse_period
from .selectors import STATUS_FILTERS


class PeriodField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return parse_period(value)
        except ValueError as e:
            raise forms.ValidationError(str(e)) from None


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label="Name contains", required=False, max_length=100)
    objective = forms.ModelChoiceField(
        queryset=Objective.objects.select_related("plan").order_by("plan__name", "order"), required=False,
        empty_label="Any objective", widget=FastSelect,
    )  # fmt: skip
    frequency = forms.ChoiceField(choices=[("", "Any frequency"), *Measure.Frequency.choices], required=False)
    area = forms.ModelChoiceField(
        queryset=Area.objects.all(), required=False, empty_label="The force", widget=FastSelect
    )
    status = forms.ChoiceField(choices=[("", "Any status"), *STATUS_FILTERS.items()], required=False)
    as_at = UKDateField(label="As at", required=False)


class MeasureViewForm(forms.Form):
    area = forms.ModelChoiceField(
        queryset=Area.objects.all(), required=False, empty_label="The force", widget=FastSelect
    )
    period = PeriodField(
        label="Period", required=False, max_length=20, help_text="2017-08, 2017-Q3 or 2017/18-Q2; blank: the latest."
    )
    as_at = UKDateField(label="As at", required=False)


class SummaryPeriodForm(forms.Form):
    period = PeriodField(
        label="Reporting period", required=False, max_length=20, help_text="2017/18-Q2, 2017-Q3 or 2017-08."
    )
    as_at = UKDateField(label="As at", required=False)


class CommentaryForm(forms.Form):
    data_text = forms.CharField(
        label="Data", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Leave blank to use the drafted sentence.",
    )  # fmt: skip
    commentary = forms.CharField(
        label="Commentary", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class ActionForm(forms.Form):
    text = forms.CharField(label="Action", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    owner_name = forms.CharField(label="Owner", max_length=200, help_text='A person or team, e.g. "Supt Paley".')
    due_date = UKDateField(label="Due date")
    forum = forms.ModelChoiceField(
        label="Forum",
        queryset=OversightBody.objects.order_by("name"),
        required=False,
        empty_label="None",
        widget=FastSelect,
    )


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices)


class KpiImportForm(forms.Form):
    file = forms.FileField(
        label="Workbook",
        help_text="Excel (.xlsx, .xlsm or .xls) or OpenDocument (.ods), up to the size limit.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xlsm,.xls,.ods"}),
    )
    layout = forms.ChoiceField(
        choices=[
            ("auto", "Recognise automatically"),
            ("long", "Long: Measure | Area | Period | Value"),
            ("wide", "Wide: areas down the side, periods across"),
        ],
        initial="auto",
    )
