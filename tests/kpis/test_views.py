"""KPI pages: who can read and write them, what they show, and queries that do not grow with data."""

import json
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.dates import today
from delivery import overdue
from delivery.models import Owner
from kpis import selectors, services
from kpis.models import Commentary, KpiAction
from kpis.periods import Period
from tests.factories import CommitmentFactory, make_activity, make_user

from .factories import MeasureFactory, add_series, add_target, force_and_areas

pytestmark = pytest.mark.django_db

STEADY = [100, 104, 98, 101, 99, 103, 97, 100, 102, 98, 101, 99, 100, 103, 97, 101, 99, 102, 98, 100]


@pytest.fixture
def measure():
    force, areas = force_and_areas()
    m = MeasureFactory(name="Knife crime", unit="count", polarity="lower")
    add_target(m, 95, tolerance=5)
    add_series(m, force, [*STEADY, 150])
    for a in areas:
        add_series(m, a, [v / 2 for v in [*STEADY, 150]])
    return m


def test_every_kpi_page_needs_a_role(client, measure):
    client.force_login(make_user("nobody"))
    for url in (reverse("kpis:catalogue"), measure.get_absolute_url(), reverse("kpis:summary")):
        assert client.get(url).status_code == 403


def test_every_kpi_page_needs_a_login(client, measure):
    response = client.get(reverse("kpis:catalogue"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_catalogue_lists_measures_with_status_variation_and_a_sparkline(client, viewer, measure):
    client.force_login(viewer)
    html = client.get(reverse("kpis:catalogue")).content.decode()
    assert "Knife crime" in html
    assert "Special cause concern: unusually high" in html  # words, not colour alone
    assert 'class="sparkline"' in html and "aria-label=" in html
    assert "rag--red" in html and "Red" in html


def test_the_catalogue_filters_by_status(client, viewer, measure):
    MeasureFactory(name="Quiet measure")
    client.force_login(viewer)
    html = client.get(reverse("kpis:catalogue"), {"status": "special"}).content.decode()
    assert "Knife crime" in html and "Quiet measure" not in html
    html = client.get(reverse("kpis:catalogue"), {"status": "none"}).content.decode()
    assert "Knife crime" not in html and "Quiet measure" in html


def test_the_measure_page_gives_the_chart_data_as_json_and_as_a_table_with_no_inline_script(client, viewer, measure):
    client.force_login(viewer)
    html = client.get(measure.get_absolute_url()).content.decode()
    data = json.loads(re.search(r'<script id="kpi-chart-data" type="application/json">(.*?)</script>', html).group(1))
    assert data["values"][-1] == 150
    assert data["special"][-1] is True
    assert 'data-testid="chart-table"' in html
    assert "vendor/chart.js/chart.umd.min.js" in html and "kpis/charts.js" in html
    scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)
    assert scripts == [] or all("htmx" in s for s in scripts)
    assert "Shropshire" in html and "Herefordshire" in html  # areas side by side
    assert "Special cause: a point outside the process limits" in html  # the rules are stated


def test_the_measure_page_queries_do_not_grow_with_observations(client, viewer):
    force, areas = force_and_areas()
    small, big = MeasureFactory(), MeasureFactory()
    for a in (force, *areas):
        add_series(small, a, [100 + i % 7 for i in range(12)])
        add_series(big, a, [100 + i % 7 for i in range(120)])
    client.force_login(viewer)
    client.get(small.get_absolute_url())
    selectors.data_changed()  # the figures are kept in the cache: count the queries that work them out
    with CaptureQueriesContext(connection) as few:
        assert client.get(small.get_absolute_url()).status_code == 200
    with CaptureQueriesContext(connection) as many:
        assert client.get(big.get_absolute_url()).status_code == 200
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as kept:
        assert client.get(big.get_absolute_url()).status_code == 200
    assert len(kept) < len(many)


def test_the_catalogue_queries_do_not_grow_with_measures(client, viewer):
    force, _ = force_and_areas()
    client.force_login(viewer)
    for _ in range(3):
        add_series(MeasureFactory(), force, [1, 2, 3])
    client.get(reverse("kpis:catalogue"))
    selectors.data_changed()  # the figures are kept in the cache: count the queries that work them out
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("kpis:catalogue"))
    for _ in range(12):
        add_series(MeasureFactory(), force, [1, 2, 3])
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("kpis:catalogue"))
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as kept:
        client.get(reverse("kpis:catalogue"))
    assert len(kept) < len(many)


