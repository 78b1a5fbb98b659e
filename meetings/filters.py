from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from core.status import overdue_q
from core.widgets import FastSelect
from delivery.filters import UKDateFilter
from delivery.models import Owner

from .models import Action, Meeting
from .selectors import AT_FIELDS

REQUEST_STATE_CHOICES = [("awaiting", "Awaiting response"), ("overdue", "Overdue"), ("answered", "Answered")]


class MeetingFilter(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(
        label="Type", choices=Meeting.Kind.choices, widget=forms.CheckboxSelectMultiple
    )
    # Two labelled boxes, typed as UK dates (held_after, held_before: the names the range filter used).
    held_after = UKDateFilter(label="Held on or after", field_name="held_on", lookup_expr="gte")
    held_before = UKDateFilter(label="Held on or before", field_name="held_on", lookup_expr="lte")
    subject = django_filters.CharFilter(label="Subject area", field_name="subject_area", lookup_expr="icontains")
    state = django_filters.MultipleChoiceFilter(
        label="Status", choices=Meeting.State.choices, widget=forms.CheckboxSelectMultiple
    )


class ActionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="filter_text")
    mine = django_filters.BooleanFilter(label="Only actions I own", method="filter_mine", widget=forms.CheckboxInput)
    status = django_filters.MultipleChoiceFilter(
        label="Status",
        field_name="at_status",
        choices=Action.Status.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,  # one value per row: no DISTINCT needed
    )
    overdue = django_filters.BooleanFilter(label="Overdue only", method="filter_overdue", widget=forms.CheckboxInput)
    owner = django_filters.ModelChoiceFilter(
        widget=FastSelect,
        label="Owner",
        field_name="owners",
        queryset=Owner.objects.order_by("name"),
        empty_label="Any owner",
    )
    kind = django_filters.MultipleChoiceFilter(
        label="Meeting type",
        field_name="meeting__kind",
        choices=Meeting.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,  # an action has one meeting
    )

    def __init__(self, *args, as_at=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.as_at = as_at

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(text__icontains=value) | Q(meeting__subject_area__icontains=value) | Q(progress__icontains=value)
        )

    def filter_mine(self, queryset, name, value):
        if not value or self.request is None:
            return queryset
        return queryset.filter(owners__user=self.request.user).distinct()

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_q(self.as_at, **AT_FIELDS)) if value else queryset


class WrittenRequestFilter(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(
        label="State", field_name="at_state", choices=REQUEST_STATE_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    q = django_filters.CharFilter(label="Search", method="filter_text")
    sent_after = UKDateFilter(label="Sent on or after", field_name="sent_on", lookup_expr="gte")
    sent_before = UKDateFilter(label="Sent on or before", field_name="sent_on", lookup_expr="lte")

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(subject__icontains=value)
            | Q(question__icontains=value)
            | Q(subject_area__icontains=value)
            | Q(reference__iexact=value)
        )
