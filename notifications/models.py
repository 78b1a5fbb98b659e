"""Each person's notification settings, and the changes to KPI actions (which keep no trail of their own)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class NotificationSettings(models.Model):
    """How often a person gets the digest, and when they last looked at "what changed"."""

    class Digest(models.TextChoices):
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"
        NONE = "none", "Never"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    digest = models.CharField("digest email", max_length=10, choices=Digest.choices, default=Digest.WEEKLY)
    # "What changed since you last looked": a look shows the changes in (changes_from, changes_seen_at].
    changes_from = models.DateTimeField(null=True, blank=True, editable=False)
    changes_seen_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "notification settings"
        verbose_name_plural = "notification settings"

    def __str__(self) -> str:
        return f"{self.user}: {self.get_digest_display()}"


class KpiActionChange(models.Model):
    """A change to a KPI action's text, owner, due date, forum or status: {field: [before, after]}.
    Recorded by a signal (notifications.signals) so kpis need not know about notifications."""

    action = models.ForeignKey("kpis.KpiAction", on_delete=models.CASCADE, related_name="changes")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"KPI action {self.action_id} changed at {self.at:%d %b %Y %H:%M}"
