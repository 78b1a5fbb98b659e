"""Every read the KPI pages, commands and documents need, in a fixed number of queries whatever the
number of observations. "As at" a past date: observations recorded later are left out, and values
revised later are shown as they were then (from ObservationRevision)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date

from django.core.cache import cache
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from core.dates import today
from core.freshness import DataVersion
from core.status import Status, overdue_q
from delivery.overdue import OverdueItem, QuerySource

from .analysis import Analysis, analyse, outside_limits_side, split_series
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
from .periods import MONTH, Period

SPARKLINE_POINTS = 24


# --- Areas and measures ----------------------------------------------------------------------------


def areas() -> list[Area]:
    """Forces first, each followed by its areas."""
    everything = list(Area.objects.select_related("parent"))
    forces = [a for a in everything if a.parent_id is None]
    ordered = []
    for f in forces:
        ordered.append(f)
        ordered.extend(a for a in everything if a.parent_id == f.pk)
    return ordered


def default_area(all_areas: list[Area] | None = None) -> Area | None:
    all_areas = areas() if all_areas is None else all_areas
    return next((a for a in all_areas if a.kind == Area.Kind.FORCE), all_areas[0] if all_areas else None)


def measure_by_name(name: str) -> Measure | None:
    return Measure.objects.filter(name__iexact=name.strip()).first()


def area_by_name(name: str) -> Area | None:
    return Area.objects.filter(name__iexact=name.strip()).first()


def measures() -> QuerySet[Measure]:
    return Measure.objects.select_related("owner").prefetch_related(
        "targets", Prefetch("objectives", queryset=_objectives()), "commitments"
    )


def _objectives():
    from delivery.models import Objective

    return Objective.objects.select_related("plan").order_by("plan__name", "order")


def measure_detail(*, pk: int) -> Measure:
    return get_object_or_404(measures(), pk=pk)


def population_table() -> dict[int, dict[int, int]]:
    """{area id: {year: population}} in one query."""
    out: dict[int, dict[int, int]] = {}
    for area_id, year, pop in AreaPopulation.objects.values_list("area_id", "year", "population"):
        out.setdefault(area_id, {})[year] = pop
    return out


def population_in(table: dict[int, dict[int, int]], area_id: int, year: int) -> int | None:
    """The area's population in a year (the latest year known up to it)."""
    years = [y for y in table.get(area_id, {}) if y <= year]
    return table[area_id][max(years)] if years else None


# --- Observations ----------------------------------------------------------------------------------


def observation_rows(
    measure_ids: list[int], *, area_ids: list[int] | None = None, as_at: date | None = None
) -> dict[int, list[tuple]]:
    """{measure id: [(area_id, kind, start, value, numerator, denominator), ...]} in two queries at most."""
    qs = Observation.objects.filter(measure_id__in=measure_ids).order_by()  # no joins for Meta.ordering
    if area_ids is not None:
        qs = qs.filter(area_id__in=area_ids)
    if as_at is not None:
        qs = qs.filter(period_start__lte=as_at)
    rows = qs.values_list(
        "id", "measure_id", "area_id", "period_kind", "period_start", "value", "numerator", "denominator", "recorded_on"
    )
    earlier: dict[int, tuple] = {}
    if as_at is not None:
        revs = ObservationRevision.objects.filter(
            measure_id__in=measure_ids, recorded_on__lte=as_at, superseded_on__gt=as_at
        ).values_list("observation_id", "value", "numerator", "denominator")
        earlier = {r[0]: r[1:] for r in revs}
    out: dict[int, list[tuple]] = {m: [] for m in measure_ids}
    for oid, mid, aid, kind, start, value, num, den, recorded in rows.iterator(chunk_size=10000):
        if as_at is not None and recorded > as_at:
            if oid not in earlier:
                continue  # not known yet on that date
            value, num, den = earlier[oid]
        out[mid].append((aid, kind, start, value, num, den))
    return out


