"""A measure's figures for one area and period, computed from its series with kpis.calc: value,
previous period and change, same period last year and change, rolling 12 months, rate from population,
control-chart limits and special causes, variation and assurance, RAG against target, and the drafted
sentence. Takes plain rows (already read by a selector); makes no queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from . import calc
from .calc import Point
from .periods import MONTH, QUARTER, Period

Row = tuple  # (area_id, kind, start, value, numerator, denominator)


def split_series(rows: Iterable[Row]) -> dict[int, dict[str, dict[Period, Point]]]:
    """{area_id: {kind: {period: point}}} from observation rows."""
    out: dict[int, dict[str, dict[Period, Point]]] = {}
    for area_id, kind, start, value, num, den in rows:
        out.setdefault(area_id, {}).setdefault(kind, {})[Period(start, kind)] = Point(value, num, den)
    return out


def quarters_from_months(months: dict[Period, Point], unit: str) -> dict[Period, Point]:
    """Every quarter whose three months are all there, combined by calc.combine's rule."""
    found: dict[Period, list[Point]] = {}
    for period, point in months.items():
        found.setdefault(Period.quarter_of(period.start), []).append(point)
    out = {}
    for quarter, points in sorted(found.items()):
        if len(points) == 3:
            whole = all(p.numerator is not None and p.denominator for p in points)
            out[quarter] = Point(
                calc.combine(points, unit),  # type: ignore[arg-type]
                sum(p.numerator for p in points) if whole else None,  # type: ignore[misc]
                sum(p.denominator for p in points) if whole else None,  # type: ignore[misc]
            )
    return out


def series_of(kinds: dict[str, dict[Period, Point]], kind: str, unit: str) -> dict[Period, Point]:
    """The series in months or quarters: quarters as stored, or made from the months."""
    if kind == MONTH:
        return kinds.get(MONTH, {})
    return kinds.get(QUARTER) or quarters_from_months(kinds.get(MONTH, {}), unit)


def target_on(targets: Sequence, day: date) -> tuple[float | None, float | None, str]:
    """(value, tolerance, wording) of the target in force on `day` (targets: objects with value,
    tolerance, starts_on, ends_on, wording)."""
    found = None
    for t in targets:
        if t.starts_on <= day and (t.ends_on is None or day <= t.ends_on):
            if found is None or t.starts_on >= found.starts_on:
                found = t
    return (found.value, found.tolerance, found.wording) if found else (None, None, "")


@dataclass
class ChartPoint:
    period: Period
    value: float
    target: float | None
    flags: calc.Flags


@dataclass
class Analysis:
    period: Period | None
    unit: str
    polarity: str
    value: float | None = None
    previous: float | None = None
    previous_change: calc.Change | None = None
    year_ago: float | None = None
    year_change: calc.Change | None = None
    rolling_12: float | None = None
    rate_per_1000: float | None = None
    limits: calc.Limits | None = None
    flags: calc.Flags | None = None
    variation: calc.Variation = field(default_factory=lambda: calc.variation(None, calc.NEUTRAL))
    assurance: tuple[str, str] = ("", "")
    target: float | None = None
    tolerance: float | None = None
    target_wording: str = ""
    rag: str = ""
    points: list[ChartPoint] = field(default_factory=list)
    draft: str = ""

    def as_json(self, basis: str = "financial") -> dict:
        def ch(c: calc.Change | None) -> dict | None:
            if c is None or c.value is None:
                return None
            return {
                "value": round(c.value, 3),
                "unit": "points" if c.in_points else "percent",
                "direction": c.direction,
            }

        f = self.flags
        return {
            "period": self.period.key(basis) if self.period else None,
            "period_label": self.period.label(basis) if self.period else None,
            "value": self.value,
            "previous": {"value": self.previous, "change": ch(self.previous_change)},
            "same_period_last_year": {"value": self.year_ago, "change": ch(self.year_change)},
            "rolling_12_months": self.rolling_12,
            "rate_per_1000": self.rate_per_1000,
            "limits": None
            if self.limits is None
            else {
                "mean": self.limits.mean,
                "upper": self.limits.upper,
                "lower": self.limits.lower,
                "moving_range": self.limits.moving_range,
                "baseline_points": self.limits.baseline,
            },
            "special_cause": {
                "outside_limits": f.outside if f else "",
                "run": f.run if f else "",
                "run_length": f.run_length if f else 0,
                "trend": f.trend if f else "",
                "any": bool(f and f.special),
            },
            "variation": self.variation.label,
            "assurance": self.assurance[1],
            "target": self.target,
            "tolerance": self.tolerance,
            "rag": self.rag,
            "sentence": self.draft,
        }


def analyse(
    *,
    unit: str,
    polarity: str,
    baseline: int,
    band: float | None,
    kinds: dict[str, dict[Period, Point]],
    period: Period | None,
    kind: str = MONTH,
    targets: Sequence = (),
    population: int | None = None,
    exceptional_areas: Sequence[tuple[str, str]] = (),
) -> Analysis:
    """The figures for `period` (the latest in the series when None) from one area's series."""
    if period is not None:
        kind = period.kind
    series = series_of(kinds, kind, unit)
    periods = sorted(p for p in series if period is None or p <= period)
    result = Analysis(period=period, unit=unit, polarity=polarity)
    if not periods:
        return result
    if period is None:
        period = result.period = periods[-1]
    values = [series[p].value for p in periods]
    result.limits = calc.xmr_limits(values, baseline)
    flags = calc.special_causes(values, result.limits)
    result.points = [
        ChartPoint(p, series[p].value, target_on(targets, p.start)[0], f) for p, f in zip(periods, flags, strict=True)
    ]
    point = series.get(period)
    if point is None:
        return result
    result.value = point.value
    result.flags = flags[-1] if periods[-1] == period else None
    result.variation = calc.variation(result.flags if result.limits else None, polarity)
    prev, year = series.get(period.previous()), series.get(period.year_earlier())
    result.previous = prev.value if prev else None
    result.previous_change = calc.change(point.value, result.previous, unit, band)
    result.year_ago = year.value if year else None
    result.year_change = calc.change(point.value, result.year_ago, unit, band)
    months = kinds.get(MONTH, {})
    last_month = Period.month(period.end.year, period.end.month)
    result.rolling_12 = calc.rolling_12([months.get(last_month.shifted(-i)) for i in range(11, -1, -1)], unit)
    if unit in calc.SUMMED and population:
        result.rate_per_1000 = calc.rate(point.value, population, 1000)
    result.target, result.tolerance, result.target_wording = target_on(targets, period.start)
    result.rag = calc.rag(point.value, result.target, result.tolerance, polarity)
    result.assurance = calc.assurance(result.limits, result.target, polarity)
    result.draft = calc.draft_sentence(
        calc.Draft(
            noun=period.noun(),
            previous=result.previous_change,
            mean=result.limits.mean if result.limits else None,
            value=point.value,
            flags=result.flags,
            exceptional_areas=list(exceptional_areas),
            unit=unit,
        )
    )
    return result


def outside_limits_side(kinds: dict[str, dict[Period, Point]], period: Period, unit: str, baseline: int) -> str:
    """ "high" or "low" when the area's value for `period` is outside its own process limits, else ""."""
    series = series_of(kinds, period.kind, unit)
    periods = sorted(p for p in series if p <= period)
    if not periods or periods[-1] != period:
        return ""
    limits = calc.xmr_limits([series[p].value for p in periods], baseline)
    if limits is None:
        return ""
    value = series[period].value
    return "high" if value > limits.upper else "low" if value < limits.lower else ""
