"""Core's tables: the audit trail (core/audit.py; entries are written, never changed or deleted) and the
notifications sent, each under an idempotency key (core/notify.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditQuerySet(models.QuerySet):
    """Reads and inserts only: a bulk update or delete of the log is refused as well."""

    def update(self, **kwargs):
        raise PermissionError("Audit entries cannot be changed.")

    def delete(self):
        raise PermissionError("Audit entries cannot be deleted.")

    update.queryset_only = True
    delete.queryset_only = True


class AuditEntry(models.Model):
    """Who did what to which object, when, and each field's value before and after.

    `actor` is a plain reference with no database constraint and `actor_name` keeps the name as it was,
    so deleting a user neither rewrites nor removes their entries. Rows are append-only: the model
    refuses to save an existing row or to delete, the admin is read-only, and on PostgreSQL a trigger
    refuses UPDATE and DELETE of the table (migration 0002_audit_entry).
    """

    class Action(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Changed"
        DELETE = "delete", "Deleted"
        IMPORT = "import", "Imported a file"
        EXTRACT = "extract", "Produced an extract"
        LOGIN = "login", "Signed in"
        LOGOUT = "logout", "Signed out"
        LOGIN_FAILED = "login_failed", "Failed sign-in"

    class Source(models.TextChoices):
        WEB = "web", "Web page"
        COMMAND = "command", "Command line"
        JOB = "job", "Background job"
        SYSTEM = "system", "System"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # audit_actor_at (actor, at) serves lookups by actor
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField("who", max_length=200, blank=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    model_label = models.CharField("what", max_length=100, blank=True, help_text='e.g. "delivery.activity".')
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField("object", max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True, help_text="{field: [before, after]}")
    detail = models.JSONField(default=dict, blank=True, help_text="For imports, extracts and sign-ins: file, counts.")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.SYSTEM)
    request_id = models.CharField(max_length=36, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "audit entry"
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["model_label", "object_id", "at"], name="audit_object_at"),
            models.Index(fields=["actor", "at"], name="audit_actor_at"),
            models.Index(fields=["action", "at"], name="audit_action_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d %b %Y %H:%M} {self.actor_name or 'system'} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            raise PermissionError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit entries cannot be deleted.")


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
