"""A measure's figures for an area and period, read through the selectors (as the pages and the command
read them), and the chart's data."""

from datetime import date

import pytest

from kpis import selectors
from kpis.charts import chart_data
from kpis.models import AreaPopulation, ObservationRevision
from kpis.periods import Period

from .factories import MeasureFactory, add_series, add_target, force_and_areas

pytestmark = pytest.mark.django_db

# 24 months from April 2017: 100 each month, then a step up.
STEADY = [100, 104, 98, 101, 99, 103, 97, 100, 102, 98, 101, 99, 100, 103, 97, 101, 99, 102, 98, 100]


def test_figures_for_a_month_against_the_previous_month_and_the_same_month_last_year():
    force, _ = force_and_areas()
    m = MeasureFactory(unit="count", polarity="lower")
    add_series(m, force, [*STEADY, 110, 112, 111, 113])  # Apr 2017 .. Mar 2019
    a = selectors.analysis_for(m, area=force, period=Period.month(2019, 3))
    assert a.value == 113
    assert a.previous == 111
    assert a.previous_change.value == pytest.approx(1.8018, abs=1e-3)
    assert a.year_ago == 99  # March 2018 is the 12th value
    assert a.year_change.value == pytest.approx(14.141, abs=1e-3)
    assert a.rolling_12 == sum([100, 103, 97, 101, 99, 102, 98, 100, 110, 112, 111, 113])


def test_the_latest_period_is_used_when_none_is_given():
    force, _ = force_and_areas()
    m = MeasureFactory()
    add_series(m, force, STEADY)
    assert selectors.analysis_for(m, area=force).period == Period.month(2018, 11)


def test_a_quarter_is_made_from_its_months():
    force, _ = force_and_areas()
    m = MeasureFactory(unit="percentage", polarity="higher")
    add_series(m, force, [80, 90, 50], numerators=[40, 45, 10], denominators=[50, 50, 20])  # Apr-Jun 2017
    a = selectors.analysis_for(m, area=force, period=Period.financial_quarter(2017, 1))
    assert a.value == pytest.approx(79.1667, abs=1e-4)


def test_a_count_gets_a_rate_per_thousand_from_the_areas_population():
    force, _ = force_and_areas()
    AreaPopulation.objects.create(area=force, year=2017, population=1_250_000)
    m = MeasureFactory(unit="count")
    add_series(m, force, [2500])
    assert selectors.analysis_for(m, area=force).rate_per_1000 == pytest.approx(2.0)


def test_a_run_above_the_mean_is_flagged_on_the_latest_point_and_drafted():
    force, _ = force_and_areas()
    m = MeasureFactory(unit="count", polarity="lower")
    add_series(m, force, [*STEADY, 105, 105, 105, 105, 105, 105, 105])
    a = selectors.analysis_for(m, area=force)
    assert a.flags.run == "high"
    assert a.flags.run_length == 7
    assert a.variation.code == "concern"
    assert "7th consecutive month above the monthly average" in a.draft


def test_a_policing_area_outside_its_own_limits_is_named_in_the_forces_sentence():
    force, (shropshire, hereford) = force_and_areas()
    m = MeasureFactory(unit="count", polarity="lower")
    add_series(m, force, [*STEADY, 130])
    add_series(m, shropshire, [*[v / 2 for v in STEADY], 80])
    add_series(m, hereford, [*[v / 2 for v in STEADY], 50])
    a = selectors.analysis_for(m, area=force)
    assert a.draft.endswith("exceptional volumes in Shropshire.")
    assert "Herefordshire" not in a.draft


def test_rag_uses_the_target_in_force_for_the_period():
    force, _ = force_and_areas()
    m = MeasureFactory(unit="percentage", polarity="higher")
    add_target(m, 90, tolerance=2, starts_on=date(2017, 1, 1))
    add_target(m, 95, tolerance=2, starts_on=date(2017, 6, 1))
    add_series(m, force, [91, 92, 91])  # Apr, May, Jun 2017
    assert selectors.analysis_for(m, area=force, period=Period.month(2017, 5)).rag == "G"
    assert selectors.analysis_for(m, area=force, period=Period.month(2017, 6)).rag == "R"


def test_as_at_a_past_date_shows_the_value_known_then():
    force, _ = force_and_areas()
    m = MeasureFactory()
    (obs,) = add_series(m, force, [120], recorded_on=date(2017, 6, 1))
    ObservationRevision.objects.create(
        observation=obs, measure=m, value=100, recorded_on=date(2017, 5, 15), superseded_on=date(2017, 6, 1)
    )
    assert selectors.analysis_for(m, area=force, as_at=date(2017, 5, 20)).value == 100
    assert selectors.analysis_for(m, area=force, as_at=date(2017, 6, 2)).value == 120
    assert selectors.analysis_for(m, area=force, as_at=date(2017, 5, 1)).value is None  # not known yet


def test_the_chart_draws_values_mean_limits_target_and_marks_special_causes():
    force, _ = force_and_areas()
    m = MeasureFactory(unit="count", polarity="lower")
    add_target(m, 100)
    add_series(m, force, [*STEADY, 150])
    a = selectors.analysis_for(m, area=force)
    data = chart_data(a, basis="financial", unit="Count", title="Test")
    assert data["labels"][0] == "Apr 2017"
    assert data["values"][-1] == 150
    assert len(data["mean"]) == len(data["values"]) == 21
    assert data["upper"][0] == pytest.approx(a.limits.upper, abs=1e-3)
    assert data["target"] == [100] * 21
    assert data["special"] == [False] * 20 + [True]
    assert "above the upper process limit" in data["reasons"][-1]
