"""An owner's workbook back through the shared import: preview, all-or-nothing, only their activities in
the round, with the owner as the author; an owner cannot upload for another owner."""

from __future__ import annotations

from io import BytesIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from delivery.models import ImportRun, ProgressUpdate
from rounds import selectors
from rounds.models import RoundItem, RoundRequest
from tests.factories import PASSWORD

PROGRESS_COL = 19  # "Latest update" (1-based), see delivery/importers/columns.py
RAG_COL = 17


def workbook_with(request: RoundRequest, updates: dict[str, str], extra_rows: list[tuple] = ()) -> bytes:
    wb = openpyxl.load_workbook(BytesIO(selectors.request_workbook(request=request)))
    ws = wb["Activities"]
    for row in ws.iter_rows(min_row=2):
        if row[9].value in updates:
            row[PROGRESS_COL - 1].value = updates[row[9].value]
            row[RAG_COL - 1].value = "A"
    for values in extra_rows:
        ws.append(values)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def rows_of(request: RoundRequest) -> list[tuple]:
    ws = openpyxl.load_workbook(BytesIO(selectors.request_workbook(request=request)))["Activities"]
    return [tuple(c for c in row) for row in ws.iter_rows(min_row=2, values_only=True)]


@pytest.fixture
def uploading(client, owner_user, django_capture_on_commit_callbacks, eager_tasks):
    assert client.login(username=owner_user.username, password=PASSWORD)

    def upload(request: RoundRequest, data: bytes):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("rounds:request-upload", args=[request.pk]),
                {"file": SimpleUploadedFile("my-update.xlsx", data)},
            )
        return response

    return upload


def test_an_owner_uploads_their_workbook_and_is_the_author(
    client, owner_user, open_round, uploading, django_capture_on_commit_callbacks
):
    rnd, acts = open_round
    paley = rnd.requests.get(owner__name="Supt Paley")
    text = "Audit of 40 victim files complete; compliance at 86%."
    response = uploading(paley, workbook_with(paley, {acts["a1"].text: text}))
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response.url == run.get_absolute_url()
    assert run.state == ImportRun.State.PREVIEWED, run.preview.get("errors")
    preview_page = client.get(run.get_absolute_url()).content.decode()
    assert "Apply" in preview_page
    assert not ProgressUpdate.objects.filter(text=text).exists()  # nothing yet: a preview
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("import-apply", args=[run.pk])).status_code == 302
    run.refresh_from_db()
    assert run.state == ImportRun.State.APPLIED, run.error
    update = ProgressUpdate.objects.get(activity=acts["a1"], text=text)
    assert update.author == owner_user and update.rag == "A"
    item = RoundItem.objects.get(request=paley, activity=acts["a1"])
    assert item.state == RoundItem.State.SUBMITTED and item.update == update
    assert RoundItem.objects.get(request=paley, activity=acts["a2"]).state == RoundItem.State.AWAITING


def test_a_row_of_someone_elses_activity_is_refused_and_nothing_is_applied(client, open_round, uploading):
    rnd, acts = open_round
    paley = rnd.requests.get(owner__name="Supt Paley")
    digital = rnd.requests.get(owner__name="Digital Services")
    others = [r for r in rows_of(digital) if r[9] == acts["a3"].text]
    data = workbook_with(paley, {acts["a1"].text: "Audit complete."}, extra_rows=others)
    uploading(paley, data)
    run = ImportRun.objects.get()
    assert run.state == ImportRun.State.INVALID
    errors = run.preview["errors"]
    assert any(
        e["sheet"] == "Activities" and e["row"] == 4 and "not one of Supt Paley's activities" in e["message"]
        for e in errors
    ), errors
    assert "not one of Supt Paley" in client.get(run.get_absolute_url()).content.decode()
    # Invalid: it cannot be applied, and nothing was written.
    client.post(reverse("import-apply", args=[run.pk]))
    assert not ProgressUpdate.objects.filter(text="Audit complete.").exists()
    assert RoundItem.objects.get(request=paley, activity=acts["a1"]).state == RoundItem.State.AWAITING


def test_an_owner_cannot_upload_for_another_owner(client, open_round, uploading):
    rnd, acts = open_round
    digital = rnd.requests.get(owner__name="Digital Services")
    response = uploading(digital, workbook_with(digital, {acts["a3"].text: "Supplier chosen."}))
    assert response.status_code == 403
    assert not ImportRun.objects.exists()


def test_an_owner_cannot_change_an_activitys_wording_through_the_round(open_round, uploading):
    rnd, _acts = open_round
    paley = rnd.requests.get(owner__name="Supt Paley")
    wb = openpyxl.load_workbook(BytesIO(selectors.request_workbook(request=paley)))
    ws = wb["Activities"]
    ws.cell(row=2, column=10).value = "Something else entirely"
    out = BytesIO()
    wb.save(out)
    uploading(paley, out.getvalue())
    run = ImportRun.objects.get()
    assert run.state == ImportRun.State.INVALID
    assert any("only editors can change text" in e["message"] for e in run.preview["errors"]), run.preview["errors"]


def test_an_editor_uploads_for_an_owner_without_a_login_and_rows_match_their_own_activities(
    client, editor, open_round, django_capture_on_commit_callbacks, eager_tasks
):
    """The CiP manager owns only the commitment's second activity: the one-row workbook still updates
    that activity (matched by its position), not the commitment's first."""
    rnd, acts = open_round
    cip = rnd.requests.get(owner__name="CiP manager")
    assert cip.user is None
    assert client.login(username=editor.username, password=PASSWORD)
    text = "Advocacy contract awarded to a local provider from April."
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("rounds:request-upload", args=[cip.pk]),
            {"file": SimpleUploadedFile("cip.xlsx", workbook_with(cip, {acts["a2"].text: text}))},
        )
    run = ImportRun.objects.get()
    assert run.state == ImportRun.State.PREVIEWED, run.preview.get("errors")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("import-apply", args=[run.pk]))
    assert ProgressUpdate.objects.get(text=text).activity == acts["a2"]
    assert not ProgressUpdate.objects.filter(activity=acts["a1"], text=text).exists()
    assert set(RoundItem.objects.filter(activity=acts["a2"]).values_list("state", flat=True)) == {"submitted"}
