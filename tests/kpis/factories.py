"""KPI factories: measures, areas and series of monthly observations, written in bulk."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from io import BytesIO

import factory
from openpyxl import Workbook

from kpis.models import Area, Measure, Observation, Target
from kpis.periods import Period

APRIL_2017 = Period.month(2017, 4)


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Area {n}")
    kind = Area.Kind.AREA


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    name = factory.Sequence(lambda n: f"Measure {n}")
    unit = "count"
    polarity = "lower"


def force_and_areas(names: Sequence[str] = ("Shropshire", "Herefordshire")) -> tuple[Area, list[Area]]:
    force = AreaFactory(name="West Mercia Police", kind=Area.Kind.FORCE)
    return force, [AreaFactory(name=n, parent=force) for n in names]


def add_series(
    measure: Measure,
    area: Area,
    values: Sequence[float],
    *,
    start: Period = APRIL_2017,
    recorded_on: date = date(2020, 1, 1),
    numerators: Sequence[float] | None = None,
    denominators: Sequence[float] | None = None,
) -> list[Observation]:
    return Observation.objects.bulk_create(
        Observation(
            measure=measure,
            area=area,
            period_kind=start.kind,
            period_start=start.shifted(i * start.months).start,
            value=v,
            numerator=numerators[i] if numerators else None,
            denominator=denominators[i] if denominators else None,
            recorded_on=recorded_on,
        )
        for i, v in enumerate(values)
    )


def add_target(measure: Measure, value: float, tolerance: float = 0, starts_on: date = date(2000, 1, 1)) -> Target:
    return Target.objects.create(measure=measure, value=value, tolerance=tolerance, starts_on=starts_on)


def workbook_bytes(sheets: dict[str, list[list]]) -> bytes:
    """An .xlsx with one sheet per key, rows as given (None for an empty cell)."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()
