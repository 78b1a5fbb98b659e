"""The plan page stays small at any size: objectives with their RAG counts, each objective's
activities loaded when it is opened."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from delivery.models import Activity
from tests.factories import PASSWORD, make_many_activities

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client, viewer):
    assert client.login(username=viewer.username, password=PASSWORD)
    return client


def get(client, url, **headers):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **headers)
    assert response.status_code == 200, url
    return response.content.decode(), len(ctx.captured_queries)


def test_the_plan_page_shows_counts_per_objective_and_no_activity_rows(reader):
    plan = make_many_activities(40)
    body, _ = get(reader, reverse("plan", args=[plan.slug]))
    assert body.count('data-testid="objective-details"') == 4
    assert "/activities/" + str(Activity.objects.first().pk) + "/" not in body
    for objective in plan.objectives.all():
        n = Activity.objects.filter(commitment__objective=objective).count()
        assert f'data-testid="objective-counts">{n} activities' in body
    assert 'hx-trigger="toggle once"' in body


def test_the_plan_page_is_the_same_size_and_queries_at_10_and_2000_activities(reader):
    small = make_many_activities(10)
    get(reader, reverse("accessibility"))  # the first request keeps the login's role in the cache
    small_body, small_queries = get(reader, reverse("plan", args=[small.slug]))
    big = make_many_activities(2000)
    big_body, big_queries = get(reader, reverse("plan", args=[big.slug]))
    assert small_queries == big_queries
    assert len(big_body) < 2 * len(small_body) and len(big_body) < 300 * 1024


def test_opening_an_objective_loads_only_its_activities_as_a_fragment(reader):
    plan = make_many_activities(40)
    objective = plan.objectives.order_by("order")[1]
    url = reverse("plan-objective", args=[plan.slug, objective.pk])
    fragment, _ = get(reader, url, HTTP_HX_REQUEST="true")
    assert "<html" not in fragment
    mine = Activity.objects.filter(commitment__objective=objective)
    assert all(f'/activities/{a.pk}/"' in fragment for a in mine)
    others = Activity.objects.filter(commitment__plan=plan).exclude(commitment__objective=objective)
    assert not any(f'/activities/{a.pk}/"' in fragment for a in others)
    page, _ = get(reader, url)
    assert "<html" in page and objective.title in page


def test_without_javascript_the_objective_opens_in_the_plan_page(reader):
    plan = make_many_activities(40)
    objective = plan.objectives.order_by("order")[2]
    body, _ = get(reader, reverse("plan", args=[plan.slug]) + f"?objective={objective.pk}")
    assert body.count('data-testid="objective-details"') == 3
    a = Activity.objects.filter(commitment__objective=objective).first()
    assert f'/activities/{a.pk}/"' in body


def test_an_objective_of_another_plan_is_not_found(reader):
    plan, other = make_many_activities(5), make_many_activities(5)
    url = reverse("plan-objective", args=[plan.slug, other.objectives.first().pk])
    assert reader.get(url).status_code == 404


def test_the_counts_and_the_opened_objective_are_as_at_the_date(reader):
    plan = make_many_activities(20)
    body, _ = get(reader, reverse("plan", args=[plan.slug]) + "?as_at=2000-01-01")
    assert "This plan has no activities as at that date" in body
    objective = plan.objectives.first()
    url = reverse("plan-objective", args=[plan.slug, objective.pk]) + f"?as_at={date.today().isoformat()}"
    fragment, _ = get(reader, url, HTTP_HX_REQUEST="true")
    assert "/activities/" in fragment


def test_a_reader_must_log_in_to_see_an_objective(client):
    plan = make_many_activities(5)
    response = client.get(reverse("plan-objective", args=[plan.slug, plan.objectives.first().pk]))
    assert response.status_code == 302
