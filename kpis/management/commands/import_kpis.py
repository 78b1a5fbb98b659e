import json
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.commands import importing_user
from kpis import services


class Command(BaseCommand):
    help = (
        "Import KPI values from a workbook (long or wide layout). Exit 0 when applied (or a clean dry run), "
        "1 when there are errors, with nothing written."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--layout", choices=["auto", "long", "wide"], default="auto")
        parser.add_argument("--dry-run", action="store_true", help="Check and show the changes; write nothing.")
        parser.add_argument("--as-user", dest="as_user", help="Username the import is recorded under.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args, path, layout="auto", dry_run=False, as_user=None, json=False, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No file at {file}.")
        user = importing_user(as_user, dry_run=dry_run)
        try:
            run, change_set = services.kpi_import_from_file(
                by=user, data=file.read_bytes(), filename=file.name, layout=layout, dry_run=dry_run
            )
        except ValidationError as e:
            raise CommandError(" ".join(e.messages)) from None
        except PermissionDenied as e:
            raise CommandError(str(e)) from None
        report = change_set.as_json()
        summary = {k: report[k] for k in ("layout", "created", "updated", "unchanged", "missing", "warnings", "errors")}
        summary["skipped"] = report["skipped"]
        summary["sheets"] = report["sheets"]
        summary["dry_run"] = dry_run
        summary["import_id"] = run.pk
        if run.state == run.State.FAILED:
            summary["errors"] = [*summary["errors"], {"sheet": "", "row": None, "column": None, "message": run.error}]
        if json:
            self.stdout.write(_dumps(summary))
        else:
            self.print_report(summary, applied=run.state == run.State.APPLIED)
        if summary["errors"]:
            raise SystemExit(1)

    def print_report(self, s, *, applied):
        w = self.stdout.write
        for sheet in s["sheets"]:
            w(f'Sheet "{sheet["sheet"]}": {sheet["layout"]} layout, {sheet["observations"]} values')
        for kind in ("created", "updated", "unchanged"):
            counts = ", ".join(f"{n} {k}" for k, n in s[kind].items() if n)
            w(f"  {kind.capitalize():<10} {counts or 'nothing'}")
        for item in s["skipped"]:
            w(f'  Skipped sheet "{item["sheet"]}": {item["reason"]}')
        for level in ("errors", "warnings"):
            for p in s[level]:
                where = ", ".join(
                    x for x in (f"sheet {p['sheet']}" if p["sheet"] else "", f"row {p['row']}" if p["row"] else "",
                                f"column {p['column']}" if p["column"] else "") if x
                )  # fmt: skip
                w(f"  {level[:-1].upper()}: {where + ': ' if where else ''}{p['message']}")
        if s["errors"]:
            w(self.style.ERROR("Nothing was written: fix the errors and import again."))
        elif applied:
            w(self.style.SUCCESS("Applied."))
        else:
            w("Dry run: nothing was written.")


def _dumps(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str)
