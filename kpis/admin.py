"""Admin for the KPI reference data. Measures (with their targets), areas (with their populations),
comparator values and KPI actions are saved through kpis.services, with the same checks and role rule
as everywhere else. Observations and their revisions are history (written by imports only), and
commentary and imports are written on the pages: all read-only here."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from . import services
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
from .periods import Period


class TargetInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        rows = [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        errors = services.target_errors([r for r in rows if r.get("value") is not None and r.get("starts_on")])
        if errors:
            raise ValidationError(errors)


class TargetInline(admin.TabularInline):
    model = Target
    formset = TargetInlineFormSet
    extra = 0


class MeasureAdminForm(forms.ModelForm):
    class Meta:
        model = Measure
        fields = (*services.MEASURE_FIELDS, "objectives", "commitments")

    def clean(self):
        data = super().clean()
        errors = services.measure_errors(
            name=data.get("name") or "",
            baseline_points=data.get("baseline_points"),
            measure=self.instance if self.instance.pk else None,
        )
        if errors:
            raise ValidationError(errors)
        return data


def _live_rows(formset) -> list[dict]:
    # The admin's change message reads these; the rows are written by the service, not the formset.
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    return [
        {k: v for k, v in f.cleaned_data.items() if k not in ("DELETE", "id", "measure", "area")}
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    form = MeasureAdminForm
    list_display = ("name", "unit", "polarity", "frequency", "period_basis", "source", "owner")
    list_filter = ("unit", "polarity", "frequency", "period_basis")
    search_fields = ("name", "description", "source")
    filter_horizontal = ("objectives", "commitments")
    autocomplete_fields = ("owner",)
    inlines = [TargetInline]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services.measure_save(
            by=request.user,
            measure=obj if change else None,
            objectives=list(data["objectives"]),
            commitments=list(data["commitments"]),
            **{k: data[k] for k in services.MEASURE_FIELDS},
        )
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        """Links were set by measure_save; the targets are replaced by measure_set_targets."""
        for formset in formsets:
            if formset.model is Target:
                services.measure_set_targets(by=request.user, measure=form.instance, targets=_live_rows(formset))


class PopulationInline(admin.TabularInline):
    model = AreaPopulation
    extra = 0


class AreaAdminForm(forms.ModelForm):
    class Meta:
        model = Area
        fields = ("name", "kind", "parent", "order")

    def clean(self):
        data = super().clean()
        error = services.area_parent_error(area=self.instance, parent=data.get("parent"))
        if error:
            raise ValidationError({"parent": error})
        return data


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    form = AreaAdminForm
    list_display = ("name", "kind", "parent", "order")
    list_filter = ("kind",)
    search_fields = ("name",)
    inlines = [PopulationInline]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services.area_save(
            by=request.user, area=obj if change else None, **{k: data[k] for k in ("name", "kind", "parent", "order")}
        )
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            if formset.model is AreaPopulation:
                rows = _live_rows(formset)
                services.area_save(
                    by=request.user, area=form.instance, populations={r["year"]: r["population"] for r in rows}
                )


class ComparatorValueForm(forms.ModelForm):
    class Meta:
        model = ComparatorValue
        fields = ("measure", "area", "period_kind", "period_start", *services.COMPARATOR_FIELDS)

    def clean(self):
        data = super().clean()
        rank, rank_of = data.get("rank"), data.get("rank_of")
        if rank is not None and (rank_of is None or rank > rank_of or rank < 1):
            raise ValidationError({"rank": "A rank is 1 to N, with N given (rank 3 of 8)."})
        return data


@admin.register(ComparatorValue)
class ComparatorValueAdmin(admin.ModelAdmin):
    form = ComparatorValueForm
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
    list_select_related = ("measure", "area")

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:  # the period or the measure may have been changed: the row keeps its identity
            ComparatorValue.objects.filter(pk=obj.pk).delete()
        saved = services.comparator_save(
            by=request.user,
            measure=data["measure"],
            area=data["area"],
            period=Period(data["period_start"], data["period_kind"]),
            **{k: data[k] for k in services.COMPARATOR_FIELDS},
        )
        obj.pk = saved.pk
        obj.refresh_from_db()


class ReadOnlyAdmin(admin.ModelAdmin):
    """History and page-written records: seen here, never added or changed by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class HistoryAdmin(ReadOnlyAdmin):
    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Observation)
class ObservationAdmin(HistoryAdmin):
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
class ObservationRevisionAdmin(HistoryAdmin):
    list_display = ("observation", "value", "recorded_on", "superseded_on")
    list_select_related = ("observation__measure", "observation__area")
    show_full_result_count = False


@admin.register(Commentary)
class CommentaryAdmin(HistoryAdmin):
    list_display = ("measure", "period_start", "period_kind", "author", "written_at")
    list_select_related = ("measure", "author")


class KpiActionAdminForm(forms.ModelForm):
    class Meta:
        model = KpiAction
        fields = ("text", "owner", "forum", "due_date", "status")


@admin.register(KpiAction)
class KpiActionAdmin(admin.ModelAdmin):
    """Actions are raised on a measure's page; here editors correct their details."""

    form = KpiActionAdminForm
    list_display = ("measure", "text", "owner", "due_date", "status", "forum")
    list_filter = ("status", "forum")
    search_fields = ("text", "measure__name", "owner__name")
    list_select_related = ("measure", "owner", "forum")
    autocomplete_fields = ("owner",)
    readonly_fields = ("measure", "area", "created_by", "created_on", "closed_on")

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            services.kpi_action_update(by=request.user, action=obj, **data)
        except ValidationError as e:
            self.message_user(request, " ".join(e.messages), level=messages.ERROR)
            return
        obj.refresh_from_db()


@admin.register(KpiImport)
class KpiImportAdmin(ReadOnlyAdmin):
    list_display = ("filename", "state", "created_by", "created_at")
    list_filter = ("state",)
    list_select_related = ("created_by",)
