"""Pieces the apps' management commands share."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError

from . import audit
from .roles import ensure_can_edit_plans


def importing_user(username: str | None, *, dry_run: bool):
    """The user a command-line import is recorded under: `--as-user`, else the first active superuser.
    A real import needs one who may edit plans; a dry run may have none. What the command then writes is
    in the audit trail under this user, from the command line."""
    user_model = get_user_model()
    if username:
        user = user_model.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f'No user called "{username}".')
    else:
        user = user_model.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if user is None and not dry_run:
            raise CommandError("Name the user the import is recorded under with --as-user USERNAME.")
    if user is not None and not dry_run:
        try:
            ensure_can_edit_plans(user)
        except PermissionDenied as e:
            raise CommandError(f"{user.get_username()}: {e}") from None
    audit.set_actor(user, source=audit.Source.COMMAND)
    return user
