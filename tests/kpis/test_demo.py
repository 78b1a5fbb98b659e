import pytest
from django.core.management import call_command

from kpis.models import KpiAction, Measure, Observation

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_seed_demo_adds_about_thirty_measures_with_36_months_and_is_safe_to_run_twice():
    call_command("seed_demo", stdout=None)
    counts = (Measure.objects.count(), Observation.objects.count(), KpiAction.objects.count())
    assert 28 <= counts[0] <= 32
    assert (
        Observation.objects.filter(measure__name="Total recorded crime", area__name="Severn Vale Police").count() == 36
    )
    assert Measure.objects.filter(objectives__isnull=False).values("objectives__order").distinct().count() == 4
    assert counts[2] >= 2
    call_command("seed_demo", stdout=None)
    assert (Measure.objects.count(), Observation.objects.count(), KpiAction.objects.count()) == counts