def _analyse(
    measure: Measure, kinds: dict, period: Period | None, *, targets: list[Target] | None = None, **extra
) -> Analysis:
    return analyse(
        unit=measure.unit,
        polarity=measure.polarity,
        baseline=measure.baseline_points,
        band=measure.comparable_band,
        kinds=kinds,
        period=period,
        targets=list(measure.targets.all()) if targets is None else targets,
        **extra,
    )


def _exceptional(measure: Measure, by_area: dict, period: Period | None, area: Area, all_areas: list[Area]):
    """Child areas of `area` whose own value for the period is outside their own limits."""
    if period is None:
        return []
    found = []
    for child in all_areas:
        if child.parent_id == area.pk and child.pk in by_area:
            side = outside_limits_side(by_area[child.pk], period, measure.unit, measure.baseline_points)
            if side:
                found.append((child.name, side))
    return found


def analysis_for(
    measure: Measure,
    *,
    area: Area,
    period: Period | None = None,
    as_at: date | None = None,
    all_areas: list[Area] | None = None,
    rows: list[tuple] | None = None,
    pops: dict[int, dict[int, int]] | None = None,
    targets: list[Target] | None = None,
) -> Analysis:
    """One measure in one area for one period (the latest when None). `targets`: the measure's, when
    the caller has them (else read through `measure.targets`)."""
    all_areas = areas() if all_areas is None else all_areas
    if rows is None:
        rows = observation_rows([measure.pk], as_at=as_at)[measure.pk]
    by_area = split_series(rows)
    kinds = by_area.get(area.pk, {})
    latest = period
    if latest is None:
        own = sorted(kinds.get(MONTH, {}) or kinds.get("Q", {}))
        latest = own[-1] if own else None
    pops = population_table() if pops is None else pops
    year = latest.start.year if latest else (as_at or today()).year
    return _analyse(
        measure,
        kinds,
        latest,
        targets=targets,
        population=population_in(pops, area.pk, year),
        exceptional_areas=_exceptional(measure, by_area, latest, area, all_areas),
    )


# --- Pages ----------------------------------------------------------------------------------------


@dataclass
class AreaFigures:
    area: Area
    analysis: Analysis


@dataclass
class MeasurePage:
    measure: Measure
    area: Area | None
    areas: list[Area]
    analysis: Analysis
    side_by_side: list[AreaFigures] = field(default_factory=list)
    comparators: list[ComparatorValue] = field(default_factory=list)
    commentary: list[Commentary] = field(default_factory=list)
    actions: list[KpiAction] = field(default_factory=list)
    figures_key: str = ""  # what the figures are kept under in the cache (the page keeps their rendered part too)


def measure_page(*, measure: Measure, area: Area | None, period: Period | None, as_at: date | None) -> MeasurePage:
    """The measure's figures in an area for a period (the analysis and the areas side by side), kept in the
    cache until the KPI figures change (data_fingerprint), with its comparators, commentary and actions."""
    all_areas = areas()
    area = area or default_area(all_areas)
    when = f"{period.kind}{period.start}" if period else ""
    key = f"kpis:measure:{measure.pk}:{area.pk if area else ''}:{when}:{as_at or ''}:{today()}:{data_fingerprint()}"
    if area is None:
        return MeasurePage(measure, None, all_areas, _analyse(measure, {}, period), figures_key=key)
    figures = cache.get(key)
    if figures is None:
        rows = observation_rows([measure.pk], as_at=as_at)[measure.pk]
        main = analysis_for(measure, area=area, period=period, as_at=as_at, all_areas=all_areas, rows=rows)
        by_area = split_series(rows)
        side = [  # without their chart points, which the page never shows (and which would fill the cache)
            AreaFigures(a, replace(_analyse(measure, by_area[a.pk], main.period), points=[]))
            for a in all_areas
            if a.pk in by_area
        ]
        figures = (main, side)
        cache.set(key, figures, timeout=ATTENTION_CACHE_SECONDS)
    main, side = figures
    comparators = ComparatorValue.objects.filter(measure=measure, area=area).order_by("-period_start")[:12]
    commentary = Commentary.objects.filter(measure=measure).select_related("author")
    if as_at is not None:
        commentary = commentary.filter(written_at__date__lte=as_at)
    actions = KpiAction.objects.filter(measure=measure).select_related("owner", "forum", "area")
    return MeasurePage(
        measure=measure,
        area=area,
        areas=all_areas,
        analysis=main,
        side_by_side=side,
        comparators=list(comparators),
        commentary=list(commentary[:50]),
        actions=list(actions),
        figures_key=key,
    )


