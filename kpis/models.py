"""KPIs: measures, the force and its policing areas, observations (with their revisions), comparator
values, the performance summary's commentary, KPI actions and KPI imports.

A period is stored as its first day and its kind (month or quarter); see kpis/periods.py.
An observation holds the current value; each time an import changes it, the earlier value is kept
as an ObservationRevision, so that any page "as at" a past date shows what was known then.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from core.jobs import ImportJob
from core.status import Status
from delivery.models import Commitment, Objective, OversightBody, Owner

from . import calc
from .periods import KINDS, MONTH, Period


class Area(models.Model):
    """A force or a policing area. A force holds areas; two forces may sit side by side."""

    class Kind(models.TextChoices):
        FORCE = "force", "Force"
        AREA = "area", "Policing area"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.AREA)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="kpi_area_name_unique_any_case")]

    def __str__(self) -> str:
        return self.name


class AreaPopulation(models.Model):
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="populations")
    year = models.PositiveIntegerField()
    population = models.PositiveIntegerField()

    class Meta:
        ordering = ["area", "year"]
        constraints = [models.UniqueConstraint(fields=["area", "year"], name="kpi_population_one_per_year")]

    def __str__(self) -> str:
        return f"{self.area} {self.year}: {self.population:,}"


class Measure(models.Model):
    class Unit(models.TextChoices):
        COUNT = calc.COUNT, "Count"
        PERCENTAGE = calc.PERCENTAGE, "Percentage"
        RATE_1000 = calc.RATE_1000, "Rate per 1,000 population"
        RATE_100000 = calc.RATE_100000, "Rate per 100,000 population"
        DAYS = calc.DAYS, "Days"
        DURATION = calc.DURATION, "Duration (seconds)"
        MONEY = calc.MONEY, "Money (£)"

    class Polarity(models.TextChoices):
        HIGHER = calc.HIGHER, "Higher is better"
        LOWER = calc.LOWER, "Lower is better"
        INCREASE = calc.INCREASE, "An increase is wanted (under-reported)"
        NEUTRAL = calc.NEUTRAL, "Neutral"

    class Frequency(models.TextChoices):
        MONTH_AND_QUARTER = "month_quarter", "Month & quarter"
        QUARTER = "quarter", "Quarter report"
        QUARTER_UNLESS = "quarter_unless", "Quarter unless exceptional"
        ADDITIONAL = "additional", "Additional"

    class Basis(models.TextChoices):
        MONTH = "month", "Month"
        QUARTER = "quarter", "Calendar quarter"
        FINANCIAL = "financial", "Financial year (Q1 = April–June)"

    name = models.CharField(max_length=300, unique=True)
    description = models.TextField(blank=True)
    unit = models.CharField(max_length=12, choices=Unit.choices, default=Unit.COUNT)
    polarity = models.CharField(max_length=10, choices=Polarity.choices, default=Polarity.NEUTRAL)
    frequency = models.CharField(max_length=16, choices=Frequency.choices, default=Frequency.MONTH_AND_QUARTER)
    period_basis = models.CharField(max_length=10, choices=Basis.choices, default=Basis.FINANCIAL)
    source = models.CharField(max_length=200, blank=True, help_text="Force systems, CSEW, ONS, …")
    owner = models.ForeignKey(Owner, on_delete=models.SET_NULL, null=True, blank=True, related_name="measures")
    objectives = models.ManyToManyField(Objective, blank=True, related_name="measures")
    commitments = models.ManyToManyField(Commitment, blank=True, related_name="measures")
    baseline_points = models.PositiveSmallIntegerField(
        default=calc.DEFAULT_BASELINE, help_text="Points from the start of the series the mean and limits use."
    )
    comparable_band = models.FloatField(
        null=True, blank=True, help_text="A change smaller than this is 'comparable' (per cent, or points for %)."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="kpi_measure_name_unique_any_case")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("kpis:measure", kwargs={"pk": self.pk})

    @property
    def basis(self) -> str:
        return "calendar" if self.period_basis == self.Basis.QUARTER else "financial"


class Target(models.Model):
    """A target or aspiration ("90% of 999 calls answered within 10 seconds") from a date, with a tolerance
    band: a value that misses the target by no more than the tolerance is Amber."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="targets")
    value = models.FloatField()
    tolerance = models.FloatField(default=0)
    starts_on = models.DateField(default=date(2000, 1, 1))
    ends_on = models.DateField(null=True, blank=True)
    wording = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["measure", "starts_on"]

    def __str__(self) -> str:
        return f"{self.measure}: {self.value:g} from {self.starts_on:%d/%m/%Y}"

    def applies_to(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class Observation(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="observations")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="observations")
    period_kind = models.CharField(max_length=1, choices=KINDS, default=MONTH)
    period_start = models.DateField()
    value = models.FloatField()
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    recorded_on = models.DateField(help_text="Known from this date (the import's date).")
    kpi_import = models.ForeignKey("KpiImport", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["measure", "area", "period_kind", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "area", "period_kind", "period_start"], name="kpi_one_observation_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure} · {self.area} · {self.period.label()}: {self.value:g}"

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.period_kind)


