from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.dates import is_past
from delivery.importers.native import native_workbook

from ._options import as_at_option, plan_option


class Command(BaseCommand):
    help = "Write the plan as the tracker's own workbook (one row per activity), the file the plan page offers."

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help="The plan's name or slug.")
        parser.add_argument("--as-at", dest="as_at", help="YYYY-MM-DD (default today).")
        parser.add_argument("--output", required=True)

    def handle(self, *args, plan, as_at=None, output, **options):
        day = as_at_option(as_at)
        plan_obj = plan_option(plan)
        path = Path(output)
        if not path.parent.exists():
            raise CommandError(f"The folder {path.parent} does not exist.")
        path.write_bytes(native_workbook(plan=plan_obj, as_at=day if day and is_past(day) else None))
        self.stdout.write(f"Wrote {path}.")