@dataclass
class CatalogueRow:
    measure: Measure
    analysis: Analysis
    sparkline: list[float]


STATUS_FILTERS = {
    "R": "Red (off target)",
    "A": "Amber (within tolerance)",
    "G": "Green (on target)",
    "none": "Not rated",
    "special": "Special cause",
}


def catalogue(
    *,
    objective_id: int | None = None,
    frequency: str = "",
    area: Area | None = None,
    status: str = "",
    as_at: date | None = None,
    q: str = "",
) -> tuple[Area | None, list[CatalogueRow]]:
    """Measures with their latest figures in one area (the force by default), filtered."""
    qs = Measure.objects.all()
    if objective_id:
        qs = qs.filter(objectives__id=objective_id)
    if frequency:
        qs = qs.filter(frequency=frequency)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(description__icontains=q))
    return catalogue_rows(measure_qs=qs.distinct(), area=area, status=status, as_at=as_at)


def catalogue_rows(
    *,
    measure_qs: QuerySet[Measure],
    area: Area | None = None,
    status: str = "",
    as_at: date | None = None,
) -> tuple[Area | None, list[CatalogueRow]]:
    """The catalogue's rows for already filtered measures (the list page's filter set), in a fixed number
    of queries: measures, and when their figures are not in the cache their targets, the area's observations
    and populations. The status filter is applied after the analysis, since it is a judgement worked out
    from the figures."""
    all_areas = areas()
    area = area or default_area(all_areas)
    ms = list(measure_qs.select_related("owner").prefetch_related(None).order_by("name"))
    if area is None:
        return None, []
    figures = _catalogue_figures(ms, area=area, as_at=as_at, all_areas=all_areas)
    out = []
    for m in ms:
        a, sparkline = figures[m.pk]
        if status == "special" and not a.variation.is_special:
            continue
        if status in ("R", "A", "G") and a.rag != status:
            continue
        if status == "none" and a.rag:
            continue
        out.append(CatalogueRow(m, a, sparkline))
    return area, out


def _catalogue_figures(
    ms: list[Measure], *, area: Area, as_at: date | None, all_areas: list[Area]
) -> dict[int, tuple[Analysis, list[float]]]:
    """{measure id: (its analysis in the area, without chart points; its sparkline)}, kept in the cache until
    the figures change (data_fingerprint)."""
    ids = sorted(m.pk for m in ms)
    digest = hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:24]
    key = f"kpis:catalogue:{area.pk}:{as_at or ''}:{today()}:{digest}:{data_fingerprint()}"
    figures = cache.get(key)
    if figures is None:
        # The targets in one query, grouped here: prefetch_related builds a related manager per measure,
        # which for a thousand measures cost more than their analysis.
        targets: dict[int, list[Target]] = {pk: [] for pk in ids}
        for t in Target.objects.filter(measure_id__in=ids):
            targets[t.measure_id].append(t)
        rows_by_measure = observation_rows(ids, area_ids=[area.pk], as_at=as_at)
        pops = population_table()
        figures = {}
        for m in ms:
            a = analysis_for(
                m, area=area, as_at=as_at, all_areas=all_areas, rows=rows_by_measure[m.pk], pops=pops,
                targets=targets[m.pk],
            )  # fmt: skip
            figures[m.pk] = (replace(a, points=[]), [p.value for p in a.points[-SPARKLINE_POINTS:]])
        cache.set(key, figures, timeout=ATTENTION_CACHE_SECONDS)
    return figures


