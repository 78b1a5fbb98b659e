from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core import audit
from core.dates import today
from delivery.extracts import render_extract
from delivery.extracts.rows import extract_rows
from delivery.models import Extract

from ._options import as_at_option, plan_option


class Command(BaseCommand):
    help = "Write the plan's Appendix 1 delivery-plan extract as at a date (docx, xlsx, pdf or csv)."

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help="The plan's name or slug.")
        parser.add_argument("--format", required=True, choices=Extract.Format.values)
        parser.add_argument("--as-at", dest="as_at", help="YYYY-MM-DD (default today).")
        parser.add_argument("--include-complete", action="store_true", help="Include completed activities.")
        parser.add_argument("--output", required=True, help="File to write.")

    def handle(self, *args, plan, format, as_at=None, include_complete=False, output, **options):
        audit.set_actor(None, source=audit.Source.COMMAND)
        day = as_at_option(as_at) or today()
        plan_obj = plan_option(plan)
        data = extract_rows(
            plan=plan_obj,
            as_at=day,
            columns=list(Extract.COLUMNS),
            title="Appendix 1 – Delivery Plan Extract",
            subtitle=f"{plan_obj.name}: position as at {day:%-d %B %Y}",
            include_complete=include_complete,
        )
        path = Path(output)
        if not path.parent.exists():
            raise CommandError(f"The folder {path.parent} does not exist.")
        path.write_bytes(render_extract(data, format))
        audit.record(
            audit.Action.EXTRACT,
            model_label="delivery.plan",
            object_id=plan_obj.pk,
            object_repr=path.name,
            detail={
                "file": str(path),
                "plan": plan_obj.name,
                "as_at": day.isoformat(),
                "format": format,
                "rows": data.row_count,
                "withheld": data.withheld,
            },
        )
        withheld = f", {data.withheld} withheld (not for publication)" if data.withheld else ""
        self.stdout.write(f"Wrote {path} ({format}): {data.row_count} activities as at {day:%d %b %Y}{withheld}.")
