"""Upload, preview and apply through the pages; bad files get clear messages and write nothing."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from delivery.models import Activity, ImportRun, Plan, ProgressUpdate
from tests.delivery.importers.builders import tracker_workbook
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def upload(django_capture_on_commit_callbacks, eager_tasks):
    def post(client, data: bytes, name="tracker.xlsx", **fields):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("import-new"),
                {"file": SimpleUploadedFile(name, data), "layout": "auto", "plan_name": "Charter plan", **fields},
            )

    return post


@pytest.fixture
def apply(django_capture_on_commit_callbacks, eager_tasks):
    def post(client, run):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("import-apply", args=[run.pk]))

    return post


def test_an_editor_uploads_previews_and_applies_a_tracker(client, editor, upload, apply):
    login(client, editor)
    response = upload(client, tracker_workbook())
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response.url == run.get_absolute_url()
    assert run.state == ImportRun.State.PREVIEWED and not Plan.objects.exists()
    page = client.get(run.get_absolute_url()).content.decode()
    assert "Would create" in page and "4 activities" in page and "Apply these changes" in page
    assert 'Sheet "Notes": no header row' in page
    assert "Launch a rural crime prevention campaign." in page
    apply(client, run)
    run.refresh_from_db()
    assert run.state == ImportRun.State.APPLIED and run.result["created"]["activities"] == 4
    assert Activity.objects.count() == 4 and Plan.objects.get().name == "Charter plan"
    page = client.get(run.get_absolute_url()).content.decode()
    assert "4 activities created" in page
    history = client.get(reverse("imports")).content.decode()
    assert "tracker.xlsx" in history and "Applied" in history
    assert client.get(reverse("import-file", args=[run.pk])).status_code == 200


def test_the_same_preview_cannot_be_applied_twice(client, editor, upload, apply):
    login(client, editor)
    upload(client, tracker_workbook())
    run = ImportRun.objects.get()
    apply(client, run)
    response = apply(client, run)
    assert "cannot be applied: it is applied" in " ".join(m.message for m in response.wsgi_request._messages)
    assert Activity.objects.count() == 4


def test_a_workbook_with_errors_shows_them_and_cannot_be_applied(client, editor, upload, apply):
    login(client, editor)
    upload(client, tracker_workbook(bad_rag=True))
    run = ImportRun.objects.get()
    assert run.state == ImportRun.State.INVALID
    page = client.get(run.get_absolute_url()).content.decode()
    assert "is not a RAG rating" in page and "Apply these changes" not in page
    apply(client, run)
    assert not Activity.objects.exists()


@pytest.mark.parametrize("role", ["Owner", "Chief Executive", "Viewer"])
def test_only_editors_and_administrators_can_upload_or_apply(client, users, upload, role, editor):
    login(client, users[role])
    assert upload(client, tracker_workbook()).status_code == 403
    client.logout()
    login(client, editor)
    upload(client, tracker_workbook())
    client.logout()
    login(client, users[role])
    run = ImportRun.objects.get()
    assert client.post(reverse("import-apply", args=[run.pk])).status_code == 403
    assert client.get(reverse("import-file", args=[run.pk])).status_code == 403
    assert not Activity.objects.exists()


def _zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


BAD_FILES = {
    "renamed PDF": ("report.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n", "is a PDF"),
    "corrupt archive": ("broken.xlsx", b"PK\x03\x04" + b"\x00" * 200, "damaged"),
    "encrypted workbook": (
        "secret.xlsx",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 512,
        "password",
    ),
    "zip bomb": (
        "bomb.xlsx",
        _zip({"xl/workbook.xml": b"<workbook/>", "xl/big.xml": b"0" * (60 * 1024 * 1024)}),
        "expands to far more",
    ),
    "Word document": (
        "letter.xlsx",
        _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}),
        "Word document",
    ),
    "text file": ("notes.xlsx", b"Ref,Action\n1,Do it\n", "not an Excel workbook"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_files_are_refused_before_parsing_with_a_plain_message(client, editor, upload, case):
    name, data, phrase = BAD_FILES[case]
    login(client, editor)
    response = upload(client, data, name=name)
    assert response.status_code == 200
    assert phrase in response.content.decode()
    assert not ImportRun.objects.exists() and not Plan.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, editor, upload, settings):
    settings.IMPORT_MAX_BYTES = 10_000
    login(client, editor)
    response = upload(client, tracker_workbook() + b"\x00" * 20_000, name="big.xlsx")
    assert "the limit is" in response.content.decode() and not ImportRun.objects.exists()


def test_import_plan_command_dry_run_json_and_exit_codes(tmp_path, editor, capsys):
    path = tmp_path / "tracker.xlsx"
    path.write_bytes(tracker_workbook())
    call_command("import_plan", str(path), "--plan", "Charter plan", "--dry-run", "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["plan"] == "Charter plan" and report["layout"] == "tracker"
    assert report["created"] == {"objectives": 2, "sections": 0, "commitments": 4, "activities": 4, "updates": 4}
    assert set(report) >= {"updated", "unchanged", "missing", "warnings", "errors"}
    assert not Plan.objects.exists()

    call_command("import_plan", str(path), "--plan", "Charter plan", "--as-user", "editor")
    assert "Applied." in capsys.readouterr().out and Activity.objects.count() == 4
    assert Activity.objects.first().updates.last().author == editor

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(tracker_workbook(bad_rag=True))
    with pytest.raises(SystemExit) as exit_:
        call_command("import_plan", str(bad), "--plan", "Charter plan", "--as-user", "editor", "--json")
    assert exit_.value.code == 1
    report = json.loads(capsys.readouterr().out)
    assert report["errors"][0] == {
        "sheet": "Tracker",
        "row": 7,
        "column": "E",
        "message": report["errors"][0]["message"],
    }
    assert Activity.objects.count() == 4


def test_import_plan_refuses_a_user_who_cannot_edit(tmp_path, viewer):
    from django.core.management import CommandError

    path = tmp_path / "tracker.xlsx"
    path.write_bytes(tracker_workbook())
    with pytest.raises(CommandError, match="Only editors and administrators"):
        call_command("import_plan", str(path), "--as-user", "viewer")


def test_export_plan_then_import_changes_nothing(tmp_path, editor, capsys):
    call_command("seed_demo", verbosity=0)
    capsys.readouterr()
    plan = Plan.objects.get()
    updates_before = ProgressUpdate.objects.count()
    out = tmp_path / "plan.xlsx"
    call_command("export_plan", "--plan", plan.name, "--output", str(out))
    call_command("import_plan", str(out), "--plan", plan.name, "--as-user", "admin", "--json")
    report = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert sum(report["created"].values()) == 0 and sum(report["updated"].values()) == 0
    assert report["unchanged"]["activities"] == Activity.objects.count()
    assert ProgressUpdate.objects.count() == updates_before  # nothing written, not even an update
    run = ImportRun.objects.get(pk=report["import_id"])  # the command's import is in the history
    assert (run.state, run.created_by.username, run.filename) == (ImportRun.State.APPLIED, "admin", "plan.xlsx")
