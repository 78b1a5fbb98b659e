"""Builds the demo plan from delivery/demo_content.py through the services, with two years of dated
progress updates. Deterministic (seeded), and safe to run twice: a second run changes nothing."""

from __future__ import annotations

import calendar
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from core.roles import Role

from . import demo_content as content
from . import services
from .models import Activity, OversightBody, Owner, Plan, Rag, Status

DEMO_PASSWORD = "tracker-demo"  # noqa: S105 - the documented demo login, not a secret

# Other apps add their demo data after the plan's (registered from their AppConfig.ready(); delivery
# never imports them). A step gets the demo plan and today's date, and must be safe to run twice.
_demo_steps: list[Callable[..., None]] = []


def register_demo_step(step: Callable[..., None]) -> None:
    if step not in _demo_steps:
        _demo_steps.append(step)


def unregister_demo_step(step: Callable[..., None]) -> None:
    if step in _demo_steps:
        _demo_steps.remove(step)


def run_demo_steps(*, plan: Plan, today: date) -> None:
    for step in _demo_steps:
        step(plan=plan, today=today)


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: Role
    owner_names: tuple[str, ...] = ()


DEMO_USERS = (
    DemoUser("admin", "Alex", "Morgan", Role.ADMINISTRATOR),
    DemoUser("editor", "Jo", "Hadley", Role.EDITOR),
    DemoUser("owner", "Sam", "Okafor", Role.OWNER),
    DemoUser("chief", "Priya", "Lawson", Role.CHIEF_EXECUTIVE),
    DemoUser("viewer", "Chris", "Barnes", Role.VIEWER),
)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def date_text_for(due: date, rng: random.Random) -> str:
    style = rng.choice(["By {m} {y}", "{m} {y}", "Complete by {m} {y}", "Achieve by {m} {y}"])
    return style.format(m=due.strftime("%b"), y=due.strftime("%y"))


def ensure_users(stdout=None) -> dict[str, object]:
    User = get_user_model()
    users = {}
    password_hash = None  # every demo login shares one password: hash it once, not five times
    for du in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=du.username,
            defaults={"first_name": du.first_name, "last_name": du.last_name, "email": f"{du.username}@example.org"},
        )
        if created:
            password_hash = password_hash or make_password(DEMO_PASSWORD)
            user.password = password_hash
            user.is_superuser = du.role == Role.ADMINISTRATOR
            user.save()
        users[du.username] = user
    admin = users["admin"]
    for du in DEMO_USERS:
        services.user_set_role(by=admin, user=users[du.username], role=du.role)
    return users


@transaction.atomic
def seed(*, today: date, rng_seed: int = 2026) -> tuple[Plan, bool]:
    """Create the demo plan and users. Returns (plan, created)."""
    users = ensure_users()
    existing = Plan.objects.filter(name=content.PLAN_NAME).first()
    if existing:
        return existing, False

    rng = random.Random(rng_seed)
    admin, editor, owner_user = users["admin"], users["editor"], users["owner"]
    owners = {name: services.owner_get_or_create(by=admin, name=name) for name in content.OWNERS}
    for o in owners.values():
        o.is_team = not any(rank in o.name for rank in ("Supt", "Insp", "CI ", "DCI", "ACC", "DCC", "Sgt", "Manager"))
    Owner.objects.bulk_update(owners.values(), ["is_team"])
    bodies = {
        b["name"]: OversightBody.objects.filter(name=b["name"]).first() or services.oversight_body_create(by=admin, **b)
        for b in content.OVERSIGHT_BODIES
    }

    plan = services.plan_create(by=admin, name=content.PLAN_NAME, description=content.PLAN_DESCRIPTION)
    start = today - timedelta(days=730)
    activities: list[Activity] = []
    for o_data in content.OBJECTIVES:
        objective = services.objective_create(by=admin, plan=plan, title=o_data["title"])
        for s_data in o_data["sections"]:
            section = services.section_create(by=admin, objective=objective, title=s_data["title"])
            for c_data in s_data["commitments"]:
                commitment = services.commitment_create(
                    by=admin, objective=objective, section=section, ref=c_data["ref"], text=c_data["text"]
                )
                for a_data in c_data["activities"]:
                    created_on = start + timedelta(days=rng.randint(0, 90))
                    ongoing = rng.random() < 0.08
                    due = None
                    if not ongoing:
                        months_ahead = rng.randint(7, 40)
                        y, m = divmod(created_on.month - 1 + months_ahead, 12)
                        due = month_end(created_on.year + y, m + 1)
                    start_date = created_on.replace(day=1) if rng.random() < 0.3 else None
                    activities.append(
                        services.activity_create(
                            by=admin,
                            commitment=commitment,
                            sub_ref=a_data["sub_ref"],
                            text=a_data["text"],
                            owners=[owners[n] for n in a_data["owners"]],
                            owner_text=" / ".join(a_data["owners"]),
                            oversight_bodies=[bodies[n] for n in a_data["oversight"]],
                            start_date=start_date,
                            due_date=due,
                            date_text="Ongoing" if ongoing else date_text_for(due, rng),
                            on=created_on,
                        )
                    )

    # The demo owner login owns the names with the most activities between them.
    busiest = sorted(owners.values(), key=lambda o: -o.activities.count())[:2]
    for o in busiest:
        o.user = owner_user
        o.save(update_fields=["user"])

    _write_history(activities, today=today, rng=rng, authors=[editor, editor, admin])
    return plan, True


