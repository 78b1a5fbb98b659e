"""The Police and Crime Panel's "activity and performance monitoring report": a covering report for a
plan and a reporting period, its sections drafted from the data and edited by staff, approved once,
and the agenda packs generated from it (the covering report and its appendices, with checksums)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from core.jobs import FileJob
from delivery.models import Plan


class PanelReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="panel_reports")
    period_from = models.DateField("period from", help_text="The date of the last report to the panel.")
    as_at = models.DateField("as at", help_text="The position is reported as at this date.")
    meeting_on = models.DateField("panel meeting date")
    meeting_title = models.CharField("panel meeting", max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    appendix_columns = models.JSONField(
        default=list, blank=True, help_text="Appendix 1's columns; by default those the plan holds data for."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_pack = models.ForeignKey(
        "PanelPack",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The pack frozen on approval: its files are the ones sent to the panel.",
    )

    class Meta:
        ordering = ["-as_at", "-id"]

    def __str__(self) -> str:
        return f"{self.meeting_title} ({self.plan}, as at {self.as_at:%d %b %Y})"

    def get_absolute_url(self) -> str:
        return reverse("panel:report", kwargs={"pk": self.pk})

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class PanelSection(models.Model):
    """One section of the covering report: the text drafted from the data, the text as edited, and
    what it was drafted from (a list of plain lines)."""

    class Key(models.TextChoices):
        RECOMMENDATION = "recommendation", "Recommendation"
        BACKGROUND = "background", "Background"
        DELIVERY = "delivery", "Delivery plan and assurance"
        EXAMPLES = "examples", "Examples of activity"
        HOLDING = "holding", "Holding to account"
        PERFORMANCE = "performance", "Performance"

    report = models.ForeignKey(PanelReport, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(max_length=20, choices=Key.choices)
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    drafted = models.TextField(blank=True)
    text = models.TextField(blank=True)
    sources = models.JSONField(default=list, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["report", "order"]
        constraints = [models.UniqueConstraint(fields=["report", "key"], name="panel_section_once_per_report")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_edited(self) -> bool:
        return self.text != self.drafted


class PanelPack(FileJob):
    """One generation of the agenda pack: its files (name, label, storage path, SHA-256, size) kept in
    the pack library. A pack generated from an approved report, or frozen on approval, never changes."""

    State = FileJob.State
    TASKS = {State.RUNNING: (State.PENDING, "panel.tasks.generate_pack")}
    kind = "panel pack"

    report = models.ForeignKey(PanelReport, on_delete=models.CASCADE, related_name="packs")
    files = models.JSONField(default=list, blank=True)
    frozen = models.BooleanField(default=False)
    snapshot = models.JSONField(default=dict, blank=True, help_text="The report as generated: dates and section texts.")
    changes = models.JSONField(
        default=list, blank=True, help_text="What changed since the last approved pack, in plain lines."
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Pack {self.pk} for {self.report}"

    def get_absolute_url(self) -> str:
        return reverse("panel:pack", kwargs={"pk": self.pk})

    def failure_message(self, exc: BaseException) -> str:
        return f"The pack could not be generated ({exc.__class__.__name__})."

    def file(self, name: str) -> dict | None:
        return next((f for f in self.files if f["name"] == name), None)
