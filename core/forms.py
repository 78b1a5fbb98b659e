"""Form pieces every app shares.

Dates are typed, never picked: a text box with the hint "For example, 31/12/2023" that takes the
usual UK forms (31/12/2023, 31/12/23, 31-12-2023, 31.12.2023, 31 Dec 2023, 31 December 2023) and the
ISO form links use (2023-12-31). A browser date picker shows mm/dd/yyyy to many UK users; this does not.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from .dates import EARLIEST, LATEST, in_range

UK_DATE_INPUT_FORMATS = [
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d/%m/%y",
    "%d-%m-%Y",
    "%d-%m-%y",
    "%d.%m.%Y",
    "%d.%m.%y",
    "%d %m %Y",
    "%d %b %Y",
    "%d %B %Y",
    "%d %b %y",
    "%d %B %y",
]
DATE_HINT = "For example, 31/12/2023"


class UKDateInput(forms.TextInput):
    """A text box for a date, shown as dd/mm/yyyy; sized for it."""

    def __init__(self, attrs=None):
        base = {"inputmode": "text", "autocomplete": "off", "spellcheck": "false", "data-date": "uk"}
        super().__init__(attrs={**base, **(attrs or {})})

    def format_value(self, value):
        if hasattr(value, "strftime"):
            return value.strftime("%d/%m/%Y")
        return super().format_value(value)


class UKDateField(forms.DateField):
    """Also refuses dates outside core.dates.EARLIEST to LATEST (1900 to 2999): 0001-01-01 or 9999-12-31 in
    a link would otherwise overflow when a page adds or subtracts days."""

    widget = UKDateInput
    input_formats = UK_DATE_INPUT_FORMATS
    default_error_messages = {
        "invalid": "Enter a real date, for example 31/12/2023.",
        "out_of_range": f"Enter a date between {EARLIEST:%-d %b %Y} and {LATEST:%-d %b %Y}.",
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", DATE_HINT)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = " ".join(value.replace(",", " ").split())
            # "Sept" is how many people shorten September.
            value = value.replace("Sept ", "Sep ").replace("sept ", "sep ")
        return super().to_python(value)

    def validate(self, value):
        super().validate(value)
        if value and not in_range(value):
            raise forms.ValidationError(self.error_messages["out_of_range"], code="out_of_range")


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's ValidationError shown on the form: each field's messages beside that field (or at the
    top when the form has no such field), and a plain message at the top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, msgs in error.message_dict.items():
        form.add_error(field if field in form.fields else None, msgs)
