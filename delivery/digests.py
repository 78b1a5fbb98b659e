"""Overdue reminder digests: each owner with a login gets their own overdue activities; the Chief
Executive gets the whole review. Sent by the `send_overdue_digests` task on the beat schedule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string

from core.roles import Role

from . import overdue
from .models import Owner


@dataclass
class DigestResult:
    as_at: date
    items: int
    emails: int

    def as_dict(self) -> dict:
        return {"as_at": self.as_at.isoformat(), "items": self.items, "emails": self.emails}


def send_overdue_digests(*, as_at: date) -> DigestResult:
    items = overdue.overdue_items(as_at=as_at)
    users_by_owner: dict[str, list] = {}
    for o in Owner.objects.filter(user__isnull=False, user__is_active=True).select_related("user"):
        users_by_owner.setdefault(o.name, []).append(o.user)
    per_user: dict[int, tuple[object, list]] = {}
    for item in items:
        for name in item.owners:
            for user in users_by_owner.get(name, ()):
                per_user.setdefault(user.pk, (user, []))[1].append(item)
    messages = []
    for user, user_items in per_user.values():
        if user.email:
            body = render_to_string(
                "delivery/email/owner_digest.txt",
                {"user": user, "items": user_items, "as_at": as_at, "site_url": settings.SITE_URL},
            )
            messages.append((f"{len(user_items)} overdue activities", body, settings.DEFAULT_FROM_EMAIL, [user.email]))
    chiefs = get_user_model().objects.filter(groups__name=Role.CHIEF_EXECUTIVE.value, is_active=True).exclude(email="")
    if items:
        body = render_to_string(
            "delivery/email/review_digest.txt",
            {
                "items": items,
                "by_owner": overdue.group_by_owner(items),
                "as_at": as_at,
                "site_url": settings.SITE_URL,
            },
        )
        for chief in chiefs:
            messages.append((f"Overdue review: {len(items)} items", body, settings.DEFAULT_FROM_EMAIL, [chief.email]))
    sent = send_mass_mail(messages, fail_silently=False) if messages else 0
    return DigestResult(as_at=as_at, items=len(items), emails=sent)