def attention(*, as_at: date | None = None) -> list[CatalogueRow]:
    """Measures whose latest point (in the force) is special cause or off target (Red or Amber).
    Only measures with figures in the force are worked out (one without is neither)."""
    area = default_area()
    if area is None:
        return []
    has_figures = Observation.objects.filter(measure=OuterRef("pk"), area=area)
    if as_at is not None:
        has_figures = has_figures.filter(period_start__lte=as_at)
    _, rows = catalogue_rows(measure_qs=Measure.objects.filter(Exists(has_figures)), area=area, as_at=as_at)
    return [r for r in rows if r.analysis.variation.is_special or r.analysis.rag in ("R", "A")]


ATTENTION_CACHE_SECONDS = 300
# What the overdue review reads of KPI actions (with delivery's PLAN_DATA for the plans, owners and forums).
ACTION_DATA = DataVersion("kpi-actions", models=(KpiAction, Measure, Measure.objectives.through, Area))
FINGERPRINT_MODELS = (Measure, Target, Observation, ObservationRevision, Area, AreaPopulation)
# What the KPI figures are worked out from (saves and deletes move it: kpis.signals; bulk writes call
# data_changed). Its key is "kpis:data-version", as before.
FIGURES_DATA = DataVersion("kpis", models=FINGERPRINT_MODELS)


def data_changed() -> None:
    """Mark the KPI figures changed, so that work cached from them is worked out again: at once and again
    when the current transaction commits."""
    FIGURES_DATA.changed()


def data_fingerprint() -> str | None:
    """The figures' version and the highest id of every table they are worked out from, in one query;
    None when there are no measures. A new observation, revision, target, measure, area or population
    changes it; edits in place bump the version (kpis.signals, and the import's apply)."""
    fingerprint = FIGURES_DATA.fingerprint()
    return None if fingerprint.split(":")[1] == "0" else fingerprint  # no measure yet


def attention_cached(*, as_at: date | None = None) -> list[CatalogueRow] | None:
    """attention() for the home page, kept in the cache until the figures change (or for five minutes);
    None when there are no measures. The rows carry no chart points (the panel shows none)."""
    fingerprint = data_fingerprint()
    if fingerprint is None:
        return None
    key = f"kpis:attention:{as_at or today()}:{fingerprint}"
    rows = cache.get(key)
    if rows is None:
        rows = [CatalogueRow(r.measure, replace(r.analysis, points=[]), []) for r in attention(as_at=as_at)]
        cache.set(key, rows, timeout=ATTENTION_CACHE_SECONDS)
    return rows


def home_panel(request, obj) -> dict | None:
    from core.roles import can_read

    if not can_read(request.user):
        return None
    rows = attention_cached()
    return None if rows is None else {"rows": rows}


def linked_measures_panel(request, obj) -> dict | None:
    """Measures linked to the page's commitment (the activity's commitment on an activity page)."""
    from core.roles import can_read

    if obj is None or not can_read(request.user):
        return None
    commitment_id = getattr(obj, "commitment_id", None) or obj.pk
    linked = list(Measure.objects.filter(commitments__id=commitment_id).order_by("name"))
    return {"measures": linked} if linked else None


# --- Performance summary ------------------------------------------------------------------------


@dataclass
class SummaryRow:
    measure: Measure
    analysis: Analysis
    drafted: str
    data_text: str  # the edited Data, or the drafted sentence
    commentary: str
    edited: bool
    entry: Commentary | None


@dataclass
class SummaryGroup:
    title: str
    rows: list[SummaryRow]


