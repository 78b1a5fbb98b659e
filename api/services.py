"""Every write to API tokens: make one (the secret returned once), revoke one, note its use."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core import audit
from core.roles import ensure_can_read

from .models import ApiToken

# How often last_used_at is written: at most once a minute per token, so a dashboard refreshing
# page after page does not write on every request.
TOUCH_EVERY = timedelta(minutes=1)
MAX_ACTIVE_PER_USER = 20


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown to its user once, never stored


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def token_create(*, by, name: str, expires_on: date | None = None) -> NewToken:
    """A new token for `by` (any user with a role). Returns the secret, which is not kept."""
    ensure_can_read(by)
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter a name for the token, for example the report it feeds."})
    if len(name) > 100:
        raise ValidationError({"name": "The name must be 100 characters or fewer."})
    if expires_on is not None and expires_on <= timezone.localdate():
        raise ValidationError({"expires_on": "The expiry date must be in the future."})
    active = ApiToken.objects.select_for_update().filter(user=by, revoked_at__isnull=True)
    if sum(1 for t in active if not t.is_expired) >= MAX_ACTIVE_PER_USER:
        raise ValidationError({"name": f"You already have {MAX_ACTIVE_PER_USER} tokens. Revoke one you no longer use."})
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=by, name=name, prefix=secret[:8], secret_hash=hash_secret(secret), expires_on=expires_on
    )
    return NewToken(token=token, secret=secret)


@transaction.atomic
def token_revoke(*, by, token: ApiToken) -> ApiToken:
    """Revoke a token: its user may revoke their own; administrators any. Revoking twice is harmless."""
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.user_id != by.pk and not by.is_superuser:
        raise PermissionDenied("You can revoke only your own tokens.")
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        # revoked_at is not a form field, so the audit's signal leaves it out: record it here.
        audit.record_many([audit.changed_entry(locked, {"revoked_at": [None, locked.revoked_at]})])
    return locked


def token_touch(*, token: ApiToken) -> None:
    """Record that the token was used (one UPDATE, at most once a minute)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
