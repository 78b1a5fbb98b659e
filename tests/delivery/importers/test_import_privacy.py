"""An import's preview shows what the uploaded workbook holds, so only editors, administrators and the
uploader see it or download the file (issue 8, item 12). Every reader still sees in the history that
the import happened (who, when, the file's name, the outcome), without a link to its content."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from delivery import services
from delivery.models import ImportRun
from tests.delivery.importers.builders import tracker_workbook
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

SECRET_ROW = "Launch a rural crime prevention campaign."


@pytest.fixture
def run(editor):
    run, _ = services.import_from_file(
        by=editor, data=tracker_workbook(), filename="tracker.xlsx", plan_name="Charter plan", dry_run=True
    )
    assert run.state == ImportRun.State.PREVIEWED
    return run


def pages(run):
    return {
        "preview": reverse("import", args=[run.pk]),
        "status part": reverse("import", args=[run.pk]) + "?part=status",
        "file": reverse("import-file", args=[run.pk]),
    }


@pytest.mark.parametrize("role", ["Owner", "Chief Executive", "Viewer"])
def test_readers_who_did_not_upload_get_403_for_the_preview_its_status_and_the_file(client, users, run, role):
    client.login(username=users[role].username, password=PASSWORD)
    for name, url in pages(run).items():
        response = client.get(url, HTTP_HX_REQUEST="true") if name == "status part" else client.get(url)
        assert response.status_code == 403, name
        assert SECRET_ROW not in response.content.decode()


@pytest.mark.parametrize("role", ["Administrator", "Editor"])
def test_editors_and_administrators_see_any_preview_and_file(client, users, run, role):
    client.login(username=users[role].username, password=PASSWORD)
    assert SECRET_ROW in client.get(pages(run)["preview"]).content.decode()
    assert client.get(pages(run)["file"]).status_code == 200


def test_the_uploader_keeps_seeing_their_import_after_moving_to_a_reading_role(client, editor, run):
    editor.groups.set([Group.objects.get_or_create(name="Viewer")[0]])
    client.login(username=editor.username, password=PASSWORD)
    assert SECRET_ROW in client.get(pages(run)["preview"]).content.decode()
    assert client.get(pages(run)["file"]).status_code == 200


def test_an_uploader_with_no_role_left_sees_nothing(client, editor, run):
    editor.groups.clear()
    client.login(username=editor.username, password=PASSWORD)
    assert client.get(pages(run)["preview"]).status_code == 403


def test_the_history_lists_every_import_to_readers_but_links_only_for_those_who_may_see_it(client, viewer, editor, run):
    client.login(username=viewer.username, password=PASSWORD)
    body = client.get(reverse("imports")).content.decode()
    assert "tracker.xlsx" in body and "Ready to apply" in body
    assert run.get_absolute_url() not in body
    client.logout()
    client.login(username=editor.username, password=PASSWORD)
    assert f'href="{run.get_absolute_url()}"' in client.get(reverse("imports")).content.decode()


def test_another_editors_upload_is_visible_to_an_editor(client, run):
    other = make_user("other-editor", role="Editor")
    client.login(username=other.username, password=PASSWORD)
    assert client.get(pages(run)["preview"]).status_code == 200
