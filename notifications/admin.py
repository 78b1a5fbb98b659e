from django.contrib import admin

from .models import KpiActionChange, NotificationSettings


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(admin.ModelAdmin):
    list_display = ("user", "digest", "changes_seen_at")
    list_filter = ("digest",)
    search_fields = ("user__username", "user__email")
    readonly_fields = ("changes_from", "changes_seen_at")


@admin.register(KpiActionChange)
class KpiActionChangeAdmin(admin.ModelAdmin):
    """History: read-only."""

    list_display = ("action", "by", "at")
    readonly_fields = ("action", "by", "at", "changes")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
