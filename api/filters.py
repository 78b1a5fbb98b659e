"""Filters for each endpoint (django-filter's DRF backend). Dates are ISO (YYYY-MM-DD); a value that is
not a date, or an id that does not exist, is a 400 naming the parameter."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from core.dates import EARLIEST, LATEST
from core.status import Status, overdue_q
from delivery.models import Activity, Commitment, Objective, Owner, Plan, ProgressUpdate
from kpis.models import Area, Measure, Observation
from kpis.periods import KINDS
from meetings.models import Action, Meeting

RAG_CHOICES = [("R", "Red"), ("A", "Amber"), ("G", "Green"), ("B", "Complete (Blue)"), ("none", "Not rated")]


class BoundedDateFilter(django_filters.DateFilter):
    """An ISO date between 1 Jan 1900 and 31 Dec 2999; anything else is refused with a message."""

    def filter(self, qs, value):
        if value is not None and not (EARLIEST <= value <= LATEST):
            from rest_framework.exceptions import ValidationError

            raise ValidationError({self.field_name_for_errors: ["Give a date between 1900-01-01 and 2999-12-31."]})
        return super().filter(qs, value)

    @property
    def field_name_for_errors(self) -> str:
        return getattr(self, "_param", self.field_name)


class ApiFilterSet(django_filters.FilterSet):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, f in self.filters.items():
            f._param = name


def _plan():
    return django_filters.ModelChoiceFilter(queryset=Plan.objects.all(), help_text="A plan's id.")


class ObjectiveFilter(ApiFilterSet):
    plan = _plan()

    class Meta:
        model = Objective
        fields = ["plan"]


class CommitmentFilter(ApiFilterSet):
    plan = _plan()
    objective = django_filters.ModelChoiceFilter(queryset=Objective.objects.all())

    class Meta:
        model = Commitment
        fields = ["plan", "objective"]


class ActivityFilter(ApiFilterSet):
    """Works on the as-at annotations, so with ?as_at= it filters the state on that date."""

    plan = django_filters.ModelChoiceFilter(field_name="commitment__plan", queryset=Plan.objects.all())
    objective = django_filters.ModelChoiceFilter(field_name="commitment__objective", queryset=Objective.objects.all())
    commitment = django_filters.ModelChoiceFilter(queryset=Commitment.objects.all())
    owner = django_filters.ModelChoiceFilter(
        field_name="owners", queryset=Owner.objects.all(), help_text="An owner's id."
    )
    rag = django_filters.MultipleChoiceFilter(
        choices=RAG_CHOICES, method="filter_rag", help_text="Repeat for several: R, A, G, B (complete), none."
    )
    status = django_filters.MultipleChoiceFilter(field_name="at_status", choices=Status.choices)
    overdue = django_filters.BooleanFilter(method="filter_overdue", help_text="Overdue on the as-at date.")
    due_after = BoundedDateFilter(field_name="at_due", lookup_expr="gte", help_text="Due on or after.")
    due_before = BoundedDateFilter(field_name="at_due", lookup_expr="lte", help_text="Due on or before.")
    updated_since = BoundedDateFilter(
        field_name="at_last_update_on", lookup_expr="gte", help_text="Last update on or after."
    )

    class Meta:
        model = Activity
        fields = ["plan", "objective", "commitment", "owner", "rag", "status", "overdue"]

    def filter_rag(self, qs, name, values):
        if not values:
            return qs
        q = Q()
        for v in values:
            q |= Q(at_shown_rag="") if v == "none" else Q(at_shown_rag=v)
        return qs.filter(q)

    def filter_overdue(self, qs, name, value):
        if value is None:
            return qs
        cond = overdue_q(self.request.as_at, due="at_due", status="at_status")
        return qs.filter(cond) if value else qs.exclude(cond)


class ProgressUpdateFilter(ApiFilterSet):
    plan = django_filters.ModelChoiceFilter(field_name="activity__commitment__plan", queryset=Plan.objects.all())
    activity = django_filters.ModelChoiceFilter(queryset=Activity.objects.all())
    rag = django_filters.ChoiceFilter(choices=[("R", "Red"), ("A", "Amber"), ("G", "Green")])
    status = django_filters.ChoiceFilter(choices=Status.choices)
    on_after = BoundedDateFilter(field_name="on", lookup_expr="gte", help_text="Dated on or after.")
    on_before = BoundedDateFilter(field_name="on", lookup_expr="lte", help_text="Dated on or before.")
    updated_since = BoundedDateFilter(
        field_name="recorded_at__date", lookup_expr="gte", help_text="Recorded on or after."
    )

    class Meta:
        model = ProgressUpdate
        fields = ["plan", "activity", "rag", "status"]


class MeasureFilter(ApiFilterSet):
    objective = django_filters.ModelChoiceFilter(field_name="objectives", queryset=Objective.objects.all())
    owner = django_filters.ModelChoiceFilter(queryset=Owner.objects.all())

    class Meta:
        model = Measure
        fields = ["objective", "owner"]


class AreaFilter(ApiFilterSet):
    kind = django_filters.ChoiceFilter(choices=Area.Kind.choices)
    parent = django_filters.ModelChoiceFilter(queryset=Area.objects.all())

    class Meta:
        model = Area
        fields = ["kind", "parent"]


class ObservationFilter(ApiFilterSet):
    measure = django_filters.ModelChoiceFilter(queryset=Measure.objects.all())
    area = django_filters.ModelChoiceFilter(queryset=Area.objects.all())
    period_kind = django_filters.ChoiceFilter(choices=KINDS, help_text="M (month) or Q (quarter).")
    period_after = BoundedDateFilter(
        field_name="period_start", lookup_expr="gte", help_text="Period starting on or after."
    )
    period_before = BoundedDateFilter(
        field_name="period_start", lookup_expr="lte", help_text="Period starting on or before."
    )
    recorded_since = BoundedDateFilter(field_name="recorded_on", lookup_expr="gte", help_text="Known from on or after.")

    class Meta:
        model = Observation
        fields = ["measure", "area", "period_kind"]


class MeetingFilter(ApiFilterSet):
    state = django_filters.ChoiceFilter(choices=Meeting.State.choices)
    kind = django_filters.ChoiceFilter(choices=Meeting.Kind.choices)
    held_after = BoundedDateFilter(field_name="held_on", lookup_expr="gte", help_text="Held on or after.")
    held_before = BoundedDateFilter(field_name="held_on", lookup_expr="lte", help_text="Held on or before.")

    class Meta:
        model = Meeting
        fields = ["state", "kind"]


class ActionFilter(ApiFilterSet):
    meeting = django_filters.NumberFilter(
        field_name="meeting_id", help_text="A meeting's id.", min_value=1, max_value=2**63 - 1, decimal_places=0
    )
    status = django_filters.ChoiceFilter(choices=Action.Status.choices)
    owner = django_filters.ModelChoiceFilter(field_name="owners", queryset=Owner.objects.all())
    overdue = django_filters.BooleanFilter(method="filter_overdue")
    due_after = BoundedDateFilter(field_name="due_date", lookup_expr="gte", help_text="Due on or after.")
    due_before = BoundedDateFilter(field_name="due_date", lookup_expr="lte", help_text="Due on or before.")
    updated_since = BoundedDateFilter(
        field_name="last_update_on", lookup_expr="gte", help_text="Last update on or after."
    )

    class Meta:
        model = Action
        fields = ["meeting", "status", "owner", "overdue"]

    def filter_overdue(self, qs, name, value):
        if value is None:
            return qs
        cond = overdue_q(self.request.as_at)
        return qs.filter(cond) if value else qs.exclude(cond)
