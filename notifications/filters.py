"""The filters on "what changed". The list is one UNION over three kinds of change, which django-filter's
FilterSet (one model, one queryset) cannot filter after the fact, so a plain form picks the kinds and the
words and the selector builds only the parts asked for."""

from __future__ import annotations

from django import forms

KINDS = [
    ("activity", "Supporting activities"),
    ("meeting action", "Meeting actions"),
    ("kpi action", "KPI actions"),
]


class ChangeFilterForm(forms.Form):
    q = forms.CharField(
        label="Words in the item",
        required=False,
        max_length=200,
        help_text="Searches the text of the activity or action.",
    )
    kind = forms.MultipleChoiceField(
        label="Kind of item", required=False, choices=KINDS, widget=forms.CheckboxSelectMultiple
    )

    def clean_q(self) -> str:
        value = self.cleaned_data["q"].replace("\x00", "").strip()
        return value

    def criteria(self) -> dict:
        """The selector's arguments: every kind and no words when the form is empty or invalid."""
        if not self.is_valid():
            return {"kinds": None, "q": ""}
        return {"kinds": self.cleaned_data["kind"] or None, "q": self.cleaned_data["q"]}
