"""The KPI admin writes through the services (their checks apply) and keeps history read-only."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from kpis.models import Measure, Observation, Target

from .factories import MeasureFactory, add_series, force_and_areas

pytestmark = pytest.mark.django_db


def _measure_post(**extra):
    data = {
        "name": "Knife crime",
        "description": "",
        "unit": "count",
        "polarity": "lower",
        "frequency": "month_quarter",
        "period_basis": "financial",
        "source": "",
        "baseline_points": "20",
        "comparable_band": "",
        "targets-TOTAL_FORMS": "0",
        "targets-INITIAL_FORMS": "0",
        "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "1000",
    }
    data.update(extra)
    return data


def test_an_administrator_adds_a_measure_with_a_target_through_the_service(admin_client):
    response = admin_client.post(
        reverse("admin:kpis_measure_add"),
        _measure_post(
            **{
                "targets-TOTAL_FORMS": "1",
                "targets-0-value": "95",
                "targets-0-tolerance": "5",
                "targets-0-starts_on": "2017-04-01",
                "targets-0-wording": "Fewer than",
            }
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    m = Measure.objects.get()
    assert m.name == "Knife crime" and [(t.value, t.tolerance) for t in m.targets.all()] == [(95, 5)]


def test_a_measure_name_that_differs_only_in_case_is_refused_in_the_admin(admin_client):
    MeasureFactory(name="Knife Crime")
    response = admin_client.post(reverse("admin:kpis_measure_add"), _measure_post(name="knife crime"))
    assert response.status_code == 200 and "There is already a measure called" in response.content.decode()
    assert Measure.objects.count() == 1


def test_overlapping_targets_are_refused_in_the_admin(admin_client):
    response = admin_client.post(
        reverse("admin:kpis_measure_add"),
        _measure_post(
            **{
                "targets-TOTAL_FORMS": "2",
                "targets-0-value": "95",
                "targets-0-tolerance": "0",
                "targets-0-starts_on": "2017-04-01",
                "targets-1-value": "90",
                "targets-1-tolerance": "0",
                "targets-1-starts_on": "2018-04-01",
            }
        ),
    )
    assert response.status_code == 200 and "Two targets cover the same dates" in response.content.decode()
    assert not Measure.objects.exists() and not Target.objects.exists()


def test_observations_are_history_not_editable_in_the_admin(admin_client):
    force, _ = force_and_areas()
    add_series(MeasureFactory(), force, [1, 2])
    obs = Observation.objects.first()
    assert admin_client.get(reverse("admin:kpis_observation_add")).status_code == 403
    assert admin_client.get(reverse("admin:kpis_observation_delete", args=[obs.pk])).status_code == 403
    response = admin_client.post(reverse("admin:kpis_observation_change", args=[obs.pk]), {"value": "99"})
    assert response.status_code == 403
    obs.refresh_from_db()
    assert obs.value == 1 and obs.recorded_on == date(2020, 1, 1)


def test_an_area_cannot_sit_under_one_of_its_own_areas(admin_client):
    force, (shropshire, _) = force_and_areas()
    response = admin_client.post(
        reverse("admin:kpis_area_change", args=[force.pk]),
        {
            "name": force.name,
            "kind": "force",
            "parent": shropshire.pk,
            "order": "0",
            "populations-TOTAL_FORMS": "0",
            "populations-INITIAL_FORMS": "0",
            "populations-MIN_NUM_FORMS": "0",
            "populations-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200 and "cannot sit under itself" in response.content.decode()
    force.refresh_from_db()
    assert force.parent_id is None
