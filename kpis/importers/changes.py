"""Planning a KPI import against the database as it is now, and applying it in one transaction.

Measures and areas are matched by name without regard to case; a new one is created. Each value is a
new observation, a revision (the value changed: the earlier one is kept as an ObservationRevision), or
unchanged. The same value twice in the file is taken once; two different values for the same measure,
area and period are an error. Re-importing the same file changes nothing.

Units of new measures: `Unit` column if given; else a percentage when any value is written as `83.7%`;
else a count. For a percentage measure whose values in the file are all fractions (0 to 1), the values
are read as fractions of one (0.837 is 83.7%), with a warning. A new area whose name contains "force"
or "police" is a force; other new areas go under the only force, when there is exactly one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import connection, transaction

from core import audit
from core.tabular.importer import Outcome
from core.tabular.problems import Problem

from ..models import Area, KpiImport, Measure, Observation, ObservationRevision, Target
from .layouts import ParsedBook, Record

SAMPLE = 200  # changes listed in the preview; the counts are always complete
BATCH = 5000


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


@dataclass
class KpiChangeSet:
    layout: str
    as_at: date
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    sheets: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    new_measures: dict[str, str] = field(default_factory=dict)  # lower name -> (name, unit) written as "unit"
    measure_names: dict[str, str] = field(default_factory=dict)  # lower name -> name as written first
    new_areas: dict[str, tuple[str, str]] = field(default_factory=dict)  # lower name -> (name, kind)
    creates: list[tuple] = field(default_factory=list)  # (measure lower, area lower, kind, start, value, num, den)
    revisions: list[tuple] = field(default_factory=list)  # (observation id, value, num, den)
    unchanged: int = 0
    targets: list[tuple] = field(default_factory=list)  # (measure lower, value, starts_on)
    sample: list[dict] = field(default_factory=list)
    parent_force: str = ""  # new policing areas go under this force

    def versions_seen(self) -> dict[str, int]:
        return {}  # observations are written only by imports; apply plans again against the database

    def counts(self) -> dict:
        return {
            "created": {
                "measures": len(self.new_measures),
                "areas": len(self.new_areas),
                "observations": len(self.creates),
                "targets": len(self.targets),
            },
            "updated": {"measures": 0, "areas": 0, "observations": len(self.revisions)},
            "unchanged": {"observations": self.unchanged},
        }

    def as_json(self) -> dict:
        return {
            "layout": self.layout,
            **self.counts(),
            "missing": [],
            "skipped": self.skipped,
            "sheets": self.sheets,
            "new_measures": [{"name": self.measure_names[k], "unit": u} for k, u in self.new_measures.items()],
            "new_areas": [{"name": n, "kind": k} for n, k in self.new_areas.values()],
            "sample": self.sample,
            "errors": [p.as_json() for p in self.errors],
            "warnings": [p.as_json() for p in self.warnings],
        }


def build_change_set(parsed: ParsedBook, *, layout: str, as_at: date) -> KpiChangeSet:
    cs = KpiChangeSet(
        layout=layout,
        as_at=as_at,
        errors=list(parsed.problems.errors),
        warnings=list(parsed.problems.warnings),
        sheets=parsed.sheets,
        skipped=parsed.skipped,
    )
    for note in parsed.notes:
        cs.warnings.append(Problem("", None, None, note, "warning"))
    if cs.errors and not parsed.records:
        return cs
    measures = {m.name.lower(): m for m in Measure.objects.only("id", "name", "unit")}
    areas = {a.name.lower(): a for a in Area.objects.only("id", "name", "kind")}
    records_by_measure: dict[str, list[Record]] = {}
    for r in parsed.records:
        key = r.measure.lower()
        cs.measure_names.setdefault(key, measures[key].name if key in measures else r.measure)
        records_by_measure.setdefault(key, []).append(r)

    # Units, and fractions read as percentages.
    units: dict[str, str] = {}
    for key, records in records_by_measure.items():
        unit = measures[key].unit if key in measures else next((r.unit for r in records if r.unit), "")
        if not unit:
            unit = "percentage" if any(r.percent_text for r in records) else "count"
        units[key] = unit
        if key not in measures:
            cs.new_measures[key] = unit
        plain = [r for r in records if not r.percent_text]
        if unit == "percentage" and plain and all(0 <= r.value <= 1 for r in plain) and any(r.value for r in plain):
            for r in plain:
                r.value *= 100
                if r.target is not None and 0 <= r.target <= 1:
                    r.target *= 100
            cs.warnings.append(
                Problem(
                    plain[0].sheet,
                    None,
                    None,
                    f"{cs.measure_names[key]}: values between 0 and 1 were read as percentages (0.837 is 83.7%).",
                    "warning",
                )
            )

    # Areas.
    forces = [a for a in areas.values() if a.kind == Area.Kind.FORCE]
    for r in parsed.records:
        key = r.area.lower()
        if key not in areas and key not in cs.new_areas:
            is_force = "force" in key or "police" in key
            cs.new_areas[key] = (r.area, Area.Kind.FORCE if is_force else Area.Kind.AREA)
    new_forces = [n for n, k in cs.new_areas.values() if k == Area.Kind.FORCE]
    if len(forces) + len(new_forces) == 1:
        cs.parent_force = forces[0].name if forces else new_forces[0]

    # Observations.
    measure_ids = [measures[k].pk for k in records_by_measure if k in measures]
    existing: dict[tuple, tuple] = {}
    if measure_ids:
        area_key = {a.pk: n for n, a in areas.items()}
        measure_key = {measures[k].pk: k for k in records_by_measure if k in measures}
        rows = Observation.objects.filter(measure_id__in=measure_ids).values_list(
            "id", "measure_id", "area_id", "period_kind", "period_start", "value", "numerator", "denominator"
        )
        for oid, mid, aid, kind, start, value, num, den in rows.iterator(chunk_size=20000):
            existing[(measure_key[mid], area_key[aid], kind, start)] = (oid, value, num, den)
    seen: dict[tuple, Record] = {}
    targets: dict[str, list[tuple]] = {}
    for r in parsed.records:
        key = (r.measure.lower(), r.area.lower(), r.period.kind, r.period.start)
        first = seen.get(key)
        if first is not None:
            if not _same(first.value, r.value):
                cs.errors.append(
                    Problem(
                        r.sheet,
                        r.row,
                        r.column,
                        f"{r.measure}, {r.area}, {r.period.label()} already has the value "
                        f"{first.value:g} (sheet {first.sheet}, row {first.row}); this row gives {r.value:g}.",
                    )
                )
            continue
        seen[key] = r
        if r.target is not None:
            targets.setdefault(key[0], []).append((r.period.start, r.target))
        old = existing.get(key)
        if old is None:
            cs.creates.append((*key, r.value, r.numerator, r.denominator))
            action = "new"
        elif _same(old[1], r.value) and _same(old[2], r.numerator) and _same(old[3], r.denominator):
            cs.unchanged += 1
            continue
        else:
            cs.revisions.append((old[0], r.value, r.numerator, r.denominator))
            action = "revised"
        if len(cs.sample) < SAMPLE:
            cs.sample.append(
                {
                    "action": action,
                    "measure": cs.measure_names[key[0]],
                    "area": r.area,
                    "period": r.period.label(),
                    "before": None if old is None else old[1],
                    "after": r.value,
                    "sheet": r.sheet,
                    "row": r.row,
                }
            )

    # Targets: each change of target in the file starts a new target from that period.
    current = {}
    for t in Target.objects.filter(measure_id__in=measure_ids).order_by("starts_on"):
        current.setdefault(t.measure_id, []).append((t.starts_on, t.value))
    for key, found in targets.items():
        have = current.get(measures[key].pk, []) if key in measures else []
        last = None
        for start, value in sorted(found):
            in_force = next((v for s, v in reversed(have) if s <= start), None)
            if (last is None and (in_force is None or not _same(in_force, value))) or (
                last is not None and not _same(last, value)
            ):
                cs.targets.append((key, value, start))
            last = value
    return cs


@transaction.atomic
def apply_change_set(cs: KpiChangeSet, *, by, kpi_import: KpiImport | None = None) -> Outcome:
    """Write the change set in one transaction, in bulk."""
    from ..selectors import data_changed  # bulk writes send no signals: mark the figures changed ourselves

    data_changed()
    parent_name = cs.parent_force
    area_objs = [Area(name=name, kind=kind) for name, kind in cs.new_areas.values() if kind == Area.Kind.FORCE]
    Area.objects.bulk_create(area_objs)
    parent = Area.objects.filter(name=parent_name).first() if parent_name else None
    area_objs += Area.objects.bulk_create(
        [Area(name=name, kind=kind, parent=parent) for name, kind in cs.new_areas.values() if kind != Area.Kind.FORCE]
    )
    measure_objs = Measure.objects.bulk_create(
        [Measure(name=cs.measure_names[k], unit=u) for k, u in cs.new_measures.items()]
    )
    # Audit trail: new areas and measures each get an entry; observations are counted in the import's own
    # entry and traced by their kpi_import and ObservationRevision rows; targets record themselves below.
    audit.record_many(audit.created_entry(o) for o in (*area_objs, *measure_objs))
    measures = {m.name.lower(): m.pk for m in Measure.objects.only("id", "name")}
    areas = {a.name.lower(): a.pk for a in Area.objects.only("id", "name")}
    import_id = kpi_import.pk if kpi_import else None
    _insert_observations(cs, measures=measures, areas=areas, import_id=import_id)
    for i in range(0, len(cs.revisions), BATCH):
        chunk = cs.revisions[i : i + BATCH]
        olds = Observation.objects.in_bulk([c[0] for c in chunk])
        ObservationRevision.objects.bulk_create(
            [
                ObservationRevision(
                    observation_id=o.pk,
                    measure_id=o.measure_id,
                    value=o.value,
                    numerator=o.numerator,
                    denominator=o.denominator,
                    recorded_on=o.recorded_on,
                    superseded_on=cs.as_at,
                    kpi_import_id=o.kpi_import_id,
                )
                for o in olds.values()
            ]
        )
        for oid, value, num, den in chunk:
            o = olds[oid]
            o.value, o.numerator, o.denominator, o.recorded_on, o.kpi_import_id = value, num, den, cs.as_at, import_id
        Observation.objects.bulk_update(
            list(olds.values()), ["value", "numerator", "denominator", "recorded_on", "kpi_import"]
        )
    for key, value, start in cs.targets:
        mid = measures[key]
        ending = Target.objects.filter(measure_id=mid, ends_on__isnull=True, starts_on__lt=start)
        ends_on = date.fromordinal(start.toordinal() - 1)
        audit.record_many(audit.changed_entry(t, {"ends_on": [None, ends_on]}) for t in ending)
        ending.update(ends_on=ends_on)
        Target.objects.create(measure_id=mid, value=value, starts_on=start)
    counts = cs.counts()
    return Outcome(created=counts["created"], updated=counts["updated"])


def _insert_observations(cs: KpiChangeSet, *, measures: dict[str, int], areas: dict[str, int], import_id) -> None:
    """New observations by COPY on PostgreSQL, else one executemany per batch: the rows bulk_create would write, without
    building half a million model instances (the benchmark's 500,000 values; see bench/kpis.py)."""
    meta = Observation._meta
    columns = ["measure_id", "area_id", "period_kind", "period_start", "value", "numerator", "denominator",
               "recorded_on", "kpi_import_id"]  # fmt: skip
    q = connection.ops.quote_name
    # The model's own table and column names; every value is a parameter.
    table, names, marks = q(meta.db_table), ", ".join(q(c) for c in columns), ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
    rows = (
        (measures[m], areas[a], kind, start, value, num, den, cs.as_at, import_id)
        for m, a, kind, start, value, num, den in cs.creates
    )
    if connection.vendor == "postgresql":  # COPY: the fastest way in; psycopg adapts every value
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    with connection.cursor() as cursor:
        for i in range(0, len(cs.creates), BATCH):
            cursor.executemany(
                sql,
                [
                    (measures[m], areas[a], kind, start, value, num, den, cs.as_at, import_id)
                    for m, a, kind, start, value, num, den in cs.creates[i : i + BATCH]
                ],
            )
