"""Every list page answers any query string without a server error (issue 8, item 8): hostile values for
every parameter it reads give a 200 with the value ignored or clamped (and a message where it matters),
or a 400; never a 500."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from core.dates import today
from delivery import services
from delivery.models import Extract, ImportRun
from kpis.models import Measure
from panel import services as panel_services
from panel.models import PanelPack
from rounds import services as rounds_services
from rounds.models import UpdateRound
from tests.delivery.importers.builders import tracker_workbook
from tests.factories import PASSWORD, OwnerFactory, make_many_activities
from tests.kpis.factories import MeasureFactory, add_series, force_and_areas
from tests.meetings.conftest import make_action, make_meeting

HOSTILE = [
    "",
    "-1",
    "0",
    "1",
    "abc",
    "999999",
    "99999999999999999999999999",
    "-99999999999999999999999999",
    "1e309",
    "NaN",
    "inf",
    "9999-12-31",
    "0001-01-01",
    "10000-01-01",
    "2024-02-30",
    "1970-01-01T00:00",
    "nonsense",
    "-nonsense",
    "__all__",
    "pk",
    "-",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "%00",
    "\x00",
    "٣",
    "１",
    "x" * 5000,
    "csv",
    "xlsx",
    "json",
    "latex",
]

# Each list page and every query parameter it reads (filters, paging, sorting, exports, as-at).
PAGES: dict[str, tuple[str, list[str]]] = {
    "home": ("home", ["as_at"]),
    "what changed": ("notifications:changes", ["page", "per_page", "sort", "q", "kind"]),
    "plan": ("plan", ["as_at"]),
    "plan workbook": ("plan-workbook", ["as_at"]),
    "activities": (
        "activities",
        [
            "as_at",
            "page",
            "per_page",
            "sort",
            "q",
            "mine",
            "plan",
            "objective",
            "section",
            "rag",
            "status",
            "owner",
            "overdue",
            "due_after",
            "due_before",
            "due_min",
            "due_max",
            "updated_since",
            "_export",
        ],
    ),
    "overdue": ("overdue", ["as_at", "plan", "due_within", "stale_after", "o-sort", "sort", "_export"]),
    "overdue group": ("overdue-group", ["by", "key", "page", "more", "as_at", "plan", "due_within", "stale_after"]),
    "extracts": ("extracts", ["plan", "format", "state", "page", "per_page", "sort", "_export"]),
    "new extract": ("extract-new", ["plan"]),
    "imports": ("imports", ["page", "per_page", "sort", "_export"]),
    # Holding-to-account meetings: the three lists, their exports, and the panel report section.
    "meetings": (
        "meetings:list",
        ["kind", "held_after", "held_before", "subject", "state", "page", "per_page", "sort", "_export"],
    ),
    "meeting actions": (
        "meetings:actions",
        ["as_at", "q", "mine", "status", "overdue", "owner", "kind", "page", "per_page", "sort", "_export"],
    ),
    "written requests": (
        "meetings:requests",
        ["state", "q", "sent_after", "sent_before", "page", "per_page", "sort", "_export"],
    ),
    "panel report": ("meetings:panel-report", ["start", "end", "as_at", "format"]),
    # KPIs: the catalogue, a measure page, the performance summary, KPI actions and imports.
    "measures": (
        "kpis:catalogue",
        ["q", "objective", "frequency", "area", "status", "as_at", "page", "per_page", "sort", "_export"],
    ),
    "measure": ("kpis:measure", ["area", "period", "as_at"]),
    "performance summary": ("kpis:summary", ["period", "as_at"]),
    "kpi actions": (
        "kpis:actions",
        ["q", "status", "overdue", "mine", "forum", "due_after", "due_before", "page", "per_page", "sort", "_export"],
    ),
    "kpi imports": ("kpis:imports", ["state", "filename", "page", "per_page", "sort", "_export"]),
    # Update rounds: the list, and a round's page with its owner and update lists (prefixed o- and i-).
    "update rounds": ("rounds:list", ["page", "per_page", "sort"]),
    "update round": (
        "rounds:round",
        ["state", "o-page", "o-per_page", "o-sort", "i-page", "i-per_page", "i-sort"],
    ),
    "new update round": ("rounds:new", ["plan"]),
    # The read-only API (the editor's session; a token reads the same): 200 or a 400 naming the parameter.
    "api plans": ("api:plan-list", ["limit", "offset", "format"]),
    "api objectives": ("api:objective-list", ["plan", "limit", "offset", "format"]),
    "api commitments": ("api:commitment-list", ["plan", "objective", "limit", "offset", "format"]),
    "api activities": (
        "api:activity-list",
        [
            "as_at",
            "plan",
            "objective",
            "commitment",
            "owner",
            "rag",
            "status",
            "overdue",
            "due_after",
            "due_before",
            "updated_since",
            "limit",
            "offset",
            "format",
        ],
    ),
    "api updates": (
        "api:update-list",
        ["plan", "activity", "rag", "status", "on_after", "on_before", "updated_since", "limit", "offset", "format"],
    ),
    "api measures": ("api:measure-list", ["objective", "owner", "limit", "offset", "format"]),
    "api areas": ("api:area-list", ["kind", "parent", "limit", "offset", "format"]),
    "api observations": (
        "api:observation-list",
        ["measure", "area", "period_kind", "period_after", "period_before", "recorded_since", "limit", "offset"],
    ),
    "api meetings": ("api:meeting-list", ["state", "kind", "held_after", "held_before", "limit", "offset", "format"]),
    "api actions": (
        "api:action-list",
        ["meeting", "status", "owner", "overdue", "due_after", "due_before", "updated_since", "limit", "offset"],
    ),
    # The audit log (read as an administrator: editors may not see it).
    "audit log": (
        "audit-log",
        [
            "who",
            "action",
            "model",
            "object",
            "object_id",
            "on_or_after",
            "on_or_before",
            "page",
            "per_page",
            "sort",
            "_export",
        ],
    ),
    # Panel reports: the pack library.
    "panel packs": ("panel:packs", ["plan", "status", "page", "per_page", "sort", "_export"]),
}
# Pages read as someone other than the editor.
READ_AS = {"audit-log": "admin_user"}


@pytest.fixture
def site(db, editor, owner_user, django_capture_on_commit_callbacks, eager_tasks):
    plan = make_many_activities(12)
    meeting = make_meeting(by=editor)
    make_action(meeting=meeting, owners=[OwnerFactory(name="DCI Hart", user=owner_user)])
    force, _areas = force_and_areas()
    add_series(MeasureFactory(name="Total recorded crime"), force, [100 + (i % 7) * 3 for i in range(24)])
    services.import_from_file(
        by=editor, data=tracker_workbook(), filename="tracker.xlsx", plan_name="Charter", dry_run=True
    )
    assert ImportRun.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.extract_request(
            by=editor, plan=plan, as_at=today(), formats=["csv"], columns=list(Extract.COLUMNS), objectives=[]
        )
    assert Extract.objects.filter(state=Extract.State.DONE).exists()
    rounds_services.round_open(by=editor, plan=plan, title="Q3 update", deadline=today(), as_at=today())
    report = panel_services.report_create(
        by=editor, plan=plan, period_from=today() - timedelta(days=90), as_at=today(), meeting_on=today(),
        meeting_title="Police and Crime Panel",
    )  # fmt: skip
    PanelPack.objects.create(report=report, created_by=editor, state=PanelPack.State.DONE, files=[
        {"name": "a.docx", "label": "=HYPERLINK(\"x\")", "path": "x", "checksum": "0" * 64, "size": 10},
    ])  # fmt: skip
    return plan


def url_for(name: str, plan) -> str:
    if name in ("plan", "plan-workbook"):
        return reverse(name, args=[plan.slug])
    if name == "rounds:round":
        return reverse(name, args=[UpdateRound.objects.get().pk])
    if name == "kpis:measure":
        return reverse(name, args=[Measure.objects.get().pk])
    return reverse(name)


def _status(client, url, params) -> int | str:
    try:
        return client.get(url, params).status_code
    except Exception as e:  # the test client re-raises a view's exception: that is a 500
        return f"{e.__class__.__name__}: {str(e)[:80]}"


@pytest.mark.slow
@pytest.mark.parametrize("page", list(PAGES))
def test_no_value_of_any_query_parameter_makes_a_list_page_fail(client, editor, site, page, request):
    name, params = PAGES[page]
    url = url_for(name, site)
    reader = request.getfixturevalue(READ_AS[name]) if name in READ_AS else editor
    client.login(username=reader.username, password=PASSWORD)
    failures = []
    for param in params:
        for value in HOSTILE:
            status = _status(client, url, {param: value})
            if status not in (200, 302, 400):
                failures.append((param, value[:20], status))
    assert not failures, failures


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("activities", {"per_page": "-1"}),
        ("activities", {"per_page": "abc"}),
        ("activities", {"page": "999999"}),
        ("activities", {"as_at": "9999-12-31"}),
        ("activities", {"as_at": "0001-01-01"}),
        ("activities", {"sort": "nonsense"}),
        ("activities", {"due_after": "garbage"}),
        ("activities", {"per_page": "-1", "_export": "csv"}),
        ("overdue", {"as_at": "9999-12-31"}),
        ("overdue", {"as_at": "0001-01-01", "_export": "xlsx"}),
        ("overdue", {"due_within": "99999999999999999999"}),
        ("extracts", {"per_page": "-1"}),
        ("imports", {"per_page": "0", "page": "-3"}),
        ("rounds:list", {"per_page": "-1", "sort": "nonsense"}),
        ("home", {"as_at": "0001-01-01"}),
        ("meetings:list", {"held_after": "9999-12-31", "per_page": "-1"}),
        ("meetings:actions", {"as_at": "0001-01-01", "_export": "csv"}),
        ("meetings:requests", {"sent_before": "garbage", "page": "999999"}),
        ("meetings:panel-report", {"start": "9999-12-31", "end": "0001-01-01", "format": "docx"}),
        ("kpis:catalogue", {"per_page": "-1", "as_at": "9999-12-31"}),
        ("kpis:summary", {"period": "2017/18-Q9"}),
        ("kpis:actions", {"due_after": "garbage", "page": "999999"}),
        ("api:activity-list", {"offset": "99999999999999999999999999", "limit": "-1"}),
        ("audit-log", {"on_or_after": "0001-01-01", "per_page": "-1", "model": "nonsense.model"}),
        ("audit-log", {"object_id": "x" * 5000, "sort": "changes", "_export": "csv"}),
    ],
)
def test_the_reported_hostile_queries_answer_without_a_server_error(client, editor, site, name, query, request):
    reader = request.getfixturevalue(READ_AS[name]) if name in READ_AS else editor
    client.login(username=reader.username, password=PASSWORD)
    assert _status(client, url_for(name, site), query) == 200


def test_per_page_is_clamped_between_one_and_the_maximum(client, editor, site, settings):
    settings.TRACKER_MAX_PAGE_SIZE = 5
    client.login(username=editor.username, password=PASSWORD)
    assert len(client.get(reverse("activities"), {"per_page": "-1"}).context["table"].page.object_list) == 1
    assert len(client.get(reverse("activities"), {"per_page": "999999"}).context["table"].page.object_list) == 5


def test_an_as_at_date_out_of_range_shows_today_and_says_so(client, editor, site):
    client.login(username=editor.username, password=PASSWORD)
    response = client.get(reverse("overdue"), {"as_at": "0001-01-01"})
    assert response.status_code == 200 and response.context["as_at"] == today()
    assert "Enter a date between 1 Jan 1900 and 31 Dec 2999." in response.content.decode()
    response = client.get(reverse("activities"), {"as_at": "0001-01-01"})
    assert response.context["as_at"] is None
    assert "showing today" in response.content.decode()
