"""Holding to account: meetings with the Chief Constable (their notes, agenda, key findings and
actions) and the virtual process of written requests answered in writing.

A meeting is a draft until approved; drafts (and everything in them: notes, findings, agenda and
actions) are seen only by editors and administrators, on every page, export, count and the overdue
review (see selectors.visible_meetings).

An action's status and due date are kept on the action for fast lists, and every change is also an
ActionUpdate: the append-only trail from which the action "as at" a past date is rebuilt, as an
activity's is from its progress updates.

KPIs: the kpis app is built alongside this one and meetings may not depend on it yet, so a link to a
KPI is its reference as text (`kpi_ref`, e.g. "KPI 7" or "999 calls answered in 10 seconds"); the KPI
page can find its meetings and actions by that reference. When the KPI model lands, a nullable
foreign key can be added next to it and filled from the text.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse

from core.status import Status as CoreStatus
from delivery.models import Activity, Commitment, OversightBody, Owner


class Meeting(models.Model):
    class Kind(models.TextChoices):
        FORMAL = "formal", "Formal"
        THEMATIC = "thematic", "Thematic"
        PUBLIC = "public", "Public"
        OTHER = "other", "Other forum"

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"

    kind = models.CharField("type", max_length=10, choices=Kind.choices, default=Kind.FORMAL, db_index=True)
    held_on = models.DateField("date", db_index=True)
    subject_area = models.CharField(
        max_length=300, help_text='E.g. "Connecting with Communities" or "Investigations and Outcome 16".'
    )
    oversight_body = models.ForeignKey(
        OversightBody, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    attendees = models.TextField(blank=True, help_text="One a line, or as written in the notes.")
    notes = models.TextField(blank=True, help_text="Rich text, sanitised (an allow-list of tags) when saved.")
    state = models.CharField("status", max_length=10, choices=State.choices, default=State.DRAFT, db_index=True)
    published_on = models.DateField("publication date", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on:%d %b %Y} {self.get_kind_display()}: {self.subject_area}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", kwargs={"pk": self.pk})

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT


class AgendaItem(models.Model):
    """An item on a meeting's agenda, linked where relevant to a commitment, an activity or a KPI."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveIntegerField(default=1)
    title = models.CharField(max_length=500)
    commitment = models.ForeignKey(
        Commitment, on_delete=models.SET_NULL, null=True, blank=True, related_name="agenda_items"
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.SET_NULL, null=True, blank=True, related_name="agenda_items"
    )
    kpi_ref = models.CharField("KPI", max_length=200, blank=True, help_text="The KPI's reference or name, if any.")

    class Meta:
        ordering = ["meeting", "position", "id"]

    def __str__(self) -> str:
        return self.title


class Finding(models.Model):
    """A key finding or outcome of a meeting, in order; some are marked for the panel report."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="findings")
    position = models.PositiveIntegerField(default=1)
    text = models.TextField()
    for_panel = models.BooleanField("for the panel report", default=False)

    class Meta:
        ordering = ["meeting", "position", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class Action(models.Model):
    """An action agreed at a meeting. Done is stored as core.status's "complete", so the one overdue
    rule (due before the day, status neither complete nor closed) applies unchanged."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = CoreStatus.COMPLETE.value, "Done"
        CLOSED = CoreStatus.CLOSED.value, "Closed"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField()
    owners = models.ManyToManyField(Owner, related_name="meeting_actions", blank=True)
    due_date = models.DateField(null=True, blank=True, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    activity = models.ForeignKey(
        Activity, on_delete=models.SET_NULL, null=True, blank=True, related_name="meeting_actions"
    )
    commitment = models.ForeignKey(
        Commitment, on_delete=models.SET_NULL, null=True, blank=True, related_name="meeting_actions"
    )
    kpi_ref = models.CharField("KPI", max_length=200, blank=True, help_text="The KPI's reference or name, if any.")
    progress = models.TextField("latest update", blank=True)
    last_update_on = models.DateField(null=True, blank=True)
    created_on = models.DateField(default=date.today)
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("meetings:action", kwargs={"pk": self.pk})

    @property
    def ref(self) -> str:
        return f"MA{self.pk}"


class ActionUpdate(models.Model):
    """One dated entry in an action's trail. Never edited or deleted: this is the history."""

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        UPDATE = "update", "Update"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField("date")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.UPDATE)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_name = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Action.Status.choices)
    due_date = models.DateField(null=True, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["action", "-on", "-id"]
        indexes = [models.Index(fields=["action", "on", "id"], name="action_update_on")]

    def __str__(self) -> str:
        return f"{self.on:%d %b %Y} {self.action.ref}"


class WrittenRequest(models.Model):
    """Virtual holding to account: the PCC raises a concern in writing, the Chief Constable answers in
    writing within a number of working days (England and Wales bank holidays excluded). Awaiting a
    response until answered; overdue once past the due date unanswered."""

    reference = models.CharField(max_length=40, blank=True, help_text='The office\'s own, e.g. "HTA-2025-07".')
    subject = models.CharField(max_length=300)
    subject_area = models.CharField(max_length=300, blank=True)
    question = models.TextField()
    sent_on = models.DateField("date sent", db_index=True)
    working_days = models.PositiveSmallIntegerField("working days to respond", default=20)
    response_due = models.DateField(db_index=True, editable=False)
    response_received_on = models.DateField("response received", null=True, blank=True)
    response = models.TextField("response", blank=True)
    follow_up = models.TextField("follow-up", blank=True)
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="written_requests",
        help_text="The meeting it followed from or was reported to, if any.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "-id"]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("meetings:request", kwargs={"pk": self.pk})

    @property
    def ref(self) -> str:
        return self.reference or f"WR{self.pk}"

    def state_on(self, day: date) -> str:
        """ "answered", "overdue" or "awaiting", as at `day`."""
        if self.response_received_on and self.response_received_on <= day:
            return "answered"
        return "overdue" if self.response_due < day else "awaiting"


REQUEST_STATES = {"awaiting": "Awaiting response", "overdue": "Overdue", "answered": "Answered"}
