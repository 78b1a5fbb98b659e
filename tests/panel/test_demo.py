"""The demo has panel reports: updates of the last quarter marked for the panel, that quarter's report
approved with its pack (generated in-process), and the current quarter's drafted."""

from datetime import date

import pytest
from django.core.management import call_command

from delivery.models import ProgressUpdate
from panel.demo import quarter_end
from panel.models import PanelPack, PanelReport

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_quarter_end_is_the_last_day_of_the_last_finished_quarter():
    assert quarter_end(date(2026, 11, 29)) == date(2026, 9, 30)
    assert quarter_end(date(2026, 1, 1)) == date(2025, 12, 31)
    assert quarter_end(date(2026, 4, 1)) == date(2026, 3, 31)


def test_seed_demo_adds_an_approved_report_with_its_pack_and_updates_for_the_panel_once(eager_tasks):
    call_command("seed_demo", stdout=None)
    approved = PanelReport.objects.get(status=PanelReport.Status.APPROVED)
    pack = approved.approved_pack
    assert pack.frozen and pack.state == PanelPack.State.DONE and len(pack.files) == 6
    marked = ProgressUpdate.objects.filter(for_panel=True, on__gt=approved.period_from, on__lte=approved.as_at)
    assert marked.count() >= 2
    examples = approved.sections.get(key="examples").text
    assert all(u.text.splitlines()[0][:40] in examples for u in marked)
    assert PanelReport.objects.filter(status=PanelReport.Status.DRAFT).count() == 1
    counts = (
        PanelReport.objects.count(),
        PanelPack.objects.count(),
        ProgressUpdate.objects.filter(for_panel=True).count(),
    )
    call_command("seed_demo", stdout=None)
    assert (
        PanelReport.objects.count(),
        PanelPack.objects.count(),
        ProgressUpdate.objects.filter(for_panel=True).count(),
    ) == counts
