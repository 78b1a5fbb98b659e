"""The panel agenda pack in a real browser: an editor marks two progress updates for the panel (one in
the update form, one on the activity page), starts a panel report, generates the pack (waiting for its
progress bar), edits one paragraph, approves (after generating again, as the page asks), and downloads
the covering report to find the edited paragraph and both updates in it."""

import hashlib
from datetime import timedelta

import docx
import pytest
from playwright.sync_api import expect

from core.dates import today
from delivery import services
from delivery.models import Rag, Status
from panel.models import PanelReport, PanelSection
from tests.browser.test_journeys import sign_in, worker_if_broker  # noqa: F401 - a fixture
from tests.factories import CommitmentFactory, SectionFactory, make_activity, make_user

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.mark.usefixtures("worker_if_broker")
def test_an_editor_marks_two_updates_generates_edits_approves_and_downloads_the_pack(page, live_server, tmp_path):
    editor = make_user("jo", role="Editor", first_name="Jo", last_name="Hadley")
    section = SectionFactory(title="Policing element", objective__title="Putting victims and survivors first")
    plan = section.objective.plan
    commitment = CommitmentFactory(objective=section.objective, section=section, ref="1.1", text="Victims' services")
    start = today() - timedelta(days=120)
    code = make_activity(commitment=commitment, sub_ref="1.1.1", text="Audit the Victims' Code", rag=Rag.AMBER,
                         status=Status.IN_PROGRESS, on=start)  # fmt: skip
    snap = make_activity(commitment=commitment, sub_ref="1.1.2", text="Run Op Snap", rag=Rag.GREEN,
                         status=Status.IN_PROGRESS, on=start)  # fmt: skip
    services.activity_record_update(
        activity=snap, by=editor, seen_version=snap.version, text="Op Snap took 400 submissions from the public.",
        on=today() - timedelta(days=10),
    )  # fmt: skip

    sign_in(page, live_server, "jo")
    # 1. Marked in the update form.
    page.goto(f"{live_server.url}{code.get_absolute_url()}")
    page.get_by_role("link", name="Record an update").click()
    page.get_by_label("Green").check()
    page.get_by_label("Progress update").fill("The Victims' Code audit was completed and shared with the board.")
    page.get_by_label("For the panel").check()
    page.get_by_role("button", name="Save update").click()
    expect(page.get_by_text("For the panel").first).to_be_visible()
    # 2. Marked on the activity page.
    page.goto(f"{live_server.url}{snap.get_absolute_url()}")
    page.get_by_role("button", name="Mark for the panel").first.click()
    expect(page.get_by_role("button", name="Unmark for the panel").first).to_be_visible()

    # A panel report for the quarter to date.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Panel reports", exact=True).click()
    page.get_by_role("link", name="Start a panel report").click()
    page.get_by_label("Period from").fill((today() - timedelta(days=90)).strftime("%d/%m/%Y"))
    page.get_by_label("As at").fill(today().strftime("%d/%m/%Y"))
    page.get_by_label("Panel meeting date").fill((today() + timedelta(days=30)).strftime("%d/%m/%Y"))
    page.get_by_label("Panel meeting", exact=True).fill("Police and Crime Panel, next meeting")
    page.get_by_role("button", name="Draft the report").click()
    examples = page.get_by_test_id("section-examples")
    expect(examples).to_contain_text("Victims' Code audit was completed")
    expect(examples).to_contain_text("Op Snap took 400 submissions")
    report = PanelReport.objects.get(plan=plan)

    # Generate: one job, its progress bar runs to Ready.
    page.get_by_test_id("generate").click()
    # (On a worker the progress bar polls until the files replace it; in-process they are there at once.)
    expect(page.get_by_test_id("pack-files")).to_contain_text("Appendix 3", timeout=90_000)

    # Edit one paragraph of the background.
    page.get_by_role("link", name=report.meeting_title).first.click()
    page.get_by_role("link", name="Edit Background").click()
    text = page.get_by_label("Text")
    edited = text.input_value().split("\n\n")
    edited[0] = "This paragraph was rewritten by the scrutiny officer for the panel."
    text.fill("\n\n".join(edited))
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_test_id("section-background")).to_contain_text("rewritten by the scrutiny officer")

    # Approving now is refused: the pack predates the edit. Generate again, then approve.
    page.get_by_test_id("approve").click()
    expect(page.get_by_text("generate the pack again first")).to_be_visible()
    page.get_by_test_id("generate").click()
    expect(page.get_by_test_id("pack-files")).to_be_visible(timeout=90_000)
    page.get_by_role("link", name=report.meeting_title).first.click()
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Approved")
    report.refresh_from_db()
    assert report.is_approved and report.approved_pack.frozen
    assert PanelSection.objects.get(report=report, key="background").is_edited

    # Download the approved pack's covering report and read it.
    page.get_by_role("link", name="its files").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="Covering report (Word)").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    assert target.name.startswith("covering-report-") and target.suffix == ".docx"
    paragraphs = [p.text for p in docx.Document(str(target)).paragraphs]
    assert "This paragraph was rewritten by the scrutiny officer for the panel." in paragraphs
    body = "\n".join(paragraphs)
    assert "Victims' Code audit was completed" in body and "Op Snap took 400 submissions" in body
    frozen = report.approved_pack.file(target.name)  # the approved pack is the second, generated after the edit
    assert frozen is not None and hashlib.sha256(target.read_bytes()).hexdigest() == frozen["checksum"]