def performance_summary(
    *, period: Period, as_at: date | None = None, only: Measure | None = None
) -> list[SummaryGroup]:
    """Every measure (or `only` one) for the period, grouped by (its first) objective, in the panel's format."""
    all_areas = areas()
    force = default_area(all_areas)
    ms = [only] if only is not None else list(measures())
    analyses = _summary_figures(ms, period=period, as_at=as_at, force=force, all_areas=all_areas)
    entries = Commentary.objects.filter(
        period_kind=period.kind, period_start=period.start, measure_id__in=[m.pk for m in ms]
    ).order_by("measure_id", "-written_at", "-id")
    if as_at is not None:
        entries = entries.filter(written_at__date__lte=as_at)
    latest: dict[int, Commentary] = {}
    for e in entries:
        latest.setdefault(e.measure_id, e)
    groups: dict[str, list[SummaryRow]] = {}
    order: dict[str, tuple] = {}
    for m in ms:
        a = analyses[m.pk]
        entry = latest.get(m.pk)
        objective = next(iter(m.objectives.all()), None)
        title = f"{objective.order}. {objective.title}" if objective else "Other measures"
        order[title] = (objective.plan.name, objective.order) if objective else ("~", 0)
        groups.setdefault(title, []).append(
            SummaryRow(
                measure=m,
                analysis=a,
                drafted=a.draft or "No data for this period.",
                data_text=(entry.data_text if entry and entry.data_text else a.draft or "No data for this period."),
                commentary=entry.commentary if entry else "",
                edited=bool(entry and entry.data_text),
                entry=entry,
            )
        )
    return [SummaryGroup(t, groups[t]) for t in sorted(groups, key=lambda t: order[t])]


SUMMARY_POINTS = 12  # the most recent chart points kept with each measure's figures (the report shows 8)


def _summary_figures(
    ms: list[Measure], *, period: Period, as_at: date | None, force: Area | None, all_areas: list[Area]
) -> dict[int, Analysis]:
    """{measure id: its analysis in the force for the period, with its last SUMMARY_POINTS chart points},
    kept in the cache until the figures change (data_fingerprint): working them out reads every figure."""
    ids = sorted(m.pk for m in ms)
    digest = hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:24]
    when = f"{period.kind}{period.start}"
    key = f"kpis:summary:{when}:{force.pk if force else ''}:{as_at or ''}:{today()}:{digest}:{data_fingerprint()}"
    analyses = cache.get(key)
    if analyses is None:
        rows_by_measure = observation_rows(ids, as_at=as_at)
        pops = population_table()
        analyses = {}
        for m in ms:
            a = (
                analysis_for(
                    m, area=force, period=period, as_at=as_at, all_areas=all_areas, rows=rows_by_measure[m.pk],
                    pops=pops,
                )
                if force
                else _analyse(m, {}, period)
            )  # fmt: skip
            analyses[m.pk] = replace(a, points=a.points[-SUMMARY_POINTS:])
        cache.set(key, analyses, timeout=ATTENTION_CACHE_SECONDS)
    return analyses


def summary_row(*, measure: Measure, period: Period) -> SummaryRow:
    """One measure's row of the performance summary (its edit page)."""
    return performance_summary(period=period, only=measure)[0].rows[0]


def latest_period(*, kind: str = "Q", as_at: date | None = None) -> Period:
    """The latest complete period with data: for quarters, the last quarter whose three months have ended."""
    day = as_at or today()
    last = (
        Observation.objects.filter(period_start__lte=day)
        .order_by("-period_start")
        .values_list("period_start", flat=True)
        .first()
    )
    month = Period.month(last.year, last.month) if last else Period.month(day.year, day.month).shifted(-1)
    if kind == MONTH:
        return month
    q = Period.quarter_of(month.start)
    return q if q.end <= month.end else q.previous()


# --- Actions -------------------------------------------------------------------------------------


def open_actions_overdue(*, as_at: date) -> QuerySet[KpiAction]:
    return (
        KpiAction.objects.filter(overdue_q(as_at))
        .filter(created_on__lte=as_at)
        .select_related("measure", "owner", "forum")
        .prefetch_related(Prefetch("measure__objectives", queryset=_objectives()))
    )