class ObservationRevision(models.Model):
    """An earlier value of an observation, known from `recorded_on` until `superseded_on`."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="revisions")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="+")  # for one-query reads
    value = models.FloatField()
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    recorded_on = models.DateField()
    superseded_on = models.DateField()
    kpi_import = models.ForeignKey("KpiImport", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["observation", "recorded_on", "id"]
        indexes = [models.Index(fields=["measure", "superseded_on"], name="kpi_revision_measure_until")]

    def __str__(self) -> str:
        return f"{self.observation}: was {self.value:g} until {self.superseded_on:%d/%m/%Y}"


class ComparatorValue(models.Model):
    """The most similar group (MSG) average and the force's rank in it, and the national average, per period."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="comparators")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="comparators")
    period_kind = models.CharField(max_length=1, choices=KINDS, default=MONTH)
    period_start = models.DateField()
    msg_average = models.FloatField("most similar group average", null=True, blank=True)
    national_average = models.FloatField(null=True, blank=True)
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    rank_of = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["measure", "area", "period_kind", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "area", "period_kind", "period_start"], name="kpi_one_comparator_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure} · {self.area} · {self.period_start:%b %Y}"

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.period_kind)


class Commentary(models.Model):
    """The performance summary's Data and Commentary for a measure and period. Append-only: the latest
    entry is the current text; the earlier ones are the commentary history."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="commentaries")
    period_kind = models.CharField(max_length=1, choices=KINDS, default=MONTH)
    period_start = models.DateField()
    data_text = models.TextField("data", blank=True, help_text="Blank: the drafted sentence is used.")
    commentary = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["measure", "-period_start", "-written_at", "-id"]
        verbose_name_plural = "commentaries"
        indexes = [models.Index(fields=["period_kind", "period_start"], name="kpi_commentary_period")]

    def __str__(self) -> str:
        return f"{self.measure} · {self.period.label()}"

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.period_kind)


class KpiAction(models.Model):
    """An action raised on a special cause (or any concern about a measure): owner, due date, forum."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="actions")
    area = models.ForeignKey(Area, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    period_kind = models.CharField(max_length=1, choices=KINDS, default=MONTH)
    period_start = models.DateField(null=True, blank=True)
    text = models.TextField("action")
    owner = models.ForeignKey(Owner, on_delete=models.PROTECT, related_name="kpi_actions")
    forum = models.ForeignKey(OversightBody, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["status", "due_date"], name="kpi_action_open_due")]

    def __str__(self) -> str:
        return f"{self.measure}: {self.text[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("kpis:measure", kwargs={"pk": self.measure_id}) + f"#action-{self.pk}"


class KpiImport(ImportJob):
    """One uploaded KPI workbook: the kept file, the preview, and the outcome (as delivery's ImportRun)."""

    State = ImportJob.State
    TASKS = {
        State.VALIDATING: (State.QUEUED, "kpis.tasks.validate_kpi_import"),
        State.APPLYING: (State.APPLY_QUEUED, "kpis.tasks.apply_kpi_import"),
    }
    APPLY_TASK = "kpis.tasks.apply_kpi_import"
    kind = "kpi-import"

    as_at = models.DateField("as at", default=date.today, help_text="The date the values are recorded as known from.")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "KPI import"

    def get_absolute_url(self) -> str:
        return reverse("kpis:import", kwargs={"pk": self.pk})
