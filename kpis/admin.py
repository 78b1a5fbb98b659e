"""Admin for the KPI reference data: measures (with targets), areas (with populations), comparator values.
Observations come from imports and are read-only here; actions and commentary are written on the pages."""

from django.contrib import admin

from .models import (
    Area,
    AreaPopulation,
    Commentary,
    ComparatorValue,
    KpiAction,
    KpiImport,
    Measure,
    Observation,
    ObservationRevision,
    Target,
)


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ("name", "unit", "polarity", "frequency", "period_basis", "source", "owner")
    list_filter = ("unit", "polarity", "frequency", "period_basis")
    search_fields = ("name", "description", "source")
    filter_horizontal = ("objectives", "commitments")
    autocomplete_fields = ("owner",)
    inlines = [TargetInline]


class PopulationInline(admin.TabularInline):
    model = AreaPopulation
    extra = 0


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent", "order")
    list_filter = ("kind",)
    search_fields = ("name",)
    inlines = [PopulationInline]


@admin.register(ComparatorValue)
class ComparatorValueAdmin(admin.ModelAdmin):
    list_display = (
        "measure",
        "area",
        "period_start",
        "period_kind",
        "msg_average",
        "national_average",
        "rank",
        "rank_of",
    )
    list_filter = ("period_kind", "area")
    search_fields = ("measure__name",)
    autocomplete_fields = ("measure",)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Observation)
class ObservationAdmin(ReadOnlyAdmin):
    list_display = (
        "measure",
        "area",
        "period_start",
        "period_kind",
        "value",
        "numerator",
        "denominator",
        "recorded_on",
    )
    list_filter = ("period_kind", "area")
    search_fields = ("measure__name",)
    list_select_related = ("measure", "area")
    show_full_result_count = False


@admin.register(ObservationRevision)
class ObservationRevisionAdmin(ReadOnlyAdmin):
    list_display = ("observation", "value", "recorded_on", "superseded_on")
    list_select_related = ("observation__measure", "observation__area")
    show_full_result_count = False


@admin.register(Commentary)
class CommentaryAdmin(ReadOnlyAdmin):
    list_display = ("measure", "period_start", "period_kind", "author", "written_at")
    list_select_related = ("measure", "author")


@admin.register(KpiAction)
class KpiActionAdmin(admin.ModelAdmin):
    list_display = ("measure", "text", "owner", "due_date", "status", "forum")
    list_filter = ("status", "forum")
    search_fields = ("text", "measure__name", "owner__name")
    list_select_related = ("measure", "owner", "forum")
    autocomplete_fields = ("measure", "owner")


@admin.register(KpiImport)
class KpiImportAdmin(ReadOnlyAdmin):
    list_display = ("filename", "state", "created_by", "created_at")
    list_filter = ("state",)
