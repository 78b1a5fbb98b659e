"""Digest emails: who gets what, at most once per period, never empty, never on a bank holiday."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection

from core.models import SentNotification
from core.notify import is_working_day, send_once
from delivery.models import Status
from notifications import services
from notifications.models import NotificationSettings
from tests.factories import OwnerFactory, make_activity, make_user

from .conftest import BANK_HOLIDAY_MONDAY, MONDAY

pytestmark = pytest.mark.usefixtures("locmem")


def _to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


def test_an_owner_gets_their_overdue_and_due_soon_items_across_kinds_with_links_in_text_and_html(world):
    services.send_digests(on=MONDAY)
    (message,) = _to("paley@example.org")
    assert message.subject == "Your items: 2 overdue and 1 due soon"
    text, (html, mimetype) = message.body, message.alternatives[0]
    assert mimetype == "text/html"
    for part in (text, html):
        assert "Refresh the ANPR camera network" in part
        assert "Report on stop and search scrutiny panel findings" in part
        assert "Publish the rural crime action plan" in part
        assert "Replace the records management system" not in part  # not theirs
        assert f"https://tracker.opcc.example{world['late'].get_absolute_url()}" in part
        assert f"https://tracker.opcc.example{world['action'].get_absolute_url()}" in part
        assert "https://tracker.opcc.example/account/notifications/" in part
    assert "in 5 days" in text and "30 days overdue" in text


def test_the_chief_executive_gets_everything_overdue_grouped_by_owner(world):
    services.send_digests(on=MONDAY)
    (message,) = _to("chief-exec@example.org")
    assert message.subject == "Overdue review: 3 items across 2 owners"
    body = message.body
    assert "Supt Paley (2)" in body and "Digital Services (1)" in body
    assert (
        body.index("Supt Paley (2)")
        < body.index("Refresh the ANPR camera network")
        < body.index("Digital Services (1)")
    )
    assert "Publish the rural crime action plan" not in body  # due soon is not overdue
    assert "<h2" in message.alternatives[0][0] and "https://tracker.opcc.example/overdue/" in body


def test_running_the_digests_twice_sends_each_person_one_email(world):
    first = services.send_digests(on=MONDAY)
    second = services.send_digests(on=MONDAY)
    assert (first.sent, second.sent, second.already_sent) == (2, 0, 2)
    assert len(mail.outbox) == 2
    assert set(SentNotification.objects.values_list("key", flat=True)) == {
        f"digest:{world['owner'].pk}:2025-W27",
        f"digest:{world['chief'].pk}:2025-W27",
    }


def test_a_digest_is_never_sent_empty(db):
    make_user("chief-exec", role="Chief Executive")
    idle = make_user("idle", role="Owner")
    OwnerFactory(name="CI Preece", user=idle)  # owns nothing
    run = services.send_digests(on=MONDAY)
    assert run.sent == 0 and mail.outbox == []


def test_nothing_is_sent_on_a_bank_holiday_and_the_weekly_digest_goes_on_the_next_working_day(world):
    assert not is_working_day(BANK_HOLIDAY_MONDAY)
    run = services.send_digests(on=BANK_HOLIDAY_MONDAY)
    assert run.skipped and mail.outbox == []
    assert services.send_digests(on=BANK_HOLIDAY_MONDAY + timedelta(days=1)).sent == 2
    assert services.send_digests(on=BANK_HOLIDAY_MONDAY + timedelta(days=2)).sent == 0  # once a week


def test_weekends_are_not_working_days_and_ordinary_weekdays_are():
    assert is_working_day(date(2025, 7, 1))
    assert not is_working_day(date(2025, 7, 5)) and not is_working_day(date(2025, 7, 6))
    assert not is_working_day(date(2025, 12, 25)) and not is_working_day(date(2025, 12, 26))


def test_each_person_gets_the_digest_as_often_as_they_chose(world):
    owner, chief = world["owner"], world["chief"]
    services.settings_save(user=owner, digest=NotificationSettings.Digest.DAILY)
    services.settings_save(user=chief, digest=NotificationSettings.Digest.NONE)
    wednesday = MONDAY + timedelta(days=2)
    services.send_digests(on=MONDAY)
    services.send_digests(on=wednesday)
    assert [m.subject.startswith("Your items") for m in mail.outbox] == [True, True]
    assert _to("chief-exec@example.org") == []
    services.settings_save(user=chief, digest=NotificationSettings.Digest.WEEKLY)
    services.send_digests(on=wednesday)  # weekly people get theirs on the week's first working day only
    assert _to("chief-exec@example.org") == []
    assert SentNotification.objects.filter(key=f"digest:{owner.pk}:{wednesday.isoformat()}").exists()


def test_a_person_with_no_email_address_is_skipped(world):
    world["owner"].email = ""
    world["owner"].save()
    assert services.send_digests(on=MONDAY).sent == 1  # the Chief Executive only
    assert not SentNotification.objects.filter(user=world["owner"]).exists()


class FailingBackend:
    """An email backend whose server is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server unavailable")


