"""The home page's "Measures needing attention" is kept in the cache, and never outlives the figures."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kpis import selectors, services
from kpis.periods import Period

from .factories import MeasureFactory, add_series, add_target, force_and_areas

pytestmark = pytest.mark.django_db

STEADY = [100, 104, 98, 101, 99, 103, 97, 100, 102, 98, 101, 99, 100, 103, 97, 101, 99, 102, 98, 100]


@pytest.fixture
def measure():
    force, _ = force_and_areas()
    m = MeasureFactory(name="999 calls answered within 10 seconds", unit="count", polarity="higher")
    add_series(m, force, STEADY)
    return m


def _names() -> list[str]:
    return [r.measure.name for r in selectors.attention_cached()]


def test_the_second_look_reads_the_cache_in_one_query(measure):
    add_target(measure, 120, tolerance=5)  # off target: Red
    first = _names()
    with CaptureQueriesContext(connection) as ctx:
        again = _names()
    assert first == again == [measure.name]
    assert len(ctx.captured_queries) == 1  # the figures' fingerprint


def test_a_target_changed_in_place_is_seen_at_once(measure):
    target = add_target(measure, 120, tolerance=5)
    assert _names() == [measure.name]
    target.value = 90
    target.save()  # same ids: the save's signal marks the figures changed
    assert _names() == []


def test_new_figures_written_in_bulk_are_seen_at_once(measure):
    add_target(measure, 90, tolerance=5)
    assert _names() == []
    force = measure.observations.first().area
    last = Period(measure.observations.order_by("-period_start").first().period_start)
    add_series(measure, force, [40], start=last.shifted(1))  # a new month far below: special cause
    assert _names() == [measure.name]


def test_targets_set_through_the_service_are_seen_at_once(measure, editor):
    assert _names() == []
    services.measure_set_targets(
        by=editor, measure=measure, targets=[{"value": 120, "tolerance": 5, "starts_on": date(2000, 1, 1)}]
    )
    assert _names() == [measure.name]


def test_with_no_measures_there_is_no_panel(db):
    assert selectors.attention_cached() is None
