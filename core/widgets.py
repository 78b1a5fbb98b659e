"""Form widgets that render in one pass.

Django renders a <select> through a template per <option>; a filter with a few hundred owners or
sections spends most of a list page's time there. FastSelect writes the same HTML directly (the
same attributes in the same order, optgroups and selected options, escaped the same way), without
building a context dict per option."""

from __future__ import annotations

import html

from django import forms
from django.core.cache import cache
from django.forms.models import ModelChoiceIterator
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

CHOICES_CACHE_SECONDS = 600


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
    # Set on a form's own copy of the widget: the cache key (naming a fingerprint of the data the
    # choices come from) under which a model field's choices are kept, so a page reads them from the
    # cache instead of loading every instance. Left None, they are read from the database.
    choices_key: str | None = None

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
        if self.choices_key is None:
            for obj in choices.queryset.all():
                yield choices.choice(obj)
            return
        kept = cache.get(self.choices_key)
        if kept is None:
            kept = [(str(value), str(label)) for value, label in map(choices.choice, choices.queryset.all())]
            cache.set(self.choices_key, kept, timeout=CHOICES_CACHE_SECONDS)
        yield from kept
