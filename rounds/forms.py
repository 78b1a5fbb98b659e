from __future__ import annotations

from django import forms

from core.forms import UKDateField
from delivery.models import Commitment, Objective


class RoundForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="For example, \u201cQ3 2025/26 delivery plan update\u201d")
    deadline = UKDateField(label="Deadline for updates", help_text="For example, 16/01/2026")
    as_at = UKDateField(
        label="As at", help_text="The date the round reports, usually the quarter's end. For example, 31/12/2025"
    )
    message = forms.CharField(
        label="Message to owners",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Sent with each owner's list of activities.",
    )
    objectives = forms.ModelMultipleChoiceField(
        queryset=Objective.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick none (and no commitments) for the whole plan.",
    )
    commitments = forms.ModelMultipleChoiceField(
        queryset=Commitment.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Or only some commitments.",
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objectives"].queryset = Objective.objects.filter(plan=plan).order_by("order")
        self.fields["commitments"].queryset = Commitment.objects.filter(plan=plan).order_by("ref_key")


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="What should the owner add or change?", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class CloseForm(forms.Form):
    reason = forms.CharField(
        label="Reason for closing with updates unreviewed (only if some are)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class UploadForm(forms.Form):
    file = forms.FileField(label="Your completed workbook (.xlsx)")