def test_the_home_page_lists_measures_that_are_special_cause_or_off_target(client, viewer, measure):
    MeasureFactory(name="Quiet measure")
    client.force_login(viewer)
    html = client.get(reverse("home")).content.decode()
    assert "Measures needing attention" in html
    assert "Knife crime" in html and "Quiet measure" not in html


def test_an_editor_raises_an_action_on_the_measure_page(client, editor, measure):
    client.force_login(editor)
    due = today() + timedelta(days=7)
    response = client.post(
        reverse("kpis:action-raise", args=[measure.pk]),
        {"text": "Explain the rise", "owner_name": "Supt Paley", "due_date": due.isoformat(), "area": "", "period": ""},
    )
    assert response.status_code == 302
    action = KpiAction.objects.get()
    assert (action.owner.name, action.due_date, action.status) == ("Supt Paley", due, "not_started")
    assert "Explain the rise" in client.get(measure.get_absolute_url()).content.decode()


def test_an_overdue_kpi_action_is_in_the_chief_executives_overdue_review(client, editor, chief, measure):
    services.kpi_action_raise(
        by=editor, measure=measure, text="Explain the rise", owner_name="Supt Paley",
        due_date=today() - timedelta(days=3), on=today() - timedelta(days=30),
    )  # fmt: skip
    items = [i for i in overdue.overdue_items(as_at=today()) if i.kind == "kpi action"]
    assert [(i.ref, i.title, i.owners, i.days_overdue) for i in items] == [
        ("Knife crime", "Explain the rise", ("Supt Paley",), 3)
    ]
    client.force_login(chief)
    html = client.get(reverse("overdue")).content.decode()
    assert "Explain the rise" in html


def test_a_closed_kpi_action_is_not_overdue(editor, measure):
    action = services.kpi_action_raise(
        by=editor, measure=measure, text="x", owner_name="Supt Paley",
        due_date=today() - timedelta(days=3), on=today() - timedelta(days=30),
    )  # fmt: skip
    services.kpi_action_set_status(by=editor, action=action, status="complete")
    assert not [i for i in overdue.overdue_items(as_at=today()) if i.kind == "kpi action"]


def test_a_viewer_cannot_raise_an_action(client, viewer, measure):
    client.force_login(viewer)
    response = client.post(
        reverse("kpis:action-raise", args=[measure.pk]),
        {"text": "x", "owner_name": "Supt Paley", "due_date": today().isoformat()},
    )
    assert response.status_code == 403
    assert not KpiAction.objects.exists()


def test_an_owner_closes_only_their_own_action(client, owner_user, measure, admin_user):
    mine = Owner.objects.create(name="CI Preece", user=owner_user)
    other = Owner.objects.create(name="Digital Services")
    common = {"measure": measure, "text": "x", "due_date": today(), "created_on": today(), "created_by": admin_user}
    a1, a2 = KpiAction.objects.create(owner=mine, **common), KpiAction.objects.create(owner=other, **common)
    client.force_login(owner_user)
    client.post(reverse("kpis:action-status", args=[a1.pk]), {"status": "complete"})
    assert client.post(reverse("kpis:action-status", args=[a2.pk]), {"status": "complete"}).status_code == 403
    a1.refresh_from_db(), a2.refresh_from_db()
    assert (a1.status, a1.closed_on, a2.status) == ("complete", today(), "not_started")


