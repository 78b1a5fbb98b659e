"""Core's one table: the notifications already sent, each under an idempotency key (core.notify)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SentNotification(models.Model):
    """An email sent (or being sent) under `key`. The row is claimed before sending, so a key is sent
    at most once however many times beat fires or a worker retries."""

    key = models.CharField(max_length=200, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications_sent")
    subject = models.CharField(max_length=300)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.key} to {self.user}"
