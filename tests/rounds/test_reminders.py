"""Reminders go only to owners who have not updated, on the configured days around the deadline, never on
weekends or bank holidays, and once per person per round per day however often the task runs."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail

from core.notify import is_working_day
from delivery import services as delivery_services
from rounds import services, tasks
from rounds.models import UpdateRound

DEADLINE = date(2026, 1, 14)  # a Wednesday


@pytest.fixture
def reminding(settings, open_round):
    settings.ROUND_REMINDER_DAYS_BEFORE = "7,2"
    settings.ROUND_REMINDER_DAYS_AFTER = "1,3,7"
    rnd, acts = open_round
    UpdateRound.objects.filter(pk=rnd.pk).update(deadline=DEADLINE)
    mail.outbox.clear()
    return rnd, acts


def sent_on(day: date) -> list[str]:
    mail.outbox.clear()
    services.round_send_reminders(on=day)
    return sorted(m.to[0] for m in mail.outbox)


def test_reminders_go_only_to_owners_who_have_not_updated(reminding):
    _rnd, acts = reminding
    digital = acts["a3"].owners.get().user
    delivery_services.activity_record_update(
        activity=acts["a3"], by=digital, seen_version=acts["a3"].version, text="Supplier chosen.", rag="G"
    )
    assert sent_on(date(2026, 1, 7)) == ["owner@example.org"]  # 7 days before; Digital Services has updated
    body = mail.outbox[0].body
    assert acts["a1"].text[:40] in body and acts["a3"].text[:40] not in body
    assert "due in 7 days" in body


def test_reminders_only_on_the_configured_days(reminding):
    expected = {
        date(2026, 1, 7): True,  # 7 before
        date(2026, 1, 8): False,
        date(2026, 1, 12): True,  # 2 before
        date(2026, 1, 14): False,  # the deadline itself
        date(2026, 1, 15): True,  # 1 after
        date(2026, 1, 16): False,
        date(2026, 1, 17): False,  # 3 after, but a Saturday
        date(2026, 1, 21): True,  # 7 after
    }
    got = {day: bool(sent_on(day)) for day in expected}
    assert got == expected


def test_no_reminders_on_a_bank_holiday(reminding):
    rnd, _ = reminding
    UpdateRound.objects.filter(pk=rnd.pk).update(deadline=date(2025, 8, 27))
    assert not is_working_day(date(2025, 8, 25))  # the summer bank holiday, 2 days before
    assert sent_on(date(2025, 8, 25)) == []
    assert sent_on(date(2025, 8, 20)) != []  # 7 days before, a Wednesday


def test_running_twice_on_a_day_sends_once(reminding):
    assert tasks.send_round_reminders.apply(args=["2026-01-12"]).get() == 2  # beat fires...
    assert tasks.send_round_reminders.apply(args=["2026-01-12"]).get() == 0  # ...and fires again
    assert services.round_send_reminders(on=date(2026, 1, 12)) == 0
    assert len(mail.outbox) == 2
    assert services.round_send_reminders(on=date(2026, 1, 15)) == 2  # another reminder day: sent again


def test_no_reminders_for_a_closed_round(reminding, editor):
    rnd, _ = reminding
    services.round_close(by=editor, rnd=rnd)
    assert sent_on(date(2026, 1, 12)) == []
