"""Writes to users: their role."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from core.roles import Role, ensure_can_administer


@transaction.atomic
def user_set_role(*, by, user, role: Role) -> None:
    """Give a user exactly one role (administrators only)."""
    ensure_can_administer(by)
    user.groups.remove(*Group.objects.filter(name__in=[r.value for r in Role]))
    user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    user.is_staff = role == Role.ADMINISTRATOR
    user.save(update_fields=["is_staff"])
    if hasattr(user, "_tracker_role"):
        del user._tracker_role
