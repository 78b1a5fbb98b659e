"""The KPI lists (catalogue, KPI actions, KPI imports) are django-tables2 tables with django-filter
filters, paging and formula-safe CSV/XLSX export, in the same number of queries for 10 rows or 1,000;
the summary's edit page; owners change the status of their own KPI actions only."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core.dates import today
from delivery.models import Owner
from kpis import selectors as kpi_selectors
from kpis import services
from kpis.models import Commentary, KpiAction, KpiImport, Measure, Observation
from kpis.periods import Period

from .factories import MeasureFactory, add_series, add_target, force_and_areas

pytestmark = pytest.mark.django_db


def _measures(n: int, force, start: int = 0) -> None:
    ms = Measure.objects.bulk_create(Measure(name=f"Measure {start + i:04d}", unit="count") for i in range(n))
    Observation.objects.bulk_create(
        Observation(
            measure=m,
            area=force,
            period_kind="M",
            period_start=date(2017, 4 + k, 1),
            value=10 + k,
            recorded_on=date(2020, 1, 1),
        )
        for m in ms
        for k in range(3)
    )


def _actions(n: int, measure, owner, editor, start: int = 0) -> None:
    KpiAction.objects.bulk_create(
        KpiAction(
            measure=measure,
            text=f"Action {start + i}",
            owner=owner,
            due_date=today() - timedelta(days=1),
            created_by=editor,
            created_on=today() - timedelta(days=5),
        )
        for i in range(n)
    )


def _imports(n: int, editor, start: int = 0) -> None:
    KpiImport.objects.bulk_create(
        KpiImport(
            filename=f"k{start + i}.xlsx", created_by=editor, state="applied", result={"created": {"observations": 3}}
        )
        for i in range(n)
    )


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.slow
def test_the_catalogue_makes_the_same_number_of_queries_for_10_measures_or_1000(client, viewer):
    force, _ = force_and_areas()
    client.force_login(viewer)
    _measures(10, force)
    url = reverse("kpis:catalogue")
    client.get(url)
    few = _counts(client, url)
    _measures(990, force, start=10)
    assert _counts(client, url) == few
    assert _counts(client, url + "?status=none&page=3&per_page=100") == few


def _counts(client, url) -> tuple[int, int]:
    """Queries for `url` with its figures worked out afresh (the KPI data version moved), then from the cache."""
    kpi_selectors.data_changed()
    return _count(client, url), _count(client, url)


@pytest.mark.slow
def test_the_kpi_actions_list_makes_the_same_number_of_queries_for_10_actions_or_1000(client, editor, owner_user):
    _force, _ = force_and_areas()
    m = MeasureFactory()
    owner = Owner.objects.create(name="Supt Paley", user=owner_user)
    _actions(10, m, owner, editor)
    for user in (editor, owner_user):  # with the status forms (editor, owner) and without
        client.force_login(user)
        url = reverse("kpis:actions") + "?per_page=1000"
        client.get(url)
        few = _count(client, url)
        _actions(990 if user is editor else 0, m, owner, editor, start=10)
        assert _count(client, url) == few


def test_the_kpi_imports_list_makes_the_same_number_of_queries_for_10_imports_or_1000(client, editor):
    client.force_login(editor)
    _imports(10, editor)
    url = reverse("kpis:imports") + "?per_page=1000"
    client.get(url)
    few = _count(client, url)
    _imports(990, editor, start=10)
    assert _count(client, url) == few


def test_the_catalogue_filters_by_frequency_and_name_and_pages(client, viewer):
    force, _ = force_and_areas()
    client.force_login(viewer)
    _measures(60, force)
    MeasureFactory(name="Victim satisfaction", frequency="quarter")
    page = client.get(reverse("kpis:catalogue")).content.decode()
    assert '<strong data-testid="measure-count">61</strong>' in page and 'class="govuk-pagination' in page
    page = client.get(reverse("kpis:catalogue") + "?frequency=quarter").content.decode()
    assert "Victim satisfaction" in page and "Measure 0001" not in page
    page = client.get(reverse("kpis:catalogue") + "?q=satisf").content.decode()
    assert "Victim satisfaction" in page and "Measure 0001" not in page


def test_the_catalogue_exports_csv_and_xlsx_in_words_with_formulas_neutralised(client, viewer):
    force, _ = force_and_areas()
    m = MeasureFactory(name="=HYPERLINK(1)", unit="count", polarity="lower")
    add_target(m, 5, tolerance=1)
    add_series(m, force, [10, 11, 12, 13])
    client.force_login(viewer)
    csv = client.get(reverse("kpis:catalogue") + "?_export=csv").content.decode()
    header, row = csv.splitlines()[:2]
    assert header.startswith("Measure,Frequency,Latest,Value,Change on previous,Status against target,Variation")
    assert "Trend" not in header
    assert row.startswith("'=HYPERLINK(1)") and "Red" in row
    book = load_workbook(BytesIO(client.get(reverse("kpis:catalogue") + "?_export=xlsx").content))
    assert book.active["A2"].value == "'=HYPERLINK(1)"


def test_the_kpi_actions_list_filters_overdue_and_mine_and_exports(client, editor, owner_user):
    _force, _ = force_and_areas()
    m = MeasureFactory(name="Knife crime")
    mine = Owner.objects.create(name="Supt Paley", user=owner_user)
    services.kpi_action_raise(
        by=editor, measure=m, text="Later", owner_name="Digital Services", due_date=today() + timedelta(days=9)
    )
    _actions(1, m, mine, editor)
    client.force_login(owner_user)
    page = client.get(reverse("kpis:actions") + "?overdue=on").content.decode()
    assert "Action 0" in page and "Later" not in page and "Overdue 1 days" in page
    page = client.get(reverse("kpis:actions") + "?mine=on").content.decode()
    assert "Action 0" in page and "Later" not in page
    csv = client.get(reverse("kpis:actions") + "?_export=csv").content.decode()
    assert csv.splitlines()[0] == "Measure,Action,Owner,Forum,Due,Status"
    assert len(csv.splitlines()) == 3


def test_an_owner_changes_only_their_own_kpi_actions_status_from_the_list(client, editor, owner_user):
    _force, _ = force_and_areas()
    m = MeasureFactory(name="Knife crime")
    Owner.objects.create(name="Supt Paley", user=owner_user)
    own = services.kpi_action_raise(by=editor, measure=m, text="Mine", owner_name="Supt Paley", due_date=today())
    other = services.kpi_action_raise(by=editor, measure=m, text="Theirs", owner_name="CiP manager", due_date=today())
    client.force_login(owner_user)
    page = client.get(reverse("kpis:actions")).content.decode()
    assert f'id="status-{own.pk}"' in page and f'id="status-{other.pk}"' not in page
    response = client.post(
        reverse("kpis:action-status", args=[own.pk]), {"status": "complete", "next": "/kpis/actions/?mine=on"}
    )
    assert response["Location"] == "/kpis/actions/?mine=on"
    assert client.post(reverse("kpis:action-status", args=[other.pk]), {"status": "complete"}).status_code == 403
    own.refresh_from_db(), other.refresh_from_db()
    assert (own.status, other.status) == ("complete", "not_started")
    # Never redirected off the site by a crafted "next".
    response = client.post(
        reverse("kpis:action-status", args=[own.pk]), {"status": "complete", "next": "//evil.example/"}
    )
    assert response["Location"].startswith("/kpis/measures/")


def test_the_summary_edit_page_saves_data_and_commentary_and_shows_errors_in_a_summary(client, editor, viewer):
    force, _ = force_and_areas()
    m = MeasureFactory(name="Knife crime")
    add_series(m, force, [10, 11, 12, 13, 14, 15])
    client.force_login(editor)
    url = reverse("kpis:summary-edit", args=[m.pk]) + "?period=2017/18-Q1"
    page = client.get(url).content.decode()
    assert "Drafted Data" in page and 'name="commentary"' in page
    response = client.post(url, {"period": "2017/18-Q1", "data_text": "", "commentary": "x" * 5001})
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in page and "govuk-error-summary" in page
    response = client.post(url, {"period": "2017/18-Q1", "data_text": "Up a little", "commentary": "Watch it"})
    assert response.status_code == 302 and "#measure-" in response["Location"]
    entry = Commentary.objects.get()
    assert (entry.data_text, entry.commentary, entry.period) == (
        "Up a little",
        "Watch it",
        Period.quarter_of(date(2017, 4, 1)),
    )
    client.force_login(viewer)
    assert client.get(url).status_code == 403
    assert "summary-edit" not in client.get(reverse("kpis:summary") + "?period=2017/18-Q1").content.decode()


def test_a_reader_is_refused_before_the_action_form_is_read(client, viewer):
    m = MeasureFactory()
    client.force_login(viewer)
    assert client.post(reverse("kpis:action-raise", args=[m.pk]), {}).status_code == 403
    assert client.post(reverse("kpis:summary-edit", args=[m.pk]), {}).status_code == 403


def test_downloads_and_pages_are_get_only(client, viewer):
    client.force_login(viewer)
    for url in (reverse("kpis:summary-download", args=["csv"]), reverse("kpis:summary"), reverse("kpis:catalogue")):
        assert client.post(url).status_code == 405
