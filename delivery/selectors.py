"""Every read a page, command or extract needs, shaped for its caller with a fixed number of queries.

Anything "as at" a date goes through `activities_as_at`, which annotates each activity with the
state its progress updates give on that date (`at_rag`, `at_status`, `at_due`, ...). For today the
annotations are simply the activity's own fields, which services keep equal to its latest update.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.cache import cache
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from core import rag as rag_scale
from core.dates import is_past, today
from core.status import Status, open_q, overdue_q

from .models import PLAN_DATA, Activity, Commitment, Objective, Plan, ProgressUpdate, Section

SUMMARY_CACHE_SECONDS = 600

# Appendix 1 / plan-workbook order: objective, section, commitment ref (natural), position, sub-ref.
PLAN_ORDER = (
    "commitment__objective__order",
    "commitment__section__order",
    "commitment__ref_key",
    "position",
    "sub_ref_key",
    "pk",
)


def activities_as_at(
    *, as_at: date | None = None, with_progress: bool = True, progress_per_row: bool = False
) -> QuerySet[Activity]:
    """Activities that existed on `as_at`, annotated with their state on that date.

    With no date (or today or later) the state is the current one. For a past date it is rebuilt
    from the latest progress update dated on or before it; activities created after it are left out.
    `with_progress=False` leaves out the progress text and its date (and, for a past date, the second
    join over the updates that finds them): for counts, which never read them.
    `progress_per_row=True` finds a past date's progress text by a subquery per row instead of that
    join: for a paged list, where PostgreSQL runs it only for the rows shown (after the sort and
    LIMIT) and the paginator's COUNT leaves it out; a whole-table read is quicker with the join.
    """
    if not is_past(as_at):
        qs = Activity.objects.annotate(
            at_rag=F("rag"),
            at_status=F("status"),
            at_start=F("start_date"),
            at_due=F("due_date"),
            at_last_update_on=F("last_update_on"),
        )
        if with_progress:
            qs = qs.annotate(at_progress=F("progress"), at_progress_on=F("progress_on"))
    else:
        # The update in force on `as_at` is the one with on <= as_at < next_on (next_on NULL for the
        # latest), and likewise for the latest progress text: two joins over (activity, on, id).
        def in_force(next_field: str, **extra) -> FilteredRelation:
            return FilteredRelation(
                "updates",
                condition=Q(updates__on__lte=as_at, **extra)
                & (Q(**{f"updates__{next_field}__isnull": True}) | Q(**{f"updates__{next_field}__gt": as_at})),
            )

        qs = (
            Activity.objects.annotate(at_update=in_force("next_on"))
            .filter(at_update__id__isnull=False)
            .annotate(
                at_rag=F("at_update__rag"),
                at_status=F("at_update__status"),
                at_start=F("at_update__start_date"),
                at_due=F("at_update__due_date"),
                at_last_update_on=F("at_update__on"),
            )
        )
        if with_progress and progress_per_row:
            # Ordered by its own columns: the model's ordering starts with "activity", which would join
            # the activity, its commitment and its plan again in every row's subquery.
            text_in_force = ProgressUpdate.objects.filter(
                Q(activity=OuterRef("pk"), on__lte=as_at, text__gt="")
                & (Q(next_text_on__isnull=True) | Q(next_text_on__gt=as_at))
            ).order_by("-on", "-id")
            qs = qs.annotate(
                at_progress=Coalesce(Subquery(text_in_force.values("text")[:1]), Value(""), output_field=TextField()),
                # An undated imported entry has no date of its own to show (its `on` is the import's).
                at_progress_on=Subquery(text_in_force.filter(undated=False).values("on")[:1], output_field=DateField()),
            )
        elif with_progress:
            qs = qs.annotate(at_text=in_force("next_text_on", updates__text__gt="")).annotate(
                at_progress=Coalesce(F("at_text__text"), Value(""), output_field=TextField()),
                # An undated imported entry has no date of its own to show (its `on` is the import's).
                at_progress_on=Case(
                    When(at_text__undated=True, then=Value(None)), default=F("at_text__on"), output_field=DateField()
                ),
            )
    return qs.annotate(
        at_shown_rag=Case(
            When(at_status=Status.COMPLETE, then=Value("B")), default=F("at_rag"), output_field=CharField()
        )
    )


AT_FIELDS = {"due": "at_due", "status": "at_status"}  # the as-at annotations that "overdue" reads


def activity_rows(*, as_at: date | None = None, plan: Plan | None = None, paged: bool = False) -> QuerySet[Activity]:
    """Activities as at a date with everything a list row shows, in plan order. `paged`: for a list
    shown a page at a time (see `progress_per_row`)."""
    qs = (
        activities_as_at(as_at=as_at, progress_per_row=paged)
        .select_related("commitment__plan", "commitment__objective", "commitment__section")
        .prefetch_related(Prefetch("owners"))
        .order_by("commitment__plan__name", "commitment__ref_key", "position", "sub_ref_key", "pk")
    )
    return qs.filter(commitment__plan=plan) if plan else qs


def plan_workbook_rows(
    *, plan: Plan, as_at: date | None = None, activity_ids: Iterable[int] | None = None
) -> QuerySet[Activity]:
    """Every activity of the plan (or just these) as at a date, in plan order, for the plan's own workbook."""
    qs = activities_as_at(as_at=as_at)
    if activity_ids is not None:
        qs = qs.filter(pk__in=list(activity_ids))
    return (
        qs.filter(commitment__plan=plan)
        .select_related("commitment__objective", "commitment__section")
        .prefetch_related("oversight_bodies")
        .order_by(*PLAN_ORDER)
    )


