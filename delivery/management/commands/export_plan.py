from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from delivery import selectors
from delivery.importers.native import native_workbook


class Command(BaseCommand):
    help = "Write the plan as the tracker's own workbook (one row per activity), the file the plan page offers."

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help="The plan's name or slug.")
        parser.add_argument("--as-at", dest="as_at", help="YYYY-MM-DD (default today).")
        parser.add_argument("--output", required=True)

    def handle(self, *args, plan, as_at=None, output, **options):
        try:
            day = date.fromisoformat(as_at) if as_at else None
        except ValueError:
            raise CommandError(f'--as-at "{as_at}" is not a date in the form YYYY-MM-DD.') from None
        plan_obj = selectors.plan_by_name(plan)
        if plan_obj is None:
            names = ", ".join(p.name for p in selectors.plans()) or "none"
            raise CommandError(f'No plan called "{plan}". Plans: {names}.')
        path = Path(output)
        if not path.parent.exists():
            raise CommandError(f"The folder {path.parent} does not exist.")
        path.write_bytes(native_workbook(plan=plan_obj, as_at=day if day and selectors.is_past(day) else None))
        self.stdout.write(f"Wrote {path}.")