def overdue_actions(as_at: date, plan=None) -> list[OverdueItem]:
    """KPI actions in the Chief Executive's overdue review (kind "kpi action")."""
    return _overdue_action_items(_overdue_action_rows(as_at, plan), as_at)


def _overdue_action_rows(as_at: date, plan=None) -> QuerySet[KpiAction]:
    """Overdue KPI actions annotated for the review's counts: `ov_due`, and `ov_objective`, the
    measure's first objective (the one its item is listed under)."""
    first_objective = (
        Measure.objectives.through.objects.filter(measure_id=OuterRef("measure_id"))
        .order_by("objective__plan__name", "objective__order", "objective_id")
        .values("objective_id")[:1]
    )
    qs = open_actions_overdue(as_at=as_at).annotate(ov_due=F("due_date"), ov_objective=Subquery(first_objective))
    if plan is not None:
        qs = qs.filter(measure__objectives__plan=plan).distinct()
    return qs


def _overdue_action_items(rows, as_at: date) -> list[OverdueItem]:
    items = []
    for a in rows:
        objective = next(iter(a.measure.objectives.all()), None)
        items.append(
            OverdueItem(
                kind="kpi action",
                plan=objective.plan.name if objective else "KPIs",
                ref=a.measure.name,
                title=a.text,
                owners=(a.owner.name,),
                due=a.due_date,
                days_overdue=(as_at - a.due_date).days,
                objective=objective.title if objective else "",
                status=a.status,
                url=a.get_absolute_url(),
            )
        )
    return items


OVERDUE_QUERY = QuerySource(
    rows=_overdue_action_rows, items=_overdue_action_items, owner="owner__name", other_plan="KPIs"
)


def action_detail(*, pk: int) -> KpiAction:
    return get_object_or_404(KpiAction.objects.select_related("measure", "owner"), pk=pk)


# --- Imports -------------------------------------------------------------------------------------


def kpi_actions() -> QuerySet[KpiAction]:
    """Every KPI action with what its list shows (measure, owner, forum, area), soonest due first."""
    return KpiAction.objects.select_related("measure", "owner", "forum", "area").order_by("due_date", "id")


def measure_queryset() -> QuerySet[Measure]:
    """The catalogue's starting point, for its filter set."""
    return Measure.objects.all()


def kpi_imports() -> QuerySet[KpiImport]:
    return KpiImport.objects.select_related("created_by", "applied_by")


def kpi_import_detail(*, pk: int) -> KpiImport:
    return get_object_or_404(kpi_imports(), pk=pk)


def statuses() -> list[tuple[str, str]]:
    return list(Status.choices)


# --- Full performance report (the panel pack's last appendix) -------------------------------------


@dataclass
class ReportMeasure:
    """One measure's page of the full performance report: the summary row (analysis, commentary) and
    the force's comparator figures for recent periods, newest first."""

    row: SummaryRow
    comparators: list[ComparatorValue]


@dataclass
class ReportGroup:
    title: str
    measures: list[ReportMeasure]


def performance_report(*, period: Period, as_at: date | None = None) -> list[ReportGroup]:
    """Every measure for the period with its figures, as the summary groups them, and its comparators
    (most similar group, national) up to the period. Queries fixed in number, whatever the measures."""
    groups = performance_summary(period=period, as_at=as_at)
    force = default_area()
    ids = [r.measure.pk for g in groups for r in g.rows]
    comparators: dict[int, list[ComparatorValue]] = {pk: [] for pk in ids}
    if force is not None and ids:
        for c in ComparatorValue.objects.filter(measure_id__in=ids, area=force, period_start__lte=period.end).order_by(
            "measure_id", "-period_start"
        ):
            if len(comparators[c.measure_id]) < 4:
                comparators[c.measure_id].append(c)
    return [ReportGroup(g.title, [ReportMeasure(r, comparators[r.measure.pk]) for r in g.rows]) for g in groups]
