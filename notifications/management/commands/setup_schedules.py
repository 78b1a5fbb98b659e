"""Create the default beat schedules in django-celery-beat's tables (Admin > Periodic tasks). Safe to
run again: a schedule already there is left as the administrators last edited it (--reset puts the
defaults back)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from config.celery import app

ROUND_REMINDERS = "rounds.tasks.send_round_reminders"
WAITING = "Waiting for its task to be installed: `setup_schedules` turns it on once it is."


def default_schedules() -> list[dict]:
    """(name, task, schedule, description) for each default schedule."""
    digest = settings.DEFAULT_BEAT_SCHEDULE["digests"]["schedule"]
    return [
        {
            "name": "Digest emails (daily and weekly)",
            "task": "notifications.tasks.send_digests",
            "crontab": {
                "minute": "0",
                "hour": str(settings.DIGEST_HOUR),
                "day_of_week": ",".join(str(d) for d in sorted(digest.day_of_week)),
            },
            "description": "Each working day: daily digests, and on the week's first working day the weekly "
            "ones. Weekends and bank holidays are skipped by the task itself.",
        },
        {
            "name": "Sweep stuck jobs",
            "task": "core.tasks.sweep_stuck_jobs",
            "interval": settings.JOB_SWEEP_SECONDS,
            "description": "Re-queues imports and extracts whose worker was lost.",
        },
        {
            "name": "Update-round reminders",
            "task": ROUND_REMINDERS,
            "crontab": {"minute": "0", "hour": str(settings.ROUND_REMINDER_HOUR), "day_of_week": "1,2,3,4,5"},
            "description": "Reminds owners who have not yet updated in an open round.",
        },
    ]


class Command(BaseCommand):
    help = "Create the default beat schedules (digests, job sweeper, update-round reminders); idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Put every default schedule back as it was.")

    @transaction.atomic
    def handle(self, *args, reset: bool = False, **options):
        app.loader.import_default_modules()  # registers every app's tasks
        for spec in default_schedules():
            registered = spec["task"] in app.tasks
            if "interval" in spec:
                schedule, _ = IntervalSchedule.objects.get_or_create(
                    every=spec["interval"], period=IntervalSchedule.SECONDS
                )
                kind = {"interval": schedule, "crontab": None}
            else:
                schedule, _ = CrontabSchedule.objects.get_or_create(
                    **spec["crontab"], day_of_month="*", month_of_year="*", timezone=settings.TIME_ZONE
                )
                kind = {"crontab": schedule, "interval": None}
            description = spec["description"] if registered else f"{spec['description']} {WAITING}"
            task = PeriodicTask.objects.filter(name=spec["name"]).first()
            if task is None or reset:
                PeriodicTask.objects.update_or_create(
                    name=spec["name"],
                    defaults={"task": spec["task"], "enabled": registered, "description": description, **kind},
                )
                self.stdout.write(
                    f"{'Reset' if task else 'Created'}: {spec['name']}"
                    + ("" if registered else " (off: task not installed yet)")
                )
            elif registered and not task.enabled and task.description.endswith(WAITING):
                task.enabled = True
                task.description = spec["description"]
                task.save()
                self.stdout.write(f"Turned on: {spec['name']} (its task is now installed)")
            else:
                self.stdout.write(f"Unchanged: {spec['name']}")