def plan_data_version() -> str:
    """The plans' data fingerprint (PLAN_DATA, one query): what is kept in the cache from them is kept under it."""
    return PLAN_DATA.fingerprint()


def activity_count(rows: QuerySet[Activity], *, data_version: str | None = None) -> int:
    """How many activities a list's (filtered) query finds, as its paginator counts them, kept in the
    cache under that query and the plans' fingerprint (`data_version`, if the caller has it): an as-at or
    filtered count reads every matching row (and, for a past date, the updates), the fingerprint is one
    cheap query."""
    if rows.query.is_empty():  # an invalid filter's queryset.none(): no SQL to key on
        return 0
    sql, params = rows.query.sql_with_params()
    digest = hashlib.sha256(f"{sql}\x00{params!r}".encode()).hexdigest()
    key = f"delivery:activity-count:{digest}:{data_version or PLAN_DATA.fingerprint()}"
    count = cache.get(key)
    if count is None:
        count = rows.count()
        cache.set(key, count, timeout=SUMMARY_CACHE_SECONDS)
    return count


def plans() -> QuerySet[Plan]:
    return Plan.objects.order_by("name")


def plan_by_slug(slug: str) -> Plan:
    return get_object_or_404(Plan, slug=slug)


def plan_objective(*, plan: Plan, pk: int) -> Objective:
    return get_object_or_404(Objective, plan=plan, pk=pk)


def plan_by_name(name: str) -> Plan | None:
    return Plan.objects.filter(Q(name__iexact=name) | Q(slug=name)).first()


# --- The plan page -------------------------------------------------------------------------


@dataclass
class CommitmentNode:
    commitment: Commitment
    activities: list[Activity] = field(default_factory=list)


@dataclass
class SectionNode:
    section: Section | None
    commitments: list[CommitmentNode] = field(default_factory=list)


@dataclass
class ObjectiveNode:
    objective: Objective
    sections: list[SectionNode] = field(default_factory=list)
    rag_counts: Counter = field(default_factory=Counter)

    @property
    def activity_count(self) -> int:
        return sum(self.rag_counts.values())

    @property
    def rag_list(self) -> list[tuple[str, int]]:
        """(shown RAG, count) in display order, leaving out the RAGs with none."""
        return [(r, self.rag_counts[r]) for r in rag_scale.ORDER if self.rag_counts[r]]


def plan_objectives_summary(*, plan: Plan, as_at: date | None = None) -> list[ObjectiveNode]:
    """The plan's objectives in order, each with its activities' RAG counts as at a date (no
    activities loaded): two queries whatever the plan's size, the counts kept in the cache under the
    plans' fingerprint (one query)."""
    nodes = {o.pk: ObjectiveNode(objective=o) for o in plan.objectives.order_by("order")}
    key = f"delivery:plan-rag-counts:{plan.pk}:{as_at or today()}:{is_past(as_at)}:{PLAN_DATA.fingerprint()}"
    groups = cache.get(key)
    if groups is None:
        groups = list(
            activities_as_at(as_at=as_at, with_progress=False)
            .filter(commitment__plan=plan)
            .order_by()
            .values_list("commitment__objective_id", "at_shown_rag")
            .annotate(n=Count("pk"))
        )
        cache.set(key, groups, timeout=SUMMARY_CACHE_SECONDS)
    for objective_id, shown, n in groups:
        nodes[objective_id].rag_counts[shown or ""] += n
    return list(nodes.values())


