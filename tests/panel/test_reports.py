"""Panel reports end to end: drafted from the data, edited, the pack generated as a job, its files
opened and checked, approval freezing them; who may do what; the panel_pack command."""

import hashlib
import io
import zipfile
from datetime import date

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from delivery import services as delivery_services
from delivery.models import Commitment, Objective, Rag, Status
from panel import services
from panel.models import PanelPack, PanelReport, PanelSection
from tests.factories import PASSWORD, PlanFactory, make_activity
from tests.meetings.conftest import make_meeting

pytestmark = pytest.mark.django_db

FROM, AS_AT = date(2025, 9, 30), date(2025, 12, 31)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def plan(editor):
    """Two objectives; four activities with no owners or dates; two updates marked for the panel."""
    plan = PlanFactory(name="Safer West Mercia Plan")
    o1 = Objective.objects.create(plan=plan, order=1, title="Putting victims and survivors first")
    o2 = Objective.objects.create(plan=plan, order=2, title="Building a more secure West Mercia")
    c1 = Commitment.objects.create(plan=plan, objective=o1, ref="1.1", ref_key="1.1", text="Victims' services")
    c2 = Commitment.objects.create(plan=plan, objective=o2, ref="2.1", ref_key="2.1", text="Road safety")
    a1 = make_activity(commitment=c1, text="Audit the Victims' Code", rag=Rag.AMBER, status=Status.IN_PROGRESS,
                       on=date(2025, 9, 1), progress="Started")  # fmt: skip
    a2 = make_activity(commitment=c1, text="Commission ISVAs", rag=Rag.GREEN, on=date(2025, 9, 1))
    a3 = make_activity(commitment=c2, text="Op Snap", rag=Rag.AMBER, on=date(2025, 9, 1))
    make_activity(commitment=c2, text="Drone team", rag=Rag.GREEN, on=date(2025, 9, 1))
    for a, text, flag in (
        (a3, "Op Snap took 400 submissions from the public.", True),
        (a1, "The Victims' Code audit was completed in November.", True),
        (a2, "Routine contract meeting.", False),
    ):
        a.refresh_from_db()
        delivery_services.activity_record_update(
            activity=a, by=editor, seen_version=a.version, text=text, rag=Rag.GREEN, on=date(2025, 11, 20),
            for_panel=flag,
        )  # fmt: skip
    make_meeting(held_on=date(2025, 10, 14), subject_area="Violence against women and girls", kind="formal",
                 findings=[("Outcome 16 use is falling.", True), ("Internal note", False)])  # fmt: skip
    return plan


def _report(editor, plan) -> PanelReport:
    return services.report_create(
        by=editor, plan=plan, period_from=FROM, as_at=AS_AT, meeting_on=date(2026, 2, 4),
        meeting_title="Police and Crime Panel, 4 February 2026",
    )  # fmt: skip


def _text(report, key) -> str:
    return report.sections.get(key=key).text


def test_a_new_report_drafts_every_section_from_the_data(editor, plan):
    report = _report(editor, plan)
    assert list(report.sections.values_list("key", flat=True)) == [k for k in PanelSection.Key.values]
    delivery = _text(report, "delivery")
    assert "- 1. Putting victims and survivors first: 2 Green" in delivery
    assert "- 2. Building a more secure West Mercia: 2 Green" in delivery
    assert "2 activities moved to Green" in delivery
    examples = _text(report, "examples")
    assert examples.index("1. Putting victims") < examples.index("Victims' Code audit") < examples.index("2. Building")
    assert "Op Snap took 400 submissions" in examples and "Routine contract meeting" not in examples
    holding = _text(report, "holding")
    assert "October 2025 | Formal | Violence against women and girls" in holding
    assert "Outcome 16 use is falling." in holding and "Internal note" not in holding
    assert report.sections.get(key="examples").sources[0].startswith("Progress updates marked for the panel")


def test_appendix_1_by_default_has_only_the_columns_the_plan_holds_data_for(editor, plan):
    report = _report(editor, plan)
    assert report.appendix_columns == ["ref", "commitment", "activity", "progress", "rag"]


def _generate(editor, report, django_capture_on_commit_callbacks) -> PanelPack:
    with django_capture_on_commit_callbacks(execute=True):
        pack = services.pack_request(by=editor, report=report)
    pack.refresh_from_db()
    assert pack.state == PanelPack.State.DONE, pack.error
    return pack


def _blob(pack, suffix) -> bytes:
    f = next(f for f in pack.files if f["name"].endswith(suffix))
    with default_storage.open(f["path"], "rb") as fh:
        return fh.read()


