"""Options the delivery commands share: --plan NAME and --as-at YYYY-MM-DD, with plain errors."""

from __future__ import annotations

from datetime import date

from django.core.management.base import CommandError

from delivery import selectors
from delivery.models import Plan


def as_at_option(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise CommandError(f'--as-at "{value}" is not a date in the form YYYY-MM-DD.') from None


def plan_option(name: str) -> Plan:
    plan = selectors.plan_by_name(name)
    if plan is None:
        names = ", ".join(p.name for p in selectors.plans()) or "none"
        raise CommandError(f'No plan called "{name}". Plans: {names}.')
    return plan
