import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from kpis import selectors
from kpis.periods import parse_period


class Command(BaseCommand):
    help = (
        "One measure's figures for an area and period: value, previous value and change, same period last year and "
        "change, rolling 12 months, process limits, special-cause flags, RAG and the drafted sentence."
    )

    def add_arguments(self, parser):
        parser.add_argument("--measure", required=True, help="The measure's name (any case).")
        parser.add_argument("--area", help="The area's name; default: the force.")
        parser.add_argument("--period", help="2017-08 (month), 2017-Q3 (calendar quarter), 2017/18-Q2 (financial).")
        parser.add_argument("--as-at", dest="as_at", help="YYYY-MM-DD: the figures as known on that date.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args, measure, area=None, period=None, as_at=None, json=False, **options):
        m = selectors.measure_by_name(measure)
        if m is None:
            raise CommandError(f'No measure called "{measure}".')
        m = selectors.measure_detail(pk=m.pk)
        all_areas = selectors.areas()
        if area:
            chosen = selectors.area_by_name(area)
            if chosen is None:
                names = ", ".join(a.name for a in all_areas) or "none"
                raise CommandError(f'No area called "{area}". Areas: {names}.')
        else:
            chosen = selectors.default_area(all_areas)
            if chosen is None:
                raise CommandError("There are no areas yet: import some KPI values first.")
        try:
            p = parse_period(period) if period else None
        except ValueError as e:
            raise CommandError(str(e)) from None
        try:
            day = date.fromisoformat(as_at) if as_at else None
        except ValueError:
            raise CommandError(f'--as-at "{as_at}" is not a date in the form YYYY-MM-DD.') from None
        a = selectors.analysis_for(m, area=chosen, period=p, as_at=day, all_areas=all_areas)
        report = {"measure": m.name, "area": chosen.name, "unit": m.unit, "polarity": m.polarity,
                  "as_at": day.isoformat() if day else None, **a.as_json(m.basis)}  # fmt: skip
        if json:
            self.stdout.write(_dumps(report))
            return
        w = self.stdout.write
        w(f"{m.name} · {chosen.name} · {report['period_label'] or 'no data'}")
        for key in ("value", "previous", "same_period_last_year", "rolling_12_months", "limits", "special_cause",
                    "variation", "assurance", "target", "rag", "sentence"):  # fmt: skip
            w(f"  {key.replace('_', ' ')}: {report[key]}")


def _dumps(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str)
