"""Demo KPIs, added by `seed_demo` (registered with delivery.demo): about 30 measures over the demo plan's
four objectives, Severn Vale Police and five policing areas, 36 months of plausible values, some with
special causes (a shift, an outlier, a trend), a few KPI actions. Deterministic, and safe to run twice:
a measure that already exists is left alone."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from core.status import Status
from delivery.models import Commitment, OversightBody, Owner

from .models import Area, AreaPopulation, ComparatorValue, KpiAction, Measure, Observation, Target
from .periods import Period

FORCE = "Severn Vale Police"
AREAS = [("Riverford", 0.27), ("Hillbury", 0.18), ("Marshfield", 0.2), ("Kingsbridge", 0.22), ("Westmoor", 0.13)]
FORCE_POPULATION = 1_310_000
MONTHS = 36

# name, unit, polarity, frequency, objective (1-4), level, noise (sd as a share of level), special, target, tolerance, source
MEASURES = [
    ("Total recorded crime", "count", "neutral", "month_quarter", 2, 9200, 0.04, "run_up", None, None, "Force systems"),
    ("Violence against the person", "count", "lower", "month_quarter", 2, 3300, 0.05, "", None, None, "Force systems"),
    ("Domestic abuse related crimes", "count", "increase", "month_quarter", 1, 1150, 0.06, "trend_up", None, None, "Force systems"),
    ("Rape offences recorded", "count", "increase", "month_quarter", 1, 120, 0.12, "", None, None, "Force systems"),
    ("Serious sexual offences: charge rate", "percentage", "higher", "quarter", 1, 7.5, 0.12, "", 10, 1.5, "Force systems"),
    ("Victim satisfaction: whole experience", "percentage", "higher", "month_quarter", 1, 79.5, 0.02, "outlier_low", 80, 3, "Victim satisfaction survey"),
    ("Victims kept informed", "percentage", "higher", "quarter", 1, 74, 0.03, "", 80, 4, "Victim satisfaction survey"),
    ("Victims' Code compliance", "percentage", "higher", "quarter_unless", 1, 88, 0.02, "", 90, 3, "Force audit"),
    ("Repeat victims of domestic abuse", "percentage", "lower", "quarter", 1, 31, 0.05, "", 30, 2, "Force systems"),
    ("Burglary: residential", "count", "lower", "month_quarter", 2, 310, 0.09, "run_down", None, None, "Force systems"),
    ("Vehicle crime", "count", "lower", "month_quarter", 2, 540, 0.08, "", None, None, "Force systems"),
    ("Shoplifting", "count", "neutral", "month_quarter", 2, 820, 0.08, "trend_up", None, None, "Force systems"),
    ("Knife crime", "count", "lower", "month_quarter", 2, 95, 0.12, "outlier_high", None, None, "Force systems"),
    ("Drug trafficking offences", "count", "increase", "quarter", 2, 140, 0.1, "", None, None, "Force systems"),
    ("Killed or seriously injured on the roads", "count", "lower", "quarter", 2, 48, 0.15, "", None, None, "Force systems"),
    ("Positive outcome rate: all crime", "percentage", "higher", "month_quarter", 2, 13.5, 0.06, "run_up", 15, 1, "Force systems"),
    ("Organised crime groups disrupted", "count", "higher", "quarter", 2, 14, 0.2, "", None, None, "Force systems"),
    ("999 calls answered within 10 seconds", "percentage", "higher", "month_quarter", 3, 88.5, 0.02, "outlier_low", 90, 2, "Force control room"),
    ("101 calls: average time to answer", "duration", "lower", "month_quarter", 3, 140, 0.12, "trend_down", 120, 30, "Force control room"),
    ("101 calls abandoned", "percentage", "lower", "month_quarter", 3, 12, 0.12, "", 10, 2, "Force control room"),
    ("Emergency response: urban within 15 minutes", "percentage", "higher", "month_quarter", 3, 84, 0.03, "", 85, 3, "Force systems"),
    ("Emergency response: rural within 20 minutes", "percentage", "higher", "month_quarter", 3, 79, 0.04, "", 85, 3, "Force systems"),
    ("Officer sickness: average days lost", "days", "lower", "quarter", 3, 2.4, 0.1, "", None, None, "HR systems"),
    ("Police officer headcount", "count", "higher", "quarter", 3, 2420, 0.01, "trend_up", 2450, 25, "HR systems"),
    ("Overtime spend", "money", "lower", "quarter_unless", 3, 610000, 0.1, "", None, None, "Finance"),
    ("Public confidence in local policing", "percentage", "higher", "quarter", 4, 71, 0.03, "", 75, 3, "Crime Survey for England and Wales"),
    ("Anti-social behaviour incidents", "count", "lower", "month_quarter", 4, 2100, 0.07, "outlier_high", None, None, "Force systems"),
    ("Neighbourhood officers' time in their area", "percentage", "higher", "quarter", 4, 76, 0.03, "", 80, 3, "Force systems"),
    ("Stop and search: positive outcome rate", "percentage", "higher", "quarter", 4, 31, 0.08, "", None, None, "Force systems"),
    ("Complaints recorded against the force", "count", "neutral", "quarter_unless", 4, 96, 0.14, "", None, None, "Professional Standards"),
    ("Crime rate per 1,000 population", "rate_1000", "lower", "additional", 2, 7.0, 0.04, "", None, None, "ONS and force systems"),
]  # fmt: skip


def _series(rng: random.Random, level: float, noise: float, special: str) -> list[float]:
    values = []
    for i in range(MONTHS):
        v = level * (1 + rng.gauss(0, noise))
        if special == "run_up" and i >= MONTHS - 8:
            v += level * noise * 1.6
        if special == "run_down" and i >= MONTHS - 9:
            v -= level * noise * 1.6
        if special == "trend_up" and i >= MONTHS - 8:
            v = level * (1 + noise * 0.5 * (i - (MONTHS - 9)))
        if special == "trend_down" and i >= MONTHS - 8:
            v = level * (1 - noise * 0.45 * (i - (MONTHS - 9)))
        values.append(v)
    if special == "outlier_high":
        values[-1] = level * (1 + 5 * noise)
    if special == "outlier_low":
        values[-1] = level * (1 - 5 * noise)
    return values


def _areas() -> tuple[Area, list[tuple[Area, float]]]:
    force, _ = Area.objects.get_or_create(name=FORCE, defaults={"kind": Area.Kind.FORCE, "order": 0})
    areas = []
    for i, (name, share) in enumerate(AREAS, start=1):
        area, _ = Area.objects.get_or_create(name=name, defaults={"kind": Area.Kind.AREA, "parent": force, "order": i})
        areas.append((area, share))
    return force, areas


@transaction.atomic
def seed_kpis(*, plan, today: date) -> None:
    rng = random.Random(1017)
    force, areas = _areas()
    last = Period.month(today.year, today.month).shifted(-1)
    months = [last.shifted(-i) for i in range(MONTHS - 1, -1, -1)]
    for year in range(months[0].start.year, today.year + 1):
        AreaPopulation.objects.get_or_create(
            area=force, year=year, defaults={"population": FORCE_POPULATION + 6000 * (year - 2020)}
        )
        for area, share in areas:
            AreaPopulation.objects.get_or_create(
                area=area, year=year, defaults={"population": int((FORCE_POPULATION + 6000 * (year - 2020)) * share)}
            )
    objectives = {o.order: o for o in plan.objectives.all()}
    commitments = list(Commitment.objects.filter(plan=plan).order_by("ref_key")[:40])
    owners = list(Owner.objects.order_by("name")[:12])
    bodies = list(OversightBody.objects.order_by("name"))
    admin = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    for n, (name, unit, polarity, freq, obj, level, noise, special, target, tol, source) in enumerate(MEASURES):
        if Measure.objects.filter(name__iexact=name).exists():
            continue
        measure = Measure.objects.create(
            name=name,
            description=f"{name}, {'monthly' if freq == 'month_quarter' else 'reported quarterly'}, from {source}.",
            unit=unit,
            polarity=polarity,
            frequency=freq,
            period_basis=Measure.Basis.FINANCIAL,
            source=source,
            owner=owners[n % len(owners)] if owners else None,
        )
        if obj in objectives:
            measure.objectives.add(objectives[obj])
        if commitments and n % 3 == 0:
            measure.commitments.add(commitments[n % len(commitments)])
        if target is not None:
            wording = f"{target:g}{'%' if unit == 'percentage' else ''}"
            Target.objects.create(
                measure=measure, value=target, tolerance=tol or 0, starts_on=months[0].start, wording=wording
            )
        force_values = _series(rng, level, noise, special)
        rows = []
        for i, p in enumerate(months):
            known = min(p.end + timedelta(days=20), today)
            if unit in ("count", "money"):
                shares = [share * (1 + rng.gauss(0, 0.05)) for _, share in areas]
                total = sum(shares)
                parts = [force_values[i] * s / total for s in shares]
                if special == "outlier_high" and i == MONTHS - 1:
                    parts = [force_values[i - 1] * s / total for s in shares]
                    parts[1] += force_values[i] - sum(parts)  # the exception is in one area (Hillbury)
                for (area, _), v in zip(areas, parts, strict=True):
                    rows.append(
                        Observation(measure=measure, area=area, period_start=p.start, value=round(v), recorded_on=known)
                    )
                rows.append(
                    Observation(
                        measure=measure,
                        area=force,
                        period_start=p.start,
                        value=round(sum(round(v) for v in parts)),
                        recorded_on=known,
                    )
                )
            elif unit == "percentage":
                num_total = den_total = 0.0
                for area, share in areas:
                    den = max(20, round(600 * share * (1 + rng.gauss(0, 0.1))))
                    pct = min(99.5, max(0.5, force_values[i] + rng.gauss(0, level * noise)))
                    num = round(den * pct / 100)
                    num_total, den_total = num_total + num, den_total + den
                    rows.append(Observation(measure=measure, area=area, period_start=p.start, value=round(num / den * 100, 1),
                                            numerator=num, denominator=den, recorded_on=known))  # fmt: skip
                rows.append(Observation(measure=measure, area=force, period_start=p.start, value=round(num_total / den_total * 100, 1),
                                        numerator=num_total, denominator=den_total, recorded_on=known))  # fmt: skip
            else:
                for area, _ in areas:
                    v = force_values[i] * (1 + rng.gauss(0, noise))
                    rows.append(
                        Observation(
                            measure=measure, area=area, period_start=p.start, value=round(v, 2), recorded_on=known
                        )
                    )
                rows.append(
                    Observation(
                        measure=measure,
                        area=force,
                        period_start=p.start,
                        value=round(force_values[i], 2),
                        recorded_on=known,
                    )
                )
        Observation.objects.bulk_create(rows)
        ComparatorValue.objects.bulk_create(
            ComparatorValue(
                measure=measure,
                area=force,
                period_kind="Q",
                period_start=q.start,
                msg_average=round(level * (1 + rng.gauss(0, noise)), 1),
                national_average=round(level * (1 + rng.gauss(0.02, noise)), 1),
                rank=rng.randint(1, 8),
                rank_of=8,
            )
            for q in sorted({Period.quarter_of(p.start) for p in months})[-6:]
        )
        if special in ("outlier_low", "outlier_high", "run_down") and owners and admin:
            KpiAction.objects.create(
                measure=measure,
                area=force,
                period_start=last.start,
                text=f"Explain the exceptional {name.lower()} figure and report the recovery plan.",
                owner=owners[(n + 3) % len(owners)],
                forum=bodies[n % len(bodies)] if bodies else None,
                due_date=today - timedelta(days=10 + n) if special != "run_down" else today + timedelta(days=30),
                status=Status.IN_PROGRESS,
                created_by=admin,
                created_on=today - timedelta(days=40 + n),
            )
