"""Factories. Activities are made through the service, so each has its "created" progress update,
as real ones do; `make_many_activities` bulk-writes the same rows for large query-count tests."""

from __future__ import annotations

from datetime import date, timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core.dates import today as core_today
from core.text import natural_key
from delivery import services
from delivery.models import (
    Activity,
    Commitment,
    Objective,
    OversightBody,
    Owner,
    Plan,
    ProgressUpdate,
    Rag,
    Section,
    Status,
    link_trails,
)

PASSWORD = "correct-horse-battery"


def make_user(username: str, *, role: str | None = None, is_superuser: bool = False, **extra):
    User = get_user_model()
    user = User.objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.org", is_superuser=is_superuser, **extra
    )
    if role:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        if role == "Administrator":
            user.is_staff = True
            user.save()
    return user


def system_user():
    User = get_user_model()
    user = User.objects.filter(username="factory-admin").first()
    return user or make_user("factory-admin", role="Administrator", is_superuser=True)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    name = factory.Sequence(lambda n: f"Safer Test Plan {n}")


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    plan = factory.SubFactory(PlanFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Objective {n}")


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    objective = factory.SubFactory(ObjectiveFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = "Policing element"


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    objective = factory.SubFactory(ObjectiveFactory)
    plan = factory.SelfAttribute("objective.plan")
    section = None
    ref = factory.Sequence(lambda n: f"{n + 1}.1")
    text = factory.Sequence(lambda n: f"Commitment text {n}")


class OwnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Owner
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Supt Owner{n}")


class OversightBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OversightBody

    name = factory.Sequence(lambda n: f"Board {n}")


def make_activity(
    *, commitment: Commitment | None = None, owners=(), on: date | None = None, by=None, **fields
) -> Activity:
    commitment = commitment or CommitmentFactory()
    fields.setdefault("text", "Deliver the thing")
    return services.activity_create(by=by or system_user(), commitment=commitment, owners=list(owners), on=on, **fields)


# With the status cycle below: overdue in progress, overdue not started, complete, on hold due soon,
# closed. So every list (overdue, due soon, no recent update) has rows whatever the size.
DUE_OFFSETS = (-90, -30, 10, 20, 200)


def make_many_activities(
    n: int,
    *,
    plan: Plan | None = None,
    owners_per_activity: int = 2,
    n_commitments: int | None = None,
    updates: int = 2,
) -> Plan:
    """A plan with `n` activities over 4 objectives x 2 sections, each with owners, an oversight body
    and two progress updates, written in bulk."""
    plan = plan or PlanFactory()
    objectives = [Objective.objects.create(plan=plan, order=i + 1, title=f"Objective {i + 1}") for i in range(4)]
    sections = [
        Section.objects.create(objective=o, order=j + 1, title=f"Section {j + 1}") for o in objectives for j in range(2)
    ]
    owners = [Owner.objects.get_or_create(name=f"Owner {i}")[0] for i in range(30)]
    body = OversightBody.objects.get_or_create(name="Victims' Board")[0]
    n_commitments = n_commitments or max(1, n // 3)
    commitments = Commitment.objects.bulk_create(
        Commitment(
            plan=plan,
            objective=sections[i % 8].objective,
            section=sections[i % 8],
            ref=f"{i % 8 + 1}.{i + 1}",
            ref_key=natural_key(f"{i % 8 + 1}.{i + 1}"),
            text=f"Commitment {i}",
        )
        for i in range(n_commitments)
    )
    start = date(2025, 1, 1)
    today = core_today()
    rags = [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.NOT_RATED]
    statuses = [Status.IN_PROGRESS, Status.NOT_STARTED, Status.COMPLETE, Status.ON_HOLD, Status.CLOSED]
    activities = Activity.objects.bulk_create(
        Activity(
            commitment=commitments[i % n_commitments],
            position=i // n_commitments + 1,
            sub_ref=f"{commitments[i % n_commitments].ref}.{i // n_commitments + 1}",
            sub_ref_key=natural_key(f"{commitments[i % n_commitments].ref}.{i // n_commitments + 1}"),
            text=f"Activity {i}",
            owner_text=f"Owner {i % 30}",
            due_date=today + timedelta(days=DUE_OFFSETS[i % 5] + i % 3),
            rag=rags[i % 4],
            status=statuses[i % 5],
            progress=f"Progress on activity {i} (update {updates - 1})",
            progress_on=start + timedelta(days=10 * (updates - 1)),
            last_update_on=start + timedelta(days=10 * (updates - 1)),
            created_on=start,
            version=2,
        )
        for i in range(n)
    )
    through = Activity.owners.through
    through.objects.bulk_create(
        through(activity_id=a.pk, owner_id=owners[(i + k) % 30].pk)
        for i, a in enumerate(activities)
        for k in range(owners_per_activity)
    )
    Activity.oversight_bodies.through.objects.bulk_create(
        Activity.oversight_bodies.through(activity_id=a.pk, oversightbody_id=body.pk) for a in activities
    )
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(
            activity=a,
            on=on,
            kind=kind,
            text=text,
            rag=a.rag,
            status=a.status,
            due_date=a.due_date,
        )
        for i, a in enumerate(activities)
        for on, kind, text in (
            (start, ProgressUpdate.Kind.CREATED, ""),
            *(
                (start + timedelta(days=10 * k), ProgressUpdate.Kind.UPDATE, f"Progress on activity {i} (update {k})")
                for k in range(1, updates)
            ),
        )
    )
    link_trails(a.pk for a in activities)
    return plan
