"""The KPI importer: both layouts and the wide layout's variations, per-cell errors, all or nothing,
re-importing, revisions."""

from datetime import date

import pytest

from kpis import selectors, services
from kpis.models import Area, Measure, Observation, ObservationRevision, Target
from kpis.periods import Period
from tests.factories import make_user

from ..factories import workbook_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_user(db):
    return make_user("kpi-editor", role="Editor")


def run(editor_user, sheets, *, dry_run=False, name="kpis.xlsx"):
    return services.kpi_import_from_file(by=editor_user, data=workbook_bytes(sheets), filename=name, dry_run=dry_run)


LONG = {
    "Data": [
        ["Measure", "Area", "Period", "Value", "Numerator", "Denominator", "Target"],
        ["Victim satisfaction", "West Mercia Police", "2017-07", "83.7%", 492, 588, 85],
        ["Victim satisfaction", "West Mercia Police", "Aug-17", 80.1, None, None, 85],
        ["Total recorded crime", "Shropshire", "2017/18 Q2", 9000, None, None, None],
    ]
}


def test_the_long_layout_creates_measures_areas_and_observations(editor_user):
    job, cs = run(editor_user, LONG)
    assert job.state == "applied"
    assert cs.counts()["created"] == {"measures": 2, "areas": 2, "observations": 3, "targets": 1}
    sat = Measure.objects.get(name="Victim satisfaction")
    assert sat.unit == "percentage"  # written as 83.7%
    assert Measure.objects.get(name="Total recorded crime").unit == "count"
    july = Observation.objects.get(measure=sat, period_start=date(2017, 7, 1))
    assert (july.value, july.numerator, july.denominator) == (83.7, 492, 588)
    assert Observation.objects.get(measure__name="Total recorded crime").period == Period.quarter(2017, 7)
    assert Area.objects.get(name="West Mercia Police").kind == Area.Kind.FORCE
    assert Area.objects.get(name="Shropshire").parent.name == "West Mercia Police"
    assert Target.objects.get(measure=sat).value == 85


def test_re_importing_the_same_file_changes_nothing(editor_user):
    run(editor_user, LONG)
    _, cs = run(editor_user, LONG)
    assert cs.counts()["created"]["observations"] == 0
    assert cs.counts()["updated"]["observations"] == 0
    assert cs.counts()["unchanged"]["observations"] == 3
    assert Observation.objects.count() == 3
    assert Target.objects.count() == 1


def test_a_changed_value_is_a_revision_that_keeps_the_earlier_value(editor_user):
    run(editor_user, LONG)
    changed = {"Data": [row[:] for row in LONG["Data"]]}
    changed["Data"][2][3] = 81.0
    _, cs = run(editor_user, changed)
    assert cs.counts()["updated"]["observations"] == 1
    obs = Observation.objects.get(period_start=date(2017, 8, 1))
    assert obs.value == 81.0
    assert ObservationRevision.objects.get(observation=obs).value == 80.1


def test_measures_and_areas_are_matched_without_regard_to_case(editor_user):
    run(editor_user, LONG)
    lower = {"Data": [LONG["Data"][0], ["VICTIM SATISFACTION", "west mercia police", "2017-09", 79, None, None, None]]}
    _, cs = run(editor_user, lower)
    assert cs.counts()["created"] == {"measures": 0, "areas": 0, "observations": 1, "targets": 0}


def test_a_bad_cell_is_reported_with_sheet_row_and_column_and_nothing_is_written(editor_user):
    bad = {"Data": [*LONG["Data"], ["Total recorded crime", "Shropshire", "2017-10", "lots", None, None, None]]}
    job, cs = run(editor_user, bad)
    assert job.state == "invalid"
    assert [(e.sheet, e.row, e.column) for e in cs.errors] == [("Data", 5, "D")]
    assert "not a number" in cs.errors[0].message
    assert not Observation.objects.exists()
    assert not Measure.objects.exists()


def test_two_different_values_for_one_period_are_an_error(editor_user):
    dup = {"Data": [*LONG["Data"], ["Victim satisfaction", "West Mercia Police", "Jul 2017", 70, None, None, None]]}
    _, cs = run(editor_user, dup)
    assert len(cs.errors) == 1
    assert "already has the value 83.7" in cs.errors[0].message
    assert cs.errors[0].row == 5