def plan_tree(*, plan: Plan, as_at: date | None = None, objective: Objective | None = None) -> list[ObjectiveNode]:
    """Objectives > sections > commitments > activities in order, as at a date (only `objective`'s
    if given). Four queries."""
    objectives = list(plan.objectives.order_by("order"))
    sections = Section.objects.filter(objective__plan=plan).order_by("objective__order", "order")
    if objective is not None:
        objectives = [o for o in objectives if o.pk == objective.pk]
        sections = sections.filter(objective=objective)
    sections = list(sections)
    nodes = {o.pk: ObjectiveNode(objective=o) for o in objectives}
    section_nodes: dict[tuple[int, int | None], SectionNode] = {}
    for o in objectives:
        section_nodes[(o.pk, None)] = SectionNode(section=None)
    for s in sections:
        section_nodes[(s.objective_id, s.pk)] = SectionNode(section=s)
    commitment_nodes: dict[int, CommitmentNode] = {}
    rows = activity_rows(as_at=as_at, plan=plan)
    if objective is not None:
        rows = rows.filter(commitment__objective=objective)
    for a in rows:
        c = a.commitment
        node = commitment_nodes.get(c.pk)
        if node is None:
            node = commitment_nodes[c.pk] = CommitmentNode(commitment=c)
            section_nodes[(c.objective_id, c.section_id)].commitments.append(node)
        node.activities.append(a)
        nodes[c.objective_id].rag_counts[a.at_shown_rag] += 1
    for (objective_id, _), sn in section_nodes.items():
        if sn.commitments:
            nodes[objective_id].sections.append(sn)
    for n in nodes.values():
        # Sections in their own order; commitments with no section first.
        n.sections.sort(key=lambda sn: -1 if sn.section is None else sn.section.order)
    return list(nodes.values())


# --- Home -----------------------------------------------------------------------------------


@dataclass
class ObjectiveSummary:
    objective: Objective
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def bars(self) -> list[tuple[str, int, float]]:
        """(rag, count, percentage width) in display order, for the stacked bar."""
        total = self.total or 1
        return [(r, self.counts[r], 100 * self.counts[r] / total) for r in rag_scale.ORDER if self.counts[r]]


@dataclass
class PlanSummary:
    plan: Plan
    objectives: list[ObjectiveSummary]
    overdue: int = 0
    due_soon: int = 0
    total: int = 0


def home_summary(*, as_at: date | None = None, due_soon_days: int = 30, key: str = "") -> list[PlanSummary]:
    """Per plan: RAG counts per objective, overdue and due-soon counts, kept in the cache until the plans'
    data changes (PLAN_DATA's fingerprint, one query), or for SUMMARY_CACHE_SECONDS; two more queries
    when it is worked out. The same for everyone who may read the plans. `key`: home_summary_key's, if
    the caller has it already."""
    key = key or home_summary_key(as_at=as_at, due_soon_days=due_soon_days)
    summaries = cache.get(key)
    if summaries is None:
        summaries = _home_summary(as_at=as_at, due_soon_days=due_soon_days)
        cache.set(key, summaries, timeout=SUMMARY_CACHE_SECONDS)
    return summaries


def home_summary_key(*, as_at: date | None = None, due_soon_days: int = 30) -> str:
    """What home_summary is kept under: its day and options and the plans' fingerprint (one query). The
    home page keeps its plans' part, rendered, under it too."""
    return f"delivery:home-summary:{as_at or today()}:{as_at is not None}:{due_soon_days}:{PLAN_DATA.fingerprint()}"


def _home_summary(*, as_at: date | None, due_soon_days: int) -> list[PlanSummary]:
    day = as_at or today()
    objectives = list(Objective.objects.select_related("plan").order_by("plan__name", "order"))
    summaries: dict[int, PlanSummary] = {}
    per_objective: dict[int, ObjectiveSummary] = {}
    for o in objectives:
        ps = summaries.setdefault(o.plan_id, PlanSummary(plan=o.plan, objectives=[]))
        os_ = ObjectiveSummary(objective=o, counts={r: 0 for r in rag_scale.ORDER})
        ps.objectives.append(os_)
        per_objective[o.pk] = os_
    soon = day + timedelta(days=due_soon_days)
    due_open = Q(at_due__isnull=False) & open_q(status="at_status")
    groups = (
        activities_as_at(as_at=as_at, with_progress=False)
        .order_by()
        .values("commitment__objective_id", "commitment__plan_id", "at_shown_rag")
        .annotate(
            n=Count("pk"),
            overdue=Count("pk", filter=due_open & Q(at_due__lt=day)),
            due_soon=Count("pk", filter=due_open & Q(at_due__gte=day, at_due__lte=soon)),
        )
    )
    for g in groups:  # one row per objective and RAG: the counting is the database's
        per_objective[g["commitment__objective_id"]].counts[g["at_shown_rag"] or ""] += g["n"]
        ps = summaries[g["commitment__plan_id"]]
        ps.total += g["n"]
        ps.overdue += g["overdue"]
        ps.due_soon += g["due_soon"]
    return list(summaries.values())


