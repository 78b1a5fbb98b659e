"""KPIs at the size of a whole region, for `manage.py seed_scale --measures N --observations N`.

Registered with delivery.scale. Each measure belongs to one force (force-wide plus nine policing
areas), takes its wording from the demo catalogue, and gets monthly observations for every area going
back as far as its share of `--observations` needs (200 measures and 500,000 observations is about
ten years of months), a target where the demo's has one, a link to an objective and a commitment of
its force's plan, and now and then a KPI action. Bulk writes (COPY on PostgreSQL); rows are tuples.
"""

from __future__ import annotations

import random
import re
from datetime import timedelta

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from core.dates import today as today_
from delivery import scale
from delivery.models import Commitment, Objective, OversightBody, Owner, Plan

from .demo import MEASURES
from .models import Area, AreaPopulation, KpiAction, Measure, Observation, Target
from .periods import MONTH, Period
from .selectors import data_changed

AREA_NAMES = ("North", "South", "East", "West", "Central", "City", "Rural", "Coast", "Valleys")
N_AREAS = len(AREA_NAMES) + 1  # and the force as a whole


def seed_measures(*, options: dict, rng: random.Random, plans: list[Plan]) -> dict[str, int]:
    """Add options["measures"] measures with options["observations"] observations between them."""
    n_measures = int(options.get("measures") or 0)
    n_obs = int(options.get("observations") or 0)
    if n_measures <= 0 or not plans:
        return {}
    today = today_()
    last = Period.month(today.year, today.month).shifted(-1)
    forces = [(plan, _force_areas(plan)) for plan in plans]
    objectives: dict[int, dict[int, int]] = {}
    for pk, plan_id, order in Objective.objects.filter(plan__in=plans).values_list("pk", "plan_id", "order"):
        objectives.setdefault(plan_id, {})[order] = pk
    commitments: dict[int, list[int]] = {}
    for pk, plan_id in (
        Commitment.objects.filter(plan__in=plans).order_by("pk").values_list("pk", "plan_id")[: 40 * len(plans)]
    ):
        commitments.setdefault(plan_id, []).append(pk)
    owners = list(Owner.objects.order_by("pk").values_list("pk", flat=True)[:300])
    bodies = list(OversightBody.objects.order_by("pk").values_list("pk", flat=True))
    taken = {n.lower() for n in Measure.objects.annotate(l=Lower("name")).values_list("l", flat=True)}
    now = timezone.now()

    measure_rows, target_rows, obj_links, com_links, obs_rows, action_rows = [], [], [], [], [], []
    next_measure = scale.next_id(Measure)
    per_measure = [n_obs // n_measures + (1 if i < n_obs % n_measures else 0) for i in range(n_measures)]
    first_month = last
    for i in range(n_measures):
        plan, areas = forces[i % len(forces)]
        spec = MEASURES[(i // len(forces)) % len(MEASURES)]
        name, unit, polarity, freq, obj, level, noise, _special, target, tol, source = spec
        full = f"{name} ({_force(plan)})"
        k = 2
        candidate = full
        while candidate.lower() in taken:
            candidate = f"{full} {k}"
            k += 1
        taken.add(candidate.lower())
        mid = next_measure + i
        measure_rows.append(
            (mid, candidate, f"{name}, from {source}.", unit, polarity, freq, "financial", source,
             owners[i % len(owners)] if owners else None, 12, None, now)
        )  # fmt: skip
        if obj in objectives.get(plan.pk, {}):
            obj_links.append((mid, objectives[plan.pk][obj]))
        plan_commitments = commitments.get(plan.pk, [])
        if plan_commitments and i % 3 == 0:
            com_links.append((mid, plan_commitments[(i // 3) % len(plan_commitments)]))
        months = -(-per_measure[i] // N_AREAS)  # ceiling
        start = last.shifted(-(months - 1)) if months else last
        first_month = min(first_month, start, key=lambda p: p.start)
        if target is not None:
            target_rows.append(
                (mid, target, tol or 0, start.start, None, f"{target:g}{'%' if unit == 'percentage' else ''}")
            )
        left = per_measure[i]
        for m in range(months):
            period = start.shifted(m)
            known = min(period.end + timedelta(days=20), today)
            drift = 1 + 0.002 * (m - months)
            for area_id, share in areas:
                if not left:
                    break
                if unit == "percentage":
                    den = max(20, round(600 * share * (1 + rng.gauss(0, 0.1))))
                    pct = min(99.5, max(0.5, level * (1 + rng.gauss(0, noise))))
                    num = round(den * pct / 100)
                    obs_rows.append((mid, area_id, MONTH, period.start, round(num / den * 100, 1), num, den, known))
                else:
                    scale_by = share if unit in ("count", "money") else 1
                    value = level * scale_by * drift * (1 + rng.gauss(0, noise))
                    obs_rows.append((mid, area_id, MONTH, period.start, round(value, 2), None, None, known))
                left -= 1
        if owners and i % 4 == 0:
            due = today + timedelta(days=rng.randint(-120, 180))
            status = scale.weighted(rng, (("not_started", 30), ("in_progress", 50), ("complete", 20)))
            action_rows.append(
                (mid, areas[0][0], MONTH, last.start,
                 f"Review the latest {name.lower()} figures with the lead officer and report back to the board.",
                 owners[(i * 7) % len(owners)], bodies[i % len(bodies)] if bodies else None, due, status, None,
                 today - timedelta(days=rng.randint(10, 200)), due if status == "complete" else None)
            )  # fmt: skip

    scale.write_rows(
        Measure,
        ("id", "name", "description", "unit", "polarity", "frequency", "period_basis", "source", "owner_id",
         "baseline_points", "comparable_band", "created_at"),
        measure_rows,
    )  # fmt: skip
    scale.write_rows(Measure.objectives.through, ("measure_id", "objective_id"), obj_links)
    scale.write_rows(Measure.commitments.through, ("measure_id", "commitment_id"), com_links)
    scale.write_rows(Target, ("measure_id", "value", "tolerance", "starts_on", "ends_on", "wording"), target_rows)
    written = scale.write_rows(
        Observation,
        ("measure_id", "area_id", "period_kind", "period_start", "value", "numerator", "denominator", "recorded_on"),
        obs_rows,
    )
    scale.write_rows(
        KpiAction,
        ("measure_id", "area_id", "period_kind", "period_start", "text", "owner_id", "forum_id", "due_date",
         "status", "created_by_id", "created_on", "closed_on"),
        action_rows,
    )  # fmt: skip
    _populations([areas for _, areas in forces], first_month.start.year, today.year)
    scale.reset_sequences((Measure, Target, Observation, KpiAction, Area, AreaPopulation))
    transaction.on_commit(data_changed)
    return {"measures": len(measure_rows), "observations": written, "KPI actions": len(action_rows)}


def _force(plan: Plan) -> str:
    """ "Severn Vale" for "Safer Severn Vale Plan 2024-2028" (and its "(2)" from a second run)."""
    found = re.fullmatch(r"Safer (.+) Plan 2024-2028(?: \(\d+\))?", plan.name)
    return found.group(1) if found else plan.name


def _force_areas(plan: Plan) -> list[tuple[int, float]]:
    """The plan's force and its nine policing areas (created if missing), with each area's share."""
    force_name = _force(plan) + " Police"
    force, _ = Area.objects.get_or_create(name=force_name, defaults={"kind": Area.Kind.FORCE, "order": 0})
    out = [(force.pk, 1.0)]
    for i, name in enumerate(AREA_NAMES, start=1):
        area, _ = Area.objects.get_or_create(
            name=f"{force_name.removesuffix(' Police')} {name}",
            defaults={"kind": Area.Kind.AREA, "parent": force, "order": i},
        )
        out.append((area.pk, 1 / len(AREA_NAMES)))
    return out


def _populations(forces: list[list[tuple[int, float]]], first_year: int, last_year: int) -> None:
    have = set(AreaPopulation.objects.values_list("area_id", "year"))
    rows = []
    for areas in forces:
        for area_id, share in areas:
            for year in range(first_year, last_year + 1):
                if (area_id, year) not in have:
                    have.add((area_id, year))
                    rows.append((area_id, year, int((1_200_000 + 5000 * (year - 2020)) * share)))
    scale.write_rows(AreaPopulation, ("area_id", "year", "population"), rows)
