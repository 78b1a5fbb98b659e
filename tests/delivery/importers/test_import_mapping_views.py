"""The upload page picks the right plan; the preview asks for the columns and values when unsure, shows
what was understood when nothing was, and the plan's own workbook asks before going to another plan."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from delivery.importers.native import native_workbook
from delivery.models import Activity, ImportProfile, ImportRun, Plan
from tests.delivery.importers.builders import tracker_workbook
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def workbook(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Tracker"
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def signed_in(client, editor):
    assert client.login(username=editor.username, password=PASSWORD)
    return client


@pytest.fixture
def post(signed_in, django_capture_on_commit_callbacks, eager_tasks):
    def send(url, data):
        with django_capture_on_commit_callbacks(execute=True):
            return signed_in.post(url, data)

    return send


def upload(post, data, name="tracker.xlsx", **fields):
    response = post("/imports/new/", {"file": SimpleUploadedFile(name, data), "layout": "auto", **fields})
    return response, ImportRun.objects.order_by("-pk").first()


def test_the_upload_page_lists_the_plans_and_offers_a_new_one(signed_in):
    Plan.objects.create(name="Safer West Mercia Plan")
    page = signed_in.get("/imports/new/").content.decode()
    assert '<option value="" selected>A new plan</option>' in page
    assert "Safer West Mercia Plan</option>" in page and "Name of the new plan" in page and "Update date" in page


def test_a_chosen_plan_is_the_one_updated_whatever_the_workbook_title(post):
    plan = Plan.objects.create(name="Community Charter")
    _, run = upload(post, tracker_workbook(), plan=plan.pk)
    assert run.state == ImportRun.State.PREVIEWED and run.preview["plan_id"] == plan.pk


def test_a_new_plans_name_that_is_an_existing_plans_is_refused(post):
    Plan.objects.create(name="Community Charter")
    response, run = upload(post, tracker_workbook(), plan_name="community charter")
    assert run is None
    assert (
        "There is already a plan called &quot;Community Charter&quot;: choose it from the list"
        in response.content.decode()
    )


def test_a_csv_file_uploads_and_previews(post):
    text = "#,Action,Owner/s,Date,RAG,Update\nPrevention\n1,Launch a campaign,Supt Paley,Dec 22,G,Planned\n"
    _, run = upload(post, text.encode("utf-8-sig"), name="tracker.csv", plan_name="CSV plan")
    assert run.state == ImportRun.State.PREVIEWED and run.preview["created"]["activities"] == 1


def test_the_mapping_step_shows_columns_with_samples_and_saves_the_answer_as_a_profile(post, signed_in):
    rows = [
        ["#", "Action", "Owner", "Update", "Progress"],
        ["Prevention"],
        [1, "Launch a rural crime prevention campaign.", "Supt Paley", "Old text kept elsewhere.", "Signed off."],
    ]
    _, run = upload(post, workbook(rows), plan_name="Charter")
    assert run.state == ImportRun.State.INVALID
    page = signed_in.get(run.get_absolute_url()).content.decode()
    assert "Tell us what the columns hold" in page
    assert 'name="col-0-3"' in page and "Old text kept elsewhere." in page and "Signed off." in page
    assert '<option value="progress" selected>' in page  # pre-filled with the best guess
    post(
        f"/imports/{run.pk}/mapping/",
        {
            "col-0-0": "ref",
            "col-0-1": "activity",
            "col-0-2": "owners",
            "col-0-3": "",
            "col-0-4": "progress",
            "header-0": "1",
            "profile_name": "Charter tracker",
            "as_at": "2026-09-30",
        },
    )
    run.refresh_from_db()
    assert run.state == ImportRun.State.PREVIEWED, run.preview["errors"]
    assert str(run.as_at) == "2026-09-30" and run.profile.name == "Charter tracker"
    page = signed_in.get(run.get_absolute_url()).content.decode()
    assert "“Charter tracker”: the column mapping saved for this plan" in page and "How the workbook was read" in page
    post(f"/imports/{run.pk}/apply/", {})
    assert Activity.objects.get().progress == "Signed off."
    assert ImportProfile.objects.get().plan == Plan.objects.get(name="Charter")  # linked once the plan exists


def test_a_workbook_with_nothing_recognised_shows_its_first_rows_as_a_grid(post, signed_in):
    rows = [["Col 1", "Col 2", "Col 3"], ["1", "Launch a campaign.", "Supt Paley"]]
    _, run = upload(post, workbook(rows), plan_name="Grid")
    page = signed_in.get(run.get_absolute_url()).content.decode()
    assert "The first rows of “Tracker” as read" in page and "not recognised" in page
    assert "No sheet in this workbook looks like a delivery plan" in page


def test_the_plans_own_workbook_returns_to_its_plan_and_asks_before_going_into_another(post, signed_in, editor):
    from datetime import date

    from tests.delivery.importers.test_dated_history import load, tracker

    load(tracker("G", "Planned.", "A", "Slipping."), editor, date(2022, 6, 30))
    charter = Plan.objects.get()
    other = Plan.objects.create(name="Other plan")
    _, run = upload(post, native_workbook(plan=charter), name="anything at all.xlsx")
    assert run.preview["plan_id"] == charter.pk and not run.preview["other_plan"]
    _, run = upload(post, native_workbook(plan=charter), name="anything.xlsx", plan=other.pk)
    assert run.preview["other_plan"] == {"from": "Charter", "into": "Other plan"}
    page = signed_in.get(run.get_absolute_url()).content.decode()
    assert 'data-testid="other-plan"' in page and 'name="confirm_other_plan"' in page
    post(f"/imports/{run.pk}/apply/", {})
    run.refresh_from_db()
    assert run.state == ImportRun.State.PREVIEWED  # refused: not confirmed
    post(f"/imports/{run.pk}/apply/", {"confirm_other_plan": "yes"})
    run.refresh_from_db()
    assert run.state == ImportRun.State.APPLIED and other.commitments.count() == 2


def test_a_viewer_cannot_change_an_imports_mapping(client, viewer, post):
    _, run = upload(post, tracker_workbook(), plan_name="Charter")
    client.login(username=viewer.username, password=PASSWORD)
    response = client.post(f"/imports/{run.pk}/mapping/", {"col-0-0": "ref"})
    assert response.status_code == 403 and not ImportProfile.objects.exists()


def test_the_preview_page_queries_do_not_grow_with_the_workbook(post, signed_in):
    from tests.delivery.importers.builders import tracker_rows

    counts = []
    for n in (5, 200):
        data = tracker_workbook(strands=[("Prevention", tracker_rows(n))], extra_sheet=False)
        _, run = upload(post, data, plan_name=f"Plan {n}")
        with CaptureQueriesContext(connection) as queries:
            assert signed_in.get(run.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
