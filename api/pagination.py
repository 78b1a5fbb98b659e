from __future__ import annotations

from django.conf import settings
from rest_framework.pagination import LimitOffsetPagination

MAX_OFFSET = 2**31 - 1


class Pagination(LimitOffsetPagination):
    """?limit= (default TRACKER_PAGE_SIZE, at most TRACKER_MAX_PAGE_SIZE) and ?offset= (clamped, so a
    huge offset is an empty page, not a database error)."""

    default_limit = settings.TRACKER_PAGE_SIZE
    max_limit = settings.TRACKER_MAX_PAGE_SIZE

    def get_offset(self, request) -> int:
        return min(super().get_offset(request), MAX_OFFSET)
