"""FastSelect writes exactly what Django's Select template writes."""

from __future__ import annotations

import pytest
from django import forms

from core.widgets import FastSelect

CHOICES = [("", "All <plans>"), (1, 'Safer "Severn" & Vale'), ("Policing areas", [(2, "North"), (3, "South")])]


@pytest.mark.parametrize("value", [None, "", "1", "3", "9"])
def test_fast_select_renders_the_same_html_as_djangos_select(value):
    attrs = {"id": "id_plan", "class": "govuk-select", "aria-describedby": "plan-hint", "required": True, "x": False}
    expected = forms.Select(choices=CHOICES).render("plan", value, attrs=attrs)
    got = FastSelect(choices=CHOICES).render("plan", value, attrs=attrs)
    assert "".join(got.split()) == "".join(expected.split())
    assert "&lt;plans&gt;" in got and "&quot;Severn&quot; &amp; Vale" in got


def test_a_filter_form_with_a_fast_select_keeps_the_chosen_option():
    class F(forms.Form):
        plan = forms.ChoiceField(choices=CHOICES, widget=FastSelect)

    html = str(F({"plan": "2"})["plan"])
    assert '<option value="2" selected>North</option>' in html
