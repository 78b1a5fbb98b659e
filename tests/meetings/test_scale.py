"""seed_scale --meetings: holding-to-account meetings at the size of a whole region, written in bulk."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from core.dates import today
from meetings.models import Action, ActionUpdate, AgendaItem, Finding, Meeting

pytestmark = pytest.mark.django_db


def test_seed_scale_adds_meetings_with_agendas_findings_and_actions(capsys, client, editor):
    call_command("seed_scale", activities=100, updates=200, meetings=40, verbosity=0)
    assert "40 meetings, 120 meeting actions" in capsys.readouterr().out
    assert Meeting.objects.count() == 40
    assert AgendaItem.objects.count() == 120 and Finding.objects.count() == 80
    assert Meeting.objects.filter(state=Meeting.State.DRAFT).count() == 3
    assert all(m.held_on < today() for m in Meeting.objects.all())
    # Every action opens its trail; one done or closed has the entry that closed it.
    for action in Action.objects.prefetch_related("updates", "owners"):
        kinds = sorted(u.kind for u in action.updates.all())
        assert kinds == (["created"] if action.status == "open" else ["created", "update"])
        assert action.updates.order_by("-on", "-id").first().status == action.status
        assert action.owners.exists()
    assert {a.status for a in Action.objects.all()} >= {"open", "complete"}
    client.force_login(editor)
    assert client.get("/meetings/").status_code == 200
    assert client.get(Meeting.objects.first().get_absolute_url()).status_code == 200
    added = Action.objects.create(meeting=Meeting.objects.first(), text="One more")
    assert added.pk > max(Action.objects.exclude(pk=added.pk).values_list("pk", flat=True))
    assert ActionUpdate.objects.count() >= 120
