from __future__ import annotations

import django_filters
from django import forms
from django.core.cache import cache
from django.db.models import Q

from core.forms import UKDateField
from core.rag import BLUE
from core.status import overdue_q
from core.widgets import FastSelect, model_choices

from .models import Extract, Objective, Owner, Plan, Section, Status
from .selectors import AT_FIELDS

CHOICES_CACHE_SECONDS = 600
RAG_FILTER_CHOICES = [("R", "Red"), ("A", "Amber"), ("G", "Green"), ("B", "Complete (Blue)"), ("none", "Not rated")]


class UKDateFilter(django_filters.DateFilter):
    """A date typed as 31/12/2023 (or the other usual UK forms), never a browser picker."""

    field_class = UKDateField


class ActivityFilter(django_filters.FilterSet):
    """Filters for the activity list. Works on the as-at annotations, so it filters the past too."""

    q = django_filters.CharFilter(label="Search", method="filter_text")
    mine = django_filters.BooleanFilter(label="Only activities I own", method="filter_mine", widget=forms.CheckboxInput)
    plan = django_filters.ModelChoiceFilter(
        widget=FastSelect,
        label="Plan",
        field_name="commitment__plan",
        queryset=Plan.objects.order_by("name"),
        empty_label="All plans",
    )
    objective = django_filters.ModelChoiceFilter(
        widget=FastSelect,
        label="Objective",
        field_name="commitment__objective",
        queryset=Objective.objects.order_by("plan__name", "order"),
        empty_label="All objectives",
    )
    section = django_filters.ModelChoiceFilter(
        widget=FastSelect,
        label="Section",
        field_name="commitment__section",
        queryset=Section.objects.order_by("objective__plan__name", "objective__order", "order"),
        empty_label="All sections",
    )
    rag = django_filters.MultipleChoiceFilter(
        label="RAG", choices=RAG_FILTER_CHOICES, method="filter_rag", widget=forms.CheckboxSelectMultiple
    )
    status = django_filters.MultipleChoiceFilter(
        label="Status",
        field_name="at_status",
        choices=Status.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,  # one value per row: DISTINCT (and a COUNT over it) would only cost
    )
    owner = django_filters.ModelChoiceFilter(
        widget=FastSelect,
        label="Owner",
        field_name="owners",
        queryset=Owner.objects.order_by("name"),
        empty_label="Any owner",
    )
    overdue = django_filters.BooleanFilter(
        label="Overdue only",
        method="filter_overdue",
        widget=forms.CheckboxInput,
    )
    # Two labelled boxes (due_after, due_before: the names links from the home page use).
    due_after = UKDateFilter(label="Due on or after", field_name="at_due", lookup_expr="gte")
    due_before = UKDateFilter(label="Due on or before", field_name="at_due", lookup_expr="lte")
    updated_since = UKDateFilter(label="Updated since", field_name="at_last_update_on", lookup_expr="gte")

    def __init__(self, *args, as_at=None, data_version: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.as_at = as_at
        self.data_version = data_version

    CACHED_CHOICES = ("plan", "objective", "section", "owner")

    @property
    def form(self):
        """The form; given the plans' data version, its plan, objective, section and owner choices are
        read from the cache (one entry) while that data is unchanged (core.widgets.FastSelect.kept_choices)."""
        if not hasattr(self, "_form"):
            form = super().form
            for name, kept in self.kept_choices().items():
                form.fields[name].widget.kept_choices = kept
        return self._form

    def kept_choices(self) -> dict[str, list[tuple[str, str]]]:
        """The cached fields' choices, from the cache under the plans' data version ({} without one)."""
        if self.data_version is None:
            return {}
        if not hasattr(self, "_kept_choices"):
            key = f"delivery:activity-filter-choices:{self.data_version}"
            kept = cache.get(key)
            if kept is None:
                kept = {name: model_choices(self.filters[name].field) for name in self.CACHED_CHOICES}
                cache.set(key, kept, timeout=CHOICES_CACHE_SECONDS)
            self._kept_choices = kept
        return self._kept_choices

    def plan_count(self) -> int:
        """How many plans there are (from the plan filter's choices)."""
        kept = self.kept_choices()
        return len(kept["plan"]) if kept else Plan.objects.count()

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(text__icontains=value)
            | Q(commitment__text__icontains=value)
            | Q(commitment__ref__iexact=value)
            | Q(sub_ref__iexact=value)
            | Q(owner_text__icontains=value)
            | Q(at_progress__icontains=value)
        )

    def filter_mine(self, queryset, name, value):
        if not value or self.request is None:
            return queryset
        return queryset.filter(owners__user=self.request.user).distinct()

    def filter_rag(self, queryset, name, value):
        if not value:
            return queryset
        wanted = ["" if v == "none" else v for v in value]
        # The shown RAG is Blue for a complete activity, else its RAG (selectors.activities_as_at's
        # at_shown_rag), written on the columns themselves: PostgreSQL estimates those (and can use
        # their indexes), where it guessed a handful of rows for the CASE and planned the sort for them.
        shown = ~Q(at_status=Status.COMPLETE) & Q(at_rag__in=wanted)
        if BLUE in wanted:
            shown |= Q(at_status=Status.COMPLETE)
        return queryset.filter(shown)

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_q(self.as_at, **AT_FIELDS)) if value else queryset


class ExtractFilter(django_filters.FilterSet):
    plan = django_filters.ModelChoiceFilter(
        widget=FastSelect, label="Plan", queryset=Plan.objects.order_by("name"), empty_label="All plans"
    )
    format = django_filters.ChoiceFilter(label="Format", choices=Extract.Format.choices, empty_label="Any format")
    state = django_filters.ChoiceFilter(label="State", choices=Extract.State.choices, empty_label="Any state")
