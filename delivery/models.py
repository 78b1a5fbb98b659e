"""The delivery plan: plans, objectives, sections, commitments, supporting activities and their
append-only trail of progress updates.

An activity's RAG, status and dates are kept on the activity for fast lists, and every change to
them is also written as a ProgressUpdate. The updates are the history: anything shown "as at" a
past date is rebuilt from them (see selectors.activities_as_at).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.db import connections, models
from django.urls import reverse
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from core import rag as rag_scale
from core.freshness import DataVersion
from core.jobs import FileJob, ImportJob, job_file_path
from core.rag import Rag
from core.status import Status
from core.text import natural_key


class Plan(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = slugify(self.name)[:200] or "plan"
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("plan", kwargs={"slug": self.slug})


class Objective(models.Model):
    """A pillar of the plan, e.g. "Putting victims and survivors first"; ordered."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="objectives")
    order = models.PositiveIntegerField()
    title = models.CharField(max_length=500)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "order"], name="objective_order_unique_in_plan")]

    def __str__(self) -> str:
        return self.title


class Section(models.Model):
    """A strand inside an objective: "Policing element", "Police and Crime Commissioner's Commitments"."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField()
    title = models.CharField(max_length=500)
    history = HistoricalRecords()

    class Meta:
        ordering = ["objective", "order"]
        constraints = [models.UniqueConstraint(fields=["objective", "order"], name="section_order_unique_in_objective")]

    def __str__(self) -> str:
        return self.title


class Commitment(models.Model):
    """A plan commitment: a reference unique within the plan (`1.1`, `A.1`, `C2`, `17`) and its text."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="commitments")
    objective = models.ForeignKey(Objective, on_delete=models.RESTRICT, related_name="commitments")
    section = models.ForeignKey(Section, on_delete=models.RESTRICT, related_name="commitments", null=True, blank=True)
    ref = models.CharField("reference", max_length=40)
    ref_key = models.CharField(max_length=200, editable=False, db_index=True)
    text = models.TextField()
    publish = models.BooleanField(default=True, help_text="Shown in published extracts such as Appendix 1.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "ref_key"]
        constraints = [models.UniqueConstraint(fields=["plan", "ref"], name="commitment_ref_unique_in_plan")]

    def __str__(self) -> str:
        return f"{self.ref} {self.text[:80]}"

    def save(self, *args, **kwargs) -> None:
        self.ref_key = natural_key(self.ref)
        super().save(*args, **kwargs)


class Owner(models.Model):
    """A person or team that owns activities: "Supt Paley", "Digital Services". May be linked to a login."""

    name = models.CharField(max_length=200, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="owner_names"
    )
    is_team = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OversightBody(models.Model):
    """A forum that scrutinises activities: "Victims' Board", "Monthly Holding to Account"."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", "Weekly"
        MONTHLY = "monthly", "Monthly"
        BI_MONTHLY = "bi-monthly", "Every two months"
        QUARTERLY = "quarterly", "Quarterly"
        SIX_MONTHLY = "six-monthly", "Every six months"
        ANNUALLY = "annually", "Annually"
        AD_HOC = "ad-hoc", "As needed"

    name = models.CharField(max_length=200, unique=True)
    purpose = models.TextField(blank=True)
    frequency = models.CharField(max_length=20, choices=Frequency.choices, default=Frequency.QUARTERLY)
    notes_published = models.BooleanField(default=False)
    meets_in_public = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "oversight bodies"

    def __str__(self) -> str:
        return self.name


class Activity(models.Model):
    """A supporting activity of a commitment. Its RAG/status/dates are the latest update's."""

    # No index of its own: the (commitment, position) index serves every lookup by commitment.
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="activities", db_index=False)
    position = models.PositiveIntegerField(default=1, help_text="Order within the commitment.")
    sub_ref = models.CharField("sub-reference", max_length=40, blank=True)
    sub_ref_key = models.CharField(max_length=200, editable=False, blank=True)
    text = models.TextField()
    owners = models.ManyToManyField(Owner, related_name="activities", blank=True)
    owner_text = models.CharField(
        "owners as written",
        max_length=500,
        blank=True,
        help_text='The owner string as written, e.g. "Supt Paley / CI Preece".',
    )
    oversight_bodies = models.ManyToManyField(OversightBody, related_name="activities", blank=True)
    start_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True, db_index=True)
    date_text = models.CharField("date as written", max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED, db_index=True)
    rag = models.CharField("RAG", max_length=1, choices=Rag.choices, default=Rag.NOT_RATED, blank=True, db_index=True)
    progress = models.TextField("latest progress", blank=True)
    progress_on = models.DateField(null=True, blank=True)
    last_update_on = models.DateField(null=True, blank=True, db_index=True)
    publish = models.BooleanField(default=True, help_text="Shown in published extracts such as Appendix 1.")
    version = models.PositiveIntegerField(default=0, editable=False)
    created_on = models.DateField(default=date.today)

    class Meta:
        ordering = ["commitment__plan", "commitment__ref_key", "position", "sub_ref_key"]
        verbose_name_plural = "activities"
        indexes = [models.Index(fields=["commitment", "position"])]

    def __str__(self) -> str:
        return f"{self.full_ref} {self.text[:80]}"

    def save(self, *args, **kwargs) -> None:
        self.sub_ref_key = natural_key(self.sub_ref)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("activity", kwargs={"pk": self.pk})

    @property
    def full_ref(self) -> str:
        return self.sub_ref or self.commitment.ref

    @property
    def shown_rag(self) -> str:
        return rag_scale.shown(self.rag, complete=self.status == Status.COMPLETE)


