import json

from django.core.management.base import BaseCommand

from core.dates import today
from delivery import overdue

from ._options import as_at_option, plan_option


class Command(BaseCommand):
    help = "The overdue review: every overdue item across plans (and any other registered source)."

    def add_arguments(self, parser):
        parser.add_argument("--as-at", dest="as_at", help="Review as at this date, YYYY-MM-DD (default today).")
        parser.add_argument("--plan", help="Only this plan (its name or slug).")
        parser.add_argument("--json", action="store_true", help="Print a JSON list of objects.")

    def handle(self, *args, as_at=None, plan=None, json=False, **options):
        day = as_at_option(as_at) or today()
        plan_obj = None
        if plan:
            plan_obj = plan_option(plan)
        items = overdue.overdue_items(as_at=day, plan=plan_obj)
        if json:
            self.stdout.write(_dumps([i.as_json() for i in items]))
            return
        if not items:
            self.stdout.write(f"Nothing is overdue as at {day:%d %b %Y}.")
            return
        self.stdout.write(f"{len(items)} overdue as at {day:%d %b %Y}\n")
        for owner, group in overdue.group_by_owner(items):
            self.stdout.write(self.style.MIGRATE_HEADING(f"{owner} ({len(group)})"))
            for i in group:
                since = f", last update {i.days_since_update} days ago" if i.days_since_update is not None else ""
                self.stdout.write(
                    f"  {i.ref:<14} {i.days_overdue:>4} days overdue (due {i.due:%d %b %Y}{since})  {i.title[:70]}"
                )


def _dumps(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)
