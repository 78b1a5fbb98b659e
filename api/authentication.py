"""`Authorization: Bearer <token>` for the API. A missing header lets the next scheme (the signed-in
session, for the docs page's "Try it out") have a go; a header that is there but wrong is refused."""

from __future__ import annotations

import hmac

from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from . import selectors, services


class BearerTokenAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Send the token as: Authorization: Bearer <token>.")
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("The token is not valid.") from None
        wanted = services.hash_secret(secret)
        match = None
        # Candidates share the first eight characters; the hash is compared in constant time.
        for candidate in selectors.tokens_with_prefix(secret[:8]):
            if hmac.compare_digest(candidate.secret_hash, wanted):
                match = candidate
        if match is None:
            raise exceptions.AuthenticationFailed("The token is not valid.")
        if match.is_revoked:
            raise exceptions.AuthenticationFailed("This token has been revoked.")
        if match.is_expired:
            raise exceptions.AuthenticationFailed("This token has expired.")
        if not match.user.is_active:
            raise exceptions.AuthenticationFailed("The token's account is disabled.")
        services.token_touch(token=match)
        return match.user, match

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'
