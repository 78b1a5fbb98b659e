"""The audit trail in the admin: to read and search, never to add, change or delete (not even for
superusers: the permissions below are refused whoever asks)."""

from __future__ import annotations

from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_name", "action", "model_label", "object_id", "object_repr", "source", "ip")
    list_filter = ("action", "source", "model_label")
    search_fields = ("actor_name", "object_repr", "object_id")
    date_hierarchy = "at"
    actions = None

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_staff
