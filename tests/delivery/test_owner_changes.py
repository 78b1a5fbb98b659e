"""Only editors and administrators change who owns an activity (issue 8, item 11). An owner may update
what they own, and propose a new owner in the update text, but cannot hand the activity to someone
else, through the form or around it."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core.dates import today
from delivery import services
from delivery.models import Activity, Rag, Status
from tests.factories import PASSWORD, OwnerFactory, make_activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def paley(owner_user):
    return OwnerFactory(name="Supt Paley", user=owner_user)


@pytest.fixture
def preece():
    return OwnerFactory(name="CI Preece")


@pytest.fixture
def activity(paley):
    return make_activity(owners=[paley], rag=Rag.GREEN, status=Status.IN_PROGRESS)


def owner_names(activity):
    return sorted(Activity.objects.get(pk=activity.pk).owners.values_list("name", flat=True))


def test_an_owner_cannot_hand_their_activity_to_another_owner_through_the_service(owner_user, activity, preece):
    with pytest.raises(PermissionDenied, match="Only editors and administrators can change who owns"):
        services.activity_record_update(
            activity=activity, by=owner_user, seen_version=activity.version, owners=[preece], text="Over to CI Preece."
        )
    assert owner_names(activity) == ["Supt Paley"]
    assert Activity.objects.get(pk=activity.pk).updates.count() == 1


def test_an_owner_may_pass_the_same_owners_back_unchanged(owner_user, activity, paley):
    services.activity_record_update(
        activity=activity, by=owner_user, seen_version=activity.version, owners=[paley], text="On track."
    )
    assert owner_names(activity) == ["Supt Paley"]
    assert Activity.objects.get(pk=activity.pk).progress == "On track."


@pytest.mark.parametrize("role", ["Administrator", "Editor"])
def test_editors_and_administrators_change_owners(users, role, activity, preece):
    services.activity_record_update(
        activity=activity, by=users[role], seen_version=activity.version, owners=[preece], text=""
    )
    saved = Activity.objects.get(pk=activity.pk)
    assert owner_names(activity) == ["CI Preece"] and saved.owner_text == "CI Preece"
    assert saved.updates.order_by("-pk").first().changes["owners"] == [["Supt Paley"], ["CI Preece"]]


def test_the_owners_form_has_no_owners_field_and_says_to_propose_a_change_in_the_update(client, owner_user, activity):
    client.login(username=owner_user.username, password=PASSWORD)
    response = client.get(reverse("activity-update", args=[activity.pk]))
    assert response.status_code == 200
    assert "owners" not in response.context["form"].fields
    body = response.content.decode()
    assert 'name="owners"' not in body
    assert "to propose a new owner, say so in your progress update" in body


def test_an_editors_form_offers_the_owners_field(client, editor, activity):
    client.login(username=editor.username, password=PASSWORD)
    body = client.get(reverse("activity-update", args=[activity.pk])).content.decode()
    assert 'name="owners"' in body


def test_an_owner_posting_owners_anyway_keeps_the_owners_and_saves_the_update(client, owner_user, activity, preece):
    client.login(username=owner_user.username, password=PASSWORD)
    response = client.post(
        reverse("activity-update", args=[activity.pk]),
        {
            "rag": "G",
            "status": "in_progress",
            "text": "Suggest CI Preece takes this on from April.",
            "on": today().isoformat(),
            "owners": [preece.pk],
            "seen_version": activity.version,
        },
    )
    assert response.status_code == 302
    assert owner_names(activity) == ["Supt Paley"]
    assert Activity.objects.get(pk=activity.pk).progress == "Suggest CI Preece takes this on from April."


def test_an_editor_changes_owners_through_the_form(client, editor, activity, paley, preece):
    client.login(username=editor.username, password=PASSWORD)
    response = client.post(
        reverse("activity-update", args=[activity.pk]),
        {
            "rag": "G",
            "status": "in_progress",
            "text": "",
            "on": today().isoformat(),
            "owners": [paley.pk, preece.pk],
            "seen_version": activity.version,
        },
    )
    assert response.status_code == 302
    assert owner_names(activity) == ["CI Preece", "Supt Paley"]
