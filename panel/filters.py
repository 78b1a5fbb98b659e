"""The pack library's filters: plan, and approved or draft."""

from __future__ import annotations

import django_filters

from delivery.models import Plan

from .models import PanelPack

STATUS = [("approved", "Approved"), ("draft", "Draft")]


class PackFilter(django_filters.FilterSet):
    plan = django_filters.ModelChoiceFilter(
        label="Plan", field_name="report__plan", queryset=Plan.objects.order_by("name"), empty_label="All plans"
    )
    status = django_filters.ChoiceFilter(
        label="Status", choices=STATUS, empty_label="Any status", method="filter_status"
    )

    class Meta:
        model = PanelPack
        fields = ["plan", "status"]

    def filter_status(self, queryset, name, value):
        if value == "approved":
            return queryset.filter(frozen=True)
        if value == "draft":
            return queryset.filter(frozen=False)
        return queryset
