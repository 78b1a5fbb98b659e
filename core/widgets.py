"""Form widgets that render in one pass.

Django renders a <select> through a template per <option>; a filter with a few hundred owners or
sections spends most of a list page's time there. FastSelect writes the same HTML directly (the
same attributes in the same order, optgroups and selected options, escaped the same way)."""

from __future__ import annotations

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe


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
    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f"<select{_attrs({'name': widget['name'], **widget['attrs']})}>"]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            for o in options:
                parts.append(
                    f'<option value="{conditional_escape(str(o["value"]))}"{_attrs(o["attrs"])}>'
                    f"{conditional_escape(o['label'])}</option>"
                )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