# Where each activity ends up, weighted; every status and RAG appears.
ENDINGS = [
    (Status.COMPLETE, Rag.GREEN, 26),
    (Status.IN_PROGRESS, Rag.GREEN, 34),
    (Status.IN_PROGRESS, Rag.AMBER, 22),
    (Status.IN_PROGRESS, Rag.RED, 10),
    (Status.NOT_STARTED, Rag.NOT_RATED, 8),
    (Status.NOT_STARTED, Rag.AMBER, 4),
    (Status.ON_HOLD, Rag.AMBER, 7),
    (Status.CLOSED, Rag.NOT_RATED, 5),
    (Status.IN_PROGRESS, Rag.NOT_RATED, 4),
]


def _texts_for(status: str, rag: str) -> str:
    if status == Status.COMPLETE:
        return "complete"
    if status == Status.ON_HOLD:
        return "on_hold"
    if status == Status.CLOSED:
        return "closed"
    if status == Status.NOT_STARTED:
        return "not_started"
    return {Rag.RED: "red", Rag.AMBER: "amber"}.get(rag, "green")


def _write_history(activities: list[Activity], *, today: date, rng: random.Random, authors: list) -> None:
    endings = [e for status, rag, weight in ENDINGS for e in [(status, rag)] * weight]
    rng.shuffle(endings)
    for i, activity in enumerate(activities):
        final_status, final_rag = endings[i % len(endings)]
        n_updates = rng.choice([1, 2, 3, 3, 3, 4, 4, 5, 6])
        span = (today - activity.created_on).days
        days = sorted(rng.sample(range(14, span), k=min(n_updates, span - 14)))
        # Stale on purpose: some open activities stop being updated long before today.
        if final_status in (Status.IN_PROGRESS, Status.NOT_STARTED) and rng.random() < 0.2:
            days = [d for d in days if d < span - 120] or days[:1]
        owner_users = [o.user for o in activity.owners.all() if o.user]
        for step, day in enumerate(days):
            last = step == len(days) - 1
            if last:
                status, rag = final_status, final_rag
            elif final_status == Status.NOT_STARTED:
                status, rag = Status.NOT_STARTED, rng.choice([Rag.NOT_RATED, Rag.GREEN])
            else:
                status = Status.IN_PROGRESS
                rag = rng.choice([Rag.GREEN, Rag.GREEN, Rag.AMBER, Rag.RED if step else Rag.GREEN])
            key = _texts_for(status, rag)
            by = rng.choice(owner_users + authors) if owner_users else rng.choice(authors)
            services.activity_record_update(
                activity=activity,
                by=by,
                seen_version=activity.version,
                text=rng.choice(content.UPDATE_TEXTS[key]),
                rag=rag,
                status=status,
                on=activity.created_on + timedelta(days=day),
            )