def recent_updates(*, as_at: date | None = None, limit: int = 10) -> list[ProgressUpdate]:
    qs = ProgressUpdate.objects.select_related("activity__commitment__plan", "author")
    if as_at:
        qs = qs.filter(on__lte=as_at)
    return list(qs.order_by("-on", "-id")[:limit])


# --- One activity ---------------------------------------------------------------------------


def activity_detail(*, pk: int) -> Activity:
    return get_object_or_404(
        Activity.objects.select_related(
            "commitment__plan", "commitment__objective", "commitment__section"
        ).prefetch_related(
            "owners__user",
            "oversight_bodies",
            Prefetch("updates", queryset=ProgressUpdate.objects.select_related("author").order_by("-on", "-id")),
        ),
        pk=pk,
    )


def activity_for_update(*, pk: int) -> Activity:
    return get_object_or_404(
        Activity.objects.select_related("commitment__plan", "commitment__objective").prefetch_related("owners"), pk=pk
    )


def progress_update_detail(*, pk: int) -> ProgressUpdate:
    return get_object_or_404(
        ProgressUpdate.objects.select_related("activity__commitment__plan").prefetch_related("activity__owners"), pk=pk
    )


# --- The overdue review ---------------------------------------------------------------------


def overdue_activities(*, as_at: date, plan: Plan | None = None) -> QuerySet[Activity]:
    return (
        activity_rows(as_at=as_at, plan=plan)
        .filter(overdue_q(as_at, **AT_FIELDS))
        .order_by("at_due", "commitment__ref_key")
    )


def due_soon_activities(*, as_at: date, days: int, plan: Plan | None = None) -> QuerySet[Activity]:
    return (
        activity_rows(as_at=as_at, plan=plan)
        .filter(at_due__gte=as_at, at_due__lte=as_at + timedelta(days=days))
        .filter(open_q(status="at_status"))
        .order_by("at_due", "commitment__ref_key")
    )


def stale_activities(*, as_at: date, days: int, plan: Plan | None = None) -> QuerySet[Activity]:
    """Open activities with no progress update for `days` days or more."""
    return (
        activity_rows(as_at=as_at, plan=plan)
        .filter(at_last_update_on__lte=as_at - timedelta(days=days))
        .filter(open_q(status="at_status"))
        .order_by("at_last_update_on", "commitment__ref_key")
    )


@dataclass
class OverdueReview:
    groups: dict  # overdue.all_groups: by kind, owner and objective
    items: list  # the most overdue items (overdue.top_items)
    due_soon_count: int
    stale_count: int
    key: str = ""  # what it is kept under in the cache ("" when it is not): the page keeps its rendered part too


def overdue_review(*, as_at: date, plan: Plan | None, due_within: int, stale_after: int, top: int) -> OverdueReview:
    """The overdue review page's counts and most overdue items, the same for everyone who may read it: kept in
    the cache until anything its items are read from changes (overdue.fingerprint(), a query per app), or
    worked out every time when a registered source has not said what that is."""
    from . import overdue

    fingerprint = overdue.fingerprint()
    key = f"delivery:overdue-review:{as_at}:{plan.pk if plan else ''}:{due_within}:{stale_after}:{top}:{fingerprint}"
    review = cache.get(key) if fingerprint else None
    if review is None:
        review = OverdueReview(
            groups=overdue.all_groups(as_at=as_at, plan=plan),
            items=overdue.top_items(as_at=as_at, plan=plan, limit=top),
            due_soon_count=due_soon_activities(as_at=as_at, days=due_within, plan=plan).count(),
            stale_count=stale_activities(as_at=as_at, days=stale_after, plan=plan).count(),
        )
        if fingerprint:
            review.key = key
            cache.set(key, review, timeout=SUMMARY_CACHE_SECONDS)
    return review


def owned_by(activities: QuerySet[Activity], *, user) -> QuerySet[Activity]:
    """The activities one of whose owners is linked to this login (the owner's own list)."""
    return activities.filter(owners__user=user).distinct()


