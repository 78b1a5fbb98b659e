import json
from datetime import date
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.commands import importing_user
from delivery import services


class Command(BaseCommand):
    help = (
        "Import a delivery-plan workbook (extract, RAG tracker or the tracker's own). Exit 0 when applied (or a "
        "clean dry run), 1 when there are errors, with nothing written."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--plan", help="The plan's name (created if needed); default: the workbook's title.")
        parser.add_argument("--layout", choices=["auto", "extract", "tracker", "native"], default="auto")
        parser.add_argument("--sheet", help="Only this sheet.")
        parser.add_argument("--dry-run", action="store_true", help="Check and show the changes; write nothing.")
        parser.add_argument("--as-user", dest="as_user", help="Username the updates are recorded under.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")
        parser.add_argument(
            "--update-date",
            dest="update_date",
            help="YYYY-MM-DD: the date the workbook's undated progress entries are as at "
            "(default: suggested from its title, file name or saved date).",
        )
        parser.add_argument(
            "--map",
            dest="maps",
            action="append",
            default=[],
            metavar='"Header text=field"',
            help="Which field a column holds, by its header text (repeatable); field '-' means do not import. "
            "Fields: ref, commitment, activity, progress, owners, oversight, date, start, rag, status, sub_ref.",
        )
        parser.add_argument(
            "--profile",
            help="An import profile's name: use its column and value mapping; with --map, save the mapping "
            "under this name (for the plan) for next time.",
        )
        parser.add_argument(
            "--confirm-other-plan",
            dest="confirm_other_plan",
            action="store_true",
            help="Import the plan's own workbook into a different plan from the one it was downloaded from.",
        )

    def handle(
        self,
        *args,
        path,
        plan=None,
        layout="auto",
        sheet=None,
        dry_run=False,
        as_user=None,
        json=False,
        update_date=None,
        maps=(),
        profile=None,
        confirm_other_plan=False,
        **options,
    ):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No file at {file}.")
        as_at = None
        if update_date:
            try:
                as_at = date.fromisoformat(update_date)
            except ValueError:
                raise CommandError(f'--update-date "{update_date}" is not a date; write it as YYYY-MM-DD.') from None
        user = importing_user(as_user, dry_run=dry_run)
        try:
            columns = services.parse_map_options(list(maps or []))
            run, change_set = services.import_from_file(
                by=user,
                data=file.read_bytes(),
                filename=file.name,
                plan_name=plan or "",
                layout=layout,
                sheet=sheet or "",
                dry_run=dry_run,
                as_at=as_at,
                columns=columns,
                profile_name=profile or "",
                confirm_other_plan=confirm_other_plan,
            )
        except ValidationError as e:
            raise CommandError(" ".join(e.messages)) from None
        except PermissionDenied as e:
            raise CommandError(str(e)) from None
        report = change_set.as_json()
        summary = {
            k: report[k] for k in ("plan", "layout", "created", "updated", "unchanged", "missing", "warnings", "errors")
        }
        summary["skipped"] = report["skipped"]
        summary["update_date"] = report["as_at"]
        summary["update_date_reason"] = report.get("as_at_reason", "")
        summary["new_plan"] = report.get("new_plan", False)
        summary["rules"] = report.get("rules", [])
        summary["sheets"] = [
            {
                k: info.get(k)
                for k in ("sheet", "recognised", "header_row", "layout", "understood", "columns", "unsure")
                if k in info
            }
            for info in report.get("sheet_info", [])
        ]
        summary["unknown_values"] = report.get("unknown_values", [])
        summary["other_plan"] = report.get("other_plan", {})
        summary["profile"] = run.profile.name if run.profile_id else ""
        if summary["other_plan"] and not confirm_other_plan and not dry_run and not summary["errors"]:
            summary["errors"] = [
                {
                    "sheet": "",
                    "row": None,
                    "column": None,
                    "message": f'This workbook was downloaded from the plan "{summary["other_plan"]["from"]}"; '
                    "to import it into another plan, add --confirm-other-plan.",
                }
            ]
        summary["dry_run"] = dry_run
        summary["import_id"] = run.pk
        if run.state == run.State.FAILED:
            summary["errors"] = [*summary["errors"], {"sheet": "", "row": None, "column": None, "message": run.error}]
        if run.state == run.State.APPLIED:
            summary["conflicts"] = run.result.get("conflicts", [])
        if json:
            self.stdout.write(_dumps(summary))
        else:
            self.print_report(summary, applied=run.state == run.State.APPLIED)
        if summary["errors"]:
            raise SystemExit(1)

    def print_report(self, s, *, applied):
        w = self.stdout.write
        w(f"Plan: {s['plan']}{' (a new plan)' if s.get('new_plan') else ''}  (layout: {s['layout']})")
        w(f"Update date: {s['update_date']}" + (f" ({s['update_date_reason']})" if s.get("update_date_reason") else ""))
        if s.get("profile"):
            w(f"Import profile: {s['profile']}")
        for info in s.get("sheets", []):
            if info.get("recognised") or info.get("unsure"):
                cols = [c for c in info.get("columns", []) if c.get("header") or c.get("field")]
                mapped = ", ".join(f'{c["letter"]} "{c["header"]}" = {c["field"] or "not imported"}' for c in cols)
                w(f'  Sheet "{info["sheet"]}", header row {info.get("header_row")}: {mapped}')
        for rule in s.get("rules", []):
            w(f"  {rule}")
        for kind in ("created", "updated", "unchanged"):
            counts = ", ".join(f"{n} {k}" for k, n in s[kind].items() if n)
            w(f"  {kind.capitalize():<10} {counts or 'nothing'}")
        for item in s["skipped"]:
            w(f'  Skipped sheet "{item["sheet"]}": {item["reason"]}')
        if s["missing"]:
            w(f"  {len(s['missing'])} activities in the plan are not in the file (reported, not deleted):")
            for m in s["missing"][:20]:
                w(f"    {m['ref']} {m['sub_ref']} {m['text'][:70]}")
        for level in ("errors", "warnings"):
            for p in s[level]:
                where = ", ".join(
                    x
                    for x in (
                        f"sheet {p['sheet']}" if p["sheet"] else "",
                        f"row {p['row']}" if p["row"] else "",
                        f"column {p['column']}" if p["column"] else "",
                    )
                    if x
                )
                w(
                    f"  {level[:-1].upper()}: {where}: {p['message']}"
                    if where
                    else f"  {level[:-1].upper()}: {p['message']}"
                )
        if any(info.get("unsure") or not info.get("recognised") for info in s.get("sheets", [])) and s["errors"]:
            w('  Say what each column holds with --map "Header text=field" (and --profile NAME to keep it).')
        if s["errors"]:
            w(self.style.ERROR("Nothing was written: fix the errors and import again."))
        elif applied:
            w(self.style.SUCCESS("Applied."))
        else:
            w("Dry run: nothing was written.")


def _dumps(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str)
