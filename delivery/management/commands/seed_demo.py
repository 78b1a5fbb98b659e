from django.core.management.base import BaseCommand

from core.dates import today
from delivery import demo
from delivery.models import Activity, ProgressUpdate


class Command(BaseCommand):
    help = "Create the demo plan, two years of progress updates and one login per role. Safe to run twice."

    def handle(self, *args, **options):
        plan, created = demo.seed(today=today())
        if created:
            acts = Activity.objects.filter(commitment__plan=plan)
            ups = ProgressUpdate.objects.filter(activity__commitment__plan=plan)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Created {plan.name}: {plan.commitments.count()} commitments, {acts.count()} activities, "
                    f"{ups.count()} progress updates."
                )
            )
        else:
            self.stdout.write(f"{plan.name} already exists; nothing changed.")
        demo.run_demo_steps(plan=plan, today=today())
        self.stdout.write(f"Demo logins (password for all: {demo.DEMO_PASSWORD}):")
        for du in demo.DEMO_USERS:
            self.stdout.write(f"  {du.username:<8} {du.role.value}")
