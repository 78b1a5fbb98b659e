"""Writes: a person's notification settings, their look at "what changed", and sending the digests."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import transaction

from core.notify import is_working_day, send_once
from core.roles import ensure_can_read
from delivery import overdue

from . import selectors
from .models import NotificationSettings

log = logging.getLogger(__name__)
Digest = NotificationSettings.Digest


@transaction.atomic
def settings_save(*, user, digest: str) -> NotificationSettings:
    """Set how often `user` gets the digest: daily, weekly or never."""
    ensure_can_read(user)
    if digest not in Digest.values:
        raise ValidationError({"digest": "Choose daily, weekly or never."})
    found, _ = NotificationSettings.objects.select_for_update().get_or_create(user=user)
    found.digest = digest
    found.save(update_fields=["digest"])
    return found


@transaction.atomic
def changes_look(*, user, now: datetime) -> NotificationSettings:
    """Record that `user` looked at "what changed" at `now`: the look shows the changes since their
    previous look (or the last FIRST_LOOK_DAYS days on a first look) up to now."""
    ensure_can_read(user)
    found, _ = NotificationSettings.objects.select_for_update().get_or_create(user=user)
    found.changes_from = found.changes_seen_at or now - timedelta(days=selectors.FIRST_LOOK_DAYS)
    found.changes_seen_at = now
    found.save(update_fields=["changes_from", "changes_seen_at"])
    return found


# --- digests ----------------------------------------------------------------------------------------


def first_working_day_of_week(day: date) -> date | None:
    """The first working day of `day`'s ISO week (Monday, or Tuesday after a bank holiday Monday)."""
    monday = day - timedelta(days=day.weekday())
    return next((d for d in (monday + timedelta(days=n) for n in range(5)) if is_working_day(d)), None)


def digest_period(frequency: str, day: date) -> str | None:
    """The period a digest sent on `day` stands for, or None if this person gets none that day:
    daily → the date; weekly → the ISO week, sent on its first working day only."""
    if not is_working_day(day) or frequency == Digest.NONE:
        return None
    if frequency == Digest.DAILY:
        return day.isoformat()
    if day != first_working_day_of_week(day):
        return None
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class DigestRun:
    on: date
    sent: int = 0
    already_sent: int = 0
    skipped: str = ""
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "on": self.on.isoformat(),
            "sent": self.sent,
            "already_sent": self.already_sent,
            "skipped": self.skipped,
            "failed": self.failed,
        }


class DigestsFailed(Exception):
    pass


def send_digests(*, on: date) -> DigestRun:
    """Send the day's digests: each owner due one (by their daily/weekly choice) gets their overdue and
    due-soon items; each Chief Executive due one gets everything overdue, grouped by owner, with their own due-soon
    items added (one email, not two). Nobody gets
    an empty digest; nobody gets two for one period (core.notify.send_once, key
    "digest:<user id>:<period>"); nothing is sent on a weekend or bank holiday. Each email is its own
    transaction: if one fails the others still go, and the run then raises so that a retry sends just
    the ones that failed."""
    run = DigestRun(on=on)
    if not is_working_day(on):
        run.skipped = "not a working day (weekend or England and Wales bank holiday)"
        return run
    choices = selectors.digest_choices()

    def period(user) -> str | None:
        return digest_period(choices.get(user.pk, Digest.WEEKLY), on)

    overdue_now = overdue.overdue_items(as_at=on)
    due_soon = selectors.due_soon_items(as_at=on, days=django_settings.DIGEST_DUE_SOON_DAYS, overdue_now=overdue_now)
    chiefs = selectors.chief_executives()
    by_owner = overdue.group_by_owner(overdue_now)

    def send(user, key_period: str, **kwargs) -> None:
        try:
            sent = send_once(key=f"digest:{user.pk}:{key_period}", user=user, **kwargs)
        except Exception as exc:  # one person's failure must not stop the others
            log.exception("Digest to user %s failed", user.pk)
            run.failed.append(f"{user.get_username()}: {exc.__class__.__name__}")
            return
        if sent:
            run.sent += 1
        elif user.email:
            run.already_sent += 1

    own = {d.user.pk: d for d in selectors.owner_digests(overdue_now=overdue_now, due_soon=due_soon)}
    for chief in chiefs:
        p = period(chief)
        mine = own.get(chief.pk) or selectors.OwnerDigest(user=chief)
        if not p or not (overdue_now or mine.due_soon):
            continue
        owners = len(by_owner)
        subject = (
            f"Overdue review: {len(overdue_now)} item{'s' if len(overdue_now) != 1 else ''}"
            f" across {owners} owner{'s' if owners != 1 else ''}"
            if overdue_now
            else "Overdue review: nothing overdue"
        )
        if mine.due_soon:
            subject += f"; {len(mine.due_soon)} of yours due soon"
        send(
            chief,
            p,
            subject=subject,
            text_template="notifications/email/review_digest.txt",
            html_template="notifications/email/review_digest.html",
            context={
                "as_at": on,
                "items": overdue_now,
                "by_owner": by_owner,
                "own_overdue": mine.overdue,
                "due_soon": mine.due_soon,
                "due_soon_days": django_settings.DIGEST_DUE_SOON_DAYS,
            },
        )
    chief_ids = {c.pk for c in chiefs}
    for digest in own.values():
        p = period(digest.user)
        if not p or digest.user.pk in chief_ids:
            continue
        parts = []
        if digest.overdue:
            parts.append(f"{len(digest.overdue)} overdue")
        if digest.due_soon:
            parts.append(f"{len(digest.due_soon)} due soon")
        send(
            digest.user,
            p,
            subject=f"Your items: {' and '.join(parts)}",
            text_template="notifications/email/owner_digest.txt",
            html_template="notifications/email/owner_digest.html",
            context={
                "as_at": on,
                "overdue": digest.overdue,
                "due_soon": digest.due_soon,
                "due_soon_days": django_settings.DIGEST_DUE_SOON_DAYS,
                "frequency": choices.get(digest.user.pk, Digest.WEEKLY),
            },
        )
    if run.failed:
        raise DigestsFailed(f"{len(run.failed)} digest(s) could not be sent: {'; '.join(run.failed)}")
    return run
