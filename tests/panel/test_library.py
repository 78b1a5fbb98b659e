"""The pack library: every pack of every report, with plan, period, as at, approved or draft, files
with sizes and checksums and who generated it; paged, filtered by plan and status, exported."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from panel import services
from panel.models import PanelPack
from tests.factories import PASSWORD, PlanFactory

pytestmark = pytest.mark.django_db


def _pack(editor, plan, *, as_at=date(2025, 12, 31), frozen=False, name="covering-report.docx") -> PanelPack:
    report = services.report_create(
        by=editor, plan=plan, period_from=date(2025, 9, 30), as_at=as_at, meeting_on=date(2026, 2, 4),
        meeting_title=f"Police and Crime Panel ({plan.name})",
    )  # fmt: skip
    return PanelPack.objects.create(
        report=report, created_by=editor, state=PanelPack.State.DONE, frozen=frozen,
        files=[{"name": name, "label": "Covering report (Word)", "path": "x", "checksum": "ab" * 32, "size": 12345}],
    )  # fmt: skip


@pytest.fixture
def logged_in(client, editor):
    assert client.login(username=editor.username, password=PASSWORD)
    return client


def test_the_library_lists_every_pack_of_every_plan_with_files_sizes_checksums_and_who(logged_in, editor):
    west, charter = PlanFactory(name="Safer West Mercia Plan"), PlanFactory(name="Local Policing Charter")
    approved = _pack(editor, west, frozen=True)
    draft = _pack(editor, charter, name="appendix-1.xlsx")
    page = logged_in.get(reverse("panel:packs")).content.decode()
    assert "Safer West Mercia Plan" in page and "Local Policing Charter" in page
    assert "12,345 bytes" in page and "ab" * 32 in page
    assert reverse("panel:pack-file", args=[approved.pk, "covering-report.docx"]) in page
    assert reverse("panel:pack-file", args=[draft.pk, "appendix-1.xlsx"]) in page
    assert ">Approved</strong>" in page and ">Draft</strong>" in page
    assert "30 Sep 2025 to 31 Dec 2025" in page and editor.username in page


def test_the_library_filters_by_plan_and_by_approved_or_draft(logged_in, editor):
    west, charter = PlanFactory(name="Safer West Mercia Plan"), PlanFactory(name="Local Policing Charter")
    _pack(editor, west, frozen=True)
    _pack(editor, charter)
    page = logged_in.get(reverse("panel:packs"), {"plan": charter.pk}).content.decode()
    assert "Police and Crime Panel (Local Policing Charter)" in page
    assert "Police and Crime Panel (Safer West Mercia Plan)" not in page
    page = logged_in.get(reverse("panel:packs"), {"status": "approved"}).content.decode()
    assert "Police and Crime Panel (Safer West Mercia Plan)" in page
    assert "Police and Crime Panel (Local Policing Charter)" not in page


def test_the_library_pages_and_its_queries_do_not_grow_with_packs(logged_in, editor):
    plan = PlanFactory()
    _pack(editor, plan)
    with CaptureQueriesContext(connection) as one:
        logged_in.get(reverse("panel:packs"))
    for _ in range(4):
        _pack(editor, plan)
    with CaptureQueriesContext(connection) as five:
        page = logged_in.get(reverse("panel:packs"), {"per_page": 2}).content.decode()
    assert len(five) == len(one)
    assert "<strong>5</strong> packs" in page
    assert page.count("covering-report.docx</a>") == 0 and page.count("Covering report (Word)") == 2


def test_the_library_exports_as_csv_with_formulas_neutralised(logged_in, editor):
    pack = _pack(editor, PlanFactory(name="=cmd|' /C calc'!A0"))
    response = logged_in.get(reverse("panel:packs"), {"_export": "csv"})
    body = response.content.decode("utf-8-sig")
    assert response.status_code == 200 and "covering-report.docx (12345 bytes, sha256 " in body
    assert "'=cmd" in body and pack.report.as_at.isoformat() in body


def test_the_library_is_in_the_navigation(logged_in):
    page = logged_in.get(reverse("panel:list")).content.decode()
    assert f'href="{reverse("panel:packs")}"' in page
