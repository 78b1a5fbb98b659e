"""Admin for meetings, actions and written requests. Writes go through the services, so notes are
sanitised and response dates computed; an action's status and due date are read-only here (they
change only through its updates, which keep the trail)."""

from django.contrib import admin

from . import services
from .models import Action, ActionUpdate, AgendaItem, Finding, Meeting, WrittenRequest

MEETING_FIELDS = ("kind", "held_on", "subject_area", "oversight_body", "attendees", "notes")
REQUEST_FIELDS = ("reference", "subject", "subject_area", "question", "sent_on", "working_days", "meeting")


class FindingInline(admin.TabularInline):
    model = Finding
    extra = 0


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    raw_id_fields = ("commitment", "activity")


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("held_on", "kind", "subject_area", "oversight_body", "state", "published_on")
    list_filter = ("kind", "state", "oversight_body")
    search_fields = ("subject_area", "notes")
    date_hierarchy = "held_on"
    fields = (*MEETING_FIELDS, "state", "published_on")
    readonly_fields = ("state", "published_on")
    inlines = [FindingInline, AgendaItemInline]

    def save_model(self, request, obj, form, change):
        values = {f: getattr(obj, f) for f in MEETING_FIELDS}
        if change:
            services.meeting_update(by=request.user, meeting=obj, **values)
        else:
            created = services.meeting_create(by=request.user, **values)
            obj.pk = created.pk
            obj.__dict__.update({k: v for k, v in created.__dict__.items() if not k.startswith("_")})


class ActionUpdateInline(admin.TabularInline):
    model = ActionUpdate
    extra = 0
    can_delete = False
    readonly_fields = ("on", "kind", "author_name", "text", "status", "due_date", "changes", "recorded_at")
    exclude = ("author",)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ("id", "text", "meeting", "due_date", "status")
    list_filter = ("status", "meeting__kind")
    search_fields = ("text",)
    list_select_related = ("meeting",)
    raw_id_fields = ("activity", "commitment", "meeting")
    readonly_fields = ("meeting", "owners", "status", "due_date", "progress", "last_update_on", "created_on", "version")
    inlines = [ActionUpdateInline]

    def has_add_permission(self, request):
        return False  # actions are added on their meeting's page, with their first update


@admin.register(WrittenRequest)
class WrittenRequestAdmin(admin.ModelAdmin):
    list_display = ("ref", "subject", "sent_on", "response_due", "response_received_on")
    search_fields = ("subject", "question", "reference")
    date_hierarchy = "sent_on"
    fields = (*REQUEST_FIELDS, "response_due", "response_received_on", "response", "follow_up")
    readonly_fields = ("response_due",)

    def save_model(self, request, obj, form, change):
        values = {f: getattr(obj, f) for f in REQUEST_FIELDS}
        if change:
            services.request_update(by=request.user, request=obj, **values)
        else:
            created = services.request_create(by=request.user, **values)
            obj.pk = created.pk
            obj.response_due = created.response_due
        services.request_record_response(
            by=request.user,
            request=obj,
            received_on=form.cleaned_data.get("response_received_on"),
            response=form.cleaned_data.get("response") or "",
            follow_up=form.cleaned_data.get("follow_up") or "",
        )