# Each update's `next_on` is the date the activity's next update (in (on, id) order) superseded it,
# NULL for the latest; `next_text_on` likewise among the updates with progress text. The state "as
# at D" is then the one update with on <= D < next_on: a plain join, no per-activity subquery.
LINK_TRAILS_SQL = """
UPDATE delivery_progressupdate SET next_on = w.nx, next_text_on = w.nt
FROM (
    SELECT id,
        LEAD("on") OVER (PARTITION BY activity_id ORDER BY "on", id) AS nx,
        CASE WHEN text <> '' THEN LEAD("on") OVER (PARTITION BY activity_id, text <> '' ORDER BY "on", id) END AS nt
    FROM delivery_progressupdate {where}
) AS w
WHERE delivery_progressupdate.id = w.id
    AND (delivery_progressupdate.next_on IS DISTINCT FROM w.nx
         OR delivery_progressupdate.next_text_on IS DISTINCT FROM w.nt)
"""


def link_trails(activity_ids: Iterable[int] | None = None, *, using: str = "default", chunk: int = 900) -> None:
    """Recompute `next_on`/`next_text_on` over the trails of these activities (every trail if None).

    Whoever appends progress updates calls it, inside the same transaction, for the activities it
    touched: one UPDATE with window functions per chunk of activities, rewriting only rows that change.
    """
    PLAN_DATA.changed()
    with connections[using].cursor() as cursor:
        if activity_ids is None:
            cursor.execute(LINK_TRAILS_SQL.format(where=""))
            return
        ids = sorted(set(activity_ids))
        for start in range(0, len(ids), chunk):
            part = ids[start : start + chunk]
            where = "WHERE activity_id IN ({})".format(", ".join(["%s"] * len(part)))
            cursor.execute(LINK_TRAILS_SQL.format(where=where), part)


class ProgressUpdate(models.Model):
    """One dated entry in an activity's trail. Never edited or deleted: this is the history.

    Each update records the state it left the activity in (RAG, status, dates) and, in `changes`,
    what it changed from what: {"rag": ["G", "A"], "owners": [["CI Preece"], ["CI Preece", "OPU"]]}.
    """

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        UPDATE = "update", "Update"
        IMPORT = "import", "Import"

    # No index of its own: update_activity_on (activity, on, id) serves every lookup by activity.
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="updates", db_index=False)
    on = models.DateField("date")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.UPDATE)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="progress_updates"
    )
    author_name = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)
    rag = models.CharField("RAG", max_length=1, choices=Rag.choices, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices)
    start_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    source = models.CharField(
        max_length=300, blank=True, help_text="Where the update came from, e.g. an imported file."
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    for_panel = models.BooleanField(
        "for the panel",
        default=False,
        db_default=False,
        help_text="An example of activity for the Police and Crime Panel's report.",
    )
    undated = models.BooleanField(
        default=False,
        db_default=False,
        help_text="Imported with no date of its own: `on` is the import's update date, not the update's.",
    )
    # Maintained by link_trails(); see there.
    next_on = models.DateField(null=True, blank=True, editable=False)
    next_text_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["activity", "-on", "-id"]
        indexes = [
            models.Index(fields=["activity", "on", "id"], name="update_activity_on"),
            models.Index(fields=["on", "id"], name="update_on"),  # the home page's latest updates
        ]

    def __str__(self) -> str:
        return f"{self.on:%d %b %Y} {self.activity.full_ref}"

    @property
    def shown_rag(self) -> str:
        return rag_scale.shown(self.rag, complete=self.status == Status.COMPLETE)


class Extract(FileJob):
    """A generated delivery-plan extract (Appendix 1): its definition, who made it, and the file.

    The same definition gives the same content: `content_hash` is computed from the rows, and the
    document renderers write no clock time into the files.
    """

    class Format(models.TextChoices):
        DOCX = "docx", "Word (.docx)"
        XLSX = "xlsx", "Excel (.xlsx)"
        PDF = "pdf", "PDF (.pdf)"
        CSV = "csv", "CSV (.csv)"

    State = FileJob.State
    TASKS = {State.RUNNING: (State.PENDING, "delivery.tasks.generate_extract")}
    kind = "extract"

    COLUMNS = {
        "ref": "Ref",
        "commitment": "Plan commitment",
        "activity": "Supporting activity",
        "progress": "Progress update",
        "oversight": "Oversight mechanism(s)",
        "owners": "Owner/s",
        "date": "Date",
        "rag": "RAG",
    }

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="extracts")
    as_at = models.DateField("as at")
    objectives = models.ManyToManyField(Objective, blank=True, help_text="None chosen means every objective.")
    columns = models.JSONField(default=list)
    include_complete = models.BooleanField(default=False)
    changed_since = models.DateField(null=True, blank=True)
    title = models.CharField(max_length=300, default="Appendix 1 – Delivery Plan Extract")
    subtitle = models.CharField(max_length=300, blank=True)
    format = models.CharField(max_length=4, choices=Format.choices)
    file = models.FileField(upload_to=job_file_path, blank=True)
    checksum = models.CharField("SHA-256 of the file", max_length=64, blank=True)
    content_hash = models.CharField("SHA-256 of the rows", max_length=64, blank=True)
    row_count = models.PositiveIntegerField(default=0)
    withheld = models.PositiveIntegerField(default=0, help_text="Activities not for publication, left out.")
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.title} – {self.plan} as at {self.as_at:%d %b %Y} ({self.format})"

    def get_absolute_url(self) -> str:
        return reverse("extract", kwargs={"pk": self.pk})

    def failure_message(self, exc: BaseException) -> str:
        return f"The extract could not be generated ({exc.__class__.__name__})."

    @property
    def column_labels(self) -> list[str]:
        return [self.COLUMNS[c] for c in self.columns]

    @property
    def filename(self) -> str:
        return f"appendix-1-{self.plan.slug}-as-at-{self.as_at.isoformat()}.{self.format}"


