"""Email sent at most once per idempotency key, and working days (England and Wales).

send_once(key="round:3:reminder:7:2026-11-30", user=u, subject=..., text_template=..., html_template=...,
          context={...}, attachments=[("file.xlsx", data, "application/...")])
"""

from __future__ import annotations

import functools
from datetime import date

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string


@functools.cache
def _bank_holidays() -> frozenset[date]:
    from govuk_bank_holidays.bank_holidays import BankHolidays

    cal = BankHolidays(use_cached_holidays=True)
    return frozenset(h["date"] for h in cal.get_holidays(division=cal.ENGLAND_AND_WALES))


def is_working_day(day: date) -> bool:
    """False on Saturdays, Sundays and England-and-Wales bank holidays (bundled list, never fetched)."""
    return day.weekday() < 5 and day not in _bank_holidays()


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
    """Send the email unless one was already sent under `key`; True if sent. A user without an email
    address gets nothing (False). The key is recorded in the same transaction as the send, so a second
    run (beat firing twice, a worker retrying) finds it and sends nothing."""
    from .models import SentNotification

    if user is None or not getattr(user, "email", ""):
        return False
    try:
        with transaction.atomic():
            SentNotification.objects.create(key=key[:255], user=user, subject=subject[:300])
            ctx = {**context, "user": user}
            message = EmailMultiAlternatives(
                subject=subject,
                body=render_to_string(text_template, ctx),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[user.email],
            )
            message.attach_alternative(render_to_string(html_template, ctx), "text/html")
            for name, data, mimetype in attachments or []:
                message.attach(name, data, mimetype)
            message.send()
    except IntegrityError:
        return False
    return True
