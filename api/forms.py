from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone

EXPIRY_CHOICES = [("30", "In 30 days"), ("90", "In 90 days"), ("365", "In a year"), ("never", "Never")]


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="What the token is for, so you can tell it apart later. "
        'For example, "Power BI performance dashboard".',
        error_messages={
            "required": "Enter a name for the token",
            "max_length": "The name must be 100 characters or fewer",
        },
    )
    expires = forms.ChoiceField(
        label="When should it stop working?",
        choices=EXPIRY_CHOICES,
        initial="90",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose when the token should stop working"},
    )

    def clean(self):
        data = super().clean()
        choice = data.pop("expires", None)
        if choice is not None:
            data["expires_on"] = None if choice == "never" else timezone.localdate() + timedelta(days=int(choice))
        return data
