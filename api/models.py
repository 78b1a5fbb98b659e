"""Per-user tokens for the read-only API (Power BI and similar tools).

The secret is shown once, when the token is made; only its SHA-256 is kept, with its first eight
characters (`prefix`) so that a person can tell their tokens apart. A token acts as its user: what the
user's role lets them read in the pages is what the token reads, and nothing more.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text='What it is for, e.g. "Power BI performance dashboard".')
    prefix = models.CharField(max_length=8, db_index=True, editable=False)
    secret_hash = models.CharField("SHA-256 of the secret", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    expires_on = models.DateField(null=True, blank=True, help_text="Blank: never expires.")
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_on is not None and self.expires_on < timezone.localdate()

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.is_expired
