"""seed_scale --measures/--observations: KPIs at the size of a whole region, written in bulk."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from kpis import selectors
from kpis.models import Area, KpiAction, Measure, Observation, Target

pytestmark = pytest.mark.django_db


def test_seed_scale_adds_the_measures_and_observations_asked_for(capsys, client, viewer):
    call_command("seed_scale", activities=100, updates=200, measures=12, observations=3000, verbosity=0)
    out = capsys.readouterr().out
    assert "12 measures" in out and "3,000 observations" in out
    assert Measure.objects.count() == 12 and Observation.objects.count() == 3000
    # Every measure has monthly figures for its force and its nine areas, up to last month.
    for m in Measure.objects.all():
        areas = set(Observation.objects.filter(measure=m).values_list("area_id", flat=True))
        assert len(areas) == 10 and Area.objects.filter(pk__in=areas, kind=Area.Kind.FORCE).count() == 1
        assert m.objectives.exists()
    assert Target.objects.exists() and KpiAction.objects.exists()
    # The figures are analysable and the pages show them.
    force = Area.objects.filter(kind=Area.Kind.FORCE).order_by("pk").first()
    measure = Measure.objects.filter(observations__area=force).first()
    analysis = selectors.analysis_for(measure, area=force)
    assert analysis.value is not None and len(analysis.points) == 25
    client.force_login(viewer)
    assert client.get(f"/kpis/measures/{measure.pk}/").status_code == 200
    # Sequences moved past the copied ids.
    added = Measure.objects.create(name="One more measure")
    assert added.pk > max(Measure.objects.exclude(pk=added.pk).values_list("pk", flat=True))


def test_seed_scale_twice_gives_the_second_measures_new_names():
    call_command("seed_scale", activities=20, updates=20, measures=3, observations=30, seed=1, verbosity=0)
    call_command("seed_scale", activities=20, updates=20, measures=3, observations=30, seed=1, verbosity=0)
    names = [n.lower() for n in Measure.objects.values_list("name", flat=True)]
    assert len(names) == 6 == len(set(names))
    assert Observation.objects.count() == 60


def test_without_measures_seed_scale_adds_no_kpis():
    call_command("seed_scale", activities=20, updates=20, verbosity=0)
    assert not Measure.objects.exists() and not Observation.objects.exists()
