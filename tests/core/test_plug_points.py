"""The plug points other apps use: an overdue source registered from outside delivery shows in the
review, the JSON command and the CSV, beside delivery's own activities."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse

from core.dates import today
from delivery import overdue
from delivery.models import Status
from tests.factories import PASSWORD, make_activity

pytestmark = pytest.mark.django_db


def fake_actions(as_at: date, plan) -> list[overdue.OverdueItem]:
    due = as_at - timedelta(days=12)
    return [
        overdue.OverdueItem(
            kind="test action",
            plan="",
            ref="HTA-7",
            title="Report back on rural crime response times",
            owners=("Supt Paley",),
            due=due,
            days_overdue=(as_at - due).days,
            url="/elsewhere/7/",
        )
    ]


@pytest.fixture
def registered():
    overdue.register("test action", fake_actions)
    yield
    overdue.unregister("test action")


def test_a_registered_source_appears_in_the_review_the_command_and_the_csv(client, chief, registered, capsys):
    make_activity(text="Roll out body-worn video", due_date=today() - timedelta(days=3), status=Status.IN_PROGRESS)
    items = overdue.overdue_items(as_at=today())
    assert (items[0].kind, items[0].ref) == ("test action", "HTA-7")  # most overdue first
    assert {i.kind for i in items} == {"activity", "test action"}

    call_command("overdue", "--json")
    listed = json.loads(capsys.readouterr().out)
    assert {"kind": "test action", "ref": "HTA-7", "days_overdue": 12} == {
        k: v for k, v in listed[0].items() if k in ("kind", "ref", "days_overdue")
    }

    assert client.login(username=chief.username, password=PASSWORD)
    page = client.get(reverse("overdue")).content.decode()
    assert "Report back on rural crime response times" in page and "Roll out body-worn video" in page
    csv = client.get(reverse("overdue") + "?_export=csv").getvalue().decode("utf-8-sig")  # streamed
    assert "HTA-7" in csv


def test_unregistering_removes_the_source(registered):
    overdue.unregister("test action")
    assert all(i.kind != "test action" for i in overdue.overdue_items(as_at=today()))
