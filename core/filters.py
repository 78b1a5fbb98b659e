"""Filters for core's own list: the audit log (who, what, which object, when)."""

from __future__ import annotations

import django_filters
from django import forms

from . import audit
from .forms import UKDateField
from .models import AuditEntry
from .selectors import model_choices

# Entries that are about a file or a sign-in rather than a registered model.
OTHER_LABELS = ["delivery.importrun", "delivery.extract", "kpis.kpiimport", "auth.user"]


class UKDateFilter(django_filters.DateFilter):
    field_class = UKDateField


class AuditFilter(django_filters.FilterSet):
    who = django_filters.CharFilter(label="Who (user name)", field_name="actor_name", lookup_expr="icontains")
    action = django_filters.MultipleChoiceFilter(
        label="What was done",
        choices=AuditEntry.Action.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,  # one value per row: DISTINCT over every column (and COUNT over that) would only cost
    )
    model = django_filters.ChoiceFilter(label="Kind of record", field_name="model_label", empty_label="Any kind")
    object = django_filters.CharFilter(
        label="Record's name contains", field_name="object_repr", lookup_expr="icontains"
    )
    object_id = django_filters.CharFilter(label="Record number", field_name="object_id", lookup_expr="exact")
    on_or_after = UKDateFilter(label="On or after", field_name="at", lookup_expr="date__gte")
    on_or_before = UKDateFilter(label="On or before", field_name="at", lookup_expr="date__lte")

    class Meta:
        model = AuditEntry
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = [m._meta.label_lower for m in audit.registered()] + OTHER_LABELS
        self.filters["model"].extra["choices"] = model_choices(labels)
