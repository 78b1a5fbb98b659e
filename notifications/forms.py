from __future__ import annotations

from django import forms

from .models import NotificationSettings


class SettingsForm(forms.Form):
    digest = forms.ChoiceField(
        label="How often do you want the digest email?",
        choices=[
            (NotificationSettings.Digest.DAILY, "Daily, each working day"),
            (NotificationSettings.Digest.WEEKLY, "Weekly, on the first working day of the week"),
            (NotificationSettings.Digest.NONE, "Never"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how often you want the digest email.",
            "invalid_choice": "Choose daily, weekly or never.",
        },
    )
