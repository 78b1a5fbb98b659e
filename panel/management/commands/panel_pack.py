from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from panel import selectors, services


def _date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f'{option} "{value}" is not a date in the form YYYY-MM-DD.') from None


class Command(BaseCommand):
    help = (
        "Draft a panel report for a plan and period and write its agenda pack (covering report .docx and "
        ".pdf, Appendix 1 .docx and .xlsx, performance summary .docx) to a folder, with SHA256SUMS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help="The plan's name or slug.")
        parser.add_argument("--from", dest="period_from", required=True, help="The last report's date, YYYY-MM-DD.")
        parser.add_argument("--as-at", dest="as_at", required=True, help="YYYY-MM-DD.")
        parser.add_argument("--output", required=True, help="The folder to write the files to (created if missing).")
        parser.add_argument("--meeting-date", dest="meeting_on", help="The panel meeting, YYYY-MM-DD (default: as at).")
        parser.add_argument("--meeting-title", default="", help='Default "Police and Crime Panel".')
        parser.add_argument(
            "--user", help="The editor or administrator the report is made by (default: the first superuser)."
        )

    def handle(self, *args, plan, period_from, as_at, output, meeting_on=None, meeting_title="", user=None, **options):
        plan_obj = selectors.plan_by_name(plan)
        if plan_obj is None:
            names = ", ".join(p.name for p in selectors.plans()) or "none"
            raise CommandError(f'No plan called "{plan}". Plans: {names}.')
        start, day = _date(period_from, "--from"), _date(as_at, "--as-at")
        meeting = _date(meeting_on, "--meeting-date") if meeting_on else day
        users = get_user_model().objects.filter(is_active=True)
        by = users.filter(username=user).first() if user else users.filter(is_superuser=True).order_by("pk").first()
        if by is None:
            raise CommandError(f'No user "{user}".' if user else "No superuser to make the report as; give --user.")
        folder = Path(output)
        folder.mkdir(parents=True, exist_ok=True)
        try:
            report = services.report_create(
                by=by,
                plan=plan_obj,
                period_from=start,
                as_at=day,
                meeting_on=meeting,
                meeting_title=meeting_title or "Police and Crime Panel",
            )
            pack = services.pack_generate_now(by=by, report=report)
        except ValidationError as e:
            raise CommandError(" ".join(e.messages)) from None
        if pack.state != pack.State.DONE:
            raise CommandError(pack.error or "The pack could not be generated.")
        sums = []
        for f in pack.files:
            with default_storage.open(f["path"], "rb") as src:
                (folder / f["name"]).write_bytes(src.read())
            sums.append(f"{f['checksum']}  {f['name']}")
            self.stdout.write(f"Wrote {folder / f['name']} ({f['label']})")
        (folder / "SHA256SUMS").write_text("\n".join(sums) + "\n")
        self.stdout.write(f"Panel report {report.pk} (draft) and pack {pack.pk}: {len(pack.files)} files in {folder}.")
