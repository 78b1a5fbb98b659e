"""What each API row holds: flat fields (ids alongside the names people read), so that a reporting tool
can join the tables and the CSV has one column per field. Read-only throughout."""

from __future__ import annotations

from rest_framework import serializers

from core import rag as rag_scale
from core.status import is_overdue, label
from delivery.models import Activity, Commitment, Objective, Plan, ProgressUpdate
from kpis.models import Area, Measure, Observation
from meetings.models import Action, Meeting

RAG_CHOICES = ["R", "A", "G", "B", ""]


class PlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = Plan
        fields = ["id", "name", "slug", "description", "created_at"]


class ObjectiveSerializer(serializers.ModelSerializer):
    plan_name = serializers.CharField(source="plan.name", read_only=True)

    class Meta:
        model = Objective
        fields = ["id", "plan", "plan_name", "order", "title"]


class CommitmentSerializer(serializers.ModelSerializer):
    plan_name = serializers.CharField(source="plan.name", read_only=True)
    objective_title = serializers.CharField(source="objective.title", read_only=True)
    section_title = serializers.CharField(source="section.title", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Commitment
        fields = [
            "id",
            "plan",
            "plan_name",
            "objective",
            "objective_title",
            "section",
            "section_title",
            "ref",
            "text",
            "publish",
        ]


class ActivitySerializer(serializers.ModelSerializer):
    """An activity as at the request's date: RAG, status, dates and progress come from the as-at
    annotations (the activity's own fields for today)."""

    plan = serializers.IntegerField(source="commitment.plan_id", read_only=True)
    plan_name = serializers.CharField(source="commitment.plan.name", read_only=True)
    objective = serializers.IntegerField(source="commitment.objective_id", read_only=True)
    objective_title = serializers.CharField(source="commitment.objective.title", read_only=True)
    commitment_ref = serializers.CharField(source="commitment.ref", read_only=True)
    ref = serializers.CharField(source="full_ref", read_only=True)
    owners = serializers.SerializerMethodField()
    start_date = serializers.DateField(source="at_start", read_only=True, allow_null=True)
    due_date = serializers.DateField(source="at_due", read_only=True, allow_null=True)
    status = serializers.CharField(source="at_status", read_only=True)
    status_label = serializers.SerializerMethodField()
    rag = serializers.CharField(source="at_rag", read_only=True, help_text="R, A, G or empty (not rated).")
    shown_rag = serializers.CharField(
        source="at_shown_rag", read_only=True, help_text="As the pages show it: B (Blue) when complete."
    )
    shown_rag_label = serializers.SerializerMethodField()
    progress = serializers.CharField(source="at_progress", read_only=True)
    progress_on = serializers.DateField(source="at_progress_on", read_only=True, allow_null=True)
    last_update_on = serializers.DateField(source="at_last_update_on", read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = [
            "id", "plan", "plan_name", "objective", "objective_title", "commitment", "commitment_ref", "ref",
            "sub_ref", "text", "owners", "owner_text", "start_date", "due_date", "date_text", "status",
            "status_label", "rag", "shown_rag", "shown_rag_label", "progress", "progress_on", "last_update_on",
            "overdue", "publish",
        ]  # fmt: skip

    def get_owners(self, obj: Activity) -> list[str]:
        return [o.name for o in obj.owners.all()]

    def get_status_label(self, obj: Activity) -> str:
        return label(obj.at_status)

    def get_shown_rag_label(self, obj: Activity) -> str:
        return rag_scale.DISPLAY.get(obj.at_shown_rag or "", rag_scale.DISPLAY[""])[1]

    def get_overdue(self, obj: Activity) -> bool:
        return is_overdue(due=obj.at_due, status=obj.at_status, on=self.context["as_at"])


class ProgressUpdateSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="activity.commitment.plan_id", read_only=True)
    author = serializers.SerializerMethodField()

    class Meta:
        model = ProgressUpdate
        fields = [
            "id", "activity", "plan", "on", "kind", "author", "text", "rag", "status", "start_date", "due_date",
            "source", "for_panel", "recorded_at",
        ]  # fmt: skip

    def get_author(self, obj: ProgressUpdate) -> str:
        if obj.author_name:
            return obj.author_name
        return (obj.author.get_full_name() or obj.author.get_username()) if obj.author else ""


class MeasureSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.name", read_only=True, allow_null=True, default=None)
    objectives = serializers.SerializerMethodField()
    commitments = serializers.SerializerMethodField()

    class Meta:
        model = Measure
        fields = [
            "id", "name", "description", "unit", "polarity", "frequency", "period_basis", "source", "owner",
            "owner_name", "objectives", "commitments",
        ]  # fmt: skip

    def get_objectives(self, obj: Measure) -> list[int]:
        return [o.pk for o in obj.objectives.all()]

    def get_commitments(self, obj: Measure) -> list[int]:
        return [c.pk for c in obj.commitments.all()]


class AreaSerializer(serializers.ModelSerializer):
    parent_name = serializers.CharField(source="parent.name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Area
        fields = ["id", "name", "kind", "parent", "parent_name", "order"]


class ObservationSerializer(serializers.ModelSerializer):
    measure_name = serializers.CharField(source="measure.name", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    period_label = serializers.SerializerMethodField()

    class Meta:
        model = Observation
        fields = [
            "id", "measure", "measure_name", "area", "area_name", "period_kind", "period_start", "period_label",
            "value", "numerator", "denominator", "recorded_on",
        ]  # fmt: skip

    def get_period_label(self, obj: Observation) -> str:
        return obj.period.label(obj.measure.period_basis)


class MeetingSerializer(serializers.ModelSerializer):
    oversight_body_name = serializers.CharField(
        source="oversight_body.name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Meeting
        fields = [
            "id", "kind", "held_on", "subject_area", "oversight_body", "oversight_body_name", "state",
            "published_on", "attendees", "updated_at",
        ]  # fmt: skip


class ActionSerializer(serializers.ModelSerializer):
    meeting_held_on = serializers.DateField(source="meeting.held_on", read_only=True)
    meeting_subject_area = serializers.CharField(source="meeting.subject_area", read_only=True)
    owners = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = [
            "id", "meeting", "meeting_held_on", "meeting_subject_area", "text", "owners", "due_date", "status",
            "activity", "commitment", "kpi_ref", "progress", "last_update_on", "created_on", "overdue",
        ]  # fmt: skip

    def get_owners(self, obj: Action) -> list[str]:
        return [o.name for o in obj.owners.all()]

    def get_overdue(self, obj: Action) -> bool:
        return is_overdue(due=obj.due_date, status=obj.status, on=self.context["as_at"])
