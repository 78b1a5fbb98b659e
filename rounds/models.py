"""Update rounds: an editor asks every owner with activities in scope for an update by a deadline, as at
a date; each owner's request lists their activities (round items), each reviewed and approved."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from delivery.models import Activity, Commitment, Objective, Owner, Plan, ProgressUpdate


class UpdateRound(models.Model):
    class State(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="update_rounds")
    title = models.CharField(max_length=200)
    objectives = models.ManyToManyField(
        Objective, blank=True, help_text="None chosen (and no commitments): the whole plan."
    )
    commitments = models.ManyToManyField(Commitment, blank=True)
    deadline = models.DateField()
    as_at = models.DateField("as at", help_text="The date the round's updates report; the next Appendix 1's default.")
    message = models.TextField(blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN, db_index=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    close_note = models.TextField(blank=True, help_text="Why it was closed with updates still unreviewed.")

    class Meta:
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.plan})"

    def get_absolute_url(self) -> str:
        return reverse("rounds:round", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class RoundRequest(models.Model):
    """One owner's part of a round: their activities, sent to the owner's login (if any)."""

    round = models.ForeignKey(UpdateRound, on_delete=models.CASCADE, related_name="requests")
    owner = models.ForeignKey(Owner, on_delete=models.PROTECT, related_name="round_requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="round_requests"
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "owner__name"]
        constraints = [models.UniqueConstraint(fields=["round", "owner"], name="round_request_one_per_owner")]

    def __str__(self) -> str:
        return f"{self.owner} – {self.round}"

    def get_absolute_url(self) -> str:
        return reverse("rounds:request", kwargs={"pk": self.pk})


class RoundItem(models.Model):
    """One activity in a round, under each of its owners' requests (an activity with two owners is in
    both requests; an update by either submits both)."""

    class State(models.TextChoices):
        AWAITING = "awaiting", "Awaiting update"
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned"
        APPROVED = "approved", "Approved"

    request = models.ForeignKey(RoundRequest, on_delete=models.CASCADE, related_name="items")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="round_items")
    update = models.ForeignKey(ProgressUpdate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.AWAITING, db_index=True)
    comment = models.TextField(blank=True, help_text="Why the update was returned.")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["request", "activity"]
        constraints = [models.UniqueConstraint(fields=["request", "activity"], name="round_item_once_per_request")]

    def __str__(self) -> str:
        return f"{self.activity.full_ref} – {self.get_state_display()}"

    @property
    def updated(self) -> bool:
        return self.state != self.State.AWAITING
