"""The full performance report (the panel pack's Appendix 3): a part per measure with its recent
periods, target, comparison, special causes and commentary, grouped by objective in plan order."""

from datetime import date
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document

from kpis import selectors, services
from kpis.documents import render_performance_report
from kpis.models import ComparatorValue
from kpis.periods import Period
from tests.factories import ObjectiveFactory

from .factories import MeasureFactory, add_series, add_target, force_and_areas

pytestmark = pytest.mark.django_db

PERIOD = Period.financial_quarter(2018, 2)  # Jul–Sep 2018


def _setup(editor):
    force, _ = force_and_areas()
    victims = ObjectiveFactory(title="Putting victims first", order=1)
    secure = ObjectiveFactory(plan=victims.plan, title="Building a more secure West Mercia", order=2)
    sat = MeasureFactory(name="Victim satisfaction", unit="percentage", polarity="higher", frequency="quarter")
    sat.objectives.add(victims)
    # 15 steady months, then three far above the limits: a special cause in the period.
    add_series(sat, force, [80, 81, 79, 80, 81, 79, 80, 81, 79, 80, 81, 79, 80, 81, 79, 95, 96, 97])
    add_target(sat, 85)
    burglary = MeasureFactory(name="Residential burglary", unit="count", polarity="lower")
    burglary.objectives.add(secure)
    add_series(burglary, force, [100 + i for i in range(18)])
    ComparatorValue.objects.create(
        measure=burglary, area=force, period_kind="M", period_start=date(2018, 9, 1),
        msg_average=120.0, national_average=130.0, rank=3, rank_of=8,
    )  # fmt: skip
    services.commentary_save(
        by=editor, measure=sat, period=PERIOD, data_text="", commentary="New survey provider from July."
    )
    return sat, burglary


def test_the_report_has_a_heading_per_objective_and_measure_in_order_with_its_parts(editor):
    _setup(editor)
    groups = selectors.performance_report(period=PERIOD)
    doc = Document(BytesIO(render_performance_report(groups, period=PERIOD, as_at=date(2018, 10, 15))))
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == ("Title", "Full performance report")
    assert [t for s, t in headings if s == "Heading 1"] == [
        "1. Putting victims first",
        "2. Building a more secure West Mercia",
    ]
    assert [t for s, t in headings if s == "Heading 2"] == ["Victim satisfaction", "Residential burglary"]
    assert [t for s, t in headings if s == "Heading 3"][:4] == [
        "Recent periods", "Comparison", "Special causes and exceptions", "Commentary",
    ]  # fmt: skip
    text = [p.text for p in doc.paragraphs]
    assert "New survey provider from July." in text
    assert "Variation: Special cause improvement: unusually high." in text
    assert "Latest point: above the upper process limit." in text
    assert "Previous period: 80.0%; change +16.0 pts (increase)" in text
    assert "Latest: 96.0% · Target: 85.0% · Status: Green (G)." in text
    # Tables: the satisfaction series (chart-ready: period, value, target), then burglary's and its comparators.
    first = doc.tables[0]
    assert [c.text for c in first.rows[0].cells] == ["Period", "Value", "Target", "Special cause"]
    assert [r.cells[0].text for r in first.rows[1:]] == [f"2017/18 Q{q}" for q in (1, 2, 3, 4)] + [
        "2018/19 Q1",
        "2018/19 Q2",
    ]
    assert first.rows[-1].cells[2].text == "85.0%"
    comparators = doc.tables[-1]
    assert [c.text for c in comparators.rows[0].cells][:3] == [
        "Period",
        "Most similar group average",
        "National average",
    ]
    assert [c.text for c in comparators.rows[1].cells] == ["Sep 2018", "120", "130", "3 of 8"]


def test_the_report_reads_the_same_number_of_queries_for_two_measures_or_six(editor):
    _setup(editor)
    with CaptureQueriesContext(connection) as two:
        selectors.performance_report(period=PERIOD)
    force = selectors.default_area()
    for i in range(4):
        m = MeasureFactory(name=f"Measure {i}")
        add_series(m, force, [10, 11, 12])
    with CaptureQueriesContext(connection) as six:
        assert sum(len(g.measures) for g in selectors.performance_report(period=PERIOD)) == 6
    assert len(six) == len(two)
