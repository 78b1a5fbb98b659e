"""Logging pieces: a refused request is one line in the log, not a traceback."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied


class PermissionDeniedOneLine(logging.Filter):
    """django.request logs "Forbidden (Permission denied): /path" with the exception's traceback.
    A refusal is expected behaviour, not a fault: keep one line, with the reason and the user."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, PermissionDenied):
            request = getattr(record, "request", None)
            user = getattr(getattr(request, "user", None), "username", "") or "anonymous"
            reason = str(exc) or "no reason given"
            record.msg = f"{record.getMessage()} (user {user}: {reason})"
            record.args = ()
            record.exc_info = None
            record.exc_text = None
        return True
