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
