import time

from django.core.management.base import BaseCommand, CommandError

from delivery import scale


class Command(BaseCommand):
    help = (
        "Add data at the size of a whole region for benchmarks and load tests: plans, activities and their "
        "progress updates (and, from the apps that register a step, measures, observations and meetings). "
        "Bulk writes (COPY on PostgreSQL). Not for a live database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--activities", type=int, default=20_000)
        parser.add_argument("--updates", type=int, default=200_000, help="Progress updates in all (at least one each).")
        parser.add_argument("--measures", type=int, default=0)
        parser.add_argument("--observations", type=int, default=0)
        parser.add_argument("--meetings", type=int, default=0)
        parser.add_argument("--seed", type=int, default=20261129)

    def handle(self, *args, activities, updates, measures, observations, meetings, seed, **options):
        if activities < 1 or updates < 0:
            raise CommandError("--activities must be at least 1 and --updates not negative.")
        started = time.perf_counter()
        result = scale.seed_scale(
            activities=activities,
            updates=updates,
            seed=seed,
            options={"measures": measures, "observations": observations, "meetings": meetings},
        )
        took = time.perf_counter() - started
        counts = ", ".join(f"{n:,} {k}" for k, n in result.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Added {counts} in {took:.1f} s."))
        asked = {k: v for k, v in (("measures", measures), ("observations", observations), ("meetings", meetings))}
        for name, n in asked.items():
            if n and name not in result.counts:
                self.stdout.write(f"  {name}: no installed app adds these yet; nothing added.")