@pytest.mark.slow
def test_the_pack_is_generated_in_one_job_and_its_files_open_with_headings_tables_and_appendices(
    editor, plan, eager_tasks, django_capture_on_commit_callbacks
):
    report = _report(editor, plan)
    pack = _generate(editor, report, django_capture_on_commit_callbacks)
    names = [f["name"] for f in pack.files]
    assert names == [
        "covering-report-safer-west-mercia-plan-as-at-2025-12-31.docx",
        "covering-report-safer-west-mercia-plan-as-at-2025-12-31.pdf",
        "appendix-1-safer-west-mercia-plan-as-at-2025-12-31.docx",
        "appendix-1-safer-west-mercia-plan-as-at-2025-12-31.xlsx",
        "appendix-2-performance-summary-safer-west-mercia-plan-as-at-2025-12-31.docx",
        "appendix-3-full-performance-report-safer-west-mercia-plan-as-at-2025-12-31.docx",
    ]
    for f in pack.files:
        assert hashlib.sha256(_blob(pack, f["name"])).hexdigest() == f["checksum"]

    cover = Document(io.BytesIO(_blob(pack, "covering-report-safer-west-mercia-plan-as-at-2025-12-31.docx")))
    headings = [p.text for p in cover.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "1. Recommendation", "2. Background", "3. Delivery plan and assurance", "4. Examples of activity",
        "5. Holding to account", "6. Performance", "Appendices",
    ]  # fmt: skip
    assert [c.text for c in cover.tables[0].rows[0].cells] == ["Month", "Type", "Subject area"]
    appendices = [p.text for p in cover.paragraphs if p.style.name == "List Bullet" and p.text.startswith("Appendix ")]
    assert [a.split(" – ")[0] for a in appendices] == ["Appendix 1", "Appendix 2", "Appendix 3"]
    assert appendices[0].startswith("Appendix 1 – Delivery Plan Extract")
    assert appendices[2].startswith("Appendix 3 – Full performance report")

    pdf = PdfReader(io.BytesIO(_blob(pack, ".pdf")))
    assert "/StructTreeRoot" in pdf.trailer["/Root"] and "/MarkInfo" in pdf.trailer["/Root"]
    assert "Holding to account" in "".join(page.extract_text() for page in pdf.pages)

    sheet = openpyxl.load_workbook(
        io.BytesIO(_blob(pack, "appendix-1-safer-west-mercia-plan-as-at-2025-12-31.xlsx"))
    ).active
    values = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert "Owner/s" not in values and "Date" not in values  # the plan holds no owners or dates
    assert sum("osition as at" in v for v in values) == 1  # "position as at" written once
    with zipfile.ZipFile(
        io.BytesIO(_blob(pack, "appendix-2-performance-summary-safer-west-mercia-plan-as-at-2025-12-31.docx"))
    ) as z:
        assert "Performance summary" in z.read("word/document.xml").decode()


@pytest.mark.slow
def test_approving_freezes_the_pack_same_bytes_after_later_edits_to_the_data(
    editor, plan, eager_tasks, django_capture_on_commit_callbacks
):
    report = _report(editor, plan)
    section = report.sections.get(key="examples")
    services.section_edit(by=editor, section=section, text=section.text + "\n\n- Added by hand.")
    pack = _generate(editor, report, django_capture_on_commit_callbacks)
    before = {f["name"]: _blob(pack, f["name"]) for f in pack.files}
    services.report_approve(by=editor, report=report)
    pack.refresh_from_db()
    report.refresh_from_db()
    assert pack.frozen and report.is_approved and report.approved_pack == pack
    assert b"" != before[pack.files[0]["name"]]
    # The files sent to the panel are the ones checked: no "draft" line in the covering report.
    cover = Document(io.BytesIO(before[services.pack_filename(report, "covering-report", "docx")]))
    assert cover.paragraphs[0].style.name == "Title" and "DRAFT" not in "\n".join(p.text for p in cover.paragraphs)
    # Later edits: to the report (refused) and to the data (the frozen files do not change).
    with pytest.raises(ValidationError):
        services.section_edit(by=editor, section=section, text="Rewritten")
    with pytest.raises(ValidationError):
        services.pack_request(by=editor, report=report)
    a = plan.commitments.first().activities.first()
    delivery_services.activity_record_update(activity=a, by=editor, seen_version=a.version, text="Later", rag=Rag.RED)
    pack.refresh_from_db()
    assert {f["name"]: _blob(pack, f["name"]) for f in pack.files} == before


@pytest.mark.slow
def test_approval_needs_a_pack_generated_from_the_report_as_it_stands(
    editor, plan, eager_tasks, django_capture_on_commit_callbacks
):
    report = _report(editor, plan)
    with pytest.raises(ValidationError, match="Generate the pack"):
        services.report_approve(by=editor, report=report)
    _generate(editor, report, django_capture_on_commit_callbacks)
    section = report.sections.get(key="background")
    services.section_edit(by=editor, section=section, text="Edited after the pack.")
    with pytest.raises(ValidationError, match="generate the pack again"):
        services.report_approve(by=editor, report=report)


