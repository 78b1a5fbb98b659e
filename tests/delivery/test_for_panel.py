"""The "for the panel" flag on progress updates (issue 14): set in the update form, shown and toggled
on the activity page, through a service that checks who may."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.dates import today
from delivery import services
from delivery.models import ProgressUpdate, Rag, Status
from tests.factories import PASSWORD, OwnerFactory, make_activity

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def activity(editor):
    return make_activity(
        rag=Rag.GREEN, status=Status.IN_PROGRESS, on=date(2025, 1, 6), owners=[OwnerFactory(name="Supt Paley")]
    )


def _update(activity, by, text="Forty officers trained in trauma-informed practice."):
    return services.activity_record_update(activity=activity, by=by, seen_version=activity.version, text=text)


def test_an_update_recorded_through_the_form_can_be_marked_for_the_panel(client, editor, activity):
    login(client, editor)
    url = reverse("activity-update", args=[activity.pk])
    form = client.get(url).context["form"]
    assert "for_panel" in form.fields
    response = client.post(
        url,
        {
            "rag": "G",
            "status": "in_progress",
            "text": "Forty officers trained.",
            "for_panel": "on",
            "on": today().isoformat(),
            "seen_version": form.initial["seen_version"],
        },
    )
    assert response.status_code == 302
    latest = activity.updates.order_by("-id").first()
    assert latest.text == "Forty officers trained." and latest.for_panel


def test_an_update_is_not_for_the_panel_unless_marked(editor, activity):
    assert _update(activity, editor).for_panel is False


def test_an_update_with_no_text_is_never_marked_for_the_panel(editor, activity):
    update = services.activity_record_update(
        activity=activity, by=editor, seen_version=activity.version, rag=Rag.NOT_RATED, for_panel=True
    )
    assert update.for_panel is False
    with pytest.raises(ValidationError):
        services.progress_update_set_for_panel(update=update, by=editor, for_panel=True)


def test_an_editor_marks_and_unmarks_an_update_from_the_activity_page(client, editor, activity):
    update = _update(activity, editor)
    login(client, editor)
    page = client.get(reverse("activity", args=[activity.pk])).content.decode()
    assert "Mark for the panel" in page and "For the panel</strong>" not in page
    url = reverse("update-for-panel", args=[update.pk])
    assert client.post(url, {"for_panel": "on"}).status_code == 302
    assert ProgressUpdate.objects.get(pk=update.pk).for_panel
    page = client.get(reverse("activity", args=[activity.pk])).content.decode()
    assert "For the panel</strong>" in page and "Unmark for the panel" in page
    client.post(url, {})
    assert not ProgressUpdate.objects.get(pk=update.pk).for_panel


def test_a_viewer_cannot_mark_an_update_even_bypassing_the_page(client, editor, viewer, activity):
    update = _update(activity, editor)
    login(client, viewer)
    assert "Mark for the panel" not in client.get(reverse("activity", args=[activity.pk])).content.decode()
    assert client.post(reverse("update-for-panel", args=[update.pk]), {"for_panel": "on"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.progress_update_set_for_panel(update=update, by=viewer, for_panel=True)
    assert not ProgressUpdate.objects.get(pk=update.pk).for_panel


def test_marking_changes_nothing_else_in_the_update(editor, activity):
    update = _update(activity, editor)
    before = ProgressUpdate.objects.filter(pk=update.pk).values().get()
    services.progress_update_set_for_panel(update=update, by=editor, for_panel=True)
    after = ProgressUpdate.objects.filter(pk=update.pk).values().get()
    assert {k: v for k, v in after.items() if before[k] != v} == {"for_panel": True}
