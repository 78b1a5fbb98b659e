"""Form widgets that render in one pass.

Django renders a <select> through a template per <option>; a filter with a few hundred owners or
sections spends most of a list page's time there. FastSelect writes the same HTML directly (the
same attributes in the same order, optgroups and selected options, escaped the same way), without
building a context dict per option."""

from __future__ import annotations

import html

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe


def _escape(value) -> str:
    """conditional_escape without its lazy-string wrapper (called for every option)."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def _attrs(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html: in order, False left out, True as a bare name; escaped."""
    out = []
    for key, value in attrs.items():
        if value is True:
            out.append(f" {conditional_escape(key)}")
        elif value is not False:
            out.append(f' {conditional_escape(key)}="{conditional_escape(str(value))}"')
    return "".join(out)


class FastSelect(forms.Select):
    # Set on a form's own copy of the widget: a model field's choices as (value, label) strings, read
    # already (model_choices, kept in the cache by the caller), so the page loads no instances. Left
    # None, they are read from the database.
    kept_choices: list[tuple[str, str]] | None = None

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        chosen = self.format_value(value)
        parts = [f"<select{_attrs({'name': name, **final_attrs})}>"]
        has_selected = False
        # As ChoiceWidget.optgroups: a choice whose label is a list or tuple is a group of choices.
        for group_value, group_label in self._iter_choices():
            if isinstance(group_label, list | tuple):
                parts.append(format_html('<optgroup label="{}">', "" if group_value is None else group_value))
                options = group_label
            else:
                options = [("" if group_value is None else group_value, group_label)]
            for option_value, label in options:
                selected = (not has_selected or self.allow_multiple_selected) and str(option_value) in chosen
                has_selected |= selected
                mark = " selected" if selected else ""
                parts.append(f'<option value="{_escape(option_value)}"{mark}>{_escape(label)}</option>')
            if isinstance(group_label, list | tuple):
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped

    def _iter_choices(self):
        """The choices; a model field's in one plain query (ModelChoiceIterator reads them through
        a server-side cursor, several round trips on PostgreSQL), as (value, label) like it."""
        choices = self.choices
        if not isinstance(choices, ModelChoiceIterator):
            yield from choices
            return
        if choices.field.empty_label is not None:
            yield ("", choices.field.empty_label)
        if self.kept_choices is not None:
            yield from self.kept_choices
            return
        for obj in choices.queryset.all():
            yield choices.choice(obj)


def model_choices(field: forms.ModelChoiceField) -> list[tuple[str, str]]:
    """A model choice field's choices (no empty one) as (value, label) strings, for FastSelect.kept_choices."""
    iterator = field.iterator(field)
    return [(str(value), str(label)) for value, label in map(iterator.choice, field.queryset.all())]
