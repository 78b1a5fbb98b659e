import json
from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command

from core.dates import today
from core.status import overdue_q
from delivery.models import Activity, Commitment, Objective, OversightBody, Owner, Plan, ProgressUpdate, Rag, Status
from tests.factories import OwnerFactory, make_activity

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_overdue_json_lists_objects_with_the_agreed_keys(editor):
    a = make_activity(
        sub_ref="1.1.2",
        text="Refresh the victims' code leaflet",
        due_date=date(2025, 5, 31),
        on=date(2025, 1, 1),
        status=Status.IN_PROGRESS,
        owners=[OwnerFactory(name="Victim Services Manager"), OwnerFactory(name="OPU")],
    )
    make_activity(due_date=date(2030, 1, 1), on=date(2025, 1, 1))
    (item,) = json.loads(run("overdue", "--as-at", "2025-06-10", "--json"))
    assert item["kind"] == "activity"
    assert item["plan"] == a.commitment.plan.name
    assert item["ref"] == f"{a.commitment.ref} / 1.1.2"
    assert item["title"] == "Refresh the victims' code leaflet"
    assert sorted(item["owners"]) == ["OPU", "Victim Services Manager"]
    assert item["due"] == "2025-05-31" and item["days_overdue"] == 10


def test_overdue_filters_by_plan_and_says_when_a_plan_is_unknown(editor):
    a = make_activity(due_date=date(2025, 5, 31), on=date(2025, 1, 1))
    make_activity(due_date=date(2025, 5, 31), on=date(2025, 1, 1))
    items = json.loads(run("overdue", "--json", "--plan", a.commitment.plan.name))
    assert [i["plan"] for i in items] == [a.commitment.plan.name]
    with pytest.raises(CommandError, match='No plan called "Nope"'):
        run("overdue", "--plan", "Nope")
    with pytest.raises(CommandError, match="not a date"):
        run("overdue", "--as-at", "31/05/2025")


def test_overdue_text_output_groups_by_owner(editor):
    make_activity(due_date=date(2025, 5, 31), on=date(2025, 1, 1), owners=[OwnerFactory(name="Supt Paley")])
    out = run("overdue", "--as-at", "2025-06-30")
    assert "1 overdue as at 30 Jun 2025" in out and "Supt Paley (1)" in out and "30 days overdue" in out


def test_seed_demo_builds_a_realistic_plan_once():
    out = run("seed_demo")
    assert "Created" in out and "tracker-demo" in out
    counts = (
        Plan.objects.count(),
        Objective.objects.count(),
        Commitment.objects.count(),
        Activity.objects.count(),
        Owner.objects.count(),
        OversightBody.objects.count(),
        ProgressUpdate.objects.count(),
    )
    assert counts[:3] == (1, 4, 40)
    assert 110 <= counts[3] <= 130 and 25 <= counts[4] <= 40 and 12 <= counts[5] <= 20
    assert 350 <= counts[6] - counts[3] <= 500  # updates besides each activity's "created" entry
    assert set(Activity.objects.values_list("status", flat=True)) == set(Status.values)
    assert set(Activity.objects.values_list("rag", flat=True)) == set(Rag.values)
    overdue = Activity.objects.filter(overdue_q(today())).count()
    assert 5 <= overdue <= 45
    span = ProgressUpdate.objects.order_by("on").values_list("on", flat=True)
    assert span.first() <= today() - timedelta(days=600)
    assert "already exists" in run("seed_demo")
    assert ProgressUpdate.objects.count() == counts[6] and Activity.objects.count() == counts[3]


def test_seed_demo_gives_one_login_per_role():
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    from core.roles import role_of

    run("seed_demo")
    request = RequestFactory().post("/accounts/login/")  # the sign-in backends (django-axes) need the request
    roles = {
        u: role_of(authenticate(request, username=u, password="tracker-demo"))
        for u in ["admin", "editor", "owner", "chief", "viewer"]
    }
    assert [r.value for r in roles.values()] == ["Administrator", "Editor", "Owner", "Chief Executive", "Viewer"]
    assert Owner.objects.filter(user__username="owner").exists()
