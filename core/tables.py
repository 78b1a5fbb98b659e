"""The base for every list's table: whatever `?per_page=` a request asks for, a page holds between 1
and TRACKER_MAX_PAGE_SIZE rows, so a hostile or mistyped value never fails the page or loads
everything at once. (`?page=` beyond the end already shows the last page: django-tables2's
RequestConfig does that.)"""

from __future__ import annotations

import django_tables2 as tables
from django.conf import settings


def clamp_per_page(value) -> int | None:
    if value is None:
        return None
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return min(max(number, 1), settings.TRACKER_MAX_PAGE_SIZE)


class Table(tables.Table):
    def paginate(self, *args, per_page=None, **kwargs):
        return super().paginate(*args, per_page=clamp_per_page(per_page), **kwargs)
