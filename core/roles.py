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

from collections.abc import Iterable
from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

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


# How long a user's role is kept in the cache (shared by every worker). Every change of a user's groups, a
# group's name or a group's existence removes the users' entries at once (connect()), so this only bounds
# how long a change made without signals (raw SQL) takes to show.
ROLE_CACHE_SECONDS = 300
NO_ROLE = "-"  # kept in the cache for a login with no role


def _role_key(user_pk) -> str:
    return f"roles:user:{user_pk}"


def role_of(user: AbstractBaseUser | AnonymousUser | None) -> Role | None:
    """The user's role, kept on the user object for the request and in the cache between requests (one
    cache read rather than a query of their groups)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    cached = getattr(user, "_tracker_role", False)
    if cached is not False:
        return cached
    if user.is_superuser:
        role: Role | None = Role.ADMINISTRATOR
    else:
        key = _role_key(user.pk)
        name = cache.get(key)
        if name is None:
            names = set(user.groups.values_list("name", flat=True))
            role = next((r for r in ROLE_ORDER if r.value in names), None)
            cache.set(key, role.value if role else NO_ROLE, timeout=ROLE_CACHE_SECONDS)
        else:
            role = None if name == NO_ROLE else Role(name)
    user._tracker_role = role
    return role


def forget_roles(user_pks: Iterable) -> None:
    """Drop the users' cached roles: now, and again when the current transaction commits (so that a request
    reading the old groups meanwhile cannot keep them)."""
    keys = [_role_key(pk) for pk in user_pks]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


def _on_groups_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """A user's groups (user.groups.add/remove/set/clear), or a group's users (group.user_set....)."""
    if action not in ("pre_clear", "post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        forget_roles([instance.pk])
    elif action == "pre_clear":
        forget_roles(instance.user_set.values_list("pk", flat=True))
    else:
        forget_roles(pk_set or ())


def _on_group_written(sender, instance, **kwargs) -> None:
    """A group renamed or deleted changes the role of everyone in it."""
    if instance.pk is not None:
        forget_roles(instance.user_set.values_list("pk", flat=True))


def _on_user_written(sender, instance, **kwargs) -> None:
    """A new or deleted account starts and ends with nothing cached under its id."""
    forget_roles([instance.pk])


def connect() -> None:
    """Keep the cached roles right (from CoreConfig.ready)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user_model = get_user_model()
    m2m_changed.connect(_on_groups_changed, sender=user_model.groups.through, dispatch_uid="roles-groups")
    post_save.connect(_on_group_written, sender=Group, dispatch_uid="roles-group-saved")
    pre_delete.connect(_on_group_written, sender=Group, dispatch_uid="roles-group-deleted")
    post_save.connect(_on_user_written, sender=user_model, dispatch_uid="roles-user-saved")
    post_delete.connect(_on_user_written, sender=user_model, dispatch_uid="roles-user-deleted")


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
