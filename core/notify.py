"""Sending an email to a person at most once per idempotency key, and the office's working days.

    send_once(key=f"digest:{user.pk}:2025-W27", user=user, subject="...", text_template="x.txt",
              html_template="x.html", context={...})

The key is claimed in the database (a row in core.SentNotification, whose key is unique) inside a
transaction that stays open while the email is sent: a second run with the same key, concurrent or
later, waits for the first and then finds the key taken, so it sends nothing. If sending fails the
transaction rolls back, the claim with it, and a retry can send. (The one gap: the mail server
accepts the message and then the commit fails; a retry would then send it again. Sent twice is
preferred over never sent.)
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from .models import SentNotification


def send_once(
    *,
    key: str,
    user,
    subject: str,
    text_template: str,
    html_template: str,
    context: dict,
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> bool:
    """Send `user` one email (plain text and HTML) unless one was already sent under `key`.
    True if sent; False if already sent under this key or the user has no email address. The
    templates get `context` plus `user` and `site_url` (settings.SITE_URL, for absolute links)."""
    if not getattr(user, "email", ""):
        return False
    with transaction.atomic():
        try:
            with transaction.atomic():
                SentNotification.objects.create(key=key, user=user, subject=subject[:300])
        except IntegrityError:
            return False
        ctx = {**context, "user": user, "site_url": settings.SITE_URL.rstrip("/")}
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string(text_template, ctx),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[user.email],
        )
        message.attach_alternative(render_to_string(html_template, ctx), "text/html")
        for filename, content, mimetype in attachments or ():
            message.attach(filename, content, mimetype)
        message.send(fail_silently=False)
    return True


@lru_cache(maxsize=1)
def _bank_holidays() -> frozenset[date]:
    from govuk_bank_holidays.bank_holidays import BankHolidays

    holidays = BankHolidays(use_cached_holidays=True)  # the package's bundled list: no network
    return frozenset(h["date"] for h in holidays.get_holidays(division=BankHolidays.ENGLAND_AND_WALES))


def is_working_day(day: date) -> bool:
    """False on Saturdays, Sundays and England-and-Wales bank holidays."""
    return day.weekday() < 5 and day not in _bank_holidays()