def test_a_failed_send_releases_its_key_so_a_retry_sends_it(world, settings):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    with pytest.raises(services.DigestsFailed, match="2 digest"):
        services.send_digests(on=MONDAY)
    assert not SentNotification.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.send_digests(on=MONDAY).sent == 2


def test_send_once_sends_text_html_and_attachments_once_per_key(owner_user):
    kwargs = dict(
        key="test:attachments",
        user=owner_user,
        subject="Your update round workbook",
        text_template="notifications/email/owner_digest.txt",
        html_template="notifications/email/owner_digest.html",
        context={"as_at": MONDAY, "overdue": [], "due_soon": []},
        attachments=[("round.csv", b"ref,update\n1.1,\n", "text/csv")],
    )
    assert send_once(**kwargs) is True
    assert send_once(**kwargs) is False
    (message,) = mail.outbox
    assert message.attachments[0][0] == "round.csv" and message.alternatives[0][1] == "text/html"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_send_one_email(world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent claims need PostgreSQL (set DATABASE_URL)")
    barrier = threading.Barrier(2)
    results: list = []

    def run():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            results.append(services.send_digests(on=MONDAY).sent)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(results) == 2 and sum(results) == 2  # each email claimed by one run or the other
    assert len(mail.outbox) == 2


def test_a_chief_executive_who_owns_items_gets_one_email_with_their_own_due_soon_items_in_it(world):
    chief = world["chief"]
    ce_office = OwnerFactory(name="OPCC Chief Executive", user=chief)
    make_activity(
        text="Agree the estates strategy with the Chief Constable",
        due_date=MONDAY + timedelta(days=3),
        on=date(2025, 1, 6),
        status=Status.IN_PROGRESS,
        owners=[ce_office],
    )
    services.send_digests(on=MONDAY)
    (message,) = _to("chief-exec@example.org")
    assert message.subject == "Overdue review: 3 items across 2 owners; 1 of yours due soon"
    for part in (message.body, message.alternatives[0][0]):
        assert "Agree the estates strategy with the Chief Constable" in part
        assert "in 3 days" in part
    assert message.body.index("Digital Services (1)") < message.body.index("YOURS, DUE IN THE NEXT 14 DAYS (1)")


def test_a_chief_executive_with_nothing_overdue_anywhere_still_hears_of_their_own_due_soon_items(db):
    chief = make_user("chief-exec", role="Chief Executive")
    make_activity(
        text="Agree the estates strategy with the Chief Constable",
        due_date=MONDAY + timedelta(days=3),
        on=date(2025, 1, 6),
        status=Status.IN_PROGRESS,
        owners=[OwnerFactory(name="OPCC Chief Executive", user=chief)],
    )
    assert services.send_digests(on=MONDAY).sent == 1
    (message,) = mail.outbox
    assert message.subject == "Overdue review: nothing overdue; 1 of yours due soon"
    assert "nothing is overdue" in message.body and "Agree the estates strategy" in message.body
