"""Roles, held as Django groups so that administrators assign them in the admin.

- Administrator: everything, including the admin site.
- Editor: OPCC staff; may change everything in every plan.
- Owner: may update only the activities they own (through an Owner linked to their login).
- Chief Executive: reads everything.
- Viewer: reads everything, changes nothing.

The audit trail: the site-wide log (/audit/) is for Administrators and the Chief Executive, who answer
for the office's governance; an object's own audit panel (on the activity, measure, meeting and
action pages) also for Editors, who keep the data. Owners and Viewers see the progress history on
the pages as before, but not the audit trail. Nobody can change or delete an entry.

A user in several groups has the strongest of them. Superusers are administrators.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


class Role(StrEnum):
    ADMINISTRATOR = "Administrator"
    EDITOR = "Editor"
    OWNER = "Owner"
    CHIEF_EXECUTIVE = "Chief Executive"
    VIEWER = "Viewer"


# Strongest first.
ROLE_ORDER = [Role.ADMINISTRATOR, Role.EDITOR, Role.OWNER, Role.CHIEF_EXECUTIVE, Role.VIEWER]


def role_of(user: AbstractBaseUser | AnonymousUser | None) -> Role | None:
    """The user's role, cached on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    cached = getattr(user, "_tracker_role", False)
    if cached is not False:
        return cached
    if user.is_superuser:
        role: Role | None = Role.ADMINISTRATOR
    else:
        names = set(user.groups.values_list("name", flat=True))
        role = next((r for r in ROLE_ORDER if r.value in names), None)
    user._tracker_role = role
    return role


def can_edit_plans(user) -> bool:
    return role_of(user) in (Role.ADMINISTRATOR, Role.EDITOR)


def owns(user, item) -> bool:
    """Whether one of the item's owners (an activity's, an action's) is linked to this user.
    Uses prefetched owners if any."""
    return any(o.user_id == user.pk for o in item.owners.all())


def can_update_owned(user, item) -> bool:
    """Editors update anything; an owner updates only what one of their owner names owns."""
    role = role_of(user)
    if role in (Role.ADMINISTRATOR, Role.EDITOR):
        return True
    return role == Role.OWNER and owns(user, item)


def ensure_can_update_owned(user, item, *, noun: str = "activities") -> None:
    if not can_update_owned(user, item):
        if role_of(user) == Role.OWNER:
            raise PermissionDenied(f"You can update only the {noun} you own.")
        raise PermissionDenied(f"Your role does not allow updating {noun}.")


def ensure_can_edit_plans(user) -> None:
    if not can_edit_plans(user):
        raise PermissionDenied("Only editors and administrators can change a plan.")


def ensure_can_administer(user) -> None:
    if role_of(user) != Role.ADMINISTRATOR:
        raise PermissionDenied("Only administrators can do this.")


def can_read(user) -> bool:
    """Any of the five roles reads every plan; a login with no role reads nothing."""
    return role_of(user) is not None


def ensure_can_read(user) -> None:
    if not can_read(user):
        raise PermissionDenied("Your account has no role yet; ask an administrator to give you one.")


def can_see_upload(user, job) -> bool:
    """An uploaded file and what it holds (an import's preview, the file itself): editors and
    administrators, and whoever uploaded it while they still hold a role. Other readers see only that
    the import happened (who, when, file name, outcome)."""
    return can_edit_plans(user) or (can_read(user) and job.created_by_id is not None and job.created_by_id == user.pk)


def ensure_can_see_upload(user, job) -> None:
    if not can_see_upload(user, job):
        raise PermissionDenied("Only editors, administrators and the person who uploaded it can see this import.")


def can_see_audit_log(user) -> bool:
    return role_of(user) in (Role.ADMINISTRATOR, Role.CHIEF_EXECUTIVE)


def ensure_can_see_audit_log(user) -> None:
    if not can_see_audit_log(user):
        raise PermissionDenied("Only administrators and the Chief Executive can see the audit log.")


def can_see_audit_history(user) -> bool:
    """An object's own audit panel on its page."""
    return role_of(user) in (Role.ADMINISTRATOR, Role.CHIEF_EXECUTIVE, Role.EDITOR)