def test_a_dry_run_writes_nothing(editor_user):
    job, cs = run(editor_user, LONG, dry_run=True)
    assert job.state == "previewed"
    assert cs.counts()["created"]["observations"] == 3
    assert not Observation.objects.exists()


WIDE = {
    "Crime": [
        ["Force performance pack"],
        ["Total recorded crime"],
        [],
        ["Area", "Jul-17", "Aug-17", "Sep 2017", "Total", "Average", "YTD", "Change"],
        ["West Mercia Police", 9100, 9200, 9300, 27600, 9200, 27600, "2%"],
        ["Shropshire", 3000, "3,100", "-", 6100, 3050, 6100, "3%"],
        ["Herefordshire", 1500, 1550, 1600, 4650, 1550, 4650, "1%"],
    ]
}


def test_the_wide_layout_reads_areas_down_and_periods_across_and_ignores_totals(editor_user):
    job, cs = run(editor_user, WIDE)
    assert job.state == "applied"
    assert Measure.objects.get().name == "Total recorded crime"  # the title row nearest the table
    assert Observation.objects.count() == 8  # 3 + 2 ("-" is no value) + 3
    assert Observation.objects.get(area__name="Shropshire", period_start=date(2017, 8, 1)).value == 3100
    assert any("Total, Average, YTD, Change" in w.message for w in cs.warnings)
    assert cs.sheets[0]["layout"] == "wide"


def test_the_wide_layout_takes_financial_quarters_real_dates_and_percentages_as_text(editor_user):
    sheets = {
        "999": [
            ["999 calls answered within 10 seconds"],
            ["Area", "2017/18 Q1", "2017/18 Q2", date(2017, 10, 1), "Change"],
            ["West Mercia Police", "88.1%", "89.4%", "90.2%", "+0.8"],
        ]
    }
    run(editor_user, sheets)
    m = Measure.objects.get()
    assert m.unit == "percentage"
    got = {(o.period_kind, o.period_start): o.value for o in Observation.objects.all()}
    assert got == {("Q", date(2017, 4, 1)): 88.1, ("Q", date(2017, 7, 1)): 89.4, ("M", date(2017, 10, 1)): 90.2}


def test_the_wide_layout_with_a_measure_column(editor_user):
    sheets = {
        "Pack": [
            ["Performance pack, quarter 2"],
            ["Measure", "Area", "Jul-17", "Aug-17"],
            ["Burglary", "Shropshire", 100, 110],
            [None, "Herefordshire", 50, 55],
            ["Vehicle crime", "Shropshire", 200, 210],
        ]
    }
    run(editor_user, sheets)
    assert set(Measure.objects.values_list("name", flat=True)) == {"Burglary", "Vehicle crime"}
    assert Observation.objects.filter(measure__name="Burglary").count() == 4


def test_fractions_in_a_percentage_measure_are_read_as_percentages(editor_user):
    sheets = {"Sat": [["Measure", "Area", "Period", "Value", "Unit"], ["Satisfied", "Force", "2017-07", 0.837, "%"]]}
    _, cs = run(editor_user, sheets)
    assert Observation.objects.get().value == pytest.approx(83.7)
    assert any("read as percentages" in w.message for w in cs.warnings)


def test_a_sheet_with_neither_layout_is_skipped_and_a_file_with_none_is_an_error(editor_user):
    job, cs = run(editor_user, {"Notes": [["Some notes"], ["More notes"]]})
    assert job.state == "invalid"
    assert cs.skipped[0]["sheet"] == "Notes"
    assert "No sheet holds KPI values" in cs.errors[0].message


def test_an_unreadable_file_is_refused_before_parsing(editor_user):
    with pytest.raises(Exception, match="PDF"):
        services.kpi_import_from_file(by=editor_user, data=b"%PDF-1.4 ...", filename="kpis.xlsx")


def test_the_figures_after_an_import_are_read_by_the_selectors(editor_user):
    run(editor_user, WIDE)
    m = Measure.objects.get()
    a = selectors.analysis_for(m, area=selectors.area_by_name("Herefordshire"), period=Period.month(2017, 9))
    assert a.previous == 1550