def test_the_summary_drafts_data_and_an_editor_edits_it_keeping_the_history(client, editor, viewer, measure):
    period = Period.month(2018, 12)
    client.force_login(editor)
    html = client.get(reverse("kpis:summary"), {"period": period.key()}).content.decode()
    assert "Topic" in html and "Inclusion" in html and "Data" in html and "Commentary" in html
    assert "outside the expected range" in html
    url = reverse("kpis:summary-edit", args=[measure.pk])
    client.post(url, {"period": period.key(), "data_text": "", "commentary": "Linked to a single incident."})
    client.post(
        url, {"period": period.key(), "data_text": "Exceptional month.", "commentary": "Linked to one incident."}
    )
    assert Commentary.objects.count() == 2
    client.force_login(viewer)
    html = client.get(reverse("kpis:summary"), {"period": period.key()}).content.decode()
    assert "Exceptional month." in html and "Linked to one incident." in html
    assert "<textarea" not in html
    page = client.get(measure.get_absolute_url()).content.decode()
    assert "Linked to a single incident." in page  # the commentary history


def test_a_viewer_cannot_edit_the_summary(client, viewer, measure):
    client.force_login(viewer)
    response = client.post(
        reverse("kpis:summary-edit", args=[measure.pk]), {"period": "2018-12", "data_text": "x", "commentary": "y"}
    )
    assert response.status_code == 403
    assert not Commentary.objects.exists()


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "pdf"])
def test_the_summary_downloads_as_word_excel_and_pdf(client, viewer, measure, fmt):
    client.force_login(viewer)
    response = client.get(reverse("kpis:summary-download", args=[fmt]), {"period": "2018-12"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    assert response.content[:4] in (b"PK\x03\x04", b"%PDF")


def test_linked_measures_show_on_the_activity_page(client, viewer, measure):
    commitment = CommitmentFactory()
    measure.commitments.add(commitment)
    activity = make_activity(commitment=commitment)
    client.force_login(viewer)
    html = client.get(reverse("activity", args=[activity.pk])).content.decode()
    assert "Linked measures" in html and "Knife crime" in html


def test_the_kpi_links_are_in_the_navigation(client, viewer):
    client.force_login(viewer)
    html = client.get(reverse("home")).content.decode()
    assert reverse("kpis:catalogue") in html and reverse("kpis:summary") in html


def test_an_editor_uploads_previews_and_applies_a_kpi_workbook(
    client, editor, django_capture_on_commit_callbacks, eager_tasks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .factories import workbook_bytes

    data = workbook_bytes({"D": [["Measure", "Area", "Period", "Value"], ["Burglary", "Force", "2017-07", 10]]})
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("kpis:import-new"), {"file": SimpleUploadedFile("k.xlsx", data), "layout": "auto"}
        )
    page = client.get(response["Location"]).content.decode()
    assert "Would create" in page and "Apply these changes" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response["Location"] + "apply/")
    assert "1 values created" in client.get(response["Location"]).content.decode()


def test_an_upload_that_is_not_a_workbook_is_refused_with_a_plain_message(client, editor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(editor)
    response = client.post(
        reverse("kpis:import-new"), {"file": SimpleUploadedFile("k.xlsx", b"%PDF-1.4"), "layout": "auto"}
    )
    assert response.status_code == 200
    assert "This file is a PDF" in response.content.decode()


def test_the_import_page_needs_an_editor(client, viewer):
    client.force_login(viewer)
    assert client.get(reverse("kpis:import-new")).status_code == 403


def test_measure_page_shows_a_past_date_as_known_then(client, viewer):
    force, _ = force_and_areas()
    m = MeasureFactory()
    add_series(m, force, [5, 6, 7], recorded_on=date(2018, 1, 1))
    client.force_login(viewer)
    html = client.get(m.get_absolute_url(), {"as_at": "2017-12-01"}).content.decode()
    assert "No value for this area and period." in html


def test_the_measure_page_shows_new_figures_as_soon_as_they_are_added(client, viewer):
    force, _ = force_and_areas()
    measure = MeasureFactory()
    add_series(measure, force, [100 + i for i in range(12)])
    client.force_login(viewer)
    first = client.get(measure.get_absolute_url()).content.decode()
    assert "111" in first and "112" not in first
    add_series(measure, force, [112], start=Period.month(2018, 4))  # the month after, worth 112
    assert "112" in client.get(measure.get_absolute_url()).content.decode()
