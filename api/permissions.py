from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

from core.roles import can_read


class ReaderReadOnly(BasePermission):
    """Any of the five roles reads (as in the pages); a login with no role reads nothing; nothing writes."""

    message = "Your account has no role yet; ask an administrator to give you one."

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        if request.method not in SAFE_METHODS:
            return True  # the view refuses the method itself (405)
        return can_read(request.user)
