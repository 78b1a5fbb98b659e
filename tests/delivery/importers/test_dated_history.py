"""Every import has an update date: undated entries are as at it, what it creates exists from it, and
loading past extracts in date order gives the history they describe."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from delivery import selectors, services
from delivery.importers.apply import apply_change_set
from delivery.importers.native import native_workbook
from delivery.models import Activity, ImportRun, Plan, ProgressUpdate

pytestmark = pytest.mark.django_db


def tracker(rag_1: str, update_1: str, rag_2: str, update_2: str, *, title="Charter tracker") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Tracker"
    for row in (
        [title],
        ["#", "Action", "Owner/s", "Date", "RAG", "Update"],
        ["Prevention"],
        [1, "Launch a rural crime prevention campaign.", "Supt Paley", "Dec 22", rag_1, update_1],
        [2, "Train SNT officers in problem solving.", "CI Preece", "Jun 23", rag_2, update_2],
    ):
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def load(data: bytes, user, on: date, name="Charter"):
    planned = services.import_read_and_plan(data=data, filename="t.xlsx", plan_name=name, as_at=on)
    assert not planned.errors, [e.message for e in planned.errors]
    return apply_change_set(planned, by=user, source="Imported from t.xlsx")


def state(on: date) -> dict:
    return {
        a.commitment.ref: (a.at_rag, a.at_progress)
        for a in selectors.activities_as_at(as_at=on).select_related("commitment")
    }


def test_three_past_extracts_loaded_in_date_order_give_the_history_as_at_each_date(editor):
    q1, q2, q3 = date(2022, 6, 30), date(2022, 9, 30), date(2022, 12, 31)
    load(tracker("G", "Campaign planned.", "", "Not started yet."), editor, q1)
    load(tracker("A", "Printer delayed the leaflets.", "G", "Trainer booked."), editor, q2)
    load(tracker("G", "Campaign launched.", "G", "Trainer booked."), editor, q3)
    assert state(date(2022, 6, 29)) == {}  # nothing existed before the first extract's date
    assert state(q1) == {"1": ("G", "Campaign planned."), "2": ("", "Not started yet.")}
    assert state(date(2022, 8, 1)) == state(q1)
    assert state(q2) == {"1": ("A", "Printer delayed the leaflets."), "2": ("G", "Trainer booked.")}
    assert state(q3) == {"1": ("G", "Campaign launched."), "2": ("G", "Trainer booked.")}
    first = Activity.objects.get(commitment__ref="1")
    assert first.created_on == q1
    assert list(first.updates.exclude(kind=ProgressUpdate.Kind.CREATED).order_by("on").values_list("on", "rag")) == [
        (q1, "G"),
        (q2, "A"),
        (q3, "G"),
    ]


def test_a_dated_prefix_in_a_cell_still_wins_for_its_entry(editor):
    load(tracker("G", "150622 – Campaign planned.", "", "Not started."), editor, date(2022, 6, 30))
    update = ProgressUpdate.objects.get(activity__commitment__ref="1", kind=ProgressUpdate.Kind.IMPORT)
    assert update.on == date(2022, 6, 15)
    assert Activity.objects.get(commitment__ref="1").created_on == date(2022, 6, 15)


def test_a_changed_row_of_the_plans_own_workbook_is_dated_by_the_imports_update_date(editor):
    load(tracker("G", "Campaign planned.", "", "Not started."), editor, date(2022, 6, 30))
    plan = Plan.objects.get()
    wb = load_workbook(io.BytesIO(native_workbook(plan=plan)))
    ws = wb.active
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[header.index("Ref")].value == "1")
    row[header.index("RAG")].value = "R"
    row[header.index("Latest update")].value = "Printer let us down."
    out = io.BytesIO()
    wb.save(out)
    planned = services.import_read_and_plan(data=out.getvalue(), filename="edited.xlsx", as_at=date(2022, 10, 14))
    assert planned.plan_id == plan.pk  # back to its own plan, whatever the file is called
    apply_change_set(planned, by=editor, source="x")
    activity = Activity.objects.get(commitment__ref="1")
    assert (activity.rag, activity.progress, activity.progress_on, activity.last_update_on) == (
        "R",
        "Printer let us down.",
        date(2022, 10, 14),  # never back-dated to the old "Latest update date" cell (30 June)
        date(2022, 10, 14),
    )
    assert selectors.recent_updates(limit=1)[0].activity == activity


def test_the_plans_own_workbook_into_another_plan_asks_for_confirmation(editor, tmp_path):
    load(tracker("G", "Campaign planned.", "", "Not started."), editor, date(2022, 6, 30))
    Plan.objects.create(name="Other plan")
    path = tmp_path / "renamed.xlsx"
    path.write_bytes(native_workbook(plan=Plan.objects.get(name="Charter")))
    with pytest.raises(SystemExit):
        call_command("import_plan", str(path), "--plan", "Other plan", "--as-user", "editor", stdout=io.StringIO())
    assert not Activity.objects.filter(commitment__plan__name="Other plan").exists()
    call_command(
        "import_plan",
        str(path),
        "--plan",
        "Other plan",
        "--as-user",
        "editor",
        "--confirm-other-plan",
        stdout=io.StringIO(),
    )
    assert Activity.objects.filter(commitment__plan__name="Other plan").count() == 2


def test_the_upload_suggests_the_update_date_from_the_title_and_the_preview_shows_it(
    client, editor, django_capture_on_commit_callbacks, eager_tasks
):
    from tests.factories import PASSWORD

    client.login(username=editor.username, password=PASSWORD)
    data = tracker(
        "G",
        "Planned.",
        "A",
        "Slipping.",
        title="Charter delivery plan: latest update available to the end of December 2019",
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/imports/new/", {"file": SimpleUploadedFile("t.xlsx", data), "layout": "auto", "plan_name": "Charter"}
        )
    run = ImportRun.objects.get()
    assert (run.as_at, run.suggest_as_at) == (date(2019, 12, 31), False)
    page = client.get(run.get_absolute_url()).content.decode()
    assert "31 December 2019" in page and "suggested from the title" in page
    assert "A new plan: Charter" in page and "1 objective, 0 sections, 2 commitments and 2 activities" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/imports/{run.pk}/apply/")
    assert Activity.objects.get(commitment__ref="2").created_on == date(2019, 12, 31)


def test_an_update_date_given_on_upload_is_used_and_one_in_the_future_is_refused(
    client, editor, django_capture_on_commit_callbacks, eager_tasks
):
    from tests.factories import PASSWORD

    client.login(username=editor.username, password=PASSWORD)
    data = tracker("G", "Planned.", "A", "Slipping.", title="Charter (July 2022)")
    post = {"file": SimpleUploadedFile("t.xlsx", data), "layout": "auto", "plan_name": "Charter", "as_at": "2099-01-01"}
    response = client.post("/imports/new/", post)
    assert "The update date cannot be in the future." in response.content.decode() and not ImportRun.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/imports/new/", {**post, "file": SimpleUploadedFile("t.xlsx", data), "as_at": "2022-09-30"})
    run = ImportRun.objects.get()
    assert (run.as_at, run.as_at_reason) == (date(2022, 9, 30), "")
