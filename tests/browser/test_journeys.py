"""Key journeys in a real browser."""

from datetime import date

import pytest
from playwright.sync_api import expect

from delivery.models import Activity, Rag, Status
from tests.factories import PASSWORD, CommitmentFactory, OwnerFactory, SectionFactory, make_activity, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_an_owner_moves_their_activity_to_amber_and_sees_it_in_history_and_on_home(page, live_server):
    owner = make_user("paley", role="Owner", first_name="Anna", last_name="Paley")
    section = SectionFactory(title="Policing element")
    commitment = CommitmentFactory(
        objective=section.objective, section=section, ref="1.1", text="Improve 101 call handling"
    )
    mine = make_activity(
        commitment=commitment,
        sub_ref="1.1.1",
        text="Introduce call-back for abandoned 101 calls",
        owners=[OwnerFactory(name="Supt Paley", user=owner)],
        rag=Rag.GREEN,
        status=Status.IN_PROGRESS,
        due_date=date(2027, 3, 31),
        on=date(2025, 1, 6),
    )
    make_activity(
        commitment=commitment,
        sub_ref="1.1.2",
        text="Someone else's activity",
        owners=[OwnerFactory(name="CI Preece")],
        rag=Rag.GREEN,
        on=date(2025, 1, 6),
    )

    sign_in(page, live_server, "paley")
    expect(page.locator(".rag-chart .bar").first).to_have_attribute("aria-label", "Green 2")

    page.get_by_role("link", name=commitment.plan.name).click()
    page.get_by_role("link", name="Update 1.1.1").click()
    page.get_by_label("Amber").check()
    page.get_by_role("button", name="Save update").click()
    # Amber without a reason is refused, with the reason asked for by name.
    expect(page.get_by_role("alert").get_by_text("Say why the activity is now Amber.")).to_be_visible()
    assert Activity.objects.get(pk=mine.pk).rag == Rag.GREEN

    page.get_by_label("Amber").check()
    page.get_by_label("Progress update").fill("Telephony supplier has slipped; new go-live agreed for spring.")
    page.get_by_role("button", name="Save update").click()

    expect(page.get_by_text("Update saved.")).to_be_visible()
    history = page.locator(".timeline__item").first
    assert "Telephony supplier has slipped" in history.inner_text()
    assert "Anna Paley" in history.inner_text()
    changes = history.locator(".table--changes").inner_text()
    assert "RAG" in changes and "Green" in changes and "Amber" in changes

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Home").click()
    expect(page.locator(".rag-chart .bar").first).to_have_attribute("aria-label", "Amber 1, Green 1")
    expect(page.get_by_role("cell", name="Telephony supplier has slipped", exact=False)).to_be_visible()

    # Not their activity: no update link, and the page itself refuses.
    response = page.goto(f"{live_server.url}/activities/{mine.pk + 1}/update/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="You do not have permission to do that")).to_be_visible()


def test_an_editor_changes_rag_inline_from_the_activity_list(page, live_server):
    make_user("jo", role="Editor")
    a = make_activity(text="Pilot rural crime drone patrols", rag=Rag.GREEN, on=date(2025, 1, 6))
    sign_in(page, live_server, "jo")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Activities").click()
    row = page.get_by_role("row").filter(has_text="Pilot rural crime drone patrols")
    row.get_by_label(f"RAG for {a.full_ref}").select_option("R")
    row.get_by_label("Reason (needed for Red or Amber)").fill("Aviation authority permit refused.")
    row.get_by_role("button", name="Save").click()
    expect(row.get_by_role("status").get_by_text("Saved")).to_be_visible()
    assert Activity.objects.get(pk=a.pk).rag == Rag.RED
    page.reload()
    expect(
        page.get_by_role("row").filter(has_text="Pilot rural crime drone patrols").locator(".rag--red")
    ).to_be_visible()


@pytest.fixture
def worker_if_broker():
    """With a broker configured (CI) the job runs on a real Celery worker; without one, in-process."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    if app.conf.task_always_eager:
        yield
        return
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield


def test_a_scrutiny_officer_generates_appendix_1_and_downloads_it(page, live_server, worker_if_broker, tmp_path):
    import docx

    make_user("scrutiny", role="Viewer", first_name="Pat", last_name="Reid")
    section = SectionFactory(title="Policing element")
    commitment = CommitmentFactory(objective=section.objective, section=section, ref="A.1", text="Tackle county lines")
    a = make_activity(
        commitment=commitment,
        sub_ref="A1.1",
        text="Map county lines into the force area",
        rag=Rag.AMBER,
        status=Status.IN_PROGRESS,
        on=date(2025, 1, 6),
    )
    from delivery import services

    editor = make_user("ed", role="Editor")
    services.activity_record_update(
        activity=a, by=editor, seen_version=a.version, text="Mapping half done.", on=date(2025, 3, 1)
    )
    services.activity_record_update(
        activity=a, by=editor, seen_version=a.version, text="Mapping finished.", on=date(2025, 9, 1)
    )

    sign_in(page, live_server, "scrutiny")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Extracts").click()
    page.get_by_role("link", name="New extract").click()
    page.get_by_label("As at").fill("2025-06-30")
    page.get_by_label("Excel (.xlsx)").uncheck()
    page.get_by_label("Word (.docx)").check()
    page.get_by_role("button", name="Generate").click()

    expect(page.get_by_role("status").filter(has_text="Ready")).to_be_visible(timeout=30_000)
    with page.expect_download() as info:
        page.get_by_test_id("download").click()
    download = info.value
    assert download.suggested_filename.endswith("-as-at-2025-06-30.docx")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    document = docx.Document(str(target))
    text = "\n".join(c.text for row in document.tables[0].rows for c in row.cells)
    assert "Mapping half done." in text and "Mapping finished." not in text
    assert document.paragraphs[0].text == "Appendix 1 – Delivery Plan Extract"
    expect(page.get_by_role("heading", name="Summary for the covering report")).to_be_visible()


def test_an_editor_imports_a_tracker_previews_it_and_applies_it(page, live_server, worker_if_broker, tmp_path):
    from delivery.models import Plan
    from tests.delivery.importers.builders import tracker_workbook

    make_user("jo", role="Editor", first_name="Jo", last_name="Hadley")
    path = tmp_path / "charter-tracker.xlsx"
    path.write_bytes(tracker_workbook())
    sign_in(page, live_server, "jo")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Imports").click()
    page.get_by_role("link", name="Import a workbook").click()
    page.get_by_label("Workbook").set_input_files(str(path))
    page.get_by_label("Name of the new plan").fill("Community Charter")
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("button", name="Apply these changes")).to_be_visible(timeout=30_000)
    expect(
        page.get_by_role("cell", name="Launch a rural crime prevention campaign. (sheet Tracker, row 4)")
    ).to_be_visible()
    assert not Plan.objects.exists()
    page.get_by_role("button", name="Apply these changes").click()
    expect(page.get_by_test_id("result")).to_contain_text("4 activities created", timeout=30_000)
    page.get_by_role("link", name="Community Charter").click()
    expect(page.get_by_role("heading", name="Community Charter")).to_be_visible()
    page.get_by_test_id("objective-details").first.locator("summary").click()  # activities load when opened
    expect(page.locator(".table--plan .rag--green").first).to_be_visible()


def test_an_editor_maps_columns_the_importer_was_unsure_of_and_the_answer_is_kept(
    page, live_server, worker_if_broker, tmp_path
):
    import io

    from openpyxl import Workbook

    from delivery.models import Activity, ImportProfile

    make_user("jo", role="Editor", first_name="Jo", last_name="Hadley")
    wb = Workbook()
    ws = wb.active
    ws.title = "Tracker"
    for row in (
        ["#", "Action", "Owner", "Update", "Progress"],
        ["Prevention"],
        [1, "Launch a rural crime campaign.", "Supt Paley", "Last year's words.", "Signed off by the board."],
    ):
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    path = tmp_path / "tracker.xlsx"
    path.write_bytes(out.getvalue())
    sign_in(page, live_server, "jo")
    page.goto(f"{live_server.url}/imports/new/")
    page.get_by_label("Workbook").set_input_files(str(path))
    page.get_by_label("Name of the new plan").fill("Community Charter")
    page.get_by_label("Update date").fill("2026-09-30")
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", name="Tell us what the columns hold")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("mapping-form").get_by_text("Signed off by the board.").first).to_be_visible()
    page.get_by_label("Column D (Update) holds").select_option(label="Do not import")
    page.get_by_label("Column E (Progress) holds").select_option(label="Progress update")
    page.get_by_label("Save as import profile").fill("Charter tracker")
    page.get_by_role("button", name="Save and read the workbook again").click()
    expect(page.get_by_role("button", name="Apply these changes")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("the column mapping saved for this plan")).to_be_visible()
    page.get_by_role("button", name="Apply these changes").click()
    expect(page.get_by_test_id("result")).to_contain_text("1 activities created", timeout=30_000)
    assert Activity.objects.get().progress == "Signed off by the board."
    assert ImportProfile.objects.get().name == "Charter tracker"
