from django.contrib import admin

from .models import NotificationSettings


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(admin.ModelAdmin):
    list_display = ("user", "digest", "changes_seen_at")
    list_filter = ("digest",)
    search_fields = ("user__username", "user__email")
    readonly_fields = ("changes_from", "changes_seen_at")
