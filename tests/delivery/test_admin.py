"""The admin saves commitments and activities through the services: it cannot skip the update trail,
the version check or the rule that a section belongs to its commitment's objective."""

from __future__ import annotations

import pytest
from django.urls import reverse

from delivery.models import Activity, Commitment, ProgressUpdate
from tests.factories import PASSWORD, CommitmentFactory, OversightBodyFactory, SectionFactory, make_activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    assert client.login(username=admin_user.username, password=PASSWORD)
    return client


INLINE = {"updates-TOTAL_FORMS": "0", "updates-INITIAL_FORMS": "0"}  # the read-only trail inline


def commitment_form(c: Commitment, **changes) -> dict:
    data = {
        "objective": c.objective_id,
        "section": c.section_id or "",
        "ref": c.ref,
        "text": c.text,
        "publish": "on" if c.publish else "",
    }
    return {**data, **changes}


def test_a_commitment_cannot_be_given_a_section_of_another_objective(admin_client):
    c = make_activity().commitment
    elsewhere = SectionFactory()  # another objective's section
    url = reverse("admin:delivery_commitment_change", args=[c.pk])
    response = admin_client.post(url, commitment_form(c, section=elsewhere.pk))
    assert response.status_code == 200
    assert "belongs to another objective" in response.content.decode()
    c.refresh_from_db()
    assert c.section_id != elsewhere.pk


def test_a_commitment_reference_stays_unique_in_its_plan(admin_client):
    a = make_activity().commitment
    b = CommitmentFactory(plan=a.plan, objective=a.objective, section=a.section, ref="9.9")
    response = admin_client.post(
        reverse("admin:delivery_commitment_change", args=[b.pk]), commitment_form(b, ref=a.ref)
    )
    assert "already used" in response.content.decode()


def test_an_activity_edited_in_the_admin_is_written_to_its_trail_with_a_new_version(admin_client):
    activity = make_activity(text="Open a rural crime hub")
    board = OversightBodyFactory(name="Rural Crime Board")
    before = activity.version
    url = reverse("admin:delivery_activity_change", args=[activity.pk])
    response = admin_client.post(
        url,
        {
            "sub_ref": "B2.17",
            "text": "Open two rural crime hubs",
            "publish": "on",
            "oversight_bodies": [board.pk],
            "seen_version": before,
            **INLINE,
        },
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.text, activity.sub_ref, activity.version) == ("Open two rural crime hubs", "B2.17", before + 1)
    latest = ProgressUpdate.objects.filter(activity=activity).order_by("-id").first()
    assert latest.changes["text"] == ["Open a rural crime hub", "Open two rural crime hubs"]
    assert latest.changes["oversight_bodies"] == [[], ["Rural Crime Board"]]


def test_a_stale_admin_form_for_an_activity_is_refused(admin_client):
    activity = make_activity(text="Open a rural crime hub")
    Activity.objects.filter(pk=activity.pk).update(version=activity.version + 1)  # someone saved meanwhile
    response = admin_client.post(
        reverse("admin:delivery_activity_change", args=[activity.pk]),
        {"sub_ref": "", "text": "Overwritten?", "publish": "on", "seen_version": activity.version, **INLINE},
    )
    assert response.status_code == 200 and "Someone else updated this activity" in response.content.decode()
    activity.refresh_from_db()
    assert activity.text == "Open a rural crime hub"
