"""Admin for the reference data. Commitments and activities are saved through the services, so the
admin cannot skip the update trail, the version check or the section/objective rule. Activity state
(RAG, status, dates, owners) is read-only here: it changes only through progress updates."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from simple_history.admin import SimpleHistoryAdmin

from core.changes import describe as describe_changes

from . import services
from .models import Activity, Commitment, Objective, OversightBody, Owner, Plan, ProgressUpdate, Section


def _changes_html(changes):
    """A progress update's changes as people read them ("RAG: Green → Amber"), one per line."""
    lines = describe_changes(changes).splitlines()
    return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines)) if lines else "—"


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


class CommitmentAdminForm(forms.ModelForm):
    class Meta:
        model = Commitment
        fields = ("objective", "section", "ref", "text", "publish")

    def clean(self):
        data = super().clean()
        if data.get("objective") is not None:
            errors = services.commitment_errors(
                objective=data["objective"],
                ref=data.get("ref") or "",
                text=data.get("text") or "",
                section=data.get("section"),
                commitment=self.instance if self.instance.pk else None,
            )
            if errors:
                raise ValidationError(errors)
        return data


@admin.register(Commitment)
class CommitmentAdmin(SimpleHistoryAdmin):
    form = CommitmentAdminForm
    list_display = ("ref", "text", "plan", "objective", "section", "publish")
    list_filter = ("plan", "publish")
    search_fields = ("ref", "text")
    list_select_related = ("plan", "objective", "section")
    autocomplete_fields = ("objective", "section")

    def save_model(self, request, obj, form, change):
        fields = {k: form.cleaned_data[k] for k in ("objective", "section", "ref", "text", "publish")}
        if change:
            saved = services.commitment_update(by=request.user, commitment=obj, **fields)
        else:
            saved = services.commitment_create(by=request.user, **fields)
        obj.pk = saved.pk
        obj.refresh_from_db()


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
    fields = ("on", "kind", "author_name", "rag", "status", "text", "changes_made")
    readonly_fields = fields
    ordering = ("-on", "-id")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="Changes")
    def changes_made(self, obj):
        return _changes_html(obj.changes)


class ActivityAdminForm(forms.ModelForm):
    seen_version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Activity
        fields = ("sub_ref", "text", "publish", "oversight_bodies")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seen_version"].initial = self.instance.version

    def clean_seen_version(self):
        seen = self.cleaned_data["seen_version"]
        if self.instance.pk and seen != self.instance.version:
            raise ValidationError(
                "Someone else updated this activity while you were editing; nothing was saved. Reload to see it."
            )
        return seen


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    form = ActivityAdminForm
    list_display = ("__str__", "commitment", "rag", "status", "due_date", "last_update_on")
    list_filter = ("commitment__plan", "rag", "status")
    search_fields = ("text", "sub_ref", "commitment__ref", "owner_text")
    list_select_related = ("commitment",)
    autocomplete_fields = ("oversight_bodies",)
    fields = ("commitment", "sub_ref", "text", "publish", "oversight_bodies", "seen_version", "owner_text")
    readonly_fields = (
        "commitment",
        "owner_text",
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

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            saved = services.activity_edit_details(
                by=request.user,
                activity=obj,
                seen_version=data["seen_version"],
                text=data["text"],
                sub_ref=data["sub_ref"],
                publish=data["publish"],
                oversight_bodies=list(data["oversight_bodies"]),
            )
        except services.StaleEdit:
            self.message_user(
                request,
                "Someone else updated this activity while you were editing; nothing was saved. Check their update.",
                level="ERROR",
            )
            return
        obj.refresh_from_db()
        obj.version = saved.version

    def save_related(self, request, form, formsets, change):
        """Oversight bodies were set by the service (not by the form's save_m2m); the trail inline is
        read-only, so saving its formset writes nothing."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    """Read-only: the trail is append-only."""

    list_display = ("on", "activity", "kind", "author_name", "rag", "status", "changes_made")
    exclude = ("changes",)
    readonly_fields = ("changes_made",)
    list_filter = ("kind", "rag", "status")
    search_fields = ("text", "author_name")
    list_select_related = ("activity__commitment",)
    date_hierarchy = "on"

    def has_add_permission(self, request):
        return False

    @admin.display(description="Changes")
    def changes_made(self, obj):
        return _changes_html(obj.changes)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
