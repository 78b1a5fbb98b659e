import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from kpis.models import Measure, Observation
from tests.factories import make_user

from .factories import MeasureFactory, add_series, add_target, force_and_areas, workbook_bytes

pytestmark = pytest.mark.django_db

STEADY = [100, 104, 98, 101, 99, 103, 97, 100, 102, 98, 101, 99, 100, 103, 97, 101, 99, 102, 98, 100]


def report(capsys, *args):
    call_command("kpi_report", *args, "--json")
    return json.loads(capsys.readouterr().out)


def test_kpi_report_prints_every_figure_for_a_month(capsys):
    force, _ = force_and_areas()
    m = MeasureFactory(name="Total recorded crime", unit="count", polarity="lower")
    add_target(m, 100, tolerance=5)
    add_series(m, force, [*STEADY, 150])  # Apr 2017 .. Dec 2018
    out = report(capsys, "--measure", "total recorded crime", "--period", "2018-12")
    assert out["measure"] == "Total recorded crime" and out["area"] == "West Mercia Police"
    assert out["period"] == "2018-12"
    assert out["value"] == 150
    assert out["previous"] == {"value": 100, "change": {"value": 50.0, "unit": "percent", "direction": "increase"}}
    assert out["same_period_last_year"]["value"] == 102  # Dec 2017, the 9th value
    assert out["rolling_12_months"] == sum([*STEADY[9:], 150])
    assert out["limits"]["baseline_points"] == 20
    assert out["special_cause"]["outside_limits"] == "high" and out["special_cause"]["any"] is True
    assert out["rag"] == "R"
    assert out["sentence"].startswith(
        "Increase on previous month and above the monthly average; outside the expected range"
    )


def test_kpi_report_takes_a_financial_quarter_and_an_area(capsys):
    _, (shropshire, _) = force_and_areas()
    m = MeasureFactory(name="Burglary", unit="count")
    add_series(m, shropshire, [10, 20, 30, 40, 50, 60])  # Apr .. Sep 2017
    out = report(capsys, "--measure", "Burglary", "--area", "shropshire", "--period", "2017/18-Q2")
    assert out["period"] == "2017/18-Q2"
    assert out["value"] == 150
    assert out["previous"]["value"] == 60
    assert out["previous"]["change"]["value"] == 150.0


def test_kpi_report_as_at_a_date_before_the_values_were_known(capsys):
    force, _ = force_and_areas()
    m = MeasureFactory(name="Burglary")
    add_series(m, force, [10, 20], recorded_on=date(2018, 1, 1))
    assert report(capsys, "--measure", "Burglary", "--as-at", "2017-12-31")["value"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--measure", "Nothing"], 'No measure called "Nothing"'),
        (["--measure", "Burglary", "--area", "Mars"], 'No area called "Mars"'),
        (["--measure", "Burglary", "--period", "soon"], "not a period"),
        (["--measure", "Burglary", "--as-at", "31/12/2017"], "not a date"),
    ],
)
def test_kpi_report_refuses_what_it_cannot_find_in_plain_words(args, message):
    force_and_areas()
    MeasureFactory(name="Burglary")
    with pytest.raises(CommandError, match=message):
        call_command("kpi_report", *args, "--json")


def test_import_kpis_prints_the_same_shape_as_import_plan_and_applies(tmp_path, capsys):
    make_user("boss", role="Editor")
    path = tmp_path / "kpis.xlsx"
    path.write_bytes(
        workbook_bytes({"D": [["Measure", "Area", "Period", "Value"], ["Burglary", "Force", "2017-07", 10]]})
    )
    call_command("import_kpis", str(path), "--as-user", "boss", "--json")
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {
        "layout",
        "created",
        "updated",
        "unchanged",
        "missing",
        "warnings",
        "errors",
        "skipped",
        "dry_run",
        "import_id",
    }
    assert out["created"] == {"measures": 1, "areas": 1, "observations": 1, "targets": 0}
    assert Observation.objects.count() == 1
    call_command("import_kpis", str(path), "--as-user", "boss", "--json")
    again = json.loads(capsys.readouterr().out)
    assert again["created"]["observations"] == 0 and again["unchanged"]["observations"] == 1


def test_import_kpis_dry_run_writes_nothing_and_errors_exit_1(tmp_path, capsys):
    path = tmp_path / "kpis.xlsx"
    path.write_bytes(
        workbook_bytes({"D": [["Measure", "Area", "Period", "Value"], ["Burglary", "Force", "2017-07", "lots"]]})
    )
    with pytest.raises(SystemExit) as exit_:
        call_command("import_kpis", str(path), "--dry-run", "--json")
    assert exit_.value.code == 1
    out = json.loads(capsys.readouterr().out)
    assert out["errors"][0] == {"sheet": "D", "row": 2, "column": "D", "message": '"lots" is not a number.'}
    assert not Measure.objects.exists()


def test_import_kpis_refuses_a_viewer(tmp_path):
    make_user("reader", role="Viewer")
    path = tmp_path / "kpis.xlsx"
    path.write_bytes(workbook_bytes({"D": [["Measure", "Area", "Period", "Value"], ["B", "Force", "2017-07", 1]]}))
    with pytest.raises(CommandError, match="reader"):
        call_command("import_kpis", str(path), "--as-user", "reader")