@pytest.mark.slow
def test_a_later_pack_says_what_changed_since_the_approved_one(
    editor, plan, eager_tasks, django_capture_on_commit_callbacks
):
    first = _report(editor, plan)
    _generate(editor, first, django_capture_on_commit_callbacks)
    services.report_approve(by=editor, report=first)
    a = plan.commitments.get(ref="1.1").activities.get(text="Commission ISVAs")
    delivery_services.activity_record_update(
        activity=a, by=editor, seen_version=a.version, text="Provider withdrew.", rag=Rag.RED, on=date(2026, 1, 10)
    )
    make_activity(commitment=plan.commitments.get(ref="2.1"), text="Speed watch", rag=Rag.GREEN, on=date(2026, 1, 12))
    second = services.report_create(
        by=editor, plan=plan, period_from=AS_AT, as_at=date(2026, 1, 31), meeting_on=date(2026, 3, 4),
        meeting_title="Police and Crime Panel, 4 March 2026",
    )  # fmt: skip
    pack = _generate(editor, second, django_capture_on_commit_callbacks)
    assert pack.changes[0].startswith("Compared with the pack approved for Police and Crime Panel, 4 February 2026")
    assert "As-at date: 2025-12-31 → 2026-01-31." in pack.changes
    # The data since, hand-worked: one activity Green to Red, one new activity, one progress update.
    assert "RAG moves since 31/12/2025: 1 Green → Red." in pack.changes
    assert "New activities since then: 1 (2.1)." in pack.changes
    assert "Progress updates since then: 1." in pack.changes
    cover = Document(io.BytesIO(_blob(pack, "covering-report-safer-west-mercia-plan-as-at-2026-01-31.docx")))
    headings = [p.text for p in cover.paragraphs if p.style.name == "Heading 1"]
    assert "7. Changes since the approved pack as at 31 December 2025" in headings
    assert "RAG moves since 31/12/2025: 1 Green → Red." in [p.text for p in cover.paragraphs]


def test_only_editors_create_edit_and_approve(viewer, owner_user, editor, plan):
    for user in (viewer, owner_user):
        with pytest.raises(PermissionDenied):
            services.report_create(
                by=user, plan=plan, period_from=FROM, as_at=AS_AT, meeting_on=AS_AT, meeting_title="Panel"
            )
    report = _report(editor, plan)
    with pytest.raises(PermissionDenied):
        services.section_edit(by=viewer, section=report.sections.first(), text="x")
    with pytest.raises(PermissionDenied):
        services.report_approve(by=viewer, report=report)
    with pytest.raises(PermissionDenied):
        services.pack_request(by=viewer, report=report)


def test_a_report_cannot_end_in_the_future_or_start_after_it_ends(editor, plan):
    with pytest.raises(ValidationError) as e:
        services.report_create(
            by=editor, plan=plan, period_from=date(2030, 1, 1), as_at=date(2029, 1, 1), meeting_on=AS_AT,
            meeting_title="Panel",
        )  # fmt: skip
    assert set(e.value.message_dict) == {"as_at", "period_from"}


def test_the_report_page_shows_each_section_and_what_it_was_drafted_from_and_edits_it(client, editor, plan):
    report = _report(editor, plan)
    login(client, editor)
    page = client.get(report.get_absolute_url()).content.decode()
    assert "What this was drafted from" in page and "Op Snap took 400 submissions" in page
    section = report.sections.get(key="examples")
    url = reverse("panel:section-edit", args=[section.pk])
    assert client.post(url, {"text": "A paragraph written by hand."}).status_code == 302
    page = client.get(report.get_absolute_url()).content.decode()
    assert "A paragraph written by hand." in page and "Edited" in page
    client.post(url, {"text": "", "redraft": "1"})
    assert PanelSection.objects.get(pk=section.pk).text == section.drafted


def test_the_report_list_queries_do_not_grow_with_reports(client, editor, plan):
    login(client, editor)
    _report(editor, plan)
    client.get(reverse("panel:list"))  # the first request also keeps the login's role in the cache
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("panel:list"))
    for _ in range(5):
        _report(editor, plan)
    with CaptureQueriesContext(connection) as six:
        client.get(reverse("panel:list"))
    assert len(six) == len(one)


@pytest.mark.slow
def test_the_panel_pack_command_writes_the_files_and_their_checksums(admin_user, plan, tmp_path):
    tmp_path = tmp_path / "pack"  # a folder of its own, created by the command
    out = io.StringIO()
    call_command("panel_pack", "--plan", plan.name, "--from", "2025-09-30", "--as-at", "2025-12-31",
                 "--output", str(tmp_path), stdout=out)  # fmt: skip
    written = sorted(p.name for p in tmp_path.iterdir())
    assert "SHA256SUMS" in written and len(written) == 7
    for line in (tmp_path / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256((tmp_path / name).read_bytes()).hexdigest() == digest
    assert "6 files" in out.getvalue()
