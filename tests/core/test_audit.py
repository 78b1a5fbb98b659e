"""The audit trail (issue 15): an entry for each write path, with who, when and each field before and
after; imports, extracts and sign-ins; entries nobody can change; the log pages."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import audit
from core.models import AuditEntry
from delivery import services
from delivery.models import Activity, Commitment, Extract, ImportRun, ProgressUpdate, Rag, Status
from kpis import services as kpi_services
from meetings import services as meeting_services
from tests.delivery.importers.builders import tracker_workbook
from tests.factories import PASSWORD, OversightBodyFactory, make_activity
from tests.kpis.factories import MeasureFactory
from tests.meetings.conftest import make_action, make_meeting

pytestmark = pytest.mark.django_db

Action = AuditEntry.Action


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def entries_for(obj, action=None):
    qs = AuditEntry.objects.filter(model_label=obj._meta.label_lower, object_id=str(obj.pk))
    return list(qs.filter(action=action) if action else qs)


# --- each write path ------------------------------------------------------------------------------


def test_a_service_update_records_each_changed_field_before_and_after_by_the_user(editor):
    with audit.acting_as(editor, source=audit.Source.WEB):
        activity = make_activity(text="Open a rural crime hub", by=editor)
        services.activity_record_update(
            activity=activity,
            by=editor,
            seen_version=activity.version,
            rag=Rag.AMBER,
            text="Lease delayed.",
            due_date=date(2026, 3, 31),
        )
    created = entries_for(activity, Action.CREATE)
    assert len(created) == 1 and created[0].changes["text"] == [None, "Open a rural crime hub"]
    (changed,) = entries_for(activity, Action.UPDATE)
    assert changed.changes["rag"] == ["", "A"]
    assert changed.changes["due_date"][1] == "2026-03-31"
    assert "version" not in changed.changes and "commitment_id" not in changed.changes  # unchanged, or bookkeeping
    assert changed.actor == editor and changed.actor_name == "editor" and changed.source == "web"


def test_the_commitment_service_and_an_inline_rag_change_on_the_web_are_recorded_as_the_signed_in_user(client, editor):
    activity = make_activity()
    login(client, editor)
    response = client.post(
        reverse("activity-rag", args=[activity.pk]),
        {"rag": "R", "text": "Funding withdrawn.", "seen_version": activity.version},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    (changed,) = entries_for(activity, Action.UPDATE)
    assert changed.changes["rag"] == ["", "R"] and changed.actor == editor and changed.source == "web"
    assert changed.ip == "127.0.0.1" and changed.request_id
    c = activity.commitment
    services.commitment_update(by=editor, commitment=c, objective=c.objective, ref=c.ref, text="Safer roads")
    (commitment_change,) = entries_for(c, Action.UPDATE)
    assert commitment_change.changes["text"][1] == "Safer roads"


def test_marking_an_update_for_the_panel_bypasses_save_and_is_still_recorded(editor):
    activity = make_activity()
    update = services.activity_record_update(
        activity=activity, by=editor, seen_version=activity.version, text="Hub opened in Ludlow."
    )
    services.progress_update_set_for_panel(update=update, by=editor, for_panel=True)
    (marked,) = entries_for(update, Action.UPDATE)
    assert marked.changes == {"for_panel": [False, True]}


def test_kpi_and_meeting_services_record_creates_updates_and_deletes(editor):
    with audit.acting_as(editor):
        measure = MeasureFactory(name="Burglary of a dwelling")
        kpi_services.measure_set_targets(
            by=editor, measure=measure, targets=[{"value": 10, "starts_on": date(2024, 4, 1)}]
        )
        kpi_services.measure_set_targets(
            by=editor, measure=measure, targets=[{"value": 8, "starts_on": date(2025, 4, 1)}]
        )
    target_entries = AuditEntry.objects.filter(model_label="kpis.target")
    assert [e.action for e in target_entries.order_by("id")] == ["create", "delete", "create"]
    assert target_entries.filter(action="delete").get().changes["value"][0] in ("10", 10, "10.000", 10.0)

    meeting = make_meeting(by=editor, findings=[("Response times improved in rural areas", True)])
    meeting_services.findings_save(by=editor, meeting=meeting, findings=[{"text": "Victim contact lags"}])
    findings = AuditEntry.objects.filter(model_label="meetings.finding").order_by("id")
    assert [e.action for e in findings] == ["create", "delete", "create"]
    assert findings.last().changes["text"] == [None, "Victim contact lags"]
    assert entries_for(meeting, Action.CREATE)[0].changes["subject_area"][1] == "Connecting with Communities"
    assert entries_for(meeting, Action.UPDATE)[0].changes["state"][0] == "draft"  # approved


def test_an_admin_save_and_delete_are_recorded_with_the_administrator(client, admin_user):
    login(client, admin_user)
    body = OversightBodyFactory(name="Victims' Board")
    url = reverse("admin:delivery_oversightbody_change", args=[body.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {k: ("on" if v is True else "" if v in (None, False) else v) for k, v in form.initial.items()}
    data["name"] = "Victims and Witnesses Board"
    assert client.post(url, data).status_code == 302
    (changed,) = entries_for(body, Action.UPDATE)
    assert changed.changes["name"] == ["Victims' Board", "Victims and Witnesses Board"]
    assert changed.actor == admin_user
    client.post(reverse("admin:delivery_oversightbody_delete", args=[body.pk]), {"post": "yes"})
    (deleted,) = entries_for(body, Action.DELETE)
    assert deleted.changes["name"] == ["Victims and Witnesses Board", None] and deleted.actor == admin_user


def test_an_import_applied_from_the_web_records_each_object_and_one_import_entry_by_who_applied_it(
    client, editor, admin_user, django_capture_on_commit_callbacks, eager_tasks
):
    login(client, editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("import-new"),
            {
                "file": SimpleUploadedFile("tracker.xlsx", tracker_workbook()),
                "layout": "auto",
                "plan_name": "Charter plan",
            },
        )
    run = ImportRun.objects.get()
    client.logout()
    login(client, admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("import-apply", args=[run.pk]))
    run.refresh_from_db()
    assert run.state == ImportRun.State.APPLIED
    (imported,) = AuditEntry.objects.filter(action=Action.IMPORT)
    assert imported.actor == admin_user and imported.detail["file"] == "tracker.xlsx"
    assert imported.detail["created"]["activities"] == 4
    created = AuditEntry.objects.filter(action=Action.CREATE, model_label="delivery.activity")
    assert created.count() == Activity.objects.count() == 4
    assert {e.actor_name for e in created} == {"admin"} and {e.source for e in created} == {"job"}
    assert AuditEntry.objects.filter(action=Action.CREATE, model_label="delivery.commitment").count() == 4
    # The updates written are the activities' own trail (author, file), counted in the import's entry.
    assert not AuditEntry.objects.filter(model_label="delivery.progressupdate").exists()
    assert imported.detail["created"]["updates"] == ProgressUpdate.objects.exclude(kind="created").count() > 0
    assert set(ProgressUpdate.objects.values_list("author_id", "source").distinct()) == {
        (admin_user.pk, ProgressUpdate.objects.first().source)
    }


def test_an_import_applied_again_with_changes_records_before_and_after_from_the_command_line(tmp_path, editor):
    path = tmp_path / "tracker.xlsx"
    path.write_bytes(tracker_workbook())
    call_command("import_plan", str(path), "--plan", "Charter plan", "--as-user", "editor")
    activity = Activity.objects.get(text__startswith="Launch a rural crime")
    assert activity.rag == "G"
    row = [
        1,
        "Launch a rural crime prevention campaign.",
        "Corporate Comms Supt Paley / CI Preece",
        "By Oct 22",
        "R",
        "290622 – Campaign materials signed off.",
    ]
    path.write_bytes(tracker_workbook(strands=[("Prevention", [row])]))
    call_command("import_plan", str(path), "--plan", "Charter plan", "--as-user", "editor")
    (changed,) = entries_for(activity, Action.UPDATE)
    assert changed.changes["rag"] == ["G", "R"] and changed.actor == editor and changed.source == "command"
    assert AuditEntry.objects.filter(action=Action.IMPORT).count() == 2


def test_an_extract_is_recorded_with_who_asked_for_it(client, viewer, django_capture_on_commit_callbacks, eager_tasks):
    plan = make_activity().commitment.plan
    login(client, viewer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("extract-new"),
            {
                "plan": plan.pk,
                "as_at": date.today().isoformat(),
                "columns": list(Extract.COLUMNS),
                "formats": ["csv"],
                "title": "Appendix 1",
                "subtitle": "",
            },
        )
    extract = Extract.objects.get()
    assert extract.state == Extract.State.DONE
    (entry,) = AuditEntry.objects.filter(action=Action.EXTRACT)
    assert entry.actor == viewer and entry.source == "job" and entry.detail["format"] == "csv"
    assert entry.detail["rows"] == 1


def test_the_export_extract_command_is_recorded(tmp_path):
    plan = make_activity().commitment.plan
    call_command(
        "export_extract",
        "--plan",
        plan.name,
        "--format",
        "csv",
        "--output",
        str(tmp_path / "a1.csv"),
        stdout=io.StringIO(),
    )
    (entry,) = AuditEntry.objects.filter(action=Action.EXTRACT)
    assert entry.source == "command" and entry.detail["plan"] == plan.name


# --- sign-in, sign-out, failed sign-in ----------------------------------------------------------


def test_sign_in_sign_out_and_a_failed_sign_in_are_recorded_without_the_password(client, editor):
    client.post(reverse("login"), {"username": "editor", "password": "not-the-password"})
    (failed,) = AuditEntry.objects.filter(action=Action.LOGIN_FAILED)
    assert failed.detail == {"username": "editor"} and failed.actor is None and failed.ip == "127.0.0.1"
    assert "not-the-password" not in str(failed.detail) + failed.object_repr
    client.post(reverse("login"), {"username": "editor", "password": PASSWORD})
    (signed_in,) = AuditEntry.objects.filter(action=Action.LOGIN)
    assert signed_in.actor == editor and signed_in.ip == "127.0.0.1"
    client.post(reverse("logout"))
    (signed_out,) = AuditEntry.objects.filter(action=Action.LOGOUT)
    assert signed_out.actor == editor


def test_a_sign_in_refused_by_the_lockout_is_still_recorded_as_failed(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        client.post(reverse("login"), {"username": "editor", "password": "wrong"})
    assert AuditEntry.objects.filter(action=Action.LOGIN_FAILED).count() == settings.AXES_FAILURE_LIMIT + 1


def test_deleting_a_user_keeps_their_entries_and_their_name(editor):
    with audit.acting_as(editor):
        activity = make_activity(by=editor)
    get_user_model().objects.filter(pk=editor.pk).delete()
    entry = entries_for(activity, Action.CREATE)[0]
    entry.refresh_from_db()
    assert entry.actor_name == "editor"


def test_a_job_records_its_person_and_nothing_set_records_the_system():
    activity = make_activity()
    (entry,) = entries_for(activity, Action.CREATE)
    assert entry.actor is None and entry.actor_name == "" and entry.source == "system"


# --- nobody changes the log ----------------------------------------------------------------------


def test_an_entry_cannot_be_changed_or_deleted_through_the_model():
    entry = audit.record(Action.LOGIN_FAILED, object_repr="someone")
    entry.object_repr = "someone else"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(object_repr="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).object_repr == "someone"


def test_the_admin_shows_entries_but_offers_no_add_change_or_delete_even_to_a_superuser(client, admin_user):
    login(client, admin_user)
    entry = audit.record(Action.LOGIN_FAILED, object_repr="someone")
    assert client.get(reverse("admin:core_auditentry_changelist")).status_code == 200
    assert client.get(reverse("admin:core_auditentry_add")).status_code == 403
    assert client.get(reverse("admin:core_auditentry_delete", args=[entry.pk])).status_code == 403
    change = client.get(reverse("admin:core_auditentry_change", args=[entry.pk]))
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    assert (
        client.post(reverse("admin:core_auditentry_change", args=[entry.pk]), {"object_repr": "x"}).status_code == 403
    )
    assert client.post(reverse("admin:core_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).object_repr == "someone"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_on_postgresql_raw_sql_cannot_update_or_delete_an_entry():
    entry = audit.record(Action.LOGIN_FAILED, object_repr="someone")
    for sql in (
        "UPDATE core_auditentry SET object_repr = 'x' WHERE id = %s",
        "DELETE FROM core_auditentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).object_repr == "someone"


# --- the pages -----------------------------------------------------------------------------------


def test_the_audit_log_filters_by_who_what_kind_and_date(client, chief, editor):
    with audit.acting_as(editor, source=audit.Source.WEB):
        activity = make_activity(text="Open a rural crime hub", by=editor)
    audit.record(Action.LOGIN_FAILED, object_repr="mallory", detail={"username": "mallory"})
    login(client, chief)
    url = reverse("audit-log")
    page = client.get(url, {"who": "editor", "model": "delivery.activity"}).content.decode()
    assert "Open a rural crime hub" in page and "mallory" not in page
    page = client.get(url, {"action": "login_failed"}).content.decode()
    assert "mallory" in page and "Open a rural crime hub" not in page
    page = client.get(url, {"on_or_before": "01/01/2000"}).content.decode()
    assert "Open a rural crime hub" not in page and "mallory" not in page
    page = client.get(url, {"on_or_after": "31/02/2024"}).content.decode()
    assert "Enter a real date" in page
    page = client.get(url, {"model": "delivery.activity", "object_id": activity.pk}).content.decode()
    assert "Open a rural crime hub" in page


def test_the_csv_export_neutralises_formulas(client, admin_user):
    audit.record(Action.LOGIN_FAILED, object_repr='=HYPERLINK("http://x")', detail={"username": "=1+1"})
    login(client, admin_user)
    response = client.get(reverse("audit-log"), {"action": "login_failed", "_export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["When", "Who", "What was done"]
    assert all(not cell.startswith("=") for row in rows[1:] for cell in row)
    assert any(cell.startswith("'=HYPERLINK") for cell in rows[1])


def test_the_audit_log_makes_the_same_number_of_queries_for_few_and_many_entries(client, admin_user):
    login(client, admin_user)
    AuditEntry.objects.bulk_create([audit.entry(Action.LOGIN_FAILED, object_repr=f"u{i}") for i in range(5)])
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("audit-log")).status_code == 200
    AuditEntry.objects.bulk_create([audit.entry(Action.LOGIN_FAILED, object_repr=f"u{i}") for i in range(300)])
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("audit-log")).status_code == 200
    assert len(many) == len(few)


def test_the_activity_page_shows_its_audit_trail_to_editors_but_not_to_viewers(client, editor, viewer):
    activity = make_activity(text="Open a rural crime hub")
    services.activity_record_update(
        activity=activity, by=editor, seen_version=activity.version, status=Status.IN_PROGRESS, text="Started."
    )
    login(client, editor)
    page = client.get(activity.get_absolute_url()).content.decode()
    assert 'data-testid="audit-history"' in page and "in_progress" in page
    client.logout()
    login(client, viewer)
    assert 'data-testid="audit-history"' not in client.get(activity.get_absolute_url()).content.decode()


def test_the_measure_meeting_and_action_pages_show_their_audit_trail(client, chief):
    measure = MeasureFactory(name="Burglary of a dwelling")
    action = make_action()
    login(client, chief)
    for url in (
        reverse("kpis:measure", args=[measure.pk]),
        action.meeting.get_absolute_url(),
        action.get_absolute_url(),
    ):
        page = client.get(url).content.decode()
        assert 'data-testid="audit-history"' in page, url
        assert "This record in the audit log" in page


def test_every_model_of_the_plan_kpis_and_meetings_is_registered():
    labels = {m._meta.label_lower for m in audit.registered()}
    assert {
        "delivery.plan",
        "delivery.objective",
        "delivery.section",
        "delivery.commitment",
        "delivery.activity",
        "delivery.progressupdate",
        "delivery.owner",
        "delivery.oversightbody",
        "kpis.measure",
        "kpis.target",
        "kpis.observation",
        "kpis.kpiaction",
        "kpis.commentary",
        "meetings.meeting",
        "meetings.action",
        "meetings.actionupdate",
        "meetings.finding",
        "meetings.agendaitem",
        "meetings.writtenrequest",
    } <= labels
    assert Commitment in audit.registered()
