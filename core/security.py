"""Sign-in protection: the client address django-axes counts failed logins against, and a log line for
every lockout (axes records the attempts; administrators see and clear them in the admin)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.dispatch import receiver
from django.http import HttpRequest

logger = logging.getLogger("core.security")


def client_ip(request: HttpRequest) -> str | None:
    """The caller's address. Behind TRACKER_PROXY_COUNT reverse proxies, the address the outermost of
    ours saw (counting from the right of X-Forwarded-For, which a client cannot forge past our proxies);
    otherwise the connection's address."""
    count = settings.TRACKER_PROXY_COUNT
    if count > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")


def _connect() -> None:
    from axes.signals import user_locked_out

    @receiver(user_locked_out, dispatch_uid="core.security.lockout")
    def log_lockout(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
        logger.warning(
            "Sign-in locked out: username %r from %s after %s failed attempts; unlocks in %s minutes "
            "or when an administrator resets it.",
            username,
            ip_address,
            settings.AXES_FAILURE_LIMIT,
            int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        )
