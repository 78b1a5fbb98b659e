"""The performance summary as a table document: the panel's columns, grouped by objective."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from kpis import selectors, services
from kpis.documents import render_summary, summary_document
from kpis.periods import Period
from tests.factories import ObjectiveFactory

from .factories import MeasureFactory, add_series, force_and_areas

pytestmark = pytest.mark.django_db


def test_the_summary_groups_measures_by_objective_with_topic_inclusion_data_and_commentary(editor):
    force, _ = force_and_areas()
    victims = ObjectiveFactory(title="Putting victims first", order=1)
    m = MeasureFactory(name="Victim satisfaction", unit="percentage", polarity="higher", frequency="quarter")
    m.objectives.add(victims)
    add_series(m, force, [80, 81, 79, 82, 85, 86])  # Apr .. Sep 2017
    loose = MeasureFactory(name="Complaints")
    add_series(loose, force, [5, 6, 7])
    period = Period.financial_quarter(2017, 2)
    services.commentary_save(by=editor, measure=m, period=period, data_text="", commentary="Survey redesigned.")
    doc = summary_document(selectors.performance_summary(period=period), period=period, as_at=date(2017, 10, 15))
    assert [c.label for c in doc.columns] == ["Topic", "Inclusion", "Data", "Commentary"]
    assert [b.title for b in doc.blocks] == ["1. Putting victims first", "Other measures"]
    row = doc.blocks[0].rows[0].cells
    assert row["topic"].startswith("Victim satisfaction")
    assert row["inclusion"] == "Quarter report"
    assert row["data"] == "Increase on previous quarter and above the quarterly average; within the expected range."
    assert row["commentary"] == "Survey redesigned."


def test_the_summary_xlsx_holds_the_edited_data_text(editor):
    force, _ = force_and_areas()
    m = MeasureFactory(name="Burglary")
    add_series(m, force, [10, 12])
    period = Period.month(2017, 5)
    services.commentary_save(by=editor, measure=m, period=period, data_text='=HYPERLINK("x")', commentary="ok")
    data = render_summary(
        selectors.performance_summary(period=period), period=period, as_at=date(2017, 6, 1), fmt="xlsx"
    )
    sheet = load_workbook(BytesIO(data)).worksheets[0]
    (cell,) = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cell.data_type == "s"  # written as text, never as a formula
