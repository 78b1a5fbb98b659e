from __future__ import annotations

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from core.dates import today
from notifications import services


class Command(BaseCommand):
    help = "Send today's digest emails now (each person at most once per period; none on bank holidays)."

    def add_arguments(self, parser):
        parser.add_argument("--on", help="The day to send as, YYYY-MM-DD (default today).")

    def handle(self, *args, on: str | None = None, **options):
        try:
            day = date.fromisoformat(on) if on else today()
        except ValueError as exc:
            raise CommandError(f"--on must be a date as YYYY-MM-DD, not {on!r}.") from exc
        try:
            run = services.send_digests(on=day)
        except services.DigestsFailed as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps(run.as_dict()))