class ImportProfile(models.Model):
    """How a plan's workbooks are read, as the person importing answered once: which column holds which
    field (by header text), which row is the header, and what unknown RAG and status values mean. Used
    again for workbooks with the same headers; shown in the preview and changeable."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, null=True, blank=True, related_name="import_profiles")
    name = models.CharField(max_length=100)
    signature = models.CharField(
        max_length=2000, blank=True, help_text="The header texts it was made for, to recognise the same workbook."
    )
    columns = models.JSONField(default=dict, blank=True, help_text='{sheet or "*": {header text: field}}')
    header_rows = models.JSONField(default=dict, blank=True, help_text="{sheet: Excel row number of its header}")
    values = models.JSONField(default=dict, blank=True, help_text='{"rag": {value: R/A/G/B}, "status": {...}}')
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan", "name"]
        constraints = [models.UniqueConstraint(fields=["plan", "name"], name="import_profile_name_unique_in_plan")]

    def __str__(self) -> str:
        return f"{self.name} ({self.plan or 'no plan yet'})"

    def as_mapping(self) -> dict:
        return {"columns": self.columns, "header_rows": self.header_rows, "values": self.values}


class ImportRun(ImportJob):
    """One uploaded delivery-plan workbook: its file (kept), the preview of its changes, and the outcome."""

    State = ImportJob.State
    TASKS = {
        State.VALIDATING: (State.QUEUED, "delivery.tasks.validate_import"),
        State.APPLYING: (State.APPLY_QUEUED, "delivery.tasks.apply_import"),
    }
    APPLY_TASK = "delivery.tasks.apply_import"
    kind = "import"

    import_kind = models.CharField(
        "kind", max_length=30, default="plan", help_text="Which importer reads the file (the registry's key)."
    )
    plan_name = models.CharField(max_length=200, blank=True, help_text="Blank: taken from the workbook's title.")
    sheet = models.CharField(max_length=100, blank=True)
    plan = models.ForeignKey(Plan, on_delete=models.SET_NULL, null=True, blank=True, related_name="imports")
    as_at = models.DateField(
        "update date", default=date.today, help_text="The date given to updates without a date of their own."
    )
    as_at_reason = models.CharField(
        max_length=300, blank=True, help_text="Where a suggested update date came from; blank when it was given."
    )
    suggest_as_at = models.BooleanField(
        default=False, help_text="No update date was given: suggest one from the workbook when it is read."
    )
    profile = models.ForeignKey(ImportProfile, on_delete=models.SET_NULL, null=True, blank=True, related_name="imports")
    mapping = models.JSONField(
        default=dict, blank=True, help_text="The column and value mapping this import is read with."
    )
    confirm_other_plan = models.BooleanField(
        default=False, help_text="The plan's own workbook is imported into another plan, as confirmed."
    )
    scope = models.JSONField(
        default=dict,
        blank=True,
        help_text='A scoped import ({"kind": ..., ...}): only what the registered scope allows may change '
        "(delivery.import_scopes).",
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def get_absolute_url(self) -> str:
        return reverse("import", kwargs={"pk": self.pk})


# What the plans' figures are worked out from: a save or delete of any of these, or a bulk write that
# calls PLAN_DATA.changed() (an import's apply, link_trails), gives the aggregates kept in the cache
# (selectors.home_summary, the overdue review's counts) a new key.
PLAN_DATA = DataVersion(
    "delivery",
    models=(
        Plan, Objective, Section, Commitment, Activity, ProgressUpdate, Owner, OversightBody, Activity.owners.through,
    ),
)  # fmt: skip
