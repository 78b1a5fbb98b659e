"""The API tokens page: make a token (shown once), see your own, revoke them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from api.models import ApiToken
from core.models import AuditEntry

from .conftest import TokenClient

URL = "/account/api-tokens/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_creating_a_token_shows_the_secret_once_and_it_works(owner_user):
    client = signed_in(owner_user)
    response = client.post(URL, {"name": "Power BI performance dashboard", "expires": "90"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    secret = response.context["created"].secret
    assert secret.encode() in response.content
    token = ApiToken.objects.get(user=owner_user)
    assert token.name == "Power BI performance dashboard" and token.expires_on is not None
    assert secret.encode() not in client.get(URL).content  # never again
    assert token.prefix.encode() in client.get(URL).content
    assert TokenClient(secret).get("/api/v1/plans/").status_code == 200


@pytest.mark.django_db
def test_a_token_without_a_name_is_refused_with_a_message(viewer):
    response = signed_in(viewer).post(URL, {"name": "  ", "expires": "never"})
    assert response.status_code == 200
    assert b"Enter a name for the token" in response.content
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_revoking_your_token_refuses_it_from_then_on(viewer):
    client = signed_in(viewer)
    secret = client.post(URL, {"name": "Excel", "expires": "never"}).context["created"].secret
    token = ApiToken.objects.get()
    response = client.post(reverse("api:token-revoke", args=[token.pk]), follow=True)
    assert b"revoked" in response.content
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert TokenClient(secret).get("/api/v1/plans/").status_code == 401
    # Both in the audit trail, by the viewer, and never the secret's hash.
    made, revoked = AuditEntry.objects.filter(model_label="api.apitoken").order_by("id")
    assert (made.action, made.actor_id, made.changes["name"]) == ("create", viewer.pk, [None, "Excel"])
    assert (revoked.action, revoked.actor_id, list(revoked.changes)) == ("update", viewer.pk, ["revoked_at"])
    assert "secret_hash" not in made.changes and token.secret_hash not in str(made.changes)


@pytest.mark.django_db
def test_nobody_sees_or_revokes_someone_elses_token(viewer, editor):
    signed_in(editor).post(URL, {"name": "Editor's report", "expires": "never"})
    token = ApiToken.objects.get()
    other = signed_in(viewer)
    assert b"Editor&#x27;s report" not in other.get(URL).content
    assert other.post(reverse("api:token-revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
