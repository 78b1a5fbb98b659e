"""Admin for the reference data. Activity state (RAG, status, dates) is read-only here: it changes
only through progress updates, so that the history stays complete."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Activity, Commitment, Objective, OversightBody, Owner, Plan, ProgressUpdate, Section


class ObjectiveInline(admin.TabularInline):
    model = Objective
    extra = 0


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ("name", "slug", "created_at")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = [ObjectiveInline]


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0


@admin.register(Objective)
class ObjectiveAdmin(SimpleHistoryAdmin):
    list_display = ("title", "plan", "order")
    list_filter = ("plan",)
    search_fields = ("title",)
    inlines = [SectionInline]


@admin.register(Section)
class SectionAdmin(SimpleHistoryAdmin):
    list_display = ("title", "objective", "order")
    list_filter = ("objective__plan",)
    list_select_related = ("objective",)
    search_fields = ("title", "objective__title")


@admin.register(Commitment)
class CommitmentAdmin(SimpleHistoryAdmin):
    list_display = ("ref", "text", "plan", "objective", "section", "publish")
    list_filter = ("plan", "publish")
    search_fields = ("ref", "text")
    list_select_related = ("plan", "objective", "section")
    autocomplete_fields = ("objective", "section")


@admin.register(Owner)
class OwnerAdmin(SimpleHistoryAdmin):
    list_display = ("name", "user", "is_team")
    list_filter = ("is_team",)
    search_fields = ("name", "user__username")
    autocomplete_fields = ("user",)
    list_select_related = ("user",)


@admin.register(OversightBody)
class OversightBodyAdmin(SimpleHistoryAdmin):
    list_display = ("name", "frequency", "notes_published", "meets_in_public")
    list_filter = ("frequency", "notes_published", "meets_in_public")
    search_fields = ("name", "purpose")


class ProgressUpdateInline(admin.TabularInline):
    model = ProgressUpdate
    extra = 0
    can_delete = False
    fields = ("on", "kind", "author_name", "rag", "status", "text", "changes")
    readonly_fields = fields
    ordering = ("-on", "-id")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("__str__", "commitment", "rag", "status", "due_date", "last_update_on")
    list_filter = ("commitment__plan", "rag", "status")
    search_fields = ("text", "sub_ref", "commitment__ref", "owner_text")
    list_select_related = ("commitment",)
    autocomplete_fields = ("owners", "oversight_bodies")
    readonly_fields = (
        "rag",
        "status",
        "start_date",
        "due_date",
        "date_text",
        "progress",
        "progress_on",
        "last_update_on",
        "version",
        "created_on",
    )
    inlines = [ProgressUpdateInline]

    def has_add_permission(self, request):
        return False


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    """Read-only: the trail is append-only."""

    list_display = ("on", "activity", "kind", "author_name", "rag", "status")
    list_filter = ("kind", "rag", "status")
    search_fields = ("text", "author_name")
    list_select_related = ("activity__commitment",)
    date_hierarchy = "on"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
