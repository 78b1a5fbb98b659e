"""seed_scale: region-sized data whose activities agree with their trails, written in bulk."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from delivery import selectors, services
from delivery.models import Activity, Commitment, ProgressUpdate

pytestmark = pytest.mark.django_db


def test_seed_scale_writes_activities_whose_state_is_their_latest_update(editor, capsys):
    call_command("seed_scale", "--activities", "300", "--updates", "1500")
    assert "300 activities, 1,500 updates" in capsys.readouterr().out
    assert Activity.objects.count() == 300 and ProgressUpdate.objects.count() == 1500
    for a in Activity.objects.all():
        latest = ProgressUpdate.objects.filter(activity=a).order_by("-on", "-id").first()
        state = (a.rag, a.status, a.due_date, a.last_update_on)
        assert (latest.rag, latest.status, latest.due_date, latest.on) == state
        assert a.version == a.updates.count()
    rebuilt = {a.pk: (a.at_rag, a.at_status, a.at_due) for a in selectors.activities_as_at(as_at=None)}
    assert rebuilt == {a.pk: (a.rag, a.status, a.due_date) for a in Activity.objects.all()}
    assert {a.at_status for a in selectors.activities_as_at(as_at=None)} >= {"in_progress", "complete", "not_started"}
    # The tables' sequences moved past the copied ids: the services go on adding as usual.
    added = services.activity_create(by=editor, commitment=Commitment.objects.first(), text="One more")
    assert added.pk > max(Activity.objects.exclude(pk=added.pk).values_list("pk", flat=True))


def test_seed_scale_twice_adds_more_plans_with_new_names():
    call_command("seed_scale", "--activities", "50", "--updates", "50", "--seed", "1")
    call_command("seed_scale", "--activities", "50", "--updates", "50", "--seed", "1")
    assert Activity.objects.count() == 100
    assert Commitment.objects.values("plan").distinct().count() == 2