def my_attention(*, user, as_at: date, due_soon_days: int, stale_days: int) -> dict[str, list[Activity]]:
    """What an owner sees first on the home page: their overdue, due-soon and not-recently-updated
    activities (three queries and their owner prefetches, however many there are)."""
    return {
        "overdue": list(owned_by(overdue_activities(as_at=as_at), user=user)),
        "due_soon": list(owned_by(due_soon_activities(as_at=as_at, days=due_soon_days), user=user)),
        "stale": list(owned_by(stale_activities(as_at=as_at, days=stale_days), user=user)),
    }


# --- Extracts -------------------------------------------------------------------------------


def extract_library() -> QuerySet:
    from .models import Extract

    return Extract.objects.select_related("plan", "created_by").order_by("-created_at", "-id")


def extracts_in_progress() -> int:
    """How many extracts are still waiting or being generated (the library's banner)."""
    from .models import Extract

    return Extract.objects.filter(state__in=(*Extract.QUEUED, *Extract.RUNNING)).count()


def extract_detail(*, pk: int):
    from .models import Extract

    return get_object_or_404(Extract.objects.select_related("plan", "created_by").prefetch_related("objectives"), pk=pk)


def plan_objectives(*, plan: Plan) -> QuerySet[Objective]:
    return plan.objectives.order_by("order")


# --- Imports --------------------------------------------------------------------------------


def import_history() -> QuerySet:
    from .models import ImportRun

    return ImportRun.objects.select_related("created_by", "plan").order_by("-created_at", "-id")


def import_detail(*, pk: int):
    from .models import ImportRun

    return get_object_or_404(ImportRun.objects.select_related("created_by", "applied_by", "plan"), pk=pk)


@dataclass
class PreviewCommitment:
    entry: dict
    activities: list[dict] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.entry["action"] != "unchanged" or any(a["action"] != "unchanged" for a in self.activities)


def import_preview(*, run) -> list[PreviewCommitment]:
    """The stored preview grouped for display: each commitment with its activities' changes."""
    preview = run.preview or {}
    groups: dict[str, PreviewCommitment] = {}
    for c in preview.get("commitments", []):
        groups.setdefault(c["ref"], PreviewCommitment(entry=c))
    for a in preview.get("activities", []):
        group = groups.get(a["commitment_key"])
        if group is not None:
            group.activities.append(a)
    return list(groups.values())


def import_mapping(*, run) -> dict:
    """What the preview's mapping step shows: each sheet's columns (header, samples, the field guessed or
    saved) with its header row and, for a sheet not understood, its first rows; the RAG and status values
    to map; the profile in use; and whether the step needs an answer before the import can go ahead."""
    preview = run.preview or {}
    sheets = []
    for n, info in enumerate(preview.get("sheet_info", [])):
        if info.get("empty") or (not info.get("columns") and not info.get("grid")):
            continue
        sheets.append({"n": n, **info})
    needs_answer = any(s.get("unsure") or not s.get("recognised") for s in sheets) and not preview.get("sheets")
    needs_answer = needs_answer or any(s.get("unsure") for s in sheets) or bool(preview.get("unknown_values"))
    return {
        "sheets": sheets,
        "values": [{"n": n, **v} for n, v in enumerate(preview.get("unknown_values", []))],
        "profile": preview.get("profile"),
        "needs_answer": needs_answer,
        "rules": preview.get("rules", []),
    }


# --- Exports --------------------------------------------------------------------------------

ACTIVITY_EXPORT_HEADER = (
    "Ref", "Plan", "Objective", "Supporting activity", "Owner/s", "Due", "RAG", "Status", "Last update",
    "Latest progress",
)  # fmt: skip


def activity_export_rows(activities: QuerySet[Activity]) -> Iterator[tuple]:
    """The activity list's export, row by row as tuples from one streamed query (no model instances):
    the owners are the activity's own owner text, so nothing is gathered per row."""
    from core.status import label as status_label

    rows = activities.prefetch_related(None).values_list(
        "commitment__ref",
        "sub_ref",
        "commitment__plan__name",
        "commitment__objective__title",
        "text",
        "owner_text",
        "at_due",
        "at_shown_rag",
        "at_status",
        "at_last_update_on",
        "at_progress",
    )
    for ref, sub_ref, plan, objective, text, owners, due, rag, status, updated, progress in rows.iterator(2000):
        yield (
            f"{ref} {sub_ref}".strip(),
            plan,
            objective,
            text,
            owners,
            due.isoformat() if due else "",
            rag_scale.word(rag),
            status_label(status),
            updated.isoformat() if updated else "",
            progress or "",
        )
