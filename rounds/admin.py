from django.contrib import admin

from .models import RoundItem, RoundRequest, UpdateRound


@admin.register(UpdateRound)
class UpdateRoundAdmin(admin.ModelAdmin):
    list_display = ("title", "plan", "deadline", "as_at", "state")
    list_filter = ("state", "plan")
    readonly_fields = ("opened_by", "opened_at", "closed_by", "closed_at")

    def has_add_permission(self, request):  # opened through the app, which sends the requests
        return False


@admin.register(RoundRequest)
class RoundRequestAdmin(admin.ModelAdmin):
    list_display = ("owner", "round", "user", "sent_at")
    list_select_related = ("owner", "round", "user")

    def has_add_permission(self, request):
        return False


@admin.register(RoundItem)
class RoundItemAdmin(admin.ModelAdmin):
    list_display = ("activity", "request", "state")
    list_filter = ("state",)
    list_select_related = ("activity__commitment", "request__owner", "request__round")
    readonly_fields = ("update",)

    def has_add_permission(self, request):
        return False
