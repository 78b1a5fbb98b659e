"""django-filter filter sets for the KPI lists: the measure catalogue, KPI actions and KPI imports.

The catalogue's status ("Red", "special cause") is a judgement worked out from the figures, not a
column, so its filter only carries the choice: the selector applies it after the analysis (as it does
for the area and the "as at" date)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from core.status import Status, overdue_q
from core.widgets import FastSelect
from delivery.filters import UKDateFilter
from delivery.models import Objective, OversightBody

from .models import Area, KpiAction, KpiImport, Measure
from .selectors import STATUS_FILTERS


def _keep(queryset, name, value):
    """A choice the view or selector applies after the query (area, status, as at)."""
    return queryset


class MeasureFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Name contains", method="filter_text", max_length=100)
    objective = django_filters.ModelChoiceFilter(
        widget=FastSelect,
        label="Objective",
        field_name="objectives",
        queryset=Objective.objects.select_related("plan").order_by("plan__name", "order"),
        empty_label="Any objective",
        distinct=True,
    )
    frequency = django_filters.ChoiceFilter(
        label="Frequency", choices=Measure.Frequency.choices, empty_label="Any frequency"
    )
    area = django_filters.ModelChoiceFilter(
        widget=FastSelect,
        label="Area",
        queryset=Area.objects.order_by("parent_id", "order", "name"),
        empty_label="The force",
        method=_keep,
    )
    status = django_filters.ChoiceFilter(
        label="Status", choices=list(STATUS_FILTERS.items()), empty_label="Any status", method=_keep
    )
    as_at = UKDateFilter(label="As at", method=_keep, help_text="For example, 31/3/2024. Blank: today.")

    class Meta:
        model = Measure
        fields = ["q", "objective", "frequency", "area", "status", "as_at"]

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))


class KpiActionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="filter_text", max_length=100)
    status = django_filters.MultipleChoiceFilter(
        label="Status", choices=Status.choices, widget=forms.CheckboxSelectMultiple, distinct=False
    )
    overdue = django_filters.BooleanFilter(label="Overdue only", method="filter_overdue", widget=forms.CheckboxInput)
    mine = django_filters.BooleanFilter(label="Only actions I own", method="filter_mine", widget=forms.CheckboxInput)
    forum = django_filters.ModelChoiceFilter(
        widget=FastSelect, label="Forum", queryset=OversightBody.objects.order_by("name"), empty_label="Any forum"
    )
    due_after = UKDateFilter(label="Due on or after", field_name="due_date", lookup_expr="gte")
    due_before = UKDateFilter(label="Due on or before", field_name="due_date", lookup_expr="lte")

    class Meta:
        model = KpiAction
        fields = ["q", "status", "overdue", "mine", "forum", "due_after", "due_before"]

    def __init__(self, *args, day=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.day = day

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(text__icontains=value) | Q(measure__name__icontains=value) | Q(owner__name__icontains=value)
        )

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_q(self.day)) if value and self.day else queryset

    def filter_mine(self, queryset, name, value):
        if not value or self.request is None:
            return queryset
        return queryset.filter(owner__user=self.request.user)


class KpiImportFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label="State", choices=KpiImport.State.choices, empty_label="Any state")
    filename = django_filters.CharFilter(label="File name contains", lookup_expr="icontains", max_length=100)

    class Meta:
        model = KpiImport
        fields = ["state", "filename"]
