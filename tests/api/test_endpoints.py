"""Each endpoint's rows, fields and filters; activities as at a date; drafts by role; CSV; query counts."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.dates import today
from delivery import services as delivery_services
from kpis.models import Observation
from meetings.models import Meeting
from tests.factories import CommitmentFactory, OwnerFactory, make_activity, make_many_activities
from tests.kpis.factories import MeasureFactory, add_series, force_and_areas
from tests.meetings.conftest import make_action, make_meeting

pytestmark = pytest.mark.django_db


def rows(response) -> list[dict]:
    assert response.status_code == 200, response.content[:500]
    return response.json()["results"]


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def plan_world(editor):
    paley = OwnerFactory(name="Supt Paley")
    comms = OwnerFactory(name="Corporate Comms")
    commitment = CommitmentFactory(ref="1.1", text="Improve the service victims receive")
    early = make_activity(
        commitment=commitment, owners=[paley], text="Roll out the Victims' Code audit",
        due_date=today() - timedelta(days=10), on=today() - timedelta(days=60),
    )  # fmt: skip
    later = make_activity(
        commitment=CommitmentFactory(objective=commitment.objective, ref="1.2"), owners=[comms],
        text='=HYPERLINK("http://evil.example")', due_date=today() + timedelta(days=30),
        on=today() - timedelta(days=5),
    )  # fmt: skip
    delivery_services.activity_record_update(
        activity=early, by=editor, seen_version=early.version, rag="A", status="in_progress",
        text="Audit slipped to June: the contract is late.", on=today() - timedelta(days=2),
    )  # fmt: skip
    return {"early": early, "later": later, "plan": commitment.plan, "paley": paley}


def test_plans_objectives_and_commitments_list_with_their_fields(api_as, viewer, plan_world):
    client = api_as(viewer)
    plans = rows(client.get("/api/v1/plans/"))
    assert [p["name"] for p in plans] == [plan_world["plan"].name]
    assert set(plans[0]) == {"id", "name", "slug", "description", "created_at"}
    objectives = rows(client.get("/api/v1/objectives/", {"plan": plan_world["plan"].pk}))
    assert len(objectives) == 1 and objectives[0]["plan_name"] == plan_world["plan"].name
    commitments = rows(client.get("/api/v1/commitments/", {"plan": plan_world["plan"].pk}))
    assert [c["ref"] for c in commitments] == ["1.1", "1.2"]
    assert client.get("/api/v1/commitments/", {"plan": 999999}).status_code == 400


def test_activities_today_with_filters(api_as, viewer, plan_world):
    client = api_as(viewer)
    everything = rows(client.get("/api/v1/activities/"))
    assert len(everything) == 2
    early = next(a for a in everything if a["id"] == plan_world["early"].pk)
    assert early["rag"] == "A" and early["status"] == "in_progress" and early["owners"] == ["Supt Paley"]
    assert early["overdue"] is True and early["shown_rag_label"] == "Amber"
    assert early["progress"] == "Audit slipped to June: the contract is late."
    assert [a["id"] for a in rows(client.get("/api/v1/activities/", {"rag": "A"}))] == [plan_world["early"].pk]
    assert [a["id"] for a in rows(client.get("/api/v1/activities/", {"overdue": "true"}))] == [plan_world["early"].pk]
    assert [a["id"] for a in rows(client.get("/api/v1/activities/", {"owner": plan_world["paley"].pk}))] == [
        plan_world["early"].pk
    ]
    after = (today() + timedelta(days=1)).isoformat()
    assert [a["id"] for a in rows(client.get("/api/v1/activities/", {"due_after": after}))] == [plan_world["later"].pk]
    since = (today() - timedelta(days=3)).isoformat()
    assert [a["id"] for a in rows(client.get("/api/v1/activities/", {"updated_since": since}))] == [
        plan_world["early"].pk
    ]  # the later one was last updated (created) five days ago
    bad = client.get("/api/v1/activities/", {"due_after": "31/02/2024"})
    assert bad.status_code == 400 and "due_after" in bad.json()


def test_activities_as_at_a_past_date_rebuild_the_state_then(api_as, viewer, plan_world):
    client = api_as(viewer)
    then = (today() - timedelta(days=30)).isoformat()
    past = rows(client.get("/api/v1/activities/", {"as_at": then}))
    assert [a["id"] for a in past] == [plan_world["early"].pk]  # the later one did not exist yet
    assert past[0]["rag"] == "" and past[0]["status"] == "not_started" and past[0]["overdue"] is False
    one = client.get(f"/api/v1/activities/{plan_world['later'].pk}/", {"as_at": then})
    assert one.status_code == 404


@pytest.mark.parametrize("value", ["yesterday", "2024-02-30", "0001-01-01", "10000-01-01", "2024-13-01"])
def test_a_bad_as_at_is_a_400_that_says_what_is_wrong(api_as, viewer, value):
    response = api_as(viewer).get("/api/v1/activities/", {"as_at": value})
    assert response.status_code == 400
    message = response.json()["as_at"][0]
    assert "YYYY-MM-DD" in message or "between 1900-01-01 and 2999-12-31" in message


@pytest.mark.parametrize("value", ["xml", "abc", "1", "=cmd|' /C calc'!A0"])
def test_an_unknown_format_is_a_400_that_names_the_formats(api_as, viewer, value):
    response = api_as(viewer).get("/api/v1/activities/", {"format": value})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "is not a format of this API; use one of csv, json" in response.json()["detail"]


@pytest.mark.parametrize("value", ["99999999999999999999999999", "-1", "1.5"])
def test_a_meeting_id_out_of_range_is_a_400_naming_the_parameter(api_as, viewer, value):
    response = api_as(viewer).get("/api/v1/actions/", {"meeting": value})
    assert response.status_code == 400 and list(response.json()) == ["meeting"]


def test_updates_list_the_trail_filtered_by_activity_and_date(api_as, viewer, plan_world):
    client = api_as(viewer)
    trail = rows(client.get("/api/v1/updates/", {"activity": plan_world["early"].pk}))
    assert [u["kind"] for u in trail] == ["created", "update"]
    assert trail[-1]["rag"] == "A" and trail[-1]["author"]
    recent = rows(client.get("/api/v1/updates/", {"on_after": (today() - timedelta(days=3)).isoformat()}))
    assert [u["text"] for u in recent] == ["Audit slipped to June: the contract is late."]


def test_measures_areas_and_observations(api_as, viewer):
    force, (shropshire,) = force_and_areas(("Shropshire",))
    measure = MeasureFactory(name="Residential burglary")
    add_series(measure, force, [120, 110, 98])
    add_series(measure, shropshire, [30, 28, 25])
    client = api_as(viewer)
    assert [m["name"] for m in rows(client.get("/api/v1/measures/"))] == ["Residential burglary"]
    areas = rows(client.get("/api/v1/areas/"))
    assert {a["name"]: a["parent_name"] for a in areas} == {
        "West Mercia Police": None,
        "Shropshire": "West Mercia Police",
    }
    shrops = rows(client.get("/api/v1/observations/", {"measure": measure.pk, "area": shropshire.pk}))
    assert [o["value"] for o in shrops] == [30, 28, 25]
    first = Observation.objects.filter(area=shropshire).order_by("period_start")[1].period_start
    later = rows(client.get("/api/v1/observations/", {"area": shropshire.pk, "period_after": first.isoformat()}))
    assert [o["value"] for o in later] == [28, 25]
    assert later[0]["period_label"]


def test_a_viewers_token_sees_no_draft_meetings_or_their_actions_and_an_editors_does(api_as, viewer, editor):
    published = make_meeting(state=Meeting.State.PUBLISHED, subject_area="Investigations and Outcome 16")
    draft = make_meeting(state=Meeting.State.DRAFT, subject_area="Secret draft subject")
    approved = make_meeting(state=Meeting.State.APPROVED, subject_area="Approved, not yet published")
    make_action(meeting=published, text="Share the Outcome 16 audit", due_date=date(2025, 4, 1))
    make_action(meeting=draft, text="Draft action text", due_date=date(2025, 4, 1))
    make_action(meeting=approved, text="Unpublished action", due_date=date(2025, 4, 1))
    as_viewer, as_editor = api_as(viewer), api_as(editor)
    assert [m["id"] for m in rows(as_viewer.get("/api/v1/meetings/"))] == [published.pk]
    assert as_viewer.get(f"/api/v1/meetings/{draft.pk}/").status_code == 404
    assert [a["text"] for a in rows(as_viewer.get("/api/v1/actions/"))] == ["Share the Outcome 16 audit"]
    assert b"Secret draft" not in as_viewer.get("/api/v1/meetings/", {"format": "csv"}).getvalue()
    assert as_viewer.get(f"/api/v1/meetings/{approved.pk}/").status_code == 404
    assert b"Unpublished" not in as_viewer.get("/api/v1/actions/", {"format": "csv"}).getvalue()
    assert {m["id"] for m in rows(as_editor.get("/api/v1/meetings/"))} == {published.pk, draft.pk, approved.pk}
    assert len(rows(as_editor.get("/api/v1/actions/"))) == 3
    assert [m["id"] for m in rows(as_editor.get("/api/v1/meetings/", {"state": "draft"}))] == [draft.pk]
    held = rows(as_editor.get("/api/v1/meetings/", {"held_after": "2025-03-01", "held_before": "2025-03-31"}))
    assert len(held) == 3
    overdue = rows(as_viewer.get("/api/v1/actions/", {"overdue": "true"}))
    assert [a["overdue"] for a in overdue] == [True]


def test_csv_has_every_matching_row_and_neutralises_formulas(api_as, viewer, plan_world):
    client = api_as(viewer)
    response = client.get("/api/v1/activities/", {"format": "csv", "limit": 1})
    assert 'filename="activities.csv"' in response["Content-Disposition"]
    got = csv_rows(response)
    assert len(got) == 2  # CSV is every matching row, not one page
    evil = next(r for r in got if r["id"] == str(plan_world["later"].pk))
    assert evil["text"].startswith("'=HYPERLINK")
    by_accept = client.get("/api/v1/activities/", HTTP_ACCEPT="text/csv")
    assert [r["id"] for r in csv_rows(by_accept)] == [r["id"] for r in got]
    filtered = csv_rows(client.get("/api/v1/activities/", {"format": "csv", "rag": "A"}))
    assert [r["id"] for r in filtered] == [str(plan_world["early"].pk)]


def test_pages_are_limited_ordered_and_clamped(api_as, viewer, settings):
    make_many_activities(12)
    client = api_as(viewer)
    first = client.get("/api/v1/activities/", {"limit": 5}).json()
    assert first["count"] == 12 and len(first["results"]) == 5 and first["next"]
    second = client.get("/api/v1/activities/", {"limit": 5, "offset": 5}).json()["results"]
    assert not {a["id"] for a in first["results"]} & {a["id"] for a in second}
    assert len(client.get("/api/v1/activities/", {"limit": 10**9}).json()["results"]) == 12
    assert client.get("/api/v1/activities/", {"offset": 10**30}).json()["results"] == []


@pytest.mark.parametrize(
    "path",
    ["/api/v1/activities/", "/api/v1/updates/", "/api/v1/commitments/", "/api/v1/actions/", "/api/v1/meetings/"],
)
def test_query_count_does_not_grow_with_the_page_size(api_as, viewer, path):
    make_many_activities(40)
    for i in range(12):
        meeting = make_meeting(subject_area=f"Subject {i}")
        make_action(meeting=meeting, owners=[OwnerFactory(name=f"Owner {i}")], due_date=date(2025, 4, 1))
    client = api_as(viewer)
    client.get(path)  # warm up (the token's last use is written at most once a minute)
    counts = []
    for limit in (2, 30):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path, {"limit": limit}).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1], counts
