"""Who gets in: a bearer token made on the API tokens page (or the signed-in session, for the docs page's
"Try it out"); nothing else. And nothing gets written, whoever asks."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client
from django.urls import reverse

from api import services
from api.models import ApiToken
from tests.factories import make_user

from .conftest import TokenClient, bearer, token_for

PLANS = "/api/v1/plans/"


@pytest.mark.django_db
def test_no_token_gets_401_with_a_bearer_challenge():
    response = Client().get(PLANS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["Bearer not-a-real-token", "Bearer", "Bearer a b", "Bearer \u00e9t\u00e9"])
def test_a_bad_or_malformed_token_gets_401(viewer, header):
    token_for(viewer)
    response = Client().get(PLANS, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


@pytest.mark.django_db
def test_a_valid_token_reads_and_is_noted_as_used(viewer):
    new = services.token_create(by=viewer, name="Power BI")
    assert new.token.last_used_at is None
    response = Client().get(PLANS, **bearer(new.secret))
    assert response.status_code == 200, response.content
    new.token.refresh_from_db()
    assert new.token.last_used_at is not None


@pytest.mark.django_db
def test_a_revoked_token_is_refused(viewer):
    new = services.token_create(by=viewer, name="Power BI")
    assert TokenClient(new.secret).get(PLANS).status_code == 200
    services.token_revoke(by=viewer, token=new.token)
    response = TokenClient(new.secret).get(PLANS)
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


@pytest.mark.django_db
def test_an_expired_token_is_refused(viewer):
    new = services.token_create(by=viewer, name="Power BI")
    ApiToken.objects.filter(pk=new.token.pk).update(expires_on="2020-01-01")
    response = TokenClient(new.secret).get(PLANS)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


@pytest.mark.django_db
def test_an_inactive_users_token_is_refused(viewer):
    secret = token_for(viewer)
    viewer.is_active = False
    viewer.save()
    assert TokenClient(secret).get(PLANS).status_code == 401


@pytest.mark.django_db
def test_a_token_whose_user_lost_their_role_reads_nothing(viewer):
    secret = token_for(viewer)
    viewer.groups.clear()
    response = TokenClient(secret).get(PLANS)
    assert response.status_code == 403
    assert "no role" in response.json()["detail"]


@pytest.mark.django_db
def test_a_login_with_no_role_cannot_make_a_token():
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.token_create(by=make_user("norole"), name="Sneaky")


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", [PLANS, "/api/v1/activities/", "/api/v1/meetings/"])
def test_the_token_can_never_write(admin_user, method, path):
    client = TokenClient(token_for(admin_user))
    assert getattr(client, method)(path).status_code == 405


@pytest.mark.django_db
def test_a_writing_method_without_a_token_is_401_not_405():
    assert Client().post(PLANS).status_code == 401


@pytest.mark.django_db
def test_the_signed_in_session_reads_but_an_unsafe_method_needs_csrf(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.get(PLANS).status_code == 200
    assert client.post(PLANS).status_code == 403  # CSRF refused before the method is even considered


@pytest.mark.django_db
def test_only_the_hash_and_prefix_are_stored(viewer):
    new = services.token_create(by=viewer, name="Power BI")
    stored = ApiToken.objects.get(pk=new.token.pk)
    assert stored.secret_hash == hashlib.sha256(new.secret.encode()).hexdigest()
    assert stored.prefix == new.secret[:8]
    assert all(
        new.secret not in str(getattr(stored, f.attname)) for f in ApiToken._meta.fields if f.attname != "prefix"
    )


@pytest.mark.django_db
def test_the_schema_needs_credentials_and_the_docs_page_a_sign_in(viewer):
    assert Client().get(reverse("api:schema")).status_code == 401
    assert TokenClient(token_for(viewer)).get(reverse("api:schema")).status_code == 200
    assert Client().get(reverse("api:docs")).status_code == 302
    client = Client()
    client.force_login(viewer)
    page = client.get(reverse("api:docs"))
    assert page.status_code == 200
    assert b"swagger-ui-bundle.js" in page.content and b"<script>" not in page.content  # no inline script (CSP)
