"""Core models shared by every app."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SentNotification(models.Model):
    """One email sent under an idempotency key: the same key is never sent twice (core.notify.send_once)."""

    key = models.CharField(max_length=255, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return self.key
