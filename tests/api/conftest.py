from __future__ import annotations

import pytest
from django.test import Client

from api import services


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def token_for(user, name: str = "Power BI") -> str:
    return services.token_create(by=user, name=name).secret


class TokenClient(Client):
    """A test client that sends a bearer token on every request and never a session."""

    def __init__(self, secret: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.secret = secret

    def request(self, **request):
        request.setdefault("HTTP_AUTHORIZATION", f"Bearer {self.secret}")
        return super().request(**request)


@pytest.fixture
def api_as():
    def make(user) -> TokenClient:
        return TokenClient(token_for(user))

    return make
